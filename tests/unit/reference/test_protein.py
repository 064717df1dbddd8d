"""Protein-level helpers: codon table, complements, HGVS p. parsing and normalisation."""

from __future__ import annotations


def test_protein_normalisation():
    from jakcli.reference.protein import normalise_hgvsp
    assert normalise_hgvsp("ENSP00000371067.4:p.Val617Phe") == "p.V617F"
    assert normalise_hgvsp("p.(Arg683Gly)") == "p.R683G"
    assert normalise_hgvsp("p.V617F") == "p.V617F"
    assert normalise_hgvsp("p.Leu367ThrfsTer46") == "p.L367Tfs*46"
    assert normalise_hgvsp("c.1849G>T") is None and normalise_hgvsp("") is None

