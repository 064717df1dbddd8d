"""Compare two jakcli results: two JSON reports, or two ``jakcli batch`` output folders.

Reanalysis question: what does a new ruleset (or catalogue, or jakcli) change for samples already
reported? Per sample: the risk level and worst case, findings gained, lost or reclassified (rule,
rule version, class, tier, origin, alteration). Findings are matched by the variant (chrom, pos,
ref, alt; for rearrangements the partners and 3' breakpoint), first with the same rule, then with
any rule, so a variant that moves to another rule is one reclassification, not a loss and a gain.
Pure functions over report dicts; only :func:`load_side` reads files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from jakcli.errors import InputError
from jakcli.writers.fields import tier_text

COMPARED_FIELDS = ("rule_id", "rule_version", "classification", "tier", "origin", "alteration")
GERMLINE_FIELDS = ("classification", "condition", "inheritance", "zygosity", "tier")  # germline_findings[]
ELSEWHERE = ("other_variants", "germline_findings")  # where a lost finding may have gone


@dataclass
class Side:
    """One side of a comparison: where it came from, its provenance and its samples."""

    path: str
    kind: str  # "report" or "batch"
    samples: dict[str, dict] = field(default_factory=dict)  # sample -> sample dict (or {"status": "failed"})
    rulesets: list[dict] = field(default_factory=list)
    catalogues: list[dict] = field(default_factory=list)
    jakcli_versions: list[str | None] = field(default_factory=list)


def _read_json(path: Path, what: str) -> dict:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read {what} ({exc.strerror or exc})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not JSON ({exc}); give a jakcli --format json report or a batch folder") from None
    if not isinstance(doc, dict):
        raise InputError(f"{path}: not a jakcli {what} (top level is not an object)")
    return doc


def _add_provenance(side: Side, report: dict) -> None:
    rs = report.get("ruleset") or {}
    entry = {"version": rs.get("version"), "digest": rs.get("digest")}
    if entry not in side.rulesets:
        side.rulesets.append(entry)
    cat = report.get("catalogue")
    if isinstance(cat, dict):
        entry = {"version": cat.get("version"), "digest": cat.get("digest")}
        if entry not in side.catalogues:
            side.catalogues.append(entry)
    if report.get("jakcli_version") not in side.jakcli_versions:
        side.jakcli_versions.append(report.get("jakcli_version"))


def _add_report(side: Side, report: dict, where: Path) -> None:
    if not isinstance(report.get("samples"), list) or "ruleset" not in report:
        raise InputError(f"{where}: not a jakcli JSON report (no 'samples' and 'ruleset'); "
                         "write one with --format json")
    _add_provenance(side, report)
    for i, s in enumerate(report["samples"]):
        if not _is_sample(s):
            raise InputError(f"{where}: samples[{i}] is not a jakcli sample (needs 'sample', 'findings' and "
                             "'risk' with 'level' and 'worst_case_level'); give a jakcli --format json report")
        side.samples[s["sample"]] = s


def _is_sample(s) -> bool:
    return (isinstance(s, dict) and isinstance(s.get("sample"), str) and isinstance(s.get("findings"), list)
            and all(isinstance(f, dict) for f in s["findings"]) and isinstance(s.get("risk"), dict)
            and "level" in s["risk"] and "worst_case_level" in s["risk"])


def load_side(path) -> Side:
    """A JSON report file, or a batch OUTDIR (its cohort.json names the sample reports)."""
    p = Path(path)
    if p.is_dir():
        return _load_batch(p)
    side = Side(str(p), "report")
    _add_report(side, _read_json(p, "report"), p)
    return side


def _load_batch(p: Path) -> Side:
    cohort_path = p / "cohort.json"
    if not cohort_path.is_file():
        raise InputError(f"{p}: no cohort.json; give a jakcli batch output folder or a JSON report")
    cohort = _read_json(cohort_path, "batch cohort.json")
    entries = cohort.get("samples")
    if not isinstance(entries, list):
        raise InputError(f"{cohort_path}: no 'samples' list; is this a jakcli batch cohort.json?")
    side = Side(str(p), "batch")
    for i, entry in enumerate(entries):
        ok = isinstance(entry, dict) and entry.get("status") == "ok"
        if not isinstance(entry, dict) or not isinstance(entry.get("sample"), str) or (
                ok and not isinstance(entry.get("report"), str)):
            raise InputError(f"{cohort_path}: samples[{i}] has no sample name or report path; rerun jakcli batch")
        if not ok:
            side.samples[entry["sample"]] = {"sample": entry["sample"], "status": "failed",
                                             "error": entry.get("error")}
            continue
        rep_path = p / entry["report"]
        _add_report(side, _read_json(rep_path, "batch report"), rep_path)
    if not side.rulesets and isinstance(cohort.get("ruleset"), dict):
        _add_provenance(side, cohort)
    return side


def variant_key(f: dict) -> tuple:
    if f.get("ref") or f.get("alt"):
        return ("small", f.get("chrom"), f.get("pos"), f.get("ref"), f.get("alt"))
    return ("rearrangement", (f.get("alteration") or f.get("gene")), f.get("chrom"), f.get("pos"))


def describe(f: dict) -> str:
    if f.get("ref") or f.get("alt"):
        return f"{f.get('chrom')}:{f.get('pos')} {f.get('ref')}>{f.get('alt')}"
    return f"{f.get('alteration')} (3' {f.get('chrom')}:{f.get('pos')})"


def _pair(old: list[dict], new: list[dict]) -> tuple[list, list, list]:
    """(pairs, lost, gained): same variant and rule first, then same variant with any rule."""
    old_left, new_left, pairs = list(old), list(new), []
    for same_rule in (True, False):
        for o in list(old_left):
            match = next((n for n in new_left if variant_key(n) == variant_key(o)
                          and (not same_rule or n.get("rule_id") == o.get("rule_id"))), None)
            if match is not None:
                pairs.append((o, match))
                old_left.remove(o)
                new_left.remove(match)
    return pairs, old_left, new_left


def _field_changes(o: dict, n: dict, fields: tuple = COMPARED_FIELDS) -> list[dict]:
    """Fields that differ; a field missing on either side (an older report) is not a change. A tier
    record is compared by its tier and evidence level (its explanation text may be reworded)."""
    out = []
    for k in fields:
        if k in o and k in n:
            a, b = (tier_text(o[k]), tier_text(n[k])) if k == "tier" else (o[k], n[k])
            if a != b:
                out.append({"field": k, "old": a, "new": b})
    return out


def _brief(f: dict, elsewhere: dict | None = None) -> dict:
    out = {k: f.get(k) for k in ("rule_id", "rule_version", "gene", "alteration", "classification")}
    out["alteration"] = f.get("alteration") or f.get("protein_change") or f.get("hgvsp")
    out["tier"] = tier_text(f.get("tier"))
    out["variant"] = describe(f)
    for key in ELSEWHERE:
        if elsewhere and any(variant_key(v) == variant_key(f) for v in elsewhere.get(key) or []):
            out["now_in"] = key
            break
    return out


def _lists(out: dict, old: list[dict], new: list[dict], now: dict, fields: tuple, where: str | None) -> None:
    """Add the lost, gained and reclassified entries of one list of findings to ``out``."""
    pairs, lost, gained = _pair(old, new)
    tag = {"list": where} if where else {}
    out["lost"] += [{**_brief(f, now), **tag} for f in lost]
    out["gained"] += [{**_brief(f), **tag} for f in gained]
    out["reclassified"] += [{**_brief(n), **tag, "fields": ch}
                            for o, n in pairs if (ch := _field_changes(o, n, fields))]


def compare_sample(old: dict, new: dict) -> dict:
    """The changes of one sample present on both sides."""
    out = {"sample": old["sample"], "changes": []}
    if old.get("status") == "failed" or new.get("status") == "failed":
        so, sn = old.get("status", "ok"), new.get("status", "ok")
        out.update(status={"old": so, "new": sn}, changed=so != sn)
        return out
    for key in ("level", "worst_case_level"):
        a, b = old["risk"][key], new["risk"][key]
        out[key] = {"old": a, "new": b}
        if a != b:
            out["changes"].append({"change": key, "old": a, "new": b})
    out.update(lost=[], gained=[], reclassified=[])
    _lists(out, old["findings"], new["findings"], new, COMPARED_FIELDS, None)
    if isinstance(old.get("germline_findings"), list) and isinstance(new.get("germline_findings"), list):
        _lists(out, old["germline_findings"], new["germline_findings"], {}, GERMLINE_FIELDS, "germline_findings")
    out["changed"] = bool(out["changes"] or out["lost"] or out["gained"] or out["reclassified"])
    return out


def diff_sides(old: Side, new: Side) -> dict:
    """The whole comparison as a JSON-ready dict."""
    names_old, names_new = list(old.samples), list(new.samples)
    both = [s for s in names_old if s in new.samples]
    samples = [compare_sample(old.samples[s], new.samples[s]) for s in both]
    result: dict = {
        "old": _side_summary(old), "new": _side_summary(new),
        "ruleset_changed": old.rulesets != new.rulesets,
        "catalogue_changed": old.catalogues != new.catalogues,
        "only_in_old": [s for s in names_old if s not in new.samples],
        "only_in_new": [s for s in names_new if s not in old.samples],
        "samples": samples,
    }
    result["summary"] = {"compared": len(samples), "changed": sum(s["changed"] for s in samples),
                         "only_in_old": len(result["only_in_old"]), "only_in_new": len(result["only_in_new"])}
    result["any_change"] = bool(result["summary"]["changed"] or result["only_in_old"] or result["only_in_new"])
    return result


def _side_summary(side: Side) -> dict:
    return {"path": side.path, "kind": side.kind, "samples": len(side.samples), "rulesets": side.rulesets,
            "catalogues": side.catalogues, "jakcli_versions": side.jakcli_versions}


def diff_paths(old_path, new_path) -> dict:
    return diff_sides(load_side(old_path), load_side(new_path))
