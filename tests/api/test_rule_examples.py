"""Every bundled rule example, written as a real one-record VCF (small variants) or a one-row generic
fusion table (rearrangements) and classified.

Positive examples must yield exactly that rule (and the named alteration); negative examples must
not yield it. This runs the whole reader -> engine -> report path, not the matcher alone.
"""

from __future__ import annotations

import pytest

from jakcli.classify import Options, classify
from jakcli.model import Build
from jakcli.ruleset.loader import bundled_rules_dir, load_ruleset, read_yaml

from support import rec, write_vcf

RULESET = load_ruleset()


def _examples(subject: str = "variant"):
    """(rule id, kind, example) of every bundled example that gives a ``variant`` or a ``fusion``."""
    for path in sorted(bundled_rules_dir().glob("*.yaml")):
        if path.name == "ruleset.yaml":
            continue
        doc = read_yaml(path)
        for kind in ("positive", "negative"):
            for i, ex in enumerate(doc["examples"][kind]):
                if subject in ex:
                    yield pytest.param(doc["id"], kind, ex, id=f"{doc['id']}-{kind}-{i}")


def test_every_small_variant_rule_has_both_kinds_of_example():
    ids = {p.values[0] for p in _examples()}
    small = {r.id for r in RULESET.rules.values() if r.input_class == "small-variant"}
    assert small <= ids
    for rid in small:
        kinds = {p.values[1] for p in _examples() if p.values[0] == rid}
        assert kinds == {"positive", "negative"}, rid


@pytest.mark.parametrize("rule_id,kind,example", list(_examples()))
def test_rule_example_through_vcf(tmp_path, rule_id, kind, example):
    chrom, pos, ref, alt = example["variant"].split(":")
    build = Build(example["build"])
    gt = example.get("genotype", "0/1")
    alt_reads = round(example.get("vaf", 0.4) * 1000)
    vcf = write_vcf(tmp_path / "ex.vcf", [rec(chrom, pos, ref, alt, f"{gt}:{1000 - alt_reads},{alt_reads}:1000")],
                    build=build, chr_prefix=chrom.startswith("chr"))
    report = classify([str(vcf)], Options(build="auto"), ruleset=RULESET)
    assert report["genome_build"] == build.value
    hits = [f for f in report["samples"][0]["findings"] if f["rule_id"] == rule_id]
    if kind == "positive":
        assert len(hits) == 1, f"{rule_id} should match {example['variant']}"
        if "alteration" in example:
            assert hits[0]["alteration"] == example["alteration"]
        assert hits[0]["vaf"] == pytest.approx(example.get("vaf", 0.4))
    else:
        assert hits == [], f"{rule_id} must not match {example['variant']}: {example.get('why')}"


def test_every_rearrangement_rule_has_both_kinds_of_example():
    rearr = {r.id for r in RULESET.rules.values() if r.input_class == "rearrangement"}
    for rid in rearr:
        assert {p.values[1] for p in _examples("fusion") if p.values[0] == rid} == {"positive", "negative"}, rid


@pytest.mark.parametrize("rule_id,kind,example", list(_examples("fusion")))
def test_rule_example_through_fusion_table(tmp_path, rule_id, kind, example):
    """Each fusion example as a row of a generic fusion table (docs: README, Fusion tables)."""
    gene5, gene3 = example["fusion"].split("--")
    bp5, bp3 = example["breakpoints"].split("--") if "breakpoints" in example else (".", ".")
    reads = example.get("reads", RULESET.rules[rule_id].fusion.min_supporting_reads)
    table = tmp_path / "fusions.tsv"
    table.write_text("sample\tgene5\tgene3\tbreakpoint5\tbreakpoint3\treads\tconfidence\n"
                     f"EX\t{gene5}\t{gene3}\t{bp5}\t{bp3}\t{reads}\t{example.get('confidence', '.')}\n")
    report = classify([], Options(build=example["build"]), ruleset=RULESET, fusions=[str(table)])
    (sample,) = report["samples"]
    hits = [f for f in sample["findings"] if f["rule_id"] == rule_id]
    if kind == "positive":
        assert len(hits) == 1, f"{rule_id} should report {example['fusion']}"
        assert hits[0]["evidence"][0]["evidence"] == "RNA"
    else:
        assert hits == [], f"{rule_id} must not report {example['fusion']}: {example.get('why')}"
