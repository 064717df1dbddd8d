"""Protein-level helpers: the standard genetic code and HGVS p. parsing.

HGVS protein changes are normalised to the short one-letter form (``p.Val617Phe`` ->
``p.V617F``; ``p.(Arg683Gly)`` -> ``p.R683G``), so that rules and annotations compare as strings.
"""

from __future__ import annotations

import re

_BASES = "TCAG"
_AA = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG"
CODON_TABLE: dict[str, str] = {
    a + b + c: _AA[16 * i + 4 * j + k]
    for i, a in enumerate(_BASES)
    for j, b in enumerate(_BASES)
    for k, c in enumerate(_BASES)
}

THREE_TO_ONE = {
    "Ala": "A", "Arg": "R", "Asn": "N", "Asp": "D", "Cys": "C", "Gln": "Q", "Glu": "E",
    "Gly": "G", "His": "H", "Ile": "I", "Leu": "L", "Lys": "K", "Met": "M", "Phe": "F",
    "Pro": "P", "Ser": "S", "Thr": "T", "Trp": "W", "Tyr": "Y", "Val": "V", "Ter": "*",
    "Sec": "U", "Pyl": "O", "Xaa": "X",
}
_THREE = re.compile("|".join(sorted(THREE_TO_ONE, key=len, reverse=True)))
_COMPLEMENT = str.maketrans("ACGTNacgtn", "TGCANtgcan")


def reverse_complement(seq: str) -> str:
    return seq.translate(_COMPLEMENT)[::-1]


def complement(seq: str) -> str:
    return seq.translate(_COMPLEMENT)


def translate(codon: str) -> str:
    """One codon to one amino acid letter (``X`` for codons with N or wrong length)."""
    return CODON_TABLE.get(codon.upper(), "X")


def normalise_hgvsp(text: str) -> str | None:
    """Return the short one-letter form of an HGVS protein change, or None if it is not one.

    Accepts ``ENSP..:p.Val617Phe``, ``p.(V617F)``, ``p.Val617Phe``, ``V617F``, ``%3D`` encoded
    synonymous forms and three-letter names inside indel descriptions.
    """
    if not text:
        return None
    s = text.strip()
    if ":" in s:
        s = s.rsplit(":", 1)[1]
    s = s.replace("%3D", "=")
    if s.startswith("p."):
        s = s[2:]
    elif not re.match(r"^[A-Z][a-z]{0,2}\d", s):
        return None
    s = s.strip("()")
    if not s or not re.search(r"\d", s):
        return None
    s = _THREE.sub(lambda m: THREE_TO_ONE[m.group(0)], s)
    if not re.fullmatch(r"[A-Z*][0-9A-Za-z_*=>?\-]*", s):
        return None
    return "p." + s


_MISSENSE = re.compile(r"^p\.([A-Z*])(\d+)([A-Z*=])$")


def parse_substitution(short: str) -> tuple[str, int, str] | None:
    """``p.V617F`` -> ("V", 617, "F"); None for anything that is not a single-residue change."""
    m = _MISSENSE.match(short or "")
    if not m:
        return None
    return m.group(1), int(m.group(2)), m.group(3)
