"""Protein domains of the panel genes (bundled ``data/domains.tsv``; every row cites its source)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

MAIN_DOMAINS = ("FERM", "SH2", "JH2 pseudokinase", "JH1 kinase")
# In the JAKs only MAIN_DOMAINS are reported (the FERM lobes are sub-rows); every row of another gene is reported.
JAK_GENES = ("JAK1", "JAK2", "JAK3", "TYK2")


@dataclass(frozen=True, slots=True)
class Domain:
    gene: str
    name: str
    start: int  # aa, 1-based inclusive
    end: int
    source: str
    confidence: str  # C (read in the source), C1 (single secondary quote), D (derived)


@cache
def all_domains() -> tuple[Domain, ...]:
    text = resources.files("jakcli.reference").joinpath("data/domains.tsv").read_text()
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    return tuple(Domain(r["gene"], r["domain"], int(r["aa_start"]), int(r["aa_end"]), r["source"],
                        r["confidence"])
                 for r in csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t"))


def domains_at(gene: str, residue: int) -> tuple[Domain, ...]:
    """Every bundled domain of ``gene`` containing ``residue`` (lobes included)."""
    return tuple(d for d in all_domains() if d.gene == gene and d.start <= residue <= d.end)


def domain_of(gene: str, first: int, last: int | None = None) -> Domain | None:
    """The main domain (FERM, SH2, JH2, JH1 for the JAKs; any bundled row of another gene) overlapping
    residues ``first..last``, or None: outside every bundled domain, or a gene without domain data (the
    caller reports which)."""
    last = first if last is None else last
    for d in all_domains():
        main = d.name in MAIN_DOMAINS or d.gene not in JAK_GENES
        if d.gene == gene and main and d.start <= last and first <= d.end:
            return d
    return None


def has_domains(gene: str) -> bool:
    return any(d.gene == gene for d in all_domains())
