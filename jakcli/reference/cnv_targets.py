"""Copy-number targets and chromosome arms, per build, from the bundled tables
(jakcli/reference/data/cnv_targets.tsv and arm_boundaries.tsv, built by scripts/build_cnv_targets.py;
provenance in each row's ``source`` and in knowledge/sources/PROVENANCE.md)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Target:
    """A named copy-number target; a PAR1 target has an X and a Y locus."""

    name: str
    build: str
    loci: tuple[tuple[str, int, int], ...]  # (contig, start, end), 1-based inclusive
    genes: str
    exons: tuple[tuple[int, int, int], ...]  # (number, start, end) on the first locus
    source: str


def _table(name: str) -> list[list[str]]:
    text = resources.files("jakcli.reference").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines()[1:] if line.strip()]


@cache
def load_targets(build: str) -> dict[str, Target]:
    """Targets of one build, keyed by name."""
    rows: dict[str, list[list[str]]] = {}
    for f in _table("cnv_targets.tsv"):
        if f[1] == str(build):
            rows.setdefault(f[0], []).append(f)
    out = {}
    for name, fs in rows.items():
        exons = tuple((int(n), int(s), int(e)) for n, s, e in
                      (x.replace("-", ":").split(":") for x in fs[0][8].split(";") if x))
        out[name] = Target(name, str(build), tuple((f[2], int(f[3]), int(f[4])) for f in fs), fs[0][5], exons,
                           fs[0][9])
    return out


@cache
def p_arm_ends(build: str) -> dict[str, int]:
    """Last base of each chromosome's p arm (1-based), by contig."""
    return {f[1]: int(f[2]) for f in _table("arm_boundaries.tsv") if f[0] == str(build)}


@dataclass(frozen=True)
class TargetSet:
    """Everything the copy-number engine needs about one build: targets, p-arm ends, contig lengths."""

    build: str
    targets: dict[str, Target]
    p_arm_ends: dict[str, int]
    contig_lengths: dict[str, int]


@cache
def target_set(build: str) -> TargetSet:
    from jakcli.model import Build
    from jakcli.reference.genome import CONTIG_LENGTHS

    return TargetSet(str(build), load_targets(str(build)), p_arm_ends(str(build)),
                     dict(CONTIG_LENGTHS[Build(str(build))]))
