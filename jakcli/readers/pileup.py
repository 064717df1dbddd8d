"""What one aligned read says at one locus, and the per-locus tally (no file I/O here).

A read's CIGAR is walked once per locus (a handful of operations), which is far cheaper than
building every aligned pair. Observations are sequences: the bases at an SNV/MNV/codon (codons on
the coding strand, so GTC>TTT reads as one codon), or, at an indel locus, the read's bases
between the two reference bases flanking the allele (so an insertion or deletion written anywhere
between the flanks by the aligner is the same observation).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import accumulate

from jakcli.model.loci import Locus

INDEL_IN_BLOCK = "<indel>"  # an insertion/deletion inside an SNV/MNV/codon span
INDEL_NEARBY = "<indel-nearby>"  # ref between the flanks but an indel close by: not ref support
COMPLEX = "<complex>"  # a flank itself deleted: spans the locus, neither ref nor alt
UNINFORMATIVE = frozenset({INDEL_NEARBY, COMPLEX})  # counted, but not in the depth
DELETED = -1
COMPLEMENT = str.maketrans("ACGTN", "TGCAN")


def _walk(read):
    """(aligned blocks (ref0, ref1, q0), deletions (ref0, ref1), insertions (ref0 after, len))."""
    blocks, dels, ins = [], [], []
    r, q = read.reference_start, 0
    for op, n in read.cigartuples or ():
        if op in (0, 7, 8):
            blocks.append((r, r + n, q))
            r += n
            q += n
        elif op in (2, 3):
            dels.append((r, r + n))
            r += n
        elif op == 1:
            ins.append((r, n))
            q += n
        elif op == 4:
            q += n
    return blocks, dels, ins


def qpos(blocks, dels, ref0: int) -> int | None:
    """Query index of reference position ``ref0`` (0-based); DELETED; None = not covered."""
    for a, b, q in blocks:
        if a <= ref0 < b:
            return q + ref0 - a
    if any(a <= ref0 < b for a, b in dels):
        return DELETED
    return None


def parse_read(read) -> tuple[tuple, str, object]:
    """What every observation needs of a read, computed once per read: (CIGAR walk, sequence,
    qualities). Reading ``query_sequence`` copies the read, so it is done once, not per base."""
    return _walk(read), read.query_sequence, read.query_qualities


def observe_block_parsed(walk, sequence: str, quals, locus: Locus, min_baseq: int) -> str | None:
    """Bases at an SNV/MNV/codon (coding strand for codons) in a read parsed by :func:`parse_read`;
    None when the read does not cover it."""
    positions = locus.positions or tuple(range(locus.pos, locus.pos + len(locus.ref)))
    blocks, dels, ins = walk
    qs: list[int] = []
    for p in positions:
        if len(blocks) == 1:  # most reads: one aligned block, no indel (fast path)
            a, b, q0 = blocks[0]
            q = q0 + p - 1 - a if a <= p - 1 < b else qpos(blocks, dels, p - 1)
        else:
            q = qpos(blocks, dels, p - 1)
        if q is None:
            return None
        qs.append(q)
    if DELETED in qs:
        return INDEL_IN_BLOCK
    if ins:
        lo, hi = min(positions) - 1, max(positions) - 1
        if any(lo < r <= hi for r, _ in ins):
            return INDEL_IN_BLOCK
    if quals is not None:
        for q in qs:
            if quals[q] < min_baseq:
                return "low-baseq"
    seq = "".join([sequence[q] for q in qs]).upper()
    return seq.translate(COMPLEMENT) if locus.strand == "-" else seq


def observe_indel_parsed(walk, sequence: str, locus: Locus, window: int) -> str | None:
    """The bases between the reference bases flanking an insertion/deletion/delins, in a read parsed
    by :func:`parse_read`."""
    left0 = locus.pos - 2  # 0-based: the base before the allele
    right0 = locus.pos - 1 + len(locus.ref)  # 0-based: the base after it
    blocks, dels, ins = walk
    ql, qr = qpos(blocks, dels, left0), qpos(blocks, dels, right0)
    if ql is None or qr is None:
        return None
    if ql == DELETED or qr == DELETED:
        return COMPLEX
    hap = sequence[ql + 1:qr].upper()
    if hap == locus.ref:
        near = any(a <= right0 + window and b >= left0 - window and not (left0 < a and b <= right0)
                   for a, b in dels)
        near = near or any(left0 - window <= r <= right0 + window and not left0 < r <= right0 for r, _ in ins)
        if near:
            return INDEL_NEARBY
    return hap


def region_depth(blocks_by_fragment: dict, start: int, end: int) -> tuple[int, float]:
    """(minimum, mean) depth over ``start``-``end`` (1-based), each fragment counted once per base.

    A difference array over the region: each fragment adds +1/-1 at the edges of its aligned
    blocks after merging the blocks of its two mates (so an overlap is one fragment)."""
    lo, n = start - 1, end - start + 1
    diff = [0] * (n + 1)
    for blocks in blocks_by_fragment.values():
        if len(blocks) == 1:
            a, b = blocks[0]
            a, b = max(a, lo), min(b, end)
            if a < b:
                diff[a - lo] += 1
                diff[b - lo] -= 1
            continue
        merged: list[list[int]] = []
        for a, b in sorted(blocks):
            a, b = max(a, lo), min(b, end)
            if a >= b:
                continue
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        for a, b in merged:
            diff[a - lo] += 1
            diff[b - lo] -= 1
    depth = list(accumulate(diff[:n]))
    return min(depth), sum(depth) / n


# ----------------------------------------------------------------------------- tallies

@dataclass(frozen=True)
class StrandBias:
    alt_forward: int
    alt_reverse: int
    fraction_forward: float | None
    p_value: float  # two-sided Fisher exact test of (ref, alt) x (forward, reverse)
    flagged: bool
    note: str | None


@dataclass
class LocusReads:
    """Counts at one locus: observed sequence -> [forward, reverse] fragments."""

    key: str
    ref: str = ""
    alt: str | None = None
    counts: dict = field(default_factory=dict)
    filtered: dict = field(default_factory=dict)  # reads not counted, by reason
    discordant_mates: int = 0
    notes: list = field(default_factory=list)
    region_min: int | None = None
    region_mean: float | None = None

    def add(self, obs: str, reverse: bool) -> None:
        self.counts.setdefault(obs, [0, 0])[1 if reverse else 0] += 1

    def set_region_depth(self, minimum: int, mean: float) -> None:
        self.region_min, self.region_mean = minimum, mean

    @property
    def depth(self) -> int:
        """Fragments informative at the locus (a region: its minimum per-base depth). A read whose
        flank is deleted, or that is reference between the flanks with an indel close by, could
        neither show nor exclude the allele: it is counted by kind but not in the depth."""
        if self.region_min is not None:
            return self.region_min
        return sum(f + r for k, (f, r) in self.counts.items() if k not in UNINFORMATIVE)

    def strand_depth(self) -> tuple[int, int]:
        kept = [c for k, c in self.counts.items() if k not in UNINFORMATIVE]
        return (sum(c[0] for c in kept), sum(c[1] for c in kept))

    def reads(self, obs: str) -> tuple[int, int]:
        f, r = self.counts.get(obs, (0, 0))
        return f, r

    def ref_reads(self) -> int:
        return sum(self.reads(self.ref))

    def alt_reads(self, allele: str | None = None) -> int:
        return sum(self.reads(allele or self.alt or ""))

    def other_alleles(self) -> dict[str, int]:
        """Every observed sequence but the reference, with its fragment count."""
        return {k: f + r for k, (f, r) in sorted(self.counts.items()) if k != self.ref}

    def vaf(self, allele: str | None = None) -> float | None:
        d = self.depth
        return self.alt_reads(allele) / d if d else None

    def strand_bias(self, allele: str | None = None, min_alt_reads: int = 5, alpha: float = 0.01) -> StrandBias:
        """Flag (never hide) alt support that sits on one strand while the reference does not."""
        af, ar = self.reads(allele or self.alt or "")
        rf, rr = self.reads(self.ref)
        p = fisher_exact(rf, rr, af, ar)
        frac = af / (af + ar) if af + ar else None
        flagged = af + ar >= min_alt_reads and (af == 0 or ar == 0) and p < alpha
        note = None
        if flagged:
            side = "forward" if ar == 0 else "reverse"
            note = (f"all {af + ar} alt reads on the {side} strand (reference {rf} forward / {rr} "
                    f"reverse; Fisher p={p:.2g}): possible strand artefact")
        return StrandBias(af, ar, frac, p, flagged, note)


def _log_hyper(a: int, b: int, c: int, d: int) -> float:
    lf = math.lgamma
    return (lf(a + b + 1) + lf(c + d + 1) + lf(a + c + 1) + lf(b + d + 1)
            - lf(a + 1) - lf(b + 1) - lf(c + 1) - lf(d + 1) - lf(a + b + c + d + 1))


def fisher_exact(a: int, b: int, c: int, d: int) -> float:
    """Two-sided Fisher exact p for the table [[a, b], [c, d]] (sum of tables no more likely)."""
    row1, col1, n = a + b, a + c, a + b + c + d
    if n == 0:
        return 1.0
    observed = _log_hyper(a, b, c, d)
    total = 0.0
    for x in range(max(0, col1 - (n - row1)), min(row1, col1) + 1):
        lp = _log_hyper(x, row1 - x, col1 - x, n - row1 - col1 + x)
        if lp <= observed + 1e-7:
            total += math.exp(lp)
    return min(1.0, total)
