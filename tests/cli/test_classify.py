"""``jakcli classify`` through click's CliRunner: containers and stdin agree, JSON contract, escaping."""

from __future__ import annotations

import json

import pysam

from jakcli.cli import cli
from support import COHORT, V617F_38, rec, write_vcf


def test_bgzip_tabix_bcf_and_stdin_agree(tmp_path, runner):
    vcf = write_vcf(tmp_path / "c.vcf", [rec(*V617F_38, "0/1:60,40:100"),
                                          rec("chr9", 5078360, "A", "G", "0/1:60,40:100")])
    gz = tmp_path / "c.vcf.gz"
    pysam.tabix_compress(str(vcf), str(gz))
    pysam.tabix_index(str(gz), preset="vcf")
    bcf = tmp_path / "c.bcf"
    with pysam.VariantFile(str(vcf)) as src, pysam.VariantFile(str(bcf), "wb", header=src.header) as out:
        for r in src:
            out.write(r)
    outs = []
    for path in (vcf, gz, bcf):
        res = runner.invoke(cli, ["classify", str(path), "--format", "tsv"])
        assert res.exit_code == 0, res.output
        outs.append(res.stdout)
    res = runner.invoke(cli, ["classify", "-", "--format", "tsv"], input=vcf.read_text())
    assert res.exit_code == 0
    outs.append(res.stdout)
    assert len(set(outs)) == 1 and outs[0].count("\n") == 3



def test_json_contract_and_determinism(tmp_path, runner):
    vcf = write_vcf(tmp_path / "j.vcf", [rec(*V617F_38, "0/1:60,40:100", "0/0:100,0:100")], samples=("A", "B"))
    out1 = runner.invoke(cli, ["classify", str(vcf), "--format", "json"]).stdout
    out2 = runner.invoke(cli, ["classify", str(vcf), "--format", "json"]).stdout
    assert out1 == out2
    rep = json.loads(out1)
    assert rep["schema_version"] == 1 and rep["genome_build"] == "GRCh38"
    assert rep["ruleset"]["digest"].startswith("sha256:") and rep["ruleset"]["version"]
    f = rep["samples"][0]["findings"][0]
    for key in ("rule_id", "rule_version", "gene", "alteration", "origin", "classification", "chrom",
                "pos", "ref", "alt", "vaf", "depth", "filter", "references", "therapies"):
        assert key in f
    assert f["references"] and f["therapies"][0]["drug"] == "ruxolitinib"
    risk_a, risk_b = rep["samples"][0]["risk"], rep["samples"][1]["risk"]
    assert risk_a["level"] == "intermediate" and risk_a["worst_case_level"] == "high"
    assert risk_a["not_assessed"] == ["fusions", "structural variants", "copy number (segments)"]
    assert risk_b["level"] == "none-detected" and risk_b["worst_case_level"] == "high"



def test_markdown_escapes_input(tmp_path, runner):
    vcf = write_vcf(tmp_path / "x.vcf", [rec(*V617F_38, "0/1:60,40:100")], samples=("<script>alert(1)</script>",))
    res = runner.invoke(cli, ["classify", str(vcf), "--format", "md"])
    assert res.exit_code == 0
    assert "<script>" not in res.stdout and "\\<script\\>" in res.stdout



def test_json_written_a_sample_at_a_time_is_the_whole_report_byte_for_byte(tmp_path, run_jakcli):
    """classify --format json streams the samples; the file and stdout hold exactly
    json.dumps(report, indent=2, ensure_ascii=False) plus a newline, as before streaming."""
    out = tmp_path / "r.json"
    code, _stdout, err = run_jakcli("classify", str(COHORT), "--format", "json", "-o", str(out))
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    report = json.loads(text)
    assert len(report["samples"]) > 3
    assert text == json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    code, stdout, err = run_jakcli("classify", str(COHORT), "--format", "json")
    assert code == 0 and stdout == text
