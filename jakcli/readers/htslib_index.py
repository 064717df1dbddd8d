"""Record counts of a tabix (.tbi) index read by htslib itself, through the htslib that pysam
bundles (issue 14: about half the time of parsing the index in Python, which stays the fallback).

pysam keeps the index it loads to itself, so the counts come from a second load in C:
``hts_idx_load3`` + ``hts_idx_get_stat`` per contig + ``hts_idx_get_n_no_coor``, the calls
``bcftools index -n`` makes. Only .tbi files: tabix numbers contigs in the order they first appear
in the file and registers only contigs that have records, so contig order and "no counts" need no
more than this. Anything unexpected (symbols missing from another pysam build, a load failure, a
contig without counts) returns None, and the caller parses the index itself.
"""

from __future__ import annotations

import ctypes
from functools import cache

HTS_FMT_TBI = 2  # hts.h: HTS_FMT_CSI 0, HTS_FMT_BAI 1, HTS_FMT_TBI 2
HTS_IDX_SILENT_FAIL = 2  # hts_idx_load3 flags: no message on a missing or bad index


@cache
def _htslib():
    """The htslib functions, or None when this pysam does not export them."""
    try:
        import pysam.libchtslib

        lib = ctypes.CDLL(pysam.libchtslib.__file__)
        load, nseq, stat = lib.hts_idx_load3, lib.hts_idx_nseq, lib.hts_idx_get_stat
        no_coor, destroy = lib.hts_idx_get_n_no_coor, lib.hts_idx_destroy
    except (ImportError, OSError, AttributeError):
        return None
    load.restype, load.argtypes = ctypes.c_void_p, [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_int]
    nseq.restype, nseq.argtypes = ctypes.c_int, [ctypes.c_void_p]
    stat.restype = ctypes.c_int
    stat.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_uint64), ctypes.POINTER(ctypes.c_uint64)]
    no_coor.restype, no_coor.argtypes = ctypes.c_uint64, [ctypes.c_void_p]
    destroy.restype, destroy.argtypes = None, [ctypes.c_void_p]
    return load, nseq, stat, no_coor, destroy


def tbi_summary(path: str) -> tuple[int, list[int | None]] | None:
    """(records, contig order keys) of a .tbi, as :func:`jakcli.readers.scanning.index_summary`
    gives them, or None when htslib cannot say (the caller then parses the file)."""
    fns = _htslib()
    if fns is None or not path.endswith(".tbi"):
        return None
    load, nseq, stat, no_coor, destroy = fns
    import gzip
    import zlib

    try:  # htslib would also take a BAI or CSI given as .tbi: only a tabix index is read here
        with gzip.open(path, "rb") as fh:
            if fh.read(4) != b"TBI\x01":
                return None
    except (OSError, EOFError, zlib.error):
        return None
    raw = path.encode()
    idx = load(raw, raw, HTS_FMT_TBI, HTS_IDX_SILENT_FAIL)
    if not idx:
        return None
    try:
        mapped, unmapped = ctypes.c_uint64(), ctypes.c_uint64()
        total = 0
        n = nseq(idx)
        for tid in range(n):
            if stat(idx, tid, ctypes.byref(mapped), ctypes.byref(unmapped)) < 0:
                return None
            total += mapped.value
        return total + no_coor(idx), list(range(n))
    finally:
        destroy(idx)
