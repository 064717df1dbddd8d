#!/usr/bin/env python3
"""Hotspot genotyping from a BAM (issue 16): jakcli's genotype_loci against targeted pileups.

    python3 bench/pileup.py              # default: 2,000x at every rule locus + 1,000,000 background reads
    python3 bench/pileup.py --smoke      # tiny sizes: checks the harness and the answer, not the speed

A deterministic BAM (pysam, fixed seed) holds ``--depth`` read pairs' worth of 100-bp reads over every
GRCh38 rule locus (1% carry the alt base at SNV alleles) and ``--background`` reads spread over the
rules' chromosomes away from the loci, so the file is large while the loci are few. In the same run it
times, each as its own process (interpreter start-up included for jakcli, as a pipeline would pay it):
- jakcli: open the BAM, genotype every rule locus (``jakcli.readers.alignments.genotype_loci``);
- ``samtools mpileup -r <locus>`` once per merged target region (one process each, as a shell loop);
- ``bcftools mpileup -R targets.bed`` (one process, index jumps to each region).
Median of ``--runs`` runs; peak RSS from ``wait4``. Exit 1 only if a command fails or jakcli's depth
or alt count at V617F is wrong.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from jakcli.engine.evidence import rule_loci  # noqa: E402
from jakcli.reference.genome import CONTIG_LENGTHS  # noqa: E402
from jakcli.model import Build  # noqa: E402
from jakcli.ruleset.loader import load_ruleset  # noqa: E402

CONTIGS = ["1", "5", "9", "19", "X", "Y"]
READ_LEN = 100
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}


def _loci():
    return rule_loci(load_ruleset().rules.values(), Build.GRCH38)


def build_bam(path: Path, depth: int, background: int, seed: int = 7) -> list:
    """Write the benchmark BAM (sorted, indexed); return the loci it was built for."""
    import pysam

    rng = random.Random(seed)
    loci = _loci()
    header = pysam.AlignmentHeader.from_dict({
        "HD": {"VN": "1.6", "SO": "coordinate"},
        "SQ": [{"SN": f"chr{c}", "LN": CONTIG_LENGTHS[Build.GRCH38][c]} for c in CONTIGS],
        "RG": [{"ID": "rg1", "SM": "BENCH"}]})
    tid = {c: i for i, c in enumerate(CONTIGS)}
    reads = []  # (tid, start0, name, alt (pos, base) or None, reverse)
    refbase = _reference_bases(loci)
    n = 0
    for locus in loci:
        centre = (locus.start + locus.end) // 2
        for i in range(depth):
            alt = locus.kind == "allele" and len(locus.ref) == 1 == len(locus.alt) and i % 100 == 0
            reads.append((tid[locus.contig], centre - 1 - rng.randrange(10, READ_LEN - 10), f"h{n}",
                          (locus.pos, locus.alt) if alt else None, bool(i % 2)))
            n += 1
    spans = [(l.contig, l.start - 500, l.end + 500) for l in loci]
    while len(reads) < len(loci) * depth + background:
        c = rng.choice(CONTIGS[:4])
        start = rng.randrange(1_000_000, 40_000_000)
        if any(c == sc and start < e and s < start + READ_LEN for sc, s, e in spans):
            continue
        reads.append((tid[c], start, f"b{n}", None, rng.random() < 0.5))
        n += 1
    reads.sort(key=lambda r: (r[0], r[1]))
    quals = pysam.qualitystring_to_array("I" * READ_LEN)
    bases = "".join(rng.choice("ACGT") for _ in range(4096))
    with pysam.AlignmentFile(str(path), "wb", header=header) as out:
        for t, start, name, alt, rev in reads:
            a = pysam.AlignedSegment(header)
            a.query_name, a.reference_id, a.reference_start = name, t, start
            off = start % 3900
            seq = list(bases[off:off + READ_LEN])
            for k in range(READ_LEN):  # reference bases at the rule loci, so ref reads are ref
                b = refbase.get((CONTIGS[t], start + 1 + k))
                if b:
                    seq[k] = b
            if alt:
                seq[alt[0] - 1 - start] = alt[1]
            a.query_sequence = "".join(seq)
            a.flag, a.mapping_quality, a.cigartuples = (16 if rev else 0), 60, [(0, READ_LEN)]
            a.query_qualities = quals
            out.write(a)
    pysam.index(str(path))
    return loci


def _reference_bases(loci) -> dict:
    """(contig, 1-based pos) -> reference base at every allele and codon locus of the rules."""
    comp = str.maketrans("ACGT", "TGCA")
    out = {}
    for l in loci:
        if l.kind == "allele":
            out.update({(l.contig, l.pos + i): b for i, b in enumerate(l.ref)})
        elif l.kind == "codon":
            bases = l.ref_codon.translate(comp) if l.strand == "-" else l.ref_codon
            out.update({(l.contig, p): b for p, b in zip(l.positions, bases)})
    return out


def merged_targets(loci, pad: int = 0) -> list[tuple[str, int, int]]:
    out: list[list] = []
    for c, s, e in sorted((f"chr{l.contig}", l.start - pad, l.end + pad) for l in loci):
        if out and out[-1][0] == c and s <= out[-1][2] + 1:
            out[-1][2] = max(out[-1][2], e)
        else:
            out.append([c, s, e])
    return [tuple(t) for t in out]


def timed(cmd, shell: bool = False) -> tuple[float, float, float, str]:
    """Wall time (s), CPU time (user + system, s), the child's own peak RSS (MB, from wait4) and
    its stdout.

    The child is started with posix_spawn, not fork, and the BAM is generated in another process:
    Linux keeps a process's peak RSS across exec, so a child of a process that had held the
    generated reads would report that memory as its own.
    """
    argv = ["/bin/sh", "-c", cmd] if shell else cmd
    with open(_OUT, "w") as out, open(os.devnull, "w") as err:
        t0 = time.perf_counter()
        pid = os.posix_spawnp(argv[0], argv, ENV, file_actions=[
            (os.POSIX_SPAWN_DUP2, out.fileno(), 1), (os.POSIX_SPAWN_DUP2, err.fileno(), 2)])
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"command failed: {cmd if isinstance(cmd, str) else ' '.join(cmd)}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, Path(_OUT).read_text()


_OUT = os.path.join(tempfile.gettempdir(), f"jakcli-pileup-bench-{os.getpid()}.out")

JAKCLI_SNIPPET = """
import sys
from jakcli.engine.evidence import rule_loci
from jakcli.model import Build
from jakcli.readers.alignments import ReadFilters, genotype_loci, open_alignments
from jakcli.ruleset.loader import load_ruleset
loci = rule_loci(load_ruleset().rules.values(), Build.GRCH38)
with open_alignments(sys.argv[1]) as aln:
    res = genotype_loci(aln, loci, ReadFilters())
v = res["jak2-v617f:9:5073770:G>T"]
print(v.depth, v.alt_reads(), sum(r.depth for r in res.values()))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--depth", type=int, default=2000)
    ap.add_argument("--background", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workdir")
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.smoke:
        args.depth, args.background, args.runs = 50, 2000, 1
    for tool in ("samtools", "bcftools"):
        if not shutil.which(tool):
            sys.exit(f"{tool} not found: apt-get install -y {tool}")
    work = Path(args.workdir or tempfile.mkdtemp(prefix="jakcli-pileup-"))
    work.mkdir(parents=True, exist_ok=True)
    bam = work / f"bench_d{args.depth}_b{args.background}.bam"
    t0 = time.perf_counter()
    if args.generate_only:
        build_bam(bam, args.depth, args.background)
        return
    if not (bam.exists() and Path(str(bam) + ".bai").exists()):
        # in a child process: Linux keeps a process's peak RSS across exec, so commands spawned from
        # a parent that had held the generated reads would all report the generator's memory
        subprocess.run([sys.executable, __file__, "--generate-only", "--depth", str(args.depth), "--background",
                        str(args.background), "--workdir", str(work)], check=True)
    loci = _loci()
    gen = time.perf_counter() - t0
    targets = merged_targets(loci)
    bed = work / "targets.bed"
    bed.write_text("".join(f"{c}\t{s - 1}\t{e}\n" for c, s, e in targets))
    snippet = work / "genotype.py"
    snippet.write_text(JAKCLI_SNIPPET)
    cmds = {
        "jakcli genotype_loci (python process)": [sys.executable, str(snippet), str(bam)],
        f"samtools mpileup -r, {len(targets)} processes": " ; ".join(
            f"samtools mpileup -B -Q 20 -q 20 -r {c}:{s}-{e} {bam}" for c, s, e in targets),
        "bcftools mpileup -R targets.bed": f"bcftools mpileup --no-reference -R {bed} -a AD,DP -d 100000 -Q 20 -q 20 {bam}",
        "python start-up + imports + rule loading only": [sys.executable, "-c", JAKCLI_SNIPPET.split("with open_alignments")[0]],
    }
    # time jakcli, not the byte compiler: PYTHONDONTWRITEBYTECODE would recompile every module per run
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "jakcli")], check=True, env=ENV)
    walls: dict[str, list[float]] = {name: [] for name in cmds}
    cpus: dict[str, list[float]] = {name: [] for name in cmds}
    rss: dict[str, float] = dict.fromkeys(cmds, 0.0)
    outs: dict[str, str] = {}
    for _ in range(args.runs):  # rounds: every contender once per round, so load drift hits all alike
        for name, cmd in cmds.items():
            w, c, r, outs[name] = timed(cmd, shell=isinstance(cmd, str))
            walls[name].append(w)
            cpus[name].append(c)
            rss[name] = max(rss[name], r)
    results = {name: (statistics.median(walls[name]), statistics.median(cpus[name]), rss[name], outs[name])
               for name in cmds}
    depth, alt, _ = (int(x) for x in results["jakcli genotype_loci (python process)"][3].split())
    expected_alt = (args.depth + 99) // 100  # reads 0, 100, 200, ... carry the alt base
    ok = depth == args.depth and alt == expected_alt
    size = bam.stat().st_size / 1e6
    print(f"BAM: {size:.1f} MB, {len(loci)} rule loci at {args.depth}x, {args.background:,} background reads "
          f"(generated in {gen:.1f} s); {len(targets)} merged targets; median of {args.runs}")
    base, base_cpu = results["bcftools mpileup -R targets.bed"][:2]
    sam = results[f"samtools mpileup -r, {len(targets)} processes"][0]
    print("\n| what | median wall | vs bcftools -R | vs samtools -r loop | median CPU | CPU vs bcftools -R "
          "| peak RSS |\n|---|---|---|---|---|---|---|")
    for name, (w, c, r, _) in results.items():
        print(f"| {name} | {w * 1000:.0f} ms | {w / base:.2f} | {w / sam:.2f} | {c * 1000:.0f} ms | "
              f"{c / base_cpu:.2f} | {r:.0f} MB |")
    print(f"\nV617F from reads: depth {depth}, alt {alt} (expected {args.depth}, {expected_alt}): "
          f"{'ok' if ok else 'WRONG'}")
    if os.path.exists(_OUT):
        os.unlink(_OUT)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
