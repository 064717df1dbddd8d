"""Risk profiles: which rule ids a profile mentions, and their compilation into typed tiers,
conditions, status and burden classes (rule aliases resolved once, at load time)."""

from __future__ import annotations

from collections.abc import Callable

from jakcli.model import Level
from jakcli.ruleset.compiled import BurdenClasses, Condition, Profile, SampleStatus, Tier


def profile_rule_ids(doc: dict) -> set[str]:
    """Every rule id a profile mentions (tiers, status, burden)."""
    out: set[str] = set()

    def walk(cond):
        out.update(cond.get("any_of", []))
        out.update(cond.get("none_of", []))
        for c in cond.get("all_of", []):
            walk(c)

    for t in doc.get("tiers", []):
        walk(t.get("when", {}))
    for key in ("status", "burden"):
        out.update(doc.get(key, {}).get("rules", []))
    return out


def compile_profile(doc: dict, path: str, resolve: Callable[[str], str]) -> Profile:
    """A schema-valid profile document as a typed :class:`Profile`."""
    tiers = tuple(Tier(Level(t["level"]), t["label"], _condition(t["when"], resolve)) for t in doc["tiers"])
    status = burden = None
    if "status" in doc:
        st = doc["status"]
        status = SampleStatus(st["name"], tuple(map(resolve, st["rules"])), st["none_value"])
    if "burden" in doc:
        bd = doc["burden"]
        classes = sorted(((c["name"], float(c["min_vaf"])) for c in bd["classes"]), key=lambda c: -c[1])
        burden = BurdenClasses(bd["name"], tuple(map(resolve, bd["rules"])), tuple(classes))
    return Profile(doc["id"], doc["version"], doc, path, tiers, doc["default"]["label"], status, burden)


def _condition(cond: dict, resolve: Callable[[str], str]) -> Condition:
    none_of = tuple(map(resolve, cond.get("none_of", [])))
    if "any_of" in cond:
        return Condition(any_of=tuple(map(resolve, cond["any_of"])), min_vaf=cond.get("min_vaf"), none_of=none_of)
    return Condition(all_of=tuple(_condition(c, resolve) for c in cond["all_of"]), none_of=none_of)
