"""Helpers for the subprocess tests of issue 11: run the CLI with a private TMPDIR, check the contract."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
REALDATA = Path(os.environ.get("JAKCLI_REALDATA", REPO.parent / "shared" / "realdata"))
SAMPLE_DATA = REPO / "sample_data"


@dataclass
class Result:
    code: int
    out: str
    err: str
    tmpdir: Path

    @property
    def err_lines(self) -> list[str]:
        return [ln for ln in self.err.splitlines() if ln.strip()]

    def leftovers(self) -> list[str]:
        return sorted(p.name for p in self.tmpdir.iterdir())


def _cpu_limit(seconds: int):
    def limit():
        import resource

        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))
    return limit


def run(tmp_path: Path, *args, stdin: bytes | None = None, timeout: float = 120, env: dict | None = None,
        cwd: Path = REPO, cpu_seconds: int | None = None) -> Result:
    """``python3 -m jakcli ARGS`` with TMPDIR and the rule cache inside ``tmp_path``.

    ``cpu_seconds`` bounds the child's CPU time (SIGXCPU, exit -24): a bound that does not depend on
    how loaded the machine is, unlike the wall-clock ``timeout``."""
    tmpdir = tmp_path / "_tmpdir"
    tmpdir.mkdir(exist_ok=True)
    full_env = {**os.environ, "TMPDIR": str(tmpdir), "JAKCLI_CACHE_DIR": str(tmp_path / "_cache"),
                "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    full_env.pop("JAKCLI_DEBUG", None)
    full_env.update(env or {})
    proc = subprocess.run([sys.executable, "-m", "jakcli", *map(str, args)], input=stdin,
                          capture_output=True, cwd=cwd, env=full_env, timeout=timeout,
                          preexec_fn=_cpu_limit(cpu_seconds) if cpu_seconds else None)
    return Result(proc.returncode, proc.stdout.decode("utf-8", "replace"),
                  proc.stderr.decode("utf-8", "replace"), tmpdir)


def assert_error(res: Result, code: int | set, *needles: str, allow_notices: bool = False) -> str:
    """Exit ``code``, ONE stderr line starting ``jakcli: error:``, no traceback, no temporaries.

    ``allow_notices``: ignore ``jakcli: notice:`` lines printed before the error (a separate item)."""
    codes = {code} if isinstance(code, int) else code
    assert res.code in codes, (res.code, res.err)
    assert "Traceback" not in res.err, res.err
    lines = [ln for ln in res.err_lines if not (allow_notices and ln.startswith("jakcli: notice:"))]
    assert len(lines) == 1 and lines[0].startswith("jakcli: error: "), res.err
    for n in needles:
        assert n in lines[0], lines[0]
    assert res.leftovers() == [], res.leftovers()
    return lines[0]


def assert_no_crash(res: Result, ok: set = frozenset({0, 2})) -> None:
    """Not an internal error: exit in ``ok``, no traceback, an error is one line, no temporaries."""
    assert res.code in ok, (res.code, res.err)
    assert "Traceback" not in res.err and "internal error" not in res.err, res.err
    if res.code >= 2:
        assert_error(res, res.code)
    assert res.leftovers() == [], res.leftovers()
