"""Per-sample locus assessment of one classify run (issue 16): orchestration only.

Opens the run's depth sources (``--alignments``, gVCF inputs, ``--coverage``, ``--targets``, the
region restrictions written in VCF headers), asks each about the rule loci once, and lets
:mod:`jakcli.engine.loci` decide every locus's status per sample. With ``--alignments`` it also
hands the read counts at allele and codon loci back as candidate calls (``read_calls``).
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING

from jakcli.checksums import background_checksum, input_entry
from jakcli.engine.evidence import detection_limit_vaf, rule_loci
from jakcli.engine.loci import (
    HOTSPOT_KINDS,
    Floors,
    Measured,
    codon_views,
    decide,
    decide_fusion,
    floors_for,
    fusion_loci,
    read_variant,
    residue_reads,
)
from jakcli.errors import InputError
from jakcli.model import Build, Options, SampleCall, Variant
from jakcli.model.loci import Locus, LocusResult, LocusStatus, status_for
from jakcli.readers.coverage import CoverageAt, CoverageFile
from jakcli.readers.files import Digest
from jakcli.readers.gvcf import gvcf_depths_at, is_gvcf_header
from jakcli.readers.header_regions import RegionRestriction, parse_header_restrictions
from jakcli.readers.inputs import split_input_spec
from jakcli.readers.interval_files import loci_with_records, resolve_restriction
from jakcli.readers.vcf import VcfReader
from jakcli.reference.genome import normalise_contig
from jakcli.ruleset.compiled import Ruleset

if TYPE_CHECKING:
    from jakcli.readers.pileup import LocusReads

_LOCI: dict[tuple[str, Build], tuple] = {}


def _loci_of(rs: Ruleset, build: Build) -> tuple[list[Locus], list[Locus], dict]:
    """The rule loci, fusion windows and codon views of a ruleset in a build, worked out once per
    process (a batch classifies thousands of files with the same rules). Keyed by the ruleset's
    digest, which covers every rule file's content."""
    key = (rs.digest, build)
    if key not in _LOCI:
        loci = rule_loci(rs.rules.values(), build)
        _LOCI[key] = (loci, fusion_loci(rs.rules.values(), build), codon_views(loci, build))
    loci, fusion, views = _LOCI[key]
    return list(loci), list(fusion), dict(views)


class LocusAssessor:
    """The rule loci of a run and everything the depth sources said about them."""

    def __init__(self, rs: Ruleset, build: Build, opts: Options, alignments: list[str] | tuple = (),
                 coverage: list[str] | tuple = ()):
        self.opts, self.build = opts, build
        self.files: list[tuple[str, str, Digest]] = []  # (path, kind, checksum) of every depth source read
        self.loci, self.fusion_loci, self.codon_views = _loci_of(rs, build)
        self.floors: dict[str, Floors] = {rid: floors_for(rule, opts) for rid, rule in rs.rules.items()}
        self.targets: dict[str, CoverageAt] | None = None
        if opts.targets:
            self.files.append((opts.targets, "targets", background_checksum(opts.targets, opts.digest)))
            self.targets = CoverageFile(opts.targets, intervals_only=True).depth_at(self.loci)
        self.coverage: dict[str | None, list[dict[str, CoverageAt]]] = {}
        for spec in coverage:
            sample, path = split_input_spec(spec)
            self.files.append((path, "coverage", background_checksum(path, self.opts.digest)))
            self.coverage.setdefault(sample, []).append(CoverageFile(path).depth_at(self.loci))
        self.reads: dict[str, tuple[str, dict[str, LocusReads]]] = {}
        for spec in alignments:
            self._genotype(spec)
        self.restrictions: list[tuple[set[str], RegionRestriction]] = []
        self.nocall: dict[str, set[str]] = {}  # sample -> keys of rule loci a record left uncalled (./.)
        self._locus_spans: dict[str, list[tuple[int, int, str]]] | None = None
        self.interval_files_used: list[str] = []  # "name read from path (n intervals)" per header file
        self._shared: dict[tuple, tuple[LocusResult, ...]] = {}  # see sample_loci
        self.recorded: dict[str, dict[str, int | None]] = {}  # sample -> {locus key: record depth} (see add_vcf)
        self.gvcf: dict[str, dict[str, CoverageAt]] = {}

    def _genotype(self, spec: str) -> None:
        sample, path = split_input_spec(spec)
        from jakcli.readers.alignments import check_alignment_build, genotype_loci, open_alignments  # BAM input only

        with open_alignments(path, self.opts.reference, sample) as aln:
            check_alignment_build(aln, self.build)
            kind = "alignments:cram" if aln.is_cram else "alignments:bam"
            self.files.append((path, kind, background_checksum(path, self.opts.digest)))
            if aln.sample in self.reads:
                raise InputError(f"{path}: a second --alignments file for sample {aln.sample}; give one BAM/CRAM "
                                 "per sample (merge them with samtools merge)")
            views = [v for v, _aa in self.codon_views.values()]
            self.reads[aln.sample] = (path, genotype_loci(aln, self.loci + views))

    def inputs(self) -> list[dict]:
        """The depth sources as report inputs, with their digests (hashed while the run went on)."""
        return [input_entry(path, kind, self.opts.digest, digest.value()) for path, kind, digest in self.files]

    @property
    def alignment_samples(self) -> list[str]:
        return list(self.reads)

    def add_vcf(self, reader: VcfReader, rename: dict[str, str]) -> None:
        """Header restrictions and (for a gVCF) reference-block depths of one small-variant input."""
        names = {c: rename.get(c, c) for c in reader.header.samples}
        lines = reader.raw_header_lines()
        if not self.opts.ignore_header_regions:
            restriction = parse_header_restrictions(lines)
            if restriction.restricted and not self._same_as_targets(restriction):
                paths: list[str] = []
                restriction, used = resolve_restriction(restriction, reader.display,
                                                        tuple(self.opts.header_regions_dirs), paths)
                self.interval_files_used += used
                for path in dict.fromkeys(paths):  # what decided 'not-assessed' is an input of the report
                    if path not in {f[0] for f in self.files}:
                        self.files.append((path, "interval-file", background_checksum(path, self.opts.digest)))
                self.restrictions.append((set(names.values()), restriction))
                if restriction.unreadable_files():
                    for key, by_col in loci_with_records(reader.real_path, self.loci).items():
                        for col, rdepth in by_col.items():
                            self.recorded.setdefault(names.get(col, col), {})[key] = rdepth
        if is_gvcf_header(lines) and names:
            depths = gvcf_depths_at(reader.real_path, self.loci, list(names))
            for key, by_column in depths.items():
                for column, at in by_column.items():
                    self.gvcf.setdefault(names[column], {})[key] = at

    def add_no_calls(self, raw, columns: list[str], rename: dict[str, str]) -> None:
        """Remember the rule loci where a plain VCF record leaves a sample uncalled (GT ./.): the
        caller looked and made no call, so absence is not shown there (engine.loci.note_no_calls).
        Not chrY: a female's ./. there, or a PAR1 copy whose reads went to chrX, says nothing of the
        gene (its chrX locus does)."""
        if not columns:
            return
        if self._locus_spans is None:
            self._locus_spans = {}
            for locus in self.loci:
                if locus.contig != "Y":
                    self._locus_spans.setdefault(locus.contig, []).append((locus.start, locus.end, locus.key))
        rec = raw.pysam_record
        keys = [k for s, e, k in self._locus_spans.get(normalise_contig(rec.chrom), ())
                if rec.start < e and s - 1 < rec.stop]
        if keys:
            for c in raw.no_call_columns(columns):
                self.nocall.setdefault(rename.get(c, c), set()).update(keys)

    def _same_as_targets(self, restriction: RegionRestriction) -> bool:
        """A file cut with ``bcftools view -R targets.bed`` and classified with ``--targets targets.bed``:
        the header names a file jakcli cannot read, but ``--targets`` is that file, and it governs."""
        files = restriction.unreadable_files()
        if not self.opts.targets or not files:
            return False
        same = all(os.path.basename(f) == os.path.basename(self.opts.targets) for f in files)
        return same and all(s.include is None and not s.exclude for s in restriction.steps)

    # ------------------------------------------------------------------ per sample

    def sample_loci(self, sample: str, vcf_contigs: set[str] | None, rearrangement_sources: list[str]
                    ) -> list[LocusResult] | tuple[LocusResult, ...]:
        """Every rule locus's status in ``sample``. ``vcf_contigs``: contigs the sample's VCF(s) cover
        (``{"*"}`` = unknown, all), None when the sample has no VCF.

        Samples with nothing of their own (no reads, gVCF blocks, own coverage file or records under an
        unreadable header restriction) share their statuses with every sample of the same VCF
        contigs, header restrictions and rearrangement inputs: a 10,000-sample cohort works them out
        once, not 10,000 times. Those shared statuses come back as the one tuple all such samples get
        (callers may rely on its identity and must not change it); a sample's own, as a new list."""
        key = None
        if not (sample in self.reads or self.gvcf.get(sample) or sample in self.coverage or self.recorded.get(sample)):
            key = (None if vcf_contigs is None else frozenset(vcf_contigs),
                   tuple(i for i, (samples, _r) in enumerate(self.restrictions) if sample in samples),
                   tuple(rearrangement_sources))
            if key in self._shared:
                return self._shared[key]
        out = self._sample_loci(sample, vcf_contigs, rearrangement_sources)
        if key is not None:
            self._shared[key] = tuple(out)
            return self._shared[key]
        return out

    def _sample_loci(self, sample: str, vcf_contigs: set[str] | None, rearrangement_sources: list[str]
                     ) -> list[LocusResult]:
        out = []
        for locus in self.loci:
            floors = self.floors[locus.rule_id]
            result = decide(locus, floors, self._restriction(sample, locus),
                            self._measured(sample, locus, floors), _vcf_state(locus, vcf_contigs))
            out.append(credit_record(result, self._unreadable_reason(sample, locus),
                                     self.recorded.get(sample, {}).get(locus.key), floors))
        out += [decide_fusion(locus, rearrangement_sources) for locus in self.fusion_loci]
        return out

    def _restriction(self, sample: str, locus: Locus) -> tuple[str, str] | None:
        if self.targets is not None:
            t = self.targets[locus.key]
            if t.kind == "gap" or t.callable is False:
                return "targets", f"outside the --targets regions ({self.opts.targets})"
        if sample in self.reads:
            return None  # the reads were looked at directly, whatever the VCF was cut to
        holding = [r for samples, r in self.restrictions if sample in samples]
        reasons = [r.why_not_assessed(locus.contig, locus.start, locus.end) for r in holding]
        if holding and all(reasons):
            if locus.key in self.recorded.get(sample, ()) and all("cannot read" in str(r) for r in reasons):
                return None  # a record at the locus: the caller's intervals included it (see sample_loci)
            return "vcf-header", str(reasons[0])
        return None

    def _unreadable_reason(self, sample: str, locus: Locus) -> str | None:
        """Why the header would have made the locus not-assessed, when a record there lifted it."""
        if sample in self.reads or locus.key not in self.recorded.get(sample, ()):
            return None
        holding = [r for samples, r in self.restrictions if sample in samples]
        reasons = [r.why_not_assessed(locus.contig, locus.start, locus.end) for r in holding]
        return next((str(r) for r in reasons if r), None)

    def _measured(self, sample: str, locus: Locus, floors: Floors) -> Measured | None:
        if sample in self.reads:
            path, by_locus = self.reads[sample]
            lr = by_locus[locus.key]
            note = "; ".join(lr.notes) or (f"no reads passing the filters in {path}" if not lr.depth else None)
            return Measured(status_for(lr.depth, floors.min_depth), lr.depth, "alignments", note)
        for source, at in (("gvcf", self.gvcf.get(sample, {}).get(locus.key)), *(
                ("coverage", c[locus.key]) for c in self.coverage.get(sample, []) + self.coverage.get(None, []))):
            if at is not None:
                note = {"gap": "no record or interval covers the whole locus",
                        "no-call": "a record here has no genotype for the sample (./.): the caller made no call, so "
                                   "absence is not shown"}.get(at.kind)
                return Measured(at.status(floors.min_depth), at.depth, source, note)
        return None

    # ------------------------------------------------------------------ calls from reads

    def read_calls(self, sample: str) -> list[tuple[Variant, SampleCall, str]]:
        """Candidate calls seen in the sample's reads at allele and codon loci: (variant, call, detail)."""
        if sample not in self.reads:
            return []
        path, by_locus = self.reads[sample]
        out = []
        for locus in self.loci:
            lr = by_locus[locus.key]
            if locus.kind not in ("allele", "codon") or not lr.depth:
                continue
            if locus.key in self.codon_views:
                out += self._residue_call(sample, locus, by_locus, path)
                continue
            for observed, (fwd, rev) in sorted(lr.counts.items()):
                v = read_variant(locus, observed, path)
                if v is None:
                    continue
                bias = lr.strand_bias(observed)
                detail = (f"{fwd + rev} of {lr.depth} reads ({fwd} forward, {rev} reverse; reference "
                          f"{sum(lr.reads(lr.ref))})" + (f"; {bias.note}" if bias.note else ""))
                call = SampleCall(sample, True, "./.", (fwd + rev) / lr.depth, "alignments", lr.depth, fwd + rev)
                out.append((v, call, detail))
        return out


    def _residue_call(self, sample: str, locus: Locus, by_locus: dict[str, LocusReads], path: str
                      ) -> list[tuple[Variant, SampleCall, str]]:
        """An SNV named p.X123Y counted at codon level: every codon for Y supports it (MNVs included)."""
        view, residue = self.codon_views[locus.key]
        lr = by_locus[view.key]
        fwd, rev, codons = residue_reads(lr.counts, residue)
        v = read_variant(locus, locus.alt, path)
        if not fwd + rev or not lr.depth or v is None:
            return []
        alt_counts = {c: n for c, n in lr.counts.items() if c in codons}
        bias = _strand_note(lr, alt_counts)
        detail = (f"{fwd + rev} of {lr.depth} reads ({fwd} forward, {rev} reverse) with a codon for "
                  f"{residue} at {view.name}: {codons}" + (f"; {bias}" if bias else ""))
        return [(v, SampleCall(sample, True, "./.", (fwd + rev) / lr.depth, "alignments", lr.depth, fwd + rev),
                 detail)]


def _strand_note(lr: LocusReads, alt_counts: dict) -> str | None:
    """The strand-bias flag of the pooled alt codons against every other codon (see pileup.StrandBias)."""
    from jakcli.readers.pileup import LocusReads

    pooled = LocusReads(lr.key, ref="ref", alt="alt")
    for codon, (f, r) in lr.counts.items():
        key = "alt" if codon in alt_counts else "ref"
        pooled.counts.setdefault(key, [0, 0])
        pooled.counts[key][0] += f
        pooled.counts[key][1] += r
    return pooled.strand_bias().note


def credit_record(result: LocusResult, unreadable: str | None, depth: int | None, floors: Floors
                  ) -> LocusResult:
    """A locus kept because the VCF has a record there although the header's interval file could not be
    read. With no stronger depth source, the record's depth (when it gives one) decides assessed or
    low-coverage (source ``vcf-record``); else the status is what the other sources say. The note says
    why the header did not count. A reported call at the locus is then not credited again (credit_calls
    only lifts ``no-depth-evidence``)."""
    if unreadable is None or result.status is LocusStatus.NOT_ASSESSED:
        return result
    why = ("a VCF record overlaps this locus, so it was inside the caller's intervals (the header's "
           f"restriction could not be checked: {unreadable.split('; put the file')[0]})")
    if result.locus.kind not in HOTSPOT_KINDS:
        why += "; for a region, only the record's own span is shown to lie inside the intervals"
    if result.status is LocusStatus.NO_DEPTH_EVIDENCE and depth is not None:
        status = status_for(depth, floors.min_depth)
        note = why if status is LocusStatus.ASSESSED else f"{why}; depth below the locus floor of {floors.min_depth}"
        dl = None
        if result.locus.kind in HOTSPOT_KINDS:
            dl = detection_limit_vaf(depth, floors.min_alt_reads, floors.vaf)
        return replace(result, status=status, depth=depth, detection_limit_vaf=dl, source="vcf-record", note=note)
    return replace(result, source=f"{result.source}+vcf-record",
                   note=f"{why}; {result.note}" if result.note else why)


def _vcf_state(locus: Locus, contigs: set[str] | None) -> str | None:
    if contigs is None:
        return None
    if "*" in contigs or locus.contig in contigs:
        return "covered"
    return f"missing:chromosome {locus.contig} not in the input"


def status_counts(samples: list[dict]) -> dict[str, int]:
    """``stats.loci``: how many (sample, locus) pairs had each status."""
    counts = {s.value: 0 for s in LocusStatus}
    for s in samples:
        for entry in s.get("loci", []):
            counts[entry["status"]] += 1
    return counts



