"""Issue 12 on files: the curated catalogue matched by protein in both builds, germline findings,
polymorphisms, split MNVs, variants of uncertain significance, HGVS names and --reference."""

from __future__ import annotations

import pytest
from support import write_vcf
from support.fasta import write_fasta

from jakcli.classify import Options, classify
from jakcli.errors import InputError
from jakcli.model import Build
from jakcli.ruleset.catalogue import load_catalogue

BUILDS = [Build.GRCH37, Build.GRCH38]
PS = ('##FORMAT=<ID=PS,Number=1,Type=Integer,Description="Phase set">',)


def _run(tmp_path, build, records, samples=("S1",), **opts):
    path = write_vcf(tmp_path / f"in_{build.value}.vcf", records, samples=samples, build=build,
                     chr_prefix=build is Build.GRCH38, fmt_lines=PS)
    return classify([str(path)], Options(build=build.value, **opts))


def _chrom(build, c):
    return f"chr{c}" if build is Build.GRCH38 else c


def _one(tmp_path, build, gene_chrom, pos, ref, alt, gt="0/1", ad="50,50"):
    rep = _run(tmp_path, build, [[_chrom(build, gene_chrom), pos, ".", ref, alt, ".", "PASS", "DP=100",
                                  "GT:AD:DP", f"{gt}:{ad}:100"]])
    return rep["samples"][0]


@pytest.mark.parametrize("build", BUILDS, ids=str)
def test_every_docm_entry_is_flagged_in_its_gene(tmp_path, build):
    cat = load_catalogue()
    docm = [e for e in cat.entries if any(s.startswith("docm@") for s in e.sources) and e.locus(build.value)]
    assert len(docm) >= 24
    loci = sorted({(e.locus(build.value).chrom, e.locus(build.value).pos, e.locus(build.value).ref,
                    e.locus(build.value).alt) for e in docm}, key=lambda x: (x[0], x[1]))
    # one sample per allele: two alleles of one codon in one sample would be merged as a split MNV
    samples = tuple(f"S{i}" for i in range(len(loci)))
    recs = [[_chrom(build, c), p, ".", r, a, ".", "PASS", "DP=100", "GT:AD:DP",
             *("0/1:60,40:100" if j == i else "0/0:100,0:100" for j in range(len(loci)))]
            for i, (c, p, r, a) in enumerate(loci)]
    rep = _run(tmp_path, build, recs, samples=samples)
    found = {(f["gene"], f["pos"]) for s in rep["samples"] for f in s["findings"]}
    missed = [e.id for e in docm if (e.gene, e.locus(build.value).pos) not in found]
    assert not missed
    for f in (f for s in rep["samples"] for f in s["findings"]):
        assert f["transcript"] and f["hgvsc"], f
        assert f["tier"] is not None


@pytest.mark.parametrize("build", BUILDS, ids=str)
def test_catalogue_only_somatic_finding_names_sources(tmp_path, build):
    e = next(x for x in load_catalogue().entries if x.id.startswith("MPL-S505N"))
    loc = e.locus(build.value)
    s = _one(tmp_path, build, loc.chrom, loc.pos, loc.ref, loc.alt)
    (f,) = s["findings"]
    assert f["rule_id"] == f"catalogue:{e.id}" and f["basis"] == "catalogue"
    assert f["catalogue"]["sources"] and f["catalogue"]["evidence"]
    assert f["hgvsc"] == e.hgvsc and f["hgvsp"] == "p.(Ser505Asn)"
    assert s["risk"]["level"] == "none-detected"  # profiles name rules: a catalogue finding does not raise it


@pytest.mark.parametrize("build", BUILDS, ids=str)
def test_germline_thrombocytosis_is_flagged_and_never_raises_risk(tmp_path, build):
    e = next(x for x in load_catalogue().entries if x.id.startswith("JAK2-V617I"))
    loc = e.locus(build.value)
    s = _one(tmp_path, build, loc.chrom, loc.pos, loc.ref, loc.alt, gt="1/1", ad="2,98")
    assert s["findings"] == []
    (g,) = s["germline_findings"]
    assert g["changes_mpn_interpretation"] is True and g["zygosity"] == "homozygous"
    assert g["inheritance"] == "AD" and "thrombocytosis" in g["condition"]
    assert g["tier"]["scheme"] == "ACMG/AMP 2015"
    assert s["risk"]["level"] == "none-detected"


@pytest.mark.parametrize("build", BUILDS, ids=str)
def test_germline_informational_condition(tmp_path, build):
    e = next(x for x in load_catalogue().entries
             if x.gene == "JAK3" and x.origin == "germline" and x.locus(build.value))
    loc = e.locus(build.value)
    s = _one(tmp_path, build, loc.chrom, loc.pos, loc.ref, loc.alt)
    (g,) = s["germline_findings"]
    assert g["changes_mpn_interpretation"] is False and g["zygosity"] == "heterozygous"
    assert g["condition"] == e.condition


@pytest.mark.parametrize("build", BUILDS, ids=str)
def test_polymorphism_is_never_pathogenic(tmp_path, build):
    e = next(x for x in load_catalogue().entries if x.id.startswith("TYK2-I684S"))
    loc = e.locus(build.value)
    s = _one(tmp_path, build, loc.chrom, loc.pos, loc.ref, loc.alt)
    assert s["findings"] == [] and s["germline_findings"] == []
    (v,) = s["other_variants"]
    assert v["classification"] == "polymorphism" and v["tier"]["tier"] == "Tier IV"


@pytest.mark.parametrize("build", BUILDS, ids=str)
def test_v617f_as_mnv_gtc_ttt(tmp_path, build):
    s = _one(tmp_path, build, "9", 5073770, "GTC", "TTT")
    (f,) = s["findings"]
    assert f["gene"] == "JAK2" and f["hgvsp"] == "p.(Val617Phe)" and f["hgvsc"] == "c.1849_1851delinsTTT"
    assert "JAK2-V617F-c1849G>T" in f["catalogue"]["ids"]


def _k539l(build, gts):
    c = _chrom(build, "9")
    return [[c, 5070026, ".", "A", "T", ".", "PASS", "DP=100", "GT:AD:DP:PS", *[g[0] for g in gts]],
            [c, 5070027, ".", "A", "T", ".", "PASS", "DP=100", "GT:AD:DP:PS", *[g[1] for g in gts]]]


@pytest.mark.parametrize("build", BUILDS, ids=str)
def test_split_mnv_k539l_found_only_when_merged(tmp_path, build):
    samples = ("CIS", "UNPHASED", "TRANS")
    gts = [("0|1:60,40:100:7", "0|1:61,39:100:7"), ("0/1:60,40:100:.", "0/1:58,42:100:."),
           ("0|1:60,40:100:7", "1|0:60,40:100:7")]
    rep = _run(tmp_path, build, _k539l(build, gts), samples=samples)
    by = {s["sample"]: s for s in rep["samples"]}
    for name in ("CIS", "UNPHASED"):
        (f,) = by[name]["findings"]
        assert f["rule_id"] == "jak2-exon12-indel" and f["alteration"] == "p.K539L"
        assert f["merged"].startswith("merged from 2 VCF records") and f["hgvsc"] == "c.1615_1616delinsTT"
    assert "phased" in by["CIS"]["findings"][0]["merged"]
    assert by["TRANS"]["findings"] == []
    assert len(by["TRANS"]["other_variants"]) == 2  # each SNV alone: uncertain significance


@pytest.mark.parametrize("build", BUILDS, ids=str)
def test_vus_listed_with_c_on_both_strands_and_hidden_by_no_vus(tmp_path, build):
    # JAK2 (+ strand) c.1850T>G p.V617G; JAK3 (- strand) chr19:17838301 is c.1531 (M511V A>G on the transcript)
    recs = [[_chrom(build, "9"), 5073771, ".", "T", "G", ".", "PASS", "DP=100", "GT:AD:DP", "0/1:50,50:100"]]
    rep = _run(tmp_path, build, recs)
    (v,) = rep["samples"][0]["other_variants"]
    assert (v["gene"], v["hgvsc"], v["hgvsp"], v["exon"]) == ("JAK2", "c.1850T>G", "p.(Val617Gly)", 14)
    assert v["classification"] == "uncertain-significance" and v["domain"] == "JH2 pseudokinase"
    assert rep["samples"][0]["risk"]["level"] == "none-detected"
    if build is Build.GRCH38:
        s = _one(tmp_path, build, "19", 17838301, "T", "C")
        (v,) = s["other_variants"]
        assert (v["gene"], v["hgvsc"], v["hgvsp"]) == ("JAK3", "c.1531A>G", "p.(Met511Val)")
    hidden = _run(tmp_path, build, recs, no_vus=True)
    assert hidden["samples"][0]["other_variants"] == []


def test_reference_fasta_gives_p_of_a_vus_and_a_mismatch_is_exit_2(tmp_path):
    fasta = write_fasta(tmp_path / "g38.fa", "GRCh38", chr_prefix=True, genes=("MPL",))
    # MPL c.1546C>A (codon 516 CAG, not catalogued): p. only from the FASTA
    recs = [["chr1", 43349340, ".", "C", "A", ".", "PASS", "DP=100", "GT:AD:DP", "0/1:50,50:100"]]
    rep = _run(tmp_path, Build.GRCH38, recs, reference=str(fasta))
    (v,) = rep["samples"][0]["other_variants"]
    assert v["gene"] == "MPL" and v["hgvsp"] and v["hgvsp_reason"] is None
    assert rep["reference_fasta"]["genes_verified"] == ["MPL"]
    assert v["hgvsp"] == "p.(Gln516Lys)"
    bad = write_fasta(tmp_path / "bad.fa", "GRCh38", chr_prefix=True, genes=("MPL",), edits={("1", 43338119): "T"})
    with pytest.raises(InputError, match="MPL"):
        _run(tmp_path, Build.GRCH38, recs, reference=str(bad))


def test_two_jak3_m511i_rows_are_told_apart_by_hgvsc():
    from support import COHORT

    rep = classify([str(COHORT)], Options(samples=("TALL_JAK1_JAK3",)))
    m511 = sorted(f["hgvsc"] for f in rep["samples"][0]["findings"] if f["alteration"] == "p.M511I")
    assert m511 == ["c.1533G>A", "c.1533G>T"]


def test_annotated_vcf_with_catalogue_and_merged_findings(tmp_path):
    from jakcli.annotate import classify_to_vcf

    recs = [["chr1", 43349315, ".", "G", "A", ".", "PASS", "DP=100", "GT:AD:DP:PS", "0/1:60,40:100:."],  # MPL S505N
            *_k539l(Build.GRCH38, [("0|1:60,40:100:7", "0|1:61,39:100:7")])]
    e = next(x for x in load_catalogue().entries if x.id.startswith("MPL-S505N"))
    recs[0][1], recs[0][3], recs[0][4] = e.grch38.pos, e.grch38.ref, e.grch38.alt
    recs.sort(key=lambda r: (r[0], r[1]))
    path = write_vcf(tmp_path / "in.vcf", recs, build=Build.GRCH38, fmt_lines=PS)
    rep = classify_to_vcf([str(path)], str(tmp_path / "out.vcf"), "jakcli classify", Options())
    ids = {f["rule_id"] for f in rep["samples"][0]["findings"]}
    assert ids == {f"catalogue:{e.id}", "jak2-exon12-indel"}
    assert (tmp_path / "out.vcf").exists()


def test_rule_allele_is_not_lost_to_merging_with_a_synonymous_snv(tmp_path):
    # V617F (G>T, c.1849, the rule's allele) and c.1851C>T (synonymous alone) in cis: GTC>TTT is still
    # V617F; the allele rule keeps its finding (and the risk level) instead of a catalogue-only finding
    recs = [["chr9", 5073770, ".", "G", "T", ".", "PASS", "DP=100", "GT:AD:DP:PS", "0|1:60,40:100:7"],
            ["chr9", 5073772, ".", "C", "T", ".", "PASS", "DP=100", "GT:AD:DP:PS", "0|1:60,40:100:7"]]
    s = _run(tmp_path, Build.GRCH38, recs)["samples"][0]
    assert [f["rule_id"] for f in s["findings"]] == ["jak2-v617f"]
    assert s["risk"]["level"] == "intermediate"
