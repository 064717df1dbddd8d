"""Split MNVs: two or three SNV records in one codon, on one haplotype of one sample, are merged
into one multi-nucleotide allele before matching (pure).

One haplotype means, per sample:
- phased: both calls in the same phase set (same FORMAT PS, or GATK PID with PGT, or ``|`` genotypes
  without PS, which VCF 4.2 puts in one phase set per contig) with the ALT on the same side of the
  phased genotype; calls in one phase set with the ALT on different sides are in trans, never merged;
- unphased (``/`` genotypes, or callers without GT): allele fractions that differ by at most
  :data:`VAF_TOLERANCE` (absolute), i.e. consistent with one clone. Calls without an allele fraction
  are not merged.
The merged allele's REF/ALT span the changed bases; a base between two changed ones (codon
positions 1 and 3) is filled from the reference codon known for that codon, and without one the calls
are not merged (each SNV is then evaluated alone).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from jakcli.model import SampleCall, Variant

VAF_TOLERANCE = 0.10


@dataclass(frozen=True, slots=True)
class Pending:
    """One SNV held back until every record of its codon has been read."""

    variant: Variant
    calls: tuple[SampleCall, ...]
    codon: tuple[str, int]  # (gene, codon number)


def same_haplotype(a: SampleCall, b: SampleCall) -> str | None:
    """How two calls of one sample were found to be on one haplotype, or None."""
    if not (a.carries and b.carries):
        return None
    if a.phase_set and b.phase_set:
        if a.phase_set != b.phase_set or a.phased_gt is None or b.phased_gt is None:
            return None
        sa, sb = _alt_sides(a.phased_gt), _alt_sides(b.phased_gt)
        return f"phased ({a.phase_set})" if sa & sb else None
    if a.phase_set or b.phase_set:
        return None
    if a.vaf is None or b.vaf is None or abs(a.vaf - b.vaf) > VAF_TOLERANCE:
        return None
    return f"unphased, allele fractions {a.vaf:.2f} and {b.vaf:.2f} within {VAF_TOLERANCE:.2f}"


def _alt_sides(gt: str) -> set[int]:
    return {i for i, x in enumerate(gt.split("|")) if x not in ("0", ".")}


def merge_group(group: list[Pending], ref_base: Callable[[int], str | None],
                keep_apart: Callable[[Variant, list[Variant]], bool] = lambda merged, parts: False):
    """For one codon's SNVs: yield ``(variant, calls, merged_note)`` to evaluate: the merged allele
    with the calls of the samples that carry all SNVs on one haplotype, and each SNV with the calls
    of the other samples (``merged_note`` None). ``keep_apart(merged, parts)`` True leaves the SNVs
    unmerged (the caller's rule: a rule names one of the SNVs but not the merged allele)."""
    group = sorted(group, key=lambda p: p.variant.min_pos)
    if len(group) < 2 or len({p.variant.min_pos for p in group}) != len(group):
        for p in group:
            yield p.variant, list(p.calls), None
        return
    merged = _merged_variant(group, ref_base)
    if merged is not None and keep_apart(merged, [p.variant for p in group]):
        merged = None
    by_sample = [{c.sample: c for c in p.calls} for p in group]
    together: list[SampleCall] = []
    how_by: dict[str, str] = {}
    if merged is not None:
        for sample, first in by_sample[0].items():
            hows = [same_haplotype(first, calls[sample]) for calls in by_sample[1:] if sample in calls]
            if len(hows) == len(group) - 1 and all(hows):
                how_by[sample] = str(hows[0])
                together.append(_merged_call(first, [calls[sample] for calls in by_sample[1:]]))
    for p in group:
        rest = [c for c in p.calls if c.sample not in how_by]
        if rest:
            yield p.variant, rest, None
    if merged is not None and together:
        records = ", ".join(f"{p.variant.chrom}:{p.variant.pos}{p.variant.ref}>{p.variant.alt}" for p in group)
        for call in together:
            how = how_by[call.sample]
            yield merged, [call], f"merged from {len(group)} VCF records ({records}) in one codon: {how}"


def _merged_variant(group: list[Pending], ref_base: Callable[[int], str | None]) -> Variant | None:
    first, last = group[0].variant, group[-1].variant
    changed = {p.variant.min_pos: (p.variant.min_ref, p.variant.min_alt) for p in group}
    ref = alt = ""
    for pos in range(first.min_pos, last.min_pos + 1):
        if pos in changed:
            r, a = changed[pos]
        else:
            base = ref_base(pos)
            if base is None:
                return None
            r = a = base
        ref, alt = ref + r, alt + a
    return replace(first, pos=first.min_pos, ref=ref, alt=alt, min_pos=first.min_pos, min_ref=ref, min_alt=alt,
                   annotations=())


def _merged_call(first: SampleCall, others: list[SampleCall]) -> SampleCall:
    calls = [first, *others]
    vafs = [c.vaf for c in calls if c.vaf is not None]
    reads = [c.alt_reads for c in calls if c.alt_reads is not None]
    depths = [c.depth for c in calls if c.depth is not None]
    return replace(first, vaf=min(vafs) if vafs else None, alt_reads=min(reads) if reads else None,
                   depth=min(depths) if depths else None)
