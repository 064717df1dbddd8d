"""ClinGen/CGC/VICC 2022 oncogenicity of a catalogue finding, as text for the md and HTML reports.

The class, points, codes and what decided the classification come from the finding's ``catalogue``
block (computed by the catalogue build); the writers only phrase them.
"""

from __future__ import annotations

LEGEND = ("VICC 2022: oncogenicity by the ClinGen/CGC/VICC 2022 standard operating procedure (Horak et al., "
          "Genet Med 2022, PMID 35101336): the sum of the points of the codes that bundled evidence supports. "
          "Points that reach a class other than uncertain significance decide the catalogue entry's class; at 0-5 "
          "points the curated class of the entry's sources stands, because codes that no bundled source can assess "
          "are absent, not assumed, and not evidence against the variant. A finding made by a rule keeps the "
          "rule's class.")


def vicc_text(finding: dict) -> str | None:
    """``VICC 2022: likely oncogenic (7 pts: OS2, OM1, OP4), decides the catalogue class`` or ``VICC 2022:
    uncertain significance (1 pt: OP3), not decisive; catalogue class from source curation``; None
    without a block. A rule's finding keeps the rule's class; this phrase is about the catalogue entry."""
    cat = finding.get("catalogue") or {}
    v = cat.get("vicc")
    if not v:
        return None
    points = v["points"]
    unit = "pt" if abs(points) == 1 else "pts"
    codes = ", ".join(v.get("codes") or []) or "no code applied"
    basis = ("decides the catalogue class" if cat.get("class_basis") == "vicc-2022"
             else "not decisive; catalogue class from source curation")
    return f"VICC 2022: {str(v['class']).replace('-', ' ')} ({points} {unit}: {codes}), {basis}"


def any_vicc(findings: list[dict]) -> bool:
    """Whether a legend is needed: some finding carries a VICC class."""
    return any(vicc_text(f) for f in findings)
