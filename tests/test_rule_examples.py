"""Every bundled small-variant rule example, written as a real one-record VCF and classified.

Positive examples must yield exactly that rule (and the named alteration); negative examples must
not yield it. This runs the whole reader -> engine -> report path, not the matcher alone.
"""

from __future__ import annotations

import pytest

from jakcli.classify import Options, classify
from jakcli.model import Build
from jakcli.ruleset import bundled_rules_dir, load_ruleset, read_yaml

from conftest import rec, write_vcf

RULESET = load_ruleset()


def _examples():
    for path in sorted(bundled_rules_dir().glob("*.yaml")):
        if path.name == "ruleset.yaml":
            continue
        doc = read_yaml(path)
        for kind in ("positive", "negative"):
            for i, ex in enumerate(doc["examples"][kind]):
                if "variant" in ex:
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
