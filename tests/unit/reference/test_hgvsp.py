"""HGVS p. from transcript + coding sequence (the verified CDSs), both builds, both strands."""

from __future__ import annotations

import pytest

from support.fasta import verified  # noqa: F401  (fixture)
from jakcli.reference.protein import complement, normalise_hgvsp
from jakcli.reference.hgvsp import codon_change, hgvsp
from jakcli.reference.transcripts import genomic_position, transcript_for

BUILDS = ("GRCh37", "GRCh38")


def mpl(build):
    t = transcript_for("MPL", build)
    return t, genomic_position(t, 1544)  # W515 = c.1543-1545 TGG


@pytest.mark.parametrize("build", BUILDS)
def test_mpl_w515_codon_anchor(verified, build):
    assert verified["MPL"][1542:1545] == "TGG"
    t, g = mpl(build)
    assert g == {"GRCh37": 43815009, "GRCh38": 43349338}[build]


@pytest.mark.parametrize("build", BUILDS)
@pytest.mark.parametrize("offset,ref,alt,three,short,kind", [
    (0, "G", "T", "p.(Trp515Leu)", "p.W515L", "missense"),
    (-1, "TG", "AA", "p.(Trp515Lys)", "p.W515K", "missense"),  # two-base MNV in one codon
    (0, "G", "A", "p.(Trp515Ter)", "p.W515*", "nonsense"),
    (1, "G", "A", "p.(Trp515Ter)", "p.W515*", "nonsense"),
    (-2, "ATGG", "A", "p.(Trp515del)", "p.W515del", "inframe_deletion"),
    (-2, "AT", "A", "p.(Trp515GlyfsTer10)", "p.W515Gfs*10", "frameshift"),
    (-2, "A", "ATGG", "p.(Trp515dup)", "p.W515dup", "inframe_duplication"),
    (-1, "T", "TTGG", "p.(Trp515delinsLeuGly)", "p.W515delinsLG", "inframe_delins"),
])
def test_mpl_protein_changes(verified, build, offset, ref, alt, three, short, kind):
    t, g = mpl(build)
    p = hgvsp(t, verified["MPL"], "1", g + offset, ref, alt)
    assert (p.three, p.short, p.kind) == (three, short, kind)


def test_synonymous_start_and_stop(verified):
    t, g = mpl("GRCh38")
    cds = verified["MPL"]
    syn = hgvsp(t, cds, "1", genomic_position(t, 1533), "G", "A")  # CTG>CTA, Leu511
    assert (syn.three, syn.kind) == ("p.(Leu511=)", "synonymous")
    assert hgvsp(t, cds, "1", genomic_position(t, 1), "A", "G").three == "p.(Met1?)"
    assert cds[-3:] == "TGA"
    lost = hgvsp(t, cds, "1", genomic_position(t, 1906), "T", "C")  # TGA>CGA
    assert lost.three == "p.(Ter636Argext*?)" and "no new stop" in lost.reason
    ext = hgvsp(t, cds, "1", genomic_position(t, 1906), "T", "C", utr3="GCCTAA")
    assert (ext.three, ext.kind) == ("p.(Ter636Argext*2)", "stop_lost")


def test_frameshift_without_a_new_stop_in_reach(verified):
    t, _ = mpl("GRCh38")
    cds = verified["MPL"]
    p = hgvsp(t, cds, "1", genomic_position(t, 1900), "C", "CA")
    assert p.kind == "frameshift" and (p.three.endswith("fs)") or "fsTer" in p.three)


@pytest.mark.parametrize("build,pos", [("GRCh37", 1314966), ("GRCh38", 1196852)])
def test_crlf2_f232c_on_the_minus_strand(verified, build, pos):
    t = transcript_for("CRLF2", build)
    cds = verified["CRLF2"]
    assert cds[693:696] == "TTT"  # F232
    p = hgvsp(t, cds, "X", pos, "A", "C")
    assert (p.three, p.short) == ("p.(Phe232Cys)", "p.F232C")
    assert normalise_hgvsp(p.three) == p.short
    # deleting c.694-696 TTT: genomic pos+1..pos-1 = AAA on the + strand, left-normalised VCF anchor
    # is c.697 (the base below them); KF(232)I -> F232 is deleted
    anchor = genomic_position(t, 697)
    base = complement(cds[696])
    d = hgvsp(t, cds, "X", anchor, base + "AAA", base)
    assert (d.three, d.short, d.kind) == ("p.(Phe232del)", "p.F232del", "inframe_deletion")


def test_refusals(verified):
    t, g = mpl("GRCh38")
    cds = verified["MPL"]
    assert hgvsp(t, cds, "1", g, "C", "T").short is None  # REF disagrees with the sequence
    intronic = hgvsp(t, cds, "1", 43349262, "A", "G")
    assert intronic.three is None and "intron" in intronic.reason
    assert hgvsp(t, cds[:-1], "1", g, "G", "T").reason.startswith("the coding sequence length")


@pytest.mark.parametrize("build", BUILDS)
def test_codon_change_merges_substitutions_in_one_codon(verified, build):
    jak2 = transcript_for("JAK2", build)
    # V617F as an MNV GTC>TTT (c.1849G>T + c.1851C>T); JAK2 reference codon GTC from the rule
    cc = codon_change(jak2, None, [(5073770, "G", "T"), (5073772, "C", "T")], ref_codon="GTC")
    assert (cc.short, cc.three, cc.alt_codon) == ("p.V617F", "p.(Val617Phe)", "TTT")
    t, g = mpl(build)
    assert codon_change(t, verified["MPL"], [(g - 1, "T", "A"), (g, "G", "A")]).short == "p.W515K"
    crlf2 = transcript_for("CRLF2", build)
    pos = genomic_position(crlf2, 695)
    assert codon_change(crlf2, verified["CRLF2"], [(pos, "A", "C")]).short == "p.F232C"


def test_codon_change_refusals(verified):
    t, g = mpl("GRCh38")
    with pytest.raises(ValueError, match="span codons"):
        codon_change(t, verified["MPL"], [(g, "G", "T"), (g + 2, "C", "T")])
    with pytest.raises(ValueError, match="disagrees"):
        codon_change(t, verified["MPL"], [(g, "A", "T")])
    with pytest.raises(ValueError, match="no reference codon"):
        codon_change(t, None, [(g, "G", "T")])
