"""File plumbing shared by every reader: checksums (computed in the background), compression
sniffing, standard input spooled to a temporary file, and plain gzip decompressed for htslib."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import sys
import tempfile
import threading
from enum import StrEnum
from typing import Any

from jakcli.errors import InputError, reason

GZIP_MAGIC = b"\x1f\x8b"


class Compression(StrEnum):
    PLAIN = "plain"
    BGZF = "bgzf"
    GZIP = "gzip"  # gzip that is not BGZF: htslib cannot seek it


def sniff_compression(path: str) -> Compression:
    """Plain, BGZF or plain gzip, from the first bytes (a BGZF block carries a 'BC' extra subfield)."""
    with open(path, "rb") as fh:
        head = fh.read(18)
    if len(head) < 4 or head[:2] != GZIP_MAGIC:
        return Compression.PLAIN
    has_extra = bool(head[3] & 4)
    return Compression.BGZF if has_extra and len(head) >= 16 and head[12:14] == b"BC" else Compression.GZIP


def is_gzip(path: str) -> bool:
    """gzip or BGZF: the file must be inflated to read its text."""
    return sniff_compression(path) is not Compression.PLAIN


def open_binary(path: str):
    """A binary stream of a file's decompressed bytes (plain, gzip or BGZF)."""
    import gzip

    return gzip.open(path, "rb") if is_gzip(path) else open(path, "rb")


HASH_BLOCK = 8 << 20  # large reads: hashlib releases the GIL per update, so fewer, bigger ones leave
#                       the main thread (parsing) more of the interpreter while a background hash runs


DIGEST_ALGORITHMS = ("sha256", "blake3")  # sha256 is the default; blake3 with --digest blake3


def sha256_file(path: str) -> str:
    return file_digest(path, "sha256")


def file_digest(path: str, algorithm: str = "sha256") -> str:
    """Hex digest of a file's bytes. BLAKE3 (the ``blake3`` package, all cores) is offered for
    very large inputs; a missing package is a one-line error naming the install command."""
    h: Any
    if algorithm == "blake3":
        try:
            import blake3
        except ImportError:
            raise InputError("--digest blake3 needs the blake3 package: pip install 'jakcli[blake3]'") from None
        h = blake3.blake3(max_threads=blake3.blake3.AUTO)
    elif algorithm == "sha256":
        h = hashlib.sha256()
    else:
        raise InputError(f"unknown digest '{algorithm}'; use one of {', '.join(DIGEST_ALGORITHMS)}")
    with open(path, "rb", buffering=0) as fh:
        # no larger than the file: zeroing an 8 MiB buffer cost more than hashing a small VCF
        st = os.fstat(fh.fileno())
        buf = bytearray(min(HASH_BLOCK, st.st_size + 1) if stat.S_ISREG(st.st_mode) else HASH_BLOCK)
        view = memoryview(buf)
        while n := fh.readinto(buf):
            h.update(view[:n])
    return h.hexdigest()


BACKGROUND_HASH_BYTES = 8 << 20  # smaller files hash faster than a thread starts


class Digest:
    """Digest of a file (sha256 unless another ``hasher``), computed now or on a background
    thread and collected on demand."""

    def __init__(self, path: str, background: bool, hasher=sha256_file):
        self._value: str | None = None
        self._error: OSError | None = None
        self._thread = None
        self._hasher = hasher
        if background:
            self._thread = threading.Thread(target=self._run, args=(path,), daemon=True)
            self._thread.start()
        else:
            self._run(path)

    def _run(self, path: str) -> None:
        try:
            self._value = self._hasher(path)
        except OSError as exc:
            self._error = exc

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def value(self) -> str:
        self.wait()
        if self._error is not None:
            raise self._error
        assert self._value is not None  # set by _run unless it raised
        return self._value


def spool_stdin() -> str:
    """Copy standard input to a temporary file (pysam needs a seekable file); return its path."""
    fd, path = tempfile.mkstemp(prefix="jakcli-stdin-", suffix=".vcf")
    with os.fdopen(fd, "wb") as out:
        shutil.copyfileobj(sys.stdin.buffer, out, 1 << 20)
    return path


def is_plain_gzip(path: str) -> bool:
    """True for gzip that is not BGZF (htslib cannot read it)."""
    return sniff_compression(path) is Compression.GZIP


def gunzip_to_temp(path: str, display: str) -> str:
    """Decompress a plain-gzip VCF to a temporary file; a truncated stream is an input error."""
    import gzip
    import zlib

    fd, tmp = tempfile.mkstemp(prefix="jakcli-gunzip-", suffix=".vcf")
    try:
        with os.fdopen(fd, "wb") as out, gzip.open(path, "rb") as src:
            shutil.copyfileobj(src, out, 1 << 20)
    except (EOFError, OSError, zlib.error) as exc:
        os.unlink(tmp)
        raise InputError(f"{display}: gzip data is truncated or corrupt ({reason(exc)}); "
                         "re-create the file (bgzip is preferred for VCF)") from None
    return tmp
