"""Lint of copy-number rules against the bundled targets, in both builds (JK006/JK007): every
target the rule names exists in each build, the rule's gene is one of its genes, a segment-length
cap is no longer than the target's chromosome, and every example segment lies on the target's
chromosome (positive examples must touch the target)."""

from __future__ import annotations

import re

from jakcli.authoring.problems import BUILDS, HINTS, LintDoc, Problem, locate
from jakcli.reference.cnv_targets import load_targets
from jakcli.reference.genome import normalise_contig

SEGMENT = re.compile(r"^((?:chr)?[0-9XY]+):(\d+)-(\d+) ")


def _names(spec: dict) -> list[tuple[str, list]]:
    out: list[tuple[str, list]] = []
    if isinstance(spec.get("target"), str):
        out.append((spec["target"], ["match", "copy_number", "target"]))
    for i, t in enumerate(spec.get("targets") or []):
        out.append((t, ["match", "copy_number", "targets", i]))
    for i, t in enumerate(spec.get("also_report") or []):
        out.append((t, ["match", "copy_number", "also_report", i]))
    return out


def cnv_problems(doc: LintDoc, problems: list) -> None:
    d = doc.data
    if not isinstance(d, dict):
        return
    spec = (d.get("match") or {}).get("copy_number")
    if not isinstance(spec, dict):
        return
    matched = [spec["target"]] if isinstance(spec.get("target"), str) else list(spec.get("targets") or [])
    for build in BUILDS:
        targets = load_targets(build)
        for name, parts in _names(spec):
            if name not in targets:
                line, col = locate(doc.node, parts)
                problems.append(Problem(doc.display, line, col, "JK007",
                                        f"{'/'.join(map(str, parts))}: '{name}' is not a copy-number target in {build}",
                                        "use a target of jakcli/reference/data/cnv_targets.tsv: "
                                        + ", ".join(sorted(targets))))
        known = [targets[n] for n in matched if n in targets]
        genes = {g for t in known for g in re.split(r"[,;/ ]+", t.genes)}
        gene = str(d.get("gene"))
        if known and gene not in genes and not any(gene in t.name for t in known):
            line, col = locate(doc.node, ["gene"])
            problems.append(Problem(doc.display, line, col, "JK006",
                                    f"gene '{d.get('gene')}' is not in target(s) {', '.join(t.name for t in known)} "
                                    f"in {build} (genes: {', '.join(sorted(genes))})", HINTS["JK006"]))
        _example_problems(doc, problems, build, known)


def _example_problems(doc: LintDoc, problems: list, build: str, known: list) -> None:
    assert isinstance(doc.data, dict)  # cnv_problems checked it
    for kind in ("positive", "negative"):
        for i, ex in enumerate((doc.data.get("examples") or {}).get(kind) or []):
            if not isinstance(ex, dict) or ex.get("build") != build or not isinstance(ex.get("segments"), str):
                continue
            spans = [(normalise_contig(m.group(1)), int(m.group(2)), int(m.group(3)))
                     for m in (SEGMENT.match(p) for p in ex["segments"].split("; ")) if m]
            touches = any(c == tc and s <= te and e >= ts for c, s, e in spans
                          for t in known for tc, ts, te in t.loci)
            bad = [f"{c}:{s}-{e}" for c, s, e in spans if s > e]
            if bad or (kind == "positive" and known and not touches):
                what = f"start after end ({', '.join(bad)})" if bad else (
                    f"no segment touches {', '.join(t.name for t in known)} in {build} "
                    f"({', '.join(f'{c}:{s}-{e}' for t in known for c, s, e in t.loci)})")
                line, col = locate(doc.node, ["examples", kind, i, "segments"])
                problems.append(Problem(doc.display, line, col, "JK006", f"examples/{kind}/{i}: {what}",
                                        HINTS["JK006"]))
