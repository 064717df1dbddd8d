"""Exit codes and one-line errors through the real console script; no partial output is left behind."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from support import rec, write_vcf


def assert_one_line_error(stderr: str, *needles: str):
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("jakcli: error: ") and "Traceback" not in stderr
    for n in needles:
        assert n in lines[0], lines[0]


@pytest.fixture
def good_vcf(tmp_path) -> Path:
    return write_vcf(tmp_path / "good.vcf", [rec("chr9", 5073770, "G", "T", "0/1:60,40:100")])


def test_version_and_help(run_jakcli):
    code, out, _ = run_jakcli("--version")
    assert code == 0 and out.startswith("jakcli ")
    code, out, _ = run_jakcli("classify", "--help")
    assert code == 0 and "--fail-on" in out


def test_fail_on_exit_1_and_success_0(good_vcf, tmp_path, run_jakcli):
    assert run_jakcli("classify", good_vcf)[0] == 0
    assert run_jakcli("classify", good_vcf, "--fail-on", "intermediate")[0] == 1
    assert run_jakcli("classify", good_vcf, "--fail-on", "high")[0] == 0
    out = tmp_path / "r.tsv"
    assert run_jakcli("classify", good_vcf, "--fail-on", "intermediate", "-o", out)[0] == 1
    assert out.read_text().startswith("sample\trule_id")  # the report is still written


def _no_leftovers(directory: Path, keep: set[str]):
    assert {p.name for p in directory.iterdir()} == keep


def test_truncated_gzip(tmp_path, good_vcf, run_jakcli):
    data = gzip.compress(good_vcf.read_bytes() * 50)
    bad = tmp_path / "trunc.vcf.gz"
    bad.write_bytes(data[: len(data) // 2])
    out = tmp_path / "out.json"
    code, _, err = run_jakcli("classify", bad, "-o", out, "--format", "json")
    assert code == 2
    assert_one_line_error(err, "trunc.vcf.gz")
    _no_leftovers(tmp_path, {"good.vcf", "trunc.vcf.gz"})


def test_truncated_bgzip(tmp_path, good_vcf, run_jakcli):
    import pysam
    big = write_vcf(tmp_path / "big.vcf", [rec("chr9", 5073770 + i, "G", "T", "0/1:60,40:100") for i in range(3000)])
    gz = tmp_path / "big.vcf.gz"
    pysam.tabix_compress(str(big), str(gz))
    raw = gz.read_bytes()
    gz.write_bytes(raw[: len(raw) // 2])
    code, _, err = run_jakcli("classify", gz, "-o", tmp_path / "o.tsv")
    assert code == 2
    assert_one_line_error(err, "big.vcf.gz")
    assert not (tmp_path / "o.tsv").exists()


def test_not_a_vcf(tmp_path, run_jakcli):
    bad = tmp_path / "notes.txt"
    bad.write_text("this is not a VCF\n")
    code, _, err = run_jakcli("classify", bad)
    assert code == 2
    assert_one_line_error(err, "notes.txt", "not a readable VCF")


def test_missing_file_and_no_input(tmp_path, run_jakcli):
    code, _, err = run_jakcli("classify", tmp_path / "nope.vcf")
    assert code == 2 and "nope.vcf" in err and "Traceback" not in err
    code, _, err = run_jakcli("classify")
    assert code == 2 and "Traceback" not in err


def test_unknown_sample(good_vcf, run_jakcli):
    code, _, err = run_jakcli("classify", good_vcf, "--sample", "NOPE")
    assert code == 2
    assert_one_line_error(err, "NOPE", "S1")


def test_undeterminable_build(tmp_path, run_jakcli):
    vcf = write_vcf(tmp_path / "nobuild.vcf", [rec("9", 5073770, "G", "T", "0/1:60,40:100")], build=None)
    code, _, err = run_jakcli("classify", vcf)
    assert code == 2
    assert_one_line_error(err, "nobuild.vcf", "--build")
    code, out, _ = run_jakcli("classify", vcf, "--build", "GRCh38")
    assert code == 0 and "jak2-v617f" in out


def test_inputs_with_different_builds(tmp_path, run_jakcli):
    from jakcli.model import Build
    a = write_vcf(tmp_path / "a.vcf", [rec("9", 5073770, "G", "T", "0/1:60,40:100")], build=Build.GRCH37, chr_prefix=False)
    b = write_vcf(tmp_path / "b.vcf", [rec("chr9", 5073770, "G", "T", "0/1:60,40:100")])
    code, _, err = run_jakcli("classify", a, b)
    assert code == 2
    assert_one_line_error(err, "disagree on the genome build")


def test_malformed_record(tmp_path, good_vcf, run_jakcli):
    text = good_vcf.read_text() + "chr9\tnotanumber\t.\tG\tT\t.\tPASS\t.\tGT:AD:DP\t0/1:1,1:2\n"
    bad = tmp_path / "badrec.vcf"
    bad.write_text(text)
    code, _, err = run_jakcli("classify", bad, "-o", tmp_path / "x.json")
    assert code == 2
    assert_one_line_error(err, "badrec.vcf")
    assert not (tmp_path / "x.json").exists()


def test_unknown_profile(good_vcf, run_jakcli):
    code, _, err = run_jakcli("classify", good_vcf, "--profile", "nope")
    assert code == 2
    assert_one_line_error(err, "nope", "b-all")


def test_invalid_rule_exit_3(tmp_path, good_vcf, run_jakcli):
    lab = tmp_path / "lab"
    lab.mkdir()
    (lab / "my-rule.yaml").write_text("id: my-rule\nversion: 1\ntitle: broken\n")
    code, _, err = run_jakcli("classify", good_vcf, "--rules", lab, "-o", tmp_path / "o.tsv")
    assert code == 3
    assert_one_line_error(err, "my-rule.yaml")
    assert not (tmp_path / "o.tsv").exists()
    (lab / "my-rule.yaml").write_text("id: [unclosed\n")
    code, _, err = run_jakcli("classify", good_vcf, "--rules", lab)
    assert code == 3
    assert_one_line_error(err, "my-rule.yaml:2:1", "YAML syntax error")


def test_stdin_and_atomic_output(tmp_path, good_vcf, run_jakcli):
    out = tmp_path / "report.json"
    code, stdout, _ = run_jakcli("classify", "-", "--format", "json", "-o", out, stdin=good_vcf.read_bytes())
    assert code == 0 and stdout == ""
    import json
    rep = json.loads(out.read_text())
    assert rep["inputs"][0]["path"] == "-" and len(rep["inputs"][0]["sha256"]) == 64
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".jakcli")] == []


def test_sites_only_vcf_is_refused(tmp_path, run_jakcli):
    path = tmp_path / "sites.vcf"
    path.write_text("##fileformat=VCFv4.2\n##contig=<ID=chr9,length=138394717>\n"
                    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nchr9\t5073770\t.\tG\tT\t.\tPASS\t.\n")
    code, _, err = run_jakcli("classify", path)
    assert code == 2
    assert_one_line_error(err, "sites-only")


def test_rename_option(tmp_path, run_jakcli):
    vcf = write_vcf(tmp_path / "tn.vcf", [rec("chr9", 5073770, "G", "T", "0/0:90,0:90", "0/1:60,40:100")],
                    samples=("NORMAL", "TUMOR"))
    code, out, err = run_jakcli("classify", vcf, "--rename", "TUMOR=PT-7", "--sample", "PT-7")
    assert code == 0, err
    assert out.splitlines()[1].startswith("PT-7\tjak2-v617f\t")
    code, _, err = run_jakcli("classify", vcf, "--rename", "TUMOR")
    assert code == 2 and "expected COLUMN=NAME" in err and "Traceback" not in err
    code, _, err = run_jakcli("classify", vcf, "--rename", "TUMOR=PT-7", "--format", "vcf")
    assert code == 2 and "--rename" in err
