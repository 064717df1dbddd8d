"""The real third-party files in ../shared/realdata (skipped with a reason when absent)."""

from __future__ import annotations

import pytest

from jakcli.classify import Options, classify
from jakcli.errors import InputError
from support import findings


def test_mutect2_yields_exactly_one_v617f(realdata):
    rep = classify([str(realdata / "mutect2_WP043_JAK2_GRCh37.vcf")], Options())
    assert rep["genome_build"] == "GRCh37"
    (sample,) = rep["samples"]
    assert sample["sample"] == "WP043"
    (f,) = sample["findings"]
    assert (f["rule_id"], f["alteration"], f["chrom"], f["pos"], f["ref"], f["alt"]) == \
        ("jak2-v617f", "p.V617F", "9", 5073770, "G", "T")
    assert f["vaf"] == pytest.approx(35 / 165, abs=1e-4) and f["vaf_source"] == "AD"
    assert f["depth"] == 165 and f["alt_reads"] == 35
    st = rep["stats"]
    # issue 12: the panel genes' coding exons are read too; JAK2 c.813A>G is listed as a VUS
    assert st["records_read"] == 22 and st["records_evaluated"] == 2
    assert st["skipped"] == {"outside_target_regions": 20}
    assert [(v["gene"], v["hgvsc"]) for v in sample["other_variants"]] == [("JAK2", "c.813A>G")]
    assert sample["risk"]["level"] == "intermediate"


def test_1000g_629_samples_have_no_finding(realdata):
    path = str(realdata / "1000G_pilot_629samples_chr2_GRCh37.vcf.gz")
    with pytest.raises(InputError, match="cannot determine the genome build"):
        classify([path], Options())  # no ##contig or ##reference: never guess
    rep = classify([path], Options(build="GRCh37"))
    assert len(rep["samples"]) == 629
    assert all(s["findings"] == [] for s in rep["samples"])
    assert {s["risk"]["level"] for s in rep["samples"]} == {"none-detected"}
    assert rep["stats"]["records_read"] == 381
    assert rep["stats"]["records_read"] == rep["stats"]["records_evaluated"] + sum(rep["stats"]["skipped"].values())
    assert any("no ##contig lines" in w for w in rep["warnings"])


def test_manta_breakends_are_counted_not_lost(realdata):
    rep = classify([str(realdata / "manta_HCC1954_somaticSV_GRCh37.vcf.gz")], Options())
    assert rep["genome_build"] == "GRCh37"
    assert all(s["findings"] == [] for s in rep["samples"])
    st = rep["stats"]
    # chr8/chr11 only: no record lies at a JAK-STAT locus, every one is counted
    assert st["records_read"] == 6 and st["skipped"] == {"outside_target_regions": 6}
    # only chr8 and chr11 are in the header: the JAK-STAT loci were not covered
    assert {s["risk"]["level"] for s in rep["samples"]} == {"not-assessable"}


def test_isaac_trio_par_haploid_calls(realdata):
    rep = classify([str(realdata / "isaac_trio_hg19_with_PAR.vcf.gz")], Options())
    assert rep["genome_build"] == "GRCh37" and len(rep["samples"]) == 3
    assert rep["stats"]["records_read"] == 2082
    assert all(s["findings"] == [] for s in rep["samples"])


def test_pcgr_grch38_without_chr(realdata):
    rep = classify([str(realdata / "pcgr_T001-COAD_GRCh38.vcf.gz")], Options())
    assert rep["genome_build"] == "GRCh38"
    assert "liftOverChainFile" in rep["genome_build_evidence"]
    assert rep["stats"]["records_read"] == 3313


def test_snpeff_real_file_parses(realdata):
    rep = classify([str(realdata / "snpeff_annotated_example.vcf")], Options())
    st = rep["stats"]
    assert rep["genome_build"] == "GRCh37" and st["records_read"] == 10
    # none of its records lies at a JAK-STAT locus: all counted, none decoded
    assert st["records_evaluated"] == 0 and st["skipped"] == {"outside_target_regions": 10}
    assert findings(rep) == []

