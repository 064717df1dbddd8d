"""ClinGen/CGC/VICC 2022 oncogenicity of a catalogue finding, as text for the md and HTML reports.

The class, points, codes and what decided the catalogue class come from the finding's ``catalogue``
block (computed by the catalogue build); the writers only phrase them.
"""

from __future__ import annotations

LEGEND = ("VICC 2022: oncogenicity by the ClinGen/CGC/VICC 2022 standard operating procedure (Horak et al., "
          "Genet Med 2022, PMID 35101336): the sum of the points of the codes that bundled evidence supports. "
          "Codes no bundled source can assess are absent, not assumed, so the points are a lower bound: they "
          "decide the catalogue entry's class when they reach the class its sources give or a higher one; "
          "otherwise the sources' curated class stands. A finding made by a rule keeps the rule's class.")


def vicc_text(finding: dict) -> str | None:
    """``VICC 2022: likely oncogenic (6 pts: OS2, OM1), the catalogue class`` and its variants (below the
    sources' class; not decisive), plus the rule's class when a rule made the finding with another
    class; None for a finding without VICC points."""
    cat = finding.get("catalogue") or {}
    v = cat.get("vicc")
    if not v:
        return None
    points = v["points"]
    unit = "pt" if abs(points) == 1 else "pts"
    codes = ", ".join(v.get("codes") or []) or "no code applied"
    head = f"VICC 2022: {str(v['class']).replace('-', ' ')} ({points} {unit}: {codes})"
    if cat.get("class_basis") == "vicc-2022":
        text = f"{head}, the catalogue class"
    elif v["class"] in ("oncogenic", "likely-oncogenic"):
        text = f"{head}, below the sources' class; catalogue class from source curation"
    else:
        text = f"{head}, not decisive; catalogue class from source curation"
    rule = str(finding.get("rule_id") or "")
    if rule and not rule.startswith("catalogue:") and finding.get("classification") != cat.get("classification"):
        text += f" ({str(cat.get('classification')).replace('-', ' ')}); this finding has rule {rule}'s class"
    return text


def any_vicc(findings: list[dict]) -> bool:
    """Whether a legend is needed: some finding carries a VICC class."""
    return any(vicc_text(f) for f in findings)
