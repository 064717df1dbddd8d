"""Depth at rule loci from ``--coverage`` files and from gVCF reference blocks.

``--coverage`` accepts (plain or gzip/bgzip; formats as written by mosdepth 0.3):
- a 3-column BED of callable regions: inside = callable (depth unknown), outside = not callable;
- mosdepth per-base (``chrom start end depth``) or regions (``chrom start end [name] mean``): the
  depth over a locus is the minimum of the intervals it overlaps (a regions file gives a mean);
- mosdepth quantized (``chrom start end 5:20``, ``20:inf``; or the labels set with MOSDEPTH_Q0..
  such as NO_COVERAGE/LOW_COVERAGE/CALLABLE/HIGH_COVERAGE): a depth range, whose lower bound is
  used (a limit must not promise more than the data shows).
A base no interval covers has no evidence: not callable. An indexed file (.csi/.tbi) is queried
per locus; otherwise the file is streamed once and only lines touching a locus are kept.
"""

from __future__ import annotations

import gzip
import math
import os
import re
import zlib
from dataclasses import dataclass

from jakcli.errors import InputError
from jakcli.model.loci import Locus, LocusStatus, status_for
from jakcli.reference.genome import normalise_contig

_BIN = re.compile(r"^(\d+):(\d+|inf)$")
# Labels set through MOSDEPTH_Q0..Q3 in common public pipelines (mosdepth 0.3.3 writes the label in
# column 4, checked by running it); other labels carry a meaning jakcli cannot know, so they are errors.
KNOWN_LABELS: dict[str, tuple[int, int] | bool | None] = {
    "NO_COVERAGE": (0, 1), "LOW_COVERAGE": None, "CALLABLE": True, "HIGH_COVERAGE": True}


@dataclass(frozen=True, slots=True)
class CoverageAt:
    """What a coverage source says about one locus."""

    depth: int | None  # lower bound for quantized bins; None when the source gives none
    depth_max: int | None  # upper bound (quantized), None = unbounded or exact
    callable: bool | None
    kind: str  # callable-bed | per-base | regions-mean | quantized | gvcf-block | gvcf-record | gap | no-call
    source: str

    def status(self, min_depth: int) -> LocusStatus:
        """Locus status under the rule's ``min_depth`` (a quantized bin counts by its lower bound)."""
        if self.kind in ("gap", "no-call"):
            return LocusStatus.NOT_ASSESSED
        if self.kind == "quantized":
            if self.depth is None:  # a label: CALLABLE/HIGH_COVERAGE or LOW_COVERAGE
                return LocusStatus.ASSESSED if self.callable else LocusStatus.LOW_COVERAGE
            if self.depth >= min_depth:
                return LocusStatus.ASSESSED
            return LocusStatus.NOT_ASSESSED if self.depth_max == 0 else LocusStatus.LOW_COVERAGE
        return status_for(self.depth, min_depth, self.callable)


def _open_text(path: str):
    with open(path, "rb") as fh:
        gz = fh.read(2) == b"\x1f\x8b"
    if gz:
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    return open(path, encoding="utf-8", errors="replace")


def _value(fields: list[str], path: str, n: int):
    """(kind, depth, depth_max, callable) of one data line; InputError on anything else."""
    where = f"{path}:{n}"
    if len(fields) == 3:
        return "callable-bed", None, None, True
    val = fields[4] if len(fields) >= 5 else fields[3]
    m = _BIN.match(fields[3])
    if m:
        lo, hi = int(m.group(1)), None if m.group(2) == "inf" else int(m.group(2))
        return "quantized", lo, None if hi is None else hi - 1, None
    if fields[3] in KNOWN_LABELS:
        label = KNOWN_LABELS[fields[3]]
        if label is None:
            return "quantized", None, None, False
        if label is True or label is False:
            return "quantized", None, None, label
        return "quantized", label[0], label[1] - 1, None
    try:
        depth = float(val)
        if not 0 <= depth < math.inf:
            raise ValueError(val)
    except ValueError:
        raise InputError(f"{where}: column {5 if len(fields) >= 5 else 4} is '{val}', not a depth, a mosdepth "
                         "bin (5:20) or a label (NO_COVERAGE, LOW_COVERAGE, CALLABLE, HIGH_COVERAGE); "
                         "give --coverage a 3-column callable BED or a mosdepth output") from None
    kind = "per-base" if len(fields) == 4 and depth.is_integer() else "regions-mean"
    return kind, int(depth), None, None


def _parse(line: str, path: str, n: int):
    fields = line.rstrip("\n").split("\t")
    if len(fields) < 3:
        raise InputError(f"{path}:{n}: expected at least 3 tab-separated columns (chrom, start, end), "
                         f"got {len(fields)}")
    try:
        start, end = int(fields[1]), int(fields[2])
    except ValueError:
        raise InputError(f"{path}:{n}: start/end '{fields[1]}', '{fields[2]}' are not integers") from None
    if start < 0 or end < start:
        raise InputError(f"{path}:{n}: interval {start}-{end} is not a valid BED interval (0 <= start <= end)")
    return normalise_contig(fields[0]), start, end, _value(fields, path, n)


class CoverageFile:
    """One ``--coverage`` file; ``depth_at`` answers for the rule loci only."""

    def __init__(self, path: str, intervals_only: bool = False):
        if not os.path.exists(path):
            raise InputError(f"{path}: {'BED' if intervals_only else 'coverage file'} not found "
                             f"({'--targets' if intervals_only else '--coverage'})")
        self.path = path
        self.intervals_only = intervals_only  # --targets: a BED whose 4th+ columns are names, not depths

    def depth_at(self, loci: list[Locus]) -> dict[str, CoverageAt]:
        hits: dict[str, list] = {locus.key: [] for locus in loci}
        by_contig: dict[str, list[Locus]] = {}
        for locus in loci:
            by_contig.setdefault(locus.contig, []).append(locus)
        kinds = set()
        for n, line in self._lines(by_contig):
            if self.intervals_only:
                line = "\t".join(line.rstrip("\n").split("\t")[:3])
            contig, start, end, value = _parse(line, self.path, n)
            kinds.add(value[0])
            if len(kinds) > 1:
                raise InputError(f"{self.path}:{n}: mixes {' and '.join(sorted(kinds))} lines; "
                                 "one --coverage file holds one kind of coverage")
            for locus in by_contig.get(contig, ()):
                if start < locus.end and locus.start - 1 < end:
                    hits[locus.key].append((start, end, value))
        return {locus.key: _summarise(locus, hits[locus.key], self.path) for locus in loci}

    def _lines(self, by_contig: dict):
        try:
            with _open_text(self.path) as fh:
                for n, line in enumerate(fh, 1):
                    if not line.strip() or line.startswith(("#", "track", "browser")):
                        continue
                    contig = normalise_contig(line.split("\t", 1)[0])
                    if contig in by_contig or n < 50:  # early lines are always parsed: format errors surface
                        yield n, line
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(f"{self.path}: cannot read ({getattr(exc, 'strerror', None) or exc}); "
                             "is the file complete?") from None


def _summarise(locus: Locus, hits: list, path: str) -> CoverageAt:
    """Minimum over the intervals overlapping the locus; a base no interval covers is a gap."""
    covered = sorted((max(s, locus.start - 1), min(e, locus.end)) for s, e, _ in hits)
    pos = locus.start - 1
    for s, e in covered:
        if s > pos:
            break
        pos = max(pos, e)
    if pos < locus.end:
        return CoverageAt(None, None, False, "gap", path)
    kind = hits[0][2][0]
    depths = [v[1] for _, _, v in hits]
    callables = [v[3] for _, _, v in hits]
    depth = None if any(d is None for d in depths) else min(depths)
    tops = [v[2] for _, _, v in hits]
    top = None if any(t is None for t in tops) else max(tops)
    call = None if all(c is None for c in callables) else all(c is not False for c in callables)
    return CoverageAt(depth, top, call, kind, path)
