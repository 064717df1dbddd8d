"""Text, TSV (``changes.tsv``) and JSON renderings of a :func:`jakcli.diff.diff_sides` result."""

from __future__ import annotations

import json

CHANGE_COLUMNS = ("sample", "change", "field", "old", "new", "rule_id", "gene", "alteration", "variant")


def _prov(items: list[dict], empty: str) -> str:
    if not items:
        return empty
    return ", ".join(f"{i.get('version')} ({i.get('digest')})" for i in items)


def change_rows(result: dict) -> list[dict]:
    """One row per change; ruleset/catalogue rows first (sample ``.``), then samples in order."""
    rows = []
    for what in ("ruleset", "catalogue"):
        if result[f"{what}_changed"]:
            rows.append({"sample": ".", "change": what, "old": _prov(result["old"][f"{what}s"], "not recorded"),
                         "new": _prov(result["new"][f"{what}s"], "not recorded")})
    rows += [{"sample": s, "change": "only_in_old"} for s in result["only_in_old"]]
    rows += [{"sample": s, "change": "only_in_new"} for s in result["only_in_new"]]
    for s in result["samples"]:
        name = s["sample"]
        if "status" in s:
            if s["changed"]:
                rows.append({"sample": name, "change": "status", **s["status"]})
            continue
        rows += [{"sample": name, **c} for c in s["changes"]]
        for kind in ("lost", "gained"):
            for f in s[kind]:
                rows.append({"sample": name, "change": _kind(kind, f), "field": f.get("now_in"), **_finding_cols(f)})
        for f in s["reclassified"]:
            for ch in f["fields"]:
                rows.append({"sample": name, "change": _kind("reclassified", f), "field": ch["field"],
                             "old": ch["old"], "new": ch["new"], **_finding_cols(f)})
    return rows


def _kind(kind: str, f: dict) -> str:
    """``lost`` for a finding, ``germline_lost`` for an entry of germline_findings."""
    return f"germline_{kind}" if f.get("list") == "germline_findings" else kind


def _finding_cols(f: dict) -> dict:
    return {"rule_id": f.get("rule_id"), "gene": f.get("gene"), "alteration": f.get("alteration"),
            "variant": f.get("variant")}


def _cell(v) -> str:
    return "." if v is None else str(v).replace("\t", " ").replace("\n", " ")


def to_tsv(result: dict) -> str:
    lines = ["\t".join(CHANGE_COLUMNS)]
    lines += ["\t".join(_cell(r.get(c)) for c in CHANGE_COLUMNS) for r in change_rows(result)]
    return "\n".join(lines) + "\n"


def to_json(result: dict) -> str:
    return json.dumps(result, indent=2, ensure_ascii=False) + "\n"


def to_text(result: dict) -> str:
    old, new, summ = result["old"], result["new"], result["summary"]
    lines = [f"jakcli diff {old['path']} -> {new['path']}",
             f"ruleset: {_prov(old['rulesets'], 'not recorded')} -> {_prov(new['rulesets'], 'not recorded')}"
             + (" (changed)" if result["ruleset_changed"] else " (same)"),
             f"catalogue: {_prov(old['catalogues'], 'not recorded')} -> {_prov(new['catalogues'], 'not recorded')}"
             + (" (changed)" if result["catalogue_changed"] else " (same)"),
             f"samples: {summ['compared']} compared, {summ['changed']} changed, {summ['only_in_old']} only in OLD, "
             f"{summ['only_in_new']} only in NEW"]
    for key, label in (("only_in_old", "only in OLD"), ("only_in_new", "only in NEW")):
        if result[key]:
            lines.append(f"{label}: " + ", ".join(result[key]))
    for s in result["samples"]:
        if s["changed"]:
            lines += _sample_text(s)
    if not result["any_change"]:
        lines.append("no sample changed")
    return "\n".join(lines) + "\n"


def _sample_text(s: dict) -> list[str]:
    if "status" in s:
        return [f"{s['sample']}: status {s['status']['old']} -> {s['status']['new']}"]
    lv, wc = s["level"], s["worst_case_level"]
    out = [f"{s['sample']}: level {lv['old']} -> {lv['new']}; worst case {wc['old']} -> {wc['new']}"]
    for kind in ("lost", "gained"):
        for f in s[kind]:
            where = f" (now in {f['now_in']})" if f.get("now_in") else ""
            rule = f"{f['rule_id']}@{f['rule_version']} " if f.get("rule_id") else ""
            out.append(f"  {_kind(kind, f)}: {rule}{f['gene']} {f['alteration']} [{f['variant']}] "
                       f"{f['classification']}{where}")
    for f in s["reclassified"]:
        fields = "; ".join(f"{c['field']} {c['old']} -> {c['new']}" for c in f["fields"])
        out.append(f"  {_kind('reclassified', f)}: {f['gene']} {f['alteration']} [{f['variant']}]: {fields}")
    return out


RENDERERS = {"text": to_text, "tsv": to_tsv, "json": to_json}
