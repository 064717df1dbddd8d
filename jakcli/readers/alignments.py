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

import contextlib
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from jakcli.errors import InputError, reason
from jakcli.model import Build
from jakcli.model.loci import Locus
from jakcli.readers.pileup import (
    COMPLEMENT,
    DELETED,
    INDEL_IN_BLOCK,
    LocusReads,
    observe_block_parsed,
    observe_indel_parsed,
    parse_read,
    qpos,
    region_depth,
)
from jakcli.reference.genome import length_contradiction, normalise_contig


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
        if read.query_length == 0:
            return "no-sequence"  # SEQ '*' (e.g. a hard-clipped record): nothing to observe
        return None

    @property
    def flag_mask(self) -> int:
        """SAM flag bits that exclude a read (unmapped always)."""
        return (0x4 | (0x100 if self.skip_secondary else 0) | (0x800 if self.skip_supplementary else 0)
                | (0x200 if self.skip_qcfail else 0) | (0x400 if self.skip_duplicates else 0))


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
        with contextlib.suppress(OSError):  # htslib reports a damaged file again on close; the read error said so
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


def check_alignment_build(aln: AlignmentSource, build: Build) -> None:
    """Refuse a BAM/CRAM whose @SQ lengths prove another build: its reads would be counted at the
    wrong places, and loci would be called assessed that were never looked at."""
    found = length_contradiction(build, aln.lengths)
    if found is not None:
        name, length, other = found
        raise InputError(f"{aln.path}: @SQ {name} length {length} is {other or 'neither GRCh37 nor GRCh38'}, but the "
                         f"run's build is {build}; give the BAM/CRAM aligned to {build}, or the right --build")


def alignment_header(spec_path: str, reference: str | None) -> tuple[str, list[tuple[str, str]], dict]:
    """(path, header words, @SQ lengths) of a BAM/CRAM, for finding the build of a run without a VCF."""
    with open_alignments(spec_path, reference, sample="-") as aln:
        words = [("assembly", sq.get("AS", "")) for sq in aln.handle.header.to_dict().get("SQ", []) if sq.get("AS")]
        return aln.path, words, dict(aln.lengths)


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
        # an indel is judged from its flanks and nearby indels; anything else from its own bases
        pad = filters.indel_window if locus.kind == "allele" and len(locus.ref) != len(locus.alt) else 0
        windows.setdefault(name, []).append((max(0, locus.start - 1 - pad), locus.end + pad, locus))
    for name, spans in windows.items():
        for group in _merge_windows(spans):
            try:
                _genotype_group(aln.handle, name, group, filters, out)
            except (OSError, ValueError) as exc:
                start, end = min(s for s, _e, _l in group) + 1, max(e for _s, e, _l in group)
                raise InputError(f"{aln.path}: cannot read the reads at {name}:{start}-{end} ({reason(exc)}); the "
                                 f"file is damaged: check it with 'samtools quickcheck -v {aln.path}' and re-create "
                                 "it (or its index)") from None
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


_MISSING = object()


class _LocusState:
    """One locus being genotyped: its 0-based window, how it is observed, and its tallies.

    Tallies are kept per fragment (``seen``: read name -> observation) and per (observation,
    strand) in plain dicts, folded into the ``LocusReads`` at the end: a per-read method call or
    dataclass update would cost more than the observation itself."""

    __slots__ = ("locus", "start0", "end", "result", "mode", "p0", "p0s", "lo0", "hi0", "minus", "seen", "tally",
                 "blocks", "discordant", "low_baseq")

    def __init__(self, start0: int, end: int, locus: Locus, result: LocusReads):
        self.locus, self.start0, self.end, self.result = locus, start0, end, result
        if locus.kind == "region":
            self.mode = "region"
        elif locus.kind == "allele" and len(locus.ref) != len(locus.alt):
            self.mode = "indel"
        elif locus.kind == "allele" and len(locus.ref) == 1:
            self.mode = "snv"
        else:
            self.mode = "block"
        self.p0 = locus.pos - 1
        # 0-based positions observed at an SNV/MNV/codon, in coding order, and their span
        self.p0s = tuple(p - 1 for p in locus.positions or range(locus.pos, locus.pos + len(locus.ref)))
        self.lo0, self.hi0 = (min(self.p0s), max(self.p0s)) if self.p0s else (0, -1)
        self.minus = locus.strand == "-"
        self.seen: dict[str, str] = {}
        self.tally: dict[tuple[str, bool], int] = {}
        self.blocks: dict[str, list] = {}
        self.discordant = self.low_baseq = 0

    def count(self, qn: str, obs: str, reverse: bool) -> None:
        """Count a fragment once: the first mate read decides; a disagreeing mate is noted."""
        prev = self.seen.get(qn, _MISSING)
        if prev is _MISSING:
            self.seen[qn] = obs
            key = (obs, reverse)
            self.tally[key] = self.tally.get(key, 0) + 1
        elif prev != obs:
            self.discordant += 1

    def finish(self) -> None:
        result = self.result
        if self.mode == "region":
            result.set_region_depth(*region_depth(self.blocks, self.locus.start, self.locus.end))
            return
        for (obs, reverse), n in sorted(self.tally.items()):
            result.counts.setdefault(obs, [0, 0])[1 if reverse else 0] += n
        result.discordant_mates += self.discordant
        if self.low_baseq:
            result.filtered["low-baseq"] = result.filtered.get("low-baseq", 0) + self.low_baseq


def _genotype_group(handle, name: str, group: list, filters: ReadFilters, out: dict[str, LocusReads]) -> None:
    """One index jump for loci whose windows overlap; each read is filtered and parsed once.

    Reads aligned in one block (most reads) are observed inline; everything else goes through the
    general observation functions of ``readers.pileup``, which the tests hold the fast paths to."""
    states = [_LocusState(s, e, locus, out[locus.key]) for s, e, locus in group]
    if len(states) == 1 and states[0].mode == "snv":
        _genotype_snv(handle, name, states[0], filters)
        return
    mask, min_mapq, min_bq = filters.flag_mask, filters.min_mapq, filters.min_baseq
    for read in handle.fetch(name, min(s.start0 for s in states), max(s.end for s in states)):
        r0 = read.reference_start
        r1 = read.reference_end or r0 + 1
        mine = [st for st in states if r0 < st.end and r1 > st.start0]
        if not mine:
            continue
        if read.flag & mask or read.mapping_quality < min_mapq or read.query_length == 0:
            why = filters.reject(read) or "filtered"
            for st in mine:
                st.result.filtered[why] = st.result.filtered.get(why, 0) + 1
            continue
        cigar: list = read.cigartuples or []
        one_block = len(cigar) == 1 and cigar[0][0] in (0, 7, 8)
        qn, reverse, parsed = read.query_name, read.is_reverse, None
        for st in mine:
            if st.mode == "region":
                st.blocks.setdefault(qn, []).extend(((r0, r1),) if one_block else read.get_blocks())
                continue
            if st.mode == "indel" and one_block:
                # no indel in the read: the bases between the flanks, when it covers both
                if r0 <= st.p0 - 1 and st.p0 + len(st.locus.ref) < r1:
                    st.count(qn, read.query_sequence[st.p0 - r0:st.p0 - r0 + len(st.locus.ref)], reverse)
                continue
            if one_block:
                if not (r0 <= st.lo0 and st.hi0 < r1):
                    continue
                quals, seq = read.query_qualities, read.query_sequence
                if quals is not None and any(quals[p - r0] < min_bq for p in st.p0s):
                    st.low_baseq += 1
                    continue
                bases = "".join([seq[p - r0] for p in st.p0s])  # BAM bases are upper case
                st.count(qn, bases.translate(COMPLEMENT) if st.minus else bases, reverse)
                continue
            if parsed is None:
                parsed = parse_read(read)
            if st.mode == "indel":
                obs = observe_indel_parsed(parsed[0], parsed[1], st.locus, filters.indel_window)
            else:
                obs = observe_block_parsed(parsed[0], parsed[1], parsed[2], st.locus, min_bq)
            if obs == "low-baseq":
                st.low_baseq += 1
            elif obs is not None:
                st.count(qn, obs, reverse)
    for st in states:
        st.finish()


def _genotype_snv(handle, name: str, st: _LocusState, filters: ReadFilters) -> None:
    """The most common locus, alone in its window: a tight loop over the reads covering it that
    only collects (read name, base, strand); mates are folded afterwards with dict operations."""
    p0, mask, min_mapq, min_bq = st.p0, filters.flag_mask, filters.min_mapq, filters.min_baseq
    names: list[str] = []
    bases: list[tuple[str, bool]] = []
    for read in handle.fetch(name, p0, p0 + 1):
        flag = read.flag
        if flag & mask or read.mapping_quality < min_mapq or read.query_length == 0:
            why = filters.reject(read) or "filtered"
            st.result.filtered[why] = st.result.filtered.get(why, 0) + 1
            continue
        cigar: list = read.cigartuples or []
        if len(cigar) == 1 and cigar[0][0] in (0, 7, 8):
            q = p0 - read.reference_start
        else:
            walk = parse_read(read)[0]
            q = qpos(walk[0], walk[1], p0)
            if q is None:
                continue
            if q == DELETED:
                names.append(read.query_name)
                bases.append((INDEL_IN_BLOCK, bool(flag & 0x10)))
                continue
        quals = read.query_qualities  # None when QUAL is '*': no base quality to judge by
        if quals is not None and quals[q] < min_bq:
            st.low_baseq += 1
            continue
        names.append(read.query_name)
        bases.append((read.query_sequence[q], bool(flag & 0x10)))  # BAM bases are upper case
    first = dict(zip(reversed(names), reversed(bases)))  # the first mate read of each fragment
    if len(first) < len(names):
        last = dict(zip(names, bases))
        st.discordant += sum(1 for qn, (obs, _) in first.items() if last[qn][0] != obs)
    st.tally = dict(Counter(first.values()))
    st.finish()
