"""A tumour-normal small-variant VCF reports both columns; a finding in the ##normal_sample column is
named as the matched normal's, so it is not read as a second patient's result."""

from __future__ import annotations

import pytest

from jakcli.classify import Options, classify
from jakcli.model import Build
from support import rec, write_vcf

HEADER = ("##tumor_sample=TUMOR1", "##normal_sample=NORMAL1")


@pytest.mark.parametrize("build", [Build.GRCH37, Build.GRCH38], ids=str)
@pytest.mark.parametrize("normal_gt, warned", [("0/1:120,15:135", True), ("0/0:130,0:130", False)])
def test_a_finding_in_the_matched_normal_is_named(tmp_path, build, normal_gt, warned):
    chrom = "chr9" if build is Build.GRCH38 else "9"
    vcf = write_vcf(tmp_path / "pair.vcf", [rec(chrom, 5073770, "G", "T", "0/1:60,40:100", normal_gt)],
                    samples=("TUMOR1", "NORMAL1"), build=build, chr_prefix=build is Build.GRCH38,
                    extra_header=HEADER)
    rep = classify([str(vcf)], Options(build=build.value))
    about_normal = [w for w in rep["warnings"] if "NORMAL1 is this VCF's ##normal_sample" in w]
    assert bool(about_normal) is warned
    if warned:
        assert "jak2-v617f" in about_normal[0] and "check the pairing" in about_normal[0]
    assert not [w for w in rep["warnings"] if "TUMOR1 is this VCF" in w]
