"""The one way tests run the real console script: ``python3 -m jakcli`` in a subprocess.

Use the ``run_jakcli`` fixture in tests (it gives each test a private TMPDIR it can inspect);
module-level helpers that build on it call :func:`jakcli_subprocess`, which then makes a private
TMPDIR for the single call and removes it afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from support.paths import REPO


@dataclass(frozen=True)
class JakcliRun:
    """Exit code and output of one run; unpacks as ``code, stdout, stderr`` (text)."""

    returncode: int
    stdout_bytes: bytes
    stderr: str
    tmpdir: Path

    @property
    def stdout(self) -> str:
        return self.stdout_bytes.decode()

    def __iter__(self) -> Iterator:
        return iter((self.returncode, self.stdout, self.stderr))

    def __getitem__(self, i: int):
        return tuple(self)[i]


def _environment(tmpdir: Path, env: Mapping[str, str | None] | None) -> dict[str, str]:
    """The caller's environment with TMPDIR private, JAKCLI_DEBUG unset (errors stay one line)
    and ``env`` applied on top (a value of None removes the variable)."""
    out = {k: v for k, v in os.environ.items() if k != "JAKCLI_DEBUG"}
    out["TMPDIR"] = str(tmpdir)
    for key, value in (env or {}).items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def jakcli_subprocess(*args, stdin: bytes | str | None = None, env: Mapping[str, str | None] | None = None,
                      cwd: Path = REPO, tmpdir: Path | None = None, timeout: float = 600) -> JakcliRun:
    """Run ``python3 -m jakcli ARGS`` from the repository root (so the tree under test is imported)."""
    own = tmpdir is None
    tmp = Path(tempfile.mkdtemp(prefix="jakcli-test-")) if own else Path(tmpdir)
    tmp.mkdir(parents=True, exist_ok=True)
    data = stdin.encode() if isinstance(stdin, str) else stdin
    try:
        proc = subprocess.run(jakcli_command(*args), input=data, capture_output=True,
                              cwd=cwd, env=_environment(tmp, env), timeout=timeout)
    finally:
        if own:
            shutil.rmtree(tmp, ignore_errors=True)
    return JakcliRun(proc.returncode, proc.stdout, proc.stderr.decode(), tmp)


def jakcli_command(*args) -> list[str]:
    """The argv of a jakcli run, for tests that must drive the process themselves (e.g. kill it)."""
    return [sys.executable, "-m", "jakcli", *map(str, args)]
