"""Risk profiles: which rule ids a profile mentions (its tiers, status and burden)."""

from __future__ import annotations


def profile_rule_ids(doc: dict) -> set[str]:
    """Every rule id a profile mentions (tiers, status, burden)."""
    out: set[str] = set()

    def walk(cond):
        out.update(cond.get("any_of", []))
        for c in cond.get("all_of", []):
            walk(c)

    for t in doc.get("tiers", []):
        walk(t.get("when", {}))
    for key in ("status", "burden"):
        out.update(doc.get(key, {}).get("rules", []))
    return out
