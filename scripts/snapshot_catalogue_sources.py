#!/usr/bin/env python3
"""Trim the public source files of the variant catalogue to the panel genes.

Run once by a curator with bare git mirrors of the source repositories (``--mirrors DIR`` holding
``owner+name/repo``). Writes knowledge/sources/<source>/*.tsv; the build (build_catalogue.py) then
works offline from these snapshots. Each snapshot folder has a hand-written PROVENANCE.md.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import io
import subprocess
import sys
from pathlib import Path

GENES = ("JAK1", "JAK2", "JAK3", "TYK2", "IL7R", "CRLF2", "MPL", "CALR", "SH2B3", "STAT3", "STAT5B", "CSF3R")
MANE_NM = {"JAK2": "NM_004972", "JAK1": "NM_002227", "JAK3": "NM_000215", "TYK2": "NM_003331",
           "IL7R": "NM_002185", "CRLF2": "NM_022148", "MPL": "NM_005373", "CALR": "NM_004343",
           "SH2B3": "NM_005475", "STAT3": "NM_139276", "STAT5B": "NM_012448", "CSF3R": "NM_000760"}
MAIN_CHROMS = {"chr1", "chr5", "chr9", "chr12", "chr17", "chr19", "chrX"}
CHAIN_PAD = 20_000

SRC = {
    "docm": ("griffithlab+docm", "c8d2a872", "data/variants.tsv.gz"),
    "civic18_var": ("umccr+RNAsum", "67e93db0", "inst/rawdata/CIViC/01-Oct-2018-VariantSummaries.tsv"),
    "civic18_ev": ("umccr+RNAsum", "67e93db0", "inst/rawdata/CIViC/01-Oct-2018-ClinicalEvidenceSummaries.tsv"),
    "civic17": ("WGLab+CancerVar", "97bd7a9e", "cancervardb/civic_2017_02.txt"),
    "ps1_hg19": ("WGLab+InterVar", "4801682d", "intervardb/PS1.AA.change.patho.hg19"),
    "ps1_hg38": ("WGLab+InterVar", "4801682d", "intervardb/PS1.AA.change.patho.hg38"),
    "cgi": ("ElsaB+impact-annotator", "95674e10",
            "data/other_databases/CGI_catalog_of_validated_oncogenic_mutations.tsv"),
    "hotspots": ("sigven+cancerHotspots", "0abbc3f6", "data-raw/hotspots_v2.xlsx"),
    "rg19": ("vladsavelyev+bed_annotation", "3c3edae3", "bed_annotation/refseq/hg19/refGene.txt.gz"),
    "rg38": ("vladsavelyev+bed_annotation", "3c3edae3", "bed_annotation/refseq/hg38/refGene.txt.gz"),
    "chain19to38": ("broadinstitute+SpliceAI-lookup", "d204c34", "hg19ToHg38.over.chain.gz"),
    "chain38to19": ("broadinstitute+SpliceAI-lookup", "d204c34", "hg38ToHg19.over.chain.gz"),
}


def blob(mirrors: Path, key: str) -> bytes:
    """Bytes of one source file at its pinned commit."""
    repo, commit, path = SRC[key]
    gd = mirrors / repo / "repo"
    out = subprocess.run(["git", f"--git-dir={gd}", "show", f"{commit}:{path}"], capture_output=True, check=True)
    data = out.stdout
    return gzip.decompress(data) if path.endswith(".gz") else data


def text(mirrors: Path, key: str) -> list[str]:
    return blob(mirrors, key).decode("utf-8").splitlines()


def write_tsv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    print(f"{path}: {len(rows)} rows", file=sys.stderr)


def refgene_rows(mirrors: Path, key: str) -> list[list[str]]:
    rows = []
    for line in text(mirrors, key):
        f = line.split("\t")
        if f[12] in MANE_NM and MANE_NM[f[12]] == f[1] and f[2] in MAIN_CHROMS:
            rows.append(f[1:11] + [f[12]])
    return sorted(rows, key=lambda r: (r[10], r[1]))


def spans(rows: list[list[str]], pad: int) -> list[tuple[str, int, int]]:
    return [(r[1], int(r[3]) - pad, int(r[4]) + pad) for r in rows]


def chain_blocks(raw: bytes, regions: list[tuple[str, int, int]]) -> list[list[str]]:
    """Ungapped alignment blocks of a UCSC chain file that overlap the regions (target coords)."""
    out: list[list[str]] = []
    head = None
    t = q = 0
    for line in raw.decode("ascii").splitlines():
        if line.startswith("chain"):
            h = line.split()
            head = h
            t, q = int(h[5]), int(h[10])
            continue
        if not line.strip() or head is None:
            continue
        nums = [int(x) for x in line.split()]
        size = nums[0]
        if any(c == head[2] and t < e and t + size > s for c, s, e in regions):
            out.append([head[12], head[2], str(t), str(t + size), head[7], head[9], head[8],
                        str(q), str(q + size)])
        if len(nums) == 3:
            t += size + nums[1]
            q += size + nums[2]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "knowledge" / "sources")
    a = ap.parse_args()
    m, o = a.mirrors, a.out
    genes = set(GENES)
    # DoCM
    lines = text(m, "docm")
    hdr = lines[0].split("\t")
    rows = [l.split("\t") for l in lines[1:] if l.split("\t")[7] in genes]
    write_tsv(o / "docm" / "docm_variants.panel.tsv", hdr, sorted(rows, key=lambda r: (r[7], int(r[2]), r[0])))
    # CIViC 2018 release (drop the long free-text columns; CC0 anyway)
    for key, name, drop in (("civic18_var", "civic_2018-10-01_variant_summaries.panel.tsv", {"summary"}),
                            ("civic18_ev", "civic_2018-10-01_clinical_evidence.panel.tsv",
                             {"evidence_statement", "variant_summary"}),
                            ("civic17", "civic_2017-02_evidence.cancervar.panel.tsv",
                             {"evidence_statement", "variant_summary"})):
        rd = _rows(blob(m, key))
        keep = [i for i, h in enumerate(rd[0]) if h not in drop]
        body = [[r[i] for i in keep] for r in rd[1:] if r and r[0] in genes or (len(r) > 2 and r[2] in genes and key == "civic18_var")]
        write_tsv(o / "civic" / name, [rd[0][i] for i in keep], body)
    # refGene rows (MANE accessions) and the ClinVar-derived PS1 sets within their CDS (+-2 bp)
    rg = {b: refgene_rows(m, k) for b, k in (("hg19", "rg19"), ("hg38", "rg38"))}
    rg_hdr = ["name", "chrom", "strand", "txStart", "txEnd", "cdsStart", "cdsEnd", "exonCount",
              "exonStarts", "exonEnds", "name2"]
    for b, rows in rg.items():
        write_tsv(o / "refgene" / f"refGene.{b}.panel.tsv", rg_hdr, rows)
        cds = [(r[1].removeprefix("chr"), int(r[5]) - 2, int(r[6]) + 2, r[10]) for r in rows]
        out = []
        for line in text(m, f"ps1_{b}"):
            f = line.split("\t")
            hit = [g for c, s, e, g in cds if f[0] == c and s <= int(f[1]) <= e]
            if hit:
                out.append([hit[0]] + f)
        write_tsv(o / "clinvar_intervar" / f"PS1.AA.change.patho.{b}.panel.tsv",
                  ["gene_by_refgene_cds", "chrom", "start", "end", "ref", "alt", "aa_ref", "aa_alt",
                   "protein_change", "clinvar_allele_id"], out)
    # CGI validated oncogenic mutations
    rd = _rows(blob(m, "cgi"))
    write_tsv(o / "cgi" / "cgi_validated_oncogenic_mutations.panel.tsv", rd[0],
              [r for r in rd[1:] if r and r[0] in genes])
    hotspots(m, o, genes)
    for b, key in (("hg19", "chain19to38"), ("hg38", "chain38to19")):
        blocks = chain_blocks(blob(m, key), spans(rg[b], CHAIN_PAD))
        write_tsv(o / "liftover" / f"{SRC[key][2].removesuffix('.over.chain.gz')}.panel_blocks.tsv",
                  ["chain_id", "t_chrom", "t_start0", "t_end0", "q_chrom", "q_strand", "q_size",
                   "q_start0", "q_end0"], blocks)
    return 0


def _rows(raw: bytes) -> list[list[str]]:
    """TSV rows; stray carriage returns dropped, quotes kept literally."""
    body = raw.decode("utf-8").replace("\r", "")
    return [r for r in csv.reader(io.StringIO(body), delimiter="\t", quoting=csv.QUOTE_NONE)]


def hotspots(m: Path, o: Path, genes: set[str]) -> None:
    import openpyxl  # only the curator needs it

    wb = openpyxl.load_workbook(io.BytesIO(blob(m, "hotspots")), read_only=True)
    cols = ["Hugo_Symbol", "Amino_Acid_Position", "Reference_Amino_Acid", "Variant_Amino_Acid",
            "Mutation_Count", "Total_Samples", "qvalue", "Codon_Change", "Genomic_Position"]
    rows = []
    for ws in wb.worksheets:
        it = ws.iter_rows(values_only=True)
        hdr = list(next(it))
        idx = [hdr.index(c) if c in hdr else None for c in cols]
        for r in it:
            if r[0] in genes:
                rows.append([ws.title] + ["" if i is None or r[i] is None else str(r[i]) for i in idx])
    write_tsv(o / "hotspots" / "hotspots_v2.panel.tsv", ["sheet"] + cols, rows)


if __name__ == "__main__":
    sys.exit(main())
