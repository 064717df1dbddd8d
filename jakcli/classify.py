"""The library API: classify VCF inputs into a per-sample report (a plain dict, schema_version 1).

This module wires readers, the engine and the risk layer together; it decides nothing clinical
itself. Every record read is either evaluated or counted under ``stats.skipped``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from jakcli import __version__
from jakcli.engine import SiteIndex, annotation_only_warnings, below_floor, make_finding
from jakcli.errors import DataQualityError, InputError
from jakcli.genome import check_declared_build, detect_build, normalise_contig
from jakcli.model import Build, Finding
from jakcli.risk import INPUT_CLASS_NAMES, assess
from jakcli.ruleset import Ruleset, load_ruleset
from jakcli.vcf import VcfReader

SCHEMA_VERSION = 1
MAX_WARNINGS_LISTED = 50


@dataclass
class Options:
    build: str = "auto"
    samples: tuple = ()
    profile: str = "b-all"
    min_vaf: float | None = None
    include_filtered: bool = False
    strict: bool = False


@dataclass
class _Stats:
    records_read: int = 0
    records_evaluated: int = 0
    skipped: Counter = field(default_factory=Counter)
    alleles_skipped: Counter = field(default_factory=Counter)
    alleles_evaluated: int = 0
    calls_below_floor: int = 0
    findings_without_vaf: int = 0

    def to_dict(self) -> dict:
        return {"records_read": self.records_read, "records_evaluated": self.records_evaluated,
                "skipped": dict(sorted(self.skipped.items())),
                "alleles_evaluated": self.alleles_evaluated,
                "alleles_skipped": dict(sorted(self.alleles_skipped.items())),
                "calls_below_floor": self.calls_below_floor,
                "findings_without_vaf": self.findings_without_vaf}


class _Warnings:
    """Bounded warnings: every one is counted, the first few are listed; --strict makes them fatal."""

    def __init__(self, strict: bool):
        self.strict = strict
        self.listed: list[str] = []
        self.count = 0

    def add(self, message: str) -> None:
        if self.strict:
            raise DataQualityError(f"{message} (--strict makes data-quality warnings errors)")
        self.count += 1
        if message not in self.listed and len(self.listed) < MAX_WARNINGS_LISTED:
            self.listed.append(message)

    def to_list(self) -> list[str]:
        extra = self.count - len(self.listed)
        return self.listed + ([f"... {extra} further warnings suppressed"] if extra > 0 else [])


def _resolve_build(readers: list[VcfReader], requested: str) -> tuple[Build, str]:
    if requested != "auto":
        build = Build(requested)
        for r in readers:
            check_declared_build(build, r.header.lines, r.header.contigs, r.display)
        return build, "given with --build"
    found: dict[Build, str] = {}
    for r in readers:
        ev = detect_build(r.header.lines, r.header.contigs, r.display)
        if ev.build is None:
            raise InputError(f"{r.display}: cannot determine the genome build ({ev.reason}); "
                             "pass --build GRCh37 or --build GRCh38")
        found.setdefault(ev.build, f"{r.display}: {ev.reason}")
    if len(found) > 1:
        a, b = found.values()
        raise InputError(f"inputs disagree on the genome build ({a}; {b}); classify each build separately")
    ((build, reason),) = found.items()
    return build, reason


def _select_samples(readers: list[VcfReader], wanted: tuple) -> list[str]:
    order: list[str] = []
    for r in readers:
        if not r.header.samples:
            raise InputError(f"{r.display}: the VCF has no sample columns (sites-only); jakcli reports "
                             "per sample, so give it a VCF with genotype columns")
        for s in r.header.samples:
            if s not in order:
                order.append(s)
    if not wanted:
        return order
    missing = [s for s in wanted if s not in order]
    if missing:
        shown = ", ".join(order[:10]) + (" ..." if len(order) > 10 else "")
        raise InputError(f"sample '{missing[0]}' is not in the input (samples: {shown}); "
                         "check --sample against the VCF header")
    return list(dict.fromkeys(wanted))


def _finding_key(f: Finding):
    return (f.gene, f.rule_id, normalise_contig(f.chrom), f.pos, f.ref, f.alt)


def classify(vcfs: list[str], options: Options | None = None, rule_dirs: list | None = None,
             ruleset: Ruleset | None = None) -> dict:
    """Classify ``vcfs`` (paths; ``-`` = stdin) and return the report dict."""
    opts = options or Options()
    rs = ruleset or load_ruleset(rule_dirs)
    if opts.profile not in rs.profiles:
        raise InputError(f"unknown risk profile '{opts.profile}' (available: {', '.join(rs.profiles)}); "
                         "pass --profile with one of these")
    if not vcfs:
        raise InputError("no input: give at least one VCF/BCF path (or - for stdin)")
    if list(vcfs).count("-") > 1:
        raise InputError("standard input (-) can be given only once")

    preferred = frozenset(
        t.split(".")[0] for r in rs.rules.values() for t in (r.doc.get("transcript") or {}).values()
        if isinstance(t, str))
    readers: list[VcfReader] = []
    try:
        for path in vcfs:
            readers.append(VcfReader(str(path), preferred))
        build, build_reason = _resolve_build(readers, opts.build)
        samples = _select_samples(readers, tuple(opts.samples))
        warnings = _Warnings(opts.strict)
        for r in readers:
            for w in r.header.warnings:
                warnings.add(w)
        index = SiteIndex(rs.rules.values(), build)
        sv_rules = rs.by_input("small-variant")
        stats = _Stats()
        per_sample: dict[str, dict] = {s: {} for s in samples}
        covered: dict[str, set[str]] = {s: set() for s in samples}
        below: Counter = Counter()
        for reader in readers:
            mine = [s for s in samples if s in reader.header.samples]
            declared = {normalise_contig(c) for c in reader.header.contigs}
            for s in mine:
                covered[s] |= declared if declared else {"*"}
            if not declared:
                warnings.add(f"{reader.display}: the header declares no ##contig lines, so jakcli cannot "
                             "check that the JAK-STAT loci were covered; absent calls are taken as assessed")
            for raw in reader.fetch():
                stats.records_read += 1
                if not opts.include_filtered and not raw.passes():
                    stats.skipped["filtered"] += 1
                    continue
                variants, skipped = raw.variants()
                stats.alleles_skipped.update(skipped)
                if not variants:
                    stats.skipped[next(iter(skipped), "no_alt")] += 1
                    continue
                stats.records_evaluated += 1
                for v in variants:
                    stats.alleles_evaluated += 1
                    matches, notes = index.match(v)
                    for n in notes:
                        warnings.add(n)
                    if v.annotations:
                        for n in annotation_only_warnings(v, sv_rules, {m.rule_id for m in matches}):
                            warnings.add(n)
                    if not matches or not mine:
                        continue
                    calls = raw.calls(v.allele_index, mine)
                    for m in matches:
                        rule = rs.rules[m.rule_id]
                        for call in calls:
                            if not call.carries:
                                continue
                            if below_floor(call, rule, opts.min_vaf):
                                stats.calls_below_floor += 1
                                below[call.sample] += 1
                                continue
                            f = make_finding(v, m, call, rule)
                            if f.vaf is None:
                                stats.findings_without_vaf += 1
                                warnings.add(f"{v.source}: record {v.record_no} ({v.label}): sample "
                                             f"{call.sample}: {rule.id} reported with unknown VAF "
                                             f"({call.vaf_note})")
                            per_sample[call.sample].setdefault(_finding_key(f), f)
    finally:
        for r in readers:
            r.close()

    profile = rs.profiles[opts.profile]
    supplied = {"small-variant"}
    out_samples = []
    for s in samples:
        findings = sorted(per_sample[s].values(), key=_finding_key)
        unassessed, not_assessed = _unassessed(rs, index, supplied, covered[s])
        risk = assess(findings, profile, rs, unassessed, not_assessed)
        out_samples.append({"sample": s, "findings": [f.to_dict() for f in findings],
                            "calls_below_floor": below[s], "risk": risk.to_dict()})
    return {
        "schema_version": SCHEMA_VERSION,
        "jakcli_version": __version__,
        "ruleset": rs.to_provenance(),
        "genome_build": build.value,
        "genome_build_evidence": build_reason,
        "profile": {"id": profile.id, "version": profile.version},
        "options": {"min_vaf": opts.min_vaf, "include_filtered": opts.include_filtered,
                    "samples": list(opts.samples), "strict": opts.strict},
        "inputs": [{"path": r.display, "kind": "vcf", "sha256": r.sha256} for r in readers],
        "samples": out_samples,
        "stats": stats.to_dict(),
        "warnings": warnings.to_list(),
    }


def _unassessed(rs: Ruleset, index: SiteIndex, supplied: set[str], covered: set[str]):
    """Rules that could not be evaluated for a sample, and the words that say why."""
    unassessed: set[str] = set()
    words: list[str] = []
    for cls, names in INPUT_CLASS_NAMES.items():
        if cls not in supplied and rs.by_input(cls):
            unassessed |= {r.id for r in rs.by_input(cls)}
            words += names
    if "*" not in covered:
        missing_genes: dict[str, set[str]] = {}
        for contig, entries in index.by_contig.items():
            if contig not in covered:
                for e in entries:
                    unassessed.add(e.rule.id)
                    missing_genes.setdefault(e.rule.gene, set()).add(contig)
        for gene in sorted(missing_genes):
            contigs = ",".join(sorted(missing_genes[gene]))
            words.append(f"{gene} (chromosome {contigs} not in the input)")
    return unassessed, words
