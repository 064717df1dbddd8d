"""classify --format maf|cbioportal-sv|xlsx|fhir|phenopacket through the CLI."""

from __future__ import annotations

import importlib.util
import json

import pytest

from jakcli.cli import cli
from support import SAMPLE_DATA

SD = SAMPLE_DATA
ARGS = [str(SD / "cohort_grch38.vcf.gz"), "--fusions", f"BALL_CRLF2_JAK2={SD / 'BALL_CRLF2_JAK2.arriba.fusions.tsv'}"]


def test_maf_and_sv(runner):
    maf = runner.invoke(cli, ["classify", *ARGS, "--format", "maf"])
    assert maf.exit_code == 0 and maf.output.startswith("Hugo_Symbol\tEntrez_Gene_Id")
    sv = runner.invoke(cli, ["classify", *ARGS, "--format", "cbioportal-sv"])
    assert sv.exit_code == 0 and "P2RY8\tX\t1536921\tCRLF2" in sv.output


def test_grch37_maf(runner):
    res = runner.invoke(cli, ["classify", str(SD / "single_grch37_vep.vcf"), "--format", "maf"])
    assert res.exit_code == 0 and "\tGRCh37\t" in res.output


@pytest.mark.skipif(importlib.util.find_spec("openpyxl") is None, reason="openpyxl not installed")
def test_xlsx_needs_a_file(runner, tmp_path):
    out = tmp_path / "r.xlsx"
    assert runner.invoke(cli, ["classify", *ARGS, "--format", "xlsx", "-o", str(out)]).exit_code == 0
    assert out.read_bytes()[:2] == b"PK"


@pytest.mark.skipif(importlib.util.find_spec("fhir") is None, reason="fhir.resources not installed")
def test_fhir_and_phenopacket(runner, tmp_path):
    f = runner.invoke(cli, ["classify", *ARGS, "--format", "fhir"])
    assert f.exit_code == 0 and json.loads(f.output)["resourceType"] == "Bundle"
    p = runner.invoke(cli, ["classify", *ARGS, "--format", "phenopacket"])
    assert p.exit_code == 0 and len(json.loads(p.output)["members"]) == 9


def test_missing_optional_package_is_one_line_exit_2(runner, monkeypatch, tmp_path):
    import jakcli.writers

    monkeypatch.setitem(jakcli.writers.OPTIONAL_PACKAGES, "xlsx", "jakcli_no_such_package")
    res = runner.invoke(cli, ["classify", *ARGS, "--format", "xlsx", "-o", str(tmp_path / "x.xlsx")])
    assert res.exit_code == 2 and res.output.count("\n") == 1 and "Traceback" not in res.output
    assert "pip install 'jakcli[handoff]'" in res.output and not (tmp_path / "x.xlsx").exists()
