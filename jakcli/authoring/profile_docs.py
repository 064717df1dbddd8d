"""Markdown reference pages for risk profiles: tiers in order (first match wins), their conditions in
words, sources and notes, the default, per-sample status/burden and the per-finding tiers.

Derived data like the rule pages: ``jakcli rules docs --check`` fails when they drift from the YAML.
"""

from __future__ import annotations

from pathlib import Path

from jakcli.ruleset.compiled import Profile


def page_name(profile: Profile) -> str:
    return f"profile-{profile.id}.md"


def _ref_link(ref: str) -> str:
    from jakcli.authoring.docs import _ref_link as link  # one link format for rule and profile pages

    return link(ref)


def _rules(ids) -> str:
    return ", ".join(f"[{r}]({r}.md)" if not r.startswith("catalogue:") else f"`{r}`" for r in ids)


def condition_text(cond: dict) -> str:
    """A profile condition in words (mirrors engine/risk.py ``_satisfied``)."""
    parts = []
    if "any_of" in cond:
        floor = f" with VAF >= {cond['min_vaf']}" if "min_vaf" in cond else ""
        parts.append(f"any of {_rules(cond['any_of'])}{floor}")
    if "all_of" in cond:
        parts.append("all of: " + "; and ".join(f"({condition_text(c)})" for c in cond["all_of"]))
    if "none_of" in cond:
        parts.append(f"none of {_rules(cond['none_of'])} (assessed and absent; not assessed leaves the tier unmet "
                     "and raises worst_case_level)")
    return "; ".join(parts)


def _tier_lines(n: int, tier: dict) -> list[str]:
    lines = [f"### {n}. {tier['level']}: {tier['label']}", "", f"- when: {condition_text(tier['when'])}"]
    if tier.get("references"):
        lines.append("- sources: " + ", ".join(_ref_link(r) for r in tier["references"]))
    lines.append("")
    if tier.get("notes"):
        lines += ["Notes:", ""] + [f"- {note.strip()}" for note in tier["notes"]] + [""]
    return lines


def _finding_tier_lines(ft: dict) -> list[str]:
    lines: list[str] = []
    for origin in ("somatic", "germline"):
        rows = ft.get(origin) or []
        if not rows:
            continue
        lines += [f"### {origin}", "", "| matches | tier | level | why |", "|---|---|---|---|"]
        for row in rows:
            what = _rules(row["rules"]) if row.get("rules") else "classes: " + ", ".join(row.get("classifications", []))
            lines.append(f"| {what} | {row['tier']} | {row.get('level', '')} | {row['why']} |")
        lines.append("")
    return lines


def render_profile(profile: Profile) -> str:
    d = profile.doc
    lines = [f"# Profile {profile.id}: {d['title']}", "",
             f"- version {profile.version}; source file: `rules/profiles/{Path(profile.path).name}`", "",
             " ".join(d.get("description", "").split()), "", "## References", ""]
    lines += [f"- {_ref_link(r)}" for r in d.get("references", [])] + [""]
    lines += ["## Tiers", "", "Tried in order; the first whose condition is met gives the sample's level.", ""]
    for n, tier in enumerate(d["tiers"], 1):
        lines += _tier_lines(n, tier)
    lines += [f"Otherwise: {d['default']['level']} ({d['default']['label']}).", ""]
    for key in ("status", "burden"):
        if d.get(key):
            extra = d[key]
            lines += [f"## Per-sample {key}: `{extra['name']}`", "", f"- rules: {_rules(extra['rules'])}"]
            if key == "status":
                lines.append(f"- none: {extra['none_value']}")
            for c in extra.get("classes", []):
                meaning = f" ({c['meaning']})" if c.get("meaning") else ""
                lines.append(f"- {c['name']}: highest VAF >= {c['min_vaf']}{meaning}")
            lines.append("")
    if d.get("finding_tiers"):
        lines += ["## Per-finding tiers", "", "Rows tried in order; first match wins.", ""]
        lines += _finding_tier_lines(d["finding_tiers"])
    return "\n".join(lines).rstrip("\n") + "\n"
