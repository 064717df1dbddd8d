#!/usr/bin/env python3
"""Build jakcli/reference/data/cnv_targets.tsv from the trimmed refGene snapshots.

Deterministic: the same snapshots always give byte-identical output. Run from the repository root:
``python3 scripts/build_cnv_targets.py`` (``--check`` exits 1 when the committed TSV is stale).
Sources and their provenance: knowledge/sources/PROVENANCE.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "knowledge" / "sources"
OUT = ROOT / "jakcli" / "reference" / "data" / "cnv_targets.tsv"
ARMS = ROOT / "jakcli" / "reference" / "data" / "arm_boundaries.tsv"
SNAPSHOT = {"GRCh37": "refGene.hg19.cnv_targets.txt", "GRCh38": "refGene.hg38.cnv_targets.txt"}
REPO = "vladsavelyev/bed_annotation@3c3edae3742ea023440ecb0ccce05284b1c53032"
UCSC = {"GRCh37": "hg19", "GRCh38": "hg38"}

# gene -> transcript used for its span and exon numbers (MANE Select where knowledge-sources.md s2
# or the MANE summary confirms it; ERG: the longest coding RefSeq transcript, see PROVENANCE.md)
TRANSCRIPTS = {
    "IKZF1": "NM_006060", "CDKN2A": "NM_000077", "CDKN2B": "NM_004936", "PAX5": "NM_016734",
    "ERG": "NM_004449", "JAK2": "NM_004972", "CD274": "NM_014143", "PDCD1LG2": "NM_025239",
}
HEADER = ["target", "build", "chrom", "start", "end", "gene", "transcript", "strand", "exons", "source"]


def _rows(build: str) -> list[list[str]]:
    rows = []
    for line in (SOURCES / SNAPSHOT[build]).read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        rows.append(line.split("\t"))
    return rows


def _exons(row: list[str]) -> list[tuple[int, int, int]]:
    """(exon number in transcript order, 1-based start, end) of a refGene row."""
    starts = [int(x) + 1 for x in row[8].rstrip(",").split(",")]
    ends = [int(x) for x in row[9].rstrip(",").split(",")]
    spans = list(zip(starts, ends))
    if row[2] == "-":
        spans.reverse()
    return [(i + 1, s, e) for i, (s, e) in enumerate(spans)]


def _find(rows, name: str, chrom: str) -> list[str]:
    hits = [r for r in rows if r[0] == name and r[1] == chrom]
    if len(hits) != 1:
        raise SystemExit(f"{name} on {chrom}: expected one refGene row, found {len(hits)}")
    return hits[0]


def _gene_lines(build: str, rows) -> list[list[str]]:
    out = []
    for gene, tx in TRANSCRIPTS.items():
        chrom = next(r[1] for r in rows if r[0] == tx)
        row = _find(rows, tx, chrom)
        exons = ";".join(f"{n}:{s}-{e}" for n, s, e in _exons(row))
        src = f"{REPO}:bed_annotation/refseq/{UCSC[build]}/refGene.txt.gz {tx} txStart+1..txEnd"
        out.append([gene, build, chrom[3:], str(int(row[3]) + 1), row[4], gene, tx, row[2], exons, src])
    return out


def _par1_lines(build: str, rows) -> list[list[str]]:
    """The CRLF2-to-P2RY8 interval on each PAR1 copy: from the base after CRLF2's 5' end (txEnd,
    minus strand) to the end of P2RY8 exon 2 (its coding exon), i.e. what every P2RY8::CRLF2
    deletion removes except at its CRLF2-side breakpoint (see PROVENANCE.md)."""
    out = []
    for chrom in ("chrX", "chrY"):
        crlf2 = _find(rows, "NM_022148", chrom)
        p2ry8 = _find(rows, "NM_178129", chrom)
        exon2 = next(e for n, s, e in _exons(p2ry8) if n == 2)
        src = (f"{REPO}:bed_annotation/refseq/{UCSC[build]}/refGene.txt.gz NM_022148 txEnd+1 .. "
               f"NM_178129 exon 2 end ({chrom})")
        out.append(["PAR1_CRLF2_P2RY8", build, chrom[3:], str(int(crlf2[4]) + 1), str(exon2),
                    "CRLF2,P2RY8", "NM_022148,NM_178129", "-", "", src])
    return out


def _region_lines(build: str, rows) -> list[list[str]]:
    """9p24.1 JAK2-CD274-PDCD1LG2: JAK2 txStart+1 .. PDCD1LG2 txEnd."""
    jak2, pdl2 = _find(rows, "NM_004972", "chr9"), _find(rows, "NM_025239", "chr9")
    src = f"{REPO}:bed_annotation/refseq/{UCSC[build]}/refGene.txt.gz NM_004972 txStart+1 .. NM_025239 txEnd"
    return [["9p24.1_JAK2_CD274_PDCD1LG2", build, "9", str(int(jak2[3]) + 1), pdl2[4],
             "JAK2,CD274,PDCD1LG2", "NM_004972,NM_014143,NM_025239", "+", "", src]]


def build_table() -> str:
    lines = ["\t".join(HEADER)]
    for build in ("GRCh37", "GRCh38"):
        rows = [r[1:] for r in _rows(build)]  # drop the UCSC bin column
        for part in (_gene_lines, _par1_lines, _region_lines):
            lines.extend("\t".join(x) for x in part(build, rows))
    return "\n".join(lines) + "\n"


def arm_table() -> str:
    """The p-arm ends, copied with their source column (the engine's focal/broad definition)."""
    return (SOURCES / "arm_boundaries.tsv").read_text()


def main(argv: list[str]) -> int:
    outputs = {OUT: build_table(), ARMS: arm_table()}
    if "--check" in argv:
        stale = [p for p, text in outputs.items() if not p.exists() or p.read_text() != text]
        for p in stale:
            print(f"{p} is stale; run scripts/build_cnv_targets.py", file=sys.stderr)
        return 1 if stale else 0
    for p, text in outputs.items():
        p.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
