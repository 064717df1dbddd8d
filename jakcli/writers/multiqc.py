"""MultiQC custom content: a cohort's risk calls as a per-sample table and a bar plot of risk levels.

A core's nightly MultiQC dashboard picks these files up from the batch output folder by name
(``*_mqc.json``). MultiQC makes one section per file; both files share a ``parent_id`` so they sit
under one "jakcli" heading. The keys follow MultiQC's custom-content format (``id``,
``section_name``, ``description``, ``plot_type``, ``pconfig``, ``headers`` for tables,
``categories`` for bar graphs, ``data`` keyed by sample), as read by
``multiqc/core/special_case_modules/custom_content.py``.
"""

from __future__ import annotations

import json
import os

from jakcli import __version__
from jakcli.model import Level
from jakcli.writers.common import named_alteration

TABLE_FILE = "jakcli_risk_table_mqc.json"
BARGRAPH_FILE = "jakcli_risk_levels_mqc.json"
PARENT = {"parent_id": "jakcli", "parent_name": "jakcli: JAK-STAT risk",
          "parent_description": "JAK-STAT pathway alterations and risk level per sample, classified by jakcli."}
LEVEL_COLOURS = {Level.HIGH: "#b42318", Level.INTERMEDIATE: "#dc6803", Level.INFORMATIONAL: "#2e90fa",
                 Level.NONE_DETECTED: "#17b26a", Level.NOT_ASSESSABLE: "#98a2b3"}
LEVELS = {lv.value: (lv.short_title, LEVEL_COLOURS[lv]) for lv in Level}  # the order is the bar order
LEVEL_BACKGROUNDS = {"high": "#fef3f2", "intermediate": "#fffaeb", "informational": "#eff8ff",
                     "none-detected": "#ecfdf3", "not-assessable": "#f2f4f7"}


def multiqc_custom_content(reports: list[dict]) -> dict[str, str]:
    """File name -> JSON text for MultiQC custom content, from classify reports (one per sample
    as ``jakcli batch`` writes them, or multi-sample reports). Write each file into the folder
    MultiQC scans.

    A sample name that occurs in more than one report gets its input file's stem appended, so no
    row silently replaces another.
    """
    rows = _rows(reports)
    provenance = _provenance(reports)
    table = {
        "id": "jakcli_risk_table",
        **PARENT,
        "section_name": "Risk per sample",
        "description": f"Risk level, worst case if unassessed alterations were present, and findings "
                       f"with their VAF. {provenance}",
        "plot_type": "table",
        "pconfig": {"id": "jakcli_risk_table", "title": "jakcli: risk per sample", "col1_header": "Sample"},
        "headers": {
            "risk_level": {"title": "Risk level", "description": "Risk level under the profile",
                           "scale": False, "bgcols": LEVEL_BACKGROUNDS},
            "worst_case_level": {"title": "Worst case", "scale": False, "bgcols": LEVEL_BACKGROUNDS,
                                 "description": "Level reached if every alteration that could not be "
                                                "assessed (e.g. fusions without fusion input) were present"},
            "not_assessed": {"title": "Not assessed", "scale": False,
                             "description": "What this input could not show"},
            "findings": {"title": "Findings", "description": "Number of reported alterations",
                         "format": "{:,.0f}", "min": 0, "scale": False},
            "alterations": {"title": "Alterations (VAF)", "scale": False,
                            "description": "Gene, alteration and variant allele fraction of each finding"},
            "max_vaf": {"title": "Max VAF", "description": "Highest VAF among the findings",
                        "suffix": "%", "format": "{:,.1f}", "min": 0, "max": 100, "scale": "OrRd"},
            "profile": {"title": "Profile", "scale": False, "description": "Risk profile (id and version)"},
        },
        "data": dict(rows),
    }
    counts: dict[str, dict[str, int]] = {}
    for _, row in rows:
        profile = counts.setdefault(row["profile"], dict.fromkeys(LEVELS, 0))
        profile[row["risk_level"]] = profile.get(row["risk_level"], 0) + 1
    bargraph = {
        "id": "jakcli_risk_levels",
        **PARENT,
        "section_name": "Risk levels",
        "description": f"Number of samples at each risk level, per risk profile. {provenance}",
        "plot_type": "bargraph",
        "pconfig": {"id": "jakcli_risk_levels", "title": "jakcli: samples by risk level",
                    "ylab": "Samples", "cpswitch": False},
        "categories": {lv: {"name": title, "color": colour} for lv, (title, colour) in LEVELS.items()},
        "data": {f"profile {p}": c for p, c in counts.items()},
    }
    return {TABLE_FILE: _dump(table), BARGRAPH_FILE: _dump(bargraph)}


def _rows(reports: list[dict]) -> list[tuple[str, dict]]:
    entries = []
    for r in reports:
        # MultiQC cuts sample names at extensions such as .vcf, so only the file stem is used.
        inputs = ", ".join(os.path.basename(str(i.get("path", ""))).split(".")[0] for i in r.get("inputs") or [])
        profile = r.get("profile") or {}
        profile_text = f"{profile.get('id')} v{profile.get('version')}"
        for s in r.get("samples") or []:
            risk = s.get("risk") or {}
            findings = s.get("findings") or []
            vafs = [f["vaf"] for f in findings if f.get("vaf") is not None]
            row = {
                "risk_level": risk.get("level"),
                "worst_case_level": risk.get("worst_case_level"),
                "not_assessed": "; ".join(map(str, risk.get("not_assessed") or [])),
                "findings": len(findings),
                "alterations": "; ".join(f"{named_alteration(f)} ({_support(f)})" for f in findings),
                "profile": profile_text,
            }
            if vafs:
                row["max_vaf"] = round(max(vafs) * 100, 2)
            entries.append((str(s.get("sample", "")), inputs, row))
    seen: dict[str, int] = {}
    for name, _, _ in entries:
        seen[name] = seen.get(name, 0) + 1
    out, used = [], set()
    for name, inputs, row in entries:
        key = name if seen[name] == 1 else f"{name} ({inputs})"
        unique, n = key, 2
        while unique in used:
            unique, n = f"{key} #{n}", n + 1
        used.add(unique)
        out.append((unique, row))
    return out


def _support(f: dict) -> str:
    """VAF for a small variant; supporting reads for a rearrangement, which has no allele fraction."""
    if f.get("vaf") is not None:
        return f"{f['vaf'] * 100:.1f}%"
    if f.get("evidence") and f.get("alt_reads") is not None:
        return f"{f['alt_reads']} reads"
    return "VAF n/a"


def _provenance(reports: list[dict]) -> str:
    versions = sorted({str(r.get("jakcli_version", __version__)) for r in reports}) or [__version__]
    rulesets = sorted({f"{(r.get('ruleset') or {}).get('version')} "
                       f"({(r.get('ruleset') or {}).get('digest')})" for r in reports})
    builds = sorted({str(r.get("genome_build")) for r in reports})
    return (f"jakcli {', '.join(versions)}; rule set {', '.join(rulesets) or 'n/a'}; "
            f"genome build {', '.join(builds) or 'n/a'}.")


def _dump(doc: dict) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
