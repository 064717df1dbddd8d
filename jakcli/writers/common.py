"""Formatting shared by the writers: level names, alteration names, percentages."""

from __future__ import annotations

import re

from jakcli.model import Level

LEVELS = tuple(lv.value for lv in Level)
LEVEL_TITLES = {lv.value: lv.title for lv in Level}


def named_alteration(f: dict) -> str:
    """``JAK2 p.V617F`` for a finding dict; an alteration that already names its gene
    (``JAK2 exon 12 in-frame deletion``, ``IGH::CRLF2 rearrangement``) is not prefixed again."""
    gene, alteration = str(f.get("gene", "")), str(f.get("alteration", ""))
    named = gene and re.search(rf"(?<![A-Za-z0-9]){re.escape(gene)}(?![A-Za-z0-9])", alteration)
    return alteration if named else f"{gene} {alteration}".strip()


def level_class(level: str) -> str:
    return f"lv-{level}" if level in LEVEL_TITLES else "lv-other"


def percent(fraction: float, digits: int = 1) -> str:
    return f"{fraction * 100:.{digits}f}%"


def shorten(text, limit: int) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
