"""Evidence of absence and evidence floors: detection limits, call floors and the loci of the rules.

Pure arithmetic, no I/O (the ``Locus`` record and the status vocabulary live in ``model.loci``).

Why: a report may say "not detected" only where the reads could have shown the variant. The
detection limit is the binomial answer to "with this depth and this many supporting reads
required, which allele fraction would we have seen 95% of the time?"
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from jakcli.model.loci import Locus, LocusStatus, allele_locus, status_for

__all__ = ["FloorCheck", "Locus", "LocusStatus", "allele_locus", "detection_limit_vaf", "detection_probability",
           "evidence_floor_check", "format_vaf", "prob_at_least", "rule_loci", "status_for"]


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
    Unknown values (None) cannot fail a floor; the VAF is derived from reads when not given, and
    when only a VAF and a depth are given (FORMAT/INFO AF with DP) the alt reads they imply must meet
    ``min_alt_reads`` too: an AF of 0.02 at depth 100 is two reads, whoever wrote it.
    """
    if vaf is None and alt_reads is not None and depth:
        vaf = alt_reads / depth
    if alt_reads is None and vaf is not None and depth and round(vaf * depth) < min_alt_reads:
        implied = round(vaf * depth)
        return FloorCheck(False, False, f"about {implied} alt read{'s' if implied != 1 else ''} (VAF {vaf:.4g} x "
                                        f"depth {depth}), below the floor of {min_alt_reads}")
    if alt_reads is not None and alt_reads < min_alt_reads:
        return FloorCheck(False, False, f"{alt_reads} alt read{'s' if alt_reads != 1 else ''}, "
                                        f"below the floor of {min_alt_reads}")
    if vaf is not None and vaf < vaf_floor:
        return FloorCheck(False, False, f"VAF {vaf:.4g} below the floor of {vaf_floor:g}")
    if depth is not None and depth < min_depth:
        return FloorCheck(True, True, f"depth {depth} below the locus floor of {min_depth}")
    return FloorCheck(True, False, None)


def format_vaf(v: float) -> str:
    """A detection limit for report sentences: 0.00423 -> '0.43%', two significant digits rounded
    UP (under 10%; whole percents above), so the VAF shown never promises more than the binomial."""
    pct = v * 100
    if pct <= 0:
        return "0%"
    e = math.floor(math.log10(pct))
    scale = 10.0 ** (e - 1) if pct < 10 else 1.0
    up = math.ceil(round(pct / scale, 6)) * scale
    text = f"{up:.{max(0, 1 - e) if up < 10 else 0}f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


# ----------------------------------------------------------------------------- loci of the rules

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
