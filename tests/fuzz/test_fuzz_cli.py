"""Property-based fuzzing of every reader through the CLI (issue 11).

Valid inputs of each reader (VCF text, BGZF, BCF, Arriba / STAR-Fusion / generic fusion tables, SV
VCFs, rule YAML, batch manifests) are mutated: byte flips, truncation, line duplication and deletion,
fields replaced by tricky values. The contract checked on every example:
- exit code 0, 1, 2 or 3 (never 70), and no traceback;
- an error is exactly one ``jakcli: error:`` line (every stderr line starts ``jakcli``);
- after an error no output file exists; after any run no temporary is left in TMPDIR or beside
  the output;
- the run finishes within ``EXAMPLE_TIMEOUT_S``.

Most examples run in-process (click's CliRunner, private ``tempfile.tempdir``); a sample runs as
a real subprocess, which also sees what htslib prints on file descriptor 2. Fixed seed
(``derandomize=True``). ``JAKCLI_FUZZ_EXAMPLES=N`` sets the examples per target (default small,
so the whole suite takes about two minutes). Marked ``fuzz``: ``pytest -m "not fuzz"`` skips it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jakcli.cli import cli

pytestmark = pytest.mark.fuzz

REPO = Path(__file__).resolve().parents[2]
FIX = REPO / "tests" / "fixtures" / "rearrangements"
SAMPLE_DATA = REPO / "sample_data"
EXAMPLES = int(os.environ.get("JAKCLI_FUZZ_EXAMPLES", "25"))
SUBPROCESS_EXAMPLES = max(4, EXAMPLES // 3)
EXAMPLE_TIMEOUT_S = 20
OK_CODES = {0, 1, 2, 3}

FUZZ = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])

# ----------------------------------------------------------------------------- base inputs

_VCF_HEADER = """##fileformat=VCFv4.2
##source=fuzz
##reference=GRCh38
##FILTER=<ID=PASS,Description="All filters passed">
##FILTER=<ID=LowQual,Description="Low quality">
##INFO=<ID=DP,Number=1,Type=Integer,Description="Depth">
##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. Format: Allele|Consequence|SYMBOL|HGVSp">
##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">
##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">
##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Depth">
##FORMAT=<ID=AF,Number=A,Type=Float,Description="Allele fraction">
##FORMAT=<ID=FREQ,Number=1,Type=String,Description="VarScan frequency">
##contig=<ID=chr1,length=248956422>
##contig=<ID=chr9,length=138394717>
##contig=<ID=chrX,length=156040895>
##contig=<ID=chrY,length=57227415>
#CHROM	POS	ID	REF	ALT	QUAL	FILTER	INFO	FORMAT	S1	S2
"""
_VCF_RECORDS = [
    "chr9\t5073770\trs77375493\tG\tT\t50\tPASS\tDP=100;CSQ=T|missense_variant|JAK2|p.Val617Phe\t"
    "GT:AD:DP:AF\t0/1:60,40:100:0.4\t0/0:100,0:100:0",
    "chr9\t5078360\t.\tA\tG,T\t.\tPASS\tDP=80\tGT:AD:DP\t0/1:40,20,0:60\t0/2:30,0,10:40",
    "chr9\t5070022\t.\tAAAGAATCAAG\tA\t.\tLowQual\t.\tGT:AD:DP:FREQ\t0/1:50,12:62:19.4%\t./.:.:.:.",
    "chrX\t1314966\t.\tA\tC\t.\tPASS\t.\tGT:AD\t1:0,20\t0:30,0",
    "chr1\t1000\t.\tC\t<DEL>\t.\tPASS\t.\tGT\t0/1\t0/0",
]
VCF_TEXT = (_VCF_HEADER + "\n".join(_VCF_RECORDS) + "\n").encode()

ARRIBA = (FIX / "arriba_v2_grch38.tsv").read_bytes()
STAR_FUSION = (FIX / "star-fusion.fusion_predictions.abridged.grch38.tsv").read_bytes()
GENERIC = (FIX / "generic_fusions.grch38.tsv").read_bytes()
MANTA = (FIX / "manta_somatic_grch38.vcf").read_bytes()
DELLY = (FIX / "delly_germline_grch37.vcf").read_bytes()
RULE = (REPO / "tests" / "fixtures" / "lab_rules" / "new_rule" / "lab-jak2-v617l.yaml").read_bytes()
PROFILE = (REPO / "rules" / "profiles" / "mpn.yaml").read_bytes()

TRICKY = ["", ".", "nan", "NaN", "inf", "-inf", "1e400", "-1", "0", "+5", "0x10", "1_000", "\u0661\u0662",
          "9" * 5000, "caf\xe9", "\t", "\n", "\r", "x" * 70000, ",,,", "<DEL>", "]chr9:5073770]N", "N[chr9:1[",
          "-", "%", "chr9:", ":5", "chr9:-5", "\x00", "\ufeff", "'", '"', "{a: 1}", "[", "&a *a", "!!binary x"]


# ----------------------------------------------------------------------------- mutations

@dataclass(frozen=True)
class Mutation:
    kind: str
    a: int
    b: int
    value: str


_mutation = st.builds(
    Mutation,
    kind=st.sampled_from(["flip", "truncate", "dup_line", "del_line", "swap_lines", "field", "field",
                          "field", "insert"]),
    a=st.integers(min_value=0, max_value=1 << 20),
    b=st.integers(min_value=0, max_value=1 << 20),
    value=st.sampled_from(TRICKY) | st.text(max_size=12),
)
mutations = st.lists(_mutation, min_size=1, max_size=4)


def _encode(value: str) -> bytes:
    """Tricky values keep their bytes; U+00E9 on its own becomes a raw Latin-1 byte (not UTF-8)."""
    return value.encode("latin-1") if value == "caf\xe9" else value.encode("utf-8", "surrogatepass")


def apply(data: bytes, muts: list[Mutation], body_from: int = 0) -> bytes:
    """Apply mutations; line operations prefer lines at or after ``body_from`` (the records)."""
    _CURRENT["muts"] = repr(muts)
    for m in muts:
        lines = data.split(b"\n")
        n = len(lines)
        pick = (body_from + m.a % max(1, n - body_from)) if n > body_from else m.a % max(1, n)
        pick = min(pick, n - 1)
        if m.kind == "flip" and data:
            i = m.a % len(data)
            data = data[:i] + bytes([m.b % 256]) + data[i + 1:]
        elif m.kind == "truncate" and data:
            data = data[: m.a % len(data)]
        elif m.kind == "dup_line":
            lines.insert(pick, lines[pick])
            data = b"\n".join(lines)
        elif m.kind == "del_line" and n > 1:
            del lines[pick]
            data = b"\n".join(lines)
        elif m.kind == "swap_lines" and n > 1:
            j = m.b % n
            lines[pick], lines[j] = lines[j], lines[pick]
            data = b"\n".join(lines)
        elif m.kind == "field":
            fields = lines[pick].split(b"\t")
            fields[m.b % len(fields)] = _encode(m.value)
            lines[pick] = b"\t".join(fields)
            data = b"\n".join(lines)
        elif m.kind == "insert":
            i = m.a % (len(data) + 1)
            data = data[:i] + _encode(m.value) + data[i:]
    return data


def header_lines(data: bytes) -> int:
    return sum(1 for ln in data.split(b"\n") if ln.startswith(b"#"))


# ----------------------------------------------------------------------------- running and the contract

class _Timeout(BaseException):
    """Raised by SIGALRM; a BaseException so jakcli's ``except Exception`` cannot swallow it."""


@contextmanager
def _time_limit(seconds: int):
    def on_alarm(signum, frame):
        raise _Timeout()

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@dataclass
class Outcome:
    code: int
    err: str


@contextmanager
def _workspace():
    """A fresh folder holding inputs (in/), the output folder (out/) and a private TMPDIR (tmp/)."""
    with tempfile.TemporaryDirectory(prefix="fuzzws-") as ws:
        root = Path(ws)
        for d in ("in", "out", "tmp", "cache"):
            (root / d).mkdir()
        yield root


def run_inprocess(root: Path, args: list[str], stdin: bytes | None = None) -> Outcome:
    old_tempdir = tempfile.tempdir
    old_env = {k: os.environ.get(k) for k in ("TMPDIR", "JAKCLI_CACHE_DIR", "JAKCLI_DEBUG")}
    tempfile.tempdir = str(root / "tmp")
    os.environ.update(TMPDIR=str(root / "tmp"), JAKCLI_CACHE_DIR=str(root / "cache"))
    os.environ.pop("JAKCLI_DEBUG", None)
    try:
        with _time_limit(EXAMPLE_TIMEOUT_S):
            res = CliRunner().invoke(cli, args, input=stdin, catch_exceptions=True)
    except _Timeout:
        violation(f"hang over {EXAMPLE_TIMEOUT_S} s", f"jakcli {' '.join(args)}", "")
        return Outcome(0, "")
    finally:
        tempfile.tempdir = old_tempdir
        for k, v in old_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        violation(f"uncaught {type(res.exception).__name__}", f"jakcli {' '.join(args)}", str(res.exception))
    return Outcome(res.exit_code, res.stderr)


def run_subprocess(root: Path, args: list[str], stdin: bytes | None = None) -> Outcome:
    env = {**os.environ, "TMPDIR": str(root / "tmp"), "JAKCLI_CACHE_DIR": str(root / "cache"),
           "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("JAKCLI_DEBUG", None)
    try:
        proc = subprocess.run([sys.executable, "-m", "jakcli", *args], input=stdin, capture_output=True,
                              env=env, cwd=root, timeout=EXAMPLE_TIMEOUT_S + 10)
    except subprocess.TimeoutExpired:
        violation(f"hang over {EXAMPLE_TIMEOUT_S + 10} s", f"jakcli {' '.join(args)}", "")
        return Outcome(0, "")
    return Outcome(proc.returncode, proc.stderr.decode("utf-8", "replace"))


# Failure classes of issue 11 that are known and not fixed yet. A violation whose stderr matches one
# of these is tolerated (so CI stays green while the fixes land); remove an entry when its fix lands.
# JAKCLI_FUZZ_STRICT=1 ignores this list; JAKCLI_FUZZ_REPORT=FILE logs every violation as a JSON
# line instead of failing (for a long exploration run, see FINDINGS.md).
KNOWN = {
    "Closing failed": "a corrupted BCF: pysam raises OSError when the file is closed (FINDINGS.md F1)",
    "UnicodeDecodeError": "non-UTF-8 bytes in a record (not the header): exit 70, stdin spool left (FINDINGS.md F3)",
}
STRICT = bool(os.environ.get("JAKCLI_FUZZ_STRICT"))
REPORT = os.environ.get("JAKCLI_FUZZ_REPORT")
_CURRENT: dict = {}


def _signature(err: str) -> str:
    """A failure class: the error text with paths, numbers and quoted values blanked."""
    import re

    first = next((ln for ln in err.splitlines() if "error" in ln), err.strip()[:200])
    first = re.sub(r"/\S+", "PATH", first)
    first = re.sub(r"'[^']*'|`[^`]*`|\"[^\"]*\"", "'X'", first)
    return re.sub(r"\d+", "N", first)[:200]


def violation(problem: str, where: str, err: str) -> None:
    """Fail, or log (JAKCLI_FUZZ_REPORT), or tolerate a known issue-11 class."""
    sig = _signature(err) if err.strip() else problem
    if REPORT:
        import json

        with open(REPORT, "a") as fh:
            fh.write(json.dumps({"test": os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0],
                                 "problem": problem, "class": sig, "command": where[:300],
                                 "stderr": err[:400], "mutations": _CURRENT.get("muts", "")[:600]}) + "\n")
        return
    if not STRICT:
        for known, why in KNOWN.items():
            if known in err or known in problem:
                return
    pytest.fail(f"{problem} from {where}: {err[:800]}", pytrace=False)


def check_contract(root: Path, out: Outcome, outputs: list[Path], args: list[str],
                   codes: set = frozenset(OK_CODES)) -> None:
    where = f"jakcli {' '.join(a[:80] for a in args)}"
    lines = [ln for ln in out.err.splitlines() if ln.strip()]
    if out.code not in codes:
        violation(f"exit {out.code}", where, out.err)
    if "Traceback" in out.err:
        violation("traceback", where, out.err)
    if not all(ln.startswith("jakcli") for ln in lines):
        violation("stray stderr line", where, out.err)
    if out.code >= 2 and "internal error" not in out.err:
        errors = [ln for ln in lines if ln.startswith("jakcli: error:")]
        if len(errors) != 1 and not (args[0] == "batch" or args[:2] == ["rules", "lint"]):
            violation(f"{len(errors)} error lines", where, out.err)
        left_out = [p.name for p in outputs if p.exists()]
        if left_out:
            violation(f"output left after exit {out.code}: {left_out}", where, out.err)
    left = sorted(p.name for p in (root / "tmp").iterdir())
    if left:
        violation(f"temporaries left in TMPDIR: {[n.split('-')[0] + '-' + n.split('-')[1] for n in left]}",
                  where, out.err)
    parts = sorted(p.name for p in (root / "out").rglob(".jakcli-*.part"))
    if parts:
        violation("partial output left", where, out.err)


def classify_case(data: bytes, name: str, extra: list[str], role: str = "vcf", fmt: str = "json",
                  subprocess_run: bool = False) -> None:
    with _workspace() as root:
        path = root / "in" / name
        path.write_bytes(data)
        out = root / "out" / f"report.{fmt}"
        if role == "vcf":
            args = ["classify", str(path)]
        elif role == "stdin":
            args = ["classify", "-"]
        else:
            args = ["classify", f"--{role}", f"TUMOR={path}" if role == "sv" else f"S1={path}"]
        args += ["--format", fmt, "-o", str(out), *extra]
        stdin = data if role == "stdin" else None
        runner = run_subprocess if subprocess_run else run_inprocess
        check_contract(root, runner(root, args, stdin), [out], args)


# ----------------------------------------------------------------------------- the targets

@FUZZ
@given(muts=mutations)
def test_fuzz_vcf_text(muts):
    classify_case(apply(VCF_TEXT, muts, header_lines(VCF_TEXT)), "in.vcf", [])


@FUZZ
@given(muts=mutations)
def test_fuzz_vcf_stdin(muts):
    classify_case(apply(VCF_TEXT, muts, header_lines(VCF_TEXT)), "unused.vcf", [], role="stdin", fmt="tsv")


@FUZZ
@given(muts=mutations, raw=st.booleans())
def test_fuzz_vcf_bgzf(muts, raw):
    """Mutate the text then compress (reader logic), or compress then mutate the bytes (BGZF layer)."""
    import pysam

    with tempfile.TemporaryDirectory() as d:
        plain, gz = Path(d) / "x.vcf", Path(d) / "x.vcf.gz"
        plain.write_bytes(VCF_TEXT if raw else apply(VCF_TEXT, muts, header_lines(VCF_TEXT)))
        pysam.tabix_compress(str(plain), str(gz), force=True)
        data = gz.read_bytes()
    classify_case(apply(data, muts) if raw else data, "in.vcf.gz", [])


def _bcf_bytes() -> bytes:
    import pysam

    with tempfile.TemporaryDirectory() as d:
        plain, bcf = Path(d) / "x.vcf", Path(d) / "x.bcf"
        plain.write_bytes(VCF_TEXT)
        with pysam.VariantFile(str(plain)) as src, pysam.VariantFile(str(bcf), "wb", header=src.header) as dst:
            for rec in src:
                dst.write(rec)
        return bcf.read_bytes()


BCF = _bcf_bytes()


@FUZZ
@given(muts=st.lists(_mutation.filter(lambda m: m.kind in ("flip", "truncate", "insert")), min_size=1, max_size=3))
def test_fuzz_bcf(muts):
    classify_case(apply(BCF, muts), "in.bcf", [])


@FUZZ
@given(muts=mutations)
def test_fuzz_format_vcf_output(muts):
    classify_case(apply(VCF_TEXT, muts, header_lines(VCF_TEXT)), "in.vcf", [], fmt="vcf")


@FUZZ
@given(muts=mutations, which=st.sampled_from(["arriba", "star", "generic"]))
def test_fuzz_fusion_tables(muts, which):
    base = {"arriba": ARRIBA, "star": STAR_FUSION, "generic": GENERIC}[which]
    data = apply(base, muts, 1)
    if which == "generic":  # its own sample column names the samples: no SAMPLE= prefix
        with _workspace() as root:
            path = root / "in" / "f.tsv"
            path.write_bytes(data)
            out = root / "out" / "report.json"
            args = ["classify", "--fusions", str(path), "--build", "GRCh38", "--format", "json", "-o", str(out)]
            check_contract(root, run_inprocess(root, args), [out], args)
    else:
        classify_case(data, "f.tsv", ["--build", "GRCh38"], role="fusions")


@FUZZ
@given(muts=mutations, which=st.sampled_from(["manta", "delly"]))
def test_fuzz_sv_vcf(muts, which):
    base = MANTA if which == "manta" else DELLY
    build = "GRCh38" if which == "manta" else "GRCh37"
    data = apply(base, muts, header_lines(base))
    if which == "delly":
        with _workspace() as root:
            path = root / "in" / "sv.vcf"
            path.write_bytes(data)
            out = root / "out" / "report.json"
            args = ["classify", "--sv", str(path), "--build", build, "--format", "json", "-o", str(out)]
            check_contract(root, run_inprocess(root, args), [out], args)
    else:
        classify_case(data, "sv.vcf", ["--build", build], role="sv")


def _rule_dir(root: Path, rule: bytes, profile: bytes | None) -> Path:
    d = root / "in" / "lab"
    d.mkdir()
    (d / "lab-jak2-v617l.yaml").write_bytes(rule)
    (d / "ruleset.yaml").write_text('name: lab\nversion: "1"\n')
    if profile is not None:
        (d / "profiles").mkdir()
        (d / "profiles" / "mpn.yaml").write_bytes(profile)
    return d


@FUZZ
@given(muts=mutations, target=st.sampled_from(["rule", "profile"]), command=st.sampled_from(["classify", "lint"]))
def test_fuzz_rule_yaml(muts, target, command):
    """A mutated rule (or profile) file: exit 0 or 3 and one line (lint may list several problems)."""
    yaml_muts = [m if m.kind != "field" else Mutation("insert", m.a, m.b, m.value) for m in muts]
    rule = apply(RULE, yaml_muts) if target == "rule" else RULE
    profile = apply(PROFILE, yaml_muts) if target == "profile" else None
    with _workspace() as root:
        d = _rule_dir(root, rule, profile)
        out = root / "out" / "report.tsv"
        if command == "classify":
            args = ["classify", str(SAMPLE_DATA / "single_grch37_vep.vcf"), "--rules", str(d), "-o", str(out)]
            check_contract(root, run_inprocess(root, args), [out], args, codes={0, 3})
        else:
            args = ["rules", "lint", str(d)]
            check_contract(root, run_inprocess(root, args), [], args, codes={0, 3})


@settings(FUZZ, max_examples=max(5, EXAMPLES // 3))
@given(muts=mutations)
def test_fuzz_manifest(muts):
    """A mutated batch manifest: exit 0 or 2, no traceback, every stderr line from jakcli."""
    manifest = (f"sample\tvcf\tfusions\tsv\n"
                f"BALL_CRLF2_JAK2\t{SAMPLE_DATA / 'cohort_grch38.vcf.gz'}\t"
                f"{SAMPLE_DATA / 'BALL_CRLF2_JAK2.arriba.fusions.tsv'}\t"
                f"{SAMPLE_DATA / 'BALL_CRLF2_JAK2.manta.somaticSV.vcf'}\n"
                f"MPN_CALR\t{SAMPLE_DATA / 'cohort_grch38.vcf.gz'}\t\t\n"
                f"PATIENT_MPN_37\t{SAMPLE_DATA / 'single_grch37_vep.vcf'}\t\t\n").encode()
    data = apply(manifest, muts, 1)
    with _workspace() as root:
        path = root / "in" / "manifest.tsv"
        path.write_bytes(data)
        args = ["batch", str(path), "-o", str(root / "out" / "batch"), "--jobs", "1"]
        check_contract(root, run_inprocess(root, args), [], args, codes={0, 2})


_SUBPROCESS_BASES = {"vcf": (VCF_TEXT, "in.vcf", "vcf", []),
                     "stdin": (VCF_TEXT, "unused.vcf", "stdin", []),
                     "sv": (MANTA, "sv.vcf", "sv", ["--build", "GRCh38"]),
                     "fusions": (ARRIBA, "f.tsv", "fusions", ["--build", "GRCh38"])}


@settings(FUZZ, max_examples=SUBPROCESS_EXAMPLES)
@given(muts=mutations, which=st.sampled_from(sorted(_SUBPROCESS_BASES)))
def test_fuzz_subprocess_sample(muts, which):
    """A sample through the real process: htslib's own stderr output counts against the contract."""
    base, name, role, extra = _SUBPROCESS_BASES[which]
    classify_case(apply(base, muts, header_lines(base)), name, extra, role=role, subprocess_run=True)
