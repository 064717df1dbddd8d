"""MultiQC custom content: the files jakcli writes are read by a real MultiQC run, values intact."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pytest

from jakcli.ruleset.loader import load_ruleset
from jakcli.writers.multiqc import BARGRAPH_FILE, TABLE_FILE, multiqc_custom_content

from support import jakcli_subprocess

COHORT = "sample_data/cohort_grch38.vcf.gz"
B_ALL = f"b-all v{load_ruleset().profiles['b-all'].version}"  # the bundled profile's version, not a constant


def reports_for(*args) -> list[dict]:
    """Per-sample reports, as ``jakcli batch`` writes them, from the real CLI's JSON."""
    proc = jakcli_subprocess("classify", COHORT, "--format", "json", *args)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    return [dict(report, samples=[s]) for s in report["samples"]]


def run_multiqc(tmp_path, reports: list[dict]) -> dict:
    pytest.importorskip("multiqc", reason="MultiQC is not installed (pip install '.[test]')")
    folder = tmp_path / "batch_out"
    folder.mkdir()
    for name, text in multiqc_custom_content(reports).items():
        (folder / name).write_text(text, encoding="utf-8")
    out = tmp_path / "multiqc"
    proc = subprocess.run([sys.executable, "-m", "multiqc", str(folder), "-o", str(out), "--data-format", "json",
                           "--strict", "--no-version-check", "--no-ai"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads((out / "multiqc_data" / "multiqc_data.json").read_text())


def test_multiqc_reads_the_risk_table_and_bar_plot(tmp_path):
    reports = reports_for() + reports_for("--profile", "mpn")[:1]
    data = run_multiqc(tmp_path, reports)
    raw = data["report_saved_raw_data"]
    assert {"jakcli_risk_table-plot", "jakcli_risk_levels-plot"} <= set(data["report_plot_data"])

    table = raw["multiqc_jakcli_risk_table"]
    twice = reports[-1]["samples"][0]["sample"]  # in both profiles: two rows, told apart by input and number
    assert len(table) == len(reports)
    assert table[f"{twice} (cohort_grch38)"]["profile"] == B_ALL
    assert table[f"{twice} (cohort_grch38) #2"]["profile"] == "mpn v1"
    for r in reports[:-1]:
        s = r["samples"][0]
        row = table[s["sample"] if s["sample"] != twice else f"{twice} (cohort_grch38)"]
        assert row["risk_level"] == s["risk"]["level"]
        assert row["worst_case_level"] == s["risk"]["worst_case_level"]
        assert row["findings"] == len(s["findings"])
        assert row["profile"] == B_ALL
        vafs = [f["vaf"] for f in s["findings"] if f["vaf"] is not None]
        if vafs:
            assert row["max_vaf"] == pytest.approx(max(vafs) * 100, abs=0.01)
            assert f"{vafs[0] * 100:.1f}%" in row["alterations"]
        else:
            assert "max_vaf" not in row

    bars = raw["multiqc_jakcli_risk_levels"]
    expected = Counter(s["risk"]["level"] for r in reports[:-1] for s in r["samples"])
    assert {k: v for k, v in bars[f"profile {B_ALL}"].items() if v} == dict(expected)
    assert sum(bars["profile mpn v1"].values()) == 1


def test_custom_content_files_are_valid_json_with_multiqc_keys():
    files = multiqc_custom_content(reports_for())
    assert set(files) == {TABLE_FILE, BARGRAPH_FILE} and all(n.endswith("_mqc.json") for n in files)
    table, bars = json.loads(files[TABLE_FILE]), json.loads(files[BARGRAPH_FILE])
    assert table["plot_type"] == "table" and bars["plot_type"] == "bargraph"
    assert table["parent_id"] == bars["parent_id"] == "jakcli"
    assert set(next(iter(table["data"].values()))) <= set(table["headers"])
    assert set(next(iter(bars["data"].values()))) == set(bars["categories"])


def test_multiqc_on_a_real_batch_output_folder(tmp_path, run_jakcli):
    """`jakcli batch` writes the custom content itself; MultiQC finds it in the batch folder."""
    pytest.importorskip("multiqc", reason="MultiQC is not installed (pip install '.[test]')")
    out = tmp_path / "batch_out"
    proc = run_jakcli("batch", "sample_data/manifest.tsv", "-o", out, "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    assert (out / TABLE_FILE).is_file() and (out / BARGRAPH_FILE).is_file()
    mqc = tmp_path / "multiqc"
    proc = subprocess.run([sys.executable, "-m", "multiqc", str(out), "-o", str(mqc), "--data-format", "json",
                           "--strict", "--no-version-check", "--no-ai"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    table = json.loads((mqc / "multiqc_data" / "multiqc_data.json").read_text())[
        "report_saved_raw_data"]["multiqc_jakcli_risk_table"]
    cohort = {line.split("\t")[0]: line.split("\t") for line in (out / "cohort.tsv").read_text().splitlines()[1:]}
    assert set(table) == set(cohort) and len(table) == 10
    assert table["BALL_CRLF2_JAK2"]["risk_level"] == "high"  # P2RY8::CRLF2 from the manifest's fusion + SV inputs
    assert table["NEGATIVE"]["risk_level"] == "none-detected"
