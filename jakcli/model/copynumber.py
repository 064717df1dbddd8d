"""Copy-number records: one segment of a caller's file, a parsed file, and the sex vocabulary
(the expected copies of chrX/chrY depend on it)."""

from __future__ import annotations

from dataclasses import dataclass, field

from jakcli.model.vocabulary import Build

SEXES = ("female", "male")


@dataclass(frozen=True, slots=True)
class Segment:
    """One segment; ``start``/``end`` 1-based inclusive, ``chrom`` as written, ``contig`` normalised."""

    sample: str | None
    chrom: str
    contig: str
    start: int
    end: int
    log2: float | None
    copy_number: float | None
    points: int | None
    call: str | None
    source: str
    line: int


@dataclass(frozen=True)
class CopyNumberFile:
    """A parsed file: segments plus what the file itself says about the sample."""

    path: str
    format: str  # cnvkit, gatk, seg, purple, ascat, generic
    version: str  # e.g. cns, cnr, call.cns, modelFinal, cr, called, somatic, gene, dnacopy, igv
    segments: tuple[Segment, ...]
    coordinates: str  # the file's own convention, for the report
    purity: float | None = None
    ploidy: float | None = None
    sex: str | None = None  # 'female' / 'male' when the file (or its PURPLE purity file) says
    facts_source: str | None = None  # where purity/ploidy/sex were read
    build: Build | None = None
    build_reason: str = "the file does not name a build"
    skipped: dict[str, int] = field(default_factory=dict)

    def samples(self) -> tuple[str | None, ...]:
        return tuple(dict.fromkeys(s.sample for s in self.segments))

    def by_sample(self) -> dict[str | None, tuple[Segment, ...]]:
        out: dict[str | None, list[Segment]] = {}
        for s in self.segments:
            out.setdefault(s.sample, []).append(s)
        return {k: tuple(v) for k, v in out.items()}


def normalise_sex(value: str | None) -> str | None:
    """'MALE'/'M'/'male'/'y' -> 'male'; 'FEMALE'/'F'/'x' -> 'female'; anything else -> None."""
    v = (value or "").strip().lower()
    if v in ("male", "m", "y", "xy"):
        return "male"
    if v in ("female", "f", "x", "xx"):
        return "female"
    return None
