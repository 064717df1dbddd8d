"""A no-call (GT ./.) is not depth evidence: a record's depth (gVCF DP/MIN_DP, or FORMAT DP under an
unreadable header restriction) says the caller looked, its missing genotype says it called nothing, so
absence is not shown. Built from the real Mutect2 JAK2 file (../shared/realdata): its V617F record
(AD 130,35, DP 165) with the genotype removed, deepened tenfold so depth alone would pass the 913x floor."""

from __future__ import annotations

import pytest

from jakcli.classify import Options, classify

GVCF_LINES = ['##ALT=<ID=*,Description="Represents allele(s) other than observed.">',
              '##INFO=<ID=END,Number=1,Type=Integer,Description="End position">',
              '##FORMAT=<ID=MIN_DP,Number=1,Type=Integer,Description="Minimum DP observed within the GVCF block.">']


def _v617f_only(realdata, tmp_path, gt: str, gvcf: bool) -> str:
    out = []
    for line in (realdata / "mutect2_WP043_JAK2_GRCh37.vcf").read_text().splitlines():
        if line.startswith("#CHROM") and gvcf:
            out += GVCF_LINES
        if line.startswith("#"):
            out.append(line)
            continue
        f = line.split("\t")
        if f[1] != "5073770":
            continue
        f[9] = f"{gt}:1300,350:0.241:1650:12,3:25,4:35,95,5,30"
        if gvcf:  # reference blocks either side, as DeepVariant writes them
            out.append(f"9\t5073700\t.\tA\t<*>\t0\t.\tEND=5073769\tGT:MIN_DP\t0/0:1200")
        out.append("\t".join(f))
        if gvcf:
            out.append(f"9\t5073771\t.\tT\t<*>\t0\t.\tEND=5073900\tGT:MIN_DP\t0/0:1200")
    path = tmp_path / f"v617f_{gt.replace('/', '')}_{'g' if gvcf else 'p'}.vcf"
    path.write_text("\n".join(out) + "\n")
    return str(path)


def _v617f_locus(path: str) -> tuple[dict, dict]:
    (sample,) = classify([path], Options(profile="mpn"))["samples"]
    (locus,) = [x for x in sample["loci"] if x["rule_id"] == "jak2-v617f"]
    return locus, sample


def test_gvcf_no_call_with_alt_reads_is_not_assessed(realdata, tmp_path):
    """Before: 'assessed' at depth 1650 and 'Triple-negative' although 350 reads showed V617F."""
    locus, sample = _v617f_locus(_v617f_only(realdata, tmp_path, "./.", gvcf=True))
    assert (locus["status"], locus["source"]) == ("not-assessed", "gvcf")
    assert "no genotype" in locus["note"]
    assert sample["risk"]["level"] != "none-detected"


@pytest.mark.parametrize("gvcf", [True, False])
def test_called_genotype_still_counts(realdata, tmp_path, gvcf):
    locus, sample = _v617f_locus(_v617f_only(realdata, tmp_path, "0/0", gvcf=gvcf))
    assert locus["status"] == "assessed" and locus["depth"] in (1200, 1650)
    assert sample["findings"] == []


def test_vcf_record_credit_ignores_a_no_call(realdata, tmp_path):
    """The Mutect2 header names an interval file jakcli cannot read; a record at the locus lifts that
    restriction, but its DP must not make a no-call 'assessed'."""
    locus, _sample = _v617f_locus(_v617f_only(realdata, tmp_path, "./.", gvcf=False))
    assert locus["status"] != "assessed" and locus["depth"] is None
