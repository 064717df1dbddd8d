"""Pure evaluation of rearrangement evidence (RNA fusion calls, DNA SV junctions) against fusion rules.

Every piece of evidence that touches a rule's partners gets an :class:`Outcome`: ``reported``
(it is the rule's lesion), ``below_floor`` (counted, not reported: too few reads or an excluded
confidence) or ``not_qualifying`` (the partners are right but the lesion is not: reciprocal
orientation, a breakpoint that loses the kinase, JAK2 as the 5' partner...). :func:`merge` folds
reported outcomes into one :class:`Finding` per lesion per sample, DNA and RNA together.

Orientation for DNA junctions comes from the breakends: a gene on ``+`` keeps its upstream part
when the breakend keeps ``left`` and its downstream part when it keeps ``right`` (reverse for
``-``). A 5' partner must keep its upstream part, a 3' partner its downstream part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jakcli.model import Breakend, Build, Evidence, Finding, FusionCall, OutcomeStatus, SvJunction
from jakcli.reference.genes import gene_span_contains
from jakcli.ruleset.compiled import FusionMatcher, FusionSide, Rule

REPORTED, BELOW_FLOOR, NOT_QUALIFYING = OutcomeStatus.REPORTED, OutcomeStatus.BELOW_FLOOR, OutcomeStatus.NOT_QUALIFYING


@dataclass(frozen=True)
class Outcome:
    rule_id: str
    sample: str
    status: OutcomeStatus
    partner5: str  # gene symbol, or "chrN:pos" for an unnamed DNA partner
    partner3: str
    reason: str
    evidence: Evidence
    bp3: Breakend | None
    notes: tuple = ()
    named_partner: bool = True
    bp5: Breakend | None = None  # the 5' breakend of a DNA junction

    @property
    def fusion(self) -> str:
        return f"{self.partner5}--{self.partner3}"

    def to_dict(self) -> dict:
        return {"rule_id": self.rule_id, "fusion": self.fusion, "status": self.status.value,
                "reason": self.reason, "evidence": self.evidence.to_dict()}


def _fusion(rule: Rule) -> FusionMatcher:
    """The fusion matcher of a rule the caller chose because it has one."""
    if rule.fusion is None:
        raise ValueError(f"{rule.id} is not a fusion rule")
    return rule.fusion


def _upstream(strand: str | None) -> str:
    return "left" if strand == "+" else "right"


def _downstream(strand: str | None) -> str:
    return "right" if strand == "+" else "left"


def _floor(rule: Rule, reads: int | None, confidence: str | None, min_reads: int | None) -> str | None:
    f = _fusion(rule)
    floor = f.min_supporting_reads if min_reads is None else min_reads
    if confidence and confidence.lower() in f.exclude_confidence and min_reads is None:
        return f"caller confidence '{confidence}' is below the rule's evidence floor"
    if reads is not None and reads < floor:
        return f"{reads} supporting reads < evidence floor {floor}"
    return None


def _gene_of(side: FusionSide, genes: tuple[str, ...]) -> str | None:
    if side.any_gene:
        return genes[0] if genes else None
    return next((g for g in genes if g in side.genes), None)


def rna_evidence(call: FusionCall) -> Evidence:
    return Evidence("RNA", call.caller, call.source, call.reads, call.read_detail, line=call.line,
                    fusion=f"{call.name5}--{call.name3}", breakpoint5=call.bp5.label if call.bp5 else None,
                    breakpoint3=call.bp3.label if call.bp3 else None, confidence=call.confidence)


def evaluate_fusion_call(call: FusionCall, sample: str, rules: list[Rule], build: Build,
                         min_reads: int | None = None) -> list[Outcome]:
    """Outcomes of one RNA call against every fusion rule it names partners of."""
    out = []
    ev = rna_evidence(call)
    for rule in rules:
        f = _fusion(rule)
        g5, g3 = _gene_of(f.five_prime, call.genes5), _gene_of(f.three_prime, call.genes3)
        if g5 and g3 and not (f.five_prime.any_gene and g5 in f.three_prime.genes):
            out.append(_judge_rna(rule, call, sample, g5, g3, build, min_reads, ev))
            continue
        # the same partners the other way round: reciprocal (or the 3' gene as 5' partner)
        r5 = next((g for g in call.genes5 if g in f.three_prime.genes), None)
        r3 = _gene_of(f.five_prime, call.genes3)
        if r5 and r3 and r3 != r5:
            what = (f"{r5} is the 5' partner; {rule.id} needs {r5} as the 3' partner" if f.five_prime.any_gene
                    else f"reciprocal orientation ({r5} 5', {r3} 3'), not the canonical "
                         f"{'/'.join(f.five_prime.genes)}--{'/'.join(f.three_prime.genes)}")
            out.append(Outcome(rule.id, sample, NOT_QUALIFYING, r5, r3, what, ev, call.bp5))
    return out


def _judge_rna(rule: Rule, call: FusionCall, sample: str, g5: str, g3: str, build: Build,
               min_reads: int | None, ev: Evidence) -> Outcome:
    f = _fusion(rule)

    def verdict(status, reason, notes=()):
        return Outcome(rule.id, sample, status, g5, g3, reason, ev, call.bp3, tuple(notes))

    if not call.oriented:
        return verdict(NOT_QUALIFYING, f"{call.caller} could not tell which gene is 5' (transcribed strand '.')")
    if call.event_type and any(t in call.event_type for t in ("5'-5'", "3'-3'")):
        return verdict(NOT_QUALIFYING,
                       f"genes fused {call.event_type} (head-to-head/tail-to-tail): no chimeric protein")
    notes = []
    for side, bp, gene in ((f.five_prime, call.bp5, g5), (f.three_prime, call.bp3, g3)):
        if not side.windows:
            continue
        if bp is None:
            notes.append(f"{gene} breakpoint not given: {side.window} not checked")
            continue
        if not side.contains(build, bp.contig, bp.pos):
            inside_gene = gene_span_contains(gene, build.value, bp.contig, bp.pos)
            if inside_gene is False:
                return verdict(NOT_QUALIFYING, f"{gene} breakpoint {bp.label} is not in {gene} in {build.value}; "
                                               "if the fusion file uses the other genome build, run it with that build")
            return verdict(NOT_QUALIFYING, f"{gene} breakpoint {bp.label} is outside {side.window} ({build.value})")
    if call.reads is None:
        notes.append("read support not given in the fusion table")
    low = _floor(rule, call.reads, call.confidence, min_reads)
    if low:
        return verdict(BELOW_FLOOR, low, notes)
    return verdict(REPORTED, "canonical orientation", notes)


def dna_evidence(j: SvJunction) -> Evidence:
    return Evidence("DNA", j.caller, j.source, j.reads, j.read_detail, record=j.record, svtype=j.svtype,
                    breakends=f"{j.a.label}({j.a.keeps})--{j.b.label}({j.b.keeps})", filter=j.filter)


def evaluate_junction(j: SvJunction, rules: list[Rule], build: Build,
                      min_reads: int | None = None) -> list[Outcome]:
    """Outcomes of one DNA junction against every fusion rule whose windows it touches."""
    out = []
    ev = dna_evidence(j)
    for rule in rules:
        best = None
        for x, y in ((j.a, j.b), (j.b, j.a)):  # x = 5' candidate, y = 3' candidate
            o = _judge_dna(rule, j, x, y, build, min_reads, ev)
            if o is not None and (best is None or _RANK[o.status] > _RANK[best.status]):
                best = o
        if best is not None:
            out.append(best)
    return out


_RANK = {NOT_QUALIFYING: 0, BELOW_FLOOR: 1, REPORTED: 2}


def _judge_dna(rule: Rule, j: SvJunction, x: Breakend, y: Breakend, build: Build, min_reads: int | None,
               ev: Evidence) -> Outcome | None:
    f = _fusion(rule)
    five, three = f.five_prime, f.three_prime
    gene3 = three.genes[0]
    in3 = three.contains(build, y.contig, y.pos)
    if five.any_gene:
        if three.contains(build, x.contig, x.pos) or (
                x.contig == y.contig and gene_span_contains(gene3, build.value, x.contig, x.pos)):
            return None  # both ends inside the 3' gene: intragenic, not a fusion
        partner5, named = x.label, False
    else:
        if not five.contains(build, x.contig, x.pos):
            return None
        partner5, named = five.genes[0], True
    transcript = f.dna_orientation == "transcript"

    def outcome(status, reason, notes=()):
        return Outcome(rule.id, j.sample, status, partner5, gene3, reason, ev, y, tuple(notes), named, x)

    if not in3:
        # a breakend in the 3' gene that misses the kinase-retaining window: say so, do not report
        if (transcript and gene_span_contains(gene3, build.value, y.contig, y.pos)
                and three.strand and y.keeps == _downstream(three.strand) and not five.windows):
            return outcome(NOT_QUALIFYING, f"{gene3} breakend {y.label} is outside {three.window}: "
                                           f"the fusion cannot keep the whole kinase domain")
        return None
    if transcript:
        ok3 = y.keeps == _downstream(three.strand)
        ok5 = five.strand is None or x.keeps == _upstream(five.strand)
        if not (ok3 and ok5):
            if five.any_gene and not ok3:
                return outcome(NOT_QUALIFYING, f"the junction keeps the upstream part of {gene3}: {gene3} is "
                                               "the 5' side, not the 3' partner")
            if five.strand and y.keeps == _upstream(three.strand) and x.keeps == _downstream(five.strand):
                return Outcome(rule.id, j.sample, NOT_QUALIFYING, gene3, partner5,
                               f"reciprocal orientation ({gene3} 5', {partner5} 3'): the junction joins the "
                               f"upstream part of {gene3} to the downstream part of {partner5}", ev, x)
            return outcome(NOT_QUALIFYING, f"the junction joins {partner5} and {gene3} in an orientation "
                                           "that cannot make a fusion transcript (inversion-type)")
    notes = []
    if not named:
        notes.append(f"5' partner at {x.label} is not named by the SV caller")
    if j.reads is None:
        notes.append("read support not given in the SV VCF")
    low = _floor(rule, j.reads, None, min_reads)
    if low:
        return outcome(BELOW_FLOOR, low, notes)
    return outcome(REPORTED, "breakends in both partner windows" + (", transcript orientation" if transcript else ""),
                   notes)


@dataclass
class MergedRearrangements:
    findings: dict[str, list[Finding]] = field(default_factory=dict)  # by sample
    not_reported: dict[str, list[dict]] = field(default_factory=dict)  # by sample, as the report lists them
    below_floor: dict[str, int] = field(default_factory=dict)  # by sample

    def counts(self) -> dict:
        return {"below_floor": sum(self.below_floor.values()),
                "not_qualifying": sum(1 for v in self.not_reported.values() for d in v
                                      if d["status"] == NOT_QUALIFYING.value)}


# DNA breakends of one lesion called by two callers (or imprecisely) lie this close together
SAME_LESION_BP = 10_000


def merge(outcomes: list[Outcome], rules: dict[str, Rule]) -> MergedRearrangements:
    """One finding per lesion per sample (rule + 5' partner). DNA with an unnamed 5' partner joins
    the sample's single named finding of that rule when there is exactly one; otherwise unnamed
    junctions whose 5' breakends lie within SAME_LESION_BP of each other are one lesion. The
    result does not depend on the order of ``outcomes``."""
    m = MergedRearrangements()
    groups: dict[tuple, list[Outcome]] = {}
    unnamed: list[Outcome] = []
    not_reported: dict[str, list[Outcome]] = {}
    for o in outcomes:
        if o.status == REPORTED:
            if o.named_partner:
                groups.setdefault((o.sample, o.rule_id, o.partner5), []).append(o)
            else:
                unnamed.append(o)
        else:
            if o.status == BELOW_FLOOR:
                m.below_floor[o.sample] = m.below_floor.get(o.sample, 0) + 1
            not_reported.setdefault(o.sample, []).append(o)
    named = list(groups)
    clusters: dict[tuple, list[tuple[str, int]]] = {}  # unnamed group key -> its 5' breakends
    unnamed.sort(key=lambda o: (o.sample, o.rule_id, o.bp5.contig if o.bp5 else "", o.bp5.pos if o.bp5 else 0,
                                *_where(o.evidence)))
    for o in unnamed:
        same = [k for k in named if k[0] == o.sample and k[1] == o.rule_id]
        if len(same) == 1:
            groups[same[0]].append(o)
            continue
        here = (o.bp5.contig, o.bp5.pos) if o.bp5 else None
        key = next((k for k, ends in clusters.items() if k[:2] == (o.sample, o.rule_id) and here and any(
            c == here[0] and abs(p - here[1]) <= SAME_LESION_BP for c, p in ends)), None)
        if key is None:
            key = (o.sample, o.rule_id, o.partner5)
            clusters[key] = []
        if here:
            clusters[key].append(here)
        groups.setdefault(key, []).append(o)
    for (sample, rule_id, _p5), group in sorted(groups.items(), key=lambda kv: kv[0]):
        m.findings.setdefault(sample, []).append(_finding(group, rules[rule_id]))
    for sample, found in not_reported.items():
        found.sort(key=lambda o: (o.rule_id, o.fusion, *_where(o.evidence)))
        m.not_reported[sample] = [o.to_dict() for o in found]
    return m


def _where(evidence: Evidence) -> tuple:
    """Sort key for a call's origin: file, then line or record number as a number."""
    place = evidence.line if evidence.kind in ("RNA", "copy-number") else evidence.record
    digits = re.search(r"\d+", str(place))
    return (str(evidence.file), int(digits.group()) if digits else 0, str(place))


def _finding(group: list[Outcome], rule: Rule) -> Finding:
    group = sorted(group, key=lambda o: (o.evidence.kind != "RNA", not o.named_partner, *_where(o.evidence)))
    lead = next((o for o in group if o.named_partner), group[0])
    bp3 = next((o.bp3 for o in group if o.bp3 is not None), None)
    reads = [o.evidence.supporting_reads for o in group if o.evidence.supporting_reads is not None]
    kinds = sorted({o.evidence.kind for o in group})
    callers = ", ".join(dict.fromkeys(f"{o.evidence.kind}: {o.evidence.caller}" for o in group))
    filters = {o.evidence.filter for o in group if o.evidence.filter}
    word = "fusion" if _fusion(rule).dna_orientation == "transcript" else "rearrangement"
    notes = tuple(dict.fromkeys(n for o in group for n in o.notes))
    return Finding(
        sample=lead.sample, rule_id=rule.id, rule_version=rule.version, gene=rule.gene,
        alteration=f"{lead.partner5}::{lead.partner3} {word}", origin=rule.origin,
        classification=rule.classification, input_class=rule.input_class,
        chrom=bp3.chrom if bp3 else None, pos=bp3.pos if bp3 else None, ref=None, alt=None,
        vaf=None, vaf_source=None, depth=None, alt_reads=max(reads) if reads else None,
        genotype=".", filter="PASS" if filters <= {"PASS", "."} else ";".join(sorted(filters)),
        matched_by=f"{'+'.join(kinds)} evidence ({callers})", references=rule.references,
        therapies=rule.therapies, source=lead.evidence.where, notes=notes,
        evidence=tuple(o.evidence for o in group))
