"""Excel workbook (``--format xlsx``) from the JSON report dict, with openpyxl (optional extra).

Sheets: Summary (one row per sample), Findings, VUS (when the report has ``other_variants``),
Germline (``germline_findings``), Loci (``loci``), Copy number (``copy_number``), Provenance. Text from
the input is always stored as text, never as a formula (a sample named ``=HYPERLINK(...)`` stays a
string), and a missing value is an empty cell.
"""

from __future__ import annotations

import io
import json
import re

from jakcli.writers.common import input_checksum
from jakcli.writers.fields import catalogue_text, tier_text

SUMMARY_COLUMNS = ("sample", "risk_profile", "risk_level", "worst_case_level", "label", "n_findings",
                   "not_assessed", "driver_status", "allele_burden_class", "calls_below_floor")
FINDING_COLUMNS = ("sample", "rule_id", "rule_version", "gene", "alteration", "origin", "classification", "tier",
                   "transcript", "hgvsc", "hgvsp", "chrom", "pos", "ref", "alt", "vaf", "vaf_source", "depth",
                   "alt_reads", "genotype", "filter", "evidence", "references", "therapies", "matched_by", "source",
                   "basis", "catalogue")
VUS_COLUMNS = ("sample", "gene", "transcript", "hgvsc", "hgvsp", "hgvsp_reason", "exon", "intron", "domain", "chrom",
               "pos", "ref", "alt", "genotype", "vaf", "depth", "filter", "classification", "tier", "catalogue", "note")
GERMLINE_COLUMNS = ("sample", "gene", "transcript", "hgvsc", "hgvsp", "protein_change", "classification", "tier",
                    "condition", "inheritance", "zygosity", "changes_mpn_interpretation", "chrom", "pos", "ref", "alt",
                    "genotype", "vaf", "depth", "filter", "catalogue", "note")
LOCI_COLUMNS = ("sample", "rule_id", "gene", "name", "kind", "locus", "status", "depth", "detection_limit_vaf",
                "source", "note")
COPY_NUMBER_COLUMNS = ("sample", "status", "file", "sex", "sex_source", "purity", "ploidy", "target", "genes",
                       "target_status", "fraction_assessed", "states", "rules")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML cells (openpyxl raises)


def _text(value) -> object:
    if value is None or isinstance(value, (int, float)):
        return value
    if isinstance(value, (list, tuple)):
        text = "; ".join(_flat(v) for v in value)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        text = str(value)
    return _CONTROL.sub("\ufffd", text)  # a control character from the input shows as U+FFFD


def _flat(v) -> str:
    if isinstance(v, dict):
        return ", ".join(f"{k}={v[k]}" for k in sorted(v) if v[k] is not None)
    return str(v)


def _sheet(wb, title: str, columns: tuple, rows: list[dict]):
    """A sheet with a bold, frozen header; string cells forced to the string type."""
    from openpyxl.styles import Font

    ws = wb.create_sheet(title)
    ws.append(list(columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for r, row in enumerate(rows, start=2):
        for c, col in enumerate(columns, start=1):
            value = _text(row.get(col))
            cell = ws.cell(row=r, column=c)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula
    for c, col in enumerate(columns, start=1):
        width = max([len(str(col))] + [len(str(_text(r.get(col)) or "")) for r in rows[:200]])
        ws.column_dimensions[ws.cell(row=1, column=c).column_letter].width = min(60, width + 2)
    return ws


def _summary_rows(report: dict) -> list[dict]:
    rows = []
    for s in report["samples"]:
        risk = s["risk"]
        rows.append({"sample": s["sample"], "risk_profile": risk["profile"], "risk_level": risk["level"],
                     "worst_case_level": risk["worst_case_level"], "label": risk.get("label"),
                     "n_findings": len(s["findings"]), "not_assessed": risk.get("not_assessed") or None,
                     "driver_status": risk.get("driver_status"), "allele_burden_class": risk.get("allele_burden_class"),
                     "calls_below_floor": s.get("calls_below_floor")})
    return rows


def _finding_rows(report: dict) -> list[dict]:
    from jakcli.writers.text import evidence_summary

    rows = []
    for s in report["samples"]:
        for f in s["findings"]:
            rows.append({**f, "sample": s["sample"], "evidence": evidence_summary(f), "tier": tier_text(f.get("tier")),
                         "catalogue": catalogue_text(f.get("catalogue")),
                         "therapies": [f"{t.get('drug')} ({t.get('status')}): {t.get('indication')}"
                                       for t in f.get("therapies") or []] or None,
                         "references": f.get("references") or None})
    return rows


def _per_sample(report: dict, key: str) -> list[dict]:
    return [{**item, "sample": s["sample"], "tier": tier_text(item.get("tier")),
             "catalogue": catalogue_text(item.get("catalogue"))}
            for s in report["samples"] for item in s.get(key) or []]


def _copy_number_rows(report: dict) -> list[dict]:
    """One row per copy-number target of each sample with a ``copy_number`` record (the sample's
    file, sex, purity and per-rule results repeated); one row when it lists no targets."""
    rows = []
    for s in report["samples"]:
        cn = s.get("copy_number")
        if not isinstance(cn, dict):
            continue
        head = {k: cn.get(k) for k in ("status", "file", "sex", "sex_source", "purity", "ploidy")}
        head["sample"] = s["sample"]
        head["rules"] = [f"{rule}={result}" for rule, result in sorted((cn.get("rules") or {}).items())] or None
        targets = cn.get("targets") or [{}]
        rows += [{**head, "target": t.get("target"), "genes": t.get("genes"), "target_status": t.get("status"),
                  "fraction_assessed": t.get("fraction_assessed"), "states": t.get("states")} for t in targets]
    return rows


def _provenance_rows(report: dict) -> list[dict]:
    rs, st = report["ruleset"], report.get("stats", {})
    rows = [("jakcli_version", report.get("jakcli_version")), ("ruleset_version", rs.get("version")),
            ("ruleset_digest", rs.get("digest")),
            ("ruleset_sources", [f"{x.get('name')} {x.get('version')} ({x.get('path')})"
                                 for x in rs.get("sources", [])])]
    rows.append(("catalogue", catalogue_text(report.get("catalogue")) or "not recorded in this report"))
    rows += [("genome_build", report.get("genome_build")),
             ("genome_build_evidence", report.get("genome_build_evidence")),
             ("profile", f"{report['profile']['id']} v{report['profile']['version']}"),
             ("options", report.get("options"))]
    rows += [(f"input {i['kind']}", f"{i['path']} {input_checksum(i)}") for i in report.get("inputs", [])]
    rows += [(f"stats {k}", v) for k, v in st.items()]
    rows += [("warning", w) for w in report.get("warnings", [])]
    return [{"key": k, "value": v} for k, v in rows]


def to_xlsx(report: dict) -> bytes:
    """The workbook as bytes (write with :func:`jakcli.writers.write_atomic`)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    _sheet(wb, "Summary", SUMMARY_COLUMNS, _summary_rows(report))
    _sheet(wb, "Findings", FINDING_COLUMNS, _finding_rows(report))
    if any("other_variants" in s for s in report["samples"]):
        _sheet(wb, "VUS", VUS_COLUMNS, _per_sample(report, "other_variants"))
    if any("germline_findings" in s for s in report["samples"]):
        _sheet(wb, "Germline", GERMLINE_COLUMNS, _per_sample(report, "germline_findings"))
    if any("loci" in s for s in report["samples"]):
        _sheet(wb, "Loci", LOCI_COLUMNS, _per_sample(report, "loci"))
    if any("copy_number" in s for s in report["samples"]):
        _sheet(wb, "Copy number", COPY_NUMBER_COLUMNS, _copy_number_rows(report))
    _sheet(wb, "Provenance", ("key", "value"), _provenance_rows(report))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
