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
import hashlib
import json
import os
import signal
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from jakcli import __version__
from jakcli.classify import Options, classify
from jakcli.errors import InputError, JakcliError
from jakcli.ruleset import Ruleset, load_ruleset
from jakcli.vcf import sha256_file
from jakcli.writers import to_json, tsv_cell, write_atomic

MANIFEST_COLUMNS = ("sample", "vcf", "fusions", "sv", "vcf_sample")
INPUT_ROLES = ("vcf", "fusions", "sv")
COHORT_COLUMNS = ("sample", "status", "risk_profile", "risk_level", "worst_case_level", "n_findings",
                  "rule_ids", "alterations", "vafs", "genome_build", "report")
FAILURE_COLUMNS = ("sample", "input", "error")
REPORTS_DIR = "reports"
LOCK_NAME = ".jakcli-batch.lock"
_SAFE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
_MAX_STEM = 200  # bytes; file systems allow 255 per name


@dataclass(frozen=True, slots=True)
class ManifestRow:
    """One manifest line; input paths are absolute, ``None`` when the column is empty or absent."""

    line: int
    sample: str
    vcf: str | None
    fusions: str | None
    sv: str | None
    vcf_sample: str | None = None  # the sample's column in its VCF, when not named ``sample`` (TUMOR)

    @property
    def column(self) -> str:
        return self.vcf_sample or self.sample

    @property
    def inputs(self) -> dict[str, str]:
        return {role: p for role in INPUT_ROLES if (p := getattr(self, role))}

    @property
    def primary_input(self) -> str:
        return next(iter(self.inputs.values()))


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
class BatchResult:
    outdir: Path
    samples: int
    classified: int  # classified in this run
    skipped: int  # report still current (resume) or gathered from a shard directory
    failures: tuple[Failure, ...]

    @property
    def ok(self) -> int:
        return self.samples - len(self.failures)


@dataclass(frozen=True)
class _Task:
    """One classify pass: a VCF (or none) and the manifest rows read from it."""

    vcf: str | None
    rows: tuple[ManifestRow, ...]
    names: tuple[str, ...]  # report file names, parallel to rows
    options: Options
    reports_dir: str


# ----------------------------------------------------------------------------- manifest

def read_manifest(path) -> list[ManifestRow]:
    """Parse and check a manifest; any problem is an InputError naming the manifest line."""
    mpath = Path(path)
    try:
        text = mpath.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: manifest not found") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory; give the manifest TSV file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read the manifest ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: the manifest is not UTF-8 text") from None
    if not text.strip():
        raise InputError(f"{path}: the manifest is empty; it needs a header line (sample, vcf) and one line "
                         "per sample")
    lines = [line.removesuffix("\r") for line in text.split("\n")]  # physical lines, as editors number them
    header = [c.strip() for c in lines[0].split("\t")]
    if "sample" not in header or "vcf" not in header:
        hint = " (it has no tab; columns must be tab-separated)" if "\t" not in lines[0] else ""
        raise InputError(f"{path}:1: the header must name the columns sample and vcf (optional: fusions, sv)"
                         f"{hint}")
    for name in header:
        if name not in MANIFEST_COLUMNS:
            raise InputError(f"{path}:1: unknown column '{name}' (allowed: {', '.join(MANIFEST_COLUMNS)})")
        if header.count(name) > 1:
            raise InputError(f"{path}:1: column '{name}' is given twice")
    base = mpath.absolute().parent
    rows: list[ManifestRow] = []
    seen: dict[str, int] = {}
    columns_seen: dict[tuple[str, str], int] = {}
    for lineno, raw in enumerate(lines[1:], start=2):
        if not raw.strip():
            continue
        where = f"{path}:{lineno}"
        fields = raw.split("\t")
        if len(fields) > len(header):
            raise InputError(f"{where}: {len(fields)} fields but the header has {len(header)} columns")
        values = dict(zip(header, (f.strip() for f in fields)))
        sample = values["sample"]
        if not sample:
            raise InputError(f"{where}: the sample column is empty")
        if sample in seen:
            raise InputError(f"{where}: sample '{sample}' is already listed on line {seen[sample]}")
        seen[sample] = lineno
        paths = {role: _resolve(values.get(role, ""), base, where, role) for role in INPUT_ROLES}
        if not any(paths.values()):
            raise InputError(f"{where}: sample '{sample}' has no input; give a vcf (or fusions/sv) path")
        if "=" in sample and (paths["fusions"] or paths["sv"]):
            raise InputError(f"{where}: sample '{sample}' contains '=', which fusion and SV inputs cannot name "
                             "(they are passed as SAMPLE=PATH); rename the sample")
        vcf_sample = values.get("vcf_sample") or None
        if vcf_sample and not paths["vcf"]:
            raise InputError(f"{where}: vcf_sample '{vcf_sample}' is given but the row has no vcf")
        if paths["vcf"]:
            column = (paths["vcf"], vcf_sample or sample)
            if column in columns_seen:
                raise InputError(f"{where}: column '{column[1]}' of {paths['vcf']} is already the sample of line "
                                 f"{columns_seen[column]}; one VCF column can be reported once")
            columns_seen[column] = lineno
        rows.append(ManifestRow(lineno, sample, **paths, vcf_sample=vcf_sample))
    if not rows:
        raise InputError(f"{path}: the manifest lists no samples")
    return rows


def _resolve(value: str, base: Path, where: str, role: str) -> str | None:
    if not value:
        return None
    if value == "-":
        raise InputError(f"{where}: {role} '-' (standard input) cannot be used in a manifest; give a path")
    full = os.path.normpath(os.path.join(base, value))
    if not os.path.exists(full):
        raise InputError(f"{where}: {role} file not found: {full}")
    if os.path.isdir(full):
        raise InputError(f"{where}: {role} is a directory, not a file: {full}")
    return full


def report_names(samples: list[str]) -> dict[str, str]:
    """A file name per sample, safe on any file system and unique even where case is ignored.

    Letters, digits, ``-``, ``_`` and ``.`` are kept (not a leading dot); every other byte is
    written as ``%XX``. Names that would clash without case, or are too long, get a short hash.
    """
    stems = {s: _stem(s) for s in samples}
    folded = Counter(st.casefold() for st in stems.values())
    return {s: (st if folded[st.casefold()] == 1 else f"{st}~{_digest(s)[:8]}") + ".json"
            for s, st in stems.items()}


def _stem(sample: str) -> str:
    out = []
    for i, ch in enumerate(sample):
        if ch in _SAFE_CHARS and not (i == 0 and ch == "."):
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8"))
    stem = "".join(out)
    return stem if len(stem) <= _MAX_STEM else f"{stem[:_MAX_STEM - 17]}~{_digest(sample)[:16]}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def vcf_groups(rows: list[ManifestRow]) -> list[list[ManifestRow]]:
    """Rows that share a VCF (the same file, however spelled), in manifest order; one classify pass each.

    A row without a VCF is a group of its own.
    """
    groups: dict[object, list[ManifestRow]] = {}
    for r in rows:
        key = os.path.realpath(r.vcf) if r.vcf else ("no-vcf", r.sample)
        groups.setdefault(key, []).append(r)
    return list(groups.values())


def shard_rows(rows: list[ManifestRow], k: int, n: int) -> list[ManifestRow]:
    """The rows of shard ``k`` of ``n`` (1-based): every n-th VCF group, so shards are balanced."""
    if not 1 <= k <= n:
        raise InputError(f"shard {k}/{n}: K must be between 1 and N")
    chosen = {r.sample for g in vcf_groups(rows)[k - 1::n] for r in g}
    return [r for r in rows if r.sample in chosen]


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
        key = _key_options(opts)
        hashes = _Hashes()
        current = set()
        if resume:
            current = {r.sample for r in rows
                       if _is_current(_load_json(reports / names[r.sample]), r, hashes, key, rs)}
        tasks = []
        for g in vcf_groups(rows):
            todo = tuple(r for r in g if r.sample not in current)
            if todo:
                tasks.append(_Task(todo[0].vcf, todo, tuple(names[r.sample] for r in todo), opts, str(reports)))
        failures = _execute(tasks, rs, jobs, len(rows), len(current), progress)
        result = _finalize(rows, names, out, failures, rs, opts, manifest, html)
    return BatchResult(out, len(rows), len(rows) - len(current), len(current), result)


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
        key = _key_options(opts)
        hashes = _Hashes()
        shard_errors: dict[str, Failure] = {}
        for src in map(Path, sources):
            shard_errors.update(_read_failures(src / "failures.tsv"))
        failures: dict[str, Failure] = {}
        for r in rows:
            name = names[r.sample]
            found = next((p for p in (Path(s) / REPORTS_DIR / name for s in sources)
                          if _is_current(_load_json(p), r, hashes, key, rs)), None)
            if found is None:
                failures[r.sample] = shard_errors.get(r.sample) or Failure(
                    r.sample, r.primary_input, "no current report in the gathered directories "
                    "(did its shard run with the same options and rules?)")
                continue
            target = out / REPORTS_DIR / name
            if found.resolve() != target.resolve():
                write_atomic(str(target), found.read_bytes())
        result = _finalize(rows, names, out, failures, rs, opts, manifest, html)
    return BatchResult(out, len(rows), 0, len(rows) - len(failures), result)


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


def _key_options(opts: Options) -> dict:
    """The options a report depends on; a change in any of them makes old reports stale."""
    return {"build": opts.build, "profile": opts.profile, "min_vaf": opts.min_vaf,
            "include_filtered": opts.include_filtered, "strict": opts.strict,
            "min_fusion_reads": opts.min_fusion_reads}


class _Hashes:
    """sha256 of each input file, computed at most once per run."""

    def __init__(self):
        self._known: dict[str, str] = {}

    def __call__(self, path: str) -> str:
        if path not in self._known:
            self._known[path] = sha256_file(path)
        return self._known[path]


def _is_current(report, row: ManifestRow, hashes: _Hashes, key: dict, rs: Ruleset) -> bool:
    """True when ``report`` was made from this row's inputs (by checksum), options, rules and jakcli."""
    if not isinstance(report, dict):
        return False
    try:
        recorded = report["batch"]
        same = (report["jakcli_version"] == __version__ and report["ruleset"]["digest"] == rs.digest
                and recorded["options"] == key and [s["sample"] for s in report["samples"]] == [row.sample]
                and recorded.get("vcf_sample") == row.vcf_sample
                and set(recorded["inputs"]) == set(row.inputs))
        return same and all(recorded["inputs"][role]["sha256"] == hashes(p) for role, p in row.inputs.items())
    except (KeyError, TypeError, OSError):
        return False


def _load_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@contextmanager
def _locked_outdir(out: Path) -> Iterator[None]:
    """Create OUTDIR, hold its lock for the run, and remove temporary files a killed run left.

    The lock is released by the kernel when the process dies, however it dies.
    """
    import fcntl

    try:
        (out / REPORTS_DIR).mkdir(parents=True, exist_ok=True)
        # never through a symlink planted in OUTDIR: that would create or touch a file outside it
        fd = os.open(out / LOCK_NAME, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o666)
        fh = os.fdopen(fd, "a")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(f"{out / LOCK_NAME}: is a symbolic link; remove it (jakcli never follows "
                             "a link for its lock file)") from None
        raise InputError(f"{out}: cannot create the output directory ({exc.strerror or exc})") from None
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


def _execute(tasks: list[_Task], rs: Ruleset, jobs: int | None, total: int, skipped: int,
             progress: Callable[[Progress], None] | None) -> dict[str, Failure]:
    """Run the tasks (in worker processes when more than one can run at once); failures by sample."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    failures: dict[str, Failure] = {}
    done = skipped

    def record(task: _Task, outcome: dict[str, str]) -> None:
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
            record(t, _classify_group(t, rs))
        return failures
    # Big VCFs first, so one large cohort file does not start last and set the run's length.
    tasks = sorted(tasks, key=lambda t: -_size(t.vcf))
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(rs,)) as ex:
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
            import multiprocessing

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


_WORKER_RULESET: Ruleset | None = None


def _init_worker(rs: Ruleset) -> None:
    """Workers ignore Ctrl-C (the parent stops them) and receive the ruleset once."""
    global _WORKER_RULESET
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER_RULESET = rs


def _run_task(task: _Task) -> dict[str, str]:
    return _classify_group(task, _WORKER_RULESET)


def _classify_group(task: _Task, rs: Ruleset) -> dict[str, str]:
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
            report = classify([task.vcf] if task.vcf else [], opts, ruleset=rs,
                              fusions=[f"{r.sample}={r.fusions}" for r in rows if r.fusions],
                              svs=[f"{r.sample}={r.sv}" for r in rows if r.sv])
            names = dict(zip((r.sample for r in task.rows), task.names))
            for r in rows:
                target = os.path.join(task.reports_dir, names[r.sample])
                try:
                    write_atomic(target, to_json(_sample_report(report, r, task.options)))
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
    from jakcli.vcf import VcfReader

    with VcfReader(path) as reader:
        return set(reader.header.samples)


def _sample_report(report: dict, row: ManifestRow, options: Options) -> dict:
    """The classify report cut down to one sample, plus what ``resume`` needs to judge it.

    Top-level provenance, stats and warnings stay those of the whole file's run; ``options.samples``
    becomes this sample, as if ``classify --sample`` had made it.
    """
    out = {}
    for k, v in report.items():
        if k == "samples":
            v = [s for s in v if s["sample"] == row.sample]
        elif k == "options":
            v = {**v, "samples": [row.sample]}
        out[k] = v
    known = {i["path"]: i.get("sha256") for i in report.get("inputs", [])}
    out["batch"] = {"inputs": {role: {"path": p, "sha256": known.get(p) or sha256_file(p)}
                               for role, p in row.inputs.items()},
                    "options": _key_options(options), "vcf_sample": row.vcf_sample}
    return out


# ----------------------------------------------------------------------------- cohort files

def _finalize(rows: list[ManifestRow], names: dict[str, str], out: Path, failures: dict[str, Failure],
              rs: Ruleset, opts: Options, manifest, html: bool) -> tuple[Failure, ...]:
    """Rebuild cohort.tsv, cohort.json and failures.tsv from the reports, in manifest order."""
    import pandas as pd

    reports, table, entries, failed = [], [], [], []
    for r in rows:
        rel = f"{REPORTS_DIR}/{names[r.sample]}"
        path = out / rel
        f = failures.get(r.sample)
        rep = None if f else _load_json(path)
        if f is None and not isinstance(rep, dict):
            f = Failure(r.sample, r.primary_input, f"{path}: the report is missing or unreadable")
        if f is not None:
            path.unlink(missing_ok=True)  # a stale report must not pass for this run's result
            failed.append(f)
            table.append({"sample": r.sample, "status": "failed", "n_findings": None})
            entries.append({"sample": r.sample, "status": "failed", "error": f.error,
                            "inputs": {role: {"path": p} for role, p in r.inputs.items()}})
            continue
        reports.append(rep)
        table.append(_cohort_row(rep, rel))
        entries.append({"sample": r.sample, "status": "ok", "report": rel, "genome_build": rep["genome_build"],
                        "inputs": rep["batch"]["inputs"]})

    write_atomic(str(out / "failures.tsv"),
                 _tsv(pd, [{"sample": f.sample, "input": f.input, "error": f.error} for f in failed],
                      FAILURE_COLUMNS))
    cohort = {
        "schema_version": 1,
        "jakcli_version": __version__,
        "ruleset": rs.to_provenance(),
        "options": _key_options(opts),
        "genome_builds": sorted({rep["genome_build"] for rep in reports}),
        "manifest": {"path": os.path.abspath(manifest), "sha256": sha256_file(str(manifest))},
        "counts": {"samples": len(rows), "ok": len(rows) - len(failed), "failed": len(failed)},
        "columns": list(COHORT_COLUMNS),
        "samples": entries,
    }
    write_atomic(str(out / "cohort.json"), to_json(cohort))
    write_atomic(str(out / "cohort.tsv"), _tsv(pd, table, COHORT_COLUMNS))
    _write_extras(out, reports, html)
    return tuple(failed)


def _cohort_row(report: dict, rel: str) -> dict:
    (s,) = report["samples"]
    risk, findings = s["risk"], s["findings"]

    def joined(values) -> str | None:
        return ";".join(str(v).replace(";", ",") for v in values) if values else None

    return {"sample": s["sample"], "status": "ok", "risk_profile": risk["profile"], "risk_level": risk["level"],
            "worst_case_level": risk["worst_case_level"], "n_findings": len(findings),
            "rule_ids": joined([f["rule_id"] for f in findings]),
            "alterations": joined([f["alteration"] for f in findings]),
            "vafs": joined(["." if f["vaf"] is None else f"{f['vaf']:.4f}" for f in findings]),
            "genome_build": report["genome_build"], "report": rel}


def _tsv(pd, rows: list[dict], columns: tuple) -> str:
    """A TSV with exactly ``columns``, in order; every cell passes through :func:`tsv_cell`."""
    import csv

    frame = pd.DataFrame([[tsv_cell(r.get(c)) for c in columns] for r in rows], columns=list(columns), dtype=object)
    return frame.to_csv(sep="\t", index=False, lineterminator="\n", quoting=csv.QUOTE_NONE)


def _read_failures(path: Path) -> dict[str, Failure]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    out = {}
    for line in lines[1:]:
        parts = line.split("\t")
        if len(parts) == len(FAILURE_COLUMNS):
            out[parts[0]] = Failure(*parts)
    return out


def _write_extras(outdir: Path, reports: list[dict], html: bool) -> None:
    """Cohort outputs for people and dashboards, from every successful report in manifest order:
    MultiQC custom content always, ``cohort.html`` with ``html``."""
    from jakcli.multiqc import multiqc_custom_content

    if html:
        import sys

        from jakcli.html_report import render_cohort_html

        write_atomic(str(outdir / "cohort.html"), render_cohort_html(reports, command=["jakcli", *sys.argv[1:]]))
    for name, content in multiqc_custom_content(reports).items():
        write_atomic(str(outdir / Path(name).name), content)
