"""Typed, immutable records passed between readers, the engine, the risk layer and writers.

Conventions: ``pos`` is 1-based; one ALT per :class:`Variant`; ``vaf`` is a fraction in 0-1;
builds are named ``GRCh37`` / ``GRCh38``; ``chrom`` keeps the spelling of the input file while
``contig`` is the normalised name (no ``chr`` prefix, ``MT`` for mitochondria).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Build(str, Enum):
    GRCH37 = "GRCh37"
    GRCH38 = "GRCh38"

    def __str__(self) -> str:  # click and f-strings show the plain name
        return self.value


class Level(str, Enum):
    """Risk levels, ordered from most to least severe (``not-assessable`` is outside the order)."""

    HIGH = "high"
    INTERMEDIATE = "intermediate"
    INFORMATIONAL = "informational"
    NONE_DETECTED = "none-detected"
    NOT_ASSESSABLE = "not-assessable"

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self]


_LEVEL_RANK = {
    Level.HIGH: 3,
    Level.INTERMEDIATE: 2,
    Level.INFORMATIONAL: 1,
    Level.NONE_DETECTED: 0,
    Level.NOT_ASSESSABLE: -1,
}


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
    vaf_source: str | None  # "AD", "AF", "FREQ", "tier-counts" or None
    depth: int | None
    alt_reads: int | None
    vaf_note: str | None = None  # why vaf is null


@dataclass(frozen=True, slots=True)
class SiteMatch:
    """A rule matched a variant at site level (before genotypes are looked at)."""

    rule_id: str
    alteration: str
    matched_by: str  # e.g. "allele 9:5073770:G>T (GRCh38)", "codon R683 AGA>GGA"
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    """A reported alteration in one sample, explained by the rule that produced it."""

    sample: str
    rule_id: str
    rule_version: int
    gene: str
    alteration: str
    origin: str
    classification: str
    input_class: str
    chrom: str
    pos: int
    ref: str
    alt: str
    vaf: float | None
    vaf_source: str | None
    depth: int | None
    alt_reads: int | None
    genotype: str
    filter: str
    matched_by: str
    references: tuple[str, ...]
    therapies: tuple[dict, ...]
    source: str
    notes: tuple[str, ...] = ()
    evidence: tuple[dict, ...] = ()  # rearrangements: one entry per supporting call (RNA or DNA)

    def to_dict(self) -> dict:
        return {
            "rule_id": self.rule_id,
            "rule_version": self.rule_version,
            "gene": self.gene,
            "alteration": self.alteration,
            "origin": self.origin,
            "classification": self.classification,
            "chrom": self.chrom,
            "pos": self.pos,
            "ref": self.ref,
            "alt": self.alt,
            "vaf": None if self.vaf is None else round(self.vaf, 4),
            "vaf_source": self.vaf_source,
            "depth": self.depth,
            "alt_reads": self.alt_reads,
            "genotype": self.genotype,
            "filter": self.filter,
            "matched_by": self.matched_by,
            "source": self.source,
            "references": list(self.references),
            "therapies": [dict(t) for t in self.therapies],
            "notes": list(self.notes),
            "evidence": [dict(e) for e in self.evidence],
        }


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


@dataclass(frozen=True, slots=True)
class RiskCall:
    profile: str
    level: Level
    worst_case_level: Level
    label: str
    rationale: tuple[str, ...]
    not_assessed: tuple[str, ...]
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        out = {
            "profile": self.profile,
            "level": self.level.value,
            "worst_case_level": self.worst_case_level.value,
            "label": self.label,
            "rationale": list(self.rationale),
            "not_assessed": list(self.not_assessed),
        }
        out.update(self.extra)
        return out
