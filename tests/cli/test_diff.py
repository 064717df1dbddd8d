"""jakcli diff on two real ruleset versions (a lab copy of a bundled rule, edited) and on batch folders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from jakcli.classify import classify
from jakcli.cli import cli
from jakcli.diff import diff_sides, load_side
from jakcli.model import Options
from jakcli.ruleset import load_ruleset
from jakcli.writers.text import to_json
from support import COHORT, REPO, SAMPLE_DATA

SD = SAMPLE_DATA
VCF = str(COHORT)


def lab_override(tmp_path: Path) -> Path:
    """A lab rule set that overrides jak1-pseudokinase: version 2, class likely-oncogenic."""
    lab = tmp_path / "lab"
    lab.mkdir()
    (lab / "ruleset.yaml").write_text('name: lab-reclass\nversion: "2026.12.0"\n')
    text = (REPO / "rules" / "jak1-pseudokinase.yaml").read_text()
    text = text.replace("version: 1\n", "version: 2\noverrides: true\n", 1)
    text = text.replace("classification: oncogenic", "classification: likely-oncogenic", 1)
    (lab / "jak1-pseudokinase.yaml").write_text(text)
    return lab


def test_reclassification_by_a_lab_override(tmp_path, runner):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    assert runner.invoke(cli, ["classify", VCF, "--format", "json", "-o", str(old)]).exit_code == 0
    lab = lab_override(tmp_path)
    assert runner.invoke(cli, ["classify", VCF, "--rules", str(lab), "--format", "json", "-o", str(new)]).exit_code == 0
    res = runner.invoke(cli, ["diff", str(old), str(new), "--format", "json"])
    assert res.exit_code == 0, res.output
    result = json.loads(res.output)
    assert result["ruleset_changed"] and result["old"]["rulesets"] != result["new"]["rulesets"]
    changed = {s["sample"]: s for s in result["samples"] if s["changed"]}
    assert set(changed) == {"BALL_IL7R", "TALL_JAK1_JAK3"}  # the two samples with JAK1 JH2 findings
    fields = {(c["field"], c["old"], c["new"]) for r in changed["TALL_JAK1_JAK3"]["reclassified"] for c in r["fields"]}
    assert fields == {("rule_version", 1, 2), ("classification", "oncogenic", "likely-oncogenic")}
    assert not changed["BALL_IL7R"]["lost"] and not changed["BALL_IL7R"]["gained"]
    fail = runner.invoke(cli, ["diff", str(old), str(new), "--fail-on-change", "--format", "tsv"])
    assert fail.exit_code == 1
    rows = [line.split("\t") for line in fail.output.strip().split("\n")]
    assert rows[0][:3] == ["sample", "change", "field"] and rows[1][1] == "ruleset"
    assert sum(r[1] == "reclassified" for r in rows) == 2 * 3  # two fields x three JAK1 findings
    same = runner.invoke(cli, ["diff", str(old), str(old), "--fail-on-change"])
    assert same.exit_code == 0 and "no sample changed" in same.output


def test_a_raised_floor_loses_findings_and_changes_the_level(tmp_path):
    """A full copy of the bundled rules with jak2-v617f edited (version 2, floor VAF 0.99)."""
    rules = tmp_path / "rules"
    shutil.copytree(REPO / "rules", rules)
    rule = rules / "jak2-v617f.yaml"
    text = rule.read_text().replace("version: 1\n", "version: 2\n", 1)
    edited = text.replace("reporting_floor:\n  vaf: 0.01\n", "reporting_floor:\n  vaf: 0.99\n", 1)
    assert edited != text, "the rule's floor was not found to edit"
    rule.write_text(edited)
    (rules / "ruleset.yaml").write_text('name: jakcli-bundled\nversion: "2026.11.2"\n')
    old = classify([VCF], Options())
    new = classify([VCF], Options(), ruleset=load_ruleset([rules], include_bundled=False))
    (tmp_path / "a.json").write_text(to_json(old))
    (tmp_path / "b.json").write_text(to_json(new))
    result = diff_sides(load_side(tmp_path / "a.json"), load_side(tmp_path / "b.json"))
    s = next(s for s in result["samples"] if s["sample"] == "MPN_V617F_HIGH")
    assert [f["rule_id"] for f in s["lost"]] == ["jak2-v617f"] and not s["gained"]
    assert s["level"] == {"old": "intermediate", "new": "none-detected"}
    assert result["summary"]["changed"] == 1 and result["any_change"]
    assert result["new"]["rulesets"][0]["version"] == "jakcli-bundled@2026.11.2"


def test_batch_folders_and_reanalyse(tmp_path, runner):
    manifest = tmp_path / "m.tsv"
    lines = (SD / "manifest.tsv").read_text().splitlines()
    manifest.write_text("\n".join(lines[:4]) + "\n")  # three samples
    for rel in ("cohort_grch38.vcf.gz", "cohort_grch38.vcf.gz.tbi", "BALL_CRLF2_JAK2.arriba.fusions.tsv",
                "BALL_CRLF2_JAK2.manta.somaticSV.vcf"):
        shutil.copy(SD / rel, tmp_path / rel)
    a, b = tmp_path / "a", tmp_path / "b"
    assert runner.invoke(cli, ["batch", str(manifest), "-o", str(a), "--jobs", "1"]).exit_code == 0
    lab = lab_override(tmp_path)
    res = runner.invoke(cli, ["batch", str(manifest), "-o", str(b), "--jobs", "1", "--rules", str(lab),
                              "--reanalyse", str(a), "--cbioportal"])
    assert res.exit_code == 0, res.output
    changes = (b / "changes.tsv").read_text().strip().split("\n")
    assert any(line.startswith("BALL_IL7R\treclassified\tclassification\toncogenic\tlikely-oncogenic") for line in changes)
    assert (b / "cbioportal" / "GRCh38" / "data_mutations.txt").is_file()
    manifest.write_text("\n".join(lines[:3]) + "\n")  # TALL_JAK1_JAK3 dropped from the new run
    c = tmp_path / "c"
    assert runner.invoke(cli, ["batch", str(manifest), "-o", str(c), "--jobs", "1"]).exit_code == 0
    out = runner.invoke(cli, ["diff", str(a), str(c), "--format", "json", "--fail-on-change"])
    assert out.exit_code == 1
    assert json.loads(out.output)["only_in_old"] == ["TALL_JAK1_JAK3"]
    txt = runner.invoke(cli, ["diff", str(a), str(c)])
    assert "only in OLD: TALL_JAK1_JAK3" in txt.output


@pytest.mark.parametrize("bad", ["notjson", "{}"])
def test_bad_input_is_one_line_exit_2(tmp_path, runner, bad):
    p = tmp_path / "x.json"
    p.write_text(bad)
    res = runner.invoke(cli, ["diff", str(p), str(p)])
    assert res.exit_code == 2 and "jakcli: error:" in res.output and "Traceback" not in res.output
    empty = tmp_path / "d"
    empty.mkdir()
    res = runner.invoke(cli, ["diff", str(empty), str(p)])
    assert res.exit_code == 2 and "no cohort.json" in res.output
