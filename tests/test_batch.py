"""``jakcli batch``: manifests, per-sample reports, cohort files, failure isolation, resume, kill."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import jakcli.batch as batch
from jakcli.batch import COHORT_COLUMNS, gather, read_manifest, report_names, run_batch
from jakcli.classify import Options, classify
from jakcli.errors import InputError
from jakcli.readers.files import sha256_file

from conftest import REPO, rec, write_vcf
from test_classify import EXPECTED_COHORT

COHORT = REPO / "sample_data" / "cohort_grch38.vcf.gz"
SINGLE37 = REPO / "sample_data" / "single_grch37_vep.vcf"
LAB_RULES = REPO / "tests" / "fixtures" / "lab_rules" / "new_rule"
V617F = ("chr9", 5073770, "G", "T")


def jakcli(*args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "jakcli", *map(str, args)], cwd=REPO, capture_output=True,
                          text=True, **kw)


def manifest(path: Path, rows, header=("sample", "vcf")) -> Path:
    path.write_text("\n".join(["\t".join(header), *("\t".join(map(str, r)) for r in rows)]) + "\n")
    return path


@pytest.fixture
def cohort_manifest(tmp_path) -> Path:
    """The 9-sample cohort (one VCF, linked in with a relative path) and the GRCh37 single-sample VCF."""
    data = tmp_path / "data"
    data.mkdir()
    for f in (COHORT, COHORT.with_name(COHORT.name + ".tbi"), SINGLE37):
        (data / f.name).symlink_to(f)
    rows = [(s, "data/cohort_grch38.vcf.gz") for s in EXPECTED_COHORT] + [("PATIENT_MPN_37", "data/" + SINGLE37.name)]
    return manifest(tmp_path / "manifest.tsv", rows)


def single_vcfs(folder: Path, n: int, prefix="P") -> list[tuple[str, str]]:
    folder.mkdir(exist_ok=True)
    rows = []
    for i in range(n):
        s = f"{prefix}{i:04d}"
        write_vcf(folder / f"{s}.vcf", [rec(*V617F, f"0/1:{60 + i % 30},40:100")], samples=(s,))
        rows.append((s, f"{folder.name}/{s}.vcf"))
    return rows


def tsv(path: Path) -> list[dict]:
    header, *lines = path.read_text().splitlines()
    return [dict(zip(header.split("\t"), line.split("\t"))) for line in lines]


def mtimes(outdir: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (outdir / "reports").glob("*.json")}


# ----------------------------------------------------------------- reports and cohort files

def test_cohort_vcf_is_read_once_and_reports_equal_classify(cohort_manifest, tmp_path, monkeypatch):
    calls = []
    real = batch.classify
    monkeypatch.setattr(batch, "classify", lambda vcfs, *a, **kw: calls.append(vcfs) or real(vcfs, *a, **kw))
    res = run_batch(cohort_manifest, tmp_path / "out", jobs=1)
    assert (res.samples, res.ok, res.failures) == (10, 10, ())
    assert sorted(len(c) for c in calls) == [1, 1] and len(calls) == 2  # one pass per distinct VCF
    path = str(tmp_path / "data" / COHORT.name)
    whole = classify([path])
    for sample in EXPECTED_COHORT:
        rep = json.loads((tmp_path / "out" / "reports" / f"{sample}.json").read_text())
        alone = classify([path], Options(samples=(sample,)))
        assert rep["samples"] == alone["samples"] and rep["options"] == alone["options"]
        assert rep["stats"] == whole["stats"] and rep["warnings"] == whole["warnings"]  # the file's run
        assert rep["ruleset"] == alone["ruleset"] and rep["genome_build"] == "GRCh38"
        assert rep["inputs"] == alone["inputs"]
        assert rep["batch"]["inputs"] == {"vcf": {k: alone["inputs"][0][k] for k in ("path", "sha256")}}


def test_cli_cohort_files(cohort_manifest, tmp_path):
    out = tmp_path / "out"
    res = jakcli("batch", cohort_manifest, "-o", out, "--jobs", 2)
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
    one = jakcli("classify", "--sample", "TALL_JAK1_JAK3", "--format", "json", tmp_path / "data" / COHORT.name)
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


def test_unsafe_sample_names_get_safe_unique_file_names(tmp_path):
    samples = ("tumour 1/α", "../etc", "S1", "s1", "x" * 300)
    write_vcf(tmp_path / "w.vcf", [rec(*V617F, *["0/1:60,40:100"] * len(samples))], samples=samples)
    m = manifest(tmp_path / "m.tsv", [(s, "w.vcf") for s in samples])
    run_batch(m, tmp_path / "out", jobs=1)
    names = {e["sample"]: e["report"] for e in json.loads((tmp_path / "out" / "cohort.json").read_text())["samples"]}
    assert names["tumour 1/α"] == "reports/tumour%201%2F%CE%B1.json" and names["../etc"] == "reports/%2E.%2Fetc.json"
    assert names["S1"] != names["s1"] and names["S1"].casefold() != names["s1"].casefold()
    assert all(len(Path(n).name.encode()) < 255 for n in names.values())
    for s, n in names.items():
        assert json.loads((tmp_path / "out" / n).read_text())["samples"][0]["sample"] == s
    assert report_names(list(samples)) == {s: Path(n).name for s, n in names.items()}


# ----------------------------------------------------------------- failures

def test_failures_are_isolated(cohort_manifest, tmp_path):
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
    res = jakcli("batch", m, "-o", out, "--jobs", 2)
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


def test_fusion_and_sv_columns(cohort_manifest, tmp_path):
    fx = REPO / "tests" / "fixtures" / "rearrangements"
    rows = [line.split("\t") + ["", ""] for line in cohort_manifest.read_text().splitlines()[1:-1]]
    rows[0][2] = str(fx / "arriba_v2_grch38.tsv")  # BALL_CRLF2_JAK2: P2RY8-CRLF2
    rows.append(["RNA_ONLY", "", str(fx / "star-fusion.fusion_predictions.abridged.grch38.tsv"), ""])
    rows.append(["DNA_ONLY", "", "", str(fx / "manta_somatic_grch38.vcf")])
    m = manifest(tmp_path / "m.tsv", rows, header=("sample", "vcf", "fusions", "sv"))
    res = run_batch(m, tmp_path / "out", jobs=2, options=Options(build="GRCh38"))
    assert res.failures == ()
    by = {r["sample"]: r for r in tsv(tmp_path / "out" / "cohort.tsv")}
    assert "crlf2-p2ry8-fusion" in by["BALL_CRLF2_JAK2"]["rule_ids"] and by["BALL_CRLF2_JAK2"]["risk_level"] == "high"
    assert by["RNA_ONLY"]["rule_ids"] == "tyk2-fusion" and by["DNA_ONLY"]["rule_ids"] != "."
    assert by["MPN_CALR"]["rule_ids"] == "calr-exon9-frameshift;calr-exon9-frameshift;calr-exon9-frameshift"
    rep = json.loads((tmp_path / "out" / "reports" / "BALL_CRLF2_JAK2.json").read_text())
    assert set(rep["batch"]["inputs"]) == {"vcf", "fusions"}
    auto = run_batch(m, tmp_path / "auto", jobs=1)  # a fusion table records no build: only that row fails
    assert [f.sample for f in auto.failures] == ["RNA_ONLY"] and "--build" in auto.failures[0].error


# ----------------------------------------------------------------- resume

def test_resume_skips_current_reports_and_reruns_what_changed(tmp_path):
    rows = single_vcfs(tmp_path / "vcf", 4)
    m = manifest(tmp_path / "m.tsv", rows)
    out = tmp_path / "out"
    first = run_batch(m, out, jobs=1)
    assert (first.classified, first.skipped) == (4, 0)
    before = mtimes(out)
    time.sleep(0.01)

    again = jakcli("batch", m, "-o", out, "--resume")
    assert again.returncode == 0 and "0 classified, 4 up to date" in again.stderr
    assert mtimes(out) == before

    write_vcf(tmp_path / "vcf" / "P0002.vcf", [rec(*V617F, "0/1:10,90:100")], samples=("P0002",))
    changed = run_batch(m, out, jobs=1, resume=True)
    assert (changed.classified, changed.skipped) == (1, 3)
    after = mtimes(out)
    assert [n for n in after if after[n] != before[n]] == ["P0002.json"]
    assert [r["vafs"] for r in tsv(out / "cohort.tsv")][2] == "0.9000"  # cohort rebuilt from all reports

    rules = run_batch(m, out, jobs=1, resume=True, rule_dirs=[LAB_RULES])
    assert (rules.classified, rules.skipped) == (4, 0)
    opts = run_batch(m, out, jobs=1, resume=True, rule_dirs=[LAB_RULES], options=Options(profile="mpn"))
    assert (opts.classified, opts.skipped) == (4, 0)
    assert run_batch(m, out, jobs=1, resume=True, rule_dirs=[LAB_RULES], options=Options(profile="mpn")).skipped == 4


def test_killed_run_resumes_to_complete_output(tmp_path):
    rows = single_vcfs(tmp_path / "vcf", 1500)
    m = manifest(tmp_path / "m.tsv", rows)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "jakcli", "batch", str(m), "-o", str(out), "--jobs", "1"],
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

    res = jakcli("batch", m, "-o", out, "--jobs", "1", "--resume")
    assert res.returncode == 0, res.stderr
    assert f"{len(rows) - partial} classified, {partial} up to date" in res.stderr
    assert [r["sample"] for r in tsv(out / "cohort.tsv")] == [s for s, _ in rows]
    assert not [p for p in out.rglob("*") if p.name.startswith(".jakcli-") and p.name.endswith(".part")]
    for p in (out / "reports").iterdir():
        json.loads(p.read_text())


def test_plain_progress_lines_when_stderr_is_not_a_terminal(tmp_path, runner, monkeypatch):
    import jakcli.cli.batch
    from jakcli.cli import cli

    monkeypatch.setattr(jakcli.cli.batch, "PLAIN_PROGRESS_EVERY_S", 0)
    m = manifest(tmp_path / "m.tsv", single_vcfs(tmp_path / "vcf", 3))
    res = runner.invoke(cli, ["batch", str(m), "-o", str(tmp_path / "out"), "--jobs", "1"])
    assert res.exit_code == 0 and res.stdout == ""
    assert "jakcli: batch 1/3 done, 0 failed\njakcli: batch 2/3 done, 0 failed\n" in res.stderr
    assert res.stderr.endswith("summary in " + str(tmp_path / "out" / "cohort.tsv") + "\n")


def test_a_second_run_on_the_same_outdir_is_refused(tmp_path):
    m = manifest(tmp_path / "m.tsv", single_vcfs(tmp_path / "vcf", 1))
    out = tmp_path / "out"
    out.mkdir()
    with open(out / batch.LOCK_NAME, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        res = jakcli("batch", m, "-o", out)
    assert res.returncode == 2 and "another jakcli batch is writing" in res.stderr
    assert res.stderr.count("\n") == 1


# ----------------------------------------------------------------- shards

def test_shards_gather_to_the_same_cohort(cohort_manifest, tmp_path):
    whole = run_batch(cohort_manifest, tmp_path / "whole", jobs=1)
    for k in (1, 2):
        part = run_batch(cohort_manifest, tmp_path / "out" / "shards" / str(k), jobs=1, shard=(k, 2))
        assert part.samples == (9 if k == 1 else 1)
    got = gather(cohort_manifest, tmp_path / "out", [tmp_path / "out" / "shards" / k for k in "12"])
    assert (got.samples, got.failures) == (whole.samples, ())
    for name in ("cohort.tsv", "cohort.json", "failures.tsv"):
        assert (tmp_path / "out" / name).read_text() == (tmp_path / "whole" / name).read_text()
    missing = gather(cohort_manifest, tmp_path / "partial", [tmp_path / "out" / "shards" / "1"])
    assert [f.sample for f in missing.failures] == ["PATIENT_MPN_37"]


# ----------------------------------------------------------------- manifest errors

@pytest.mark.parametrize("text,where,message", [
    ("sample,vcf\nA,a.vcf\n", ":1:", "it has no tab"),
    ("sample\tpath\nA\ta.vcf\n", ":1:", "must name the columns sample and vcf"),
    ("sample\tvcf\tbam\nA\ta.vcf\tx\n", ":1:", "unknown column 'bam'"),
    ("sample\tvcf\nA\ta.vcf\n\nA\ta.vcf\n", ":4:", "sample 'A' is already listed on line 2"),
    ("sample\tvcf\nA\tmissing.vcf\n", ":2:", "vcf file not found"),
    ("sample\tvcf\nA\ta.vcf\textra\n", ":2:", "3 fields but the header has 2 columns"),
    ("sample\tvcf\n\ta.vcf\n", ":2:", "the sample column is empty"),
    ("sample\tvcf\tsv\nA\t\t\n", ":2:", "has no input"),
    ("sample\tvcf\nA\t-\n", ":2:", "standard input"),
    ("sample\tvcf\n", "", "lists no samples"),
    ("\n", "", "the manifest is empty"),
    ("sample\tvcf\tsv\nA=1\ta.vcf\ta.vcf\n", ":2:", "contains '='"),
])
def test_manifest_errors_name_the_line(tmp_path, text, where, message):
    write_vcf(tmp_path / "a.vcf", [rec(*V617F, "0/1:60,40:100")], samples=("A",))
    m = tmp_path / "m.tsv"
    m.write_text(text)
    with pytest.raises(InputError, match=message):
        read_manifest(m)
    res = jakcli("batch", m, "-o", tmp_path / "out")
    assert res.returncode == 2 and res.stderr.startswith(f"jakcli: error: {m}{where}")
    assert res.stderr.count("\n") == 1 and message in res.stderr


def test_manifest_paths_and_optional_columns(tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    write_vcf(sub / "a.vcf", [rec(*V617F, "0/1:60,40:100")], samples=("A",))
    m = sub / "m.tsv"
    m.write_bytes("\ufeffsample\tfusions\tvcf\r\nA\t\ta.vcf\r\n".encode())  # BOM, CRLF, any column order
    (row,) = read_manifest(m)
    assert (row.line, row.sample, row.vcf, row.fusions, row.sv) == (2, "A", str(sub / "a.vcf"), None, None)
    res = jakcli("batch", m, "-o", tmp_path / "out", "--profile", "nope")
    assert res.returncode == 2 and "unknown risk profile 'nope'" in res.stderr


def _strelka_like(path: Path, carrier: bool) -> Path:
    """A tumour/normal VCF whose columns are named NORMAL and TUMOR, as Strelka2 writes them."""
    tumour = "0/1:60,40:100" if carrier else "0/0:100,0:100"
    return write_vcf(path, [rec("chr9", 5073770, "G", "T", "0/0:90,0:90", tumour)], samples=("NORMAL", "TUMOR"))


def test_vcf_sample_column_reports_tumour_columns_under_patient_ids(tmp_path):
    _strelka_like(tmp_path / "a.vcf", carrier=True)
    _strelka_like(tmp_path / "b.vcf", carrier=False)
    manifest = tmp_path / "m.tsv"
    manifest.write_text("sample\tvcf\tvcf_sample\nPT-1\ta.vcf\tTUMOR\nPT-2\tb.vcf\tTUMOR\n")
    out = tmp_path / "out"
    r = jakcli("batch", manifest, "-o", out, "--jobs", "1")
    assert r.returncode == 0, r.stderr
    rows = {line.split("\t")[0]: line.split("\t") for line in (out / "cohort.tsv").read_text().splitlines()[1:]}
    assert set(rows) == {"PT-1", "PT-2"}
    rep = json.loads((out / "reports" / "PT-1.json").read_text())
    assert [s["sample"] for s in rep["samples"]] == ["PT-1"]
    assert [f["rule_id"] for f in rep["samples"][0]["findings"]] == ["jak2-v617f"]
    assert rep["batch"]["vcf_sample"] == "TUMOR"
    assert json.loads((out / "reports" / "PT-2.json").read_text())["samples"][0]["findings"] == []
    # the same run again is up to date; a changed vcf_sample re-runs that sample
    r = jakcli("batch", manifest, "-o", out, "--resume")
    assert "0 classified, 2 up to date" in r.stderr
    manifest.write_text("sample\tvcf\tvcf_sample\nPT-1\ta.vcf\tNORMAL\nPT-2\tb.vcf\tTUMOR\n")
    r = jakcli("batch", manifest, "-o", out, "--resume")
    assert "1 classified, 1 up to date" in r.stderr
    assert json.loads((out / "reports" / "PT-1.json").read_text())["samples"][0]["findings"] == []


def test_vcf_sample_errors(tmp_path):
    _strelka_like(tmp_path / "a.vcf", carrier=True)
    manifest = tmp_path / "m.tsv"
    manifest.write_text("sample\tvcf\tvcf_sample\nPT-1\ta.vcf\tTUMOR\nPT-2\ta.vcf\tTUMOR\n")
    r = jakcli("batch", manifest, "-o", tmp_path / "out")
    assert r.returncode == 2 and "m.tsv:3: column 'TUMOR'" in r.stderr and "Traceback" not in r.stderr
    manifest.write_text("sample\tvcf\tvcf_sample\nPT-1\ta.vcf\tTUMOUR\n")
    r = jakcli("batch", manifest, "-o", tmp_path / "out2")
    assert r.returncode == 2
    assert "TUMOUR" in (tmp_path / "out2" / "failures.tsv").read_text()
