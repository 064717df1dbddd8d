"""Depth at rule loci from a gVCF: reference blocks (INFO/END) and variant records.

Recognised writers (record shapes as they write them):
- GATK HaplotypeCaller ``-ERC GVCF``: ALT ``<NON_REF>``, ``END=``, FORMAT ``GT:DP:GQ:MIN_DP:PL``;
- DeepVariant: ALT ``<*>``, ``END=``, FORMAT ``GT:GQ:MIN_DP:PL`` (no DP in blocks);
- bcftools ``call --gvcf``: ALT ``.`` (1.16), ``END=...;MinDP=`` in INFO, FORMAT ``GT:DP``.
The depth of a block is its minimum (FORMAT MIN_DP, else INFO MinDP, else FORMAT DP); a locus
spanning several records takes the smallest. A base inside no record was not emitted: no evidence.
"""

from __future__ import annotations

from jakcli.model.loci import Locus
from jakcli.readers.coverage import CoverageAt
from jakcli.reference.genome import normalise_contig

_SYMBOLIC_REF_ALTS = {"<NON_REF>", "<*>", "<X>"}


def is_gvcf_header(header_lines) -> bool:
    """True when the ``##`` lines declare a gVCF (``##ALT`` NON_REF/*, ``##GVCFBlock``, or a
    writer's gVCF option on its command line)."""
    for line in header_lines:
        if line.startswith(("##ALT=<ID=NON_REF", "##ALT=<ID=*,", "##GVCFBlock")):
            return True
        if line.startswith("##GATKCommandLine") and "emit-ref-confidence GVCF" in line:
            return True
        if line.startswith("##bcftools_callCommand") and "--gvcf" in line.split("; Date=")[0]:
            return True
    return False


def is_reference_block(rec) -> bool:
    """A record that calls no alternate allele: ALT ``.``, ``<NON_REF>`` or ``<*>`` only (pysam hides
    INFO/END behind ``rec.stop``, so the span is not what decides)."""
    alts = rec.alts or ()
    return all(a in _SYMBOLIC_REF_ALTS for a in alts)


def is_no_call(rec, sample: str) -> bool:
    """The sample's GT is given and every allele of it is missing (``./.``, ``.``): the caller looked
    and made no call (DeepVariant and GATK write such records with depth and AD, even with alt reads)."""
    try:
        gt = rec.samples[sample].get("GT")
    except (KeyError, ValueError):
        return False
    return gt is not None and len(gt) > 0 and all(a is None for a in gt)


def record_depth(rec, sample: str) -> int | None:
    """Minimum depth a record states for ``sample``: MIN_DP, INFO MinDP, DP, or the sum of AD."""
    s = rec.samples[sample]
    for key in ("MIN_DP",):
        if key in s and s[key] is not None:
            return int(s[key])
    if is_reference_block(rec) and "MinDP" in rec.info:
        return int(rec.info["MinDP"])
    if "DP" in s and s["DP"] is not None:
        return int(s["DP"])
    if "AD" in s and s["AD"] is not None and None not in s["AD"]:
        return int(sum(s["AD"]))
    return None


def gvcf_depths(records, loci: list[Locus], samples: list[str], source: str) -> dict[str, dict[str, CoverageAt]]:
    """Per locus and sample, the depth the records (an iterable of pysam records, any order) give."""
    spans: dict[str, list] = {locus.key: [] for locus in loci}
    by_contig: dict[str, list[Locus]] = {}
    for locus in loci:
        by_contig.setdefault(locus.contig, []).append(locus)
    for rec in records:
        todo = by_contig.get(normalise_contig(rec.chrom))
        if not todo:
            continue
        end = rec.stop  # pysam: INFO/END when present, else pos + len(ref) - 1
        for locus in todo:
            if rec.start < locus.end and locus.start - 1 < end:
                spans[locus.key].append(rec)
    return {locus.key: {s: _at(locus, spans[locus.key], s, source) for s in samples} for locus in loci}


def _at(locus: Locus, recs: list, sample: str, source: str) -> CoverageAt:
    pos = locus.start - 1
    for rec in sorted(recs, key=lambda r: r.start):
        if rec.start > pos:
            break
        pos = max(pos, rec.stop)
    if pos < locus.end:
        return CoverageAt(None, None, False, "gap", source)
    if any(is_no_call(r, sample) for r in recs):  # a depth without a genotype shows nothing absent
        return CoverageAt(None, None, False, "no-call", source)
    depths = [record_depth(r, sample) for r in recs]
    blocks = all(is_reference_block(r) for r in recs)
    known = [d for d in depths if d is not None]
    depth = min(known) if known else None  # a record stating no depth never hides a shallow one
    return CoverageAt(depth, None, None if depth is not None else True,
                      "gvcf-block" if blocks else "gvcf-record", source)


def read_gvcf_depths(vf, loci: list[Locus], samples: list[str], source: str) -> dict[str, dict[str, CoverageAt]]:
    """:func:`gvcf_depths` over an open pysam VariantFile: per-locus fetch when indexed, else one pass."""
    try:
        indexed = vf.index is not None
    except (ValueError, AttributeError):
        indexed = False
    if not indexed:
        return gvcf_depths(vf, loci, samples, source)
    names = {normalise_contig(c): c for c in vf.header.contigs}
    recs = []
    for locus in loci:
        name = names.get(locus.contig)
        if name is not None:
            recs.extend(vf.fetch(name, max(0, locus.start - 2), locus.end))
    return gvcf_depths(recs, loci, samples, source)



def gvcf_depths_at(path: str, loci: list[Locus], samples: list[str]) -> dict[str, dict[str, CoverageAt]]:
    """:func:`read_gvcf_depths` for a gVCF on disk (a classify input re-opened after its scan)."""
    import pysam

    from jakcli.errors import InputError, reason

    try:
        with pysam.VariantFile(path) as vf:
            return read_gvcf_depths(vf, loci, samples, path)
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read its gVCF reference blocks ({reason(exc)})") from None
