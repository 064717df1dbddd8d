"""Copy-number calls on named targets (pure: no I/O).

Given one sample's segments, the targets of one build (:class:`~jakcli.reference.cnv_targets.TargetSet`),
the thresholds (rule data, :mod:`jakcli.ruleset.cnv_thresholds`) and a sex, :func:`call_targets`
gives one :class:`TargetCall` per target: assessed or not (a target no segment covers is
``not-assessed``, never ``neutral``), the state of each covering segment, the fraction of the
target in each state, exons affected and focal/broad. :func:`match_rule` evaluates a rule's
``match.copy_number`` block to ``present``, ``absent`` or ``not-assessed``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from jakcli.model.copynumber import Segment, normalise_sex
from jakcli.model.numbers import percent
from jakcli.reference.cnv_targets import Target, TargetSet

STATES = ("deep_loss", "loss", "neutral", "gain", "amplification")
_AT_LEAST = {"loss": {"loss", "deep_loss"}, "deep_loss": {"deep_loss"},
             "gain": {"gain", "amplification"}, "amplification": {"amplification"}}


@dataclass(frozen=True)
class SegmentCall:
    segment: Segment
    state: str
    measure: str  # 'log2', 'log2 purity-adjusted', 'copy number'
    value: float  # log2 relative to the expected level, or absolute copy number
    expected_copies: float
    focal: bool | None
    overlap_bp: int


@dataclass(frozen=True)
class TargetCall:
    target: str
    status: str  # 'assessed' | 'not-assessed'
    fraction_assessed: float
    fraction_by_state: dict[str, float]
    exons_by_state: dict[str, tuple[int, ...]]
    segments: tuple[SegmentCall, ...]
    sex: str | None
    sex_source: str
    build: str
    target_def: Target


def region_kind(contig: str, start: int, end: int, build: str, thr: dict) -> str:
    """'autosome', 'PAR1', 'X' or 'Y' for the bulk of a region (PAR1 by the thresholds' bounds)."""
    if contig not in ("X", "Y"):
        return "autosome"
    lo, hi = thr["sex_chromosomes"]["par1"][str(build)][contig]
    return "PAR1" if start >= lo and end <= hi else contig


def is_focal(seg: Segment, ref: TargetSet, thr: dict) -> bool | None:
    """Focal: no longer than ``broad_min_arm_fraction`` of its arm; None when the arm is unknown."""
    p_end = ref.p_arm_ends.get(seg.contig)
    length = ref.contig_lengths.get(seg.contig)
    if p_end is None or length is None:
        return None
    mid = (seg.start + seg.end) // 2
    arm = p_end if mid <= p_end else length - p_end
    return (seg.end - seg.start + 1) <= thr["focal"]["broad_min_arm_fraction"] * arm


def infer_sex(segments: list[Segment], build: str, thr: dict) -> tuple[str | None, str]:
    """Sex from chrY outside its pseudoautosomal regions (PAR1, and PAR2 when the thresholds give it):
    absent (very low log2 / CN < 0.5) -> female; near the autosomal level -> male; no chrY segment or
    in between -> None (not inferable)."""
    sc = thr["sex_chromosomes"]
    pars = [tuple(sc[k][str(build)]["Y"]) for k in ("par1", "par2") if k in sc]

    def outside(s: Segment) -> int:  # bases of the segment outside chrY's PARs
        return max(0, s.end - s.start + 1 - sum(max(0, min(hi, s.end) - max(lo, s.start) + 1) for lo, hi in pars))

    ys = [s for s in segments if s.contig == "Y" and outside(s) > 0]
    if not ys:
        return None, "not inferable: no chrY segment outside the pseudoautosomal regions"
    total = sum(outside(s) for s in ys)

    def weight(pred) -> float:
        return sum(outside(s) for s in ys if pred(s)) / total

    absent = weight(lambda s: (s.log2 is not None and s.log2 <= sc["infer_y_absent_log2_max"])
                    or (s.log2 is None and s.copy_number is not None and s.copy_number < 0.5))
    present = weight(lambda s: (s.log2 is not None and s.log2 >= sc["infer_y_present_log2_min"])
                     or (s.log2 is None and s.copy_number is not None and s.copy_number >= 0.5))
    if absent > 0.5:
        return "female", f"inferred: chrY outside the PARs absent over {percent(absent)} of its segmented length"
    if present > 0.5:
        return "male", f"inferred: chrY outside the PARs present over {percent(present)} of its segmented length"
    return None, "not inferable: chrY level between the present and absent cut-offs"


def resolve_sex(given: str | None, file_sex: str | None, segments, build: str, thr: dict) -> tuple[str | None, str]:
    """A run parameter wins, then what the file says (PURPLE gender), then inference from chrY."""
    if normalise_sex(given):
        return normalise_sex(given), "given (--sex)"
    if file_sex:
        return file_sex, "from the copy-number file"
    return infer_sex(list(segments), build, thr)


def segment_state(seg: Segment, kind: str, sex: str | None, thr: dict, purity: float | None,
                  ploidy: float | None) -> tuple[str, str, float, float]:
    """(state, measure, value, expected copies) of one segment at a region of ``kind``."""
    sc = thr["sex_chromosomes"]
    expected = float(sc["expected_copies"][sex][kind]) if sex else (2.0 if kind in ("autosome", "PAR1") else math.nan)
    if math.isnan(expected):
        return "unknown-sex", "none", math.nan, expected
    if seg.log2 is not None:
        ref = float(sc["reference_copies"][kind])
        if purity is not None and purity >= thr["purity"]["min_purity"]:
            cn = (2 ** seg.log2 * ref - (1 - purity) * expected) / purity
            return _cn_state(max(cn, 0.0), expected, None, thr), "log2 purity-adjusted", max(cn, 0.0), expected
        if expected == 0:
            return "neutral", "log2", seg.log2, expected  # no copies expected: a loss cannot be seen
        rel = seg.log2 - math.log2(expected / ref)
        return _log2_state(rel, thr), "log2", rel, expected
    cn = seg.copy_number if seg.copy_number is not None else math.nan  # readers skip segments with neither
    return _cn_state(cn, expected, ploidy, thr), "copy number", cn, expected


def _log2_state(rel: float, thr: dict) -> str:
    t = thr["log2"]
    if rel <= t["deep_loss_max"]:
        return "deep_loss"
    if rel <= t["loss_max"]:
        return "loss"
    if rel >= t["amplification_min"]:
        return "amplification"
    if rel >= t["gain_min"]:
        return "gain"
    return "neutral"


def _cn_state(cn: float, expected: float, ploidy: float | None, thr: dict) -> str:
    t = thr["copy_number"]
    if cn < t["deep_loss_max"] and expected > 0:
        return "deep_loss"
    if cn <= expected - t["loss_margin"]:
        return "loss"
    if cn >= t["amplification_ploidy_ratio"] * (ploidy or expected or 1):
        return "amplification"
    if cn >= expected + t["gain_margin"]:
        return "gain"
    return "neutral"


def call_targets(segments, ref: TargetSet, sex: str | None, sex_source: str, thr: dict,
                 purity: float | None = None, ploidy: float | None = None) -> dict[str, TargetCall]:
    """One TargetCall per target of ``ref`` (one build) for one sample's segments."""
    return {name: _call_target(t, ref, list(segments), sex, sex_source, thr, purity, ploidy)
            for name, t in ref.targets.items()}


def _call_target(t: Target, ref: TargetSet, segments, sex, sex_source, thr, purity, ploidy) -> TargetCall:
    """Evaluate the first locus any segment covers (PAR1: chrX before chrY). Callers place PAR1
    reads on one copy (a chrY-PAR-masked reference puts them all on chrX), so the other copy's
    level says nothing about the lesion."""
    locus = next(((c, lo, hi) for c, lo, hi in t.loci
                  if any(s.contig == c and s.start <= hi and s.end >= lo for s in segments)), None)
    calls: list[SegmentCall] = []
    by_state: dict[str, float] = {}
    exons: dict[str, set[int]] = {}
    if locus is not None:
        contig, lo, hi = locus
        size = hi - lo + 1
        for seg in segments:
            ov = min(hi, seg.end) - max(lo, seg.start) + 1
            if seg.contig != contig or ov <= 0:
                continue
            kind = region_kind(contig, max(lo, seg.start), min(hi, seg.end), t.build, thr)
            state, measure, value, exp = segment_state(seg, kind, sex, thr, purity, ploidy)
            calls.append(SegmentCall(seg, state, measure, value, exp, is_focal(seg, ref, thr), ov))
            by_state[state] = by_state.get(state, 0.0) + ov / size
            if contig == t.loci[0][0]:
                exons.setdefault(state, set()).update(n for n, s, e in t.exons if s <= seg.end and e >= seg.start)
    covered = _union_bp(calls, locus[1], locus[2]) / (locus[2] - locus[1] + 1) if locus else 0.0
    status = "assessed" if calls else "not-assessed"
    return TargetCall(t.name, status, round(min(covered, 1.0), 4), {k: round(v, 4) for k, v in by_state.items()},
                      {k: tuple(sorted(v)) for k, v in exons.items()}, tuple(calls), sex, sex_source, t.build, t)


def _union_bp(calls: list[SegmentCall], lo: int, hi: int) -> int:
    """Bases of [lo, hi] covered by at least one segment (overlapping segments count once)."""
    total, pos = 0, lo - 1
    for s, e in sorted((max(lo, c.segment.start), min(hi, c.segment.end)) for c in calls):
        if e > pos:
            total += e - max(s - 1, pos)
            pos = e
    return total


Hit = tuple[TargetCall, SegmentCall]  # a qualifying segment and the target it was called on


def match_rule(spec: dict, calls: dict[str, TargetCall], build: str) -> str:
    """Evaluate one ``match.copy_number`` block: 'present', 'absent' or 'not-assessed'."""
    return match_segments(spec, calls, build)[0]


def match_segments(spec: dict, calls: dict[str, TargetCall], build: str) -> tuple[str, list[Hit]]:
    """The status of a ``match.copy_number`` block and, when present, the segments that make it so.
    With ``targets`` (a list) it is present when any target is, absent only when every one is assessed."""
    if "targets" in spec:
        results = [_match_one({**spec, "target": t}, calls, build) for t in spec["targets"]]
        hits = [seg for status, segs in results if status == "present" for seg in segs]
        if hits:
            return "present", hits
        return ("not-assessed" if any(r[0] == "not-assessed" for r in results) else "absent"), []
    return _match_one(spec, calls, build)


def _match_one(spec: dict, calls: dict[str, TargetCall], build: str) -> tuple[str, list[Hit]]:
    call = calls.get(spec["target"])
    if call is None or call.status == "not-assessed":
        return "not-assessed", []
    state = spec["state"]
    qualifying = [c for c in call.segments if c.state in _AT_LEAST[state] and _segment_ok(c, spec, build)]
    if not qualifying:
        unknown = any(c.state == "unknown-sex" for c in call.segments)
        return ("not-assessed" if unknown or _unseen_could_match(spec, call, 0.0, set()) else "absent"), []
    covered = max(1, sum(c.overlap_bp for c in call.segments))
    frac = sum(c.overlap_bp for c in qualifying) / covered * call.fraction_assessed
    exon_hits = {n for c in qualifying for n in exons_of(call, c)}
    for alt in spec.get("any_of", [{"min_fraction": spec.get("min_fraction", 0.0)}]):
        if ("min_fraction" in alt and frac + 1e-9 >= alt["min_fraction"] and frac > 0) or (
                "all_exons" in alt and set(alt["all_exons"]) <= exon_hits) or (
                "min_exons" in alt and len(exon_hits) >= alt["min_exons"]):
            return "present", [(call, c) for c in qualifying]
    return ("not-assessed" if _unseen_could_match(spec, call, frac, exon_hits) else "absent"), []


def _unseen_could_match(spec: dict, call: TargetCall, frac: float, exon_hits: set[int]) -> bool:
    """Whether the part of the target no segment covers could still make the block present
    (absence is claimed only where the segments rule it out)."""
    gap = 1.0 - call.fraction_assessed
    if gap <= 1e-9:
        return False
    seen = {n for c in call.segments for n in exons_of(call, c)}
    could = exon_hits | ({n for n, _, _ in call.target_def.exons} - seen)
    for alt in spec.get("any_of", [{"min_fraction": spec.get("min_fraction", 0.0)}]):
        if ("min_fraction" in alt and frac + gap + 1e-9 >= alt["min_fraction"]) or (
                "all_exons" in alt and set(alt["all_exons"]) <= could) or (
                "min_exons" in alt and len(could) >= alt["min_exons"]):
            return True
    return False


def _segment_ok(c: SegmentCall, spec: dict, build: str) -> bool:
    if spec.get("focal") == "required" and c.focal is not True:
        return False
    limit = (spec.get("max_segment_bp") or {}).get(str(build))
    return limit is None or (c.segment.end - c.segment.start + 1) <= limit


def exons_of(call: TargetCall, c: SegmentCall) -> set[int]:
    """Exon numbers of the target's first locus that segment ``c`` overlaps."""
    t = call.target_def
    if c.segment.contig != t.loci[0][0]:
        return set()
    return {n for n, s, e in t.exons if s <= c.segment.end and e >= c.segment.start}
