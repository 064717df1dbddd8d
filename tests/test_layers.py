"""The package's rooms import one way: cli -> API -> writers -> engine/readers -> ruleset ->
reference -> model -> errors. Every import in jakcli/ (also those inside functions) is checked."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "jakcli"
LOW = {"errors", "model", "reference"}
ALLOWED = {
    "errors": {"errors"},
    "model": {"model", "errors"},
    "reference": {"reference", "model", "errors"},
    "ruleset": {"ruleset", "reference", "model", "errors"},
    "readers": {"readers", "reference", "model", "errors"},
    "engine": {"engine", "ruleset", "reference", "model", "errors"},
    "writers": {"writers", "engine", "readers", "ruleset", *LOW},
    "authoring": {"authoring", "writers", "engine", "readers", "ruleset", *LOW},
    "api": {"api", "authoring", "writers", "engine", "readers", "ruleset", *LOW},
    "cli": {"cli", "api", "authoring", "writers", "engine", "readers", "ruleset", *LOW},
}
PYSAM_ROOMS = {"readers", "writers/vcf.py"}  # the VCF writer's record layer writes pysam records


def room(module: str) -> str:
    """``jakcli.readers.vcf`` -> ``readers``; top-level API modules (classify, batch...) -> ``api``."""
    parts = module.split(".")
    if parts[0] != "jakcli":
        return ""
    if len(parts) == 1:
        return "errors"  # ``from jakcli import __version__``: the package root holds only the version
    if parts[1] == "__main__":
        return "cli"
    return parts[1] if parts[1] in ALLOWED else "api"


def imports(path: Path) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
    return out


FILES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_flow_one_way(path):
    module = ".".join(("jakcli", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__")
    here = room(module)
    bad = [f"{path.name}:{line} imports {name} ({room(name)})" for line, name in imports(path)
           if room(name) and room(name) not in ALLOWED[here]]
    assert not bad, f"{module} is in room '{here}', which may import only {sorted(ALLOWED[here])}: {bad}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_pysam_stays_in_the_readers(path):
    rel = str(path.relative_to(PACKAGE))
    uses = [line for line, name in imports(path) if name.split(".")[0] == "pysam"]
    if uses:
        assert rel.split("/")[0] in PYSAM_ROOMS or rel in PYSAM_ROOMS, f"{rel}:{uses[0]} imports pysam"


def test_the_checker_sees_a_wrong_edge(tmp_path):
    """A reader that imports the rule loader is caught (the check can fail)."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from jakcli.ruleset.loader import load_ruleset\n")
    edges = [room(name) for _line, name in imports(bad)]
    assert edges == ["ruleset"] and "ruleset" not in ALLOWED["readers"]
    assert room("jakcli.classify") == "api" and room("jakcli.cli.batch") == "cli"
