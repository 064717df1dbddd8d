"""Rule loci and how each was assessed in one sample (issue 16): the ``Locus`` record readers
genotype and measure, and the ``LocusStatus`` vocabulary with its one decision rule."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum


class LocusStatus(StrEnum):
    """How a rule locus was assessed in one sample (strongest first)."""

    ASSESSED = "assessed"  # depth at or above the rule's min_depth (or callable, depth unknown)
    LOW_COVERAGE = "low-coverage"  # some depth, below min_depth
    NOT_ASSESSED = "not-assessed"  # no reads, outside the callable/target/restricted regions
    NO_DEPTH_EVIDENCE = "no-depth-evidence"  # plain VCF, no depth source: absence is assumed

    def __str__(self) -> str:
        return self.value


def status_for(depth: int | None, min_depth: int, callable_: bool | None = None,
               restricted: bool = False) -> LocusStatus:
    """Status of one locus in one sample.

    ``restricted``: the locus lies outside what the input was restricted to (``--targets``, a
    ``bcftools view -r`` / GATK ``-L`` in the header) -> not assessed, whatever else is known.
    ``callable_``: from a callable-regions BED (True inside, False outside) when no depth is known.
    Depth 0 means the source looked and saw nothing: not assessed, never "absent".
    """
    if restricted:
        return LocusStatus.NOT_ASSESSED
    if depth is None:
        if callable_ is None:
            return LocusStatus.NO_DEPTH_EVIDENCE
        return LocusStatus.ASSESSED if callable_ else LocusStatus.NOT_ASSESSED
    if depth <= 0:
        return LocusStatus.NOT_ASSESSED
    if depth < min_depth:
        return LocusStatus.LOW_COVERAGE
    return LocusStatus.ASSESSED


@dataclass(frozen=True, slots=True)
class Locus:
    """One place a rule looks, in one build. ``start``-``end`` (1-based, inclusive) is the span
    reported and used for depth; an insertion spans the two bases around it.

    kind ``allele``: ``pos``/``ref``/``alt`` are the minimal form (``ref`` "" = insertion before
    ``pos``); ``codon``: ``positions`` in coding order on ``strand``, ``ref_codon`` coding-strand
    bases; ``region``: depth only.
    """

    key: str
    rule_id: str
    gene: str
    kind: str
    name: str
    contig: str
    start: int
    end: int
    pos: int = 0
    ref: str = ""
    alt: str = ""
    positions: tuple = ()
    strand: str = "+"
    ref_codon: str = ""

    @property
    def label(self) -> str:
        return f"{self.contig}:{self.start}-{self.end}"


def allele_locus(rule_id: str, gene: str, name: str, contig: str, pos: int, ref: str, alt: str) -> Locus:
    """An allele locus from its minimal form (see ``ruleset.minimal_form``)."""
    start, end = (pos, pos + len(ref) - 1) if ref else (pos - 1, pos)
    key = f"{rule_id}:{contig}:{pos}:{ref or '-'}>{alt or '-'}"
    return Locus(key, rule_id, gene, "allele", name, contig, start, end, pos, ref, alt)


@dataclass(frozen=True, slots=True)
class LocusResult:
    """How one rule locus was assessed in one sample: the ``samples[].loci[]`` entry of a report."""

    locus: Locus
    status: LocusStatus
    depth: int | None  # reads (or the coverage source's depth) at the locus; None when unknown
    detection_limit_vaf: float | None  # 95% detection limit given the floors; None when unknown
    source: str  # alignments | gvcf | coverage | targets | vcf-header | vcf | fusions | sv | none
    # (also vcf-call, vcf-record, vcf+vcf-record: a reported call / a record at the locus)
    note: str | None = None  # why not assessed, or what the source said

    def to_dict(self) -> dict:
        return {"rule_id": self.locus.rule_id, "gene": self.locus.gene, "name": self.locus.name,
                "kind": self.locus.kind, "locus": self.locus.label, "status": self.status.value,
                "depth": self.depth,
                "detection_limit_vaf": None if self.detection_limit_vaf is None else _ceil5(self.detection_limit_vaf),
                "source": self.source, "note": self.note}


def _ceil5(v: float) -> float:
    """A detection limit to 5 decimals, rounded up (never a lower VAF than the binomial allows)."""
    return math.ceil(round(v * 1e5, 6)) / 1e5
