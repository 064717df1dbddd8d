"""Per-locus coverage in the human-readable reports (issue 16): the table of every rule locus of a
sample with its status, depth and 95% detection limit, and the "not detected" sentences for the
hotspot loci a sample has no finding for. Shared by the Markdown and HTML writers."""

from __future__ import annotations

from jakcli.engine.evidence import format_vaf
from jakcli.engine.loci import not_detected_sentence

HEADER = ("gene", "locus", "position", "status", "depth", "95% detection", "source")


def locus_rows(sample: dict) -> list[tuple[str, ...]]:
    """One row per ``loci[]`` entry, as text cells in :data:`HEADER` order."""
    rows: list[tuple[str, ...]] = []
    for e in sample.get("loci") or []:
        depth = "" if e["depth"] is None else f"{e['depth']:,}"
        dl = "" if e["detection_limit_vaf"] is None else f"VAF ≥ {format_vaf(e['detection_limit_vaf'])}"
        rows.append((e["gene"], e["name"], e["locus"], e["status"], depth, dl, e["source"]))
    return rows


def not_detected(sample: dict) -> list[str]:
    """Sentences for the allele and codon loci of rules with no finding in the sample."""
    found = {f["rule_id"] for f in sample.get("findings") or []}
    return [not_detected_sentence(e) for e in sample.get("loci") or []
            if e["kind"] in ("allele", "codon") and e["rule_id"] not in found]


def markdown(sample: dict, esc) -> list[str]:
    """The Markdown block of one sample (empty when the report has no ``loci``)."""
    rows = locus_rows(sample)
    if not rows:
        return []
    lines = ["Rule loci (how each was assessed):", "", "| " + " | ".join(HEADER) + " |",
             "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    lines.append("")
    lines += [f"- {esc(s)}" for s in not_detected(sample)]
    return [*lines, ""]
