"""Coordinate helpers for build_catalogue.py: refGene transcript models, codons, liftOver blocks.

Written for the catalogue build only (offline, stdlib). Inputs are the trimmed snapshots under
knowledge/sources/refgene and knowledge/sources/liftover (see their PROVENANCE.md).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from itertools import product
from pathlib import Path

BASES = "TCAG"
AMINO = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG"
CODON = {"".join(c): a for c, a in zip(product(BASES, repeat=3), AMINO)}
THREE = {"A": "Ala", "R": "Arg", "N": "Asn", "D": "Asp", "C": "Cys", "Q": "Gln", "E": "Glu",
         "G": "Gly", "H": "His", "I": "Ile", "L": "Leu", "K": "Lys", "M": "Met", "F": "Phe",
         "P": "Pro", "S": "Ser", "T": "Thr", "W": "Trp", "Y": "Tyr", "V": "Val", "*": "Ter"}
COMP = str.maketrans("ACGT", "TGCA")


def revcomp(seq: str) -> str:
    return seq.translate(COMP)[::-1]


@dataclass(frozen=True)
class Model:
    """A refGene CDS model: genomic position (1-based) -> c. position."""

    gene: str
    accession: str
    chrom: str
    strand: str
    cpos: dict[int, int]

    def c_of(self, pos: int) -> int | None:
        return self.cpos.get(pos)

    def coding(self, bases: str) -> str:
        """Genomic (+ strand) bases in coding orientation."""
        return revcomp(bases) if self.strand == "-" else bases


def load_models(path: Path) -> dict[str, Model]:
    out: dict[str, Model] = {}
    with path.open() as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            cds0, cds1 = int(r["cdsStart"]), int(r["cdsEnd"])
            starts = [int(x) for x in r["exonStarts"].rstrip(",").split(",")]
            ends = [int(x) for x in r["exonEnds"].rstrip(",").split(",")]
            pos = [p for s, e in zip(starts, ends) for p in range(max(s, cds0) + 1, min(e, cds1) + 1)]
            if r["strand"] == "-":
                pos.reverse()
            out[r["name2"]] = Model(r["name2"], r["name"], r["chrom"].removeprefix("chr"), r["strand"],
                                    {p: i + 1 for i, p in enumerate(pos)})
    return out


def codon_fits(aa_ref: str, aa_alt: str, offset: int, ref: str, alt: str) -> bool:
    """Can a codon of aa_ref with `ref` at `offset` (0-2) become aa_alt with `alt` there?"""
    n = len(ref)
    for codon, aa in CODON.items():
        if aa != aa_ref or codon[offset:offset + n] != ref:
            continue
        if CODON.get(codon[:offset] + alt + codon[offset + n:]) == aa_alt:
            return True
    return False


def ref_from_aa(aa_ref: str, offset: int, length: int) -> str | None:
    """Coding bases at codon[offset:offset+length] if every codon of aa_ref agrees there."""
    seen = {c[offset:offset + length] for c, a in CODON.items() if a == aa_ref}
    return seen.pop() if len(seen) == 1 else None


@dataclass(frozen=True)
class Block:
    t_chrom: str
    t_start0: int
    t_end0: int
    q_chrom: str
    q_strand: str
    q_size: int
    q_start0: int
    chain_id: str


def load_blocks(path: Path) -> list[Block]:
    with path.open() as fh:
        return [Block(r["t_chrom"].removeprefix("chr"), int(r["t_start0"]), int(r["t_end0"]),
                      r["q_chrom"].removeprefix("chr"), r["q_strand"], int(r["q_size"]),
                      int(r["q_start0"]), r["chain_id"]) for r in csv.DictReader(fh, delimiter="\t")]


def _q_of(b: Block, pos: int) -> tuple[str, int, str]:
    off = pos - b.t_start0 - 1
    q = b.q_start0 + off + 1
    return (b.q_chrom, q, "+") if b.q_strand == "+" else (b.q_chrom, b.q_size - q + 1, "-")


def lift_pos(blocks: list[Block], chrom: str, pos: int) -> tuple[str, int, str] | None:
    """Forward lift of one position; None when no block or more than one block covers it."""
    hits = [b for b in blocks if b.t_chrom == chrom and b.t_start0 < pos <= b.t_end0]
    return _q_of(hits[0], pos) if len(hits) == 1 else None


def inverse_pos(blocks: list[Block], chrom: str, pos: int) -> int | None:
    """Position in the target build of `blocks` whose + strand query position is `pos` (unique)."""
    hits = [b for b in blocks if b.q_chrom == chrom and b.q_strand == "+"
            and b.q_start0 < pos <= b.q_start0 + (b.t_end0 - b.t_start0)]
    return hits[0].t_start0 + (pos - hits[0].q_start0) if len(hits) == 1 else None


def lift_span(fwd: list[Block], back: list[Block], chrom: str, pos: int, length: int) -> tuple[int | None, str]:
    """Lift a REF span [pos, pos+length); returns (new pos, method or reason)."""
    mapped = [lift_pos(fwd, chrom, p) for p in range(pos, pos + length)]
    if all(mapped):
        if any(m[0] != chrom or m[2] != "+" for m in mapped):
            return None, "none: chain maps to another chromosome or strand"
        qs = [m[1] for m in mapped]
        if qs != list(range(qs[0], qs[0] + length)):
            return None, "none: span not contiguous after liftover"
        if any(lift_pos(back, chrom, q) != (chrom, p, "+") for q, p in zip(qs, range(pos, pos + length))):
            return None, "none: reverse chain does not map back"
        return qs[0], "liftover-chain"
    if any(mapped):
        return None, "none: part of the span has no chain block"
    inv = [inverse_pos(back, chrom, p) for p in range(pos, pos + length)]
    if all(inv) and inv == list(range(inv[0], inv[0] + length)):
        return inv[0], "liftover-chain-inverse"
    return None, "none: no unambiguous chain block in either direction"
