"""``--cnv``/``--sex`` on classify, the manifest column ``cnv`` in batch, lint of copy-number rules."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from jakcli.cli import cli
from jakcli.ruleset.loader import bundled_rules_dir

ROOT = Path(__file__).resolve().parents[2]
CNS = ROOT / "tests" / "fixtures" / "cnv" / "cnvkit_ikzf1plus_grch38.cns"


def test_classify_cnv_and_sex(runner):
    res = runner.invoke(cli, ["classify", "--cnv", f"S1={CNS}", "--build", "GRCh38", "--sex", "male",
                              "--format", "json"])
    assert res.exit_code == 0, res.output
    rep = json.loads(res.stdout)
    s = rep["samples"][0]
    assert "IKZF1plus" in s["risk"]["label"] and s["copy_number"]["sex_source"] == "given (--sex)"
    assert rep["options"]["sex"] == "male" and rep["inputs"][0]["kind"] == "cnv:cnvkit-cns"


def test_classify_cnv_without_build_is_a_one_line_error(runner):
    res = runner.invoke(cli, ["classify", "--cnv", f"S1={CNS}"])
    assert res.exit_code == 2 and "--build" in res.output


def test_classify_cnv_bad_file_is_a_one_line_error(runner, tmp_path):
    bad = tmp_path / "x.tsv"
    bad.write_text("foo\tbar\n1\t2\n")
    res = runner.invoke(cli, ["classify", "--cnv", f"S1={bad}", "--build", "GRCh38"])
    assert res.exit_code == 2 and "unknown copy-number format" in res.output and "Traceback" not in res.output


def test_batch_manifest_cnv_column(runner, tmp_path):
    (tmp_path / "m.tsv").write_text(f"sample\tvcf\tcnv\nS1\t\t{CNS}\n")
    res = runner.invoke(cli, ["batch", str(tmp_path / "m.tsv"), "-o", str(tmp_path / "out"), "--build", "GRCh38"])
    assert res.exit_code == 0, res.output
    rep = json.loads((tmp_path / "out" / "reports" / "S1.json").read_text())
    assert "IKZF1plus" in rep["samples"][0]["risk"]["label"]


def test_lint_checks_copy_number_targets_in_both_builds(runner, tmp_path):
    d = tmp_path / "lab"
    d.mkdir()
    text = (bundled_rules_dir() / "pax5-deletion.yaml").read_text()
    (d / "pax5-deletion.yaml").write_text(text.replace("target: PAX5", "target: PAX9") + "overrides: true\n")
    shutil.copy(bundled_rules_dir() / "ruleset.yaml", d / "ruleset.yaml")
    res = runner.invoke(cli, ["rules", "lint", str(d)])
    assert res.exit_code != 0 and "JK007" in res.output and "PAX9" in res.output
