"""Copy-number calls on named targets (pure: no file I/O except loading the bundled data tables).

Target port: jakcli/engine/copynumber.py (``jakcli/engine.py`` still exists in this branch, so a
``jakcli/engine/`` package cannot be created here). Given one sample's segments, the bundled
targets (jakcli/reference/data/cnv_targets.tsv), the thresholds (rules/copy_number/thresholds.yaml)
and a sex, :func:`call_targets` gives one :class:`TargetCall` per target: assessed or not (a target
no segment covers is ``not-assessed``, never ``neutral``), the state of each covering segment,
the fraction of the target in each state, exons affected and focal/broad. :func:`match_rule`
evaluates a rule's ``match.copy_number`` block and :func:`ikzf1plus` the IKZF1plus profile.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from jakcli.genome import CONTIG_LENGTHS
from jakcli.model import Build
from jakcli.readers.cnv import Segment, normalise_sex

_DATA = Path(__file__).resolve().parent / "reference" / "data"
_THRESHOLDS = Path(__file__).resolve().parent.parent / "rules" / "copy_number" / "thresholds.yaml"
STATES = ("deep_loss", "loss", "neutral", "gain", "amplification")
_AT_LEAST = {"loss": {"loss", "deep_loss"}, "deep_loss": {"deep_loss"},
             "gain": {"gain", "amplification"}, "amplification": {"amplification"}}


@dataclass(frozen=True)
class Target:
    name: str
    build: str
    loci: tuple[tuple[str, int, int], ...]  # (contig, start, end), 1-based inclusive
    genes: str
    exons: tuple[tuple[int, int, int], ...]  # (number, start, end) on the first locus
    source: str


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

    def fraction_at_least(self, state: str) -> float:
        return sum(f for s, f in self.fraction_by_state.items() if s in _AT_LEAST[state])

    def exons_at_least(self, state: str) -> set[int]:
        return {n for s, ex in self.exons_by_state.items() if s in _AT_LEAST[state] for n in ex}


@lru_cache(maxsize=None)
def load_thresholds(path: str | None = None) -> dict:
    with open(path or _THRESHOLDS, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@lru_cache(maxsize=None)
def load_targets(build: str) -> dict[str, Target]:
    """Targets of one build, keyed by name; a PAR1 target has an X and a Y locus."""
    rows: dict[str, list[list[str]]] = {}
    lines = (_DATA / "cnv_targets.tsv").read_text().splitlines()
    for line in lines[1:]:
        f = line.split("\t")
        if f[1] == str(build):
            rows.setdefault(f[0], []).append(f)
    out = {}
    for name, fs in rows.items():
        exons = tuple((int(n), int(s), int(e)) for n, s, e in
                      (x.replace("-", ":").split(":") for x in fs[0][8].split(";") if x))
        out[name] = Target(name, str(build), tuple((f[2], int(f[3]), int(f[4])) for f in fs), fs[0][5], exons,
                           fs[0][9])
    return out


@lru_cache(maxsize=None)
def _p_arm_ends(build: str) -> dict[str, int]:
    lines = (_DATA / "arm_boundaries.tsv").read_text().splitlines()[1:]
    return {f[1]: int(f[2]) for f in (ln.split("\t") for ln in lines) if f[0] == str(build)}


def region_kind(contig: str, start: int, end: int, build: str, thr: dict) -> str:
    """'autosome', 'PAR1', 'X' or 'Y' for the bulk of a region (PAR1 by the thresholds' bounds)."""
    if contig not in ("X", "Y"):
        return "autosome"
    lo, hi = thr["sex_chromosomes"]["par1"][str(build)][contig]
    return "PAR1" if start >= lo and end <= hi else contig


def is_focal(seg: Segment, build: str, thr: dict) -> bool | None:
    """Focal: no longer than ``broad_min_arm_fraction`` of its arm; None when the arm is unknown."""
    p_end = _p_arm_ends(str(build)).get(seg.contig)
    length = CONTIG_LENGTHS[Build(str(build))].get(seg.contig)
    if p_end is None or length is None:
        return None
    mid = (seg.start + seg.end) // 2
    arm = p_end if mid <= p_end else length - p_end
    return (seg.end - seg.start + 1) <= thr["focal"]["broad_min_arm_fraction"] * arm


def infer_sex(segments: list[Segment], build: str, thr: dict) -> tuple[str | None, str]:
    """Sex from chrY outside PAR1: absent (very low log2 / CN < 0.5) -> female; near the
    autosomal level -> male; no chrY segment or in between -> None (not inferable)."""
    sc = thr["sex_chromosomes"]
    lo, hi = sc["par1"][str(build)]["Y"]
    def outside(s: Segment) -> int:  # bases of the segment outside chrY PAR1
        return max(0, s.end - s.start + 1 - max(0, min(hi, s.end) - max(lo, s.start) + 1))

    ys = [s for s in segments if s.contig == "Y" and outside(s) > 0]
    if not ys:
        return None, "not inferable: no chrY segment outside PAR1"
    total = sum(outside(s) for s in ys)

    def weight(pred) -> float:
        return sum(outside(s) for s in ys if pred(s)) / total

    absent = weight(lambda s: (s.log2 is not None and s.log2 <= sc["infer_y_absent_log2_max"])
                    or (s.log2 is None and s.copy_number is not None and s.copy_number < 0.5))
    present = weight(lambda s: (s.log2 is not None and s.log2 >= sc["infer_y_present_log2_min"])
                     or (s.log2 is None and s.copy_number is not None and s.copy_number >= 0.5))
    if absent > 0.5:
        return "female", f"inferred: chrY outside PAR1 absent over {absent:.0%} of its segmented length"
    if present > 0.5:
        return "male", f"inferred: chrY outside PAR1 present over {present:.0%} of its segmented length"
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
    return _cn_state(seg.copy_number, expected, ploidy, thr), "copy number", seg.copy_number, expected


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


def call_targets(segments, build: str, sex: str | None, sex_source: str, thr: dict | None = None,
                 purity: float | None = None, ploidy: float | None = None) -> dict[str, TargetCall]:
    """One TargetCall per bundled target of ``build`` for one sample's segments."""
    thr = thr or load_thresholds()
    return {name: _call_target(t, list(segments), sex, sex_source, thr, purity, ploidy)
            for name, t in load_targets(str(build)).items()}


def _call_target(t: Target, segments, sex, sex_source, thr, purity, ploidy) -> TargetCall:
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
            calls.append(SegmentCall(seg, state, measure, value, exp, is_focal(seg, t.build, thr), ov))
            by_state[state] = by_state.get(state, 0.0) + ov / size
            if contig == t.loci[0][0]:
                exons.setdefault(state, set()).update(n for n, s, e in t.exons if s <= seg.end and e >= seg.start)
    covered = sum(c.overlap_bp for c in calls) / (locus[2] - locus[1] + 1) if locus else 0.0
    status = "assessed" if calls else "not-assessed"
    return TargetCall(t.name, status, round(min(covered, 1.0), 4), {k: round(v, 4) for k, v in by_state.items()},
                      {k: tuple(sorted(v)) for k, v in exons.items()}, tuple(calls), sex, sex_source, t.build)


def match_rule(spec: dict, calls: dict[str, TargetCall], build: str) -> str:
    """Evaluate one ``match.copy_number`` block: 'present', 'absent' or 'not-assessed'. With
    ``targets`` (a list) it is present when any target is, absent only when every one is assessed."""
    if "targets" in spec:
        results = [_match_one({**spec, "target": t}, calls, build) for t in spec["targets"]]
        if "present" in results:
            return "present"
        return "not-assessed" if "not-assessed" in results else "absent"
    return _match_one(spec, calls, build)


def _match_one(spec: dict, calls: dict[str, TargetCall], build: str) -> str:
    call = calls.get(spec["target"])
    if call is None or call.status == "not-assessed":
        return "not-assessed"
    state = spec["state"]
    qualifying = [c for c in call.segments if c.state in _AT_LEAST[state] and _segment_ok(c, spec, build)]
    if not qualifying:
        return "not-assessed" if any(c.state == "unknown-sex" for c in call.segments) else "absent"
    frac = sum(c.overlap_bp for c in qualifying) / max(1, sum(c.overlap_bp for c in call.segments)) * call.fraction_assessed
    exon_hits = {n for c in qualifying for n in _exons_of(call, c)}
    for alt in spec.get("any_of", [{"min_fraction": spec.get("min_fraction", 0.0)}]):
        if "min_fraction" in alt and frac + 1e-9 >= alt["min_fraction"] and frac > 0:
            return "present"
        if "all_exons" in alt and set(alt["all_exons"]) <= exon_hits:
            return "present"
        if "min_exons" in alt and len(exon_hits) >= alt["min_exons"]:
            return "present"
    return "absent"


def _segment_ok(c: SegmentCall, spec: dict, build: str) -> bool:
    if spec.get("focal") == "required" and c.focal is not True:
        return False
    limit = (spec.get("max_segment_bp") or {}).get(str(build))
    return limit is None or (c.segment.end - c.segment.start + 1) <= limit


def _exons_of(call: TargetCall, c: SegmentCall) -> set[int]:
    t = load_targets(call.build)[call.target]
    if c.segment.contig != t.loci[0][0]:
        return set()
    return {n for n, s, e in t.exons if s <= c.segment.end and e >= c.segment.start}


IKZF1PLUS_PARTNERS = ("cdkn2ab-deletion", "pax5-deletion", "par1-deletion")


@dataclass(frozen=True)
class Ikzf1plusStatus:
    status: str  # 'IKZF1plus' | 'not-IKZF1plus' | 'not-assessed'
    reason: str


def ikzf1plus(results: dict[str, str]) -> Ikzf1plusStatus:
    """IKZF1plus (Stanulla et al. 2018): IKZF1 deletion with a homozygous CDKN2A/B, a PAX5 or a
    PAR1 deletion, and no ERG deletion. ``results`` maps rule id -> 'present'/'absent'/
    'not-assessed'; a missing rule counts as not assessed. Never 'not-IKZF1plus' on missing data."""
    ikzf1 = results.get("ikzf1-deletion", "not-assessed")
    if ikzf1 == "not-assessed":
        return Ikzf1plusStatus("not-assessed", "IKZF1 copy number not assessed")
    if ikzf1 == "absent":
        return Ikzf1plusStatus("not-IKZF1plus", "no IKZF1 deletion")
    erg = results.get("erg-deletion", "not-assessed")
    if erg == "present":
        return Ikzf1plusStatus("not-IKZF1plus", "IKZF1 deletion with an ERG deletion")
    partners = {r: results.get(r, "not-assessed") for r in IKZF1PLUS_PARTNERS}
    hits = [r for r, s in partners.items() if s == "present"]
    if erg == "not-assessed":
        return Ikzf1plusStatus("not-assessed", "IKZF1 deletion, but ERG not covered by the copy-number data")
    if hits:
        return Ikzf1plusStatus("IKZF1plus", f"IKZF1 deletion with {', '.join(hits)}; no ERG deletion")
    missing = [r for r, s in partners.items() if s == "not-assessed"]
    if missing:
        return Ikzf1plusStatus("not-assessed", f"IKZF1 deletion; {', '.join(missing)} not assessed")
    return Ikzf1plusStatus("not-IKZF1plus", "IKZF1 deletion without a CDKN2A/B, PAX5 or PAR1 deletion")
