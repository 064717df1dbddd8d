"""Protein-level helpers: codon table, complements, HGVS p. parsing and normalisation."""

from __future__ import annotations

import pytest

from jakcli.reference.protein import (CODON_TABLE, complement, normalise_hgvsp, parse_substitution,
                                     reverse_complement, translate)


def test_protein_normalisation():
    from jakcli.reference.protein import normalise_hgvsp
    assert normalise_hgvsp("ENSP00000371067.4:p.Val617Phe") == "p.V617F"
    assert normalise_hgvsp("p.(Arg683Gly)") == "p.R683G"
    assert normalise_hgvsp("p.V617F") == "p.V617F"
    assert normalise_hgvsp("p.Leu367ThrfsTer46") == "p.L367Tfs*46"
    assert normalise_hgvsp("c.1849G>T") is None and normalise_hgvsp("") is None



@pytest.mark.parametrize("codon, aa", [
    ("GTC", "V"), ("TTC", "F"), ("tgg", "W"), ("AGA", "R"), ("TGA", "*"), ("TAA", "*"), ("ATG", "M"),
    ("NNN", "X"), ("AT", "X"), ("ATGC", "X"),
])
def test_translate(codon, aa):
    assert translate(codon) == aa


def test_codon_table_is_the_standard_code():
    assert len(CODON_TABLE) == 64
    assert sorted(c for c, a in CODON_TABLE.items() if a == "*") == ["TAA", "TAG", "TGA"]
    assert {a for a in CODON_TABLE.values()} == set("ACDEFGHIKLMNPQRSTVWY*")


def test_complement_and_reverse_complement():
    assert complement("ACGTNacgtn") == "TGCANtgcan"
    assert reverse_complement("AAGC") == "GCTT"
    assert reverse_complement("") == ""
    assert reverse_complement(reverse_complement("GATTACA")) == "GATTACA"


@pytest.mark.parametrize("text, expected", [
    ("p.V617F", ("V", 617, "F")), ("p.W515*", ("W", 515, "*")), ("p.V617=", ("V", 617, "=")),
    ("p.L367Tfs*46", None), ("p.I241_L242insCP", None), ("V617F", None), ("p.Val617Phe", None), ("", None),
    (None, None),
])
def test_parse_substitution(text, expected):
    assert parse_substitution(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("V617F", "p.V617F"), ("p.(V617F)", "p.V617F"), ("p.Trp515Ter", "p.W515*"), ("p.Trp515Leu", "p.W515L"),
    ("ENSP00000306157.3:p.Ile241_Leu242insCysPro", "p.I241_L242insCP"), ("p.Val617%3D", "p.V617="),
    ("NP_004963.1:p.(Val617Phe)", "p.V617F"), ("  p.V617F ", "p.V617F"),
])
def test_normalise_hgvsp_one_and_three_letter(text, expected):
    assert normalise_hgvsp(text) == expected


@pytest.mark.parametrize("text", ["p.?", "p.(?)", "p.", "foo", "617F", "c.1849G>T", "n.123A>G", None])
def test_normalise_hgvsp_refuses_what_is_not_a_protein_change(text):
    assert normalise_hgvsp(text) is None
