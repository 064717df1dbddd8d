"""MANE Select transcript models and genome -> c. coordinate arithmetic (pure; no sequence needed).

The models are bundled data (``data/transcripts.tsv``, built by ``scripts/build_transcripts.py`` from
refGene snapshots with provenance in ``knowledge/sources/refgene/``). Coordinates are 1-based and
inclusive; ``exons`` are kept in transcript order (5' -> 3'), so minus-strand genes read right to left.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

from jakcli.reference.genome import normalise_contig


@dataclass(frozen=True, slots=True)
class Transcript:
    gene: str
    transcript: str  # versioned MANE Select accession, e.g. NM_004972.4
    build: str  # GRCh37 / GRCh38
    chrom: str  # without "chr"
    strand: str  # "+" or "-"
    tx_start: int
    tx_end: int
    cds_start: int  # lowest genomic coordinate of the CDS (incl. stop codon)
    cds_end: int
    exons: tuple[tuple[int, int], ...]  # (start, end), transcript order
    protein_length: int  # aa, without the stop
    cds_complete: bool  # False: the assembly lacks part of the CDS (CRLF2 on GRCh37)
    protein_sha256: str | None  # of the verified protein sequence (no stop), when one is bundled
    source: str

    @property
    def cds_length(self) -> int:
        return sum(max(0, min(e, self.cds_end) - max(s, self.cds_start) + 1) for s, e in self.exons)

    def __str__(self) -> str:
        return f"{self.gene} {self.transcript} ({self.build} {self.chrom}{self.strand})"


@dataclass(frozen=True, slots=True)
class CPos:
    """A c. position: ``base`` (negative in the 5' UTR, counted after the stop when ``utr3``) and an
    intron ``offset`` from the nearest exon edge (0 inside exons)."""

    base: int
    offset: int = 0
    utr3: bool = False

    def __str__(self) -> str:
        core = f"*{self.base}" if self.utr3 else str(self.base)
        if self.offset:
            core += f"{self.offset:+d}"
        return core

    @property
    def in_cds(self) -> bool:
        return not self.utr3 and self.base >= 1 and self.offset == 0


@dataclass(frozen=True, slots=True)
class Location:
    """Where a genomic position falls on a transcript."""

    c: CPos
    region: str  # cds, utr5, utr3, intron, upstream, downstream
    exon: int | None  # exon number (transcript order, 1-based) for exonic positions
    intron: int | None  # intron number (between exon k and k+1) for intronic positions
    codon: int | None  # codon number for CDS positions
    codon_position: int | None  # 1..3


_DATA_COLUMNS = ("gene", "transcript", "build", "chrom", "strand", "tx_start", "tx_end",
                 "cds_start", "cds_end", "exon_starts", "exon_ends", "protein_length",
                 "cds_complete", "protein_sha256", "source")


def _parse_row(row: dict[str, str]) -> Transcript:
    starts = [int(x) for x in row["exon_starts"].split(",")]
    ends = [int(x) for x in row["exon_ends"].split(",")]
    exons = tuple(zip(starts, ends))
    if row["strand"] == "-":
        exons = exons[::-1]
    return Transcript(
        gene=row["gene"], transcript=row["transcript"], build=row["build"], chrom=row["chrom"],
        strand=row["strand"], tx_start=int(row["tx_start"]), tx_end=int(row["tx_end"]),
        cds_start=int(row["cds_start"]), cds_end=int(row["cds_end"]), exons=exons,
        protein_length=int(row["protein_length"]), cds_complete=row["cds_complete"] == "yes",
        protein_sha256=row["protein_sha256"] or None, source=row["source"])


@cache
def all_transcripts() -> tuple[Transcript, ...]:
    """Every bundled model (one per gene x build x contig; PAR1 genes also have a chrY copy)."""
    text = resources.files("jakcli.reference").joinpath("data/transcripts.tsv").read_text()
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t")
    if tuple(reader.fieldnames or ()) != _DATA_COLUMNS:
        raise RuntimeError("jakcli/reference/data/transcripts.tsv: unexpected columns")
    return tuple(_parse_row(r) for r in reader)


def genes() -> tuple[str, ...]:
    return tuple(sorted({t.gene for t in all_transcripts()}))


def transcript_for(gene: str, build: str, chrom: str | None = None) -> Transcript | None:
    """The MANE Select model of ``gene`` on ``build`` (the chrX copy for PAR1 genes unless ``chrom``)."""
    want = normalise_contig(chrom) if chrom else None
    for t in all_transcripts():
        if t.gene == gene and t.build == str(build) and (want is None or t.chrom == want):
            return t
    return None


def transcripts_at(build: str, chrom: str, pos: int, pad: int = 0) -> tuple[Transcript, ...]:
    """Models whose transcript span (widened by ``pad``) contains ``chrom:pos``."""
    c = normalise_contig(chrom)
    return tuple(t for t in all_transcripts() if t.build == str(build) and t.chrom == c
                 and t.tx_start - pad <= pos <= t.tx_end + pad)


@cache
def _layout(t: Transcript) -> tuple[tuple[int, ...], int, int]:
    """Transcript (n.) index of each exon's 5' base, and n. of the first and last CDS base."""
    firsts, n = [], 1
    for s, e in t.exons:
        firsts.append(n)
        n += e - s + 1
    cds5 = t.cds_start if t.strand == "+" else t.cds_end
    cds3 = t.cds_end if t.strand == "+" else t.cds_start
    return tuple(firsts), _n_of(t, firsts, cds5), _n_of(t, firsts, cds3)


def _n_of(t: Transcript, firsts, pos: int) -> int:
    for (s, e), first in zip(t.exons, firsts):
        if s <= pos <= e:
            return first + (pos - s if t.strand == "+" else e - pos)
    raise ValueError(f"{pos} is not exonic in {t}")


def _c_of_n(t: Transcript, n: int) -> CPos:
    _, n1, n2 = _layout(t)
    if n < n1:
        return CPos(n - n1)
    if n <= n2:
        return CPos(n - n1 + 1)
    return CPos(n - n2, utr3=True)


def _exon_c(t: Transcript, k: int, end: str) -> CPos:
    """c. of exon k's (0-based) 5' or 3' base in transcript terms."""
    s, e = t.exons[k]
    five, three = (s, e) if t.strand == "+" else (e, s)
    return _c_of_n(t, _n_of(t, _layout(t)[0], five if end == "5" else three))


def locate(t: Transcript, pos: int) -> Location:
    """Genomic position -> c. position, region, exon/intron number and codon (HGVS rules: intron
    offsets count from the nearest exon edge; the middle base of an odd-length intron takes +)."""
    sign = 1 if t.strand == "+" else -1
    firsts, n1, n2 = _layout(t)
    for k, (s, e) in enumerate(t.exons):
        if s <= pos <= e:
            n = firsts[k] + (pos - s if sign == 1 else e - pos)
            c = _c_of_n(t, n)
            region = "utr5" if n < n1 else ("cds" if n <= n2 else "utr3")
            codon = (c.base - 1) // 3 + 1 if region == "cds" else None
            cpos = (c.base - 1) % 3 + 1 if region == "cds" else None
            return Location(c, region, k + 1, None, codon, cpos)
    five_end = t.exons[0][0] if sign == 1 else t.exons[0][1]
    three_end = t.exons[-1][1] if sign == 1 else t.exons[-1][0]
    if (pos - five_end) * sign < 0:  # upstream of the transcript: c.-N continues the 5' numbering
        return Location(CPos(_exon_c(t, 0, "5").base - abs(pos - five_end)), "upstream", None, None, None, None)
    if (pos - three_end) * sign > 0:
        last = _exon_c(t, len(t.exons) - 1, "3")
        base = last.base + abs(pos - three_end)
        return Location(CPos(base, utr3=last.utr3), "downstream", None, None, None, None)
    return _intron_location(t, pos)


def _intron_location(t: Transcript, pos: int) -> Location:
    for k in range(len(t.exons) - 1):
        (s5, e5), (s3, e3) = t.exons[k], t.exons[k + 1]
        if t.strand == "+" and e5 < pos < s3:
            d5, d3 = pos - e5, s3 - pos
        elif t.strand == "-" and e3 < pos < s5:
            d5, d3 = s5 - pos, pos - e3
        else:
            continue
        if d5 <= d3:
            anchor = _exon_c(t, k, "3")
            c = CPos(anchor.base, d5, anchor.utr3)
        else:
            anchor = _exon_c(t, k + 1, "5")
            c = CPos(anchor.base, -d3, anchor.utr3)
        return Location(c, "intron", None, k + 1, None, None)
    raise ValueError(f"{pos} is not placed on {t}")  # unreachable for positions inside the span


def cds_positions(t: Transcript) -> list[int]:
    """Genomic position of every CDS base in c. order (c.1 first; the stop codon included)."""
    out: list[int] = []
    for s, e in t.exons:
        lo, hi = max(s, t.cds_start), min(e, t.cds_end)
        if lo > hi:
            continue
        out.extend(range(lo, hi + 1) if t.strand == "+" else range(hi, lo - 1, -1))
    return out


def genomic_position(t: Transcript, c: int) -> int:
    """c. (CDS, 1-based) -> genomic position; IndexError outside the CDS."""
    if c < 1:
        raise IndexError(f"c.{c} is outside the CDS of {t}")
    return cds_positions(t)[c - 1]


def in_coding_or_splice(t: Transcript, pos: int, end: int | None = None, margin: int = 2) -> bool:
    """Does ``pos..end`` touch a CDS base, or an intronic base within ``margin`` of the edge of an
    exon that carries CDS (the canonical splice sites with margin 2)?"""
    end = pos if end is None else end
    gen = sorted(t.exons)
    for i, (s, e) in enumerate(gen):
        lo, hi = max(s, t.cds_start), min(e, t.cds_end)
        if lo > hi:
            continue  # UTR-only exon
        if pos <= hi and end >= lo:
            return True
        if i > 0 and pos <= s - 1 and end >= max(s - margin, gen[i - 1][1] + 1):
            return True
        if i < len(gen) - 1 and pos <= min(e + margin, gen[i + 1][0] - 1) and end >= e + 1:
            return True
    return False


@dataclass(frozen=True, slots=True)
class CNotation:
    """An HGVS c. description and what was (not) done to reach it."""

    text: str  # e.g. c.1849G>T, c.1624_1629del, c.1154_1155insTTGTC
    kind: str  # substitution, delins, deletion, insertion
    start: CPos
    end: CPos
    notes: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.text


_COMP = str.maketrans("ACGTNacgtn", "TGCANtgcan")


def trim_alleles(pos: int, ref: str, alt: str) -> tuple[int, str, str]:
    """Strip the bases REF and ALT share (suffix first, then prefix), as VCF normalisers do, so a
    left-aligned indel keeps its left-most position. Returns (first differing pos, ref, alt)."""
    ref, alt = ref.upper(), alt.upper()
    while len(ref) > 0 and len(alt) > 0 and ref[-1] == alt[-1] and (len(ref) > 1 or len(alt) > 1):
        ref, alt = ref[:-1], alt[:-1]
    while ref and alt and ref[0] == alt[0]:
        ref, alt, pos = ref[1:], alt[1:], pos + 1
    return pos, ref, alt


def hgvsc(t: Transcript, chrom: str, pos: int, ref: str, alt: str) -> CNotation:
    """HGVS c. of a VCF-style allele (+ strand, possibly with an anchor base) on transcript ``t``.

    Without sequence the 3' rule can only be honoured on minus-strand genes, where a left-normalised
    VCF indel is already 3'-most in transcript terms; on plus-strand genes the description is given
    at the VCF position and a note says it was not shifted. Duplications are written as insertions
    (telling them apart needs the flanking sequence).
    """
    if normalise_contig(chrom) != t.chrom:
        raise ValueError(f"{chrom}:{pos} is not on {t}")
    p, r, a = trim_alleles(pos, ref, alt)
    if r == a:
        raise ValueError(f"{chrom}:{pos} {ref}>{alt} is not a variant")
    minus = t.strand == "-"
    r_tx = r.translate(_COMP)[::-1] if minus else r
    a_tx = a.translate(_COMP)[::-1] if minus else a
    if r:
        g1, g2 = p, p + len(r) - 1
    else:  # insertion between p-1 and p
        g1, g2 = p - 1, p
    c1, c2 = locate(t, g1).c, locate(t, g2).c
    if minus:
        c1, c2 = c2, c1
    span = str(c1) if c1 == c2 else f"{c1}_{c2}"
    notes: list[str] = []
    if len(r) == 1 and len(a) == 1:
        return CNotation(f"c.{c1}{r_tx}>{a_tx}", "substitution", c1, c2)
    if r and a:
        kind, text = "delins", f"c.{span}delins{a_tx}"
    elif r:
        kind, text = "deletion", f"c.{span}del"
    else:
        kind, text = "insertion", f"c.{span}ins{a_tx}"
        notes.append("written as an insertion: whether it duplicates the flanking bases needs the sequence")
    if kind != "delins":
        notes.append(_three_prime_note(minus))
    return CNotation(text, kind, c1, c2, tuple(notes))


def _three_prime_note(minus: bool) -> str:
    if minus:
        return "3' rule: a left-normalised VCF indel on a minus-strand gene is already 3'-most"
    return "3' rule not applied: shifting on a plus-strand gene needs the sequence (position as in the VCF)"
