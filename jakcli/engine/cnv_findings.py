"""Copy-number rules on one sample's target calls -> findings (pure: no I/O).

A rule with ``lesion`` (PAR1 deletion -> ``crlf2-p2ry8-fusion``) gives a rearrangement
:class:`~jakcli.engine.rearrange.Outcome` instead of its own finding, so that
:func:`~jakcli.engine.rearrange.merge` folds it with RNA/DNA calls of the same lesion and sample.
Every other present rule gives one :class:`Finding` with one copy-number :class:`Evidence` per
qualifying segment (segment, log2 or copy number, genes, exons, file and line).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jakcli.engine.copynumber import Hit, TargetCall, exons_of, match_segments
from jakcli.engine.rearrange import REPORTED, Outcome
from jakcli.model import Evidence, Finding
from jakcli.model.numbers import percent

_WORDS = {"loss": "deletion", "deep_loss": "homozygous deletion", "gain": "gain", "amplification": "amplification"}


@dataclass
class SampleCopyNumber:
    """What one sample's segments say: per-target calls, per-rule status, findings, lesion outcomes."""

    calls: dict[str, TargetCall]
    results: dict[str, str] = field(default_factory=dict)  # rule id -> present / absent / not-assessed
    findings: list[Finding] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)

    def unassessed(self) -> tuple[set[str], list[str]]:
        """Rules the segments could not decide, and why in words (for ``not_assessed``)."""
        out, words = set(), []
        for rid, status in sorted(self.results.items()):
            if status == "not-assessed":
                out.add(rid)
                words.append(f"{rid} (copy number: the segments do not cover its target, or the sex is unknown)")
        return out, words


def _span(exons: set[int]) -> str:
    if not exons:
        return ""
    lo, hi = min(exons), max(exons)
    return f"exon {lo}" if lo == hi else (f"exons {lo}-{hi}" if len(exons) == hi - lo + 1
                                           else "exons " + ",".join(map(str, sorted(exons))))


def _evidence(hit: Hit, rule_id: str, caller: str) -> Evidence:
    call, c = hit
    s = c.segment
    return Evidence("copy-number", caller, s.source, None, "", line=s.line,
                    segment=f"{s.chrom}:{s.start}-{s.end}", log2=s.log2, copy_number=s.copy_number,
                    state=f"{c.state} ({c.measure} {c.value:.3g}; expected copies {c.expected_copies:g})",
                    genes=call.target_def.genes, exons=_span(exons_of(call, c)), focal=c.focal,
                    matched_rule=rule_id)


def evaluate_sample(sample: str, calls: dict[str, TargetCall], rules: list, build: str,
                    caller: str) -> SampleCopyNumber:
    """Apply every copy-number rule to one sample's target calls."""
    out = SampleCopyNumber(calls)
    for rule in rules:
        status, hits = match_segments(rule.copy_number, calls, build)
        out.results[rule.id] = status
        if status != "present":
            continue
        evidence = tuple(_evidence(h, rule.id, caller) for h in hits)
        if rule.lesion:
            out.outcomes.extend(_lesion_outcome(sample, rule, e) for e in evidence)
        else:
            out.findings.append(_finding(sample, rule, hits, evidence, _also(rule.copy_number, calls)))
    return out


def _lesion_outcome(sample: str, rule, ev: Evidence) -> Outcome:
    """A PAR1 deletion as evidence of the P2RY8::CRLF2 lesion (named partners, so it merges)."""
    note = f"{rule.id}: {ev.segment} {ev.state} (copy number, {ev.where})"
    return Outcome(rule.lesion, sample, REPORTED, "P2RY8", "CRLF2", f"copy-number rule {rule.id}", ev, None,
                   (note,))


def _also(spec: dict, calls: dict[str, TargetCall]) -> tuple[str, ...]:
    """``also_report`` targets (e.g. CD274/PDCD1LG2 with JAK2) as notes: their states or not assessed."""
    out = []
    for name in spec.get("also_report", []):
        c = calls.get(name)
        states = ", ".join(f"{k} {percent(v)}" for k, v in sorted(c.fraction_by_state.items())) if c else ""
        out.append(f"{name}: {states}" if c and c.status == "assessed" else f"{name}: not assessed")
    return tuple(out)


def _finding(sample: str, rule, hits: list[Hit], evidence: tuple[Evidence, ...], also: tuple[str, ...]) -> Finding:
    spec = rule.copy_number
    exons = {n for h in hits for n in exons_of(*h)}
    first = hits[0][1].segment
    word = _WORDS[spec["state"]]
    where = _span(exons) if exons and exons != {n for n, _s, _e in hits[0][0].target_def.exons} else ""
    alteration = f"{rule.gene} {word}" + (f" ({where})" if where else "")
    states = ", ".join(dict.fromkeys(e.state or "" for e in evidence))
    return Finding(
        sample=sample, rule_id=rule.id, rule_version=rule.version, gene=rule.gene, alteration=alteration,
        origin=rule.origin, classification=rule.classification, input_class=rule.input_class,
        chrom=first.chrom, pos=first.start, ref=None, alt=None, vaf=None, vaf_source=None, depth=None,
        alt_reads=None, genotype=".", filter="PASS",
        matched_by=f"copy-number evidence ({evidence[0].caller}: {states})", references=rule.references,
        therapies=rule.therapies, source=evidence[0].where,
        notes=(f"sex {hits[0][0].sex or 'unknown'} ({hits[0][0].sex_source})", *also), evidence=evidence)
