"""Typed records that readers produce: small-variant alleles and genotypes, fusion calls and SV
junctions. pysam objects never appear here.

Conventions: ``pos`` is 1-based; one ALT per :class:`Variant`; ``vaf`` is a fraction in 0-1;
``chrom`` keeps the spelling of the input file while ``contig`` is the normalised name (no ``chr``
prefix, ``MT`` for mitochondria).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ProteinAnnotation:
    """One transcript consequence from VEP CSQ or SnpEff ANN, for one ALT allele."""

    gene: str
    transcript: str
    hgvsc: str
    hgvsp: str  # as written in the file, e.g. "ENSP00000371067.4:p.Val617Phe"
    protein_change: str | None  # normalised one-letter form, e.g. "p.V617F"
    consequence: str
    preferred: bool  # MANE Select / canonical / pick flag


@dataclass(frozen=True, slots=True)
class Variant:
    """One ALT allele of one VCF record, trimmed to its minimal representation for matching.

    ``pos``/``ref``/``alt`` are the record's own values (ALT split out); ``min_pos``/``min_ref``/
    ``min_alt`` drop the bases shared by REF and ALT (an empty string for a pure insertion or
    deletion), which makes padded and unpadded spellings of the same allele compare equal.
    """

    chrom: str
    contig: str
    pos: int
    ref: str
    alt: str
    allele_index: int
    filter: str
    record_no: int
    source: str
    min_pos: int
    min_ref: str
    min_alt: str
    annotations: tuple[ProteinAnnotation, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.chrom}:{self.pos}:{self.ref}>{self.alt}"

    @property
    def kind(self) -> str:
        """``snv``, ``mnv``, ``insertion``, ``deletion`` or ``delins`` (from the minimal form)."""
        r, a = len(self.min_ref), len(self.min_alt)
        if r == a:
            return "snv" if r == 1 else "mnv"
        if r == 0:
            return "insertion"
        if a == 0:
            return "deletion"
        return "delins"

    @property
    def length_change(self) -> int:
        return len(self.min_alt) - len(self.min_ref)


@dataclass(frozen=True, slots=True)
class SampleCall:
    """What one sample's FORMAT fields say about one ALT allele."""

    sample: str
    carries: bool
    genotype: str
    vaf: float | None
    vaf_source: str | None  # "AD", "AF", "VAF", "FREQ", "tier-counts" (see readers.records) or None
    depth: int | None
    alt_reads: int | None
    vaf_note: str | None = None  # why vaf is null
    phase_set: str | None = None  # FORMAT PS (or PID), for merging split MNVs
    phased_gt: str | None = None  # the phased genotype (GT with |, or PGT), for merging split MNVs
    sample_filter: str | None = None  # FORMAT FT when it is not PASS: the caller filtered this genotype


@dataclass(frozen=True, slots=True)
class SiteMatch:
    """A rule matched a variant at site level (before genotypes are looked at)."""

    rule_id: str
    alteration: str
    matched_by: str  # e.g. "allele 9:5073770:G>T (GRCh38)", "codon R683 AGA>GGA"
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Breakend:
    """One side of a rearrangement. ``keeps`` (DNA junctions only) says which part of the
    chromosome stays in the rearranged molecule: ``left`` = the bases up to ``pos``,
    ``right`` = the bases from ``pos`` on."""

    chrom: str
    contig: str
    pos: int
    keeps: str | None = None

    @property
    def label(self) -> str:
        return f"{self.chrom}:{self.pos}"


@dataclass(frozen=True, slots=True)
class FusionCall:
    """One RNA fusion call, oriented 5' -> 3' as the caller reports it (``oriented`` False when
    the caller could not tell which gene is 5')."""

    sample: str | None
    genes5: tuple[str, ...]  # normalised symbols (Arriba intergenic calls list several)
    genes3: tuple[str, ...]
    name5: str  # as written in the file
    name3: str
    bp5: Breakend | None
    bp3: Breakend | None
    reads: int | None  # split + spanning support, None when the file gives none
    read_detail: str
    confidence: str | None
    oriented: bool
    event_type: str | None  # caller's own type (translocation, deletion, 5'-5', ...)
    caller: str
    source: str
    line: int


@dataclass(frozen=True, slots=True)
class SvJunction:
    """One DNA adjacency from an SV VCF: a BND mate pair, or a DEL/DUP/INV record."""

    sample: str
    a: Breakend
    b: Breakend
    svtype: str
    reads: int | None
    read_detail: str
    filter: str
    caller: str
    source: str
    record: str  # record number(s) and ID(s), for the report


