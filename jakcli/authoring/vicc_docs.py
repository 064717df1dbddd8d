"""The ClinGen/CGC/VICC 2022 oncogenicity section of docs/rules/catalogue.md."""
from __future__ import annotations

from collections import Counter

from jakcli.ruleset import vicc
from jakcli.ruleset.catalogue import Catalogue, Entry


def vicc_section(cat: Catalogue) -> list[str]:
    """Criteria table, what decided each somatic class, and per-entry codes/points."""
    somatic = [e for e in cat.entries if e.vicc_points is not None]
    lines = ["", "## ClinGen/CGC/VICC 2022 oncogenicity points (somatic entries)", "",
             f"{vicc.SOP}. Each somatic entry carries the codes that bundled evidence supports; a code no "
             "bundled source can assess is absent, never assumed (`rules/catalogue/vicc_criteria.tsv`, "
             "`knowledge/curation/vicc_evidence.tsv`, `rules/catalogue/README.md`). Points that reach a class "
             "other than uncertain significance decide the entry's class (`class_basis` vicc-2022); at 0-5 "
             "points the sources' curated class stands (`class_basis` source-curation) and the points class "
             "is shown beside it.", "", "| code | points | bundled source | assessed |", "|---|---|---|---|"]
    for c in vicc.criteria().values():
        lines.append(f"| {c.code} | {c.points} | {c.bundled_source.replace('|', '/')} | {c.assessed} |")
    lines += ["", "| class basis | catalogue class | points class | entries |", "|---|---|---|---|"]
    for (basis, cls, pts), n in sorted(Counter((e.class_basis, e.classification, e.vicc_class)
                                               for e in somatic).items()):
        lines.append(f"| {basis} | {cls} | {pts} | {n} |")
    lines += _per_gene(somatic)
    for basis, title in (("vicc-2022", "Entries whose class the points decide"),
                         ("source-curation", "Entries whose class the sources decide (points not decisive)")):
        chosen = [e for e in somatic if e.class_basis == basis]
        lines += ["", f"{title}: {len(chosen)} of {len(somatic)}.", ""]
        if chosen:
            lines += ["| id | codes | points | points class | catalogue class |", "|---|---|---|---|---|"]
            lines += [f"| {e.id} | {';'.join(e.vicc_codes) or '-'} | {e.vicc_points} | {e.vicc_class} | "
                      f"{e.classification} |" for e in chosen]
    return lines


def _per_gene(somatic: list[Entry]) -> list[str]:
    """Per gene, catalogue class and basis: how many entries reach each points class."""
    classes = [c.name for c in vicc.classes()]
    lines = ["", "Per gene: catalogue class and what decided it, against the points class.", "",
             "| gene | catalogue class | basis | " + " | ".join(classes) + " |",
             "|---|---|---|" + "---|" * len(classes)]
    count = Counter((e.gene, e.classification, e.class_basis, e.vicc_class) for e in somatic)
    for gene, cls, basis in sorted({(e.gene, e.classification, e.class_basis) for e in somatic}):
        lines.append(f"| {gene} | {cls} | {basis} | "
                     + " | ".join(str(count[(gene, cls, basis, c)]) for c in classes) + " |")
    return lines
