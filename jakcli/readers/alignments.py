"""Hotspot genotyping straight from BAM/CRAM: the only module that opens alignment files.

Why: MPN and CHIP work needs JAK2 V617F at 1-2% VAF, which variant callers often do not emit, and
"not detected" needs the depth the reads gave. Only the rule loci are fetched through the index,
so the cost is a targeted pileup's and memory does not grow with the BAM.

Read filters (``ReadFilters``, all documented in docs/evidence.md): unmapped, secondary,
supplementary, QC-fail and duplicate reads are skipped; reads under ``min_mapq`` are skipped;
bases under ``min_baseq`` make a read uninformative at an SNV/MNV/codon locus. The two mates of
a fragment that overlap a locus count once (the first one read; a disagreeing mate is counted in
``discordant_mates``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from jakcli.errors import InputError, reason
from jakcli.model.loci import Locus
from jakcli.readers.pileup import LocusReads, observe_block, observe_indel, region_depth
from jakcli.reference.genome import normalise_contig


@dataclass(frozen=True)
class ReadFilters:
    """Which reads and bases count. Defaults follow common practice for somatic hotspot calling
    (MAPQ 20, base quality 20, duplicates excluded)."""

    min_mapq: int = 20
    min_baseq: int = 20
    skip_duplicates: bool = True
    skip_secondary: bool = True
    skip_supplementary: bool = True
    skip_qcfail: bool = True
    indel_window: int = 20  # an indel this close to an indel locus makes a read neither ref nor alt

    def reject(self, read) -> str | None:
        """Why a read is not counted at all (None: it is)."""
        if read.is_unmapped:
            return "unmapped"
        if self.skip_secondary and read.is_secondary:
            return "secondary"
        if self.skip_supplementary and read.is_supplementary:
            return "supplementary"
        if self.skip_qcfail and read.is_qcfail:
            return "qc-fail"
        if self.skip_duplicates and read.is_duplicate:
            return "duplicate"
        if read.mapping_quality < self.min_mapq:
            return "low-mapq"
        return None


@dataclass
class AlignmentSource:
    """An opened, indexed BAM/CRAM and the one sample it holds."""

    path: str
    sample: str
    is_cram: bool
    contigs: dict  # normalised contig -> name in the file
    lengths: dict  # name in the file -> length
    handle: Any = field(repr=False)

    def close(self) -> None:
        self.handle.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _is_cram(path: str) -> bool:
    with open(path, "rb") as fh:
        return fh.read(4) == b"CRAM"


def open_alignments(path: str, reference: str | None = None, sample: str | None = None) -> AlignmentSource:
    """Open ``path`` (BAM or CRAM) for locus queries; every problem is a one-line InputError."""
    import pysam

    if not os.path.exists(path):
        raise InputError(f"{path}: alignment file not found")
    cram = _is_cram(path)
    if cram and not reference:
        raise InputError(f"{path}: a CRAM needs the reference FASTA it was compressed against; pass --reference FASTA")
    if reference and not os.path.exists(reference):
        raise InputError(f"{reference}: reference FASTA not found (--reference)")
    pysam.set_verbosity(0)
    try:
        handle = pysam.AlignmentFile(path, "rc" if cram else "rb", reference_filename=reference)
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: not a readable BAM/CRAM file ({reason(exc)})") from None
    try:
        indexed = handle.check_index()
    except (ValueError, AttributeError):
        indexed = False
    if not indexed:
        handle.close()
        raise InputError(f"{path}: no index (.bai/.csi/.crai) found; create one with 'samtools index {path}'")
    names = list(handle.references)
    src = AlignmentSource(path, "", cram, {normalise_contig(n): n for n in names},
                          dict(zip(names, handle.lengths)), handle)
    src.sample = sample or _sample_from_read_groups(handle.header.to_dict(), path)
    return src


def _sample_from_read_groups(header: dict, path: str) -> str:
    names = sorted({rg.get("SM") for rg in header.get("RG", []) if rg.get("SM")})
    if len(names) == 1:
        return names[0]
    if not names:
        raise InputError(f"{path}: no @RG line names a sample (SM); pass it as SAMPLE={path}")
    raise InputError(f"{path}: read groups name {len(names)} samples ({', '.join(names[:4])}); "
                     f"jakcli reads one sample per file: pass SAMPLE={path} or split the file")


def genotype_loci(aln: AlignmentSource, loci: list[Locus], filters: ReadFilters = ReadFilters()
                  ) -> dict[str, LocusReads]:
    """Per-strand depth and allele counts at every locus, from the reads spanning it."""
    out: dict[str, LocusReads] = {}
    for locus in loci:
        name = aln.contigs.get(normalise_contig(locus.contig))
        result = LocusReads(locus.key, ref=locus.ref_codon if locus.kind == "codon" else locus.ref,
                            alt=locus.alt if locus.kind == "allele" else None)
        if name is None:
            result.notes.append(f"contig {locus.contig} is not in the header of {aln.path}")
        else:
            _genotype_one(aln.handle, name, locus, filters, result)
        out[locus.key] = result
    return out


def _genotype_one(handle, name: str, locus: Locus, filters: ReadFilters, result: LocusReads) -> None:
    pad = filters.indel_window if locus.kind == "allele" and len(locus.ref) != len(locus.alt) else 1
    start0 = max(0, locus.start - 1 - pad)
    seen: dict[str, str | None] = {}
    blocks: dict[str, list] = {}
    for read in handle.fetch(name, start0, locus.end + pad):
        why = filters.reject(read)
        if why:
            result.filtered[why] = result.filtered.get(why, 0) + 1
            continue
        if locus.kind == "region":
            blocks.setdefault(read.query_name, []).extend(read.get_blocks())
            continue
        if locus.kind == "codon" or len(locus.ref) == len(locus.alt):
            obs = observe_block(read, locus, filters.min_baseq)
        else:
            obs = observe_indel(read, locus, filters.indel_window)
        if obs is None:
            continue
        if obs == "low-baseq":
            result.filtered["low-baseq"] = result.filtered.get("low-baseq", 0) + 1
            continue
        qn = read.query_name
        if qn in seen:  # the overlapping mate of a fragment already counted
            if seen[qn] != obs:
                result.discordant_mates += 1
            continue
        seen[qn] = obs
        result.add(obs, read.is_reverse)
    if locus.kind == "region":
        result.set_region_depth(*region_depth(blocks, locus.start, locus.end))
