"""Input checksums for provenance, remembered for large files that have not changed.

Why: every report records the digest (sha256, or BLAKE3 with ``--digest blake3``) of its inputs,
and a 30 GB BAM takes about 20 s to hash with sha256.
Batch runs, ``--resume`` and re-runs would hash the same unchanged alignment files again and
again. A large file's checksum is therefore remembered under the file's identity as the kernel
reports it (device, inode, size, modification and status-change times in nanoseconds). Any write
to the file changes its ctime, which no user tool can set back, so a remembered checksum is only
reused for the very same bytes. ``JAKCLI_NO_CACHE=1`` turns the memory off.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile

from jakcli.readers.files import Digest, file_digest
from jakcli.ruleset.schema import cache_dir

REMEMBER_FROM_BYTES = 64 << 20  # smaller files hash in well under a second: always hash them


def _identity(path: str) -> tuple[str, str] | None:
    """(cache file name, identity text) of a large file; None for small files and non-files."""
    st = os.stat(path)
    if st.st_size < REMEMBER_FROM_BYTES or not os.path.isfile(path):
        return None
    ident = f"{os.path.realpath(path)}\0{st.st_dev}\0{st.st_ino}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}"
    return hashlib.sha256(ident.encode()).hexdigest() + ".json", ident


def file_checksum(path: str, algorithm: str = "sha256") -> str:
    """Hex digest of ``path``; a large, unchanged file's is read from the cache (module docstring)."""
    known = _identity(path)
    folder = cache_dir("checksums")
    if known is None or folder is None:
        return file_digest(path, algorithm)
    name, ident = known
    try:
        entry = json.loads((folder / name).read_text())
        if entry.get("identity") == ident and len(str(entry.get(algorithm, ""))) == 64:
            return str(entry[algorithm])
    except (OSError, ValueError, AttributeError):
        entry = None  # unknown, unreadable or damaged: hash again
    digest = file_digest(path, algorithm)
    if _identity(path) == known:  # not changed while it was hashed
        same = entry if isinstance(entry, dict) and entry.get("identity") == ident else {}
        _remember(folder, name, {**same, "identity": ident, algorithm: digest})
    return digest


def _remember(folder, name: str, entry: dict) -> None:
    """Write the cache entry atomically; a cache that cannot be written is simply not used."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w") as fh:
            json.dump(entry, fh)
        os.replace(tmp, folder / name)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def background_checksum(path: str, algorithm: str = "sha256") -> Digest:
    """A :class:`Digest` of ``path`` computed on a thread while the run goes on."""
    return Digest(path, background=True, hasher=lambda p: file_checksum(p, algorithm))


def input_entry(path: str, kind: str, algorithm: str, digest: str, **extra) -> dict:
    """One report ``inputs`` entry: the digest is keyed by its algorithm (``sha256`` / ``blake3``)."""
    return {"path": path, "kind": kind, algorithm: digest, **extra}
