"""Per-allele ClinVar class and condition for germline catalogue entries (build_catalogue.py).

The InterVar PS1 set that makes the germline entries merges Pathogenic and Likely pathogenic and has
no condition. The ClinVar 2016-05 flat file (knowledge/sources/clinvar_2016) gives both per GRCh37
allele. For an entry of origin germline (or the germline class of an origin-both entry):
- class: `pathogenic` when ClinVar 2016 says exactly "Pathogenic", `likely-pathogenic` for "Likely
  pathogenic" or a mix of the two (the lower class); any other value (not provided, benign, ...) keeps
  the entry as built and is listed as a conflict;
- condition: the ClinVar trait names mapped by knowledge/curation/clinvar_trait_conditions.tsv to a
  condition, inheritance and germline effect; exactly one mapped condition replaces the per-gene one,
  two or more leave it unresolved (both named), none keep the per-gene one.
Somatic entries are not changed; a ClinVar 2016 benign class for one of them is listed as a conflict.
"""
from __future__ import annotations

import csv
from pathlib import Path

SRC_FILE = ("clinvar_2016", "clinvar_2016-05.panel.tsv")
CLASS = {"Pathogenic": "pathogenic", "Likely pathogenic": "likely-pathogenic",
         "Likely pathogenic;Pathogenic": "likely-pathogenic", "Pathogenic;Likely pathogenic": "likely-pathogenic"}


def _tsv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def apply(rows: list[dict[str, str]], src: Path, cur: Path, commit: str) -> list[tuple[str, str, str, str]]:
    """Update germline rows in place; returns conflict rows (id, kind, detail, resolution)."""
    cv = {(r["chrom"], r["pos"], r["ref"], r["alt"]): r for r in _tsv(src.joinpath(*SRC_FILE))}
    traits = _tsv(cur / "clinvar_trait_conditions.tsv")
    conflicts = []
    for row in rows:
        r = cv.get((row["grch37_chrom"], row["grch37_pos"], row["grch37_ref"], row["grch37_alt"]))
        if r is None or row["classification"] == "polymorphism":
            continue
        sig, ref = r["clinical_significance"], f"ClinVarVariation:{r['measureset_id']}"
        if row["origin"] == "somatic":
            if "enign" in sig:
                detail = f"ClinVar 2016-05 {ref}: {sig} ({r['review_status']})"
                conflicts.append((row["id"], "clinvar-2016-benign", detail,
                                  "somatic curation kept; review before relying on the entry"))
            continue
        key = "germline_classification" if row["origin"] == "both" else "classification"
        if sig not in CLASS:
            conflicts.append((row["id"], "clinvar-2016-class", f"ClinVar 2016-05 {ref}: {sig}; later P/LP set lists it",
                              f"{row[key]} kept (InterVar 2021 set)"))
            continue
        row[key] = CLASS[sig]
        row["evidence"] = ";".join(sorted(set(filter(None, row["evidence"].split(";"))) | {ref}))
        row["sources"] = ";".join(sorted(set(row["sources"].split(";")) | {f"clinvar2016@{commit}"}))
        mapped = {(t["condition"], t["inheritance"], t["germline_effect"]) for t in traits
                  if t["gene"] == row["gene"] and t["trait"].lower() in r["all_traits"].lower()}
        note = f"ClinVar 2016-05 {ref}: {sig} ({r['review_status']}); traits: {r['all_traits']}"
        if len(mapped) == 1:
            cond, inh, eff = mapped.pop()
            row.update(condition=cond, inheritance=inh, germline_effect=eff)
        elif len(mapped) > 1:
            row.update(condition="unresolved: " + " or ".join(sorted(m[0] for m in mapped)), inheritance=
                       ",".join(sorted({m[1] for m in mapped})) if len({m[1] for m in mapped}) == 1 else "unresolved")
        row["notes"] = row["notes"].replace("P vs LP not distinguished", "P vs LP from ClinVar 2016-05") + " | " + note
    return conflicts
