"""Fixtures shared by every test: the CLI runner (in process), ``run_jakcli`` (the real console
script in a subprocess) and ``realdata``. Helpers that are not fixtures live in ``tests/support``.

Tests are marked by folder (``unit``, ``api``, ``cli``, ``integration``), so ``-m "not integration"``
runs the fast in-process part.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from support import REALDATA, JakcliRun, jakcli_subprocess

TESTS = Path(__file__).resolve().parent
LEVELS = ("unit", "api", "cli", "integration")


def pytest_collection_modifyitems(config, items):
    for item in items:
        parts = Path(str(item.path)).resolve().relative_to(TESTS).parts
        if parts and parts[0] in LEVELS:
            item.add_marker(getattr(pytest.mark, parts[0]))


@pytest.fixture
def realdata() -> Path:
    if not REALDATA.is_dir():
        pytest.skip(f"real third-party VCFs not found at {REALDATA} (set JAKCLI_REALDATA)")
    return REALDATA


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def run_jakcli(tmp_path_factory):
    """``run_jakcli(*args, stdin=None, env=None, cwd=REPO) -> JakcliRun`` (unpacks as code, stdout,
    stderr). Every call of one test shares a private TMPDIR (``result.tmpdir``), kept out of
    ``tmp_path`` so tests can assert what their own folder holds."""
    tmpdir = tmp_path_factory.mktemp("jakcli-tmpdir")

    def run(*args, stdin: bytes | str | None = None, env: dict | None = None, **kw) -> JakcliRun:
        return jakcli_subprocess(*args, stdin=stdin, env=env, tmpdir=tmpdir, **kw)

    run.tmpdir = tmpdir
    return run


@pytest.fixture
def jakcli_cache(tmp_path, monkeypatch):
    """A private jakcli cache folder for one test (JAKCLI_CACHE_DIR), with caching switched on."""
    monkeypatch.setenv("JAKCLI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("JAKCLI_NO_CACHE", raising=False)
    return tmp_path / "cache"
