"""Evidence of absence and evidence floors: per-locus status, detection limits, call floors.

Pure arithmetic, no I/O. Target path after the package split: ``jakcli/engine/evidence.py``
(``jakcli/engine.py`` is still a module in this branch, so a package of that name cannot exist yet).

Why: a report may say "not detected" only where the reads could have shown the variant. The
detection limit is the binomial answer to "with this depth and this many supporting reads
required, which allele fraction would we have seen 95% of the time?"
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum


class LocusStatus(str, Enum):
    """How a rule locus was assessed in one sample (strongest first)."""

    ASSESSED = "assessed"  # depth at or above the rule's min_depth (or callable, depth unknown)
    LOW_COVERAGE = "low-coverage"  # some depth, below min_depth
    NOT_ASSESSED = "not-assessed"  # no reads, outside the callable/target/restricted regions
    NO_DEPTH_EVIDENCE = "no-depth-evidence"  # plain VCF, no depth source: absence is assumed

    def __str__(self) -> str:
        return self.value


def status_for(depth: int | None, min_depth: int, callable_: bool | None = None,
               restricted: bool = False) -> LocusStatus:
    """Status of one locus in one sample.

    ``restricted``: the locus lies outside what the input was restricted to (``--targets``, a
    ``bcftools view -r`` / GATK ``-L`` in the header) -> not assessed, whatever else is known.
    ``callable_``: from a callable-regions BED (True inside, False outside) when no depth is known.
    Depth 0 means the source looked and saw nothing: not assessed, never "absent".
    """
    if restricted:
        return LocusStatus.NOT_ASSESSED
    if depth is None:
        if callable_ is None:
            return LocusStatus.NO_DEPTH_EVIDENCE
        return LocusStatus.ASSESSED if callable_ else LocusStatus.NOT_ASSESSED
    if depth <= 0:
        return LocusStatus.NOT_ASSESSED
    if depth < min_depth:
        return LocusStatus.LOW_COVERAGE
    return LocusStatus.ASSESSED


# ----------------------------------------------------------------------------- detection limit

def _log_pmf(k: int, n: int, p: float) -> float:
    """log P(Binomial(n, p) = k) for 0 < p < 1."""
    return (math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
            + k * math.log(p) + (n - k) * math.log1p(-p))


def prob_at_least(k: int, n: int, p: float) -> float:
    """P(Binomial(n, p) >= k), exact: one minus the (short) lower tail summed in log space.

    ``k`` is a read-count floor (a handful to a few dozen), so the lower tail has ``k`` terms
    whatever the depth; each term is computed from log-gamma, which stays finite at depth 10^6.
    """
    if k <= 0:
        return 1.0
    if k > n or p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    logs = [_log_pmf(i, n, p) for i in range(k)]
    top = max(logs)
    lower = math.exp(top) * sum(math.exp(x - top) for x in logs)
    return max(0.0, min(1.0, 1.0 - lower))


def detection_probability(depth: int, vaf: float, min_alt_reads: int) -> float:
    """Chance that a clone at ``vaf`` yields at least ``min_alt_reads`` alt reads at ``depth``."""
    return prob_at_least(min_alt_reads, depth, vaf)


def detection_limit_vaf(depth: int | None, min_alt_reads: int, vaf_floor: float = 0.0,
                        power: float = 0.95, tol: float = 1e-5) -> float | None:
    """Lowest VAF ``v >= vaf_floor`` with P(Binomial(depth, v) >= min_alt_reads) >= ``power``.

    None when the depth is unknown, or when no VAF can reach the floor (depth < min_alt_reads).
    The tail probability rises monotonically with ``v``, so bisection converges; the result is
    rounded up to the tolerance, never down (a limit must not promise more than it can).
    """
    if depth is None or depth < max(min_alt_reads, 1):
        return None
    k = max(min_alt_reads, 1)
    lo = max(vaf_floor, 0.0)
    if prob_at_least(k, depth, lo) >= power:
        return lo
    hi = 1.0
    while hi - lo > tol:
        mid = (lo + hi) / 2
        if prob_at_least(k, depth, mid) >= power:
            hi = mid
        else:
            lo = mid
    return hi


# ----------------------------------------------------------------------------- floors for calls

@dataclass(frozen=True, slots=True)
class FloorCheck:
    reportable: bool
    low_depth: bool
    reason: str | None  # why not reportable, or why flagged; None when neither

    def __iter__(self):  # allows ``reportable, low_depth, reason = evidence_floor_check(...)``
        return iter((self.reportable, self.low_depth, self.reason))


def evidence_floor_check(alt_reads: int | None, depth: int | None, vaf: float | None,
                         min_alt_reads: int, min_depth: int, vaf_floor: float) -> FloorCheck:
    """Apply the issue-16 policy to one call (from a caller's FORMAT fields or from reads).

    - fewer alt reads than ``min_alt_reads`` -> not reported (counted with the reason);
    - VAF below ``vaf_floor`` -> not reported (a VAF equal to the floor is reported);
    - both floors met but ``depth < min_depth`` -> reported, flagged low depth: a clearly
      supported variant is never hidden for depth alone.
    Unknown values (None) cannot fail a floor; the VAF is derived from reads when not given.
    """
    if vaf is None and alt_reads is not None and depth:
        vaf = alt_reads / depth
    if alt_reads is not None and alt_reads < min_alt_reads:
        return FloorCheck(False, False, f"{alt_reads} alt read{'s' if alt_reads != 1 else ''}, "
                                        f"below the floor of {min_alt_reads}")
    if vaf is not None and vaf < vaf_floor:
        return FloorCheck(False, False, f"VAF {vaf:.4g} below the floor of {vaf_floor:g}")
    if depth is not None and depth < min_depth:
        return FloorCheck(True, True, f"depth {depth} below the locus floor of {min_depth}")
    return FloorCheck(True, False, None)


def format_vaf(v: float) -> str:
    """0.00423 -> '0.42%' (two significant digits; for report sentences)."""
    pct = v * 100
    return f"{pct:.2g}%" if pct < 10 else f"{pct:.0f}%"


# ----------------------------------------------------------------------------- loci of the rules

@dataclass(frozen=True, slots=True)
class Locus:
    """One place a rule looks, in one build. ``start``-``end`` (1-based, inclusive) is the span
    reported and used for depth; an insertion spans the two bases around it.

    kind ``allele``: ``pos``/``ref``/``alt`` are the minimal form (``ref`` "" = insertion before
    ``pos``); ``codon``: ``positions`` in coding order on ``strand``, ``ref_codon`` coding-strand
    bases; ``region``: depth only.
    """

    key: str
    rule_id: str
    gene: str
    kind: str
    name: str
    contig: str
    start: int
    end: int
    pos: int = 0
    ref: str = ""
    alt: str = ""
    positions: tuple = ()
    strand: str = "+"
    ref_codon: str = ""

    @property
    def label(self) -> str:
        return f"{self.contig}:{self.start}-{self.end}"


def allele_locus(rule_id: str, gene: str, name: str, contig: str, pos: int, ref: str, alt: str) -> Locus:
    """An allele locus from its minimal form (see ``ruleset.minimal_form``)."""
    start, end = (pos, pos + len(ref) - 1) if ref else (pos - 1, pos)
    key = f"{rule_id}:{contig}:{pos}:{ref or '-'}>{alt or '-'}"
    return Locus(key, rule_id, gene, "allele", name, contig, start, end, pos, ref, alt)


def rule_loci(rules, build) -> list[Locus]:
    """Every allele, codon and region locus of the small-variant rules, for one build.

    Named alleles inside a region rule (CALR type 1/2, JAK2 K539L) are allele loci too, so reads
    can be genotyped for them; the region itself is a depth-only locus.
    """
    out: list[Locus] = []
    for rule in rules:
        if rule.input_class != "small-variant":
            continue
        for m in rule.alleles:
            for s in m.sites[build]:
                out.append(allele_locus(rule.id, rule.gene, m.name, s.contig, s.min_pos, s.min_ref, s.min_alt))
        for c in rule.codons:
            for contig, positions in c.sites[build]:
                out.append(Locus(f"{rule.id}:{contig}:{c.residue}", rule.id, rule.gene, "codon", c.residue,
                                 contig, min(positions), max(positions), positions=tuple(positions),
                                 strand=c.strand, ref_codon=c.ref_codon))
        for r in rule.regions:
            for named in r.named:
                for s in named.sites[build]:
                    out.append(allele_locus(rule.id, rule.gene, named.name, s.contig, s.min_pos,
                                            s.min_ref, s.min_alt))
            for contig, start, end in r.intervals[build]:
                out.append(Locus(f"{rule.id}:{contig}:{start}-{end}", rule.id, rule.gene, "region", r.name,
                                 contig, start, end))
    return out
