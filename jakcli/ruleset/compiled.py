"""Compiled rules and profiles: what the engine and the risk layer read (built once at load time)."""

from __future__ import annotations

from dataclasses import dataclass, field

from jakcli.model import Build, Level


@dataclass(frozen=True, slots=True)
class AlleleSite:
    contig: str
    min_pos: int
    min_ref: str
    min_alt: str
    text: str  # as written in the rule, for explanations


@dataclass(frozen=True, slots=True)
class AlleleMatcher:
    name: str
    hgvsc: str | None
    sites: dict  # Build -> tuple[AlleleSite, ...]


@dataclass(frozen=True, slots=True)
class CodonMatcher:
    residue: str
    ref_aa: str
    codon_no: int
    strand: str
    ref_codon: str
    alt_aa: frozenset | None  # None = any missense
    sites: dict  # Build -> tuple[(contig, (p1, p2, p3)), ...]


@dataclass(frozen=True, slots=True)
class RegionMatcher:
    name: str
    strand: str
    cds_start: int
    classes: frozenset
    named: tuple  # AlleleMatcher, ...
    name_inserted: frozenset
    intervals: dict  # Build -> tuple[(contig, start, end), ...]


@dataclass(frozen=True, slots=True)
class FusionSide:
    """One partner of a fusion rule: names for RNA calls, strand and windows for coordinates."""

    genes: tuple  # normalised symbols; "*" = any partner
    strand: str | None
    window: str | None  # the windows described in words
    windows: dict  # Build -> ((contig, start, end), ...), empty when the rule names no window

    @property
    def any_gene(self) -> bool:
        return "*" in self.genes

    def contains(self, build: Build, contig: str, pos: int) -> bool:
        return any(c == contig and s <= pos <= e for c, s, e in self.windows.get(build, ()))


@dataclass(frozen=True, slots=True)
class FusionMatcher:
    five_prime: FusionSide
    three_prime: FusionSide
    dna_orientation: str  # "transcript" | "any"
    min_supporting_reads: int
    exclude_confidence: frozenset


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    version: int
    aliases: tuple
    title: str
    gene: str
    input_class: str
    origin: str
    classification: str
    floor_vaf: float
    min_reads: int
    references: tuple
    therapies: tuple
    alleles: tuple
    codons: tuple
    regions: tuple
    fusion: FusionMatcher | None
    path: str
    ruleset: str
    doc: dict = field(compare=False, repr=False)
    min_alt_reads: int = 0  # issue 16: calls with fewer alt reads are counted, not reported
    min_depth: int = 0  # issue 16: a locus without a call is assessed at this depth or more
    copy_number: dict | None = None  # the match.copy_number block (engine/copynumber.py reads it)
    lesion: str | None = None  # copy-number rules: the rearrangement rule whose lesion they join

    @property
    def expected_proteins(self) -> set[str]:
        """Protein changes this rule names, for cross-checking annotations."""
        out = {a.name for a in self.alleles if a.name.startswith("p.")}
        return out


@dataclass(frozen=True, slots=True)
class Condition:
    """``any_of`` rule ids (resolved, aliases followed), optionally at ``min_vaf``; or ``all_of``."""

    any_of: tuple[str, ...] = ()
    min_vaf: float | None = None
    all_of: tuple[Condition, ...] = ()
    none_of: tuple[str, ...] = ()  # rules that must be assessed and absent


@dataclass(frozen=True, slots=True)
class Tier:
    level: Level
    label: str
    when: Condition


@dataclass(frozen=True, slots=True)
class SampleStatus:
    """A per-sample word computed from which rules fired (e.g. ``driver_status``)."""

    name: str
    rules: tuple[str, ...]
    none_value: str


@dataclass(frozen=True, slots=True)
class BurdenClasses:
    """Allele-burden classes of the highest VAF among ``rules``, highest ``min_vaf`` first."""

    name: str
    rules: tuple[str, ...]
    classes: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class Profile:
    id: str
    version: int
    doc: dict
    path: str
    tiers: tuple[Tier, ...] = ()
    default_label: str = ""
    status: SampleStatus | None = None
    burden: BurdenClasses | None = None


@dataclass(frozen=True)
class Ruleset:
    rules: dict  # id -> Rule, in id order
    profiles: dict  # id -> Profile
    sources: tuple  # ({"name", "version", "path"}, ...)
    version: str
    digest: str
    aliases: dict = field(default_factory=dict)  # id or alias -> id

    def resolve(self, rule_id: str) -> str:
        return self.aliases.get(rule_id, rule_id)

    def by_input(self, input_class: str) -> list[Rule]:
        return [r for r in self.rules.values() if r.input_class == input_class]

    @property
    def preferred_transcripts(self) -> frozenset[str]:
        """Unversioned transcript ids the rules name (MANE/canonical), to pick annotations by."""
        return frozenset(t.split(".")[0] for r in self.rules.values()
                         for t in (r.doc.get("transcript") or {}).values() if isinstance(t, str))

    def to_provenance(self) -> dict:
        return {"version": self.version, "digest": self.digest,
                "sources": [dict(s) for s in self.sources]}
