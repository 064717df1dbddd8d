"""A multi-nucleotide record that spells an allele rule's amino-acid change in one codon is that rule's
finding (before: only a catalogue finding, so the risk call said 'Triple-negative' beside it). Built
from the real Mutect2 JAK2 V617F record (../shared/realdata), its ALT rewritten over codon 617 (GTC),
in both builds (V617F is 9:5073770 in GRCh37 and GRCh38)."""

from __future__ import annotations

import pytest

from jakcli.classify import Options, classify
from support import MUTECT2_JAK2, rewrite_vcf


def _codon_617(realdata, tmp_path, alt: str, build: str) -> str:
    def edit(f: list[str]) -> list[str] | None:
        if f[1] != "5073770":
            return None
        f[3], f[4] = "GTC", alt
        f[9] = "0/1:1300,350:0.241:1650:12,3:25,4:35,95,5,30"
        return f

    keep = (lambda line: not line.startswith("##contig")) if build == "GRCh38" else (lambda line: True)
    # GRCh38: the GRCh37 contig lengths dropped, the build is then given
    return rewrite_vcf(realdata / MUTECT2_JAK2, tmp_path / f"codon617_{alt}_{build}.vcf", edit, keep_header=keep)


@pytest.mark.parametrize("build", ["GRCh37", "GRCh38"])
def test_mnv_giving_v617f_is_the_rule_finding(realdata, tmp_path, build):
    rep = classify([_codon_617(realdata, tmp_path, "TTT", build)], Options(profile="mpn", build=build))
    (sample,) = rep["samples"]
    (f,) = sample["findings"]
    assert (f["rule_id"], f["alteration"], f["ref"], f["alt"], f["hgvsp"]) == \
        ("jak2-v617f", "p.V617F", "GTC", "TTT", "p.(Val617Phe)")
    assert f["alt_reads"] == 350 and f["depth"] == 1650
    assert sample["risk"]["level"] != "none-detected" and "triple" not in sample["risk"]["label"].lower()


@pytest.mark.parametrize("build", ["GRCh37", "GRCh38"])
@pytest.mark.parametrize("alt", ["TTG", "ATT"])  # V617L, V617I: G>T or G>A at c.1849 but not Phe
def test_mnv_giving_another_residue_is_not_v617f(realdata, tmp_path, build, alt):
    rep = classify([_codon_617(realdata, tmp_path, alt, build)], Options(profile="mpn", build=build))
    (sample,) = rep["samples"]
    assert not [f for f in sample["findings"] if f["rule_id"] == "jak2-v617f"]


def test_mnv_finding_is_tagged_in_the_annotated_vcf(realdata, tmp_path):
    """Before: --format vcf stopped with exit 70 (the finding could not be placed on its record)."""
    import pysam

    from jakcli.ruleset.loader import load_ruleset
    from jakcli.writers.vcf import write_annotated_vcf

    src = _codon_617(realdata, tmp_path, "TTT", "GRCh37")
    out = tmp_path / "tagged.vcf"
    write_annotated_vcf(src, str(out), classify([src], Options()), load_ruleset(), "test")
    with pysam.VariantFile(str(out)) as vf:
        (rec,) = list(vf)
    assert rec.info["JAKCLI_RULE"] == ("jak2-v617f",)
    assert rec.samples["WP043"]["JAKCLI_HIT"] == "jak2-v617f"
