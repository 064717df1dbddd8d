"""Byte-level helpers for region-first reading, without htslib: tabix/CSI record counts, BGZF
inflation on threads, and the line pre-filter that picks the lines that may touch a target region.

They let an unindexed VCF be read at close to decompression speed and an indexed one be counted
without a subprocess; :class:`jakcli.readers.vcf.VcfReader` decides which path to take.
"""

from __future__ import annotations

import itertools
import os
from bisect import bisect_left
from collections.abc import Callable, Iterator

from jakcli.errors import InputError, reason
from jakcli.readers.files import GZIP_MAGIC
from jakcli.reference.genome import normalise_contig


def index_record_count(path: str) -> int | None:
    """Records counted in a .tbi or .csi index (its per-contig pseudo-bins, as ``bcftools index -n``
    reads them), or None when the index carries no counts. Read directly: a subprocess or
    pysam's bundled bcftools would cost more than the whole classification of a small VCF."""
    return index_summary(path)[0]


def index_summary(path: str) -> tuple[int | None, list[int | None]]:
    """(record count or None, virtual file offset of each contig's first record, by contig
    number; None for a contig without records). The offsets give the order of the contigs in
    the file, which for a BCF need not be the order of its header. A .tbi is read by htslib
    when it can (:mod:`jakcli.readers.htslib_index`), else parsed here."""
    import struct

    from jakcli.readers.htslib_index import tbi_summary

    got = tbi_summary(path)
    if got is not None:
        return got
    decompress, errors = _gzip_decompress()
    try:
        with open(path, "rb") as fh:
            data = decompress(fh.read())
    except errors as exc:
        raise InputError(f"{path}: unreadable index ({reason(exc)}); re-create it with bcftools index") from None
    i32, u64 = struct.Struct("<i"), struct.Struct("<Q")
    try:
        if data[:4] == b"TBI\x01":
            n_ref = i32.unpack_from(data, 4)[0]
            off = 8 + 24
            off += 4 + i32.unpack_from(data, off)[0]  # l_nm + names
            pseudo, has_loff = 37450, False
        elif data[:4] == b"CSI\x01":
            depth = i32.unpack_from(data, 8)[0]
            off = 16 + i32.unpack_from(data, 12)[0]  # l_aux + aux
            n_ref = i32.unpack_from(data, off)[0]
            off += 4
            pseudo, has_loff = ((1 << ((depth + 1) * 3)) - 1) // 7 + 1, True
        else:
            raise InputError(f"{path}: not a tabix or CSI index; re-create it with bcftools index")
        total = 0
        firsts: list[int | None] = []
        head = struct.Struct("<IQi" if has_loff else "<Ii")  # bin, [loff,] n_chunk
        unpack = head.unpack_from
        for _ in range(n_ref):
            n_bin = i32.unpack_from(data, off)[0]
            off += 4
            found = n_bin == 0  # a contig without records needs no counts
            first = None
            for _ in range(n_bin):
                fields = unpack(data, off)
                off += head.size
                if fields[0] == pseudo and fields[-1] == 2:
                    first = u64.unpack_from(data, off)[0]
                    total += u64.unpack_from(data, off + 16)[0]  # (off_beg, off_end), (mapped, unmapped)
                    found = True
                off += 16 * fields[-1]
            if not found:
                return None, firsts
            firsts.append(first)
            if not has_loff:
                off += 4 + 8 * i32.unpack_from(data, off)[0]  # linear index
        if off + 8 <= len(data):
            total += u64.unpack_from(data, off)[0]  # records without coordinates
        return total, firsts
    except struct.error:
        raise InputError(f"{path}: truncated index; re-create it with bcftools index") from None


def _gzip_decompress() -> tuple[Callable[[bytes], bytes], tuple[type[BaseException], ...]]:
    """ISA-L's gzip decompress when installed (~2x faster: a tabix index is mostly its zero-filled
    linear index), else the standard library's; with the errors a damaged stream raises."""
    import zlib

    try:
        from isal import igzip, isal_zlib
    except ImportError:
        import gzip

        return gzip.decompress, (OSError, EOFError, zlib.error)
    isal_error: type[BaseException] = isal_zlib.error  # type: ignore[assignment]
    return igzip.decompress, (OSError, EOFError, zlib.error, isal_error)


_CHR_PREFIXES = ("", *sorted({"".join(c) for c in itertools.product("cC", "hH", "rR")}))


def scan_spans(by_contig: dict, header_contigs=()) -> dict[bytes, tuple[list[int], list[int]]]:
    """CHROM as bytes, in every spelling a file may use -> (starts, ends) of its sorted, disjoint
    target regions (1-based inclusive), for :func:`may_overlap`. Every spelling that
    :func:`normalise_contig` folds onto a target contig is included (``9``, ``chr9``, ``Chr9``,
    ``CHR9``...; ``M``/``MT`` with any of those prefixes), plus every ``header_contigs`` name that
    folds onto one (RefSeq ``NC_000009.12``), so the pre-filter keeps every line the indexed path
    would query."""
    out = {}
    for contig, ranges in by_contig.items():
        ordered = sorted(ranges)
        starts, ends = [s for s, _e in ordered], [e for _s, e in ordered]
        bases = ("M", "MT") if contig == "MT" else (contig,)
        for base in bases:
            for prefix in _CHR_PREFIXES:
                name = prefix + base
                if normalise_contig(name) == contig:
                    out[name.encode()] = (starts, ends)
        refseq = {"X": 23, "Y": 24}.get(contig) or (int(contig) if contig.isdigit() else 0)
        names = [*header_contigs, *(f"NC_{refseq:06d}.{v}" for v in range(1, 21) if 0 < refseq <= 24)]
        for name in names:  # RefSeq accessions: those the header declares, and any version if it has none
            if normalise_contig(name) == contig:
                out[name.encode()] = (starts, ends)
    return out


def may_overlap(line: bytes, spans: dict) -> bool:
    """Cheap test on the raw text of a line on a target contig; True also for lines htslib must
    judge itself: symbolic or breakend alleles anywhere in ALT and any INFO/END (htslib takes a
    record's extent from END whatever its ALT, e.g. gVCF reference blocks with ALT '.'), and
    malformed lines. Otherwise the extent is POS..POS+len(REF)-1, as htslib computes it."""
    f = line.split(b"\t", 8)
    if len(f) < 5 or not f[1].isdigit() or len(f[1]) > 15:
        return True  # malformed: let htslib name the problem
    alt = f[4]
    if b"<" in alt or b"[" in alt or b"]" in alt:
        return True
    if len(f) > 7 and (f[7].startswith(b"END=") or b";END=" in f[7]):
        return True
    starts, ends = spans[f[0]]
    pos = int(f[1])
    i = bisect_left(ends, pos)  # the first region that ends at or after POS
    return i < len(ends) and starts[i] <= pos + max(len(f[3]), 1) - 1


_BGZF_HEADER = b"\x1f\x8b\x08\x04"
WIDE_LINE = 2048  # bytes per line above which the scan walks newlines rather than splitting
_READ_PIECE = 1 << 20  # compressed bytes read at a time
_BATCH_TEXT = 4 << 20  # uncompressed bytes per batch: a few MB of text in flight per thread, however
#                        well the file compresses (cohorts of 0/0 genotypes compress 20-200x)


def text_pieces(path: str, display: str, bgzf: dict | None = None) -> Iterator[bytes]:
    """Decompressed text of a plain or BGZF file in order; BGZF blocks are inflated on up to two
    threads, with a bounded queue so memory stays flat. For BGZF, ``bgzf`` (when given) receives
    ``blocks`` and ``eof_marker`` (the last block is the empty end-of-file block) once the file is
    read. Inflation uses Intel ISA-L (the ``isal`` package, ``jakcli[fast]``) when installed: on
    real BGZF blocks it inflated 2.3x faster than zlib and scales on two threads (bench/README.md)."""
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    with open(path, "rb") as fh:
        if fh.read(2) != GZIP_MAGIC:
            fh.seek(0)
            while piece := fh.read(1 << 23):
                yield piece
            return
        fh.seek(0)
        workers = min(2, os.cpu_count() or 1)
        inflater = _inflater()

        def inflate(batch: list[tuple[bytes, int]]) -> bytes:
            out = []
            for data, size in batch:
                try:
                    text = inflater.decompress(data, -15)
                except inflater.error as exc:
                    raise InputError(f"{display}: corrupt BGZF block ({exc}); re-create the file") from None
                if len(text) != size:
                    raise InputError(f"{display}: BGZF block size mismatch; the file is corrupt")
                out.append(text)
            return b"".join(out)

        with ThreadPoolExecutor(workers) as pool:
            pending: deque = deque()
            for batch in _bgzf_batches(fh, display, bgzf):
                pending.append(pool.submit(inflate, batch))
                if len(pending) >= 2 * workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()


def _inflater():
    """ISA-L's zlib-compatible module when installed (faster, releases the GIL), else zlib."""
    try:
        from isal import isal_zlib
    except ImportError:
        import zlib

        return zlib
    return isal_zlib


def _bgzf_batches(fh, display: str, state: dict | None = None) -> Iterator[list[tuple[bytes, int]]]:
    """(raw deflate data, uncompressed size) of each BGZF block, in batches of at most ~4 MB of
    text; ``state`` gets the number of ``blocks`` and whether the last one is the empty
    ``eof_marker``."""
    import struct

    state = {} if state is None else state
    state.update(blocks=0, eof_marker=False)
    buf = b""
    while True:
        piece = fh.read(_READ_PIECE)
        buf += piece
        i, batch, text = 0, [], 0
        while i + 18 <= len(buf):
            if buf[i:i + 4] != _BGZF_HEADER or buf[i + 12:i + 14] != b"BC":
                raise InputError(f"{display}: not BGZF at byte offset {fh.tell() - len(buf) + i}; recompress with "
                                 "bgzip (plain gzip is read too, but not a mix)")
            bsize = struct.unpack_from("<H", buf, i + 16)[0] + 1
            if i + bsize > len(buf):
                break
            isize = struct.unpack_from("<I", buf, i + bsize - 4)[0]
            batch.append((buf[i + 18:i + bsize - 8], isize))
            state["blocks"] += 1
            state["eof_marker"] = isize == 0
            i += bsize
            text += isize
            if text >= _BATCH_TEXT:
                yield batch
                batch, text = [], 0
        buf = buf[i:]
        if batch:
            yield batch
        if not piece:
            if buf:
                raise InputError(f"{display}: the BGZF data ends inside a block; the file is truncated "
                                 "(re-create it, or check with bcftools view)")
            return


def overlaps(ranges, start0: int, stop0: int) -> bool:
    """Does the 0-based half-open [start0, stop0) touch any 1-based inclusive (start, end)?"""
    return any(start0 < end and stop0 > start - 1 for start, end in ranges)


# An index query costs about as much as decoding this many records (htslib seek, BGZF block
# inflation, iterator set-up; measured with pysam 0.24 on bgzip VCFs: ~45 us a query, 2-4 us a record).
QUERY_COST_IN_RECORDS = 12
GENOME_BASES = 3_100_000_000
MAX_CLUSTER_GAP = 1_000_000


def cluster_gap(records_total: int) -> int:
    """The widest gap between two target regions worth reading through rather than querying the
    index again: the gap in which a file of this many records is expected to hold about
    QUERY_COST_IN_RECORDS records at the genome-wide average density. A sparse VCF gets one query
    per gene or contig, a dense gVCF (a record every few bases) one query per region."""
    if records_total <= 0:
        return MAX_CLUSTER_GAP
    return min(MAX_CLUSTER_GAP, QUERY_COST_IN_RECORDS * GENOME_BASES // records_total)


def query_clusters(regions: list[tuple[int, int]], gap: int) -> list[tuple[int, int]]:
    """Sorted 1-based inclusive ``regions`` merged into query spans wherever the gap between
    neighbours is at most ``gap`` bases."""
    out: list[list[int]] = []
    for start, end in regions:
        if out and start - out[-1][1] - 1 <= gap:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def touches(starts: list[int], ends: list[int], start0: int, stop0: int) -> bool:
    """:func:`overlaps` for sorted, disjoint regions given as parallel ``starts``/``ends`` lists
    (1-based inclusive), by bisection: does [start0, stop0) touch any of them?"""
    i = bisect_left(ends, start0 + 1)  # the first region ending at or after the record's first base
    return i < len(starts) and starts[i] - 1 < stop0


class LineFilter:
    """The unindexed pre-filter: counts every data line of a VCF's text and copies the header and
    the lines that may overlap a target (:func:`may_overlap`) to ``out``, for htslib to decode.

    Text arrives in pieces (:meth:`feed`) that need not end at a newline; :meth:`finish` handles
    the last, possibly unterminated, line. Wide lines (many samples) are walked in place."""

    def __init__(self, spans: dict, out, display: str):
        self.spans = spans
        self.out = out
        self.display = display
        self.header: list[bytes] = []
        self.in_header = True
        self.total = 0  # data lines seen
        self.bgzf: dict = {}  # text_pieces reports BGZF blocks and the end-of-file marker here
        self._rem = b""

    def feed(self, text: bytes) -> None:
        first = text.find(b"\n")
        if first < 0:
            self._rem += text
            return
        joined = self._rem + text[:first + 1]  # the line that straddles two pieces
        self._span(joined, 0, len(joined))
        last = text.rfind(b"\n") + 1
        self._span(text, first + 1, last)
        self._rem = text[last:]

    def finish(self) -> None:
        if self._rem.strip():
            if self.bgzf.get("blocks") and not self.bgzf.get("eof_marker"):
                raise InputError(f"{self.display}: the BGZF data has no end-of-file marker and its last "
                                 "line is incomplete; the file is truncated (re-create it, or check with "
                                 "bcftools view)")
            self._check_last_line()
            self._take([self._rem])  # a last line without a newline: htslib reads it, and so does the scan
        if self.in_header:
            self.out.write(b"\n".join(self.header) + b"\n")

    def _check_last_line(self) -> None:
        """A last line without a newline is fine when complete; with fewer columns than the #CHROM
        line it is a record cut off mid-way (a truncated copy), which htslib would half-read."""
        chrom = self.header[-1] if self.header and self.header[-1].startswith(b"#CHROM") else None
        if chrom is None or self.in_header:
            return
        have, want = self._rem.count(b"\t") + 1, chrom.count(b"\t") + 1
        if have < want:
            line = len(self.header) + self.total + 1
            raise InputError(f"{self.display}: line {line}: the last record has {have} of {want} columns and no "
                             "newline: the file is truncated (re-create it, or check with bcftools view)")

    def _check_first_record(self, line: bytes) -> None:
        """A first record without tabs (columns separated by spaces) would match no target contig and be
        counted as outside every region, silently: stop and say so (htslib rejects it on the indexed path)."""
        if line and b"\t" not in line:
            n = len(self.header) + 1
            raise InputError(f"{self.display}: line {n}: the record has no tab-separated columns; VCF columns must be "
                             "separated by tabs, not spaces (check with bcftools view)")

    def _span(self, buf: bytes, i: int, end: int) -> None:
        """Complete lines buf[i:end] (end just past a newline)."""
        if i >= end:
            return
        if not self.in_header and buf.find(b"\n", i, end) - i > WIDE_LINE:
            self._wide(buf, i, end)
            return
        lines = buf[i:end].split(b"\n")
        lines.pop()  # the empty string after the last newline
        self._take(lines)

    def _take(self, lines: list[bytes]) -> None:
        if self.in_header:
            k = 0
            while k < len(lines) and lines[k].startswith(b"#"):
                k += 1
            self.header.extend(lines[:k])
            lines = lines[k:]
            if not lines:
                return
            self.in_header = False
            self._check_first_record(lines[0])
            self.out.write(b"\n".join(self.header) + b"\n")
        self.total += len(lines) - lines.count(b"")
        spans, write = self.spans, self.out.write
        for line in lines:  # the contig by its first tab and a dict: every spelling of every target
            t = line.find(b"\t")  # contig (hundreds with RefSeq versions) made startswith() the cost
            if t > 0 and line[:t] in spans and may_overlap(line, spans):
                write(line + b"\n")

    def _wide(self, buf: bytes, i: int, end: int) -> None:
        """Walk the newlines of buf[i:end] in place instead of copying every line."""
        n = 0
        find, spans, write = buf.find, self.spans, self.out.write
        while i < end:
            j = find(b"\n", i, end)
            if j != i:
                n += 1
                t = find(b"\t", i, j)
                if t > i and buf[i:t] in spans:
                    line = buf[i:j]
                    if may_overlap(line, spans):
                        write(line + b"\n")
            i = j + 1
        self.total += n
