"""VEP CSQ and SnpEff ANN: layouts read from the header description, values split per ALT allele,
the transcript to quote chosen by preference."""

from __future__ import annotations

import pytest

from jakcli.model import ProteinAnnotation
from jakcli.engine.small_variants import best_annotation
from jakcli.readers.annotations import layout_from_header, parse_annotations, vep_allele_strings

VEP = ("Consequence annotations from Ensembl VEP. Format: "
       "Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|HGVSc|HGVSp|CANONICAL|MANE_SELECT")
VEP_NUM = "Consequence annotations from Ensembl VEP. Format: Allele|SYMBOL|Feature|HGVSp|ALLELE_NUM"
SNPEFF = ("Functional annotations: 'Allele | Annotation | Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | "
          "Feature_ID | Transcript_BioType | Rank | HGVS.c | HGVS.p | cDNA.pos / cDNA.length | CDS.pos / CDS.length | "
          "AA.pos / AA.length | Distance | ERRORS / WARNINGS / INFO' ")


def test_vep_layout_takes_field_order_from_the_header():
    lay = layout_from_header("CSQ", VEP)
    assert (lay.tag, lay.style, lay.allele_num) == ("CSQ", "vep", None)
    assert lay.index == {"allele": 0, "consequence": 1, "gene": 3, "transcript": 6, "hgvsc": 7, "hgvsp": 8}
    assert lay.flags == (10, 9)  # MANE_SELECT, then CANONICAL
    assert layout_from_header("CSQ", VEP_NUM).allele_num == 4


def test_snpeff_layout():
    lay = layout_from_header("ANN", SNPEFF)
    assert lay.style == "snpeff" and lay.flags == () and lay.allele_num is None
    assert lay.index == {"allele": 0, "consequence": 1, "gene": 3, "transcript": 6, "hgvsc": 9, "hgvsp": 10}


@pytest.mark.parametrize("description", ["Allele frequency", "Format: Consequence|SYMBOL", ""])
def test_descriptions_that_are_not_annotation_layouts(description):
    assert layout_from_header("X", description) is None


@pytest.mark.parametrize("ref, alts, expected", [
    ("G", ["T"], ["T"]),  # SNV: unchanged
    ("T", ["TTGTCCC"], ["TGTCCC"]),  # insertion: shared first base dropped
    ("AT", ["A"], ["-"]),  # deletion: nothing left is "-"
    ("A", ["G", "AT"], ["G", "AT"]),  # first bases differ: unchanged
    ("AA", ["TT"], ["TT"]),
])
def test_vep_allele_strings(ref, alts, expected):
    assert vep_allele_strings(ref, alts) == expected


def test_vep_values_split_per_allele_with_preferred_transcripts():
    lay = layout_from_header("CSQ", VEP)
    values = ("T|missense_variant|MODERATE|JAK2|G|Transcript|ENST00000381652.4|c.1849G>T|"
              "ENSP00000371067.4:p.Val617Phe|YES|NM_004972.4,"
              "T|missense_variant|MODERATE|JAK2|G|Transcript|ENST00000636127.1|c.1849G>T|ENSP1:p.Val617Phe||,"
              "A|synonymous_variant|LOW|JAK2|G|Transcript|ENST00000381652.4|c.1849G>A|p.(%3D)||,"
              "C|missense_variant|MODERATE|JAK2|G|Transcript|ENST00000381652.4|c.x|p.Val617Leu||,")
    got = parse_annotations(lay, values, "G", ["T", "A"], frozenset())
    assert set(got) == {1, 2}  # the C entry names no ALT of this record: dropped
    first, second = got[1]
    assert (first.gene, first.transcript, first.protein_change, first.preferred) == (
        "JAK2", "ENST00000381652.4", "p.V617F", True)
    assert first.hgvsp == "ENSP00000371067.4:p.Val617Phe" and first.consequence == "missense_variant"
    assert second.preferred is False and second.protein_change == "p.V617F"
    (syn,) = got[2]
    assert syn.protein_change is None and syn.hgvsc == "c.1849G>A"
    # a lab's preferred transcript list marks a transcript preferred whatever its version
    again = parse_annotations(lay, values.split(",")[:2], "G", ["T", "A"], frozenset({"ENST00000636127"}))
    assert [a.preferred for a in again[1]] == [True, True]


def test_vep_insertion_allele_and_allele_num():
    lay = layout_from_header("CSQ", VEP)
    csq = "TGTCCC|inframe_insertion|MODERATE|IL7R|G|Transcript|ENST00000303115.8|c.721_722insTGTCCC|p.Ile241_Leu242insCysPro||"
    (ann,) = parse_annotations(lay, csq, "T", ["TTGTCCC"], frozenset())[1]
    assert ann.gene == "IL7R" and ann.protein_change == "p.I241_L242insCP"
    num = layout_from_header("CSQ", VEP_NUM)
    got = parse_annotations(num, ["-|JAK2|ENST1|p.Val617Phe|2", "-|JAK2|ENST1|p.?|1"], "GA", ["G", "GAA"], frozenset())
    assert got[2][0].protein_change == "p.V617F" and got[1][0].protein_change is None


def test_snpeff_values():
    lay = layout_from_header("ANN", SNPEFF)
    ann = ("T|missense_variant|MODERATE|JAK2|ENSG00000096968|transcript|ENST00000381652.4|protein_coding|"
           "14/25|c.1849G>T|p.Val617Phe|2343/7032|1849/3399|617/1132||,"
           "T|upstream_gene_variant|MODIFIER|INSL6|ENSG00000120210|transcript|ENST00000381309.3|protein_coding||"
           "c.-3000C>A|||||3000|")
    jak2, insl6 = parse_annotations(lay, ann, "G", ["T"], frozenset())[1]
    assert (jak2.gene, jak2.protein_change, jak2.preferred) == ("JAK2", "p.V617F", False)
    assert (insl6.gene, insl6.protein_change) == ("INSL6", None)


def test_no_values_and_empty_entries():
    lay = layout_from_header("ANN", SNPEFF)
    assert parse_annotations(lay, None, "G", ["T"], frozenset()) == {}
    assert parse_annotations(lay, ["", ""], "G", ["T"], frozenset()) == {}


def _ann(gene="JAK2", protein="p.V617F", preferred=False, transcript="ENST1") -> ProteinAnnotation:
    return ProteinAnnotation(gene=gene, transcript=transcript, hgvsc="", hgvsp="", protein_change=protein,
                             consequence="missense_variant", preferred=preferred)


def test_best_annotation_prefers_the_preferred_transcript_with_a_protein_change():
    plain, preferred = _ann(transcript="A"), _ann(protein="p.V617L", preferred=True, transcript="B")
    assert best_annotation([plain, preferred], "JAK2") is preferred
    no_protein = _ann(protein=None, preferred=True, transcript="C")
    assert best_annotation([no_protein, plain], "JAK2") is plain  # a protein change beats the flag alone
    assert best_annotation([no_protein], "JAK2") is no_protein
    assert best_annotation([plain], "CALR") is None and best_annotation([], "JAK2") is None
