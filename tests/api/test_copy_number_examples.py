"""Every bundled copy-number rule example, written as a real generic segment TSV and classified
(reader -> target calls -> rules -> report), in its build and sex. Positive examples must yield the
rule (for ``par1-deletion``: the ``crlf2-p2ry8-fusion`` finding with its copy-number evidence);
negative examples must not."""

from __future__ import annotations

import re

import pytest

from jakcli.classify import Options, classify
from jakcli.ruleset.loader import bundled_rules_dir, load_ruleset, read_yaml

RULESET = load_ruleset()
CN = {r.id for r in RULESET.by_input("copy-number")}
SEG = re.compile(r"^((?:chr)?[0-9XY]+):(\d+)-(\d+) (?:log2 (-?[0-9.]+)|copy number ([0-9.]+))")


def _examples():
    for rid in sorted(CN):
        doc = read_yaml(bundled_rules_dir() / f"{rid}.yaml")
        for kind in ("positive", "negative"):
            for i, ex in enumerate(doc["examples"][kind]):
                yield pytest.param(rid, kind, ex, id=f"{rid}-{kind}-{i}")


def test_every_copy_number_rule_has_both_kinds_of_example_in_both_builds():
    for rid in CN:
        params = [p.values for p in _examples() if p.values[0] == rid]
        assert {(k, ex["build"]) for _r, k, ex in params} == {(k, b) for k in ("positive", "negative")
                                                              for b in ("GRCh37", "GRCh38")}, rid


@pytest.mark.parametrize("rule_id, kind, example", list(_examples()))
def test_copy_number_example_through_a_segment_file(tmp_path, rule_id, kind, example):
    rows = ["sample\tchrom\tstart\tend\tlog2\tcopy_number"]
    for part in example["segments"].split("; "):
        chrom, start, end, log2, cn = SEG.match(part).groups()
        rows.append(f"EX\t{chrom}\t{start}\t{end}\t{log2 or 'NA'}\t{cn or 'NA'}")
    path = tmp_path / "seg.tsv"
    path.write_text("\n".join(rows) + "\n")
    rep = classify([], Options(build=example["build"], sex=example.get("sex", "female")), cnvs=[str(path)])
    (s,) = rep["samples"]
    lesion = RULESET.rules[rule_id].lesion
    hits = [f for f in s["findings"] if f["rule_id"] == (lesion or rule_id)
            and any(e.get("matched_rule") == rule_id for e in f["evidence"])]
    assert bool(hits) == (kind == "positive"), (example, s["copy_number"]["rules"])
    if kind == "positive":
        assert s["copy_number"]["rules"][rule_id] == "present"
