"""Pure risk stratification: one sample's findings + a profile (data) -> a :class:`RiskCall`.

Absence of evidence is not evidence of absence: rules whose input class was not supplied (or
whose contig the input does not cover) are treated as "could be present" to compute
``worst_case_level``, and are listed in ``not_assessed``.
"""

from __future__ import annotations

from jakcli.engine.small_variants import SiteIndex
from jakcli.model import Finding, Level, RiskCall
from jakcli.model.findings import gene_and_alteration
from jakcli.ruleset.compiled import Condition, Profile, Ruleset
from jakcli.ruleset.profiles import profile_rule_ids

INPUT_CLASS_NAMES = {
    "small-variant": ("small variants (VCF)",),
    "rearrangement": ("fusions", "structural variants"),
    "copy-number": ("copy number (segments)",),
}


def _satisfied(cond: Condition, by_rule: dict[str, list[Finding]], assume: set[str] | None = None,
               unassessed: frozenset[str] = frozenset()) -> bool:
    """Is ``cond`` met by the findings? Rules in ``assume`` count as present (worst case), and
    so does a finding of unknown VAF under a ``min_vaf`` condition (``assume`` given = worst case).
    ``none_of`` rules must have no finding; outside the worst case they must also have been
    assessed (not in ``unassessed``): absence is never inferred from missing input."""
    worst_case = assume is not None
    if any(by_rule.get(rid) or (not worst_case and rid in unassessed) for rid in cond.none_of):
        return False
    assume = assume or set()
    if cond.all_of:
        return all(_satisfied(c, by_rule, assume if worst_case else None, unassessed) for c in cond.all_of)
    floor = cond.min_vaf
    for rid in cond.any_of:
        if rid in assume:
            return True
        for f in by_rule.get(rid, []):
            if floor is None or (f.vaf is not None and f.vaf >= floor) or (worst_case and f.vaf is None):
                return True
    return False


def _rationale_for(cond: Condition, by_rule: dict[str, list[Finding]]) -> list[str]:
    absent = [f"no {rid} (assessed)" for rid in cond.none_of]
    if cond.all_of:
        return [line for c in cond.all_of for line in _rationale_for(c, by_rule)] + absent
    out: list[str] = []
    for rid in cond.any_of:
        for f in by_rule.get(rid, []):
            vaf = "VAF n/a" if f.vaf is None else f"VAF {round(f.vaf, 4):.3f}"  # as the report rounds it
            out.append(f"{gene_and_alteration(f.gene, f.alteration)} ({f.rule_id}, {f.classification}, {vaf})")
    return out + absent


def assess(findings: list[Finding], profile: Profile, ruleset: Ruleset,
           unassessed_rules: set[str], not_assessed: list[str]) -> RiskCall:
    """Apply ``profile`` to one sample.

    ``unassessed_rules`` are rule ids that could not be evaluated for this sample;
    ``not_assessed`` says in words what was missing.
    """
    by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        by_rule.setdefault(f.rule_id, []).append(f)
    level, label, rationale = Level.NONE_DETECTED, profile.default_label, []
    tier = next((t for t in profile.tiers if _satisfied(t.when, by_rule, None, frozenset(unassessed_rules))), None)
    if tier is not None:
        level, label, rationale = tier.level, tier.label, _rationale_for(tier.when, by_rule)
    worst = level
    for t in profile.tiers:
        if t.level.rank > worst.rank and _satisfied(t.when, by_rule, set(unassessed_rules)):
            worst = t.level
    if not findings and unassessed_rules and all_rules_unassessed(profile, ruleset, unassessed_rules):
        level = Level.NOT_ASSESSABLE
        label = "not assessable: none of the loci this profile needs were covered by the input"
    if not rationale and level == Level.NONE_DETECTED:
        rationale = ["no alteration named by this profile was found in the assessed input"]
    return RiskCall(profile=profile.id, level=level, worst_case_level=worst if worst.rank >= level.rank else level,
                    label=label, rationale=tuple(rationale), not_assessed=tuple(not_assessed),
                    extra=_extras(profile, by_rule, unassessed_rules))


def _extras(profile: Profile, by_rule: dict[str, list[Finding]], unassessed: set[str]) -> dict:
    """The profile's per-sample status word and allele-burden class."""
    extra: dict = {}
    if profile.status is not None:
        st = profile.status
        genes = sorted({f.gene for rid in st.rules for f in by_rule.get(rid, [])})
        extra[st.name] = "+".join(genes) if genes else st.none_value
        if not genes and any(r in unassessed for r in st.rules):
            extra[st.name] = "not assessed"
    if profile.burden is not None:
        bd = profile.burden
        vafs = [f.vaf for rid in bd.rules for f in by_rule.get(rid, []) if f.vaf is not None]
        extra[bd.name] = next((name for name, floor in bd.classes if vafs and max(vafs) >= floor), None)
    return extra


def all_rules_unassessed(profile: Profile, ruleset: Ruleset, unassessed: set[str]) -> bool:
    named = {ruleset.resolve(r) for r in profile_rule_ids(profile.doc)}
    return bool(named) and named <= unassessed


def unassessed_rules(rs: Ruleset, index: SiteIndex, supplied: set, covered: set[str],
                     sv_covered: set[str] | None = None) -> tuple[set[str], list[str]]:
    """Rules that could not be evaluated for a sample, and the words that say why: an input class
    that was not supplied, or (small variants) a rule contig the input does not cover."""
    unassessed: set[str] = set()
    words: list[str] = []
    for cls, names in INPUT_CLASS_NAMES.items():
        if cls not in supplied and rs.by_input(cls):
            unassessed |= {r.id for r in rs.by_input(cls)}
            words += names
    if "small-variant" in supplied and "*" not in covered:
        missing_genes: dict[str, set[str]] = {}
        for contig, entries in index.by_contig.items():
            if contig not in covered:
                for e in entries:
                    unassessed.add(e.rule.id)
                    missing_genes.setdefault(e.rule.gene, set()).add(contig)
        for gene in sorted(missing_genes):
            contigs = ",".join(sorted(missing_genes[gene]))
            words.append(f"{gene} (chromosome {contigs} not in the input)")
    if "rearrangement" in supplied and sv_covered is not None:
        _sv_coverage(rs, index.build, sv_covered, unassessed, words)
    return unassessed, words


def _sv_coverage(rs: Ruleset, build, sv_covered: set[str], unassessed: set[str], words: list[str]) -> None:
    """DNA-only rearrangement input whose header declares none of a rule's 3' partner chromosomes
    (a targeted or regional SV call) did not assess that rule."""
    for rule in rs.by_input("rearrangement"):
        if rule.fusion is None:
            continue
        contigs = {c for c, _s, _e in rule.fusion.three_prime.windows.get(build, ())}
        if contigs and not contigs & sv_covered:
            unassessed.add(rule.id)
            words.append(f"structural variants: {rule.gene} (chromosome {','.join(sorted(contigs))} "
                         "not in the SV input)")
