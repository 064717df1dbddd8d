"""Builds a small genome FASTA built from the verified coding sequences placed at their exon coordinates.

knowledge/sources/sequences/verified_cds.fa holds the CRLF2 (minus strand), MPL and IKZF1 (plus
strand) coding sequences; every other base of the contigs is N. One FASTA per build (and variants:
chr-prefixed names, one base changed), built once per test session.
"""

from __future__ import annotations

from pathlib import Path

import pysam
import pytest

from jakcli.reference.protein import reverse_complement
from jakcli.reference.transcripts import Transcript, transcript_for

ROOT = Path(__file__).resolve().parents[2]
VERIFIED = ROOT / "knowledge" / "sources" / "sequences" / "verified_cds.fa"
FASTA_GENES = ("CRLF2", "MPL", "IKZF1")


def read_verified() -> dict[str, str]:
    seqs: dict[str, str] = {}
    name = ""
    for line in VERIFIED.read_text().splitlines():
        if line.startswith(">"):
            name = line[1:].split()[0]
            seqs[name] = ""
        elif line.strip():
            seqs[name] += line.strip().upper()
    return seqs


@pytest.fixture(scope="session")
def verified() -> dict[str, str]:
    return read_verified()


def place_cds(contig: bytearray, t: Transcript, cds: str) -> None:
    """Write ``cds`` onto the + strand of ``contig`` at the CDS bases of ``t`` (as far as they go)."""
    plus = cds if t.strand == "+" else reverse_complement(cds)
    k = 0
    for s, e in sorted(t.exons):
        lo, hi = max(s, t.cds_start), min(e, t.cds_end)
        if lo > hi:
            continue
        n = hi - lo + 1
        contig[lo - 1:hi] = plus[k:k + n].encode()
        k += n


def write_fasta(path: Path, build: str, chr_prefix: bool = False, edits: dict | None = None,
                genes=FASTA_GENES) -> Path:
    """``edits``: {(chrom, pos): base} applied after placing the sequences."""
    seqs = read_verified()
    contigs: dict[str, bytearray] = {}
    for gene in genes:
        t = transcript_for(gene, build)
        size = max(e for _, e in t.exons) + 500
        buf = contigs.setdefault(t.chrom, bytearray(b"N" * size))
        if len(buf) < size:
            buf.extend(b"N" * (size - len(buf)))
        cds = seqs[gene]
        if not t.cds_complete:  # CRLF2 on GRCh37: only c.1-767 exists in the assembly
            cds = cds[:t.cds_length]
        place_cds(buf, t, cds)
    for (chrom, pos), base in (edits or {}).items():
        contigs[chrom][pos - 1:pos] = base.encode()
    width = 100_000
    with open(path, "wb") as fh:
        for chrom in sorted(contigs):
            fh.write(f">{'chr' if chr_prefix else ''}{chrom}\n".encode())
            buf = contigs[chrom]
            for i in range(0, len(buf), width):
                fh.write(bytes(buf[i:i + width]) + b"\n")
    pysam.faidx(str(path))
    return path


@pytest.fixture(scope="session")
def fasta_for(tmp_path_factory):
    """fasta_for(build, chr_prefix=False) -> path of a FASTA holding the three verified genes."""
    cache: dict = {}

    def make(build: str, chr_prefix: bool = False) -> Path:
        key = (build, chr_prefix)
        if key not in cache:
            d = tmp_path_factory.mktemp(f"fa_{build}_{int(chr_prefix)}")
            cache[key] = write_fasta(d / "genome.fa", build, chr_prefix)
        return cache[key]

    return make
