"""The VICC section of docs/rules/catalogue.md: per-gene class table by basis, and the entries whose
class the points decide or the sources decide."""
from __future__ import annotations

from pathlib import Path

from jakcli.authoring.vicc_docs import vicc_section
from jakcli.ruleset.catalogue import load_catalogue

CAT = Path(__file__).resolve().parents[3] / "rules" / "catalogue" / "catalogue.tsv"


def test_per_gene_table_counts_every_somatic_entry_once_and_lists_each_basis() -> None:
    cat = load_catalogue(CAT)
    somatic = [e for e in cat.entries if e.vicc_points is not None]
    lines = vicc_section(cat)
    head = lines.index("| gene | catalogue class | basis | oncogenic | likely-oncogenic | uncertain-significance | "
                       "likely-benign | benign |")
    rows = []
    for line in lines[head + 2:]:
        if not line.startswith("| "):
            break
        rows.append(line.strip("| ").split(" | "))
    assert sum(int(n) for r in rows for n in r[3:]) == len(somatic)
    for gene, cls, basis in {(e.gene, e.classification, e.class_basis) for e in somatic}:
        (row,) = [r for r in rows if r[:3] == [gene, cls, basis]]
        want = [sum(1 for e in somatic if (e.gene, e.classification, e.class_basis, e.vicc_class) == (gene, cls, basis, c))
                for c in ("oncogenic", "likely-oncogenic", "uncertain-significance", "likely-benign", "benign")]
        assert [int(n) for n in row[3:]] == want
    by_points = [e for e in somatic if e.class_basis == "vicc-2022"]
    assert f"Entries whose class the points decide: {len(by_points)} of {len(somatic)}." in lines
    assert (f"Entries whose class the sources decide (points not decisive): {len(somatic) - len(by_points)} of "
            f"{len(somatic)}.") in lines
    assert any(line.startswith("| JAK2-V617F-c1849G>T |") for line in lines)
    assert all(e.vicc_class not in ("uncertain-significance", "") for e in by_points)
