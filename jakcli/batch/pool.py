"""Running batch tasks: serially, or in worker processes (one classify pass per task), with
progress reports and per-sample failures; a dead worker fails only its own samples."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass

from jakcli.batch.manifest import ManifestRow
from jakcli.model import Options
from jakcli.ruleset.compiled import Ruleset


@dataclass(frozen=True, slots=True)
class Failure:
    sample: str
    input: str
    error: str


@dataclass(frozen=True, slots=True)
class Progress:
    """Samples finished so far (``done`` includes ``skipped`` and ``failed``) out of ``total``."""

    done: int
    total: int
    failed: int
    skipped: int


@dataclass(frozen=True)
class Task:
    """One classify pass: a VCF (or none) and the manifest rows read from it."""

    vcf: str | None
    rows: tuple[ManifestRow, ...]
    names: tuple[str, ...]  # report file names, parallel to rows
    options: Options
    reports_dir: str


def execute(tasks: list[Task], rs: Ruleset, jobs: int | None, total: int, skipped: int,
             progress: Callable[[Progress], None] | None, run: Callable) -> dict[str, Failure]:
    """Run the tasks (in worker processes when more than one can run at once); failures by sample.
    ``run(task, ruleset)`` classifies one task and returns an error message per failed sample."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    failures: dict[str, Failure] = {}
    done = skipped

    def record(task: Task, outcome: dict[str, str]) -> None:
        nonlocal done
        done += len(task.rows)
        for r in task.rows:
            if r.sample in outcome:
                failures[r.sample] = Failure(r.sample, r.primary_input, outcome[r.sample])
        if progress:
            progress(Progress(done, total, len(failures), skipped))

    if progress:
        progress(Progress(done, total, 0, skipped))
    workers = min(jobs or _usable_cpus(), len(tasks))
    if workers <= 1:
        for t in tasks:
            record(t, run(t, rs))
        return failures
    # Big VCFs first, so one large cohort file does not start last and set the run's length.
    tasks = sorted(tasks, key=lambda t: -_size(t.vcf))
    # fork explicitly (Python 3.14 changes the default): workers inherit the loaded modules and start
    # in milliseconds; the ruleset still travels once per worker through the initializer.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                             initargs=(rs, run)) as ex:
        futures = {ex.submit(_run_task, t): t for t in tasks}
        try:
            for fut in as_completed(futures):
                try:
                    outcome = fut.result()
                except Exception as exc:  # a worker died (killed, out of memory): its samples fail
                    why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                    outcome = {r.sample: f"worker process died ({why}); rerun with --resume"
                               for r in futures[fut].rows}
                record(futures[fut], outcome)
        except KeyboardInterrupt:
            ex.shutdown(wait=False, cancel_futures=True)
            for p in multiprocessing.active_children():
                p.terminate()
            raise
    return failures


def _size(path: str | None) -> int:
    try:
        return os.path.getsize(path) if path else 0
    except OSError:
        return 0


def _usable_cpus() -> int:
    """CPUs this process may run on (a cluster job's allocation, not the whole node)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


_WORKER: dict = {}  # the ruleset and the task runner, received once per worker process


def _init_worker(rs: Ruleset, run: Callable) -> None:
    """Workers ignore Ctrl-C (the parent stops them) and receive the ruleset once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER.update(rs=rs, run=run)


def _run_task(task: Task) -> dict[str, str]:
    return _WORKER["run"](task, _WORKER["rs"])
