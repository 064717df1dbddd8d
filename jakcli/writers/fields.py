"""Report fields that newer reports carry (finding ``tier``, ``transcript``/``hgvsc``/``hgvsp``;
sample ``loci``, ``other_variants``, ``germline_findings``, ``copy_number``; top-level
``catalogue``), read one way by every hand-off writer and by ``jakcli diff``: present, they are
used; absent (an older report), the result is None and the writer says it is unknown."""

from __future__ import annotations


def tier_text(tier) -> str | None:
    """``Tier I, level A (AMP/ASCO/CAP 2017)`` for a tier record; a plain string as it is; None when absent."""
    if tier is None or tier == "":
        return None
    if not isinstance(tier, dict):
        return str(tier)
    name = tier.get("tier")
    if not name:
        return None
    text = f"{name}, level {tier['evidence_level']}" if tier.get("evidence_level") else str(name)
    return f"{text} ({tier['scheme']})" if tier.get("scheme") else text


def hgvs_c(f: dict) -> str | None:
    """The c. change with its transcript (``NM_004972.4:c.1849G>T``) when the report names both."""
    c = f.get("hgvsc")
    if not c:
        return None
    tx = f.get("transcript")
    return c if ":" in c or not tx else f"{tx}:{c}"


def catalogue_text(cat) -> str | None:
    """``version (digest)`` of a catalogue record (top level or per finding: its ids)."""
    if not isinstance(cat, dict):
        return None
    if "ids" in cat:
        return ", ".join(cat.get("ids") or []) or None
    return f"{cat.get('version')} ({cat.get('digest')})"
