"""DeepVariant's FORMAT VAF (Number=A) gives the allele fraction when AD is absent (a file whose AD
was stripped, e.g. bcftools annotate -x FORMAT/AD). Built from the real Mutect2 JAK2 V617F record
(../shared/realdata) rewritten as DeepVariant writes it (GT:GQ:DP:VAF:PL)."""

from __future__ import annotations

import pytest

from jakcli.classify import Options, classify
from support import MUTECT2_JAK2, rewrite_vcf

VAF_LINE = '##FORMAT=<ID=VAF,Number=A,Type=Float,Description="Variant allele fractions.">'


def test_format_vaf_without_ad(realdata, tmp_path):
    def edit(f: list[str]) -> list[str]:
        f[8], f[9] = "GT:GQ:DP:VAF:PL", "0/1:40:165:0.212121:40,0,50"
        return f

    vcf = rewrite_vcf(realdata / MUTECT2_JAK2, tmp_path / "dv.vcf", edit, (VAF_LINE,))
    (f,) = classify([vcf], Options())["samples"][0]["findings"]
    assert (f["rule_id"], f["vaf_source"], f["depth"]) == ("jak2-v617f", "VAF", 165)
    assert f["vaf"] == pytest.approx(0.2121, abs=1e-4)
