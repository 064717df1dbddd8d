"""Risk stratification, pure: findings + a bundled profile -> level, worst case, extras.

Absence is only absence where it was assessed: rules not evaluated for a sample raise
``worst_case_level`` and can make the sample not assessable.
"""

from __future__ import annotations

import dataclasses

import pytest

from jakcli.engine.risk import INPUT_CLASS_NAMES, all_rules_unassessed, assess
from jakcli.model import Finding, Level
from jakcli.ruleset.loader import load_ruleset, profile_rule_ids
from jakcli.ruleset.profiles import compile_profile

RULESET = load_ruleset()
B_ALL, MPN = RULESET.profiles["b-all"], RULESET.profiles["mpn"]
REARRANGEMENT_RULES = {r.id for r in RULESET.by_input("rearrangement")}
SMALL_RULES = {r.id for r in RULESET.by_input("small-variant")}
CN_RULES = {r.id for r in RULESET.by_input("copy-number")}


def finding(rule_id: str, vaf: float | None = 0.3) -> Finding:
    rule = RULESET.rules[rule_id]
    return Finding(sample="S1", rule_id=rule.id, rule_version=rule.version, gene=rule.gene, alteration="p.X1Y",
                   origin=rule.origin, classification=rule.classification, input_class=rule.input_class,
                   chrom="chr9", pos=1, ref="A", alt="C", vaf=vaf, vaf_source=None if vaf is None else "AD",
                   depth=100, alt_reads=None, genotype="0/1", filter="PASS", matched_by="test",
                   references=(), therapies=(), source="t.vcf:chr9:1", notes=())


def risk(profile, *findings, unassessed=frozenset(), not_assessed=()):
    return assess(list(findings), profile, RULESET, set(unassessed), list(not_assessed))


def test_b_all_tiers_first_match_wins():
    r = risk(B_ALL, finding("jak2-r683"))
    assert (r.level, r.worst_case_level) == (Level.INTERMEDIATE, Level.INTERMEDIATE)
    assert r.label.startswith("Activating JAK-STAT pathway mutation")
    assert r.rationale == ("JAK2 p.X1Y (jak2-r683, oncogenic, VAF 0.300)",)
    both = risk(B_ALL, finding("jak2-r683"), finding("crlf2-p2ry8-fusion", vaf=None))
    assert both.level == Level.HIGH and both.label.startswith("CRLF2 rearrangement with a JAK1/JAK2 mutation")
    assert any("VAF n/a" in line for line in both.rationale)
    assert risk(B_ALL, finding("tyk2-p1104a")).level == Level.INFORMATIONAL
    assert risk(B_ALL, finding("calr-exon9-frameshift")).level == Level.INFORMATIONAL


def test_nothing_found_in_assessed_input_is_none_detected():
    r = risk(B_ALL)
    assert (r.level, r.worst_case_level) == (Level.NONE_DETECTED, Level.NONE_DETECTED)
    assert r.rationale == ("no alteration named by this profile was found in the assessed input",)
    assert r.profile == "b-all" and r.not_assessed == ()


def test_unassessed_rules_raise_only_the_worst_case():
    r = risk(B_ALL, finding("jak2-r683"), unassessed=REARRANGEMENT_RULES,
             not_assessed=INPUT_CLASS_NAMES["rearrangement"])
    assert (r.level, r.worst_case_level) == (Level.INTERMEDIATE, Level.HIGH)
    assert r.not_assessed == ("fusions", "structural variants")
    none = risk(B_ALL, unassessed=REARRANGEMENT_RULES)
    assert (none.level, none.worst_case_level) == (Level.NONE_DETECTED, Level.HIGH)


def test_every_needed_rule_unassessed_is_not_assessable():
    r = risk(B_ALL, unassessed=SMALL_RULES | REARRANGEMENT_RULES | CN_RULES, not_assessed=["JAK2 (chromosome 9)"])
    assert r.level == Level.NOT_ASSESSABLE and r.label.startswith("not assessable")
    assert r.worst_case_level == Level.HIGH
    assert all_rules_unassessed(B_ALL, RULESET, SMALL_RULES | REARRANGEMENT_RULES | CN_RULES)
    assert not all_rules_unassessed(B_ALL, RULESET, SMALL_RULES)
    assert not all_rules_unassessed(B_ALL, RULESET, set())
    # a finding means something was assessed, whatever else was not
    assert risk(B_ALL, finding("jak2-r683"), unassessed=SMALL_RULES | REARRANGEMENT_RULES).level == Level.INTERMEDIATE


@pytest.mark.parametrize("vaf, level, burden", [
    (0.7, Level.HIGH, "high (>=50%)"), (0.5, Level.HIGH, "high (>=50%)"),
    (0.3, Level.INTERMEDIATE, "intermediate (25% to <50%)"), (0.1, Level.INTERMEDIATE, "low (<25%)"),
])
def test_mpn_min_vaf_condition_and_burden_class(vaf, level, burden):
    r = risk(MPN, finding("jak2-v617f", vaf=vaf))
    assert r.level == level and r.extra == {"driver_status": "JAK2", "allele_burden_class": burden}
    assert r.worst_case_level == level


def test_mpn_unknown_vaf_is_not_high_but_could_be():
    r = risk(MPN, finding("jak2-v617f", vaf=None))
    assert (r.level, r.worst_case_level) == (Level.INTERMEDIATE, Level.HIGH)
    assert r.extra == {"driver_status": "JAK2", "allele_burden_class": None}


def test_mpn_status_values():
    assert risk(MPN).extra == {"driver_status": "triple-negative", "allele_burden_class": None}
    two = risk(MPN, finding("mpl-w515"), finding("calr-exon9-frameshift"))
    assert two.extra["driver_status"] == "CALR+MPL" and two.level == Level.INTERMEDIATE
    unknown = risk(MPN, unassessed={"calr-exon9-frameshift"})
    assert unknown.extra["driver_status"] == "not assessed" and unknown.worst_case_level == Level.INTERMEDIATE
    assert risk(MPN, finding("tyk2-p1104a")).extra["driver_status"] == "triple-negative"


def test_profile_aliases_are_resolved():
    aliased = dataclasses.replace(RULESET, aliases={**RULESET.aliases, "old-v617f": "jak2-v617f"})
    doc = dict(MPN.doc, tiers=[{"level": "high", "label": "old name", "when": {"any_of": ["old-v617f"]}}])
    profile = compile_profile(doc, MPN.path, aliased.resolve)
    r = assess([finding("jak2-v617f")], profile, aliased, set(), [])
    assert r.level == Level.HIGH and r.label == "old name"
    assert "old-v617f" in profile_rule_ids(doc)


def test_to_dict_flattens_extras():
    d = risk(MPN, finding("jak2-v617f", vaf=0.7)).to_dict()
    assert d["level"] == "high" and d["worst_case_level"] == "high" and d["driver_status"] == "JAK2"
    assert d["allele_burden_class"] == "high (>=50%)" and isinstance(d["rationale"], list)
