#!/usr/bin/env python3
"""Build jakcli/reference/data/transcripts.tsv from the trimmed refGene snapshots.

Inputs (all in knowledge/sources/, with provenance there):
  refgene/hg19.refGene.mane.txt, refgene/hg38.refGene.mane.txt  UCSC refGene rows (0-based starts)
  mane/mane_select.tsv                                            MANE Select accession.version + length
  sequences/verified_cds.fa                                       verified coding sequences (checksums)

Output: one row per transcript x build x contig (PAR1 genes have a chrY copy), 1-based inclusive
coordinates. The script is deterministic; ``--check`` exits 1 when the committed file differs from
what the sources produce, and prints every CDS length that disagrees with the MANE protein length.

    python3 scripts/build_transcripts.py          # write
    python3 scripts/build_transcripts.py --check  # verify (CI)
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "knowledge" / "sources"
OUT = ROOT / "jakcli" / "reference" / "data" / "transcripts.tsv"
BUILDS = {"hg19": "GRCh37", "hg38": "GRCh38"}
COLUMNS = ["gene", "transcript", "build", "chrom", "strand", "tx_start", "tx_end", "cds_start",
           "cds_end", "exon_starts", "exon_ends", "protein_length", "cds_complete", "protein_sha256",
           "source"]
_CODE = "TCAG"
_AA = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG"


def _translate(cds: str) -> str:
    """A private copy of the standard code: the build script must not import the package it builds."""
    out = []
    for i in range(0, len(cds) - 2, 3):
        c = cds[i:i + 3]
        out.append(_AA[16 * _CODE.index(c[0]) + 4 * _CODE.index(c[1]) + _CODE.index(c[2])])
    return "".join(out)


def read_mane() -> dict[str, dict[str, str]]:
    lines = [ln for ln in (SOURCES / "mane" / "mane_select.tsv").read_text().splitlines()
             if ln and not ln.startswith("#")]
    header = lines[0].split("\t")
    rows = [dict(zip(header, ln.split("\t"))) for ln in lines[1:]]
    return {r["transcript"].split(".")[0]: r for r in rows}


def read_checksums() -> dict[str, str]:
    """gene -> sha256 of the verified protein (no stop), from the verified coding sequences."""
    seqs: dict[str, str] = {}
    name = ""
    for line in (SOURCES / "sequences" / "verified_cds.fa").read_text().splitlines():
        if line.startswith(">"):
            name = line[1:].split()[0]
            seqs[name] = ""
        elif line.strip():
            seqs[name] += line.strip().upper()
    out = {}
    for gene, cds in seqs.items():
        protein = _translate(cds)
        if not protein.endswith("*") or "*" in protein[:-1] or not protein.startswith("M"):
            raise SystemExit(f"verified_cds.fa: {gene} does not translate to Met...Ter")
        out[gene] = hashlib.sha256(protein[:-1].encode()).hexdigest()
    return out


def cds_length(row: list[str]) -> int:
    cs, ce = int(row[6]), int(row[7])
    starts = [int(x) for x in row[9].rstrip(",").split(",")]
    ends = [int(x) for x in row[10].rstrip(",").split(",")]
    return sum(max(0, min(e, ce) - max(s, cs)) for s, e in zip(starts, ends))


def build_rows(problems: list[str]) -> list[list[str]]:
    mane = read_mane()
    sums = read_checksums()
    out = []
    for ucsc, build in BUILDS.items():
        path = SOURCES / "refgene" / f"{ucsc}.refGene.mane.txt"
        for line in path.read_text().splitlines():
            row = line.split("\t")
            m = mane[row[1]]
            length = cds_length(row)
            plen = int(m["protein_length"])
            complete = row[13] == "cmpl" and row[14] == "cmpl" and length == 3 * (plen + 1)
            if length != 3 * (plen + 1):
                problems.append(f"{m['gene']} {m['transcript']} {build} {row[2]}: CDS {length} nt, "
                                f"expected 3 x ({plen} + 1) = {3 * (plen + 1)}")
            starts = ",".join(str(int(x) + 1) for x in row[9].rstrip(",").split(","))
            src = f"vladsavelyev/bed_annotation@3c3edae3:bed_annotation/refseq/{ucsc}/refGene.txt.gz"
            out.append([m["gene"], m["transcript"], build, row[2].removeprefix("chr"), row[3],
                        str(int(row[4]) + 1), row[5], str(int(row[6]) + 1), row[7], starts,
                        row[10].rstrip(","), str(plen), "yes" if complete else "no",
                        sums.get(m["gene"], ""), src])
    # chrX/ordinary contig first, chrY copy after it, genes in alphabetical order
    out.sort(key=lambda r: (r[0], r[2], r[3] == "Y", r[3]))
    return out


def render(rows: list[list[str]]) -> str:
    head = ("# MANE Select transcript models, 1-based inclusive; built by scripts/build_transcripts.py "
            "from knowledge/sources/ (do not edit)\n")
    return head + "\t".join(COLUMNS) + "\n" + "".join("\t".join(r) + "\n" for r in rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed file")
    args = ap.parse_args(argv)
    problems: list[str] = []
    text = render(build_rows(problems))
    for p in problems:
        print(f"length mismatch: {p}", file=sys.stderr)
    if args.check:
        if not OUT.exists() or OUT.read_text() != text:
            print(f"{OUT.relative_to(ROOT)} is out of date: run scripts/build_transcripts.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
