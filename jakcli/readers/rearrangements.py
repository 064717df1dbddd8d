"""Rearrangement inputs of one run: fusion tables and SV VCFs read and every call attributed to a
report sample (or a clear error asking for ``SAMPLE=PATH``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import KeysView
from dataclasses import dataclass, field

from jakcli.errors import InputError
from jakcli.model import FusionCall
from jakcli.readers.fusions import FusionTable, read_fusion_table
from jakcli.readers.svsamples import plan_attribution
from jakcli.readers.svvcf import SvFile, read_sv_vcf
from jakcli.readers.vcf import VcfReader


@dataclass
class RearrangementInputs:
    """Everything read from fusion tables and SV VCFs, before evaluation."""

    tables: list[FusionTable] = field(default_factory=list)
    sv_files: list[SvFile] = field(default_factory=list)
    calls: list[tuple[str, FusionCall]] = field(default_factory=list)
    samples: dict[str, None] = field(default_factory=dict)  # report samples named by these inputs, in order
    skipped: Counter = field(default_factory=Counter)
    fusion_samples: set[str] = field(default_factory=set)  # samples with an RNA fusion table
    sv_contigs: dict[str, set[str] | None] = field(default_factory=dict)  # per sample; None = not declared

    def dna_only_contigs(self, sample: str) -> set[str] | None:
        """Contigs the SV input of a sample without a fusion table declares (None: not limited)."""
        if sample in self.fusion_samples:
            return None
        return self.sv_contigs.get(sample)

    @property
    def assessed(self) -> KeysView[str]:
        """Samples with any fusion or SV input (a view: asked once per sample of a cohort)."""
        return self.samples.keys()

    def add_sample(self, s: str) -> None:
        self.samples.setdefault(s)

    def read_counts(self) -> dict:
        """Counts of what was read (the evaluation adds its own counts)."""
        skipped = Counter(self.skipped)
        for f in self.sv_files:
            skipped.update(f.skipped)
        return {"fusion_calls_read": sum(len(t.calls) for t in self.tables),
                "fusion_calls_evaluated": len(self.calls),
                "sv_records_read": sum(f.records_read for f in self.sv_files),
                "sv_records_evaluated": sum(f.records_evaluated for f in self.sv_files),
                "sv_junctions": sum(len(f.junctions) for f in self.sv_files),
                "skipped": dict(sorted(skipped.items()))}


def read_rearrangements(specs_fusion: list[tuple[str | None, str]], sv_readers: list[tuple[str | None, VcfReader]],
                        vcf_samples: list[str], rename: dict[str, str], include_filtered: bool,
                        selected: tuple[str, ...] = (), digest: str = "sha256") -> RearrangementInputs:
    """Read fusion tables and SV VCFs and attribute every call to a report sample (or fail). A table
    that names no sample belongs to the run's only sample, or to the one sample chosen with --sample."""
    out = RearrangementInputs()
    table_samples = list(selected) if len(selected) == 1 else vcf_samples
    for target, path in specs_fusion:
        _add_table(out, read_fusion_table(path, target, digest), target, path, table_samples)
    for target, reader in sv_readers:
        sv = read_sv_vcf(reader, plan_attribution(reader, target, vcf_samples, rename), include_filtered)
        out.sv_files.append(sv)
        for s in sv.samples:
            out.add_sample(s)
            known = out.sv_contigs.get(s, set())
            out.sv_contigs[s] = None if known is None or sv.contigs is None else known | sv.contigs
    return out


def _add_table(out: RearrangementInputs, table: FusionTable, target: str | None, path: str,
               vcf_samples: list[str]) -> None:
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
        out.fusion_samples.add(target)
    for call in table.calls:
        sample = call.sample if call.sample is not None else target
        if target is not None and table.has_sample_column and call.sample != target:
            out.skipped["fusion_call_of_another_sample"] += 1
            continue
        assert sample is not None  # a table without a sample column always has a target by now
        out.add_sample(sample)
        out.fusion_samples.add(sample)
        out.calls.append((sample, call))
