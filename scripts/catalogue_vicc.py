"""ClinGen/CGC/VICC 2022 oncogenicity codes for build_catalogue.py (Horak et al., PMID 35101336).

Assigns to a somatic catalogue entry only the codes that a bundled source supports; every other
code is absent (never assumed). Criteria and points: rules/catalogue/vicc_criteria.tsv; class
ranges: rules/catalogue/vicc_classes.tsv; per-entry curated evidence (OS2/SBS2/OM1, each with its
citations and where it was read): knowledge/curation/vicc_evidence.tsv. Stdlib only, so the build
runs from a bare checkout.

Codes derived here:
- OS3 / OM4 / OP3 from cancer hotspots v2 (SNV sheet): samples with a somatic variant at the residue
  (Mutation_Count) and with the same amino-acid change (Variant_Amino_Acid "X:n"):
  OS3 position >= 50 and change >= 10; OM4 position < 50 and change >= 10; OP3 hotspot residue and
  change < 10 (including a change not seen at the residue).
- OS2 / SBS2 / OM1 from the curation table only. OM1 excludes OM4 and OP3 (SOP Table 2: "not with OM1").
Not derived (see vicc_criteria.tsv `assessed`): OVS1, OM2, OM3, OP1, OP2, OP4, SBVS1, SBS1,
SBP1, SBP2. OS1 is not applied inside the catalogue: every spelling of a protein change carries that
change's own evidence already, so OS1 would count it twice.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

OS3_POSITION, HOTSPOT_CHANGE = 50, 10
CURATED_CODES = ("OS2", "SBS2", "OM1")
CITATION = re.compile(r"(PMID:[1-9][0-9]{0,8}|DOI:10\.[0-9]{4,9}/\S+)")
EVIDENCE_TABLE = "vicc_evidence.tsv"
DECISIVE = ("oncogenic", "likely-oncogenic", "likely-benign", "benign")
RANK = {"likely-oncogenic": 1, "oncogenic": 2}


def _table(path: Path) -> list[dict[str, str]]:
    lines = [x for x in path.read_text(encoding="utf-8").splitlines() if x and not x.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


class Scorer:
    """Criteria, class ranges, hotspot counts and functional curation, loaded once."""

    def __init__(self, rules_catalogue: Path, sources: Path, curation: Path) -> None:
        self.points = {r["code"]: int(r["points"]) for r in _table(rules_catalogue / "vicc_criteria.tsv")}
        self.order = list(self.points)
        self.ranges = [(r["class"], int(r["min_points"]) if r["min_points"] else None,
                        int(r["max_points"]) if r["max_points"] else None)
                       for r in _table(rules_catalogue / "vicc_classes.tsv")]
        self.hot = hotspot_counts(sources / "hotspots" / "hotspots_v2.panel.tsv")
        self.func: dict[tuple[str, str], dict[str, list[str]]] = {}
        for r in _table(curation / EVIDENCE_TABLE):
            cites = self.func.setdefault((r["gene"], r["protein_change"]), {}).setdefault(r["code"], [])
            cites += [c for c in _citations(r) if c not in cites]
        both = sorted(f"{g} {c}" for (g, c), codes in self.func.items() if {"OS2", "SBS2"} <= set(codes))
        if both:
            raise ValueError(f"{EVIDENCE_TABLE}: {', '.join(both)}: OS2 and SBS2 on one change contradict each other; "
                             "a curator keeps one and records why")
        self.used: set[tuple[str, str]] = set()

    def codes(self, gene: str, aa_pos: int, aa_alt: str, protein_change: str) -> tuple[list[str], list[str]]:
        """(codes, evidence strings) supported by the bundled sources for one somatic entry."""
        out, ev = [], []
        if (gene, protein_change) in self.func:
            self.used.add((gene, protein_change))
        for code, cites in self.func.get((gene, protein_change), {}).items():
            out.append(code)
            ev.append(f"{code}:" + ",".join(cites))
        h = self.hot.get((gene, aa_pos))
        if h is not None:
            total, per = h
            code = hotspot_code(total, per.get(aa_alt, 0))
            if not (code in ("OM4", "OP3") and "OM1" in out):  # SOP Table 2: OM4 and OP3 not with OM1
                out.append(code)
                ev.append(f"{code}:hotspots_v2 {gene} {aa_pos} n={total}, {aa_alt}={per.get(aa_alt, 0)}")
        return sorted(out, key=self.order.index), ev

    def check_all_used(self) -> None:
        """A functional-evidence row that scored no somatic entry is a curation error (typo, germline-only
        change, or a change not in the catalogue): fail the build naming it."""
        left = sorted(set(self.func) - self.used)
        if left:
            raise ValueError(f"knowledge/curation/{EVIDENCE_TABLE}: no somatic catalogue entry for "
                             + ", ".join(f"{g} {p}" for g, p in left)
                             + "; fix the gene/protein_change (e.g. V617F) or remove the row")

    def class_of(self, points: int) -> str:
        for name, low, high in self.ranges:
            if (low is None or points >= low) and (high is None or points <= high):
                return name
        raise ValueError(f"no class covers {points} points")

    def score(self, gene: str, aa_pos: int, aa_alt: str, protein_change: str) -> dict[str, str]:
        codes, ev = self.codes(gene, aa_pos, aa_alt, protein_change)
        pts = sum(self.points[c] for c in codes)
        return {"vicc_codes": ";".join(codes), "vicc_points": str(pts), "vicc_class": self.class_of(pts),
                "vicc_evidence": " | ".join(ev)}


def hotspot_code(position_samples: int, change_samples: int) -> str:
    """OS3, OM4 or OP3 for a residue that is a cancer hotspot (Horak et al. 2022, Table 2)."""
    if change_samples >= HOTSPOT_CHANGE:
        return "OS3" if position_samples >= OS3_POSITION else "OM4"
    return "OP3"


def hotspot_counts(path: Path) -> dict[tuple[str, int], tuple[int, dict[str, int]]]:
    """(gene, residue) -> (samples with a variant at the residue, {alt amino acid: samples})."""
    out: dict[tuple[str, int], tuple[int, dict[str, int]]] = {}
    for r in _table(path):
        if r["sheet"] != "SNV-hotspots":
            continue
        key = (r["Hugo_Symbol"], int(r["Amino_Acid_Position"]))
        alt, n = r["Variant_Amino_Acid"].rsplit(":", 1)
        total, per = out.setdefault(key, (int(r["Mutation_Count"]), {}))
        per[alt] = int(n)
    return out


def _citations(r: dict[str, str]) -> list[str]:
    """The row's citations, normalised; a row the SOP cannot rest on (another code, no citation, nowhere it
    was read, no note) is refused with the row named."""
    cites = [c.strip() for c in (r.get("citations") or "").split(",") if c.strip()]
    if (r.get("code") not in CURATED_CODES or not cites or not all(CITATION.fullmatch(c) for c in cites)
            or not (r.get("read_at") or "").strip() or not (r.get("curator_note") or "").strip()):
        raise ValueError(f"{EVIDENCE_TABLE}: {r.get('gene')} {r.get('protein_change')} {r.get('code')}: code must be "
                         f"one of {', '.join(CURATED_CODES)}; citations comma-separated PMID:n or DOI:10.x/y; read_at "
                         "and curator_note must say where the study was read and what it showed")
    return cites


def decide(row: dict[str, str]) -> tuple[str, str, str | None, str]:
    """(classification, class_basis, conflict text or None, resolution) of a catalogue row, by the
    precedence in rules/catalogue/README.md. Bundled points are a lower bound (codes no bundled source
    can assess are absent, not negative), so they may confirm or raise a somatic entry's curated class,
    never lower it: at or above the sources' class they decide (vicc-2022); at 0-5 points, or below
    the sources' class, the sources' class stands (source-curation). Points on the benign side of a
    curated driver are contradicting evidence for a curator to resolve: ValueError (build fails).
    Entries of origin `both` keep the sources' class (their somatic class is not re-scored)."""
    cls, pc = row["classification"], row["vicc_class"]
    if row["origin"] != "somatic" or pc not in DECISIVE:
        return cls, "source-curation", None, ""
    what = f"{pc} ({row['vicc_points']} pts: {row['vicc_codes']})"
    if pc in ("likely-benign", "benign"):
        raise ValueError(f"{row['id']}: curated {cls} by its sources but VICC 2022 points give {what}; "
                         "contradicting evidence needs a curator: review knowledge/curation/vicc_evidence.tsv "
                         "(SBS2 rows) and record the decision there")
    clash = f"source curation {cls} vs VICC 2022 {what}"
    if pc == cls:
        return cls, "vicc-2022", None, ""
    if RANK[pc] > RANK[cls]:
        return pc, "vicc-2022", clash, "VICC 2022 class (points above the sources') wins"
    return cls, "source-curation", clash, ("sources' class kept: bundled points are a lower bound (unassessed "
                                           "codes absent, not negative)")
