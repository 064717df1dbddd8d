"""ClinGen/CGC/VICC 2022 oncogenicity of a catalogue finding, as text for the md and HTML reports.

The class, points and codes come from the finding's ``catalogue.vicc`` block (computed by the
catalogue); the writers only phrase them.
"""

from __future__ import annotations

LEGEND = ("VICC 2022: oncogenicity class by the ClinGen/CGC/VICC 2022 standard operating procedure "
          "(Horak et al., Genet Med 2022, PMID 35101336), with the sum of the points of the codes that a "
          "bundled source supports; codes no bundled source can assess are absent, not assumed.")


def vicc_text(finding: dict) -> str | None:
    """``VICC 2022: uncertain significance (1 pt: OP3)``; None for a finding without a VICC block."""
    v = (finding.get("catalogue") or {}).get("vicc")
    if not v:
        return None
    points = v["points"]
    unit = "pt" if abs(points) == 1 else "pts"
    codes = ", ".join(v.get("codes") or []) or "no code applied"
    return f"VICC 2022: {str(v['class']).replace('-', ' ')} ({points} {unit}: {codes})"


def any_vicc(findings: list[dict]) -> bool:
    """Whether a legend is needed: some finding carries a VICC class."""
    return any(vicc_text(f) for f in findings)
