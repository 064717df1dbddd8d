"""Transcript models and genome -> c. arithmetic, both builds, both strands."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
import yaml

from jakcli.reference.transcripts import (
    CPos, all_transcripts, genomic_position, hgvsc, in_coding_or_splice, locate, transcript_for,
    transcripts_at)

ROOT = Path(__file__).resolve().parents[3]
BUILDS = ("GRCh37", "GRCh38")
GENES = ("JAK1", "JAK2", "JAK3", "TYK2", "IL7R", "CRLF2", "MPL", "CALR", "SH2B3", "STAT3", "STAT5B",
         "CSF3R", "IKZF1", "P2RY8")


def test_bundled_transcripts_are_up_to_date():
    build = runpy.run_path(str(ROOT / "scripts" / "build_transcripts.py"))
    assert build["main"](["--check"]) == 0


@pytest.mark.parametrize("build", BUILDS)
@pytest.mark.parametrize("gene", GENES)
def test_every_gene_has_a_mane_model_whose_cds_encodes_its_protein(gene, build):
    t = transcript_for(gene, build)
    assert t is not None and t.transcript.startswith("NM_") and "." in t.transcript
    if gene == "CRLF2" and build == "GRCh37":  # the assembly lacks CRLF2's two 3' exons
        assert not t.cds_complete and t.cds_length == 767
    else:
        assert t.cds_complete and t.cds_length == 3 * (t.protein_length + 1)


def test_mane_versions_and_lengths():
    got = {t.gene: (t.transcript, t.protein_length) for t in all_transcripts()}
    assert got["JAK2"] == ("NM_004972.4", 1132)
    assert got["CRLF2"] == ("NM_022148.4", 371)
    assert got["IKZF1"] == ("NM_006060.6", 519)
    assert got["P2RY8"][0] == "NM_178129.5"


@pytest.mark.parametrize("build", BUILDS)
def test_jak2_v617f_is_c1849_in_exon_14_in_both_builds(build):
    t = transcript_for("JAK2", build)
    loc = locate(t, 5073770)
    assert (str(loc.c), loc.region, loc.exon, loc.codon, loc.codon_position) == ("1849", "cds", 14, 617, 1)
    assert hgvsc(t, "chr9", 5073770, "G", "T").text == "c.1849G>T"
    assert genomic_position(t, 1849) == 5073770
    assert hgvsc(t, "9", 5073770, "G", "A").text == "c.1849G>A"


@pytest.mark.parametrize("build,pos", [("GRCh37", 1314966), ("GRCh38", 1196852)])
def test_crlf2_f232c_minus_strand_complements_the_alleles(build, pos):
    t = transcript_for("CRLF2", build)
    assert hgvsc(t, "X", pos, "A", "C").text == "c.695T>G"
    assert locate(t, pos).codon == 232
    assert [genomic_position(t, c) for c in (694, 695, 696)] == [pos + 1, pos, pos - 1]


def test_crlf2_chry_copy():
    y37 = transcript_for("CRLF2", "GRCh37", "chrY")
    assert y37.chrom == "Y" and hgvsc(y37, "Y", 1314966 - 50000, "A", "C").text == "c.695T>G"
    assert {t.chrom for t in transcripts_at("GRCh38", "chrY", 1196852)} == {"Y"}


@pytest.mark.parametrize("build", BUILDS)
def test_plus_strand_intron_offsets_and_utrs(build):
    t = transcript_for("JAK2", build)  # exon 14 = 5,073,698-5,073,785 = c.1777-1864
    assert str(locate(t, 5073697).c) == "1777-1"
    assert str(locate(t, 5073696).c) == "1777-2"
    assert str(locate(t, 5073786).c) == "1864+1"
    assert locate(t, 5073786).intron == 14
    assert str(locate(t, 5021987).c) == "-1" and locate(t, 5021987).region == "utr5"
    assert str(locate(t, 5021976).c) == "-12"
    assert str(locate(t, 5126792).c) == "*1"
    assert str(locate(t, 5126821).c) == "*30"
    # intron 13 is 5,072,627-5,073,697 (1071 bp, odd): its middle base takes "+"
    mid = (5072627 + 5073697) // 2
    assert str(locate(t, mid).c) == "1776+536"
    assert str(locate(t, mid + 1).c) == "1777-535"


@pytest.mark.parametrize("build,start,end", [("GRCh37", 1314894, 1315014), ("GRCh38", 1196780, 1196900)])
def test_minus_strand_intron_offsets(build, start, end):
    t = transcript_for("CRLF2", build)  # exon 6 = c.647-767
    assert str(locate(t, end).c) == "647"
    assert str(locate(t, end + 1).c) == "647-1"
    assert str(locate(t, end + 2).c) == "647-2"
    assert locate(t, end + 1).intron == 5
    assert str(locate(t, start).c) == "767"
    if build == "GRCh38":
        assert str(locate(t, start - 1).c) == "767+1"
        assert str(locate(t, start - 3).c) == "767+3"
    else:  # exon 6 is the last exon of the truncated GRCh37 model
        assert locate(t, start - 1).region == "downstream"


@pytest.mark.parametrize("build,w515", [("GRCh37", 43815009), ("GRCh38", 43349338)])
def test_mpl_w515_mnv_and_plus_strand_indel_notes(build, w515):
    t = transcript_for("MPL", build)
    assert hgvsc(t, "1", w515, "G", "T").text == "c.1544G>T"
    assert hgvsc(t, "1", w515 - 1, "TG", "AA").text == "c.1543_1544delinsAA"
    d = hgvsc(t, "chr1", w515 - 2, "ATGG", "A")
    assert d.text == "c.1543_1545del" and "not applied" in d.notes[0]
    ins = hgvsc(t, "1", w515, "G", "GTTT")
    assert ins.text == "c.1544_1545insTTT" and ins.kind == "insertion"


@pytest.mark.parametrize("build,pos", [("GRCh37", 17948009), ("GRCh38", 17837200)])
def test_minus_strand_deletion_is_already_3prime(build, pos):
    t = transcript_for("JAK3", build)
    d = hgvsc(t, "19", pos - 1, "CGG", "C")  # deletes pos and pos+1 = c.1714_1715
    assert d.text == "c.1714_1715del" and "already 3'-most" in d.notes[0]
    i = hgvsc(t, "19", pos, "G", "GAT")
    assert i.text == "c.1714_1715insAT"  # ALT AT on + is AT reverse-complemented on the coding strand


@pytest.mark.parametrize("build", BUILDS)
def test_splice_window(build):
    t = transcript_for("JAK2", build)
    assert in_coding_or_splice(t, 5073770)
    assert in_coding_or_splice(t, 5073696) and in_coding_or_splice(t, 5073787)
    assert not in_coding_or_splice(t, 5073695) and not in_coding_or_splice(t, 5073788)
    assert not in_coding_or_splice(t, 5021987)  # 5' UTR part of exon 3
    assert not in_coding_or_splice(t, 4985300)  # exon 1 is UTR only
    assert in_coding_or_splice(t, 5073690, 5073700)  # a deletion reaching into the exon


def test_wrong_contig_is_refused():
    with pytest.raises(ValueError):
        hgvsc(transcript_for("JAK2", "GRCh38"), "chr1", 5073770, "G", "T")


def _rule_alleles():
    for f in sorted((ROOT / "rules").glob("*.yaml")):
        doc = yaml.safe_load(f.read_text())
        if not isinstance(doc, dict) or "match" not in doc:
            continue
        for a in doc["match"].get("alleles", []) or []:
            if "hgvsc" not in a:
                continue
            for build in BUILDS:
                for site in a.get(build, []):
                    yield doc["id"], doc["gene"], build, site, a["hgvsc"].split(":", 1)[1]


@pytest.mark.parametrize("rule,gene,build,site,expected", list(_rule_alleles()))
def test_rule_alleles_give_their_hgvsc_in_both_builds(rule, gene, build, site, expected):
    t = transcript_for(gene, build, site["chrom"])
    assert hgvsc(t, site["chrom"], site["pos"], site["ref"], site["alt"]).text == expected


def test_cpos_formatting():
    assert str(CPos(1849, 5)) == "1849+5" and str(CPos(-12)) == "-12"
    assert str(CPos(30, utr3=True)) == "*30" and str(CPos(30, -2, True)) == "*30-2"
