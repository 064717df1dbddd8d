"""Report writers (json, tsv, md, html) and atomic output.

Writers take the report dict produced by :func:`jakcli.classify.classify` and return text; they
never compute anything clinical. Output files are written to a temporary file in the target
directory and renamed into place, so a crash never leaves a half-written report.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from contextlib import contextmanager

from jakcli.errors import InputError

from jakcli.html_report import render_html

TSV_COLUMNS = (
    "sample", "rule_id", "rule_version", "gene", "alteration", "origin", "classification",
    "chrom", "pos", "ref", "alt", "vaf", "vaf_source", "depth", "alt_reads", "genotype", "filter",
    "risk_profile", "risk_level", "worst_case_level", "evidence",
)


def evidence_summary(finding: dict) -> str | None:
    """One line per rearrangement finding: each supporting call as KIND:caller(reads)."""
    parts = []
    for e in finding.get("evidence") or []:
        reads = "reads n/a" if e.get("supporting_reads") is None else f"{e['supporting_reads']} reads"
        parts.append(f"{e['evidence']}:{e['caller']}({reads})")
    return "; ".join(parts) or None


def to_json(report: dict) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def tsv_cell(value) -> str:
    """'.' for a missing value; tabs and line breaks become spaces (one record per line)."""
    if value is None:
        return "."
    text = str(value)
    return text.replace("\t", " ").replace("\n", " ").replace("\r", " ")


def to_tsv(report: dict) -> str:
    """One row per finding; one ``none`` row for a sample without findings. Column order is fixed."""
    lines = ["\t".join(TSV_COLUMNS)]
    for s in report["samples"]:
        risk = s["risk"]
        tail = (risk["profile"], risk["level"], risk["worst_case_level"])
        if not s["findings"]:
            row = (s["sample"], "none") + (None,) * (len(TSV_COLUMNS) - 6) + tail + (None,)
            lines.append("\t".join(tsv_cell(v) for v in row))
        for f in s["findings"]:
            vaf = None if f["vaf"] is None else f"{f['vaf']:.4f}"
            row = (s["sample"], f["rule_id"], f["rule_version"], f["gene"], f["alteration"], f["origin"],
                   f["classification"], f["chrom"], f["pos"], f["ref"], f["alt"], vaf, f["vaf_source"],
                   f["depth"], f["alt_reads"], f["genotype"], f["filter"]) + tail + (evidence_summary(f),)
            lines.append("\t".join(tsv_cell(v) for v in row))
    return "\n".join(lines) + "\n"


def _md(text) -> str:
    """Escape Markdown/HTML-significant characters in values that came from input."""
    out = str(text)
    for ch in "\\`*_[]<>|":
        out = out.replace(ch, "\\" + ch)
    return out.replace("\n", " ")


def to_markdown(report: dict) -> str:
    rs = report["ruleset"]
    lines = [
        "# jakcli report", "",
        f"- jakcli {report['jakcli_version']}; ruleset {_md(rs['version'])} ({rs['digest']})",
        f"- genome build: {report['genome_build']} ({_md(report['genome_build_evidence'])})",
        f"- profile: {report['profile']['id']} v{report['profile']['version']}",
    ]
    for i in report["inputs"]:
        lines.append(f"- input: {_md(i['path'])} (sha256 {i['sha256']})")
    lines.append("")
    for s in report["samples"]:
        risk = s["risk"]
        lines += [f"## Sample {_md(s['sample'])}", "",
                  f"**Risk ({risk['profile']}): {risk['level']}** — {_md(risk['label'])}  ",
                  f"Worst case if unassessed alterations were present: **{risk['worst_case_level']}**", ""]
        if risk["not_assessed"]:
            lines.append("Not assessed: " + "; ".join(_md(x) for x in risk["not_assessed"]))
            lines.append("")
        for key in ("driver_status", "allele_burden_class"):
            if key in risk:
                lines.append(f"- {key.replace('_', ' ')}: {_md(risk[key])}")
        if s["findings"]:
            lines += ["| gene | alteration | origin | classification | VAF | depth | evidence | rule |",
                      "|---|---|---|---|---|---|---|---|"]
            for f in s["findings"]:
                vaf = "n/a" if f["vaf"] is None else f"{f['vaf']:.3f}"
                lines.append(f"| {_md(f['gene'])} | {_md(f['alteration'])} | {f['origin']} | "
                             f"{f['classification']} | {vaf} | {_md(f['depth'])} | "
                             f"{_md(evidence_summary(f) or '')} | {f['rule_id']}@{f['rule_version']} |")
        else:
            lines.append("No JAK-STAT finding.")
        lines.append("")
        if s.get("rearrangements_not_reported"):
            lines += ["Rearrangement calls seen but not reported:", ""]
            for n in s["rearrangements_not_reported"]:
                ev = n["evidence"]
                lines.append(f"- {_md(n['fusion'])} ({n['rule_id']}, {n['status'].replace('_', ' ')}): "
                             f"{_md(n['reason'])} [{_md(ev['file'])}]")
            lines.append("")
        for r in risk["rationale"]:
            lines.append(f"- {_md(r)}")
        lines.append("")
    st = report["stats"]
    skipped = ", ".join(f"{k}: {v}" for k, v in st["skipped"].items()) or "none"
    lines += ["## Stats", "",
              f"- records read: {st['records_read']}; evaluated: {st['records_evaluated']}; skipped: {skipped}",
              f"- calls below the reporting floor: {st['calls_below_floor']}"]
    ra = st.get("rearrangements")
    if ra and (ra["fusion_calls_read"] or ra["sv_records_read"]):
        ra_skipped = ", ".join(f"{k}: {v}" for k, v in ra["skipped"].items()) or "none"
        lines.append(f"- fusion calls read: {ra['fusion_calls_read']}; SV records read: {ra['sv_records_read']} "
                     f"(evaluated {ra['sv_records_evaluated']}); skipped: {ra_skipped}; below the evidence "
                     f"floor: {ra['below_floor']}")
    if report["warnings"]:
        lines += ["", "## Warnings", ""] + [f"- {_md(w)}" for w in report["warnings"]]
    return "\n".join(lines) + "\n"


RENDERERS = {"json": to_json, "tsv": to_tsv, "md": to_markdown, "html": render_html}


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_output(path: str):
    """A temporary path beside ``path``, renamed onto it when the block succeeds (synced, with the
    usual umask permissions: mkstemp's 0600 would hide shared reports) and removed otherwise, so a
    crash never leaves half an output. A device or FIFO (``/dev/full``, a named pipe) is written in
    place, never replaced: a rename onto it would, as root, swap the device node for a file. A full
    disk or any other write error is an :class:`InputError` naming the output."""
    target = os.path.abspath(path)
    special = os.path.exists(target) and not os.path.isfile(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".jakcli-", suffix=".part",
                                   dir=None if special else os.path.dirname(target))
    except OSError as exc:
        raise InputError(f"{path}: cannot write the output ({exc.strerror or exc}); check that the "
                         "directory exists and is writable") from None
    os.close(fd)
    try:
        yield tmp
        if special:
            with open(tmp, "rb") as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
        else:
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, target)
    except OSError as exc:
        raise InputError(f"{path}: cannot write the output ({exc.strerror or exc}); free some space "
                         "or choose another -o") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _stdout_failed(exc: OSError) -> InputError:
    """Point stdout at /dev/null (so the interpreter's final flush cannot fail again) and say why."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    return InputError(f"standard output: cannot write the report ({exc.strerror or exc}); write it "
                      "with -o PATH to a disk with free space")


def write_atomic(path: str, text: str | bytes) -> None:
    """Write ``text`` (str or bytes) to ``path`` (``-`` = stdout) via a temporary file and a rename."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if path == "-":
        try:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _stdout_failed(exc) from None
        return
    with atomic_output(path) as tmp, open(tmp, "wb") as fh:
        fh.write(data)
