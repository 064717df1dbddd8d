"""FORMAT FT, the per-sample genotype filter (Strelka2 germline, GATK VariantFiltration
--genotype-filter-expression, DRAGEN joint calls): a genotype the caller filtered is held back like a
FILTERed record (named on its locus, counted), and reported with --include-filtered. Built from the
real Mutect2 JAK2 file (../shared/realdata) with an FT field added."""

from __future__ import annotations

import pytest

from jakcli.classify import Options, classify
from support import MUTECT2_JAK2, rewrite_vcf

FT_LINE = '##FORMAT=<ID=FT,Number=1,Type=String,Description="Sample filter">'


def _with_ft(realdata, tmp_path, value: str) -> str:
    def edit(f: list[str]) -> list[str]:
        f[8] += ":FT"
        f[9] += ":" + (value if f[1] == "5073770" else "PASS")
        return f

    return rewrite_vcf(realdata / MUTECT2_JAK2, tmp_path / f"ft_{value.replace(';', '_')}.vcf", edit, (FT_LINE,))


@pytest.mark.parametrize("value", ["LowGQX", "LowDepth;LowGQX"])
def test_filtered_genotype_is_held_back_and_named(realdata, tmp_path, value):
    rep = classify([_with_ft(realdata, tmp_path, value)], Options(profile="mpn"))
    (sample,) = rep["samples"]
    assert sample["findings"] == [] and sample["calls_below_floor"] == 1
    assert rep["stats"]["calls_below_evidence_floor"] == {"sample_filter": 1}
    (locus,) = [x for x in sample["loci"] if x["rule_id"] == "jak2-v617f"]
    assert f"genotype filtered by the caller: FT={value}" in locus["note"]


def test_filtered_genotype_is_reported_with_include_filtered(realdata, tmp_path):
    rep = classify([_with_ft(realdata, tmp_path, "LowGQX")], Options(profile="mpn", include_filtered=True))
    (f,) = rep["samples"][0]["findings"]
    assert (f["rule_id"], f["alt_reads"], f["depth"]) == ("jak2-v617f", 35, 165)


def test_ft_pass_and_missing_are_calls(realdata, tmp_path):
    for value in ("PASS", "."):
        rep = classify([_with_ft(realdata, tmp_path, value)], Options(profile="mpn"))
        assert [f["rule_id"] for f in rep["samples"][0]["findings"]] == ["jak2-v617f"]
