"""A plain VCF whose record at a rule locus leaves a sample uncalled (GT ./.) has not shown that
sample's absence there: the locus is not-assessed and risk says so (both builds, the pysam path for a
few samples and the record-text path for a cohort); a called sample and a 0/0 sample are unchanged."""

from __future__ import annotations

import pytest

from jakcli.classify import Options, classify
from jakcli.engine.loci import NO_CALL_NOTE
from jakcli.model import Build
from support import rec, write_vcf

V617F = {Build.GRCH37: ("9", 5073770), Build.GRCH38: ("chr9", 5073770)}


def _locus(sample: dict, rule: str) -> dict:
    return next(e for e in sample["loci"] if e["rule_id"] == rule)


@pytest.mark.parametrize("build", [Build.GRCH37, Build.GRCH38], ids=str)
@pytest.mark.parametrize("n_other", [0, 12], ids=["few-samples", "cohort"])
def test_a_no_call_at_a_rule_locus_is_not_assessed(tmp_path, build, n_other):
    chrom, pos = V617F[build]
    names = ("carrier", "nocall", "ref", *(f"x{i}" for i in range(n_other)))
    gts = ["0/1:50,50:100", "./.:60,0:60", "0/0:100,0:100", *(["0/0:90,0:90"] * n_other)]
    vcf = write_vcf(tmp_path / "c.vcf", [rec(chrom, pos, "G", "T", *gts)], samples=names, build=build,
                    chr_prefix=build is Build.GRCH38)
    by = {s["sample"]: s for s in classify([str(vcf)], Options(build=build.value, profile="mpn"))["samples"]}
    assert [f["rule_id"] for f in by["carrier"]["findings"]] == ["jak2-v617f"]
    assert _locus(by["carrier"], "jak2-v617f")["status"] == "assessed"
    nocall = _locus(by["nocall"], "jak2-v617f")
    assert nocall["status"] == "not-assessed" and nocall["note"].startswith(NO_CALL_NOTE)
    assert any("jak2-v617f" in w for w in by["nocall"]["risk"]["not_assessed"])
    assert by["nocall"]["risk"]["worst_case_level"] != by["nocall"]["risk"]["level"]
    ref = _locus(by["ref"], "jak2-v617f")
    assert ref["status"] == "no-depth-evidence" and NO_CALL_NOTE not in str(ref["note"])
    assert by["ref"]["risk"]["not_assessed"] == by[names[-1]]["risk"]["not_assessed"]


def test_a_no_call_for_another_allele_at_the_locus_counts_too(tmp_path):
    vcf = write_vcf(tmp_path / "c.vcf", [rec("chr9", 5073770, "G", "A", "./.:10,0:10", "0/0:80,0:80")],
                    samples=("nocall", "ref"))
    by = {s["sample"]: s for s in classify([str(vcf)], Options(build="GRCh38"))["samples"]}
    assert _locus(by["nocall"], "jak2-v617f")["status"] == "not-assessed"
    assert _locus(by["ref"], "jak2-v617f")["status"] == "no-depth-evidence"
