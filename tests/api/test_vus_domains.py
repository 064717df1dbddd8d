"""Issue 12 item 5 on files: a variant of uncertain significance carries its protein domain, in both builds
(JAK3 JH1 kinase, bundled from the Kincore kinase-domain span 822-1097; IL7R transmembrane, UniProt 240-264;
SH2B3 SH2; MPL and CRLF2 fibronectin type-III, RefSeq/CDD regions read in maftools)."""

from __future__ import annotations

import pytest
from support import write_vcf

from jakcli.classify import Options, classify
from jakcli.model import Build

# JAK3 (minus strand) codon 993 is TGG (Trp, P52333); c.2977T>C is genomic A>G at these positions
JAK3_W993_C1 = {Build.GRCH37: 17942038, Build.GRCH38: 17831229}
# codon 1099 (Trp, c.3295) lies after the Kincore JH1 end (1097)
JAK3_W1099_C1 = {Build.GRCH37: 17937632, Build.GRCH38: 17826823}


# IL7R (plus strand) codon 261 is TGT/TGC (Cys, P16871); c.781T>C at these positions
IL7R_C261_C1 = {Build.GRCH37: 35874625, Build.GRCH38: 35874523}


def _vus(tmp_path, build, pos, contig="19", ref="A", alt="G"):
    chrom = f"chr{contig}" if build is Build.GRCH38 else contig
    path = write_vcf(tmp_path / f"in_{build.value}.vcf",
                     [[chrom, pos, ".", ref, alt, ".", "PASS", "DP=100", "GT:AD:DP", "0/1:50,50:100"]],
                     samples=("S1",), build=build, chr_prefix=build is Build.GRCH38)
    rep = classify([str(path)], Options(build=build.value))
    (sample,) = rep["samples"]
    assert sample["findings"] == [] and sample["risk"]["level"] == "none-detected"
    (v,) = sample["other_variants"]
    return v


@pytest.mark.parametrize("build", [Build.GRCH37, Build.GRCH38], ids=str)
def test_jak3_vus_in_jh1_reports_the_kinase_domain(tmp_path, build):
    v = _vus(tmp_path, build, JAK3_W993_C1[build])
    assert (v["gene"], v["transcript"], v["hgvsc"]) == ("JAK3", "NM_000215.4", "c.2977T>C")
    assert v["classification"] == "uncertain-significance" and v["domain"] == "JH1 kinase"
    assert v["hgvsp"] in (None, "p.(Trp993Arg)")


@pytest.mark.parametrize("build", [Build.GRCH37, Build.GRCH38], ids=str)
def test_jak3_vus_after_jh1_is_outside_the_bundled_domains(tmp_path, build):
    v = _vus(tmp_path, build, JAK3_W1099_C1[build])
    assert (v["gene"], v["hgvsc"]) == ("JAK3", "c.3295T>C")
    assert v["domain"] == "outside the bundled domains"


@pytest.mark.parametrize("build", [Build.GRCH37, Build.GRCH38], ids=str)
def test_il7r_vus_in_the_transmembrane_helix_reports_it(tmp_path, build):
    v = _vus(tmp_path, build, IL7R_C261_C1[build], contig="5", ref="T", alt="C")
    assert (v["gene"], v["transcript"], v["hgvsc"]) == ("IL7R", "NM_002185.5", "c.781T>C")
    assert v["classification"] == "uncertain-significance" and v["domain"] == "transmembrane"


# SH2B3 (plus strand, NM_005475.3): first base of codon 400 (SH2, 364-462) and of codon 350 (between PH and SH2).
# No bundled SH2B3 sequence: REF is as written here, not checked against a genome (jakcli does not check it
# without --reference); the tests assert position and domain only.
SH2B3_C400_1 = {Build.GRCH37: 111885310, Build.GRCH38: 111447506}
SH2B3_C350_1 = {Build.GRCH37: 111885160, Build.GRCH38: 111447356}


@pytest.mark.parametrize("build", [Build.GRCH37, Build.GRCH38], ids=str)
def test_sh2b3_vus_in_the_sh2_domain_reports_it(tmp_path, build):
    v = _vus(tmp_path, build, SH2B3_C400_1[build], contig="12", ref="G", alt="A")
    assert (v["gene"], v["transcript"], v["hgvsc"]) == ("SH2B3", "NM_005475.3", "c.1198G>A")
    assert v["classification"] == "uncertain-significance" and v["domain"] == "SH2"


@pytest.mark.parametrize("build", [Build.GRCH37, Build.GRCH38], ids=str)
def test_sh2b3_vus_between_ph_and_sh2_is_outside_the_bundled_domains(tmp_path, build):
    v = _vus(tmp_path, build, SH2B3_C350_1[build], contig="12", ref="G", alt="A")
    assert (v["gene"], v["hgvsc"]) == ("SH2B3", "c.1048G>A")
    assert v["domain"] == "outside the bundled domains"


# MPL (plus strand, NM_005373.3) and CRLF2 (minus strand, PAR1, NM_022148.4): first base of a codon, REF as in
# knowledge/sources/sequences/verified_cds.fa (MPL codon 420 GAG Glu, codon 300 ACC Thr; CRLF2 codon 150 GTT Val).
# Domains: RefSeq/CDD Region features tabulated by maftools (MPL FN3 392-485, EpoR ligand-binding 25-128; CRLF2 FN3
# 119-188); codon 300 of MPL lies between them.
MPL_E420_C1 = {Build.GRCH37: 43812555, Build.GRCH38: 43346884}
MPL_T300_C1 = {Build.GRCH37: 43806102, Build.GRCH38: 43340431}
CRLF2_V150_C1 = {Build.GRCH37: 1321307, Build.GRCH38: 1202437}


RECEPTOR_VUS = [  # (positions by build, contig, REF, ALT, gene, transcript, c., domain)
    (MPL_E420_C1, "1", "G", "A", "MPL", "NM_005373.3", "c.1258G>A", "Fibronectin type-III (cd00063)"),
    (MPL_T300_C1, "1", "A", "G", "MPL", "NM_005373.3", "c.898A>G", "outside the bundled domains"),
    (CRLF2_V150_C1, "X", "C", "T", "CRLF2", "NM_022148.4", "c.448G>A", "Fibronectin type-III (cd00063)")]


@pytest.mark.parametrize("build", [Build.GRCH37, Build.GRCH38], ids=str)
@pytest.mark.parametrize(("pos", "contig", "ref", "alt", "gene", "tx", "hgvsc", "domain"), RECEPTOR_VUS,
                         ids=["MPL-E420K", "MPL-T300A", "CRLF2-V150I"])
def test_receptor_vus_reports_its_refseq_cdd_domain_or_none(tmp_path, build, pos, contig, ref, alt, gene, tx, hgvsc,
                                                            domain):
    v = _vus(tmp_path, build, pos[build], contig=contig, ref=ref, alt=alt)
    assert (v["gene"], v["transcript"], v["hgvsc"]) == (gene, tx, hgvsc)
    assert v["classification"] == "uncertain-significance" and v["domain"] == domain
