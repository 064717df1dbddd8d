"""Issue 11, one test per reproduction, through the real CLI (``python3 -m jakcli`` in a subprocess).

Each test states the behaviour the issue asks for. A test that fails today is marked
``xfail(strict=True)``: its fix flips it, and the strict marker then makes the suite say so.
Every error check: the exit code, ONE stderr line ``jakcli: error: ...``, no traceback, nothing left
in the private TMPDIR handed to the process.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from support.clihelp import REALDATA, REPO, SAMPLE_DATA, assert_error, assert_no_crash, run

COHORT = SAMPLE_DATA / "cohort_grch38.vcf.gz"
MANIFEST = SAMPLE_DATA / "manifest.tsv"
FIX = REPO / "tests" / "fixtures" / "rearrangements"
MANTA38 = FIX / "manta_somatic_grch38.vcf"


def xfail(reason: str):
    return pytest.mark.xfail(strict=True, reason=f"issue 11: {reason}")


@pytest.fixture
def real() -> Path:
    if not REALDATA.is_dir():
        pytest.skip(f"real third-party files not found at {REALDATA} (set JAKCLI_REALDATA)")
    return REALDATA


def small_vcf(path: Path, body: list[str], header_extra: tuple = (), fmt_af: str = "Float",
              samples=("S1",)) -> Path:
    """A GRCh38 VCF (chr9 and chrX contigs) with the given record lines."""
    head = ["##fileformat=VCFv4.2", *header_extra,
            '##FILTER=<ID=PASS,Description="All filters passed">',
            '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
            '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">',
            '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Depth">',
            f'##FORMAT=<ID=AF,Number=A,Type={fmt_af},Description="Allele fraction">',
            "##contig=<ID=chr9,length=138394717>", "##contig=<ID=chrX,length=156040895>",
            "##reference=GRCh38",
            "\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", *samples])]
    path.write_text("\n".join(head + body) + "\n")
    return path


V617F = "chr9\t5073770\t.\tG\tT\t.\tPASS\t.\tGT:AD:DP\t0/1:60,40:100"


# ============================================================================ clinical / provenance

def test_forced_build_contradicted_by_pcgr_liftover_chain(real, tmp_path):
    res = run(tmp_path, "classify", "--build", "GRCh37", real / "pcgr_T001-COAD_GRCh38.vcf.gz",
              "-o", tmp_path / "r.tsv")
    assert_error(res, 2, "hg19Tohg38")
    assert not (tmp_path / "r.tsv").exists()


def test_forced_build_contradicted_by_reference_line(tmp_path):
    vcf = tmp_path / "ref38.vcf"
    vcf.write_text("##fileformat=VCFv4.2\n##reference=file:///ref/GRCh38_full_analysis_set.fa\n"
                   '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
                   "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n"
                   "9\t5073770\t.\tG\tT\t.\tPASS\t.\tGT\t0/1\n")
    res = run(tmp_path, "classify", "--build", "GRCh37", vcf)
    assert_error(res, 2, "GRCh38")


def test_forced_build_agreeing_with_header_is_accepted(real, tmp_path):
    res = run(tmp_path, "classify", "--build", "GRCh38", real / "pcgr_T001-COAD_GRCh38.vcf.gz", "--format", "json", "-o", tmp_path / "r.json")
    assert res.code == 0, res.err
    assert json.loads((tmp_path / "r.json").read_text())["genome_build"] == "GRCh38"


@pytest.mark.parametrize("alias,build,path", [("hg19", "GRCh37", "mutect2_WP043_JAK2_GRCh37.vcf"),
                                              ("b37", "GRCh37", "mutect2_WP043_JAK2_GRCh37.vcf"),
                                              ("hg38", "GRCh38", "pcgr_T001-COAD_GRCh38.vcf.gz")])
def test_build_aliases(real, tmp_path, alias, build, path):
    res = run(tmp_path, "classify", "--build", alias, real / path, "--format", "json", "-o", tmp_path / "r.json")
    assert res.code == 0, res.err
    assert json.loads((tmp_path / "r.json").read_text())["genome_build"] == build


def test_batch_report_lists_only_its_own_inputs(tmp_path):
    out = tmp_path / "out"
    res = run(tmp_path, "batch", MANIFEST, "-o", out, "--html")
    assert res.code == 0, res.err
    il7r = json.loads((out / "reports" / "BALL_IL7R.json").read_text())
    assert [Path(i["path"]).name for i in il7r["inputs"]] == ["cohort_grch38.vcf.gz"]
    crlf2 = json.loads((out / "reports" / "BALL_CRLF2_JAK2.json").read_text())
    assert {Path(i["path"]).name for i in crlf2["inputs"]} == {
        "cohort_grch38.vcf.gz", "BALL_CRLF2_JAK2.arriba.fusions.tsv", "BALL_CRLF2_JAK2.manta.somaticSV.vcf"}
    # cohort.html: the summary row naming the Arriba file is BALL_CRLF2_JAK2's own
    html = (out / "cohort.html").read_text()
    summary = [r.split("</tr>")[0] for r in html.split("<tr data-level=")[1:]]  # one per sample
    naming = [r for r in summary if "BALL_CRLF2_JAK2.arriba.fusions.tsv" in r]
    assert len(summary) == 10 and len(naming) == 1 and ">BALL_CRLF2_JAK2</a>" in naming[0]


def test_sv_given_small_variant_vcf(real, tmp_path):
    mutect = real / "mutect2_WP043_JAK2_GRCh37.vcf"
    res = run(tmp_path, "classify", "--sv", mutect, "--build", "GRCh37", "-o", tmp_path / "r.tsv")
    line = assert_error(res, 2, str(mutect), "--sv")
    assert "symbolic" in line or "breakend" in line or "structural" in line
    assert not (tmp_path / "r.tsv").exists()


def test_sv_file_with_breakends_is_accepted(tmp_path):
    res = run(tmp_path, "classify", "--sv", f"TUMOR={MANTA38}", "--build", "GRCh38", "-o", tmp_path / "r.tsv")
    assert res.code == 0, res.err


def test_manta_normal_column_not_reported(real, tmp_path):
    res = run(tmp_path, "classify", "--sv", real / "manta_HCC1954_somaticSV_GRCh37.vcf.gz", "--build", "GRCh37",
              "--format", "json", "-o", tmp_path / "r.json")
    assert res.code == 0, res.err
    rep = json.loads((tmp_path / "r.json").read_text())
    assert [s["sample"] for s in rep["samples"]] == ["HCC1954"]


def test_manta_header_without_target_contigs_not_assessed(real, tmp_path):
    res = run(tmp_path, "classify", "--sv", "HCC1954=" + str(real / "manta_HCC1954_somaticSV_GRCh37.vcf.gz"),
              "--build", "GRCh37", "--format", "json", "-o", tmp_path / "r.json")
    assert res.code == 0, res.err
    rep = json.loads((tmp_path / "r.json").read_text())
    risk = next(s for s in rep["samples"] if s["sample"] == "HCC1954")["risk"]
    assert risk["level"] in ("not-assessable", "none-detected")
    assert risk["worst_case_level"] == "high"
    assert any("structural" in n or "rearrang" in n for n in risk["not_assessed"]), risk


def test_plain_vcf_truncated_mid_record(tmp_path):
    vcf = small_vcf(tmp_path / "cut.vcf", [V617F, V617F.replace("5073770", "5073771")])
    data = vcf.read_bytes()
    vcf.write_bytes(data[: data.rindex(b"\t0/1")])  # the last record loses its sample column and newline
    res = run(tmp_path, "classify", vcf, "-o", tmp_path / "r.tsv")
    line = assert_error(res, 2, "cut.vcf")
    assert re.search(r"line \d+", line), line
    assert not (tmp_path / "r.tsv").exists()


def test_complete_plain_vcf_without_final_newline_is_fine(tmp_path):
    vcf = small_vcf(tmp_path / "ok.vcf", [V617F])
    vcf.write_bytes(vcf.read_bytes().rstrip(b"\n"))
    assert run(tmp_path, "classify", vcf, "-o", tmp_path / "r.tsv").code == 0


def test_header_only_vcf_warns(tmp_path):
    vcf = small_vcf(tmp_path / "empty_body.vcf", [])
    res = run(tmp_path, "classify", vcf, "-o", tmp_path / "r.tsv")
    assert res.code == 0
    assert any(ln.startswith("jakcli: warning:") and "no record" in ln for ln in res.err_lines), res.err
    strict = run(tmp_path, "classify", vcf, "--strict", "-o", tmp_path / "s.tsv")
    assert_error(strict, 2, "empty_body.vcf")


# ============================================================================ reports

def test_md_mpn_profile_renders_properly(tmp_path):
    res = run(tmp_path, "classify", COHORT, "--profile", "mpn", "--format", "md",
              "--sample", "MPN_V617F_HIGH", "--sample", "PV_JAK2_EXON12")
    assert res.code == 0, res.err
    md = res.out
    assert "None" not in md
    lines = md.splitlines()
    for i, ln in enumerate(lines):
        if ln.startswith("| gene |"):
            assert lines[i - 1].strip() == "", f"table glued to the line before: {lines[i - 1]!r}"
    assert "JAK2 JAK2" not in md
    section = md.split("## Sample PV\\_JAK2\\_EXON12")[1]
    findings_part = section.split("Rule loci")[0]  # the per-locus coverage table names every rule locus
    assert findings_part.count("p.K539L") == 1  # once, in the findings table; not again as a bullet


def test_shard_outputs_do_not_look_like_multiqc_content(tmp_path):
    shard = tmp_path / "shard1"
    res = run(tmp_path, "batch", MANIFEST, "-o", shard, "--shard", "1/2")
    assert res.code == 0, res.err
    assert not [p.name for p in shard.rglob("*") if "_mqc" in p.name]
    run(tmp_path, "batch", MANIFEST, "-o", tmp_path / "shard2", "--shard", "2/2")
    final = tmp_path / "final"
    res = run(tmp_path, "batch", MANIFEST, "-o", final, "--gather", shard, "--gather", tmp_path / "shard2")
    assert res.code == 0, res.err
    assert (final / "jakcli_risk_levels_mqc.json").is_file()


def test_stale_cohort_html_is_removed(tmp_path):
    out = tmp_path / "out"
    assert run(tmp_path, "batch", MANIFEST, "-o", out, "--html").code == 0
    assert (out / "cohort.html").is_file()
    assert run(tmp_path, "batch", MANIFEST, "-o", out, "--profile", "mpn").code == 0
    html = out / "cohort.html"
    assert not html.exists() or "superseded" in html.read_text().lower()


# ============================================================================ command line

def test_no_index_advice_for_stdin(tmp_path):
    res = run(tmp_path, "classify", "-", "-o", tmp_path / "r.tsv", stdin=gzip.decompress(COHORT.read_bytes()))
    assert res.code == 0, res.err
    assert not [ln for ln in res.err_lines if "index" in ln], res.err


def test_plain_gzip_notice_says_bgzip_first(tmp_path):
    gz = tmp_path / "plain.vcf.gz"
    gz.write_bytes(gzip.compress(small_vcf(tmp_path / "p.vcf", [V617F]).read_bytes()))
    res = run(tmp_path, "classify", gz, "-o", tmp_path / "r.tsv")
    assert res.code == 0, res.err
    notice = " ".join(ln for ln in res.err_lines if ln.startswith("jakcli: notice:"))
    assert "bgzip" in notice and "not bgzip" in notice.lower().replace("-", "") or "plain gzip" in notice.lower()


def test_bgzf_without_index_notice_advises_indexing(tmp_path):
    import pysam

    plain = small_vcf(tmp_path / "b.vcf", [V617F])
    pysam.tabix_compress(str(plain), str(tmp_path / "b.vcf.gz"))
    res = run(tmp_path, "classify", tmp_path / "b.vcf.gz", "-o", tmp_path / "r.tsv")
    assert res.code == 0 and any("bcftools index" in ln for ln in res.err_lines), res.err


@pytest.mark.parametrize("flag", ["-q", "--quiet"])
def test_quiet_silences_notices_not_errors(tmp_path, flag):
    res = run(tmp_path, "classify", flag, "-", "-o", tmp_path / "r.tsv", stdin=gzip.decompress(COHORT.read_bytes()))
    assert res.code == 0 and res.err == "", res.err
    bad = run(tmp_path, "classify", flag, tmp_path / "missing.vcf")
    assert_error(bad, 2, "missing.vcf")


def test_fail_on_names_samples(tmp_path):
    res = run(tmp_path, "classify", COHORT, "--fail-on", "intermediate", "-o", tmp_path / "r.tsv")
    assert res.code == 1
    named = " ".join(res.err_lines)
    for s in ("BALL_IL7R", "MPN_V617F_HIGH", "TALL_JAK1_JAK3"):
        assert s in named, res.err
    assert "NEGATIVE" not in named


def test_readme_fail_on_idiom_distinguishes_exit_2():
    assert "--fail-on high || echo" not in (REPO / "README.md").read_text()


def test_batch_fail_on(tmp_path):
    res = run(tmp_path, "batch", MANIFEST, "-o", tmp_path / "out", "--fail-on", "intermediate")
    assert res.code == 1, res.err
    assert "MPN_V617F_HIGH" in res.err and "NEGATIVE" not in res.err.replace("NEGATIVE:", "")


def test_batch_strict_fails_only_the_warned_sample(tmp_path):
    # PATIENT_MPN_37's VEP file is clean; a VCF without ##contig lines warns (coverage unknown)
    nocontig = tmp_path / "nocontig.vcf"
    nocontig.write_text("##fileformat=VCFv4.2\n##reference=GRCh38\n"
                        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
                        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tWARNED\n"
                        "chr9\t5073770\t.\tG\tT\t.\tPASS\t.\tGT\t0/1\n")
    man = tmp_path / "m.tsv"
    man.write_text(f"sample\tvcf\nWARNED\t{nocontig}\nMPN_CALR\t{COHORT}\n")
    res = run(tmp_path, "batch", man, "-o", tmp_path / "out", "--strict")
    assert res.code == 2, res.err
    failures = (tmp_path / "out" / "failures.tsv").read_text()
    assert "WARNED" in failures and "MPN_CALR" not in failures
    assert (tmp_path / "out" / "reports" / "MPN_CALR.json").is_file()


def test_manifest_per_row_build_and_profile(real, tmp_path):
    man = tmp_path / "m.tsv"
    man.write_text("sample\tvcf\tbuild\tprofile\n"
                   f"MPN_V617F_HIGH\t{COHORT}\tGRCh38\tmpn\n"
                   f"WP043\t{real / 'mutect2_WP043_JAK2_GRCh37.vcf'}\tGRCh37\tb-all\n")
    out = tmp_path / "out"
    res = run(tmp_path, "batch", man, "-o", out)
    assert res.code == 0, res.err
    mpn = json.loads((out / "reports" / "MPN_V617F_HIGH.json").read_text())
    wp = json.loads((out / "reports" / "WP043.json").read_text())
    assert (mpn["genome_build"], mpn["samples"][0]["risk"]["profile"]) == ("GRCh38", "mpn")
    assert (wp["genome_build"], wp["samples"][0]["risk"]["profile"]) == ("GRCh37", "b-all")


def test_missing_manifest_file_is_a_per_sample_failure(tmp_path):
    man = tmp_path / "m.tsv"
    man.write_text(f"sample\tvcf\nMPN_CALR\t{COHORT}\nGHOST\t{tmp_path / 'nope.vcf.gz'}\n")
    out = tmp_path / "out"
    res = run(tmp_path, "batch", man, "-o", out)
    assert res.code == 2
    assert (out / "reports" / "MPN_CALR.json").is_file()
    assert "GHOST" in (out / "failures.tsv").read_text()
    assert "GHOST" in res.err and "Traceback" not in res.err


def test_sample_with_fusions_in_multi_sample_run(tmp_path):
    res = run(tmp_path, "classify", COHORT, "--sample", "BALL_CRLF2_JAK2", "--fusions",
              SAMPLE_DATA / "BALL_CRLF2_JAK2.arriba.fusions.tsv", "--format", "json", "-o", tmp_path / "r.json")
    assert res.code == 0, res.err
    (s,) = json.loads((tmp_path / "r.json").read_text())["samples"]
    assert s["sample"] == "BALL_CRLF2_JAK2"
    assert any(f["rule_id"] == "crlf2-p2ry8-fusion" for f in s["findings"])


def test_classify_help(tmp_path):
    res = run(tmp_path, "classify", "--help")
    assert res.code == 0
    assert "Examples" in res.out or "examples" in res.out
    assert "Exit codes" in res.out or "exit codes" in res.out
    assert re.search(r"--profile \[b-all\|mpn\]", res.out), res.out


def test_group_help_not_cut_off(tmp_path):
    res = run(tmp_path, "--help")
    commands = res.out.split("Commands:", 1)[1]  # click's own "[ARGS]..." usage syntax is fine
    assert res.code == 0 and "..." not in commands, res.out
    lint = run(tmp_path, "rules", "lint", "--help")
    assert lint.code == 0 and ".py" not in lint.out, lint.out


@pytest.mark.parametrize("how", ["file", "devnull", "stdin"])
def test_empty_input_has_no_pysam_text(tmp_path, how):
    if how == "file":
        (tmp_path / "empty.vcf").write_bytes(b"")
        res = run(tmp_path, "classify", tmp_path / "empty.vcf")
    elif how == "devnull":
        res = run(tmp_path, "classify", "/dev/null")
    else:
        res = run(tmp_path, "classify", "-", stdin=b"")
    line = assert_error(res, 2)
    assert "b'" not in line and "mode=" not in line and "invalid file" not in line, line
    assert "empty" in line, line


def test_readme_hardening_items():
    text = (REPO / "README.md").read_text()
    assert "is not read yet" not in text
    assert "pip install jakcli snakemake" not in text
    assert "pip install jakcli snakemake" not in (REPO / "workflow" / "README.md").read_text()
    assert "JAKCLI_REALDATA" in text


# ============================================================================ fuzzing classes: non-UTF-8

LATIN1 = "##source=caf\xe9".encode("latin-1")


def _latin1_vcf(tmp_path: Path) -> bytes:
    text = small_vcf(tmp_path / "l.vcf", [V617F]).read_bytes()
    return text.replace(b"##reference=GRCh38", b"##reference=GRCh38\n" + LATIN1)


def _latin1_sv(tmp_path: Path) -> bytes:
    return MANTA38.read_bytes().replace(b"##fileDate=20260301", LATIN1)


@pytest.mark.parametrize("kind", ["plain", "gzip", "bgzf", "stdin"])
@pytest.mark.parametrize("role", ["vcf", "sv"])
def test_non_utf8_header(tmp_path, kind, role):
    import pysam

    data = _latin1_vcf(tmp_path) if role == "vcf" else _latin1_sv(tmp_path)
    path = tmp_path / "in.vcf"
    path.write_bytes(data)
    if kind == "gzip":
        path = tmp_path / "in.vcf.gz"
        path.write_bytes(gzip.compress(data))
    elif kind == "bgzf":
        pysam.tabix_compress(str(tmp_path / "in.vcf"), str(tmp_path / "in.bgz.vcf.gz"))
        path = tmp_path / "in.bgz.vcf.gz"
    arg = "-" if kind == "stdin" else str(path)
    stdin = data if kind == "stdin" else None
    args = ["classify", arg] if role == "vcf" else ["classify", "--sv", f"TUMOR={arg}", "--build", "GRCh38"]
    res = run(tmp_path, *args, "-o", tmp_path / "r.tsv", stdin=stdin)
    assert_no_crash(res, {0})


# ============================================================================ fuzzing classes: YAML

def _valid_rule_text() -> str:
    return (REPO / "tests" / "fixtures" / "lab_rules" / "new_rule" / "lab-jak2-v617l.yaml").read_text()


def _bomb(kind: str) -> str:
    """A rule document that must be refused (exit 3) quickly, named by ``kind``."""
    if kind == "billion_laughs":
        lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        lines += [f"a{i}: &a{i} [{','.join(['*a' + str(i - 1)] * 9)}]" for i in range(1, 10)]
        return "\n".join(lines) + "\nid: *a9\n"
    if kind == "many_keys":
        return "".join(f"k{i}: {i}\n" for i in range(200_000))
    if kind == "date":
        return _valid_rule_text().replace("version: 1\n", "version: 2026-01-01\n", 1)
    if kind == "timestamp":
        return _valid_rule_text() + "reviewed: 2026-01-01T10:00:00Z\n"
    if kind == "binary":
        return _valid_rule_text().replace("gene: JAK2", "gene: !!binary SkFLMg==", 1)
    if kind == "set":
        return _valid_rule_text() + "tags: !!set {a, b}\n"
    if kind == "nonstring_key":
        return _valid_rule_text() + "1: one\n[a, b]: two\n"
    if kind == "recursive_alias":
        return _valid_rule_text() + "loop: &loop [*loop]\n"
    if kind == "deep":
        return "x: " + "[" * 5000 + "]" * 5000 + "\n"
    if kind == "duplicate_key":
        return _valid_rule_text().replace("classification: likely-oncogenic",
                                          "classification: benign\nclassification: likely-oncogenic", 1)
    if kind == "nan_vaf":
        return _valid_rule_text().replace("reporting_floor: {vaf: 0.02}", "reporting_floor: {vaf: .nan}")
    raise AssertionError(kind)


BOMBS = ["billion_laughs", "many_keys", "date", "timestamp", "binary", "set", "nonstring_key",
         "recursive_alias", "deep", "duplicate_key", "nan_vaf"]


def _rule_dir(tmp_path: Path, kind: str, as_profile: bool) -> Path:
    d = tmp_path / "lab"
    if as_profile:
        (d / "profiles").mkdir(parents=True)
        (d / "profiles" / "lab-profile.yaml").write_text(_bomb(kind).replace("lab-jak2-v617l", "lab-profile"))
    else:
        d.mkdir()
        (d / "lab-jak2-v617l.yaml").write_text(_bomb(kind))
    (d / "ruleset.yaml").write_text('name: lab\nversion: "1"\n')
    return d


def test_valid_lab_rule_is_accepted(tmp_path):
    d = tmp_path / "lab"
    d.mkdir()
    (d / "lab-jak2-v617l.yaml").write_text(_valid_rule_text())
    (d / "ruleset.yaml").write_text('name: lab\nversion: "1"\n')
    assert run(tmp_path, "rules", "lint", d).code == 0
    assert run(tmp_path, "classify", COHORT, "--rules", d, "-o", tmp_path / "r.tsv").code == 0


YAML_CPU_S = 15  # CPU seconds: independent of machine load; a hang is killed by SIGXCPU


def _bounded(tmp_path: Path, *args):
    try:
        res = run(tmp_path, *args, timeout=120, cpu_seconds=YAML_CPU_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"jakcli {args[0]} did not finish within 120 s")
    if res.code < 0:
        pytest.fail(f"jakcli {args[0]} used over {YAML_CPU_S} s of CPU (killed by signal {-res.code})")
    return res


def _classify_rules(tmp_path: Path, d: Path):
    return _bounded(tmp_path, "classify", COHORT, "--rules", d, "-o", tmp_path / "r.tsv")


def _lint(tmp_path: Path, d: Path):
    return _bounded(tmp_path, "rules", "lint", d)


# Today's outcome per bomb (the strict xfail flips when a bound or validation fixes it).
_CLASSIFY_FAILS: dict = {}  # every bomb is refused since the bounded loader (ruleset.read_yaml)
_LINT_FAILS: dict = {}
_PROFILE_FAILS: dict = {}


def _maybe_xfail(table: dict, kind: str):
    return [xfail(f"rule YAML '{kind}': {table[kind]}")] if kind in table else []


@pytest.mark.parametrize("kind", [pytest.param(k, marks=_maybe_xfail(_CLASSIFY_FAILS, k)) for k in BOMBS])
def test_yaml_bomb_classify_rules(tmp_path, kind):
    res = _classify_rules(tmp_path, _rule_dir(tmp_path, kind, as_profile=False))
    assert_error(res, 3, "lab-jak2-v617l.yaml")
    assert not (tmp_path / "r.tsv").exists()


@pytest.mark.parametrize("kind", [pytest.param(k, marks=_maybe_xfail(_PROFILE_FAILS, k)) for k in BOMBS])
def test_yaml_bomb_profile(tmp_path, kind):
    res = _classify_rules(tmp_path, _rule_dir(tmp_path, kind, as_profile=True))
    assert_error(res, 3, "lab-profile.yaml")


@pytest.mark.parametrize("kind", [pytest.param(k, marks=_maybe_xfail(_LINT_FAILS, k)) for k in BOMBS])
def test_yaml_bomb_rules_lint(tmp_path, kind):
    res = _lint(tmp_path, _rule_dir(tmp_path, kind, as_profile=False))
    assert res.code == 3, (res.code, res.out, res.err)
    assert "Traceback" not in res.err and "internal error" not in res.err
    assert "lab-jak2-v617l.yaml" in res.out + res.err


# ============================================================================ fuzzing classes: numbers

@pytest.mark.parametrize("case", ["af_abc", "af_dot", "strelka_indel", "strelka_snv"])
def test_string_typed_numeric_format(tmp_path, case):
    if case in ("af_abc", "af_dot"):
        v = "abc" if case == "af_abc" else "."
        vcf = small_vcf(tmp_path / "s.vcf", [f"chr9\t5073770\t.\tG\tT\t.\tPASS\t.\tGT:AF\t0/1:{v}"], fmt_af="String")
    else:
        decl = tuple(f'##FORMAT=<ID={k},Number=2,Type=String,Description="tier counts">'
                     for k in ("TIR", "TAR", "AU", "CU", "GU", "TU"))
        fmt, val = (("TIR:TAR", "abc,x:y,z") if case == "strelka_indel" else ("AU:CU:GU:TU", "a,b:c,d:e,f:g,h"))
        vcf = small_vcf(tmp_path / "s.vcf", [f"chr9\t5073770\t.\tG\tT\t.\tPASS\t.\t{fmt}\t{val}"],
                        header_extra=decl)
    res = run(tmp_path, "classify", vcf, "-o", tmp_path / "r.tsv")
    assert_no_crash(res)


def _sv_vcf(tmp_path: Path, tumour_pr: str = "28,7", info_extra: str = "", alt: str = "<DEL>",
            end: str = "1500000", name: str = "sv.vcf") -> Path:
    head = MANTA38.read_text().split("#CHROM")[0]
    head += '##INFO=<ID=POS2,Number=1,Type=String,Description="DELLY">\n'
    head += '##INFO=<ID=CHR2,Number=1,Type=String,Description="DELLY">\n'
    body = (f"chrX\t1300000\tsv1\tN\t{alt}\t.\tPASS\tSVTYPE=DEL;END={end};SVLEN=-200000{info_extra}\t"
            f"PR:SR\t30,0:25,0\t{tumour_pr}:18,6\n")
    p = tmp_path / name
    p.write_text(head + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNORMAL\tTUMOR\n" + body)
    return p


def _gridss_vf(tmp_path: Path, value: str) -> Path:
    """A GRIDSS-style record whose Float support field VF holds ``value``."""
    sv = _sv_vcf(tmp_path)
    text = sv.read_text().replace("#CHROM", '##FORMAT=<ID=VF,Number=1,Type=Float,Description="GRIDSS">\n#CHROM')
    text = text.replace("PR:SR\t30,0:25,0\t28,7:18,6", f"VF\t0\t{value}")
    sv.write_text(text)
    return sv


@pytest.mark.parametrize("case", ["vf_inf", "vf_1e400", "pos2_inf"])
def test_sv_support_overflow(tmp_path, case):
    if case == "pos2_inf":
        sv = _sv_vcf(tmp_path, info_extra=";CHR2=chr9;POS2=inf;CT=3to5", alt="<TRA>")
        sv.write_text(sv.read_text().replace("SVTYPE=DEL", "SVTYPE=TRA").replace(
            "#CHROM", '##INFO=<ID=CT,Number=1,Type=String,Description="DELLY connection type">\n#CHROM'))
    else:
        sv = _gridss_vf(tmp_path, "inf" if case == "vf_inf" else "1e400")
    res = run(tmp_path, "classify", "--sv", f"TUMOR={sv}", "--build", "GRCh38", "-o", tmp_path / "r.tsv")
    assert_no_crash(res)


HUGE = "9" * 5000


def test_huge_int_vcf_pos(tmp_path):
    vcf = small_vcf(tmp_path / "h.vcf", [V617F.replace("5073770", HUGE)])
    assert_error(run(tmp_path, "classify", vcf, "-o", tmp_path / "r.tsv"), 2, "h.vcf")


@pytest.mark.parametrize("where", ["reads", "breakpoint"])
def test_huge_int_fusion_table(tmp_path, where):
    reads, bp = (HUGE, "chrX:1213001") if where == "reads" else ("6", f"chrX:{HUGE}")
    t = tmp_path / "f.tsv"
    t.write_text(f"sample\tgene5\tgene3\tbreakpoint5\tbreakpoint3\treads\tconfidence\n"
                 f"PT-01\tIGH\tCRLF2\tchr14:105863198\t{bp}\t{reads}\t.\n")
    res = run(tmp_path, "classify", "--fusions", t, "--build", "GRCh38", "-o", tmp_path / "r.tsv")
    assert_error(res, 2, "f.tsv")


def test_huge_int_rule_pos(tmp_path):
    d = tmp_path / "lab"
    d.mkdir()
    (d / "lab-jak2-v617l.yaml").write_text(_valid_rule_text().replace("pos: 5073770", f"pos: {HUGE}"))
    res = _classify_rules(tmp_path, d)
    assert_error(res, 3, "lab-jak2-v617l.yaml")


# ============================================================================ disk full

@pytest.fixture
def dev_full(tmp_path) -> Path:
    """A full device to write to. As root, a private node (char 1,7) in its own folder: jakcli
    currently renames its temporary file onto the output path, which as root REPLACES the device
    node (this replaced the system's /dev/full once); a private node keeps that damage in tmp_path."""
    import os
    import stat

    if os.geteuid() != 0:
        return Path("/dev/full")  # /dev is not writable: nothing can be renamed onto it
    d = tmp_path / "dev"
    d.mkdir()
    node = d / "full"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    except OSError as exc:
        pytest.skip(f"cannot create a private full device: {exc}")
    return node


def _still_a_device(node: Path) -> bool:
    import stat

    return stat.S_ISCHR(node.stat().st_mode)


@pytest.mark.parametrize("fmt", ["tsv", "json", "md", "html", "vcf"])
def test_output_to_full_device(tmp_path, dev_full, fmt):
    res = run(tmp_path, "classify", COHORT, "--format", fmt, "-o", dev_full)
    assert _still_a_device(dev_full), "the output device node was replaced by a regular file"
    assert_error(res, 2, str(dev_full))
    assert not [p for p in dev_full.parent.iterdir() if p.name != "full"]


def test_stdin_to_full_device_leaves_no_spool(tmp_path, dev_full):
    res = run(tmp_path, "classify", "-", "-o", dev_full, stdin=gzip.decompress(COHORT.read_bytes()))
    assert _still_a_device(dev_full)
    assert_error(res, 2, str(dev_full), allow_notices=True)  # the stdin notice is its own item


def test_stdout_to_dev_full(tmp_path, dev_full):
    import os
    import sys

    tmpdir = tmp_path / "_tmpdir"
    tmpdir.mkdir()
    env = {**os.environ, "TMPDIR": str(tmpdir), "PYTHONPATH": str(REPO)}
    with open(dev_full, "wb") as full:
        proc = subprocess.run([sys.executable, "-m", "jakcli", "classify", str(COHORT)], stdout=full,
                              stderr=subprocess.PIPE, cwd=REPO, env=env, timeout=120)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "Traceback" not in err, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("jakcli: error:"), err
    assert list(tmpdir.iterdir()) == []


@pytest.fixture
def full_tmpfs(tmp_path):
    """A 256 KiB tmpfs, so writing a batch OUTDIR runs out of space."""
    mnt = tmp_path / "full"
    mnt.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)], capture_output=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {proc.stderr.decode().strip()}")
    (mnt / "filler").write_bytes(b"\0" * (256 * 1024 - 12 * 1024))  # leave about 12 KiB
    yield mnt
    subprocess.run(["umount", str(mnt)], capture_output=True)


def test_batch_outdir_on_full_device(tmp_path, full_tmpfs):
    out = full_tmpfs / "out"
    res = run(tmp_path, "batch", MANIFEST, "-o", out, "--html")
    assert res.code == 2 and "Traceback" not in res.err and "internal error" not in res.err, res.err
    assert all(ln.startswith("jakcli:") for ln in res.err_lines), res.err
    assert any(ln.startswith("jakcli: error:") for ln in res.err_lines), res.err
    assert not list(full_tmpfs.rglob(".jakcli-*.part")), list(full_tmpfs.rglob("*"))
    assert res.leftovers() == []


# ============================================================================ malformed records

def _malformed(tmp_path: Path, case: str) -> Path:
    if case == "del_end_before_pos":
        return _sv_vcf(tmp_path, end="1200000")
    sv = _sv_vcf(tmp_path)
    lines = sv.read_text().rstrip("\n").split("\n")
    if case == "extra_sample_column":
        lines[-1] += "\t30,0:25,0"
    elif case == "bnd_8_columns":
        lines.append("chr9\t5060000\tbnd1\tT\t[chr9:36900000[T\t.\tPASS\tSVTYPE=BND")
    sv.write_text("\n".join(lines) + "\n")
    return sv


MALFORMED = ["del_end_before_pos", "extra_sample_column", "bnd_8_columns"]


def _malformed_params():
    return list(MALFORMED)


@pytest.mark.parametrize("case", _malformed_params())
def test_sv_reader_malformed_record(tmp_path, case):
    sv = _malformed(tmp_path, case)
    res = run(tmp_path, "classify", "--sv", f"TUMOR={sv}", "--build", "GRCh38", "--format", "json",
              "-o", tmp_path / "r.json")
    assert_no_crash(res)
    if res.code == 0:  # every record is evaluated or counted as skipped with a reason
        st = json.loads((tmp_path / "r.json").read_text())["stats"]["rearrangements"]
        assert st, st


@pytest.mark.parametrize("case", _malformed_params())
def test_format_vcf_malformed_record(tmp_path, case):
    sv = _malformed(tmp_path, case)
    res = run(tmp_path, "classify", sv, "--format", "vcf", "-o", tmp_path / "r.vcf")
    assert_no_crash(res)
    if res.code != 0:
        assert not (tmp_path / "r.vcf").exists()


# ============================================================================ batch lock

def test_batch_lock_does_not_follow_symlink(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (out / ".jakcli-batch.lock").symlink_to(outside / "planted")
    man = tmp_path / "m.tsv"
    man.write_text(f"sample\tvcf\nMPN_CALR\t{COHORT}\n")
    res = run(tmp_path, "batch", man, "-o", out)
    assert not (outside / "planted").exists()
    assert res.code in (0, 2) and "Traceback" not in res.err and "internal error" not in res.err, res.err
    if res.code == 2:
        assert_error(res, 2, ".jakcli-batch.lock")


def test_error_echoing_a_control_character_stays_one_line(tmp_path):
    """Found by the fuzz suite: a vertical tab in a fusion-table value split the error into two lines."""
    t = tmp_path / "f.tsv"
    t.write_text("sample\tgene5\tgene3\tbreakpoint5\tbreakpoint3\treads\tconfidence\n"
                 "PT-01\tIGH\tCRLF2\tchr14:\x0b105863198\tchrX:1213001\t6\t.\n")
    res = run(tmp_path, "classify", "--fusions", t, "--build", "GRCh38", "-o", tmp_path / "r.tsv")
    assert_error(res, 2, "f.tsv", "\\x0b")
