"""ClinGen/CGC/VICC 2022 oncogenicity points (Horak et al., Genet Med 2022, PMID 35101336), as data.

The criteria (code, points, definition, which bundled source can support it) are
rules/catalogue/vicc_criteria.tsv and the class point ranges rules/catalogue/vicc_classes.tsv,
both hand-written with their citation. This module reads them and does the arithmetic: the
points of a set of codes, and the class of a points total. Pure apart from reading the two files.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SOP = "ClinGen/CGC/VICC 2022 oncogenicity SOP (Horak et al., PMID 35101336)"


@dataclass(frozen=True, slots=True)
class Criterion:
    code: str
    direction: str  # oncogenic | benign
    strength: str
    points: int
    definition: str
    bundled_source: str
    assessed: str  # assessed | assessed-from-curation | not-assessed | not-applicable


@dataclass(frozen=True, slots=True)
class ClassRange:
    name: str
    low: int | None  # None: unbounded
    high: int | None

    def holds(self, points: int) -> bool:
        return (self.low is None or points >= self.low) and (self.high is None or points <= self.high)


def _table(path: Path) -> list[dict[str, str]]:
    lines = [x for x in path.read_text(encoding="utf-8").splitlines() if x and not x.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _dir() -> Path:
    from jakcli.ruleset.loader import bundled_rules_dir

    return bundled_rules_dir() / "catalogue"


@lru_cache(maxsize=4)
def criteria(directory: Path | None = None) -> dict[str, Criterion]:
    """Code -> criterion, from vicc_criteria.tsv."""
    rows = _table((directory or _dir()) / "vicc_criteria.tsv")
    return {r["code"]: Criterion(r["code"], r["direction"], r["strength"], int(r["points"]), r["definition"],
                                 r["bundled_source"], r["assessed"]) for r in rows}


@lru_cache(maxsize=4)
def classes(directory: Path | None = None) -> tuple[ClassRange, ...]:
    """The five classes with their point ranges, from vicc_classes.tsv."""
    rows = _table((directory or _dir()) / "vicc_classes.tsv")
    return tuple(ClassRange(r["class"], int(r["min_points"]) if r["min_points"] else None,
                            int(r["max_points"]) if r["max_points"] else None) for r in rows)


def points_of(codes: list[str] | tuple[str, ...], directory: Path | None = None) -> int:
    """Sum of the points of ``codes``; KeyError names a code that is not in the criteria table."""
    table = criteria(directory)
    return sum(table[c].points for c in codes)


def class_of(points: int, directory: Path | None = None) -> str:
    """The class whose point range holds ``points`` (the ranges cover every integer)."""
    for c in classes(directory):
        if c.holds(points):
            return c.name
    raise ValueError(f"no oncogenicity class covers {points} points")


def split_codes(text: str) -> tuple[str, ...]:
    return tuple(x for x in text.split(";") if x)
