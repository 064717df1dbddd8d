"""Text report writers: JSON, TSV (one row per finding) and Markdown.

Writers take the report dict produced by :func:`jakcli.classify.classify` and return text; they
never compute anything clinical.
"""

from __future__ import annotations

from collections.abc import Iterator

from jakcli.writers.common import input_checksum, percent
from jakcli.writers.fastjson import chunks_indent2, dumps_indent2
from jakcli.writers.loci import markdown as loci_markdown
from jakcli.writers.vicc import LEGEND as VICC_LEGEND
from jakcli.writers.vicc import vicc_text

TSV_COLUMNS = (
    "sample", "rule_id", "rule_version", "gene", "alteration", "origin", "classification",
    "chrom", "pos", "ref", "alt", "vaf", "vaf_source", "depth", "alt_reads", "genotype", "filter",
    "risk_profile", "risk_level", "worst_case_level", "evidence",
    "transcript", "hgvsc", "hgvsp", "tier", "catalogue_ids",
)


def evidence_summary(finding: dict) -> str | None:
    """One line per rearrangement finding: each supporting call as KIND:caller(reads)."""
    parts = []
    for e in finding.get("evidence") or []:
        if e["evidence"] == "copy-number":
            parts.append(f"copy-number:{e['caller']}({copy_number_text(e)})")
            continue
        reads = "reads n/a" if e.get("supporting_reads") is None else f"{e['supporting_reads']} reads"
        parts.append(f"{e['evidence']}:{e['caller']}({reads})")
    return "; ".join(parts) or None


def tier_text(tier: dict | None) -> str | None:
    """``Tier I (A)`` or an ACMG/AMP class; None when the profile gives no tier."""
    if not tier:
        return None
    return tier["tier"] + (f" ({tier['evidence_level']})" if tier.get("evidence_level") else "")


def naming_cells(f: dict) -> tuple:
    """The TSV's last columns: transcript, HGVS c., HGVS p., tier, catalogue ids."""
    cat = f.get("catalogue") or {}
    return (f.get("transcript"), f.get("hgvsc"), f.get("hgvsp"), tier_text(f.get("tier")),
            ",".join(cat.get("ids", [])) or None)


def hgvs_text(f: dict) -> str:
    """``NM_004972.4:c.1849G>T p.(Val617Phe)``; p. or its absence explained."""
    if not f.get("hgvsc"):
        return ""
    p = f.get("hgvsp") or f"p.? ({f.get('hgvsp_reason') or 'not computed'})"
    return f"{f['transcript']}:{f['hgvsc']} {p}"


def copy_number_text(e: dict) -> str:
    """A copy-number segment as evidence: segment, value, state, exons, file and line."""
    value = f"log2 {e['log2']}" if e.get("log2") is not None else f"copy number {e.get('copy_number')}"
    exons = f", {e['exons']}" if e.get("exons") else ""
    focal = "" if e.get("focal") is None else (", focal" if e["focal"] else ", broad")
    return (f"{e['segment']} {value}, {e.get('state')}{exons}{focal}, {e['matched_rule']}; "
            f"{e['file']} line {e['line']}")


def copy_number_lines(cn: dict) -> list[str]:
    """The per-sample copy-number section of the Markdown report."""
    if cn.get("status") != "supplied":
        return ["Copy number: no copy-number file for this sample (not assessed).", ""]
    out = [f"Copy number: {_md(cn['file'])} ({cn['format']}, {cn['segments']} segments; sex "
           f"{cn['sex'] or 'unknown'}, {_md(cn['sex_source'])}; purity {cn['purity']}, ploidy {cn['ploidy']})", "",
           "| target | genes | status | covered | states | exons |", "|---|---|---|---|---|---|"]
    for t in cn["targets"]:
        states = ", ".join(f"{k} {percent(v)}" for k, v in t["states"].items()) or "-"
        exons = "; ".join(f"{k} {','.join(map(str, v))}" for k, v in t["exons"].items() if k != "neutral") or "-"
        out.append(f"| {_md(t['target'])} | {_md(t['genes'])} | {t['status']} | {percent(t['fraction_assessed'])} | "
                   f"{_md(states)} | {_md(exons)} |")
    return out + [""]


def to_json(report: dict) -> str:
    return dumps_indent2(report) + "\n"


def json_chunks(report: dict) -> Iterator[str]:
    """:func:`to_json` in pieces, one sample at a time (what ``classify --format json`` writes: a
    10,000-sample cohort report is never held as one string)."""
    yield from chunks_indent2(report, "samples")
    yield "\n"


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
            row = (s["sample"], "none") + (None,) * (len(TSV_COLUMNS) - 11) + tail + (None,) * 6
            lines.append("\t".join(tsv_cell(v) for v in row))
        for f in s["findings"]:
            vaf = None if f["vaf"] is None else f"{f['vaf']:.4f}"
            row = (s["sample"], f["rule_id"], f["rule_version"], f["gene"], f["alteration"], f["origin"],
                   f["classification"], f["chrom"], f["pos"], f["ref"], f["alt"], vaf, f["vaf_source"],
                   f["depth"], f["alt_reads"], f["genotype"], f["filter"]) + tail + (evidence_summary(f),)
            row += naming_cells(f)
            lines.append("\t".join(tsv_cell(v) for v in row))
    return "\n".join(lines) + "\n"


def _md(text) -> str:
    """Escape Markdown/HTML-significant characters in values that came from input."""
    out = str(text)
    for ch in "\\`*_[]<>|":
        out = out.replace(ch, "\\" + ch)
    return out.replace("\n", " ")


def _or_na(value) -> object:
    return "n/a" if value is None else value


def _md_header(report: dict) -> list[str]:
    """Provenance: jakcli and ruleset versions, genome build and its evidence, profile, inputs."""
    rs = report["ruleset"]
    lines = [
        "# jakcli report", "",
        f"- jakcli {report['jakcli_version']}; ruleset {_md(rs['version'])} ({rs['digest']})",
        f"- genome build: {report['genome_build']} ({_md(report['genome_build_evidence'])})",
        f"- profile: {report['profile']['id']} v{report['profile']['version']}",
    ]
    lines += [f"- input: {_md(i['path'])} ({input_checksum(i, ' ')})" for i in report["inputs"]]
    return lines + [""]


def to_markdown(report: dict) -> str:
    lines = _md_header(report)
    for s in report["samples"]:
        risk = s["risk"]
        lines += [f"## Sample {_md(s['sample'])}", "",
                  f"**Risk ({risk['profile']}): {risk['level']}** — {_md(risk['label'])}  ",
                  f"Worst case if unassessed alterations were present: **{risk['worst_case_level']}**", ""]
        if risk["not_assessed"]:
            lines.append("Not assessed: " + "; ".join(_md(x) for x in risk["not_assessed"]))
            lines.append("")
        extras = [f"- {key.replace('_', ' ')}: {_md(_or_na(risk[key]))}"
                  for key in ("driver_status", "allele_burden_class") if key in risk]
        lines += extras + ([""] if extras else [])  # a table glued to a list would render as text
        if s["findings"]:
            lines += ["| gene | alteration | origin | classification | VAF | depth | evidence | rule | HGVS | tier |",
                      "|---|---|---|---|---|---|---|---|---|---|"]
            for f in s["findings"]:
                vaf = "n/a" if f["vaf"] is None else f"{f['vaf']:.3f}"
                lines.append(f"| {_md(f['gene'])} | {_md(f['alteration'])} | {f['origin']} | "
                             f"{f['classification']}{_md_vicc(f)} | {vaf} | {_md(_or_na(f['depth']))} | "
                             f"{_md(evidence_summary(f) or '')} | {f['rule_id']}@{f['rule_version']} | "
                             f"{_md(hgvs_text(f))} | {_md(tier_text(f.get('tier')) or '')} |")
            if any(vicc_text(f) for f in s["findings"]):
                lines += ["", f"{_md(VICC_LEGEND)}"]
        else:
            lines.append("No JAK-STAT finding.")
        lines.append("")
        if "copy_number" in s:
            lines += copy_number_lines(s["copy_number"])
        if s.get("rearrangements_not_reported"):
            lines += ["Rearrangement calls seen but not reported:", ""]
            for n in s["rearrangements_not_reported"]:
                ev = n["evidence"]
                lines.append(f"- {_md(n['fusion'])} ({n['rule_id']}, {n['status'].replace('_', ' ')}): "
                             f"{_md(n['reason'])} [{_md(ev['file'])}]")
            lines.append("")
        if not s["findings"]:  # with findings, the table above is the rationale (no second, rounded list)
            lines += [f"- {_md(r)}" for r in risk["rationale"]]
        lines.append("")
        lines += loci_markdown(s, _md)
        lines += _md_gene_sections(s)
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
    lines += _md_catalogue(report.get("catalogue"))
    if report["warnings"]:
        lines += ["", "## Warnings", ""] + [f"- {_md(w)}" for w in report["warnings"]]
    return "\n".join(lines) + "\n"


def _md_vicc(f: dict) -> str:
    """``; VICC 2022: ...`` beside the classification of a catalogue finding; empty otherwise."""
    text = vicc_text(f)
    return f"; {_md(text)}" if text else ""


def _md_gene_sections(s: dict) -> list[str]:
    """Germline findings and variants of uncertain significance (never part of the risk level)."""
    out: list[str] = []
    germ = s.get("germline_findings") or []
    if germ:
        out += ["### Germline findings", "",
                "| gene | HGVS | condition | inheritance | zygosity | class | MPN interpretation | VAF |",
                "|---|---|---|---|---|---|---|---|"]
        for g in germ:
            vaf = "n/a" if g["vaf"] is None else f"{g['vaf']:.3f}"
            mpn = "changes it (hereditary thrombocytosis)" if g["changes_mpn_interpretation"] else "no"
            cls = tier_text(g.get("tier")) or g["classification"]
            out.append(f"| {_md(g['gene'])} | {_md(hgvs_text(g))} | {_md(g['condition'])} | "
                       f"{_md(g['inheritance'])} | {g['zygosity']} | {_md(cls)} | {mpn} | {vaf} |")
        out += ["", "Germline findings never change the leukaemia risk level; confirm origin on germline tissue.", ""]
    vus = s.get("other_variants") or []
    if vus:
        out += ["### Variants of uncertain significance", "",
                "| gene | HGVS | exon | domain | classification | VAF |", "|---|---|---|---|---|---|"]
        for v in vus:
            vaf = "n/a" if v["vaf"] is None else f"{v['vaf']:.3f}"
            where = f"exon {v['exon']}" if v["exon"] else (f"intron {v['intron']}" if v["intron"] else "")
            out.append(f"| {_md(v['gene'])} | {_md(hgvs_text(v))} | {where} | {_md(v['domain'] or '')} | "
                       f"{v['classification']} | {vaf} |")
        out += ["", "Listed for completeness; they never change the risk level (hide them with --no-vus).", ""]
    return out


def _md_catalogue(cat: dict | None) -> list[str]:
    """Closing note: the catalogue's version and its entries per gene, source and class."""
    if not cat:
        return []
    out = ["", "## Catalogue", "",
           f"- curated catalogue {_md(cat['version'])} ({cat['digest']}), {cat['entries']} entries; per gene, "
           "source and class:", ""]
    by_gene: dict[str, list[str]] = {}
    for c in cat.get("counts", []):
        by_gene.setdefault(c["gene"], []).append(f"{c['source']} {c['classification']} {c['entries']}")
    out += [f"- {g}: " + "; ".join(parts) for g, parts in sorted(by_gene.items())]
    return out
