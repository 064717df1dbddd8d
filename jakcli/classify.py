"""The library API: classify VCF, fusion-table and SV-VCF inputs into a per-sample report
(a plain dict, schema_version 1).

This module wires readers, the engines and the risk layer together; it decides nothing clinical
itself. Every record read is either evaluated or counted under ``stats.skipped`` (small variants)
or ``stats.rearrangements.skipped`` (fusion calls and SV records).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from jakcli import __version__
from jakcli.engine.small_variants import SiteIndex, annotation_only_warnings, below_floor, make_finding
from jakcli.errors import DataQualityError, InputError
from jakcli.reference.genome import check_declared_build, detect_build, normalise_contig
from jakcli.model import Build, Finding
from jakcli.engine.risk import INPUT_CLASS_NAMES, assess
from jakcli.ruleset.loader import Ruleset, load_ruleset
from jakcli.readers.vcf import VcfReader

if TYPE_CHECKING:
    from jakcli.readers.fusions import FusionTable
    from jakcli.readers.svvcf import SvFile

SCHEMA_VERSION = 1
MAX_WARNINGS_LISTED = 50
TARGET_PADDING = 25  # bases around every rule locus: keeps the anchor base of indels at an exon edge


@dataclass
class Options:
    build: str = "auto"
    samples: tuple = ()
    profile: str = "b-all"
    min_vaf: float | None = None
    include_filtered: bool = False
    strict: bool = False
    min_fusion_reads: int | None = None  # replaces every fusion rule's evidence floor (and its confidence exclusions)
    rename: tuple = ()  # (VCF sample column, report name) pairs, e.g. (("TUMOR", "PT-0042"),)


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


def _resolve_build(readers: list[VcfReader], requested: str, fusion_tables: bool = False) -> tuple[Build, str]:
    if requested == "auto" and not readers:
        raise InputError("fusion tables do not record the genome build and no VCF was given to read it "
                         "from; pass --build GRCh37 or --build GRCh38" if fusion_tables else
                         "cannot determine the genome build without a VCF; pass --build")
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


def _vcf_samples(readers: list[VcfReader], rename: dict[str, str]) -> list[str]:
    """Report names of the VCF sample columns, in order (``rename`` maps a column to its name)."""
    order: list[str] = []
    for r in readers:
        if not r.header.samples:
            raise InputError(f"{r.display}: the VCF has no sample columns (sites-only); jakcli reports "
                             "per sample, so give it a VCF with genotype columns")
        for s in r.header.samples:
            name = rename.get(s, s)
            if name not in order:
                order.append(name)
    taken = {}
    for r in readers:
        for s in r.header.samples:
            name = rename.get(s, s)
            if taken.setdefault((r.display, name), s) != s:
                raise InputError(f"{r.display}: columns '{taken[(r.display, name)]}' and '{s}' would both be "
                                 f"reported as '{name}'; rename one of them differently")
    return order


def _select(found: list[str], wanted: tuple) -> list[str]:
    if not wanted:
        return found
    missing = [s for s in wanted if s not in found]
    if missing:
        shown = ", ".join(found[:10]) + (" ..." if len(found) > 10 else "")
        raise InputError(f"sample '{missing[0]}' is not in the input (samples: {shown or 'none'}); "
                         "check --sample against the VCF header and the SAMPLE= of --fusions/--sv")
    return list(dict.fromkeys(wanted))


def split_input_spec(spec: str) -> tuple[str | None, str]:
    """``SAMPLE=PATH`` or ``PATH`` (a path that exists wins, so file names may contain '=')."""
    if "=" in spec and not Path(spec).exists():
        sample, path = spec.split("=", 1)
        if not sample or not path:
            raise InputError(f"'{spec}': expected SAMPLE=PATH or PATH")
        return sample, path
    return None, spec


def _finding_key(f: Finding):
    """Sort/dedup key; rearrangements (no REF/ALT) key on their alteration instead."""
    if f.ref is None:
        return (f.gene, f.rule_id, "", 0, f.alteration, "")
    return (f.gene, f.rule_id, normalise_contig(f.chrom), f.pos, f.ref, f.alt)


def classify(vcfs: list[str], options: Options | None = None, rule_dirs: list | None = None,
             ruleset: Ruleset | None = None, fusions: list[str] = (), svs: list[str] = (),
             notify=None) -> dict:
    """Classify inputs and return the report dict.

    ``vcfs``: small-variant VCF/BCF paths (``-`` = stdin). ``fusions`` / ``svs``: RNA fusion tables
    and DNA SV VCFs as ``[SAMPLE=]PATH`` strings. Any one kind of input is enough. ``notify``
    (optional, e.g. a stderr printer) receives advice that is not part of the report, such as
    "index this file".
    """
    opts = options or Options()
    if not vcfs and not fusions and not svs:
        raise InputError("no input: give at least one VCF/BCF path (or - for stdin), --fusions or --sv")
    specs_fusion = [split_input_spec(x) for x in fusions]
    specs_sv = [split_input_spec(x) for x in svs]
    if [*vcfs, *(p for _s, p in specs_fusion), *(p for _s, p in specs_sv)].count("-") > 1:
        raise InputError("standard input (-) can be given only once")

    readers: list[VcfReader] = []
    sv_readers: list[tuple[str | None, VcfReader]] = []
    try:
        # inputs are opened first: their checksums are computed in the background meanwhile
        for path in vcfs:
            readers.append(VcfReader(str(path)))
        for sample, path in specs_sv:
            sv_readers.append((sample, VcfReader(path)))
        rs = ruleset or load_ruleset(rule_dirs)
        if opts.profile not in rs.profiles:
            raise InputError(f"unknown risk profile '{opts.profile}' (available: {', '.join(rs.profiles)}); "
                             "pass --profile with one of these")
        preferred = frozenset(
            t.split(".")[0] for r in rs.rules.values() for t in (r.doc.get("transcript") or {}).values()
            if isinstance(t, str))
        for r in readers:
            r.preferred_transcripts = preferred
        build, build_reason = _resolve_build(readers + [r for _s, r in sv_readers], opts.build,
                                             bool(specs_fusion))
        rename = dict(opts.rename)
        columns = {c for r in readers + [r for _s, r in sv_readers] for c in r.header.samples}
        missing = [c for c in rename if c not in columns]
        if missing:
            raise InputError(f"sample column '{missing[0]}' (to be reported as '{rename[missing[0]]}') is in no "
                             "input VCF; check the column names with bcftools query -l")
        vcf_samples = _vcf_samples(readers, rename)
        warnings = _Warnings(opts.strict)
        for r in readers + [r for _s, r in sv_readers]:
            for w in r.header.warnings:
                warnings.add(w)
        rearr = _read_rearrangements(specs_fusion, sv_readers, vcf_samples, opts)
        samples = _select(list(dict.fromkeys(vcf_samples + rearr.samples)), tuple(opts.samples))
        index = SiteIndex(rs.rules.values(), build)
        stats = _Stats()
        per_sample: dict[str, dict] = {s: {} for s in samples}
        covered: dict[str, set[str]] = {s: set() for s in samples}
        below: Counter = Counter()
        targets = [(c, st, en) for c, st, en, _ids in index.targets(TARGET_PADDING)]
        for reader in readers:
            _scan_vcf(reader, samples, index, targets, rs, opts, stats, warnings, per_sample, covered, below, rename)
            if reader.scan_mode != "index" and notify is not None:
                why = reader.scan.get("index_ignored") or "no tabix/CSI index"
                notify(f"{reader.display}: {why}, so the whole file was scanned; index it "
                       "(bcftools index -t FILE.vcf.gz, or bgzip it first) to read only the JAK-STAT loci")
    finally:
        for r in readers + [r for _s, r in sv_readers]:
            r.close()

    merged = _evaluate_rearrangements(rearr, samples, rs, build, opts)
    for s, found in merged.findings.items():
        for f in found:
            per_sample[s].setdefault(_finding_key(f), f)

    profile = rs.profiles[opts.profile]
    out_samples = []
    for s in samples:
        findings = sorted(per_sample[s].values(), key=_finding_key)
        supplied = ({"small-variant"} if s in vcf_samples else set()) | (
            {"rearrangement"} if s in rearr.assessed else set())
        unassessed, not_assessed = _unassessed(rs, index, supplied, covered[s])
        risk = assess(findings, profile, rs, unassessed, not_assessed)
        out_samples.append({"sample": s, "findings": [f.to_dict() for f in findings],
                            "calls_below_floor": below[s],
                            "rearrangements_below_floor": merged.below_floor.get(s, 0),
                            "rearrangements_not_reported": merged.not_reported.get(s, []),
                            "risk": risk.to_dict()})
    inputs = [{"path": r.display, "kind": "vcf", "sha256": r.sha256} for r in readers]
    inputs += [{"path": t.path, "kind": f"fusions:{t.format.name}-{t.format.version}", "sha256": t.sha256}
               for t in rearr.tables]
    inputs += [{"path": f.path, "kind": "sv-vcf", "sha256": f.sha256} for f in rearr.sv_files]
    stats_out = stats.to_dict()
    stats_out["rearrangements"] = rearr.stats(merged)
    return {
        "schema_version": SCHEMA_VERSION,
        "jakcli_version": __version__,
        "ruleset": rs.to_provenance(),
        "genome_build": build.value,
        "genome_build_evidence": build_reason,
        "profile": {"id": profile.id, "version": profile.version},
        "options": {"min_vaf": opts.min_vaf, "include_filtered": opts.include_filtered,
                    "samples": list(opts.samples), "strict": opts.strict,
                    "min_fusion_reads": opts.min_fusion_reads,
                    "rename": {c: n for c, n in opts.rename}},
        "inputs": inputs,
        "samples": out_samples,
        "stats": stats_out,
        "warnings": warnings.to_list(),
    }


def _scan_vcf(reader: VcfReader, samples: list[str], index: SiteIndex, targets: list, rs: Ruleset,
              opts: Options, stats: _Stats, warnings: _Warnings, per_sample: dict, covered: dict,
              below: Counter, rename: dict[str, str]) -> None:
    """Match the records of one small-variant VCF that overlap the rule loci; records elsewhere
    are counted as ``outside_target_regions``; genotypes are read only at matched sites."""
    sv_rules = rs.by_input("small-variant")
    columns = [c for c in reader.header.samples if rename.get(c, c) in samples]
    declared = {normalise_contig(c) for c in reader.header.contigs}
    for c in columns:
        covered[rename.get(c, c)] |= declared if declared else {"*"}
    if not declared:
        warnings.add(f"{reader.display}: the header declares no ##contig lines, so jakcli cannot "
                     "check that the JAK-STAT loci were covered; absent calls are taken as assessed")
    for raw in reader.fetch_targets(targets):
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
            if not matches or not columns:
                continue
            calls = [replace(c, sample=rename[c.sample]) if c.sample in rename else c
                     for c in raw.calls(v.allele_index, columns)]
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
                        warnings.add(f"{v.source}: {v.label}: sample "
                                     f"{call.sample}: {rule.id} reported with unknown VAF "
                                     f"({call.vaf_note})")
                    per_sample[call.sample].setdefault(_finding_key(f), f)
    stats.records_read += reader.scan["records_total"]
    if reader.scan["records_outside"]:
        stats.skipped["outside_target_regions"] += reader.scan["records_outside"]


@dataclass
class _Rearrangements:
    """Everything read from fusion tables and SV VCFs, before evaluation."""

    tables: list = field(default_factory=list)  # FusionTable
    sv_files: list = field(default_factory=list)  # SvFile
    calls: list = field(default_factory=list)  # (sample, FusionCall)
    samples: list = field(default_factory=list)  # report samples named by these inputs, in order
    assessed: set = field(default_factory=set)  # samples with any fusion/SV input
    skipped: Counter = field(default_factory=Counter)
    unselected: int = 0  # calls/junctions of samples left out by --sample (their records were read)

    def add_sample(self, s: str) -> None:
        if s not in self.samples:
            self.samples.append(s)
        self.assessed.add(s)

    def stats(self, merged) -> dict:
        skipped = Counter(self.skipped)
        for f in self.sv_files:
            skipped.update(f.skipped)
        return {"fusion_calls_read": sum(len(t.calls) for t in self.tables),
                "fusion_calls_evaluated": len(self.calls),
                "sv_records_read": sum(f.records_read for f in self.sv_files),
                "sv_records_evaluated": sum(f.records_evaluated for f in self.sv_files),
                "sv_junctions": sum(len(f.junctions) for f in self.sv_files),
                "skipped": dict(sorted(skipped.items())),
                "calls_of_unselected_samples": self.unselected,
                "below_floor": sum(merged.below_floor.values()),
                "not_qualifying": sum(1 for v in merged.not_reported.values() for d in v
                                      if d["status"] == "not_qualifying")}


def _read_rearrangements(specs_fusion, sv_readers, vcf_samples: list[str], opts: Options) -> _Rearrangements:
    """Read fusion tables and SV VCFs and attribute every call to a report sample (or fail)."""
    from jakcli.readers.fusions import read_fusion_table
    from jakcli.readers.svvcf import plan_attribution, read_sv_vcf

    out = _Rearrangements()
    for target, path in specs_fusion:
        table: FusionTable = read_fusion_table(path, target)
        out.tables.append(table)
        if target is None and not table.has_sample_column:
            if len(vcf_samples) != 1:
                why = "there is no VCF to take the sample from" if not vcf_samples else \
                    f"the run has {len(vcf_samples)} samples"
                raise InputError(f"{path}: which sample is this fusion table from? {why}; "
                                 f"pass --fusions SAMPLE={path}")
            target = vcf_samples[0]
        if target is not None:
            out.add_sample(target)
        for call in table.calls:
            sample = call.sample if call.sample is not None else target
            if target is not None and table.has_sample_column and call.sample != target:
                out.skipped["fusion_call_of_another_sample"] += 1
                continue
            out.add_sample(sample)
            out.calls.append((sample, call))
    for target, reader in sv_readers:
        plan = plan_attribution(reader, target, vcf_samples, dict(opts.rename))
        sv: SvFile = read_sv_vcf(reader, plan, opts.include_filtered)
        out.sv_files.append(sv)
        for s in sv.samples:
            out.add_sample(s)
    return out


def _evaluate_rearrangements(rearr: _Rearrangements, samples: list[str], rs: Ruleset, build: Build,
                             opts: Options):
    from jakcli.engine.rearrange import evaluate_fusion_call, evaluate_junction, merge

    rules = [r for r in rs.rules.values() if r.fusion is not None]
    wanted = set(samples)
    outcomes = []
    for sample, call in rearr.calls:
        if sample not in wanted:
            rearr.unselected += 1
            continue
        outcomes += evaluate_fusion_call(call, sample, rules, build, opts.min_fusion_reads)
    for sv in rearr.sv_files:
        for j in sv.junctions:
            if j.sample not in wanted:
                rearr.unselected += 1
                continue
            outcomes += evaluate_junction(j, rules, build, opts.min_fusion_reads)
    return merge(outcomes, rs.rules)


def _unassessed(rs: Ruleset, index: SiteIndex, supplied: set[str], covered: set[str]):
    """Rules that could not be evaluated for a sample, and the words that say why."""
    unassessed: set[str] = set()
    words: list[str] = []
    for cls, names in INPUT_CLASS_NAMES.items():
        if cls not in supplied and rs.by_input(cls):
            unassessed |= {r.id for r in rs.by_input(cls)}
            words += names
    if "small-variant" in supplied and "*" not in covered:
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
