"""Build small, deterministic BAM/CRAM files for the alignment tests (pysam only)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import pysam

from jakcli.reference.genome import CONTIG_LENGTHS
from jakcli.model import Build

WIN_START, WIN_END = 5073000, 5075000  # 1-based window of synthetic chr9 sequence around V617F
V617F_POS = 5073770  # GRCh37 and GRCh38 alike; codon c.1849-1851 = 5073770-5073772 = GTC


def reference_window(seed: int = 17) -> dict[int, str]:
    """1-based position -> base, random but fixed, with the JAK2 V617 codon GTC in place."""
    rng = random.Random(seed)
    ref = {p: rng.choice("ACGT") for p in range(WIN_START, WIN_END + 1)}
    ref[V617F_POS], ref[V617F_POS + 1], ref[V617F_POS + 2] = "G", "T", "C"
    return ref


@dataclass
class Read:
    start: int  # 1-based first aligned reference base
    length: int = 100
    subs: dict = field(default_factory=dict)  # 1-based pos -> base
    reverse: bool = False
    mapq: int = 60
    flags: int = 0  # extra SAM flag bits (duplicate 0x400, secondary 0x100, ...)
    name: str | None = None
    baseq: int = 35
    low_q_at: tuple = ()  # 1-based positions given base quality 5
    deletion: tuple | None = None  # (1-based first deleted base, length)
    insertion: tuple | None = None  # (1-based base after which, sequence)


def _segment(header, ref, r: Read, i: int, contig_id: int):
    seq, cigar, quals, qpos_of = [], [], [], {}
    pos = r.start
    end = r.start + r.length - 1
    run = 0
    while pos <= end:
        if r.deletion and pos == r.deletion[0]:
            if run:
                cigar.append((0, run))
                run = 0
            cigar.append((2, r.deletion[1]))
            pos += r.deletion[1]
            end += r.deletion[1]
            continue
        qpos_of[pos] = len(seq)
        seq.append(r.subs.get(pos, ref[pos]))
        quals.append(5 if pos in r.low_q_at else r.baseq)
        run += 1
        if r.insertion and pos == r.insertion[0]:
            cigar.append((0, run))
            run = 0
            cigar.append((1, len(r.insertion[1])))
            seq.extend(r.insertion[1])
            quals.extend([r.baseq] * len(r.insertion[1]))
        pos += 1
    if run:
        cigar.append((0, run))
    a = pysam.AlignedSegment(header)
    a.query_name = r.name or f"read{i}"
    a.query_sequence = "".join(seq)
    a.flag = (0x10 if r.reverse else 0) | r.flags
    a.reference_id = contig_id
    a.reference_start = r.start - 1
    a.mapping_quality = r.mapq
    a.cigartuples = cigar
    a.query_qualities = pysam.qualitystring_to_array("".join(chr(q + 33) for q in quals))
    a.set_tag("RG", "rg1")
    return a


def write_bam(path: Path, reads: list[Read], build: Build = Build.GRCH38, samples=("PT1",),
              index: bool = True, cram_reference: Path | None = None, seed: int = 17,
              contig_length: int | None = None) -> Path:
    """Write ``reads`` (sorted, indexed) against chr9 (GRCh38 naming) or 9 (GRCh37 naming)."""
    name = "chr9" if build is Build.GRCH38 else "9"
    length = contig_length or CONTIG_LENGTHS[build]["9"]
    rgs = [{"ID": f"rg{k + 1}", "SM": s} for k, s in enumerate(samples)]
    header = pysam.AlignmentHeader.from_dict(
        {"HD": {"VN": "1.6", "SO": "coordinate"}, "SQ": [{"SN": name, "LN": length}], "RG": rgs})
    ref = reference_window(seed)
    segs = sorted((_segment(header, ref, r, i, 0) for i, r in enumerate(reads)),
                  key=lambda a: a.reference_start)
    mode, kw = ("wc", {"reference_filename": str(cram_reference)}) if cram_reference else ("wb", {})
    with pysam.AlignmentFile(str(path), mode, header=header, **kw) as out:
        for a in segs:
            out.write(a)
    if index:
        pysam.index(str(path))
    return path


def write_reference_fasta(path: Path, length: int, seed: int = 17) -> Path:
    """A FASTA for chr9 of ``length`` bases: N everywhere but the synthetic window."""
    ref = reference_window(seed)
    seq = bytearray(b"N" * length)
    for p, b in ref.items():
        if p <= length:
            seq[p - 1] = ord(b)
    with open(path, "wb") as fh:
        fh.write(b">chr9\n")
        for i in range(0, length, 60):
            fh.write(bytes(seq[i:i + 60]) + b"\n")
    pysam.faidx(str(path))
    return path


def spanning(pos: int, n: int, alt_every: int | None = None, alt_base: str = "T", **kw) -> list[Read]:
    """``n`` reads covering ``pos`` at staggered starts, half reversed, every ``alt_every``-th alt."""
    out, tally = [], {True: 0, False: 0}
    for i in range(n):
        alt = bool(alt_every) and i % alt_every == 0
        subs = {pos: alt_base} if alt else {}
        out.append(Read(start=pos - 10 - (i % 80), subs=subs, reverse=bool(tally[alt] % 2), **kw))
        tally[alt] += 1  # ref and alt reads each alternate strands
    return out


def write_random_bam(path: Path, n: int, seed: int, around: int = V617F_POS) -> Path:
    """Reads in every shape an aligner writes near ``around``: soft clips, insertions, deletions,
    splices, mismatches and N, both strands, mates sharing a name, every filter flag, low MAPQ and
    low base qualities. For checking that the fast paths agree with the general ones."""
    rng = random.Random(seed)
    ref = reference_window()
    header = pysam.AlignmentHeader.from_dict({"HD": {"VN": "1.6", "SO": "coordinate"},
                                              "SQ": [{"SN": "chr9", "LN": CONTIG_LENGTHS[Build.GRCH38]["9"]}],
                                              "RG": [{"ID": "rg1", "SM": "FUZZ"}]})
    segs = [_random_segment(header, ref, rng, around - rng.randint(0, 160)) for _ in range(n)]
    segs.sort(key=lambda a: a.reference_start)
    with pysam.AlignmentFile(str(path), "wb", header=header) as out:
        for a in segs:
            out.write(a)
    pysam.index(str(path))
    return path


def _random_cigar(rng: random.Random) -> list[tuple[int, int]]:
    ops = [(4, rng.randint(1, 10))] if rng.random() < 0.2 else []
    remaining = rng.randint(50, 120)
    while remaining > 0:
        n = min(remaining, rng.randint(5, 60))
        ops.append((0, n))
        remaining -= n
        r = rng.random()
        if remaining > 0 and r < 0.33:
            ops.append((2, rng.randint(1, 5)) if r < 0.15 else (1, rng.randint(1, 5)) if r < 0.3
                       else (3, rng.randint(10, 50)))
    return ops + ([(4, rng.randint(1, 10))] if rng.random() < 0.2 else [])


def _random_segment(header, ref: dict, rng: random.Random, start: int):
    ops, seq, p = _random_cigar(rng), [], start
    for op, n in ops:
        if op == 0:
            for _ in range(n):
                seq.append(rng.choice("ACGTN") if rng.random() < 0.03 else ref.get(p, "A"))
                p += 1
        elif op in (2, 3):
            p += n
        else:
            seq.extend(rng.choice("ACGT") for _ in range(n))
    a = pysam.AlignedSegment(header)
    a.query_name = f"r{rng.randint(0, 2200)}"  # shared names: mates, some overlapping
    a.query_sequence = "".join(seq)
    a.flag = rng.choice([0, 0, 0, 0x10, 0x10, 0x1 | 0x40, 0x1 | 0x80 | 0x10]) | (
        rng.choice([0x100, 0x200, 0x400, 0x800]) if rng.random() < 0.05 else 0)
    a.reference_id, a.reference_start = 0, start - 1
    a.mapping_quality = rng.choice([60, 60, 60, 10, 0, 25])
    a.cigartuples = ops
    a.query_qualities = pysam.qualitystring_to_array(
        "".join(chr(rng.choice([35, 35, 35, 12, 2, 20, 19]) + 33) for _ in seq))
    a.set_tag("RG", "rg1")
    return a
