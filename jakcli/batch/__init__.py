"""Cohort runs: classify every sample of a manifest into one JSON report per sample.

A manifest is a tab-separated file with a header naming ``sample`` and ``vcf`` (required) and
``fusions`` and ``sv`` (optional); relative paths resolve against the manifest's folder. Samples
that share a VCF are classified in one pass over that file (a cohort VCF is read once), then the
report is split per sample. Groups run in worker processes, so a bad input fails only its own
samples. Each report records the checksums and options it was made from; ``resume`` skips a sample
whose report is still current, and the cohort files are always rebuilt from the reports. Every file
is written atomically, so a run killed at any point leaves only complete files behind.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from jakcli import __version__
from jakcli.batch.cohort import COHORT_COLUMNS, FAILURE_COLUMNS, REPORTS_DIR, finalize, load_json, read_failures
from jakcli.batch.manifest import ManifestRow, read_manifest, report_names, shard_rows, vcf_groups
from jakcli.batch.pool import Failure, Progress, Task, execute
from jakcli.checksums import file_checksum
from jakcli.classify import classify
from jakcli.errors import InputError, JakcliError, SitesOnlyVcfError
from jakcli.model import Options
from jakcli.ruleset.compiled import Ruleset
from jakcli.ruleset.loader import load_ruleset
from jakcli.writers.atomic import write_atomic
from jakcli.writers.text import to_json

__all__ = ["COHORT_COLUMNS", "FAILURE_COLUMNS", "BatchResult", "Failure", "ManifestRow", "Progress", "gather",
           "read_manifest", "report_names", "run_batch", "shard_rows", "vcf_groups"]

LOCK_NAME = ".jakcli-batch.lock"


@dataclass(frozen=True)
class BatchResult:
    outdir: Path
    samples: int
    classified: int  # classified in this run
    skipped: int  # report still current (resume) or gathered from a shard directory
    failures: tuple[Failure, ...]
    levels: tuple[tuple[str, str], ...] = ()  # (sample, risk level) of every sample with a report

    @property
    def ok(self) -> int:
        return self.samples - len(self.failures)


# ----------------------------------------------------------------------------- running

def run_batch(manifest, outdir, jobs: int | None = None, resume: bool = False, options: Options | None = None,
              rule_dirs: list | None = None, html: bool = False, *, shard: tuple[int, int] | None = None,
              progress: Callable[[Progress], None] | None = None) -> BatchResult:
    """Classify every manifest sample into OUTDIR/reports, then write the cohort files.

    ``shard=(k, n)`` runs only the k-th of n interleaved slices of the VCF groups (1-based), so
    a scheduler can spread one manifest over machines and :func:`gather` the shard directories.
    """
    opts = _batch_options(options)
    rows = read_manifest(manifest)
    rs = load_ruleset(rule_dirs)
    _check_setup(rs, opts)
    names = report_names([r.sample for r in rows])  # over the whole manifest: shards must agree
    if shard is not None:
        rows = shard_rows(rows, *shard)
    out = Path(outdir)
    with _locked_outdir(out):
        reports = out / REPORTS_DIR
        hashes = _Hashes(opts.digest)
        broken = _row_failures(rows, rs)
        current = set()
        if resume:
            current = {r.sample for r in rows if r.sample not in broken and
                       _is_current(load_json(reports / names[r.sample]), r, hashes, opts, rs)}
        tasks = []
        for g in vcf_groups([r for r in rows if r.sample not in broken]):
            todo = tuple(r for r in g if r.sample not in current)
            if todo:
                tasks.append(Task(todo[0].vcf, todo, tuple(names[r.sample] for r in todo), todo[0].options(opts),
                                  str(reports)))
        failures = {**broken, **execute(tasks, rs, jobs, len(rows) - len(broken), len(current), progress,
                                        _classify_group)}
        result = finalize(rows, names, out, failures, rs, opts, manifest, html, shard is not None)
    return BatchResult(out, len(rows), len(rows) - len(current), len(current), result.failures, result.levels)


def gather(manifest, outdir, sources: list, options: Options | None = None, rule_dirs: list | None = None,
           html: bool = False) -> BatchResult:
    """Collect the current reports of shard runs (``sources``: their OUTDIRs) into OUTDIR's cohort files.

    The result equals one ``run_batch`` over the whole manifest. A sample without a current report
    in any source is a failure, with the shard's own error message when the shard recorded one.
    """
    opts = _batch_options(options)
    rows = read_manifest(manifest)
    rs = load_ruleset(rule_dirs)
    _check_setup(rs, opts)
    names = report_names([r.sample for r in rows])
    out = Path(outdir)
    with _locked_outdir(out):
        hashes = _Hashes(opts.digest)
        shard_errors: dict[str, Failure] = {}
        for src in map(Path, sources):
            shard_errors.update(read_failures(src / "failures.tsv"))
        failures: dict[str, Failure] = {}
        for r in rows:
            name = names[r.sample]
            found = None if r.error else next((p for p in (Path(s) / REPORTS_DIR / name for s in sources)
                                               if _is_current(load_json(p), r, hashes, opts, rs)), None)
            if found is None:
                failures[r.sample] = shard_errors.get(r.sample) or Failure(
                    r.sample, r.primary_input, "no current report in the gathered directories "
                    "(did its shard run with the same options and rules?)")
                continue
            target = out / REPORTS_DIR / name
            if found.resolve() != target.resolve():
                write_atomic(str(target), found.read_bytes(), sync=False)
        result = finalize(rows, names, out, failures, rs, opts, manifest, html)
    return BatchResult(out, len(rows), 0, len(rows) - len(failures), result.failures, result.levels)


def _row_failures(rows: list[ManifestRow], rs: Ruleset) -> dict[str, Failure]:
    """Samples that fail before any work: a missing input file or an unknown per-row profile."""
    out = {}
    for r in rows:
        why = r.error
        if why is None and r.profile is not None and r.profile not in rs.profiles:
            why = (f"line {r.line}: unknown risk profile '{r.profile}' (available: {', '.join(rs.profiles)})")
        if why is not None:
            out[r.sample] = Failure(r.sample, r.primary_input or "manifest", why)
    return out


def _batch_options(options: Options | None) -> Options:
    opts = options or Options()
    if opts.samples:
        raise InputError("a batch takes its samples from the manifest; leave Options.samples empty")
    return opts


def _check_setup(rs: Ruleset, opts: Options) -> None:
    """Fail before any work on what would fail every sample."""
    if opts.profile not in rs.profiles:
        raise InputError(f"unknown risk profile '{opts.profile}' (available: {', '.join(rs.profiles)}); "
                         "pass --profile with one of these")


class _Hashes:
    """Digest of each input file (the run's ``--digest`` algorithm), computed at most once per run."""

    def __init__(self, algorithm: str = "sha256"):
        self.algorithm = algorithm
        self._known: dict[str, str] = {}

    def __call__(self, path: str) -> str:
        if path not in self._known:
            self._known[path] = file_checksum(path, self.algorithm)  # a large unchanged BAM: not hashed again
        return self._known[path]


def _is_current(report, row: ManifestRow, hashes: _Hashes, opts: Options, rs: Ruleset) -> bool:
    """True when ``report`` was made from this row's inputs (by checksum), options, rules and jakcli."""
    if not isinstance(report, dict):
        return False
    key = row.options(opts).cache_key()
    try:
        recorded = report["batch"]
        same = (report["jakcli_version"] == __version__ and report["ruleset"]["digest"] == rs.digest
                and recorded["options"] == key and [s["sample"] for s in report["samples"]] == [row.sample]
                and recorded.get("vcf_sample") == row.vcf_sample
                and set(recorded["inputs"]) == set(row.inputs))
        alg = hashes.algorithm
        return same and all(recorded["inputs"][role][alg] == hashes(p) for role, p in row.inputs.items())
    except (KeyError, TypeError, OSError):
        return False


@contextmanager
def _locked_outdir(out: Path) -> Iterator[None]:
    """Create OUTDIR, hold its lock for the run, and remove temporary files a killed run left.

    The lock is released by the kernel when the process dies, however it dies.
    """
    import fcntl

    try:
        (out / REPORTS_DIR).mkdir(parents=True, exist_ok=True)
        fd = os.open(out / LOCK_NAME, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o666)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(f"{out / LOCK_NAME}: is a symbolic link; jakcli never follows links it writes "
                             "through (remove the link)") from None
        raise InputError(f"{out}: cannot create the output directory ({exc.strerror or exc})") from None
    fh = os.fdopen(fd, "a")
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(f"{out}: another jakcli batch is writing to this directory; wait for it to "
                             "finish or choose another -o") from None
        for d in (out, out / REPORTS_DIR):
            for tmp in d.glob(".jakcli-*.part"):  # writers.write_atomic's temporary files
                tmp.unlink(missing_ok=True)
        yield


def _classify_group(task: Task, rs: Ruleset) -> dict[str, str]:
    """Classify one group, write its reports; return an error message for each sample that failed."""
    errors: dict[str, str] = {}
    rows = list(task.rows)
    try:
        if task.vcf and len(rows) > 1:  # one absent sample must not fail the whole cohort file
            present = _vcf_samples(task.vcf)
            for r in rows:
                if r.column not in present:
                    errors[r.sample] = (f"{task.vcf}: sample '{r.column}' is not in the VCF; the manifest's "
                                        "sample (or its vcf_sample) must equal the VCF's sample column")
            rows = [r for r in rows if r.sample not in errors]
        if rows:
            opts = replace(task.options, samples=tuple(r.sample for r in rows),
                           rename=tuple((r.vcf_sample, r.sample) for r in rows
                                        if task.vcf and r.vcf_sample and r.vcf_sample != r.sample))
            files: dict[str, Any] = {"fusions": [f"{r.sample}={r.fusions}" for r in rows if r.fusions],
                                     "svs": [f"{r.sample}={r.sv}" for r in rows if r.sv],
                                     "alignments": [f"{r.sample}={r.alignments}" for r in rows if r.alignments],
                                     "coverage": [f"{r.sample}={r.coverage}" for r in rows if r.coverage],
                                     "cnvs": [f"{r.sample}={r.cnv}" for r in rows if r.cnv]}
            try:
                report = classify([task.vcf] if task.vcf else [], opts, ruleset=rs, **files)
            except SitesOnlyVcfError:
                if len(rows) != 1:
                    raise
                # a sites-only VCF (LoFreq) listed for one sample: it is that sample's call set
                report = classify([f"{rows[0].sample}={task.vcf}"], replace(opts, rename=()), ruleset=rs, **files)
            names = dict(zip((r.sample for r in task.rows), task.names))
            for r in rows:
                target = os.path.join(task.reports_dir, names[r.sample])
                try:
                    # renamed into place now, flushed to disk once at the end of the run (finalize):
                    # resume re-checks every report's content and checksums, so a torn one is redone
                    write_atomic(target, to_json(_sample_report(report, r, task.options)), sync=False)
                except OSError as exc:
                    errors[r.sample] = f"{target}: cannot write the report ({exc.strerror or exc})"
    except JakcliError as err:
        errors.update({r.sample: str(err) for r in rows if r.sample not in errors})
    except Exception as err:  # one broken input must not stop the night's run: report it, go on
        first = str(err).splitlines()[0] if str(err) else ""
        errors.update({r.sample: f"unexpected error: {type(err).__name__}: {first}" for r in rows
                       if r.sample not in errors})
    return errors


def _vcf_samples(path: str) -> set[str]:
    from jakcli.readers.vcf import VcfReader

    with VcfReader(path) as reader:
        return set(reader.header.samples)


def _sample_report(report: dict, row: ManifestRow, options: Options) -> dict:
    """The classify report cut down to one sample, plus what ``resume`` needs to judge it.

    Top-level provenance, stats and warnings stay those of the whole file's run; ``options.samples``
    becomes this sample, as if ``classify --sample`` had made it, and ``inputs`` lists only the files
    this sample used (a shared cohort VCF, and its own fusion and SV files, never another patient's).
    """
    own = set(row.inputs.values())
    out = {}
    for k, v in report.items():
        if k == "samples":
            v = [s for s in v if s["sample"] == row.sample]
        elif k == "options":
            v = {**v, "samples": [row.sample]}
        elif k == "inputs":  # its own files, and interval files named in its VCF's header
            v = [i for i in v if i["path"] in own or i.get("kind") == "interval-file"]
        out[k] = v
    alg = options.digest
    known = {i["path"]: i.get(alg) for i in report.get("inputs", [])}
    out["batch"] = {"inputs": {role: {"path": p, alg: known.get(p) or file_checksum(p, alg)}
                               for role, p in row.inputs.items()},
                    "options": options.cache_key(), "vcf_sample": row.vcf_sample}
    return out


