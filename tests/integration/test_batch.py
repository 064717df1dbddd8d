"""``jakcli batch`` end to end through the console script: cohort files, failure isolation,
resume after a kill, the output lock, manifest errors."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

import jakcli.batch as batch
from jakcli.batch import COHORT_COLUMNS, read_manifest, run_batch
from jakcli.classify import Options
from jakcli.errors import InputError
from jakcli.readers.files import sha256_file
from support import (COHORT, EXPECTED_COHORT, LAB_RULES, REPO, V617F_38, jakcli_command, manifest, rec,
                     single_vcfs, tsv, write_vcf)
from support import cohort_manifest as write_cohort_manifest

V617F = V617F_38
NEW_RULE = LAB_RULES / "new_rule"


@pytest.fixture
def cohort_manifest(tmp_path) -> Path:
    return write_cohort_manifest(tmp_path)


def mtimes(outdir: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (outdir / "reports").glob("*.json")}



# ----------------------------------------------------------------- reports and cohort files

def test_cli_cohort_files(cohort_manifest, tmp_path, run_jakcli):
    out = tmp_path / "out"
    res = run_jakcli("batch", cohort_manifest, "-o", out, "--jobs", 2)
    assert res.returncode == 0, res.stderr
    assert res.stdout == "" and "10 samples" in res.stderr and "Traceback" not in res.stderr
    rows = tsv(out / "cohort.tsv")
    assert tuple(rows[0]) == COHORT_COLUMNS
    assert [r["sample"] for r in rows] == [*EXPECTED_COHORT, "PATIENT_MPN_37"]  # manifest order
    for r in rows[:-1]:
        assert set(r["rule_ids"].split(";")) - {"."} == EXPECTED_COHORT[r["sample"]]
        assert r["status"] == "ok" and r["genome_build"] == "GRCh38" and r["risk_profile"] == "b-all"
        assert len(r["alterations"].split(";")) == len(r["vafs"].split(";")) == max(int(r["n_findings"]), 1)
    by = {r["sample"]: r for r in rows}
    assert by["MPN_V617F_HIGH"]["vafs"] == "0.6204" and by["MPN_V617F_HIGH"]["alterations"] == "p.V617F"
    assert by["NEGATIVE"]["risk_level"] == "none-detected" and by["NEGATIVE"]["rule_ids"] == "."
    assert by["GERMLINE_TYK2"]["risk_level"] == "informational" and by["GERMLINE_TYK2"]["worst_case_level"] == "high"
    assert by["PATIENT_MPN_37"]["genome_build"] == "GRCh37"
    one = run_jakcli("classify", "--sample", "TALL_JAK1_JAK3", "--format", "json", tmp_path / "data" / COHORT.name)
    rep = json.loads((out / by["TALL_JAK1_JAK3"]["report"]).read_text())
    assert json.loads(one.stdout)["samples"] == rep["samples"]

    cohort = json.loads((out / "cohort.json").read_text())
    assert cohort["counts"] == {"samples": 10, "ok": 10, "failed": 0}
    assert cohort["genome_builds"] == ["GRCh37", "GRCh38"] and cohort["columns"] == list(COHORT_COLUMNS)
    assert cohort["ruleset"]["digest"].startswith("sha256:") and cohort["jakcli_version"]
    assert cohort["manifest"]["sha256"] == sha256_file(str(cohort_manifest))
    entry = cohort["samples"][0]
    assert entry["report"] == "reports/BALL_CRLF2_JAK2.json"
    assert entry["inputs"]["vcf"] == {"path": str(tmp_path / "data" / COHORT.name),
                                      "sha256": sha256_file(str(COHORT))}
    assert (out / "failures.tsv").read_text() == "sample\tinput\terror\n"
    assert not list(out.rglob("*.part"))


# ----------------------------------------------------------------- failures

def test_failures_are_isolated(cohort_manifest, tmp_path, run_jakcli):
    data = tmp_path / "data"
    truncated = data / "truncated.vcf.gz"
    truncated.write_bytes(COHORT.read_bytes()[:1500])
    (data / "garbage.vcf").write_bytes(os.urandom(2000))
    rows = [line.split("\t") for line in cohort_manifest.read_text().splitlines()[1:]]
    rows += [("TRUNC", "data/truncated.vcf.gz"), ("JUNK", "data/garbage.vcf"),
             ("GHOST", "data/cohort_grch38.vcf.gz")]  # not a sample of the cohort VCF
    m = manifest(tmp_path / "m.tsv", rows)
    out = tmp_path / "out"
    (out / "reports").mkdir(parents=True)
    (out / "reports" / "JUNK.json").write_text("{}")  # a stale report from an earlier run
    res = run_jakcli("batch", m, "-o", out, "--jobs", 2)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "3 failed" in res.stderr and "failures.tsv" in res.stderr
    fails = {r["sample"]: r for r in tsv(out / "failures.tsv")}
    assert set(fails) == {"TRUNC", "JUNK", "GHOST"}
    assert "truncated.vcf.gz" in fails["TRUNC"]["error"] and fails["TRUNC"]["input"] == str(truncated)
    assert "garbage.vcf" in fails["JUNK"]["error"] and "GHOST" in fails["GHOST"]["error"]
    assert all("\n" not in f["error"] for f in fails.values())
    status = {r["sample"]: r["status"] for r in tsv(out / "cohort.tsv")}
    assert [s for s, v in status.items() if v == "failed"] == ["TRUNC", "JUNK", "GHOST"]
    assert sum(v == "ok" for v in status.values()) == 10
    assert not (out / "reports" / "JUNK.json").exists()
    assert json.loads((out / "cohort.json").read_text())["counts"] == {"samples": 13, "ok": 10, "failed": 3}


# ----------------------------------------------------------------- resume

def test_resume_skips_current_reports_and_reruns_what_changed(tmp_path, run_jakcli):
    rows = single_vcfs(tmp_path / "vcf", 4)
    m = manifest(tmp_path / "m.tsv", rows)
    out = tmp_path / "out"
    first = run_batch(m, out, jobs=1)
    assert (first.classified, first.skipped) == (4, 0)
    before = mtimes(out)
    time.sleep(0.01)

    again = run_jakcli("batch", m, "-o", out, "--resume")
    assert again.returncode == 0 and "0 classified, 4 up to date" in again.stderr
    assert mtimes(out) == before

    write_vcf(tmp_path / "vcf" / "P0002.vcf", [rec(*V617F, "0/1:10,90:100")], samples=("P0002",))
    changed = run_batch(m, out, jobs=1, resume=True)
    assert (changed.classified, changed.skipped) == (1, 3)
    after = mtimes(out)
    assert [n for n in after if after[n] != before[n]] == ["P0002.json"]
    assert [r["vafs"] for r in tsv(out / "cohort.tsv")][2] == "0.9000"  # cohort rebuilt from all reports

    rules = run_batch(m, out, jobs=1, resume=True, rule_dirs=[NEW_RULE])
    assert (rules.classified, rules.skipped) == (4, 0)
    opts = run_batch(m, out, jobs=1, resume=True, rule_dirs=[NEW_RULE], options=Options(profile="mpn"))
    assert (opts.classified, opts.skipped) == (4, 0)
    assert run_batch(m, out, jobs=1, resume=True, rule_dirs=[NEW_RULE], options=Options(profile="mpn")).skipped == 4


def test_resume_with_blake3_checks_blake3_digests(tmp_path, run_jakcli):
    blake3 = pytest.importorskip("blake3", reason="blake3 is in the test extra: pip install '.[test]'")
    rows = single_vcfs(tmp_path / "vcf", 2)
    m = manifest(tmp_path / "m.tsv", rows)
    out = tmp_path / "out"
    assert run_jakcli("batch", m, "-o", out, "--digest", "blake3").returncode == 0
    rep = json.loads((out / "reports" / "P0001.json").read_text())
    (vcf,) = [i for i in rep["inputs"] if i["kind"] == "vcf"]
    assert vcf["blake3"] == blake3.blake3(Path(vcf["path"]).read_bytes()).hexdigest() and "sha256" not in vcf
    again = run_jakcli("batch", m, "-o", out, "--resume", "--digest", "blake3")
    assert "0 classified, 2 up to date" in again.stderr
    other = run_jakcli("batch", m, "-o", out, "--resume")  # sha256 reports are other reports
    assert "2 classified, 0 up to date" in other.stderr


def test_killed_run_resumes_to_complete_output(tmp_path, run_jakcli):
    rows = single_vcfs(tmp_path / "vcf", 1500)
    m = manifest(tmp_path / "m.tsv", rows)
    out = tmp_path / "out"
    proc = subprocess.Popen(jakcli_command("batch", m, "-o", out, "--jobs", "1"),
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if len(list((out / "reports").glob("*.json"))) >= 50:
            break
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = len(list((out / "reports").glob("*.json")))
    assert 50 <= partial < len(rows), "the run was not killed part-way"
    assert not (out / "cohort.tsv").exists()
    (out / "reports" / ".jakcli-killed.part").write_text('{"half":')  # what a kill mid-write leaves

    res = run_jakcli("batch", m, "-o", out, "--jobs", "1", "--resume")
    assert res.returncode == 0, res.stderr
    assert f"{len(rows) - partial} classified, {partial} up to date" in res.stderr
    assert [r["sample"] for r in tsv(out / "cohort.tsv")] == [s for s, _ in rows]
    assert not [p for p in out.rglob("*") if p.name.startswith(".jakcli-") and p.name.endswith(".part")]
    for p in (out / "reports").iterdir():
        json.loads(p.read_text())


def test_a_second_run_on_the_same_outdir_is_refused(tmp_path, run_jakcli):
    m = manifest(tmp_path / "m.tsv", single_vcfs(tmp_path / "vcf", 1))
    out = tmp_path / "out"
    out.mkdir()
    with open(out / batch.LOCK_NAME, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        res = run_jakcli("batch", m, "-o", out)
    assert res.returncode == 2 and "another jakcli batch is writing" in res.stderr
    assert res.stderr.count("\n") == 1


# ----------------------------------------------------------------- shards

# ----------------------------------------------------------------- manifest errors

@pytest.mark.parametrize("text,where,message", [
    ("sample,vcf\nA,a.vcf\n", ":1:", "it has no tab"),
    ("sample\tpath\nA\ta.vcf\n", ":1:", "must name the columns sample and vcf"),
    ("sample\tvcf\tbam\nA\ta.vcf\tx\n", ":1:", "unknown column 'bam'"),
    ("sample\tvcf\nA\ta.vcf\n\nA\ta.vcf\n", ":4:", "sample 'A' is already listed on line 2"),
    ("sample\tvcf\nA\ta.vcf\textra\n", ":2:", "3 fields but the header has 2 columns"),
    ("sample\tvcf\n\ta.vcf\n", ":2:", "the sample column is empty"),
    ("sample\tvcf\tsv\nA\t\t\n", ":2:", "has no input"),
    ("sample\tvcf\nA\t-\n", ":2:", "standard input"),
    ("sample\tvcf\n", "", "lists no samples"),
    ("\n", "", "the manifest is empty"),
    ("sample\tvcf\tsv\nA=1\ta.vcf\ta.vcf\n", ":2:", "contains '='"),
])
def test_manifest_errors_name_the_line(tmp_path, text, where, message, run_jakcli):
    write_vcf(tmp_path / "a.vcf", [rec(*V617F, "0/1:60,40:100")], samples=("A",))
    m = tmp_path / "m.tsv"
    m.write_text(text)
    with pytest.raises(InputError, match=message):
        read_manifest(m)
    res = run_jakcli("batch", m, "-o", tmp_path / "out")
    assert res.returncode == 2 and res.stderr.startswith(f"jakcli: error: {m}{where}")
    assert res.stderr.count("\n") == 1 and message in res.stderr


def test_manifest_paths_and_optional_columns(tmp_path, run_jakcli):
    sub = tmp_path / "sub"
    sub.mkdir()
    write_vcf(sub / "a.vcf", [rec(*V617F, "0/1:60,40:100")], samples=("A",))
    m = sub / "m.tsv"
    m.write_bytes("\ufeffsample\tfusions\tvcf\r\nA\t\ta.vcf\r\n".encode())  # BOM, CRLF, any column order
    (row,) = read_manifest(m)
    assert (row.line, row.sample, row.vcf, row.fusions, row.sv) == (2, "A", str(sub / "a.vcf"), None, None)
    res = run_jakcli("batch", m, "-o", tmp_path / "out", "--profile", "nope")
    assert res.returncode == 2 and "unknown risk profile 'nope'" in res.stderr


def _strelka_like(path: Path, carrier: bool) -> Path:
    """A tumour/normal VCF whose columns are named NORMAL and TUMOR, as Strelka2 writes them."""
    tumour = "0/1:60,40:100" if carrier else "0/0:100,0:100"
    return write_vcf(path, [rec("chr9", 5073770, "G", "T", "0/0:90,0:90", tumour)], samples=("NORMAL", "TUMOR"))


def test_vcf_sample_column_reports_tumour_columns_under_patient_ids(tmp_path, run_jakcli):
    _strelka_like(tmp_path / "a.vcf", carrier=True)
    _strelka_like(tmp_path / "b.vcf", carrier=False)
    manifest = tmp_path / "m.tsv"
    manifest.write_text("sample\tvcf\tvcf_sample\nPT-1\ta.vcf\tTUMOR\nPT-2\tb.vcf\tTUMOR\n")
    out = tmp_path / "out"
    r = run_jakcli("batch", manifest, "-o", out, "--jobs", "1")
    assert r.returncode == 0, r.stderr
    rows = {line.split("\t")[0]: line.split("\t") for line in (out / "cohort.tsv").read_text().splitlines()[1:]}
    assert set(rows) == {"PT-1", "PT-2"}
    rep = json.loads((out / "reports" / "PT-1.json").read_text())
    assert [s["sample"] for s in rep["samples"]] == ["PT-1"]
    assert [f["rule_id"] for f in rep["samples"][0]["findings"]] == ["jak2-v617f"]
    assert rep["batch"]["vcf_sample"] == "TUMOR"
    assert json.loads((out / "reports" / "PT-2.json").read_text())["samples"][0]["findings"] == []
    # the same run again is up to date; a changed vcf_sample re-runs that sample
    r = run_jakcli("batch", manifest, "-o", out, "--resume")
    assert "0 classified, 2 up to date" in r.stderr
    manifest.write_text("sample\tvcf\tvcf_sample\nPT-1\ta.vcf\tNORMAL\nPT-2\tb.vcf\tTUMOR\n")
    r = run_jakcli("batch", manifest, "-o", out, "--resume")
    assert "1 classified, 1 up to date" in r.stderr
    assert json.loads((out / "reports" / "PT-1.json").read_text())["samples"][0]["findings"] == []


def test_vcf_sample_errors(tmp_path, run_jakcli):
    _strelka_like(tmp_path / "a.vcf", carrier=True)
    manifest = tmp_path / "m.tsv"
    manifest.write_text("sample\tvcf\tvcf_sample\nPT-1\ta.vcf\tTUMOR\nPT-2\ta.vcf\tTUMOR\n")
    r = run_jakcli("batch", manifest, "-o", tmp_path / "out")
    assert r.returncode == 2 and "m.tsv:3: column 'TUMOR'" in r.stderr and "Traceback" not in r.stderr
    manifest.write_text("sample\tvcf\tvcf_sample\nPT-1\ta.vcf\tTUMOUR\n")
    r = run_jakcli("batch", manifest, "-o", tmp_path / "out2")
    assert r.returncode == 2
    assert "TUMOUR" in (tmp_path / "out2" / "failures.tsv").read_text()
