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
from jakcli.readers.pileup import LocusReads, observe_block_parsed, observe_indel_parsed, parse_read, region_depth
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
    """Per-strand depth and allele counts at every locus, from the reads spanning it.

    Loci whose read windows overlap are fetched together (V617F, its codon and the pseudokinase
    region are one fetch), and each read is filtered and parsed once for all the loci it spans."""
    out: dict[str, LocusReads] = {}
    windows: dict[str, list[tuple[int, int, Locus]]] = {}
    for locus in loci:
        name = aln.contigs.get(normalise_contig(locus.contig))
        out[locus.key] = LocusReads(locus.key, ref=locus.ref_codon if locus.kind == "codon" else locus.ref,
                                    alt=locus.alt if locus.kind == "allele" else None)
        if name is None:
            out[locus.key].notes.append(f"contig {locus.contig} is not in the header of {aln.path}")
            continue
        pad = filters.indel_window if locus.kind == "allele" and len(locus.ref) != len(locus.alt) else 1
        windows.setdefault(name, []).append((max(0, locus.start - 1 - pad), locus.end + pad, locus))
    for name, spans in windows.items():
        for group in _merge_windows(spans):
            _genotype_group(aln.handle, name, group, filters, out)
    return out


def _merge_windows(spans: list[tuple[int, int, Locus]]) -> list[list[tuple[int, int, Locus]]]:
    groups: list[list[tuple[int, int, Locus]]] = []
    end = -1
    for span in sorted(spans, key=lambda x: (x[0], x[1])):
        if groups and span[0] <= end:
            groups[-1].append(span)
            end = max(end, span[1])
        else:
            groups.append([span])
            end = span[1]
    return groups


class _LocusState:
    __slots__ = ("locus", "start0", "end", "result", "seen", "blocks", "indel")

    def __init__(self, start0: int, end: int, locus: Locus, result: LocusReads):
        self.locus, self.start0, self.end, self.result = locus, start0, end, result
        self.seen: dict[str, str | None] = {}
        self.blocks: dict[str, list] = {}
        self.indel = locus.kind == "allele" and len(locus.ref) != len(locus.alt)


def _genotype_group(handle, name: str, group: list, filters: ReadFilters, out: dict[str, LocusReads]) -> None:
    states = [_LocusState(s, e, locus, out[locus.key]) for s, e, locus in group]
    for read in handle.fetch(name, min(s.start0 for s in states), max(s.end for s in states)):
        r0 = read.reference_start
        r1 = read.reference_end or r0 + 1
        mine = [st for st in states if r0 < st.end and r1 > st.start0]
        if not mine:
            continue
        why = filters.reject(read)
        if why:
            for st in mine:
                st.result.filtered[why] = st.result.filtered.get(why, 0) + 1
            continue
        parsed = None
        for st in mine:
            if st.locus.kind == "region":
                st.blocks.setdefault(read.query_name, []).extend(read.get_blocks())
                continue
            if parsed is None:
                parsed = parse_read(read)
            if st.indel:
                obs = observe_indel_parsed(parsed[0], parsed[1], st.locus, filters.indel_window)
            else:
                obs = observe_block_parsed(parsed[0], parsed[1], parsed[2], st.locus, filters.min_baseq)
            _count(st, read, obs)
    for st in states:
        if st.locus.kind == "region":
            st.result.set_region_depth(*region_depth(st.blocks, st.locus.start, st.locus.end))


def _count(st: _LocusState, read, obs: str | None) -> None:
    if obs is None:
        return
    result = st.result
    if obs == "low-baseq":
        result.filtered["low-baseq"] = result.filtered.get("low-baseq", 0) + 1
        return
    qn = read.query_name
    if qn in st.seen:  # the overlapping mate of a fragment already counted
        if st.seen[qn] != obs:
            result.discordant_mates += 1
        return
    st.seen[qn] = obs
    result.add(obs, read.is_reverse)
