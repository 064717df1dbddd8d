"""``jakcli batch``: classify every sample of a manifest into OUTDIR (logic in :mod:`jakcli.batch`).

Exit codes: 0 every sample succeeded; 2 bad usage, a bad manifest, or at least one sample failed
(listed in OUTDIR/failures.tsv, the others are still written); 3 invalid rules.
Heavy modules are imported inside the command: start-up time matters.
"""

from __future__ import annotations

import sys
import time
from typing import Any

import click

from jakcli.cli.classify import report_fail_on
from jakcli.cli.options import build_option, evidence_options, gene_options, profile_option, quiet_option, rules_option
from jakcli.errors import EXIT_FAIL_ON, EXIT_INPUT, one_line
from jakcli.model import Level

PLAIN_PROGRESS_EVERY_S = 10.0
FAILURES_SHOWN = 5


class _ProgressPrinter:
    """A progress bar when stderr is a terminal; otherwise a plain line every few seconds (for logs)."""

    def __init__(self, quiet: bool = False):
        self._bar: Any = None
        self._quiet = quiet
        self._tty = sys.stderr.isatty()
        self._last = time.monotonic()

    def __call__(self, p) -> None:
        if self._quiet:
            return
        if self._tty:
            if self._bar is None:
                from tqdm import tqdm

                tqdm.monitor_interval = 0  # no monitor thread: batch forks worker processes after this
                self._bar = tqdm(total=p.total, unit="sample", desc="jakcli batch", file=sys.stderr,
                                 dynamic_ncols=True, leave=False)
            self._bar.set_postfix(failed=p.failed, refresh=False)
            self._bar.update(p.done - self._bar.n)  # redraws at most every 0.1 s
        elif p.done < p.total and time.monotonic() - self._last >= PLAIN_PROGRESS_EVERY_S:
            self._last = time.monotonic()
            click.echo(f"jakcli: batch {p.done}/{p.total} done, {p.failed} failed", err=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _shard(ctx, param, value):
    if value is None:
        return None
    try:
        k, n = (int(x) for x in value.split("/"))
    except ValueError:
        raise click.BadParameter("expected K/N, e.g. 3/10") from None
    return k, n


BATCH_EXAMPLES = """\b
Examples:
  jakcli batch manifest.tsv -o results/ --jobs 8 --html
  jakcli batch manifest.tsv -o results/ --resume          # after a crash or a new sample
  jakcli batch manifest.tsv -o shard3/ --shard 3/10       # then: --gather shard1/ ... --gather shard10/

\b
Exit codes: 0 every sample succeeded; 1 --fail-on level reached; 2 bad usage or a
bad manifest, or at least one sample failed (see OUTDIR/failures.tsv); 3 invalid rules.
"""


@click.command("batch", epilog=BATCH_EXAMPLES, short_help="Classify every sample of a manifest into OUTDIR.")
@click.argument("manifest", type=click.Path(dir_okay=False))
@click.option("-o", "--outdir", required=True, type=click.Path(file_okay=False),
              help="Output directory: reports/<sample>.json, cohort.tsv, cohort.json, failures.tsv.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes. Default: the CPUs this process may use.")
@click.option("--resume", is_flag=True,
              help="Skip samples whose report is current (same input checksums, rules, options, jakcli).")
@build_option("Genome build of the inputs; auto decides per VCF from its header.")
@profile_option
@rules_option
@evidence_options
@click.option("--html", is_flag=True, help="Also write cohort.html.")
@click.option("--shard", metavar="K/N", callback=_shard, default=None,
              help="Run only the K-th of N interleaved slices of the manifest's VCFs (for schedulers).")
@click.option("--gather", "gather_dirs", multiple=True, type=click.Path(file_okay=False, exists=True),
              help="Classify nothing: collect the reports of --shard runs in this OUTDIR (repeatable).")
@click.option("--fail-on", type=click.Choice([Level.HIGH.value, Level.INTERMEDIATE.value]), default=None,
              help="Exit 1 when any sample's risk level is at or above this level (its name on stderr).")
@click.option("--strict", is_flag=True, help="Data-quality warnings fail their sample (listed in failures.tsv).")
@quiet_option
@click.option("--cbioportal", is_flag=True,
              help="Also write a cBioPortal study folder per genome build in OUTDIR/cbioportal/ (docs/handoff.md).")
@click.option("--reanalyse", "previous", type=click.Path(file_okay=False, exists=True), default=None,
              help="Compare with the OUTDIR of an earlier batch run (may be OUTDIR itself); write OUTDIR/changes.tsv.")
@click.option("--cnv-thresholds", type=click.Path(dir_okay=False, exists=True), default=None, metavar="YAML",
              help="Copy-number thresholds replacing the bundled rules/copy_number/thresholds.yaml, for every sample.")
@click.option("--sex", type=click.Choice(["female", "male"]), default=None,
              help="Sex of every sample, for copy number on chrX/chrY (default: from the cnv file, else inferred).")
@gene_options
def batch(manifest, outdir, jobs, resume, build, profile, rule_dirs, min_vaf, include_filtered, min_fusion_reads,
          html, shard, gather_dirs, fail_on, strict, quiet, cbioportal, previous, cnv_thresholds=None, sex=None,
          min_alt_reads=None, min_depth=None, targets=None, reference=None, ignore_header_regions=False,
          no_vus=False, header_regions_dirs=()):
    """Classify every sample of MANIFEST (TSV: sample, vcf[, fusions, sv, cnv, vcf_sample, build, profile,
    alignments, coverage]) into OUTDIR.

    A cohort VCF listed for many samples is read once. A sample that fails is listed in
    OUTDIR/failures.tsv and the others go on; the exit code is then 2.
    """
    from jakcli.batch import gather, run_batch
    from jakcli.model import Options

    opts = Options(build=build, profile=profile, min_vaf=min_vaf, include_filtered=include_filtered,
                   min_fusion_reads=min_fusion_reads, strict=strict, min_alt_reads=min_alt_reads,
                   min_depth=min_depth, targets=targets, reference=reference,
                   ignore_header_regions=ignore_header_regions, no_vus=no_vus, sex=sex,
                   cnv_thresholds=cnv_thresholds, header_regions_dirs=tuple(header_regions_dirs))
    before = _previous_run(previous)
    if gather_dirs:
        if shard or resume or jobs:
            raise click.UsageError("--gather collects finished shards; it takes no --shard, --resume or --jobs")
        result = gather(manifest, outdir, list(gather_dirs), opts, list(rule_dirs), html=html)
        how = f"{result.skipped} gathered"
    else:
        printer = _ProgressPrinter(quiet)
        try:
            result = run_batch(manifest, outdir, jobs, resume, opts, list(rule_dirs), html=html, shard=shard,
                               progress=printer)
        finally:
            printer.close()
        how = f"{result.classified} classified, {result.skipped} up to date"
    if cbioportal or before is not None:
        _handoff(result.outdir, cbioportal, before, quiet)
    n = result.samples
    if not quiet:
        click.echo(f"jakcli: batch: {n} sample{'s' if n != 1 else ''} ({how}): {result.ok} ok, "
                   f"{len(result.failures)} failed; summary in {result.outdir / 'cohort.tsv'}", err=True)
    for f in result.failures[:FAILURES_SHOWN]:
        click.echo(f"jakcli: error: sample {one_line(f.sample)}: {one_line(f.error)}", err=True)
    if result.failures:
        more = len(result.failures) - FAILURES_SHOWN
        click.echo(f"jakcli: {len(result.failures)} failed samples{f' ({more} more)' if more > 0 else ''} are "
                   f"listed in {result.outdir / 'failures.tsv'}", err=True)
    reached = bool(fail_on) and report_fail_on(list(result.levels), fail_on)
    if result.failures:  # a failed sample outranks the threshold (exit 2), whose samples are still named
        sys.exit(EXIT_INPUT)
    if reached:
        sys.exit(EXIT_FAIL_ON)


def _previous_run(previous):
    """The earlier run of ``--reanalyse``, read BEFORE this run (PREVIOUS_OUTDIR may be OUTDIR)."""
    if not previous:
        return None
    from jakcli.diff import load_side

    return load_side(previous)


def _handoff(outdir, cbioportal: bool, before, quiet: bool = False) -> None:
    from jakcli.batch.handoff import batch_handoff

    done = batch_handoff(outdir, cbioportal, before)
    if quiet:
        return
    if cbioportal:
        click.echo(f"jakcli: batch: cBioPortal study ({len(done.study_files)} files) in {outdir / 'cbioportal'}",
                   err=True)
    if done.changes is not None:
        s = done.changes["summary"]
        click.echo(f"jakcli: batch: reanalysis against {before.path}: {s['changed']} of {s['compared']} samples "
                   f"changed, {s['only_in_old']} only before, {s['only_in_new']} only now; see "
                   f"{outdir / 'changes.tsv'}", err=True)
