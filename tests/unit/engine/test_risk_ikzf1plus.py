"""The b-all IKZF1plus tier and ``none_of``, pure: findings + unassessed rules -> level and worst case."""

from __future__ import annotations

from jakcli.engine.risk import assess
from jakcli.model import Finding, Level
from jakcli.ruleset.loader import load_ruleset

RULESET = load_ruleset()
B_ALL = RULESET.profiles["b-all"]
CN_RULES = {r.id for r in RULESET.by_input("copy-number")}
OTHER = {r.id for r in RULESET.rules.values()} - CN_RULES


def finding(rule_id: str) -> Finding:
    rule = RULESET.rules[rule_id]
    return Finding(sample="S1", rule_id=rule.id, rule_version=rule.version, gene=rule.gene, alteration="x",
                   origin=rule.origin, classification=rule.classification, input_class=rule.input_class,
                   chrom="7", pos=1, ref=None, alt=None, vaf=None, vaf_source=None, depth=None, alt_reads=None,
                   genotype=".", filter="PASS", matched_by="test", references=(), therapies=(), source="t", notes=())


def test_copy_number_rules_are_loaded_with_their_input_class():
    assert CN_RULES == {"ikzf1-deletion", "cdkn2ab-deletion", "pax5-deletion", "erg-deletion", "par1-deletion",
                        "jak2-amplification", "jak2-deletion"}
    assert RULESET.rules["par1-deletion"].lesion == "crlf2-p2ry8-fusion"


def test_ikzf1plus_when_erg_assessed_and_absent():
    risk = assess([finding("ikzf1-deletion"), finding("pax5-deletion")], B_ALL, RULESET, set(), [])
    assert risk.level == Level.HIGH and "IKZF1plus" in risk.label
    assert "no erg-deletion (assessed)" in risk.rationale


def test_ikzf1_with_erg_deletion_is_not_ikzf1plus():
    risk = assess([finding("ikzf1-deletion"), finding("cdkn2ab-deletion"), finding("erg-deletion")], B_ALL,
                  RULESET, set(), [])
    assert "IKZF1plus" not in risk.label and risk.worst_case_level == Level.NONE_DETECTED


def test_erg_not_assessed_makes_no_call_but_raises_the_worst_case():
    risk = assess([finding("ikzf1-deletion"), finding("cdkn2ab-deletion")], B_ALL, RULESET, {"erg-deletion"},
                  ["erg-deletion (copy number)"])
    assert "IKZF1plus" not in risk.label and risk.level == Level.NONE_DETECTED
    assert risk.worst_case_level == Level.HIGH and risk.not_assessed == ("erg-deletion (copy number)",)


def test_ikzf1_without_partner_is_not_ikzf1plus():
    risk = assess([finding("ikzf1-deletion")], B_ALL, RULESET, set(), [])
    assert "IKZF1plus" not in risk.label


def test_par1_lesion_counts_as_the_par1_partner():
    risk = assess([finding("ikzf1-deletion"), finding("crlf2-p2ry8-fusion")], B_ALL, RULESET, set(), [])
    assert risk.level == Level.HIGH and "IKZF1plus" in risk.label
