"""CALR exon 9 frameshift entries for build_catalogue.py (knowledge/curation/calr_frameshifts.tsv).

The substitution sources hold no CALR allele; CIViC 2018-10-01 curates the class "EXON 9 FRAMESHIFT"
(VID559, GRCh37 19:13054527-13054727, accepted somatic evidence). The named alleles type 1 and type 2
are curated rows whose positions are checked here on the refGene MANE model of both builds: the
anchor base is the stated c. position, the event stays inside the coding part of exon 9, its length
is not a multiple of 3, and the HGVS c. follows from the model (3' shift within the stated repeat).
Any failure stops the build. The exon-9 frameshift class itself stays a rule (calr-exon9-frameshift),
which reports these alleles first; the catalogue entries name them and carry their provenance.
"""
from __future__ import annotations

import csv
from pathlib import Path

from catalogue_sources import CIVIC_SUPPORT

EXON9_CDS = {"37": (13054527, 13054727), "38": (12943713, 12943913)}  # c.1054-1254 (refGene MANE model)


def _locus(text: str) -> tuple[str, int, str, str]:
    c, p, r, a = text.split(":")
    return c, int(p), r, a


def _hgvsc(row: dict[str, str], model, g: tuple[str, int, str, str], build: str) -> str:
    chrom, pos, ref, alt = g
    anchor = model.c_of(pos)
    lo, hi = EXON9_CDS[build]
    n, shift = int(row["length"]), int(row["three_prime_shift"])
    if anchor != int(row["anchor_c"]) or model.strand != "+" or chrom != model.chrom:
        raise ValueError(f"CALR {row['name']} GRCh{build}: anchor {chrom}:{pos} is c.{anchor}, not c.{row['anchor_c']}")
    if n % 3 == 0 or ref[0] != alt[0]:
        raise ValueError(f"CALR {row['name']}: not a frameshift with a shared anchor base ({ref}>{alt})")
    if row["kind"] == "del":
        if len(ref) - 1 != n or len(alt) != 1 or not (lo <= pos + 1 and pos + n + shift <= hi):
            raise ValueError(f"CALR {row['name']} GRCh{build}: deletion length or span outside exon 9 CDS")
        first = anchor + 1 + shift
        return f"c.{first}_{first + n - 1}del"
    if len(alt) - 1 != n or len(ref) != 1 or not lo <= pos < hi or shift:
        raise ValueError(f"CALR {row['name']} GRCh{build}: insertion length or position outside exon 9 CDS")
    return f"c.{anchor}_{anchor + 1}ins{alt[1:]}"


def entries(cur: Path, m37, m38, civic_evidence: set[str], mane: str, commits: dict[str, str]) -> list[dict[str, str]]:
    """Catalogue rows (build_catalogue COLUMNS) for the curated CALR frameshifts."""
    with (cur / "calr_frameshifts.tsv").open(newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    out = []
    for r in rows:
        g37, g38 = _locus(r["grch37"]), _locus(r["grch38"])
        c37, c38 = _hgvsc(r, m37["CALR"], g37, "37"), _hgvsc(r, m38["CALR"], g38, "38")
        if c37 != c38:
            raise ValueError(f"CALR {r['name']}: GRCh37 {c37} vs GRCh38 {c38}")
        notes = [f"CALR exon 9 frameshift {r['name']}: {r['notes']}",
                 "the class (any exon 9 frameshift) is CIViC VID559 and the rule calr-exon9-frameshift, which "
                 "reports these alleles first and classifies them oncogenic",
                 "curations: CIViC (class)"]
        out.append({
            "id": f"CALR-{r['protein_change'].replace('*', 'X')}-{c37.replace('c.', 'c')}", "gene": "CALR",
            "transcript": mane, "hgvsc": c37, "hgvsp": r["hgvsp"], "protein_change": r["protein_change"],
            "aa_ref": r["aa_ref"], "aa_pos": r["aa_pos"], "aa_alt": "fs", "variant_type": "frameshift",
            "ref_codon": "", **_coords("grch37", g37), **_coords("grch38", g38),
            "grch38_method": "source", "origin": "somatic", "classification": "likely-oncogenic",
            "condition": "", "inheritance": "", "germline_effect": "",
            "sources": f"civic@{commits['civic']};curated@{commits['curated']}",
            "evidence": ";".join(sorted(set(r["evidence"].split(";")) | civic_evidence)),
            "notes": " | ".join(notes), "germline_classification": ""})
    return out


def civic_class_evidence(src: Path) -> set[str]:
    """CIViC ids and PMIDs of the accepted supporting somatic evidence of CALR EXON 9 FRAMESHIFT."""
    d = src / "civic"
    with (d / "civic_2018-10-01_clinical_evidence.panel.tsv").open(newline="") as fh:
        ev = [e for e in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
              if e["gene"] == "CALR" and e["variant"] == "EXON 9 FRAMESHIFT" and e["evidence_status"] == "accepted"
              and e["evidence_direction"] == "Supports" and e["clinical_significance"] in CIVIC_SUPPORT
              and e["variant_origin"].startswith("Somatic")]
    if not ev:
        raise ValueError("CIViC snapshot has no accepted CALR EXON 9 FRAMESHIFT evidence")
    out = {f"CIViC:VID{ev[0]['variant_id']}"}
    for e in ev:
        out |= {f"CIViC:EID{e['evidence_id']}", f"PMID:{e['pubmed_id']}"}
    return out


def _coords(prefix: str, g: tuple[str, int, str, str]) -> dict[str, str]:
    return {f"{prefix}_chrom": g[0], f"{prefix}_pos": str(g[1]), f"{prefix}_ref": g[2], f"{prefix}_alt": g[3]}
