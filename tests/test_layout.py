"""The test tree mirrors the package, and test modules share code only through tests/support."""

from __future__ import annotations

import ast
from pathlib import Path

from support import REPO

TESTS = REPO / "tests"
STAGES = {p.name for p in (REPO / "jakcli").iterdir() if (p / "__init__.py").is_file()}


def all_test_files() -> list[Path]:
    return sorted(p for p in TESTS.rglob("test_*.py") if "fixtures" not in p.parts)


def test_test_files_sit_where_their_level_and_stage_say():
    for path in all_test_files():
        parts = path.relative_to(TESTS).parts
        if len(parts) == 1:
            assert parts[0] in ("test_layout.py", "test_layers.py"), path  # the tree and the package layers
        elif parts[0] == "unit":
            assert len(parts) == 3 and parts[1] in STAGES, f"{path}: unit tests go in tests/unit/<stage>/"
        else:
            assert parts[0] in ("api", "cli", "integration", "fuzz") and len(parts) == 2, path


def test_no_test_module_imports_another_test_module_or_conftest():
    for path in [*all_test_files(), *TESTS.glob("support/*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                assert top != "conftest" and not top.startswith("test_"), f"{path}: imports {name}"
