"""Formatting shared by the writers: level names, alteration names, percentages."""

from __future__ import annotations

from jakcli.model import Level
from jakcli.model.findings import gene_and_alteration
from jakcli.model.numbers import percent  # noqa: F401  (re-exported for the writers)

LEVELS = tuple(lv.value for lv in Level)
LEVEL_TITLES = {lv.value: lv.title for lv in Level}


def named_alteration(f: dict) -> str:
    """``JAK2 p.V617F`` for a finding dict (see :func:`jakcli.model.findings.gene_and_alteration`)."""
    return gene_and_alteration(str(f.get("gene", "")), str(f.get("alteration", "")))


def level_class(level: str) -> str:
    return f"lv-{level}" if level in LEVEL_TITLES else "lv-other"


def shorten(text, limit: int) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def input_checksum(entry: dict, sep: str = ":") -> str:
    """``sha256:<hex>`` or ``blake3:<hex>``: a report input's digest, named by its algorithm."""
    for alg in ("sha256", "blake3"):
        if entry.get(alg):
            return f"{alg}{sep}{entry[alg]}"
    return "no checksum"
