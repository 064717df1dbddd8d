"""Lint problems and the YAML they point into: each problem has a stable code, a file position
(line and column, from PyYAML's node tree) and a one-line hint on how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jakcli.model.problems import Problem
from jakcli.reference.genes import GENE_SPANS
from jakcli.ruleset.yamlsafe import MAX_YAML_BYTES, yaml_shape_problem

__all__ = ["HINTS", "LintDoc", "LintResult", "Problem", "load_doc", "locate", "split_path"]

BUILDS = ("GRCh37", "GRCh38")

HINTS = {
    "JK001": "fix the YAML syntax near this point (indentation, a missing ':' or an unclosed quote/bracket)",
    "JK002": "see jakcli/schemas/rule.schema.json for the allowed keys and values",
    "JK003": "rename the file to '<id>.yaml' or change the id (ids equal file stems and are never reused)",
    "JK004": "rename the rule, or set 'overrides: true' to replace the earlier rule deliberately",
    "JK005": "make the rule consistent with itself; codons and regions: re-derive them from the transcript "
             "(refGene rows in knowledge/sources/refgene/) and cite it",
    "JK006": "check the build: GRCh37 and GRCh38 coordinates differ for most genes",
    "JK007": "use a known gene symbol (" + ", ".join(sorted(GENE_SPANS)) + ") or add its span to "
             "GENE_SPANS in jakcli/reference/genes.py",
    "JK008": "add at least one positive and one negative example under 'examples:'",
    "JK009": "correct the rule id in the profile, or add the rule it names",
    "JK010": "add 'version: 1' (an integer, bumped whenever the rule's meaning changes)",
    "JK011": "remove the repeated key; only the last value would be used",
}


@dataclass
class LintResult:
    problems: list
    files: int
    rules: int
    profiles: int


@dataclass
class LintDoc:
    path: Path
    display: str
    data: object = None
    node: object = None
    ok: bool = False  # parsed


def load_doc(path: Path, display: str, problems: list) -> LintDoc:
    import yaml

    doc = LintDoc(path, display)
    try:
        if path.stat().st_size > MAX_YAML_BYTES:
            raise OSError(f"larger than {MAX_YAML_BYTES >> 20} MiB; a rule file is a few KB")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(display, 1, 1, "JK001", f"cannot read file ({exc})", HINTS["JK001"]))
        return doc
    try:
        doc.node = yaml.compose(text, Loader=yaml.SafeLoader)
        doc.data = yaml.safe_load(text)
        shape = yaml_shape_problem(doc.data)  # before anything walks the (alias-shared) tree
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        ctx = getattr(exc, "context", None)
        msg = f"YAML syntax error: {problem}" + (f" ({ctx})" if ctx else "")
        problems.append(Problem(display, line, col, "JK001", msg, HINTS["JK001"]))
        return doc
    except (ValueError, OverflowError, RecursionError) as exc:  # a 5,000-digit integer, 5,000-deep nesting
        shape = f"unusable YAML value ({(str(exc).splitlines() or [type(exc).__name__])[0][:120]})"
    if shape:
        problems.append(Problem(display, 1, 1, "JK001", shape, HINTS["JK001"]))
        return doc
    doc.ok = True
    _duplicate_keys(doc, doc.node, problems)
    return doc


def _duplicate_keys(doc: LintDoc, node, problems: list) -> None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for k, v in node.value:
            key = getattr(k, "value", None)
            if isinstance(key, str) and key in seen:
                problems.append(Problem(doc.display, k.start_mark.line + 1, k.start_mark.column + 1, "JK011",
                                        f"key '{key}' repeats the one on line {seen[key]}", HINTS["JK011"]))
            elif isinstance(key, str):
                seen[key] = k.start_mark.line + 1
            _duplicate_keys(doc, v, problems)
    elif isinstance(node, yaml.SequenceNode):
        for v in node.value:
            _duplicate_keys(doc, v, problems)


def locate(node, parts, key: str | None = None) -> tuple[int, int]:
    """Line and column (1-based) of the node at JSON path ``parts``; of mapping key ``key`` if given.

    Stops at the deepest node that exists, so a missing field points at its parent mapping.
    """
    import yaml

    if node is None:
        return 1, 1
    cur = node
    for part in parts:
        nxt = None
        if isinstance(cur, yaml.MappingNode):
            for k, v in cur.value:
                if getattr(k, "value", None) == str(part):
                    nxt = v
        elif isinstance(cur, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(cur.value):
            nxt = cur.value[part]
        if nxt is None:
            break
        cur = nxt
    if key is not None and isinstance(cur, yaml.MappingNode):
        for k, _ in cur.value:
            if getattr(k, "value", None) == key:
                cur = k
                break
    return cur.start_mark.line + 1, cur.start_mark.column + 1


def split_path(path: str) -> list:
    if path in ("", "(top level)"):
        return []
    return [int(p) if p.isdigit() else p for p in path.split("/")]
