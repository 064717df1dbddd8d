"""The genome FASTA given with ``--reference``: coding sequences for HGVS p., checked before use.

A FASTA of the wrong build (or another assembly) would give confident but wrong protein names, so
``verify_reference`` first builds each bundled MANE CDS, translates it and compares it with the
bundled protein length (and sha256, where a verified sequence is bundled); any mismatch is an
InputError naming the gene, build and FASTA.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

import pysam

from jakcli.errors import InputError
from jakcli.reference.genome import normalise_contig
from jakcli.reference.hgvsp import translate_cds
from jakcli.reference.protein import reverse_complement
from jakcli.reference.transcripts import Transcript, transcript_for

_FIX = "pass the genome FASTA of the build the VCF was aligned to (wrong build or wrong FASTA?)"


class ReferenceFasta:
    """An indexed FASTA with contig names resolved both ways (``chr9`` <-> ``9``)."""

    def __init__(self, path: str):
        self.path = path
        if not os.path.exists(path):
            raise InputError(f"{path}: reference FASTA not found (give the path of the genome FASTA)")
        if not os.path.exists(path + ".fai"):
            raise InputError(f"{path}: reference FASTA has no index {path}.fai (run: samtools faidx {path})")
        if path.endswith(".gz") and not os.path.exists(path + ".gzi"):
            raise InputError(f"{path}: compressed reference FASTA needs bgzip compression and {path}.gzi "
                             f"(run: bgzip -i on the plain FASTA, then samtools faidx)")
        try:
            self._fa = pysam.FastaFile(path)
        except (OSError, ValueError) as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise InputError(f"{path}: cannot open reference FASTA ({first}); it must be plain or "
                             f"bgzip-compressed with .fai (and .gzi) indexes") from None
        self._names = {normalise_contig(n): n for n in self._fa.references}

    def contig(self, chrom: str) -> str | None:
        return self._names.get(normalise_contig(chrom))

    def fetch(self, chrom: str, start: int, end: int) -> str:
        """Bases ``start..end`` (1-based, inclusive, + strand), upper case."""
        name = self.contig(chrom)
        if name is None:
            raise InputError(f"{self.path}: reference FASTA has no contig {chrom} (nor chr{normalise_contig(chrom)}); "
                             f"{_FIX}")
        seq = self._fa.fetch(name, start - 1, end).upper()
        if len(seq) != end - start + 1:
            length = self._fa.get_reference_length(name)
            raise InputError(f"{self.path}: contig {name} ends before {end} ({length} bp); {_FIX}")
        return seq

    def close(self) -> None:
        self._fa.close()

    def __enter__(self) -> ReferenceFasta:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def build_cds(fasta: ReferenceFasta, t: Transcript) -> str:
    """The coding sequence of ``t`` (c.1 to the end of the stop codon, 5' -> 3'), from its exons."""
    parts = []
    for s, e in sorted(t.exons):
        lo, hi = max(s, t.cds_start), min(e, t.cds_end)
        if lo <= hi:
            parts.append(fasta.fetch(t.chrom, lo, hi))
    seq = "".join(parts)
    return reverse_complement(seq) if t.strand == "-" else seq


def utr3_sequence(fasta: ReferenceFasta, t: Transcript, limit: int = 3000) -> str:
    """Up to ``limit`` bases of the transcript after the stop codon (for fsTer N / stop-loss ext)."""
    parts = []
    for s, e in sorted(t.exons, reverse=t.strand == "-"):
        lo, hi = (max(s, t.cds_end + 1), e) if t.strand == "+" else (s, min(e, t.cds_start - 1))
        if lo <= hi:
            seq = fasta.fetch(t.chrom, lo, hi)
            parts.append(seq if t.strand == "+" else reverse_complement(seq))
    return "".join(parts)[:limit]


@dataclass(frozen=True, slots=True)
class CdsCheck:
    gene: str
    transcript: str
    build: str
    contig: str
    protein_length: int
    checked: str  # what was compared, in words

    def __str__(self) -> str:
        return f"{self.gene} {self.transcript} {self.build} {self.contig}: {self.checked}"


def check_cds(cds: str, t: Transcript) -> tuple[list[str], str]:
    """Problems of a coding sequence against the bundled model, and what was checked."""
    protein = translate_cds(cds)
    problems = []
    if not protein.startswith("M"):
        problems.append(f"does not start with Met (codon 1 is {cds[:3] or '-'})")
    if not t.cds_complete:  # the assembly lacks the 3' exons (CRLF2 on GRCh37)
        body = protein
        checked = (f"Met start and no stop in the {len(protein)} complete codons present "
                   f"(the {t.build} assembly lacks the rest of the CDS; length and checksum not checkable)")
    else:
        body = protein[:-1]
        checked = f"Met...Ter, no internal stop, {t.protein_length} aa"
        if len(cds) != 3 * (t.protein_length + 1):
            problems.append(f"CDS is {len(cds)} nt, expected {3 * (t.protein_length + 1)}")
        elif not protein.endswith("*"):
            problems.append(f"does not end with a stop codon (last codon {cds[-3:]})")
    if "*" in body:
        problems.append(f"internal stop at codon {body.index('*') + 1}")
    if "X" in protein:
        problems.append(f"ambiguous bases (N) in codon {protein.index('X') + 1}")
    if t.cds_complete and t.protein_sha256:
        checked += ", protein sha256 of the verified sequence"
        if not problems and hashlib.sha256(body.encode()).hexdigest() != t.protein_sha256:
            problems.append("protein differs from the verified sequence (sha256)")
    elif t.cds_complete:
        checked += " (no verified sequence bundled: length only)"
    return problems, checked


def verify_reference(fasta: ReferenceFasta, build: str, genes: list[str] | None = None) -> list[CdsCheck]:
    """Check each gene's MANE CDS in ``fasta``; raise InputError (one line) on the first mismatch."""
    from jakcli.reference.transcripts import genes as bundled

    out = []
    for gene in genes or list(bundled()):
        t = transcript_for(gene, str(build))
        if t is None:
            raise InputError(f"no bundled {build} transcript model for gene {gene}")
        where = f"{fasta.path}: {gene} {t.transcript} CDS on {build} {t.chrom}:{t.cds_start}-{t.cds_end}"
        try:
            cds = build_cds(fasta, t)
        except InputError as exc:
            raise InputError(f"{where} cannot be read: {str(exc).removeprefix(fasta.path + ': ')}") from None
        problems, checked = check_cds(cds, t)
        if problems:
            raise InputError(f"{where} {'; '.join(problems)}; {_FIX}")
        out.append(CdsCheck(gene, t.transcript, str(build), fasta.contig(t.chrom) or t.chrom,
                            t.protein_length, checked))
    return out
