"""Typed results of the engine: findings with the evidence behind them, and risk calls."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jakcli.model.vocabulary import Level


def gene_and_alteration(gene: str, alteration: str) -> str:
    """``JAK2 p.V617F``; an alteration that already names its gene (``JAK2 exon 12 in-frame
    deletion``, ``IGH::CRLF2 rearrangement``) is not prefixed again."""
    named = gene and re.search(rf"(?<![A-Za-z0-9]){re.escape(gene)}(?![A-Za-z0-9])", alteration)
    return alteration if named else f"{gene} {alteration}".strip()


@dataclass(frozen=True, slots=True)
class Evidence:
    """One call that supports a finding: an RNA fusion call, a DNA SV junction or a copy-number segment.

    ``kind`` is ``RNA``, ``DNA`` or ``copy-number``; the fields that do not apply to a kind are ``None`` and are left
    out of :meth:`to_dict`, whose keys keep the report's order for each kind.
    """

    kind: str
    caller: str
    file: str
    supporting_reads: int | None
    read_detail: str
    line: int | None = None  # RNA: line of the fusion table
    fusion: str | None = None  # RNA: partners as written
    breakpoint5: str | None = None
    breakpoint3: str | None = None
    confidence: str | None = None
    record: str | None = None  # DNA: record number(s) and ID(s)
    svtype: str | None = None
    breakends: str | None = None
    filter: str | None = None
    segment: str | None = None  # copy-number: CHROM:START-END (1-based inclusive) as the file names the contig
    log2: float | None = None  # copy-number: the segment's log2 ratio as written
    copy_number: float | None = None  # copy-number: absolute copies as written (or derived, e.g. nMajor+nMinor)
    state: str | None = None  # copy-number: deep_loss/loss/gain/amplification and the measure it was called on
    genes: str | None = None  # copy-number: the target's genes
    exons: str | None = None  # copy-number: exons of the target the segment overlaps
    focal: bool | None = None  # copy-number: no longer than half its chromosome arm (None: arm unknown)
    matched_rule: str | None = None  # copy-number: the copy-number rule that judged this segment

    @property
    def where(self) -> str:
        """``file:line N`` or ``file:record``, for a finding's ``source``."""
        return f"{self.file}:" + (f"line {self.line}" if self.line is not None else str(self.record))

    def to_dict(self) -> dict:
        keys = (_RNA_KEYS if self.kind == "RNA" else _READS_KEYS if self.kind == "READS"
                else _CN_KEYS if self.kind == "copy-number" else _DNA_KEYS)
        out: dict = {"evidence": self.kind}
        out.update((k, getattr(self, k)) for k in keys)
        return out


_RNA_KEYS = ("caller", "file", "line", "fusion", "breakpoint5", "breakpoint3", "supporting_reads", "read_detail",
             "confidence")
_DNA_KEYS = ("caller", "file", "record", "svtype", "breakends", "supporting_reads", "read_detail", "filter")
_READS_KEYS = ("caller", "file", "supporting_reads", "read_detail")  # hotspot counts from BAM/CRAM (issue 16)
_CN_KEYS = ("caller", "file", "line", "segment", "log2", "copy_number", "state", "genes", "exons", "focal",
            "matched_rule")


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
    chrom: str | None  # None for an RNA-only rearrangement
    pos: int | None
    ref: str | None  # None for rearrangements
    alt: str | None
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
    evidence: tuple[Evidence, ...] = ()  # rearrangements: one entry per supporting call (RNA or DNA)
    transcript: str | None = None  # MANE Select accession (small variants in the bundled genes)
    hgvsc: str | None = None
    hgvsp: str | None = None
    hgvsp_reason: str | None = None  # why hgvsp is null
    basis: str = "rule"  # "rule" (a hand-written rule) or "catalogue" (a curated catalogue entry alone)
    catalogue: dict | None = None  # the catalogue entries of the same change: ids, sources, evidence
    tier: dict | None = None  # AMP/ASCO/CAP (somatic) or ACMG/AMP (germline) under the active profile
    merged: str | None = None  # how a split MNV was merged from several records

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
            "evidence": [e.to_dict() for e in self.evidence],
            "transcript": self.transcript,
            "hgvsc": self.hgvsc,
            "hgvsp": self.hgvsp,
            "hgvsp_reason": self.hgvsp_reason,
            "basis": self.basis,
            "catalogue": self.catalogue,
            "tier": self.tier,
            "merged": self.merged,
        }


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
