"""The VICC section of docs/rules/catalogue.md: per-gene class table and the list of disagreeing entries."""
from __future__ import annotations

from pathlib import Path

from jakcli.authoring.vicc_docs import vicc_section
from jakcli.ruleset.catalogue import load_catalogue

CAT = Path(__file__).resolve().parents[3] / "rules" / "catalogue" / "catalogue.tsv"


def test_per_gene_table_counts_every_somatic_entry_once_and_lists_disagreements() -> None:
    cat = load_catalogue(CAT)
    somatic = [e for e in cat.entries if e.vicc_points is not None]
    lines = vicc_section(cat)
    head = lines.index("| gene | catalogue class | oncogenic | likely-oncogenic | uncertain-significance | "
                       "likely-benign | benign |")
    rows = []
    for line in lines[head + 2:]:
        if not line.startswith("| "):
            break
        rows.append(line.strip("| ").split(" | "))
    assert sum(int(n) for r in rows for n in r[2:]) == len(somatic)
    jak2 = {r[1]: r[2:] for r in rows if r[0] == "JAK2"}
    n_jak2 = sum(1 for e in somatic if e.gene == "JAK2" and e.classification == "oncogenic")
    assert jak2["oncogenic"][2] == str(n_jak2)  # JAK2 oncogenic entries: all VUS on bundled points
    differ = [e for e in somatic if e.vicc_class != e.classification]
    assert f"Entries whose points class differs from the catalogue class: {len(differ)} of {len(somatic)}." in lines
    assert any(line.startswith("| JAK2-V617F-c1849G>T |") for line in lines)
