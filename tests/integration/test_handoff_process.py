"""Hand-off formats as a process sees them: optional packages stay unimported for the everyday
commands (start-up time), and a binary format is never written to a terminal."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from support import COHORT, REPO, jakcli_command

OPTIONAL = ("openpyxl", "fhir", "phenopackets", "google.protobuf", "cwltool")
HANDOFF_WRITERS = ("jakcli.writers.maf", "jakcli.writers.xlsx", "jakcli.writers.fhir", "jakcli.writers.phenopacket",
                   "jakcli.writers.cbioportal", "jakcli.writers.changes", "jakcli.diff")


def imported_by(*argv: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``jakcli ARGV`` in process."""
    code = textwrap.dedent(f"""
        import sys
        from jakcli.cli import cli
        try:
            cli.main({list(argv)!r}, prog_name="jakcli")
        except SystemExit as exc:
            assert not exc.code, exc.code
        print("\\n".join(sorted(sys.modules)), file=sys.stderr)
    """)
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    return set(proc.stderr.split())


def test_version_and_tsv_import_no_optional_package(tmp_path):
    for argv in (["--version"], ["classify", str(COHORT), "-o", str(tmp_path / "r.tsv")]):
        mods = imported_by(*argv)
        assert not {m for m in mods if m.split(".")[0] in OPTIONAL or m.startswith(OPTIONAL)}, argv
        assert not mods & set(HANDOFF_WRITERS), argv


def test_binary_format_is_refused_on_a_terminal(tmp_path):
    master, slave = os.openpty()
    try:
        proc = subprocess.run(jakcli_command("classify", COHORT, "--format", "xlsx"), stdout=slave,
                              stderr=subprocess.PIPE, cwd=REPO, timeout=300)
    finally:
        os.close(slave)
        os.close(master)
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert "binary" in err and "-o FILE" in err and "Traceback" not in err
    # redirected stdout (a file, a pipe) is fine
    with open(tmp_path / "r.xlsx", "wb") as fh:
        assert subprocess.run(jakcli_command("classify", COHORT, "--format", "xlsx"), stdout=fh, cwd=REPO,
                              timeout=300).returncode == 0
    assert (tmp_path / "r.xlsx").read_bytes()[:2] == b"PK"


def test_a_warm_classify_imports_nothing_it_does_not_use(tmp_path, monkeypatch):
    """Issue 14: with the rules compiled once (a warm cache), classifying a VCF parses no YAML and
    imports neither the HTML, tabular or schema libraries nor the other commands or the BAM readers."""
    monkeypatch.setenv("JAKCLI_CACHE_DIR", str(tmp_path / "cache"))
    argv = ["classify", str(COHORT), "--format", "json", "-o", str(tmp_path / "r.json")]
    imported_by(*argv)  # cold: compiles the rules
    mods = imported_by(*argv)
    unused = {"yaml", "jsonschema", "jinja2", "pandas", "jakcli.cli.batch", "jakcli.cli.rules", "jakcli.cli.diff",
              "jakcli.readers.pileup", "jakcli.readers.alignments", "jakcli.writers.html"}
    assert not mods & unused, sorted(mods & unused)
    assert "jakcli.classify" in mods and "pysam" in mods
