"""Atomic output: every file is written to a temporary file in the target directory and renamed
into place, so a crash never leaves a half-written report."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterable
from contextlib import contextmanager

from jakcli.errors import InputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_output(path: str, sync: bool = True):
    """A temporary path beside ``path``, renamed onto it when the block succeeds (synced unless
    ``sync`` is False, with the usual umask permissions: mkstemp's 0600 would hide shared reports)
    and removed otherwise, so a crash never leaves half an output. A device or FIFO (``/dev/full``,
    a named pipe) is written in place, never replaced: a rename onto it would, as root, swap the
    device node for a file. A full disk or any other write error is an :class:`InputError` naming
    the output."""
    target = os.path.abspath(path)
    special = os.path.exists(target) and not os.path.isfile(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".jakcli-", suffix=".part",
                                   dir=None if special else os.path.dirname(target))
    except OSError as exc:
        raise InputError(f"{path}: cannot write the output ({exc.strerror or exc}); check that the "
                         "directory exists and is writable") from None
    os.close(fd)
    try:
        yield tmp
        if special:
            with open(tmp, "rb") as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
        else:
            if sync:
                with open(tmp, "rb") as fh:
                    os.fsync(fh.fileno())
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, target)
    except OSError as exc:
        raise InputError(f"{path}: cannot write the output ({exc.strerror or exc}); free some space "
                         "or choose another -o") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _stdout_failed(exc: OSError) -> InputError:
    """Point stdout at /dev/null (so the interpreter's final flush cannot fail again) and say why."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    return InputError(f"standard output: cannot write the report ({exc.strerror or exc}); write it "
                      "with -o PATH to a disk with free space")


def write_atomic(path: str, text: str | bytes | Iterable[str], sync: bool = True) -> None:
    """Write ``text`` (str, bytes, or str pieces written as they come) to ``path`` (``-`` = stdout)
    via a temporary file and a rename. ``sync=False`` leaves flushing to the caller (batch syncs
    once at the end)."""
    pieces: Iterable[bytes] = ((text.encode("utf-8") if isinstance(text, str) else text,)
                               if isinstance(text, (str, bytes)) else (t.encode("utf-8") for t in text))
    if path == "-":
        try:
            for data in pieces:
                sys.stdout.buffer.write(data)
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _stdout_failed(exc) from None
        return
    with atomic_output(path, sync) as tmp, open(tmp, "wb") as fh:
        for data in pieces:
            fh.write(data)
