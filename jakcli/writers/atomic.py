"""Atomic output: every file is written to a temporary file in the target directory and renamed
into place, so a crash never leaves a half-written report."""

from __future__ import annotations

import os
import sys
import tempfile
from contextlib import contextmanager

from jakcli.errors import InputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_output(path: str):
    """A temporary path beside ``path``, renamed onto it when the block succeeds (synced, with the
    usual umask permissions: mkstemp's 0600 would hide shared reports) and removed otherwise, so a
    crash never leaves half an output."""
    target = os.path.abspath(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".jakcli-", suffix=".part", dir=os.path.dirname(target))
    except OSError as exc:
        raise InputError(f"{path}: cannot write the output ({exc.strerror or exc}); check that the "
                         "directory exists and is writable") from None
    os.close(fd)
    try:
        yield tmp
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_atomic(path: str, text: str | bytes) -> None:
    """Write ``text`` (str or bytes) to ``path`` (``-`` = stdout) via a temporary file and a rename."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if path == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    with atomic_output(path) as tmp, open(tmp, "wb") as fh:
        fh.write(data)
