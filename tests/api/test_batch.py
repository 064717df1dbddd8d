"""``run_batch`` and ``gather`` in process: one pass per VCF, reports equal to ``classify``, safe
file names, fusion/SV columns, shards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import jakcli.batch as batch
from jakcli.batch import gather, report_names, run_batch
from jakcli.classify import Options, classify
from support import COHORT, EXPECTED_COHORT, REARRANGEMENTS, V617F_38, manifest, rec, tsv, write_vcf
from support import cohort_manifest as write_cohort_manifest

V617F = V617F_38


@pytest.fixture
def cohort_manifest(tmp_path) -> Path:
    return write_cohort_manifest(tmp_path)


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



def test_fusion_and_sv_columns(cohort_manifest, tmp_path):
    fx = REARRANGEMENTS
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

