"""The ClinGen/CGC/VICC 2022 oncogenicity section of docs/rules/catalogue.md."""
from __future__ import annotations

from collections import Counter

from jakcli.ruleset import vicc
from jakcli.ruleset.catalogue import Catalogue, Entry


def vicc_section(cat: Catalogue) -> list[str]:
    """Criteria table, class counts and per-entry codes/points of the somatic entries."""
    somatic = [e for e in cat.entries if e.vicc_points is not None]
    lines = ["", "## ClinGen/CGC/VICC 2022 oncogenicity points (somatic entries)", "",
             f"{vicc.SOP}. Each somatic entry carries the codes that a bundled source supports; a code no "
             "bundled source can assess is absent, never assumed (`rules/catalogue/vicc_criteria.tsv`, "
             "`rules/catalogue/README.md`). The points class is shown beside the catalogue class and does "
             "not replace it.", "", "| code | points | bundled source | assessed |", "|---|---|---|---|"]
    for c in vicc.criteria().values():
        lines.append(f"| {c.code} | {c.points} | {c.bundled_source.replace('|', '/')} | {c.assessed} |")
    lines += ["", "| catalogue class | points class | entries |", "|---|---|---|"]
    for (old, new), n in sorted(Counter((e.classification, e.vicc_class) for e in somatic).items()):
        lines.append(f"| {old} | {new} | {n} |")
    lines += _per_gene(somatic)
    differ = [e for e in somatic if e.vicc_class != e.classification]
    lines += ["", f"Entries whose points class differs from the catalogue class: {len(differ)} of "
              f"{len(somatic)}.", "", "| id | codes | points | points class | catalogue class |",
              "|---|---|---|---|---|"]
    for e in differ:
        lines.append(f"| {e.id} | {';'.join(e.vicc_codes) or '-'} | {e.vicc_points} | {e.vicc_class} | "
                     f"{e.classification} |")
    return lines


def _per_gene(somatic: list[Entry]) -> list[str]:
    """Per gene and catalogue class: how many entries reach each points class."""
    classes = [c.name for c in vicc.classes()]
    lines = ["", "Per gene: catalogue class (convention) against the points class.", "",
             "| gene | catalogue class | " + " | ".join(classes) + " |", "|---|---|" + "---|" * len(classes)]
    count = Counter((e.gene, e.classification, e.vicc_class) for e in somatic)
    for gene, old in sorted({(e.gene, e.classification) for e in somatic}):
        lines.append(f"| {gene} | {old} | " + " | ".join(str(count[(gene, old, c)]) for c in classes) + " |")
    return lines
