"""Self-contained HTML reports: one classify report, or a cohort of them (``jakcli batch --html``).

A clinician reads these pages, often from a shared drive or e-mail and often printed, so a page
loads nothing from the network: CSS, SVG charts and the small cohort-table script are inline. A
Content-Security-Policy allows only those exact inline blocks (by hash), so even a value that
slipped past escaping could neither run nor fetch anything. Values that came from input are
escaped by Jinja2's autoescape; no input value is written into script source (the cohort script
reads the table it sorts). This module formats; it decides nothing clinical.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shlex
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from urllib.parse import quote

from jakcli import __version__
from jakcli.model import Level
from jakcli.writers.common import (
    LEVEL_TITLES,
    LEVELS,
    input_checksum,
    level_class,
    named_alteration,
    percent,
    shorten,
)
from jakcli.writers.html_charts import cohort_charts
from jakcli.writers.loci import HEADER as LOCI_HEADER
from jakcli.writers.loci import locus_rows, not_detected
from jakcli.writers.text import copy_number_text, hgvs_text, tier_text
from jakcli.writers.vicc import LEGEND as VICC_LEGEND
from jakcli.writers.vicc import vicc_text

STATUS_TITLES = {"approved": "Approved", "investigational": "Investigational", "preclinical": "Preclinical"}
RISK_KEYS = {"profile", "level", "worst_case_level", "label", "rationale", "not_assessed"}

_REFERENCE_PATTERNS = (
    (re.compile(r"PMID:\s*(\d+)$", re.I), lambda m: f"https://pubmed.ncbi.nlm.nih.gov/{m[1]}/"),
    (re.compile(r"DOI:\s*(10\.\d{4,9}/\S+)$", re.I), lambda m: "https://doi.org/" + quote(m[1], safe="/:;()._-")),
    (re.compile(r"(?:NCT:\s*)?(NCT\d{8})$", re.I), lambda m: f"https://clinicaltrials.gov/study/{m[1].upper()}"),
)


def render_html(report: dict, command: str | list | None = None, generated: str | None = None) -> str:
    """One page for a classify report: a section per sample, then the provenance footer.

    ``command`` defaults to ``report["command"]`` (omitted when neither is given); ``generated``
    (shown in the footer only) defaults to the current UTC time.
    """
    samples = [_sample_view(report, s, i) for i, s in enumerate(report.get("samples") or [], 1)]
    return _render("report.html.j2", script=None, title=_title(samples), report=_report_view(report),
                   samples=samples, footer=_footer([report], command, generated))


def render_cohort_html(reports: list[dict], command: str | list | None = None,
                       generated: str | None = None) -> str:
    """One cohort page for ``reports`` (classify reports, typically one per sample, as ``batch`` writes).

    The page has a sortable, filterable summary table, SVG charts (risk levels, prevalence by gene,
    VAF per alteration), every sample's section and one provenance footer over all reports.
    ``command`` is the batch command line (string or argv list); ``generated`` defaults to now (UTC).
    """
    samples = [_sample_view(r, s, i)
               for i, (r, s) in enumerate(((r, s) for r in reports for s in r.get("samples") or []), 1)]
    script = _resource("cohort.js")
    return _render("cohort.html.j2", script=script, title=f"jakcli cohort report: {_count(len(samples), 'sample')}",
                   samples=samples, charts=cohort_charts(samples), mixed=_mixed_provenance(reports),
                   footer=_footer(reports, command, generated))


# ----------------------------------------------------------------------------- view models

def _sample_view(report: dict, sample: dict, index: int) -> dict:
    risk = sample.get("risk") or {}
    level = risk.get("level", "not-assessable")
    worst = risk.get("worst_case_level", level)
    not_assessed = list(risk.get("not_assessed") or [])
    findings = [_finding_view(f) for f in sample.get("findings") or []]
    vafs = [f["vaf"] for f in findings if f["vaf"] is not None]
    return {
        "anchor": f"sample-{index}",
        "name": str(sample.get("sample", "")),
        "inputs": [os.path.basename(str(i.get("path", ""))) for i in report.get("inputs") or []],
        "profile": _profile_text(report, risk),
        "level": level,
        "level_class": level_class(level),
        "level_title": LEVEL_TITLES.get(level, level),
        "level_rank": Level.rank_of(level),
        "worst_class": level_class(worst),
        "worst_title": LEVEL_TITLES.get(worst, worst),
        "worst_rank": Level.rank_of(worst),
        "label": risk.get("label", ""),
        "not_assessed": not_assessed,
        "not_assessed_text": _spoken_list(not_assessed) if not_assessed else "",
        "worst_sentence": _worst_sentence(level, worst, not_assessed),
        "extras": [(k.replace("_", " ").capitalize(), v) for k, v in risk.items() if k not in RISK_KEYS],
        "rationale": list(risk.get("rationale") or []),
        "findings": findings,
        "evidence": _evidence(sample.get("findings") or []),
        "below_floor": (sample.get("calls_below_floor") or 0) + (sample.get("rearrangements_below_floor") or 0),
        "not_reported": [_not_reported_text(n) for n in sample.get("rearrangements_not_reported") or []
                         if isinstance(n, dict)],
        "no_vaf": sum(1 for f in findings if f["vaf"] is None and not f["rearrangement"]),
        "genes": list(dict.fromkeys(f["gene"] for f in findings)),
        "max_vaf": max(vafs) if vafs else None,
        "max_vaf_text": percent(max(vafs)) if vafs else "",
        "run": _report_view(report),
        "worst_differs": worst != level,  # issue 16: the worst case is shown only where it differs
        "loci_header": LOCI_HEADER,
        "loci": locus_rows(sample),
        "not_detected": not_detected(sample),
        "germline": [_gene_row(g) for g in sample.get("germline_findings") or []],
        "vus": [_gene_row(v) for v in sample.get("other_variants") or []],
        "copy_number": _copy_number_view(sample.get("copy_number")),
    }


def _gene_row(d: dict) -> dict:
    """A germline finding or a variant of uncertain significance, as shown."""
    where = f"exon {d['exon']}" if d.get("exon") else (f"intron {d['intron']}" if d.get("intron") else "")
    return {**d, "hgvs": hgvs_text(d), "tier_text": tier_text(d.get("tier")) or d.get("classification", ""),
            "where": where, "vaf_text": percent(d["vaf"]) if d.get("vaf") is not None else "unknown"}


def _copy_number_view(cn: dict | None) -> dict | None:
    """Per-target copy-number status for the page (None when the run had no --cnv)."""
    if not cn or cn.get("status") != "supplied":
        return cn and {"supplied": False}
    rows = [{"target": t["target"], "genes": t["genes"], "status": t["status"],
             "covered": percent(t["fraction_assessed"]),
             "states": ", ".join(f"{k} {percent(v)}" for k, v in t["states"].items()) or "\u2013",
             "exons": "; ".join(f"{k} {','.join(map(str, v))}" for k, v in t["exons"].items()
                                if k != "neutral") or "\u2013"}
            for t in cn.get("targets") or []]
    return {"supplied": True, "file": os.path.basename(str(cn.get("file"))), "format": cn.get("format"),
            "sex": cn.get("sex") or "unknown", "sex_source": cn.get("sex_source"), "targets": rows}


def _finding_view(f: dict) -> dict:
    vaf, depth, alt_reads = f.get("vaf"), f.get("depth"), f.get("alt_reads")
    evidence = [e for e in f.get("evidence") or [] if isinstance(e, dict)]
    reads = ""
    if alt_reads is not None:
        reads = f"{alt_reads} of {depth} reads" if depth is not None else f"{alt_reads} reads"
    detail = []  # no-break spaces: a narrow column wraps between the parts, not inside them
    if f.get("genotype") not in (None, "", "."):
        detail.append(f"GT\u00a0{f['genotype']}")
    if f.get("vaf_source"):
        detail.append(f"VAF\u00a0from\u00a0{f['vaf_source']}")
    location = ""
    if f.get("chrom") is not None and f.get("pos") is not None and not evidence:
        location = f"{f['chrom']}:{f['pos']}"
        if f.get("ref") is not None and f.get("alt") is not None:
            location += f" {shorten(f['ref'], 12)}>{shorten(f['alt'], 12)}"
    return {
        "gene": f.get("gene", ""),
        "alteration": f.get("alteration", ""),
        "named": named_alteration(f),
        "location": location,
        "origin": f.get("origin", ""),
        "classification": f.get("classification", ""),
        "vaf": vaf,
        "rearrangement": bool(evidence),
        # A fusion has read support, not an allele fraction; a small variant without counts has an unknown one.
        "vaf_text": percent(vaf) if vaf is not None else "n/a" if evidence else "unknown",
        "depth_text": "" if depth is None else f"depth {depth}",
        "reads": reads,
        "support": " · ".join(detail),
        "evidence": [_evidence_text(e) for e in evidence],
        "filter": f.get("filter") if f.get("filter") not in (None, "PASS", ".") else "",
        "rule": f"{f.get('rule_id', '')}@{f.get('rule_version', '')}",
        "notes": list(f.get("notes") or []),
        "hgvs": hgvs_text(f),
        "tier": tier_text(f.get("tier")) or "",
        "vicc": vicc_text(f) or "",
    }


def _evidence_text(e: dict) -> str:
    """One supporting RNA/DNA call of a rearrangement: kind, caller, reads, breakpoints, where it was read."""
    parts = [" ".join(str(e[k]) for k in ("evidence", "caller") if e.get(k))]
    if e.get("evidence") == "copy-number":
        return " \u00b7 ".join([*parts, copy_number_text({**e, "file": os.path.basename(str(e.get("file", "")))})])
    if e.get("supporting_reads") is not None:
        parts.append(f"{e['supporting_reads']} reads")
    if e.get("breakpoint5") or e.get("breakpoint3"):
        parts.append(f"{e.get('breakpoint5') or '?'} \u2192 {e.get('breakpoint3') or '?'}")
    if e.get("breakends"):
        parts.append(str(e["breakends"]))
    if e.get("svtype"):
        parts.append(str(e["svtype"]))
    if e.get("confidence") not in (None, "", "."):
        parts.append(f"confidence {e['confidence']}")
    if e.get("filter") not in (None, "", ".", "PASS"):
        parts.append(f"FILTER {e['filter']}")
    where = os.path.basename(str(e.get("file", "")))
    if e.get("line") is not None:
        where += f" line {e['line']}"
    elif e.get("record") is not None:
        where += f" {e['record']}"
    parts.append(where.strip())
    return " \u00b7 ".join(p for p in parts if p)


def _not_reported_text(n: dict) -> str:
    """A rearrangement call that was read but not reported (below the floor, wrong orientation...)."""
    status = str(n.get("status", "")).replace("_", " ")
    ev = n.get("evidence") if isinstance(n.get("evidence"), dict) else {}
    return (f"{n.get('fusion', '')} ({n.get('rule_id', '')}, {status}): {n.get('reason', '')}"
            + (f" [{_evidence_text(ev)}]" if ev else ""))


def _evidence(findings: list[dict]) -> list[dict]:
    """Group references and therapy notes by rule, so each is shown once per sample."""
    groups: dict[str, dict] = {}
    for f in findings:
        key = f"{f.get('rule_id', '')}@{f.get('rule_version', '')}"
        g = groups.setdefault(key, {"rule": key, "gene": f.get("gene", ""), "alterations": [],
                                    "classification": f.get("classification", ""),
                                    "references": [_reference(r) for r in f.get("references") or []],
                                    "therapies": [_therapy(t) for t in f.get("therapies") or []]})
        if f.get("alteration") not in g["alterations"]:
            g["alterations"].append(f.get("alteration"))
    return list(groups.values())


def _therapy(t: dict) -> dict:
    status = str(t.get("status", ""))
    return {"drug": t.get("drug", ""), "status_title": STATUS_TITLES.get(status, status),
            "status_class": status if status in STATUS_TITLES else "other",
            "indication": t.get("indication", "")}


def _reference(ref) -> dict:
    """``PMID:…``, ``DOI:…`` and ``NCT…`` become links; anything else stays plain text."""
    text = str(ref).strip()
    for pattern, url in _REFERENCE_PATTERNS:
        m = pattern.match(text)
        if m:
            return {"text": text, "url": url(m)}
    return {"text": text, "url": None}


def _worst_sentence(level: str, worst: str, not_assessed: list[str]) -> str:
    if not not_assessed:
        return "Everything this profile names was assessed in this input."
    if worst != level:
        return f"If any were present, the result could be {LEVEL_TITLES.get(worst, worst).lower()}."
    return "Finding any of them would not change the level."


def _spoken_list(items: list[str]) -> str:
    """``a, b or c``: the not-assessed list reads as a sentence in the banner."""
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _report_view(report: dict) -> dict:
    options = report.get("options") or {}
    stats = report.get("stats") or {}
    skipped = stats.get("skipped") or {}
    return {
        "build": report.get("genome_build", "unknown"),
        "build_evidence": report.get("genome_build_evidence", ""),
        "profile": _profile_text(report, {}),
        "inputs": [f"{i.get('path', '')} ({i.get('kind', 'input')})" for i in report.get("inputs") or []],
        "floor": _floor_text(options),
        "filtered": ("Records whose FILTER is not PASS were also evaluated (--include-filtered)"
                     if options.get("include_filtered") else
                     f"Records whose FILTER is not PASS were not evaluated ({skipped.get('filtered', 0)} skipped)"),
        "records": _records_text(stats),
        "warnings": list(report.get("warnings") or []),
    }


def _floor_text(options: dict) -> str:
    parts = []
    if options.get("min_vaf") is not None:
        parts.append(f"VAF {percent(options['min_vaf'])} for every small-variant rule (--min-vaf)")
    if options.get("min_fusion_reads") is not None:
        parts.append(f"{options['min_fusion_reads']} supporting reads for every rearrangement rule "
                     "(--min-fusion-reads)")
    return "; ".join(parts) or ("each rule's own floor (VAF for small variants, supporting reads for "
                                "rearrangements; see the rule documentation)")


def _records_text(stats: dict) -> str:
    parts = []
    if stats.get("records_read"):
        parts.append(f"{stats['records_read']} VCF records read, {stats.get('records_evaluated', 0)} evaluated")
    rearr = stats.get("rearrangements") or {}
    if rearr.get("fusion_calls_read"):
        parts.append(f"{rearr['fusion_calls_read']} fusion calls read")
    if rearr.get("sv_records_read"):
        parts.append(f"{rearr['sv_records_read']} SV records read")
    return "; ".join(parts)


def _profile_text(report: dict, risk: dict) -> str:
    prof = report.get("profile") or {}
    pid = prof.get("id") or risk.get("profile") or "unknown"
    return f"{pid} v{prof['version']}" if prof.get("version") is not None else str(pid)


def _mixed_provenance(reports: list[dict]) -> list[str]:
    """Say so when a cohort's reports were made with different tools, rules, builds or profiles."""
    out = []
    for what, get in (("jakcli versions", lambda r: r.get("jakcli_version")),
                      ("rule sets", lambda r: (r.get("ruleset") or {}).get("digest")),
                      ("genome builds", lambda r: r.get("genome_build")),
                      ("risk profiles", lambda r: _profile_text(r, {}))):
        values = sorted({str(get(r)) for r in reports})
        if len(values) > 1:
            out.append(f"These reports were made with different {what}: {', '.join(values)}.")
    return out


def _footer(reports: list[dict], command, generated: str | None) -> dict:
    if command is None and len(reports) == 1:
        command = reports[0].get("command")
    if isinstance(command, (list, tuple)):
        command = shlex.join(str(c) for c in command)
    rulesets: dict = {}
    inputs: dict = {}
    for r in reports:
        rs = r.get("ruleset") or {}
        rulesets.setdefault((rs.get("version"), rs.get("digest")), rs.get("sources") or [])
        for i in r.get("inputs") or []:
            inputs.setdefault((str(i.get("path", "")), input_checksum(i)), None)
    return {
        "versions": sorted({str(r.get("jakcli_version")) for r in reports}) or [__version__],
        "rulesets": [{"version": v, "digest": d,
                      "sources": [f"{s.get('name')} {s.get('version')}" for s in src] if len(src) > 1 else []}
                     for (v, d), src in rulesets.items()],
        "builds": sorted({str(r.get("genome_build")) for r in reports}),
        "profiles": sorted({_profile_text(r, {}) for r in reports}),
        "inputs": [{"path": p, "checksum": h} for p, h in inputs],
        "catalogues": sorted({f"{c.get('version')} ({c.get('digest')}, {c.get('entries')} entries)"
                              for r in reports if (c := r.get("catalogue"))}),
        "command": command,
        "generated": generated or datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


# ----------------------------------------------------------------------------- helpers

def _title(samples: list[dict]) -> str:
    if len(samples) == 1:
        return f"jakcli report: {samples[0]['name']}"
    return f"jakcli report: {_count(len(samples), 'sample')}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _resource(name: str) -> str:
    return resources.files("jakcli").joinpath("templates", name).read_text(encoding="utf-8")


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


@lru_cache(maxsize=1)
def _environment():
    """Jinja2 is imported here, not at module load, so other output formats start fast."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("jakcli", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals["vicc_legend"] = VICC_LEGEND
    return env


def _render(template: str, script: str | None, **context) -> str:
    from markupsafe import Markup

    css = _resource("report.css")
    script_src = _csp_hash(script) if script else "'none'"
    csp = (f"default-src 'none'; style-src {_csp_hash(css)}; script-src {script_src}; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    return _environment().get_template(template).render(
        css=Markup(css), script=Markup(script) if script else None, csp=csp, levels=LEVELS,
        level_titles=LEVEL_TITLES, **context)
