"""Pure risk stratification: one sample's findings + a profile (data) -> a :class:`RiskCall`.

Absence of evidence is not evidence of absence: rules whose input class was not supplied (or
whose contig the input does not cover) are treated as "could be present" to compute
``worst_case_level``, and are listed in ``not_assessed``.
"""

from __future__ import annotations

from jakcli.engine.small_variants import SiteIndex
from jakcli.model import Finding, Level, RiskCall
from jakcli.ruleset.compiled import Profile, Ruleset

INPUT_CLASS_NAMES = {
    "small-variant": ("small variants (VCF)",),
    "rearrangement": ("fusions", "structural variants"),
}


def _satisfied(cond: dict, by_rule: dict, resolve, assume: set[str] | None = None) -> bool:
    """Is ``cond`` met by the findings? Rules in ``assume`` count as present (worst case), and
    so does a finding of unknown VAF under a ``min_vaf`` condition (``assume`` given = worst case)."""
    worst_case = assume is not None
    assume = assume or set()
    if "any_of" in cond:
        floor = cond.get("min_vaf")
        for rid in map(resolve, cond["any_of"]):
            if rid in assume:
                return True
            for f in by_rule.get(rid, []):
                if floor is None or (f.vaf is not None and f.vaf >= floor) or (worst_case and f.vaf is None):
                    return True
        return False
    return all(_satisfied(c, by_rule, resolve, assume) for c in cond["all_of"])


def _rationale_for(cond: dict, findings_by_rule: dict, resolve) -> list[str]:
    out = []
    if "any_of" in cond:
        for rid in cond["any_of"]:
            for f in findings_by_rule.get(resolve(rid), []):
                vaf = "VAF n/a" if f.vaf is None else f"VAF {f.vaf:.3f}"
                out.append(f"{f.gene} {f.alteration} ({f.rule_id}, {f.classification}, {vaf})")
    else:
        for c in cond["all_of"]:
            out += _rationale_for(c, findings_by_rule, resolve)
    return out


def assess(findings: list[Finding], profile: Profile, ruleset: Ruleset,
           unassessed_rules: set[str], not_assessed: list[str]) -> RiskCall:
    """Apply ``profile`` to one sample.

    ``unassessed_rules`` are rule ids that could not be evaluated for this sample;
    ``not_assessed`` says in words what was missing.
    """
    doc = profile.doc
    resolve = ruleset.resolve
    by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        by_rule.setdefault(f.rule_id, []).append(f)

    level, label, rationale = Level.NONE_DETECTED, doc["default"]["label"], []
    for tier in doc["tiers"]:
        if _satisfied(tier["when"], by_rule, resolve):
            level, label = Level(tier["level"]), tier["label"]
            rationale = _rationale_for(tier["when"], by_rule, resolve)
            break
    worst = level
    for tier in doc["tiers"]:
        t_level = Level(tier["level"])
        if t_level.rank > worst.rank and _satisfied(tier["when"], by_rule, resolve, set(unassessed_rules)):
            worst = t_level
    if not findings and unassessed_rules and all_rules_unassessed(profile, ruleset, unassessed_rules):
        level = Level.NOT_ASSESSABLE
        label = "not assessable: none of the loci this profile needs were covered by the input"

    if not rationale and level == Level.NONE_DETECTED:
        rationale = ["no alteration named by this profile was found in the assessed input"]
    extra = {}
    if "status" in doc:
        st = doc["status"]
        genes = sorted({f.gene for rid in st["rules"] for f in by_rule.get(resolve(rid), [])})
        extra[st["name"]] = "+".join(genes) if genes else st["none_value"]
        if not genes and any(resolve(r) in unassessed_rules for r in st["rules"]):
            extra[st["name"]] = "not assessed"
    if "burden" in doc:
        bd = doc["burden"]
        vafs = [f.vaf for rid in bd["rules"] for f in by_rule.get(resolve(rid), []) if f.vaf is not None]
        extra[bd["name"]] = None
        if vafs:
            top = max(vafs)
            for cls in sorted(bd["classes"], key=lambda c: -c["min_vaf"]):
                if top >= cls["min_vaf"]:
                    extra[bd["name"]] = cls["name"]
                    break
    return RiskCall(profile=profile.id, level=level, worst_case_level=worst if worst.rank >= level.rank else level,
                    label=label, rationale=tuple(rationale), not_assessed=tuple(not_assessed), extra=extra)


def all_rules_unassessed(profile: Profile, ruleset: Ruleset, unassessed: set[str]) -> bool:
    from jakcli.ruleset.profiles import profile_rule_ids

    named = {ruleset.resolve(r) for r in profile_rule_ids(profile.doc)}
    return bool(named) and named <= unassessed


def unassessed_rules(rs: Ruleset, index: SiteIndex, supplied: set,
                     covered: set[str]) -> tuple[set[str], list[str]]:
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
    return unassessed, words
