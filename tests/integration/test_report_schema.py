"""Every report jakcli writes validates against jakcli/schemas/report.schema.json (the JSON contract)."""

from __future__ import annotations

import json

import jsonschema
import pytest

from support import REARRANGEMENTS, REPO, SAMPLE_DATA, jakcli_subprocess

SCHEMA = json.loads((REPO / "jakcli" / "schemas" / "report.schema.json").read_text())
SD = SAMPLE_DATA
FIX = REARRANGEMENTS


def classify_json(*args) -> dict:
    proc = jakcli_subprocess("classify", "--format", "json", *args)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize("args", [
    [SD / "cohort_grch38.vcf.gz"],
    [SD / "single_grch37_vep.vcf", "--profile", "mpn"],
    [SD / "cohort_grch38.vcf.gz", "--sample", "BALL_CRLF2_JAK2",
     "--fusions", f"BALL_CRLF2_JAK2={SD / 'BALL_CRLF2_JAK2.arriba.fusions.tsv'}",
     "--sv", f"BALL_CRLF2_JAK2={SD / 'BALL_CRLF2_JAK2.manta.somaticSV.vcf'}"],
    ["--sv", FIX / "delly_germline_grch37.vcf"],
    ["--fusions", FIX / "generic_fusions.grch38.tsv", "--build", "GRCh38"],
], ids=["cohort", "grch37-mpn", "vcf+fusions+sv", "sv-only", "fusions-only"])
def test_classify_reports_validate(args):
    jsonschema.validate(classify_json(*args), SCHEMA)


def test_schema_rejects_a_broken_report():
    rep = classify_json(SD / "cohort_grch38.vcf.gz")
    rep["samples"][0]["risk"]["level"] = "very high"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(rep, SCHEMA)


def test_batch_reports_validate(tmp_path, run_jakcli):
    out = tmp_path / "out"
    proc = run_jakcli("batch", SD / "manifest.tsv", "-o", out, "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    reports = sorted((out / "reports").glob("*.json"))
    assert len(reports) == 10
    for path in reports:
        jsonschema.validate(json.loads(path.read_text()), SCHEMA)
