"""Rows (f) and (g) of bench/run.py: batch at 1,000 files, and ``batch --resume`` of a finished OUTDIR.

(f) times ``jakcli batch MANIFEST --jobs N`` (a fresh OUTDIR each run) against a serial
``bcftools view -H -R targets.bed`` loop over the same files, as row (d) does at 500 files.
(g) times ``batch --resume`` on the OUTDIR that (f) finished, against the batch itself (the issue's
target) and against the work a correct resume cannot avoid: resume must prove every report is still
current, which means hashing every input (reports record sha256 checksums; no digest cache) and
reading every report, so the floor is ``sha256sum`` of the inputs plus ``cat`` of the reports.
"""

from __future__ import annotations

import shutil
import statistics
import sys
from pathlib import Path


def batch_rows(args, work: Path, bed: Path, planted, targets, jakcli, run, timed, write_singles, problems) -> list:
    """(name, jakcli seconds, baseline seconds, target) rows for (f), (g) and (g')."""
    n, r = args.many_singles, args.repeat
    folder = work / f"singles-{n}x{args.single_records}-s{args.seed}"
    manifest = folder / "manifest.tsv"
    if not manifest.exists():
        print(f"bench: writing {n} single-sample VCFs", file=sys.stderr)
        write_singles(folder, n, args.single_records, args.seed + 2, planted, targets)
    times = []
    for i in range(r):  # a fresh OUTDIR per run: nothing is resumed
        out = work / f"many-out-{i}"
        shutil.rmtree(out, ignore_errors=True)
        times.append(run([*jakcli, "batch", str(manifest), "-o", str(out), "--jobs", str(args.jobs)])[0])
    batch = statistics.median(times)
    loop = timed(f"for f in {folder}/*.vcf.gz; do bcftools view -H -R {bed} \"$f\"; done | wc -l", r, shell=True)[0]
    rows = [(f"(f) {n:,} single-sample VCFs: `batch --jobs {args.jobs}` vs a `bcftools view -R` loop",
             batch, loop, 0.5)]
    resume = timed([*jakcli, "batch", str(manifest), "-o", str(out), "--jobs", str(args.jobs), "--resume"], r)[0]
    floor = timed(f"sha256sum {folder}/*.vcf.gz > /dev/null && cat {out}/reports/*.json > /dev/null", r,
                  shell=True)[0]
    rows.append((f"(g) `batch --resume` of the finished {n:,}-file OUTDIR vs the batch (f)", resume, batch, 0.3))
    rows.append(("(g') the same vs `sha256sum` of the inputs + `cat` of the reports (the floor)", resume, floor,
                 None))
    written = (out / "cohort.tsv").read_text().count("\n") - 1
    if written != n:
        problems.append(f"batch of {n} files wrote {written} cohort rows")
    return rows
