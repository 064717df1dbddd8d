"""Readers for the trimmed catalogue source snapshots (knowledge/sources/*). One function per source.

Each returns a list of Rec: one nucleotide spelling of one protein change as one source states it.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

PROT = re.compile(r"^(?:p\.)?([A-Z*])(\d+)([A-Z*])$")
CGI_G = re.compile(r"^chr(\w+):g\.(\d+)(?:_(\d+))?(?:([ACGT])>([ACGT])|del([ACGT]*)ins([ACGT]+))$")

COMMITS = {"docm": "c8d2a872", "civic": "67e93db0", "clinvar": "4801682d", "cgi": "95674e10",
           "hotspots": "0abbc3f6", "curated": "jakcli"}


@dataclass
class Rec:
    source: str
    gene: str
    aa_ref: str
    aa_pos: int
    aa_alt: str
    g37: tuple[str, int, str, str] | None = None
    g38: tuple[str, int, str, str] | None = None
    origin: str = "somatic"  # somatic | germline | unknown
    curations: set[str] = field(default_factory=set)  # independent upstream curations
    evidence: set[str] = field(default_factory=set)
    hgvsc_src: str = ""
    ref_codon: str = ""
    condition: str = ""
    polymorphism: bool = False
    note: str = ""


def _tsv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def _prot(text: str) -> tuple[str, int, str] | None:
    m = PROT.match(text.strip())
    return (m.group(1), int(m.group(2)), m.group(3)) if m else None


def _pmids(text: str) -> set[str]:
    """PubMed ids written bare or as ``PMID: n``; never digits inside another identifier
    (``NM_004972.3`` is a transcript, not PMID 004972)."""
    found = re.findall(r"PMID:\s*([1-9]\d{5,7})|(?<![A-Za-z0-9_.:])([1-9]\d{5,7})(?![A-Za-z0-9.])", text)
    return {f"PMID:{a or b}" for a, b in found}


def docm(root: Path) -> list[Rec]:
    out = []
    for r in _tsv(root / "docm" / "docm_variants.panel.tsv"):
        p = _prot(r["amino_acid"])
        if p is None or r["reference_version"] != "GRCh37":
            continue
        g = (r["chromosome"], int(r["start"]), r["read"], r["variant"])
        out.append(Rec("docm", r["gene"], *p, g37=g, curations={"DoCM"}, hgvsc_src=r["hgvs"],
                       evidence=_pmids(r["pubmed_sources"])))
    return out


def _cgi_genomic(text: str) -> list[tuple[str, int, str | None, str]]:
    out = []
    for part in text.split("__"):
        m = CGI_G.match(part)
        if not m:
            continue
        chrom, start, _end, r1, a1, dref, ins = m.groups()
        out.append((chrom, int(start), r1 or dref or None, a1 or ins))
    return out


def cgi(root: Path) -> list[Rec]:
    out = []
    for r in _tsv(root / "cgi" / "cgi_validated_oncogenic_mutations.panel.tsv"):
        p = _prot(r["protein"])
        if p is None:
            continue
        ups = {"CGI-Biomarker" if s == "Biomarker" else ("OncoKB" if s == "OncoKB" else s)
               for s in r["source"].split("__")}
        codon = re.search(r"ref_codon_seq=([ACGT]{3})", r["info"])
        origin = "germline" if r["context"] == "germline" else "somatic"
        cond = r["reference"].split(" AND ", 1)[1] if " AND " in r["reference"] else ""
        ev = _pmids(r["reference"]) | {f"CGI:{'+'.join(sorted(ups))}"}
        for chrom, pos, ref, alt in _cgi_genomic(r["gdna"]):
            out.append(Rec("cgi", r["gene"], *p, g37=(chrom, pos, ref or "", alt), origin=origin,
                           curations={u if u in ("DoCM", "ClinVar") else f"CGI({u})" for u in ups},
                           evidence=set(ev),
                           ref_codon=codon.group(1) if codon else "", condition=cond))
    return out


def clinvar(root: Path) -> list[Rec]:
    """ClinVar P/LP amino-acid changes (InterVar PS1 set), joined across builds by allele id."""
    d = root / "clinvar_intervar"
    b38 = {(r["clinvar_allele_id"], r["alt"], r["protein_change"]): r
           for r in _tsv(d / "PS1.AA.change.patho.hg38.panel.tsv")}
    out = []
    for r in _tsv(d / "PS1.AA.change.patho.hg19.panel.tsv"):
        p = _prot(r["protein_change"])
        o = b38.get((r["clinvar_allele_id"], r["alt"], r["protein_change"]))
        if p is None:
            continue
        g38 = (o["chrom"], int(o["start"]), o["ref"], o["alt"]) if o else None
        out.append(Rec("clinvar", r["gene_by_refgene_cds"], *p, g37=(r["chrom"], int(r["start"]), r["ref"], r["alt"]),
                       g38=g38, origin="unknown", curations={"ClinVar"},
                       evidence={f"ClinVarAllele:{r['clinvar_allele_id']}"}))
    return out


CIVIC_SUPPORT = {"Positive", "Sensitivity/Response", "Poor Outcome", "Better Outcome", "Sensitivity"}


def civic(root: Path) -> tuple[list[Rec], list[tuple[str, str, str]]]:
    """CIViC 2018-10-01 variants with a protein change, coordinates and qualifying evidence."""
    d = root / "civic"
    ev: dict[str, list[dict[str, str]]] = {}
    for e in _tsv(d / "civic_2018-10-01_clinical_evidence.panel.tsv"):
        ev.setdefault(e["variant_id"], []).append(e)
    out, skipped = [], []
    for v in _tsv(d / "civic_2018-10-01_variant_summaries.panel.tsv"):
        label = f"CIViC:VID{v['variant_id']} {v['gene']} {v['variant']}"
        p = _prot(v["variant"])
        items = [e for e in ev.get(v["variant_id"], []) if e["evidence_status"] == "accepted"
                 and e["evidence_direction"] == "Supports" and e["clinical_significance"] in CIVIC_SUPPORT
                 and e["variant_origin"].startswith("Somatic")]
        why = ("not a single amino-acid change" if p is None else
               "no GRCh37 coordinates in the release" if not v["reference_bases"] else
               "no accepted supporting somatic evidence item (resistance-only or none)" if not items else "")
        if why:
            skipped.append(("civic", label, why))
            continue
        g = (v["chromosome"], int(v["start"]), v["reference_bases"], v["variant_bases"])
        evid = {f"CIViC:VID{v['variant_id']}"} | {f"CIViC:EID{e['evidence_id']}" for e in items}
        evid |= {f"PMID:{e['pubmed_id']}" for e in items}
        out.append(Rec("civic", v["gene"], *p, g37=g, curations={"CIViC"}, evidence=evid))
    return out, skipped


def hotspots(root: Path) -> dict[tuple[str, int], str]:
    """Residues that are cancer hotspots v2 hotspots -> short evidence text."""
    out = {}
    for r in _tsv(root / "hotspots" / "hotspots_v2.panel.tsv"):
        if r["sheet"] != "SNV-hotspots":
            continue
        key = (r["Hugo_Symbol"], int(r["Amino_Acid_Position"]))
        out[key] = f"hotspots_v2:{r['Hugo_Symbol']}:{r['Amino_Acid_Position']}(n={r['Mutation_Count']},q={float(r['qvalue']):.2g})"
    return out


def polymorphisms(cur: Path) -> list[Rec]:
    out = []
    for r in _tsv(cur / "polymorphisms.tsv"):
        p = _prot(r["protein_change"])
        g37 = r["grch37"].split(":")
        g38 = r["grch38"].split(":") if r["grch38"] else None
        ev = {x.split(" ")[0] for x in r["evidence"].split(";")} | {r["rsid"]}
        out.append(Rec("curated", r["gene"], *p, g37=(g37[0], int(g37[1]), g37[2], g37[3]),
                       g38=(g38[0], int(g38[1]), g38[2], g38[3]) if g38 else None, origin="germline",
                       curations={"curated-polymorphism"}, evidence=ev, polymorphism=True, note=r["notes"]))
    return out


def conditions(cur: Path) -> dict[str, dict[str, str]]:
    return {r["gene"]: r for r in _tsv(cur / "germline_conditions.tsv")}
