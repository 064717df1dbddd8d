"""Cohort files, always rebuilt from the per-sample reports: cohort.tsv, cohort.json,
failures.tsv, MultiQC custom content and (with ``--html``) cohort.html."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from jakcli import __version__
from jakcli.batch.manifest import ManifestRow
from jakcli.batch.pool import Failure
from jakcli.model import Options
from jakcli.readers.files import sha256_file
from jakcli.ruleset.compiled import Ruleset
from jakcli.writers.atomic import write_atomic
from jakcli.writers.fastjson import loads
from jakcli.writers.text import to_json, tsv_cell

COHORT_COLUMNS = ("sample", "status", "risk_profile", "risk_level", "worst_case_level", "n_findings",
                  "rule_ids", "alterations", "vafs", "genome_build", "report", "loci_not_assessed")
FAILURE_COLUMNS = ("sample", "input", "error")
REPORTS_DIR = "reports"


@dataclass(frozen=True)
class Finalized:
    failures: tuple[Failure, ...]
    levels: tuple[tuple[str, str], ...]  # (sample, risk level) of every sample with a report


def finalize(rows: list[ManifestRow], names: dict[str, str], out: Path, failures: dict[str, Failure],
             rs: Ruleset, opts: Options, manifest, html: bool, shard: bool = False) -> Finalized:
    """Rebuild cohort.tsv, cohort.json and failures.tsv from the reports, in manifest order. A shard
    writes no MultiQC content (MultiQC would count it beside the gathered files)."""
    reports: list[dict] = []
    table: list[dict] = []
    entries: list[dict] = []
    failed: list[Failure] = []
    for r in rows:
        rel = f"{REPORTS_DIR}/{names[r.sample]}"
        path = out / rel
        f = failures.get(r.sample)
        rep = None if f else load_json(path)
        if f is None and not isinstance(rep, dict):
            f = Failure(r.sample, r.primary_input, f"{path}: the report is missing or unreadable")
        if f is not None:
            path.unlink(missing_ok=True)  # a stale report must not pass for this run's result
            failed.append(f)
            table.append({"sample": r.sample, "status": "failed", "n_findings": None})
            entries.append({"sample": r.sample, "status": "failed", "error": f.error,
                            "inputs": {role: {"path": p} for role, p in r.inputs.items()}})
            continue
        assert isinstance(rep, dict)
        reports.append(rep)
        table.append(_cohort_row(rep, rel))
        entries.append({"sample": r.sample, "status": "ok", "report": rel, "genome_build": rep["genome_build"],
                        "inputs": rep["batch"]["inputs"]})

    write_atomic(str(out / "failures.tsv"),
                 _tsv([{"sample": f.sample, "input": f.input, "error": f.error} for f in failed],
                      FAILURE_COLUMNS))
    cohort = {
        "schema_version": 1,
        "jakcli_version": __version__,
        "ruleset": rs.to_provenance(),
        "options": opts.cache_key(),
        "genome_builds": sorted({rep["genome_build"] for rep in reports}),
        "manifest": {"path": os.path.abspath(manifest), "sha256": sha256_file(str(manifest))},
        "counts": {"samples": len(rows), "ok": len(rows) - len(failed), "failed": len(failed)},
        "columns": list(COHORT_COLUMNS),
        "samples": entries,
    }
    write_atomic(str(out / "cohort.json"), to_json(cohort))
    write_atomic(str(out / "cohort.tsv"), _tsv(table, COHORT_COLUMNS))
    _write_extras(out, reports, html, shard)
    os.sync()  # one flush for every report written unsynced by this run
    levels = tuple((s["sample"], s["risk"]["level"]) for rep in reports for s in rep["samples"])
    return Finalized(tuple(failed), levels)


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
            "genome_build": report["genome_build"], "report": rel,
            "loci_not_assessed": sum(1 for e in s.get("loci", []) if e["status"] in ("not-assessed", "low-coverage"))}


def _tsv(rows: list[dict], columns: tuple) -> str:
    """A TSV with exactly ``columns``, in order; every cell passes through :func:`tsv_cell` (no
    tabs or line breaks), so a plain join is exact: no pandas import on the batch's hot path."""
    lines = ["\t".join(columns)]
    lines += ["\t".join(tsv_cell(r.get(c)) for c in columns) for r in rows]
    return "\n".join(lines) + "\n"


def read_failures(path: Path) -> dict[str, Failure]:
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


def _write_extras(outdir: Path, reports: list[dict], html: bool, shard: bool) -> None:
    """Cohort outputs for people and dashboards, from every successful report in manifest order:
    MultiQC custom content (not in a shard's folder), ``cohort.html`` with ``html``. Such a file left by
    an earlier run that this run does not write is removed, so it cannot pass for this run's result."""
    from jakcli.writers.multiqc import BARGRAPH_FILE, TABLE_FILE, multiqc_custom_content

    if not html:
        (outdir / "cohort.html").unlink(missing_ok=True)
    if shard:
        for name in (TABLE_FILE, BARGRAPH_FILE):
            (outdir / name).unlink(missing_ok=True)
    if html:
        import sys

        from jakcli.writers.html import render_cohort_html

        write_atomic(str(outdir / "cohort.html"), render_cohort_html(reports, command=["jakcli", *sys.argv[1:]]))
    for name, content in ({} if shard else multiqc_custom_content(reports)).items():
        write_atomic(str(outdir / Path(name).name), content)


def load_json(path: Path):
    try:
        return loads(path.read_bytes())
    except (OSError, ValueError):  # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
        return None
