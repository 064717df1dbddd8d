"""Curated germline-origin overrides for build_catalogue.py (knowledge/curation/germline_overrides.tsv).

Some protein changes that the somatic sources curate (DoCM, CGI) are also primary-literature germline
causes of hereditary thrombocytosis (MPL S505N, MPL P106L). An override row makes every catalogue
entry of that protein change origin `both` (somatic class kept, germline class, condition,
inheritance and germline effect added) or, for an entry that is already germline, replaces the
per-gene condition with the variant-level one. Each row cites its evidence; the build fails when a
row matches no entry, so a stale override cannot pass silently.
"""
from __future__ import annotations

import csv
from pathlib import Path

FIELDS = ("gene", "protein_change", "origin", "germline_classification", "condition", "inheritance",
          "germline_effect", "evidence", "notes")
ORIGINS = {"both", "germline"}
GERMLINE_CLASSES = {"pathogenic", "likely-pathogenic"}


def load(path: Path) -> dict[tuple[str, str], dict[str, str]]:
    with path.open(newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    out = {}
    for n, r in enumerate(rows, start=2):
        if tuple(r) != FIELDS or r["origin"] not in ORIGINS or r["germline_classification"] not in GERMLINE_CLASSES \
                or not r["evidence"] or not r["condition"] or not r["inheritance"]:
            raise ValueError(f"{path}:{n}: override row incomplete or not allowed: {r}")
        out[(r["gene"], r["protein_change"])] = r
    return out


def apply(rows: list[dict[str, str]], overrides: dict[tuple[str, str], dict[str, str]]) -> list[str]:
    """Apply the overrides to catalogue rows in place; returns the conflict texts (one per changed row)."""
    used, changed = set(), []
    for row in rows:
        o = overrides.get((row["gene"], row["protein_change"]))
        if o is None:
            continue
        used.add((row["gene"], row["protein_change"]))
        was = f"{row['origin']} {row['classification']}"
        if o["origin"] == "both" and row["origin"] == "somatic":
            row["origin"], row["germline_classification"] = "both", o["germline_classification"]
        elif o["origin"] == "germline" and row["origin"] == "germline" and row["classification"] != "polymorphism":
            row["classification"] = o["germline_classification"]
        else:
            raise ValueError(f"override {o['gene']} {o['protein_change']} ({o['origin']}) does not fit entry "
                             f"{row['id']} ({was})")
        row.update(condition=o["condition"], inheritance=o["inheritance"], germline_effect=o["germline_effect"])
        row["sources"] = ";".join(sorted(set(row["sources"].split(";")) | {"curated@jakcli"}))
        evidence = set(filter(None, row["evidence"].split(";"))) | set(o["evidence"].split(";"))
        row["evidence"] = ";".join(sorted(evidence))
        row["notes"] = " | ".join(x for x in (row["notes"], "curated germline override: " + o["notes"]) if x)
        changed.append(f"{row['id']}\t{was} -> {row['origin']} {row['classification']}"
                       f"{' + germline ' + o['germline_classification'] if row['origin'] == 'both' else ''}")
    missing = set(overrides) - used
    if missing:
        raise ValueError(f"germline overrides match no catalogue entry: {sorted(missing)}")
    return changed
