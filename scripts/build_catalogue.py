#!/usr/bin/env python3
"""Build rules/catalogue/catalogue.tsv (+ catalogue.yaml, conflicts.tsv, excluded.tsv) from the
trimmed public snapshots in knowledge/sources and the curation tables in knowledge/curation.

Deterministic and offline. `--check` rebuilds in memory and exits 1 if a committed file differs.
Precedence and classification conventions are documented in rules/catalogue/README.md.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import catalogue_calr as calr  # noqa: E402
import catalogue_clinvar2016 as cv16  # noqa: E402
import catalogue_models as cm  # noqa: E402
import catalogue_overrides as co  # noqa: E402
import catalogue_sources as cs  # noqa: E402
import catalogue_vicc as cv  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SRC, CUR, OUT = ROOT / "knowledge" / "sources", ROOT / "knowledge" / "curation", ROOT / "rules" / "catalogue"
VERSION = "1.2.0"
MANE = {"JAK2": "NM_004972.4", "JAK1": "NM_002227.4", "JAK3": "NM_000215.4", "TYK2": "NM_003331.5",
        "IL7R": "NM_002185.5", "CRLF2": "NM_022148.4", "MPL": "NM_005373.3", "CALR": "NM_004343.4",
        "SH2B3": "NM_005475.3", "STAT3": "NM_139276.3", "STAT5B": "NM_012448.4", "CSF3R": "NM_000760"}
COLUMNS = ["id", "gene", "transcript", "hgvsc", "hgvsp", "protein_change", "aa_ref", "aa_pos", "aa_alt",
           "variant_type", "ref_codon", "grch37_chrom", "grch37_pos", "grch37_ref", "grch37_alt",
           "grch38_chrom", "grch38_pos", "grch38_ref", "grch38_alt", "grch38_method", "origin",
           "classification", "condition", "inheritance", "germline_effect", "sources", "evidence", "notes",
           "germline_classification", "vicc_codes", "vicc_points", "vicc_class", "class_basis",
           "source_classification"]
SOURCES_META = [
    ("docm", "griffithlab/docm", "c8d2a872", "data/variants.tsv.gz", "MIT"),
    ("civic", "umccr/RNAsum", "67e93db0", "inst/rawdata/CIViC/01-Oct-2018-{VariantSummaries,ClinicalEvidenceSummaries}.tsv", "CC0 (CIViC)"),
    ("clinvar", "WGLab/InterVar", "4801682d", "intervardb/PS1.AA.change.patho.{hg19,hg38}", "ClinVar data public domain; no LICENSE at 4801682d (MIT LICENSE deleted 2017-07-26, d7152c8); README: free for non-commercial use"),
    ("cgi", "ElsaB/impact-annotator", "95674e10", "data/other_databases/CGI_catalog_of_validated_oncogenic_mutations.tsv", "CGI terms (no licence file)"),
    ("hotspots", "sigven/cancerHotspots", "0abbc3f6", "data-raw/hotspots_v2.xlsx", "GPL-3.0 repo; cite Chang et al. 2018 PMID 29247016"),
    ("refgene", "vladsavelyev/bed_annotation", "3c3edae3", "bed_annotation/refseq/{hg19,hg38}/refGene.txt.gz", "MIT"),
    ("liftover", "broadinstitute/SpliceAI-lookup", "d204c34", "{hg19ToHg38,hg38ToHg19}.over.chain.gz", "MIT (UCSC chains)"),
    ("curated", "jakcli", "-", "knowledge/curation/*.tsv", "MIT"),
    ("clinvar2016", "macarthur-lab/clinvar", "9c409ea8", "output/clinvar.tsv.gz", "ClinVar data public domain (repository LICENSE.md); code MIT"),
]


class Ctx:
    """Everything the build reads, loaded once."""

    def __init__(self) -> None:
        self.m37 = cm.load_models(SRC / "refgene" / "refGene.hg19.panel.tsv")
        self.m38 = cm.load_models(SRC / "refgene" / "refGene.hg38.panel.tsv")
        self.fwd = cm.load_blocks(SRC / "liftover" / "hg19ToHg38.panel_blocks.tsv")
        self.back = cm.load_blocks(SRC / "liftover" / "hg38ToHg19.panel_blocks.tsv")
        self.hot = cs.hotspots(SRC)
        self.cond = cs.conditions(CUR)
        self.vicc = cv.Scorer(OUT, SRC, CUR)
        self.conflicts: list[tuple[str, str, str, str]] = []
        self.excluded: list[tuple[str, str, str]] = []

    def conflict(self, ident: str, kind: str, detail: str, resolution: str) -> None:
        self.conflicts.append((ident, kind, detail, resolution))


def fill_ref(ctx: Ctx, r: cs.Rec) -> None:
    """CGI MNVs come without REF bases: derive them from the codon (ref_codon or aa_ref)."""
    if r.g37 is None or r.g37[2]:
        return
    chrom, pos, _, alt = r.g37
    m = ctx.m37[r.gene]
    cps = [m.c_of(p) for p in range(pos, pos + len(alt))]
    if None in cps:
        return
    off = (min(cps) - 1) % 3
    coding = r.ref_codon[off:off + len(alt)] if r.ref_codon else cm.ref_from_aa(r.aa_ref, off, len(alt))
    if coding:
        r.g37 = (chrom, pos, m.coding(coding), alt)
        r.note = "REF bases derived from the reference codon (source gives none)"


def coding_check(ctx: Ctx, r: cs.Rec, build: str) -> str | None:
    """hgvsc on the refGene MANE model, or None when the record does not fit its protein change."""
    g = r.g37 if build == "37" else r.g38
    m = (ctx.m37 if build == "37" else ctx.m38)[r.gene]
    if g is None or not g[2] or len(g[2]) != len(g[3]) or g[0] != m.chrom:
        return None
    cps = sorted(m.c_of(p) or 0 for p in range(g[1], g[1] + len(g[2])))
    if 0 in cps or cps != list(range(cps[0], cps[0] + len(cps))) or (cps[0] - 1) // 3 + 1 != r.aa_pos \
            or (cps[-1] - 1) // 3 + 1 != r.aa_pos:
        return None
    ref, alt = m.coding(g[2]), m.coding(g[3])
    if not cm.codon_fits(r.aa_ref, r.aa_alt, (cps[0] - 1) % 3, ref, alt):
        return None
    return f"c.{cps[0]}{ref}>{alt}" if len(ref) == 1 else f"c.{cps[0]}_{cps[-1]}delins{alt}"


def key_of(ctx: Ctx, r: cs.Rec) -> tuple:
    fill_ref(ctx, r)
    return (r.gene, r.aa_pos, r.aa_ref, r.aa_alt, r.g37 or r.g38)


def merge(ctx: Ctx, recs: list[cs.Rec]) -> dict[tuple, list[cs.Rec]]:
    groups: dict[tuple, list[cs.Rec]] = {}
    for r in recs:
        groups.setdefault(key_of(ctx, r), []).append(r)
    return groups


def grch38(ctx: Ctx, ident: str, recs: list[cs.Rec]) -> tuple[tuple | None, str]:
    """GRCh38 record: from a source if given (checked against the chain), else by liftover."""
    g37 = next((r.g37 for r in recs if r.g37), None)
    lifted, how = (None, "none: no GRCh37 record")
    if g37:
        pos, how = cm.lift_span(ctx.fwd, ctx.back, g37[0], g37[1], len(g37[2]) or 1)
        lifted = (g37[0], pos, g37[2], g37[3]) if pos else None
    given = next((r.g38 for r in recs if r.g38), None)
    if given:
        if lifted and lifted != given:
            ctx.conflict(ident, "grch38-source-vs-liftover", f"source {given} vs chain {lifted}", "source GRCh38 kept")
        elif lifted is None and g37:
            ctx.conflict(ident, "grch38-source-unliftable", f"source {given}; chain: {how}", "source GRCh38 kept")
        return given, "source" + (f"; {how} agrees" if lifted == given else "")
    return lifted, how


def classify(ctx: Ctx, ident: str, recs: list[cs.Rec]) -> tuple[str, str, set[str]]:
    """(origin, classification, curations) by the precedence in rules/catalogue/README.md."""
    cur = set().union(*(r.curations for r in recs))
    somatic = [r for r in recs if r.origin == "somatic"]
    germline = [r for r in recs if r.origin == "germline" and not r.polymorphism]
    if any(r.polymorphism for r in recs):
        others = cur - {"curated-polymorphism"}
        if others:
            ctx.conflict(ident, "polymorphism-vs-pathogenic", f"also curated by {sorted(others)}", "polymorphism wins")
        return "germline", "polymorphism", cur
    if somatic:
        if germline or any(r.origin == "unknown" for r in recs):
            ctx.conflict(ident, "origin", "ClinVar P/LP set (origin not recorded) or a germline row also lists it",
                         "somatic curation decides origin=somatic; ClinVar kept as corroborating source")
        independent = {c for c in cur if c != "ClinVar"}
        hot = (recs[0].gene, recs[0].aa_pos) in ctx.hot
        return "somatic", "oncogenic" if len(independent) + hot >= 2 else "likely-oncogenic", cur
    return "germline", "likely-pathogenic", cur


def build_entry(ctx: Ctx, recs: list[cs.Rec]) -> dict[str, str] | None:
    r0 = recs[0]
    pc = f"{r0.aa_ref}{r0.aa_pos}{r0.aa_alt}"
    label = f"{r0.gene} {pc} {r0.g37 or r0.g38}"
    c37 = next((h for h in (coding_check(ctx, r, "37") for r in recs if r.g37) if h), None)
    if r0.g37 and c37 is None:
        ctx.excluded.append(("+".join(sorted({r.source for r in recs})), label,
                             "GRCh37 record does not produce the protein change on the refGene MANE model"))
        return None
    ident = f"{r0.gene}-{pc}-" + (c37.replace("c.", "c") if c37 else f"g37-{r0.g37}")
    g38, method = grch38(ctx, ident, recs)
    tmp = cs.Rec("x", r0.gene, r0.aa_ref, r0.aa_pos, r0.aa_alt, g38=g38)
    c38 = coding_check(ctx, tmp, "38") if g38 else None
    if g38 and c38 != c37:
        ctx.conflict(ident, "grch38-coding", f"GRCh37 {c37} vs GRCh38 {c38}", "GRCh38 dropped")
        g38, method = None, "none: GRCh38 record does not give the same c. change on the GRCh38 model"
    for r in recs:
        if r.hgvsc_src and c37 and r.hgvsc_src.split(":")[1] != c37:
            ctx.conflict(ident, "hgvsc", f"{r.source} {r.hgvsc_src} vs computed {c37}", "computed kept")
    origin, cls, cur = classify(ctx, ident, recs)
    return row(ctx, ident, recs, c37, g38, method, origin, cls, cur)


def row(ctx: Ctx, ident: str, recs: list[cs.Rec], c37: str | None, g38: tuple | None, method: str,
        origin: str, cls: str, cur: set[str]) -> dict[str, str]:
    r0 = recs[0]
    g37 = next((r.g37 for r in recs if r.g37), None)
    ev = set().union(*(r.evidence for r in recs))
    hot = ctx.hot.get((r0.gene, r0.aa_pos))
    if hot:
        ev.add(hot)
    cond = ctx.cond.get(r0.gene, {}) if origin == "germline" else {}
    notes = sorted({r.note for r in recs if r.note} | {f"curations: {', '.join(sorted(cur))}"})
    if origin == "germline" and cls != "polymorphism":
        notes.append("origin germline: listed only by the ClinVar-derived P/LP set (no origin field); P vs LP not distinguished")
    if r0.gene == "CSF3R":
        notes.append("transcript version not pinned (CSF3R MANE not in knowledge-sources s2)")
    cgi_cond = next((r.condition for r in recs if r.condition), "")
    vicc = _vicc(ctx, r0, origin)
    if vicc_ev := vicc.pop("vicc_evidence"):
        notes.append(f"VICC 2022 evidence: {vicc_ev}")
    return {
        "id": ident, "gene": r0.gene, "transcript": MANE[r0.gene], "hgvsc": c37 or "",
        "hgvsp": f"p.({cm.THREE[r0.aa_ref]}{r0.aa_pos}{cm.THREE[r0.aa_alt]})",
        "protein_change": f"{r0.aa_ref}{r0.aa_pos}{r0.aa_alt}", "aa_ref": r0.aa_ref, "aa_pos": str(r0.aa_pos),
        "aa_alt": r0.aa_alt, "variant_type": "nonsense" if r0.aa_alt == "*" else "missense",
        "ref_codon": next((r.ref_codon for r in recs if r.ref_codon), ""),
        **_coords("grch37", g37), **_coords("grch38", g38), "grch38_method": method,
        "origin": origin, "classification": cls,
        "condition": cgi_cond or cond.get("condition", "") if origin == "germline" and cls != "polymorphism" else "",
        "inheritance": cond.get("inheritance", "") if cls != "polymorphism" else "",
        "germline_effect": cond.get("germline_effect", "") if cls != "polymorphism" else ("informational" if origin == "germline" else ""),
        "sources": ";".join(sorted({f"{r.source}@{cs.COMMITS[r.source]}" for r in recs})),
        "evidence": ";".join(sorted(ev)), "notes": " | ".join(notes), **vicc}


def _vicc(ctx: Ctx, r0: cs.Rec, origin: str) -> dict[str, str]:
    """ClinGen/CGC/VICC 2022 codes, points and points class of a somatic entry (empty otherwise)."""
    if origin != "somatic":
        return {"vicc_codes": "", "vicc_points": "", "vicc_class": "", "vicc_evidence": ""}
    return ctx.vicc.score(r0.gene, r0.aa_pos, r0.aa_alt, f"{r0.aa_ref}{r0.aa_pos}{r0.aa_alt}")


def _coords(prefix: str, g: tuple | None) -> dict[str, str]:
    keys = [f"{prefix}_{k}" for k in ("chrom", "pos", "ref", "alt")]
    return dict(zip(keys, ["", "", "", ""] if g is None else [g[0], str(g[1]), g[2], g[3]]))


def build() -> dict[str, bytes]:
    """All output files as bytes, keyed by file name."""
    ctx = Ctx()
    civic, skipped = cs.civic(SRC)
    ctx.excluded += skipped
    recs = cs.docm(SRC) + cs.cgi(SRC) + cs.clinvar(SRC) + civic + cs.polymorphisms(CUR)
    rows = [e for g in merge(ctx, recs).values() if (e := build_entry(ctx, g))]
    rows += calr.entries(CUR, ctx.m37, ctx.m38, calr.civic_class_evidence(SRC), MANE["CALR"], cs.COMMITS)
    for r in rows:
        r.setdefault("germline_classification", "")
        if "vicc_codes" not in r:  # curated CALR frameshifts: scored like every somatic entry
            v = (ctx.vicc.score(r["gene"], int(r["aa_pos"]), r["aa_alt"], r["protein_change"])  # e.g. L367Tfs*46
                 if r["origin"] == "somatic" else {"vicc_codes": "", "vicc_points": "", "vicc_class": ""})
            if ev := v.pop("vicc_evidence", ""):
                r["notes"] = " | ".join(x for x in (r.get("notes", ""), ev) if x)
            r.update(v)
    ctx.vicc.check_all_used()
    for text in co.apply(rows, co.load(CUR / "germline_overrides.tsv")):
        ident, detail = text.split("\t")
        ctx.conflict(ident, "origin-override", detail, "curated germline override (knowledge/curation/germline_overrides.tsv)")
    ctx.conflicts += cv16.apply(rows, SRC, CUR, "9c409ea8")
    for r in rows:  # last: the sources' class is final (overrides, ClinVar 2016), `both` keeps it
        r["source_classification"] = r["classification"]
        r["classification"], r["class_basis"], clash, resolution = cv.decide(r)
        if clash:
            ctx.conflict(r["id"], "vicc-2022-vs-curation", clash, resolution)
    ids = {r["id"] for r in rows}
    for (gene, pos), text in sorted(ctx.hot.items()):
        if not any(r["gene"] == gene and r["aa_pos"] == str(pos) for r in rows):
            ctx.excluded.append(("hotspots", f"{gene} residue {pos}", f"hotspot only ({text}); recurrence alone is not a curated class"))
    rows.sort(key=lambda r: (r["gene"], int(r["aa_pos"]), r["aa_alt"], r["id"]))
    assert len(ids) == len(rows), "duplicate ids"
    files = {"catalogue.tsv": _tsv_bytes(COLUMNS, [[r[c] for c in COLUMNS] for r in rows]),
             "conflicts.tsv": _tsv_bytes(["id", "kind", "detail", "resolution"], sorted(set(ctx.conflicts))),
             "excluded.tsv": _tsv_bytes(["source", "record", "reason"], sorted(set(ctx.excluded)))}
    files["catalogue.yaml"] = _sidecar(files["catalogue.tsv"])
    return files


def _tsv_bytes(header: list[str], rows: list) -> bytes:
    buf = io.StringIO()
    for r in [header] + [list(x) for x in rows]:
        if any("\t" in str(v) or "\n" in str(v) for v in r):
            raise ValueError(f"tab or newline in a field: {r}")
        buf.write("\t".join(str(v) for v in r) + "\n")
    return buf.getvalue().encode()


def _sidecar(tsv: bytes) -> bytes:
    lines = ["# Generated by scripts/build_catalogue.py; do not edit by hand.",
             f"version: \"{VERSION}\"", f"sha256: {hashlib.sha256(tsv).hexdigest()}", "sources:"]
    for name, repo, commit, path, lic in SOURCES_META:
        lines += [f"  - {{name: {name}, repository: \"{repo}\", commit: \"{commit}\", path: \"{path}\", licence: \"{lic}\"}}"]
    return ("\n".join(lines) + "\n").encode()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--check", action="store_true", help="exit 1 if the committed files differ")
    a = ap.parse_args()
    try:
        files = build()
    except ValueError as exc:  # a curation or source error: one line, no traceback
        print(f"build_catalogue.py: {exc}", file=sys.stderr)
        return 1
    if a.check:
        bad = [n for n, b in files.items() if not (OUT / n).is_file() or (OUT / n).read_bytes() != b]
        for n in bad:
            print(f"{OUT / n}: differs from a fresh build; run scripts/build_catalogue.py", file=sys.stderr)
        return 1 if bad else 0
    OUT.mkdir(parents=True, exist_ok=True)
    for n, b in files.items():
        (OUT / n).write_bytes(b)
    print(f"wrote {len(files)} files to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
