"""The library API: classify VCF, fusion-table and SV-VCF inputs into a per-sample report
(a plain dict, schema_version 1).

This module wires readers, the engines and the risk layer together; it decides nothing clinical
itself. Every record read is either evaluated or counted under ``stats.skipped`` (small variants)
or ``stats.rearrangements.skipped`` (fusion calls and SV records).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from functools import partial

from jakcli import __version__
from jakcli.assessment import LocusAssessor, status_counts
from jakcli.checksums import input_entry
from jakcli.copy_number_inputs import CopyNumberInputs
from jakcli.engine.evidence import evidence_floor_check
from jakcli.engine.rearrange import MergedRearrangements, evaluate_fusion_call, evaluate_junction, merge
from jakcli.engine.small_variants import (
    SiteIndex,
    annotation_only_warnings,
    duplicate_record_warning,
    make_finding,
    mnv_protein_matches,
)
from jakcli.errors import InputError, WarningLog
from jakcli.gene_variants import GeneVariants, merge_targets
from jakcli.model import Evidence, Finding, InputClass, Options, SampleCall, SiteMatch, Variant
from jakcli.model.stats import ReadStats
from jakcli.readers.inputs import check_renames, select_samples, split_input_spec, undeclared_contig, vcf_samples
from jakcli.readers.vcf import RawRecord, VcfReader
from jakcli.reference.genome import normalise_contig, resolve_build
from jakcli.ruleset.compiled import Ruleset
from jakcli.ruleset.loader import load_ruleset
from jakcli.sample_reports import SampleReports, finding_key, matched_normal_warnings

__all__ = ["Options", "SCHEMA_VERSION", "TARGET_PADDING", "classify", "split_input_spec"]

SCHEMA_VERSION = 1
TARGET_PADDING = 25  # bases around every rule locus: keeps the anchor base of indels at an exon edge


_SITES: dict[tuple, tuple[SiteIndex, list[tuple[str, int, int]]]] = {}  # (rules, build, catalogue) -> index, targets


def classify(vcfs: list[str], options: Options | None = None, rule_dirs: list | None = None,
             ruleset: Ruleset | None = None, fusions: list[str] | tuple = (), svs: list[str] | tuple = (),
             notify: Callable[[str], None] | None = None, alignments: list[str] | tuple = (),
             coverage: list[str] | tuple = (), cnvs: list[str] | tuple = ()) -> dict:
    """Classify inputs and return the report dict.

    ``vcfs``: small-variant VCF/BCF paths (``-`` = stdin). ``fusions`` / ``svs``: RNA fusion tables
    and DNA SV VCFs as ``[SAMPLE=]PATH`` strings. Any one kind of input is enough. ``notify``
    (optional, e.g. a stderr printer) receives advice that is not part of the report, such as
    "index this file". ``alignments`` / ``coverage``: ``[SAMPLE=]PATH`` BAM/CRAM and coverage files
    (per-locus status, detection limits, hotspot genotyping from reads). ``cnvs``: copy-number segment
    files as ``[SAMPLE=]PATH`` strings.
    """
    opts = options or Options()
    if not vcfs and not fusions and not svs and not alignments and not cnvs:
        raise InputError("no input: give at least one VCF/BCF path (or - for stdin), --fusions, --sv, --cnv or "
                         "--alignments")
    specs_fusion = [split_input_spec(x) for x in fusions]
    specs_sv = [split_input_spec(x) for x in svs]
    if [*vcfs, *(p for _s, p in specs_fusion), *(p for _s, p in specs_sv)].count("-") > 1:
        raise InputError("standard input (-) can be given only once")
    run = _Run(opts, notify)
    run.depth_specs = (list(alignments), list(coverage))
    run.cnv = CopyNumberInputs([split_input_spec(x) for x in cnvs])
    try:  # inputs are opened first: their checksums are computed in the background meanwhile
        run.open(vcfs, specs_sv)
        run.prepare(ruleset or load_ruleset(rule_dirs), specs_fusion)
        for reader in run.readers:
            run.scan(reader)
    finally:
        run.close()
    for r in run.all_readers:
        if r.close_error:
            raise InputError(f"{r.display}: the file is corrupt or truncated (htslib: {r.close_error}); "
                             "re-create it, or check it with bcftools view")
    return run.report()


class _Run:
    """One classify call: its inputs, the samples, and everything counted or found on the way."""

    def __init__(self, opts: Options, notify: Callable[[str], None] | None):
        self.opts = opts
        self.notify = notify
        self.rename = dict(opts.rename)
        self.readers: list[VcfReader] = []
        self.cnv = CopyNumberInputs([])
        self.sv_readers: list[tuple[str | None, VcfReader]] = []
        self.stats = ReadStats()
        self.warnings = WarningLog(opts.strict)
        self.below: Counter = Counter()
        self.subfloor: dict[str, list[tuple[str, str, int, str]]] = {}  # sample -> (rule, contig, pos, why)
        self.depth_specs: tuple[list[str], list[str]] = ([], [])

    @property
    def all_readers(self) -> list[VcfReader]:
        return self.readers + [r for _s, r in self.sv_readers]

    def open(self, vcfs: list[str], specs_sv: list[tuple[str | None, str]]) -> None:
        for spec in vcfs:  # PATH, or SAMPLE=PATH for a sites-only VCF (LoFreq)
            sample, path = split_input_spec(str(spec))
            self.readers.append(VcfReader(path, digest=self.opts.digest, site_sample=sample))
        for sample, path in specs_sv:
            self.sv_readers.append((sample, VcfReader(path, digest=self.opts.digest)))

    def close(self) -> None:
        for r in self.all_readers:
            r.close()

    def prepare(self, rs: Ruleset, specs_fusion: list[tuple[str | None, str]]) -> None:
        """Rules, build, samples and the rearrangement calls; nothing is matched yet."""
        from jakcli.readers.rearrangements import read_rearrangements

        self.rs = rs
        if self.opts.profile not in rs.profiles:
            raise InputError(f"unknown risk profile '{self.opts.profile}' (available: {', '.join(rs.profiles)}); "
                             "pass --profile with one of these")
        for r in self.readers:
            r.preferred_transcripts = rs.preferred_transcripts
        cnv_build = self.cnv.build(None) if not self.all_readers and self.opts.build == "auto" else None
        headers = [(r.display, r.header.lines, r.header.contigs) for r in self.all_readers]
        if not headers and not cnv_build and self.opts.build == "auto":  # BAM/CRAM only: their @SQ lengths
            from jakcli.readers.alignments import alignment_header  # BAM input only

            headers = [alignment_header(split_input_spec(s)[1], self.opts.reference) for s in self.depth_specs[0]]
        self.build, self.build_reason = cnv_build or resolve_build(headers, self.opts.build, bool(specs_fusion))
        self.cnv.build(self.build)
        check_renames(self.rename, self.all_readers)
        self.assessor = LocusAssessor(rs, self.build, self.opts, *self.depth_specs)
        self.vcf_samples = vcf_samples(self.readers, self.rename)
        self.vcf_sample_set = set(self.vcf_samples)  # membership per sample: a list made 10,000 samples quadratic
        for r in self.all_readers:
            for w in r.header.warnings:
                self.warnings.add(w)
        self.rearr = read_rearrangements(specs_fusion, self.sv_readers, self.vcf_samples, self.rename,
                                         self.opts.include_filtered, tuple(self.opts.samples), self.opts.digest)
        candidates = list(dict.fromkeys(self.vcf_samples + list(self.rearr.samples)
                                        + self.assessor.alignment_samples))
        self.samples = select_samples(candidates + self.cnv.assign(candidates), tuple(self.opts.samples))
        for w in self.cnv.evaluate(self.samples, rs.by_input(InputClass.COPY_NUMBER), self.build, self.opts.sex,
                                   self.opts.cnv_thresholds):
            self.warnings.add(w)
        self.per_sample: dict[str, dict] = {s: {} for s in self.samples}
        self.covered: dict[str, set[str]] = {s: set() for s in self.samples}
        self.genes = GeneVariants(self.build, rs.rules.values(), rs.profiles[self.opts.profile].doc,
                                  self.opts.min_vaf, self.opts.reference, rules_digest=rs.digest)
        key = (rs.digest, self.build, self.genes.catalogue.digest)
        if key not in _SITES:  # the same for every file of a batch: worked out once per process
            index = SiteIndex(rs.rules.values(), self.build)
            rule_targets = [(c, st, en) for c, st, en, _ids in index.targets(TARGET_PADDING)]
            _SITES[key] = (index, merge_targets(rule_targets + self.genes.targets()))
        self.index, targets = _SITES[key]
        self.targets = list(targets)

    # ------------------------------------------------------------------ small variants

    def scan(self, reader: VcfReader) -> None:
        """Match the records of one small-variant VCF that overlap the rule loci; records elsewhere
        are counted as ``outside_target_regions``; genotypes are read only at matched sites."""
        wanted = set(self.samples)
        columns = [c for c in reader.header.samples if self.rename.get(c, c) in wanted]
        self._cover(reader, columns)
        self.assessor.add_vcf(reader, self.rename)
        small = self.rs.by_input(InputClass.SMALL_VARIANT)
        own = [self.covered[self.rename.get(c, c)] for c in columns]  # contigs seen beyond the header's join
        for raw in reader.fetch_targets(self.targets):
            try:
                if w := undeclared_contig(reader.display, raw.chrom, own):
                    self.warnings.add(w)
                self.assessor.add_no_calls(raw, columns, self.rename)
                if not self.opts.include_filtered and not raw.passes():
                    self.stats.skipped["filtered"] += 1
                    continue
                self._record(raw, columns, small)
            except UnicodeDecodeError:
                raise InputError(f"{reader.display}: record {raw.record_no} ({raw.label}) holds bytes that are not "
                                 "UTF-8 text; fix the record (e.g. iconv -f latin1 -t utf8)") from None
        for v, calls, merged in self.genes.flush(lambda x: bool(self.index.match(x)[0])):
            self._evaluate(v, partial(list, calls), small, merged)
        if not reader.scan["records_total"]:
            self.warnings.add(f"{reader.display}: the VCF has no record (a header only): its samples are reported "
                              "as none-detected; check the step that wrote it")
        self.stats.records_read += reader.scan["records_total"]
        if reader.scan["records_outside"]:
            self.stats.skipped["outside_target_regions"] += reader.scan["records_outside"]
        if reader.scan_mode != "index" and self.notify is not None and reader.input_kind != "stdin":
            self.notify(_scan_notice(reader))

    def _record(self, raw: RawRecord, columns: list[str], small: list) -> None:
        variants, skipped = raw.variants()
        self.stats.alleles_skipped.update(skipped)
        if not variants:
            self.stats.skipped[next(iter(skipped), "no_alt")] += 1
            return
        self.stats.records_evaluated += 1
        for v in variants:
            if self.genes.defer(v, partial(self._calls, raw, v, columns)):
                self.stats.alleles_evaluated += 1  # evaluated after the file, with its codon's other records
                continue
            self._match(raw, v, columns, small)

    def _cover(self, reader: VcfReader, columns: list[str]) -> None:
        declared = {normalise_contig(c) for c in reader.header.contigs}
        for c in columns:
            self.covered[self.rename.get(c, c)] |= declared if declared else {"*"}
        if not declared:
            self.warnings.add(f"{reader.display}: the header declares no ##contig lines, so jakcli cannot "
                              "check that the JAK-STAT loci were covered; absent calls are taken as assessed")

    def _calls(self, raw: RawRecord, v: Variant, columns: list[str]) -> list[SampleCall]:
        if not columns:
            return []
        return [replace(c, sample=self.rename[c.sample]) if c.sample in self.rename else c
                for c in raw.calls(v.allele_index, columns, carriers_only=True)]

    def _match(self, raw: RawRecord, v: Variant, columns: list[str], small: list) -> None:
        self.stats.alleles_evaluated += 1
        self._evaluate(v, lambda: self._calls(raw, v, columns), small, None)

    def _evaluate(self, v: Variant, calls_of: Callable[[], list[SampleCall]], small: list,
                  merged: str | None) -> None:
        """Rules first; an allele no rule reports goes to the catalogue / germline / VUS step."""
        matches, notes = self.index.match(v)
        for n in notes:
            self.warnings.add(n)
        if v.annotations:
            for n in annotation_only_warnings(v, small, {m.rule_id for m in matches}):
                self.warnings.add(n)
        named = self.genes.names(v)
        if not matches and named:  # an MNV spelling an allele rule's amino-acid change
            matches = mnv_protein_matches(v, named, small, self.build)
        if not matches and not named:
            return
        for call in calls_of():
            if not call.carries:
                continue
            if call.sample_filter and not self.opts.include_filtered:  # FORMAT FT: held back like FILTER
                self._hold_back(call, v, [m.rule_id for m in matches], "sample_filter",
                                f"genotype filtered by the caller: FT={call.sample_filter}")
                continue
            for m in matches:
                self._report_call(v, m, call, named, merged)
            if not matches:
                self._add_finding(v, self.genes.record(v, call, named, merged), call)

    def _report_call(self, v: Variant, m: SiteMatch, call: SampleCall, named: list, merged: str | None) -> None:
        rule = self.rs.rules[m.rule_id]
        fl = self.assessor.floors[rule.id]
        check = evidence_floor_check(call.alt_reads, call.depth, call.vaf, fl.min_alt_reads, fl.min_depth, fl.vaf)
        if not check.reportable:
            self._hold_back(call, v, [rule.id], "alt_reads" if "alt read" in str(check.reason) else "vaf",
                            str(check.reason))
            return
        f = make_finding(v, m, call, rule)
        if check.low_depth:
            f = replace(f, notes=(*f.notes, f"low depth: {check.reason}"))
        self._add_finding(v, self.genes.enrich(f, named, merged), call)

    def _hold_back(self, call: SampleCall, v: Variant, rule_ids: list[str], counter: str, why: str) -> None:
        """A carrier's call not reported (under an evidence floor, or filtered by the caller): counted,
        and named on the loci of the rules it matched."""
        self.stats.calls_below_floor += 1
        self.stats.below_evidence_floor[counter] += 1
        self.below[call.sample] += 1
        for rule_id in rule_ids:
            self._note_subfloor(call, rule_id, v, why)

    def _note_subfloor(self, call: SampleCall, rule_id: str, v: Variant, why: str) -> None:
        """Remembered so the locus is never summarised as 'not detected' where a call was seen."""
        self.subfloor.setdefault(call.sample, []).append((rule_id, normalise_contig(v.chrom), v.pos, why))

    def _add_finding(self, v: Variant, f: Finding | None, call: SampleCall) -> None:
        if f is None:
            return
        if f.vaf is None:
            self.stats.findings_without_vaf += 1
            self.warnings.add(f"{v.source}: {v.label}: sample {call.sample}: {f.rule_id} reported with unknown VAF "
                              f"({call.vaf_note})")
        kept = self.per_sample[call.sample].setdefault(finding_key(f), f)
        if kept is not f and (kept.vaf, kept.depth, kept.alt_reads) != (f.vaf, f.depth, f.alt_reads):
            self.warnings.add(duplicate_record_warning(v, call.sample, kept, f))

    # ------------------------------------------------------------------ rearrangements and the report

    def _evaluate_rearrangements(self) -> MergedRearrangements:
        rules = [r for r in self.rs.rules.values() if r.fusion is not None]
        wanted = set(self.samples)
        outcomes = []
        self.unselected = 0  # calls/junctions of samples left out by --sample (their records were read)
        for sample, call in self.rearr.calls:
            if sample not in wanted:
                self.unselected += 1
                continue
            outcomes += evaluate_fusion_call(call, sample, rules, self.build, self.opts.min_fusion_reads)
        for sv in self.rearr.sv_files:
            for j in sv.junctions:
                if j.sample not in wanted:
                    self.unselected += 1
                    continue
                outcomes += evaluate_junction(j, rules, self.build, self.opts.min_fusion_reads)
        return merge(outcomes + self.cnv.outcomes(), self.rs.rules)

    def _read_calls(self) -> None:
        """Hotspot calls counted in the reads: a new finding (vaf_source ``alignments``) when it meets
        the floors, or one more evidence of the VCF's finding of the same rule and alteration."""
        for s in self.samples:
            path = self.assessor.reads.get(s, ("", None))[0]
            for v, call, detail in self.assessor.read_calls(s):
                matches, _notes = self.index.match(v)
                for m in matches:
                    self._read_call(v, m, call, Evidence("READS", "jakcli pileup", path, call.alt_reads, detail))

    def _read_call(self, v: Variant, m: SiteMatch, call: SampleCall, ev: Evidence) -> None:
        rule = self.rs.rules[m.rule_id]
        found = self.per_sample[call.sample]
        same = [k for k, f in found.items() if f.rule_id == rule.id and f.alteration == m.alteration]
        if same:
            f = found[same[0]]
            found[same[0]] = replace(f, evidence=(*f.evidence, ev), notes=(*f.notes, f"reads: {ev.read_detail}"))
            return
        fl = self.assessor.floors[rule.id]
        check = evidence_floor_check(call.alt_reads, call.depth, call.vaf, fl.min_alt_reads, fl.min_depth, fl.vaf)
        if not check.reportable:
            self.stats.below_evidence_floor["alignments:" + ("alt_reads" if "alt read" in str(check.reason)
                                                            else "vaf")] += 1
            self._note_subfloor(call, rule.id, v, f"in the reads: {check.reason}")
            return
        f = self.genes.enrich(make_finding(v, m, call, rule), self.genes.names(v), None)  # HGVS, tier, catalogue
        notes = (*f.notes, f"reads: {ev.read_detail}", *((f"low depth: {check.reason}",) if check.low_depth else ()))
        found.setdefault(finding_key(f), replace(f, evidence=(ev,), notes=notes,
                                                  source=f"{ev.file}:{v.chrom}:{v.pos}"))

    def report(self) -> dict:
        self._read_calls()
        merged = self._evaluate_rearrangements()
        for s, found in merged.findings.items():
            for f in found:
                self.per_sample[s].setdefault(finding_key(f), f)
        for s, res in self.cnv.results.items():
            for f in res.findings:
                self.per_sample[s].setdefault(finding_key(f), f)
        profile = self.rs.profiles[self.opts.profile]
        for w in matched_normal_warnings(self.readers, self.rename, self.per_sample):
            self.warnings.add(w)
        reports = SampleReports(self, merged)
        samples = [reports.build(s) for s in self.samples]
        stats = self.stats.to_dict()
        stats["calls_below_floor"] += self.genes.counts["calls_below_floor"]
        stats["other_variants_below_floor"] = self.genes.counts["other_variants_below_floor"]
        stats["rearrangements"] = {**self.rearr.read_counts(), "calls_of_unselected_samples": self.unselected,
                                   **merged.counts()}
        stats["loci"] = status_counts(samples)
        return {
            "schema_version": SCHEMA_VERSION,
            "jakcli_version": __version__,
            "ruleset": self.rs.to_provenance(),
            "genome_build": self.build.value,
            "genome_build_evidence": self.build_reason,
            "profile": {"id": profile.id, "version": profile.version},
            "options": self.opts.to_report(),
            "inputs": self._inputs(),
            "samples": samples,
            "stats": stats,
            "warnings": self.warnings.to_list(),
            "catalogue": self.genes.provenance(),
            "reference_fasta": self.genes.reference_report(),
        }

    def _inputs(self) -> list[dict]:
        alg = self.opts.digest
        out = [input_entry(r.display, "vcf", alg, r.checksum) for r in self.readers]
        out += [input_entry(t.path, f"fusions:{t.format.name}-{t.format.version}", alg, t.checksum)
                for t in self.rearr.tables]
        out += [input_entry(f.path, "sv-vcf", alg, f.checksum) for f in self.rearr.sv_files]
        out += self.cnv.inputs(alg)
        out += self.assessor.inputs()
        return out


def _scan_notice(reader: VcfReader) -> str:
    """Advice for a file that was read whole, right for its kind (standard input gets none: a pipe
    cannot be indexed)."""
    if reader.input_kind == "gzip":
        return (f"{reader.display}: plain gzip, not bgzip, so it was decompressed and read whole; recompress "
                "it with bgzip and index it (gzip -dc F | bgzip > F2.vcf.gz; bcftools index -t F2.vcf.gz) to read "
                "only the JAK-STAT loci")
    why = reader.scan.get("index_ignored") or "no tabix/CSI index"
    return (f"{reader.display}: {why}, so the whole file was scanned; index it "
            "(bcftools index -t FILE.vcf.gz, or bgzip it first) to read only the JAK-STAT loci")
