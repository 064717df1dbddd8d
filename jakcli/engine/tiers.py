"""Per-finding tiers from the active profile's data (pure): an AMP/ASCO/CAP 2017 tier for somatic
findings (Li et al., PMID:27993330) and an ACMG/AMP 2015 class for germline ones (Richards et al.,
PMID:25741868). The profile's ``finding_tiers`` lists are tried in order; the first row whose
``rules`` (rule ids) or ``classifications`` include the finding decides; a row with neither matches
everything. A profile without ``finding_tiers`` gives ``None`` (the report says "not tiered").
"""

from __future__ import annotations

SCHEMES = {"somatic": ("AMP/ASCO/CAP 2017", "PMID:27993330"), "germline": ("ACMG/AMP 2015", "PMID:25741868")}


def tier_for(profile_doc: dict, rule_id: str, origin: str, classification: str) -> dict | None:
    """The tier (somatic) or class (germline) of one finding under the profile, with its reason."""
    data = profile_doc.get("finding_tiers")
    if not data:
        return None
    kind = "germline" if origin == "germline" else "somatic"
    for row in data.get(kind, []):
        rules, classes = row.get("rules"), row.get("classifications")
        if rules is not None and rule_id not in rules:
            continue
        if classes is not None and classification not in classes:
            continue
        name, ref = SCHEMES[kind]
        out = {"scheme": name, "reference": ref, "tier": row["tier"], "why": row["why"]}
        if "level" in row:
            out["evidence_level"] = row["level"]
        return out
    return None
