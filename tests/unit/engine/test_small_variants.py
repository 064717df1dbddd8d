"""Small-variant matching, pure: a Variant in, the rules it matches out; floors and findings.

Coordinates come from the bundled rules; IL7R differs between the builds (GRCh37 = GRCh38 + 102
around exon 6), JAK2 does not, so the IL7R cases also prove the build is honoured.
"""

from __future__ import annotations

import dataclasses

import pytest

from jakcli.engine.small_variants import SiteIndex, below_floor, make_finding
from jakcli.model import Build, ProteinAnnotation, SampleCall, Variant
from jakcli.reference.alleles import minimal_form
from jakcli.ruleset.loader import load_ruleset

RULESET = load_ruleset()
S185C = {Build.GRCH37: 35873597, Build.GRCH38: 35873495}  # IL7R c.554A>T, the rule's allele
IL7R_EXON6_INSERT_AFTER = {Build.GRCH37: 35874564, Build.GRCH38: 35874462}  # codon-aligned


def variant(chrom, pos, ref, alt, annotations=()) -> Variant:
    mpos, mref, malt = minimal_form(pos, ref, alt)
    return Variant(chrom=chrom, contig=chrom.removeprefix("chr"), pos=pos, ref=ref, alt=alt, allele_index=1,
                   filter="PASS", record_no=1, source="t.vcf", min_pos=mpos, min_ref=mref, min_alt=malt,
                   annotations=tuple(annotations))


def matched(build: Build, v: Variant) -> tuple[dict, list[str]]:
    matches, warnings = SiteIndex(RULESET.rules.values(), build).match(v)
    return {m.rule_id: m for m in matches}, warnings


@pytest.mark.parametrize("build", list(Build))
def test_allele_rule_matches_only_its_allele(build):
    got, warnings = matched(build, variant("chr9", 5073770, "G", "T"))
    assert got["jak2-v617f"].alteration == "p.V617F" and warnings == []
    assert got["jak2-v617f"].matched_by == f"allele 9:5073770:G>T ({build})"
    assert "jak2-v617f" not in matched(build, variant("chr9", 5073770, "G", "A"))[0]
    assert "jak2-v617f" not in matched(build, variant("chr9", 5073771, "T", "G"))[0]


@pytest.mark.parametrize("build, other", [(Build.GRCH37, Build.GRCH38), (Build.GRCH38, Build.GRCH37)])
def test_allele_coordinates_belong_to_one_build(build, other):
    v = variant("chr5", S185C[build], "A", "T")
    assert matched(build, v)[0]["il7r-s185c"].alteration == "p.S185C"
    assert "il7r-s185c" not in matched(other, v)[0]


def test_padded_and_minimal_spellings_match_alike():
    got, _ = matched(Build.GRCH38, variant("chr9", 5073769, "AG", "AT"))
    assert got["jak2-v617f"].alteration == "p.V617F"


@pytest.mark.parametrize("build", list(Build))
def test_codon_rule_translates_the_changed_codon(build):
    got, warnings = matched(build, variant("chr9", 5078360, "A", "G"))  # AGA>GGA
    assert got["jak2-r683"].alteration == "p.R683G" and warnings == []
    assert got["jak2-r683"].matched_by == "codon R683 AGA>GGA"
    assert "jak2-r683" not in matched(build, variant("chr9", 5078360, "A", "T"))[0]  # TGA: a stop
    assert "jak2-r683" not in matched(build, variant("chr9", 5078362, "A", "G"))[0]  # AGG: still Arg


def test_codon_ref_mismatch_warns_and_does_not_match():
    got, warnings = matched(Build.GRCH38, variant("chr9", 5078360, "C", "G"))
    assert "jak2-r683" not in got
    assert len(warnings) == 1 and "REF does not match the reference codon of JAK2 R683 (AGA)" in warnings[0]
    assert warnings[0].startswith("t.vcf: chr9:5078360:C>G:")


def test_mnv_reaching_beyond_the_codon_is_noted():
    got, _ = matched(Build.GRCH38, variant("chr9", 5078359, "TA", "GG"))
    hit = got["jak2-r683"]
    assert hit.alteration == "p.R683G" and hit.notes == ("the multi-nucleotide change extends beyond this codon",)


@pytest.mark.parametrize("build", list(Build))
def test_region_rule_names_a_codon_aligned_insertion(build):
    pos = IL7R_EXON6_INSERT_AFTER[build]
    got, _ = matched(build, variant("chr5", pos, "T", "TTGTCCC"))
    hit = got["il7r-exon6-insertion"]
    assert hit.alteration.startswith("IL7R exon 6 in-frame insertion (6 bp, after c.")
    assert hit.alteration.endswith("introducing cysteine") and hit.notes == ("inserted residues CP",)
    assert "il7r-exon6-insertion" not in matched(build, variant("chr5", pos, "T", "TT"))[0]  # frameshift
    other = Build.GRCH37 if build == Build.GRCH38 else Build.GRCH38
    assert "il7r-exon6-insertion" not in matched(other, variant("chr5", pos, "T", "TTGTCCC"))[0]


def test_region_rule_needs_the_whole_change_inside_and_a_listed_class():
    got, _ = matched(Build.GRCH38, variant("chr9", 5070026, "AAG", "A"))  # 2-bp deletion: frameshift
    assert "jak2-exon12-indel" not in got
    got, _ = matched(Build.GRCH38, variant("chr9", 5070026, "AAGT", "A"))  # 3 bp: in-frame
    assert got["jak2-exon12-indel"].alteration.startswith("JAK2 exon 12 in-frame deletion (3 bp, c.")
    got, _ = matched(Build.GRCH38, variant("chr9", 5069920, "A" + "C" * 9, "A"))  # starts before the exon
    assert "jak2-exon12-indel" not in got


def test_contig_without_rules_costs_nothing():
    assert SiteIndex(RULESET.rules.values(), Build.GRCH38).match(variant("chr2", 1000, "A", "G")) == ([], [])


def test_annotation_disagreeing_with_coordinates_warns_and_coordinates_win():
    ann = ProteinAnnotation(gene="JAK2", transcript="ENST00000381652.4", hgvsc="", hgvsp="p.Arg683Ser",
                            protein_change="p.R683S", consequence="missense_variant", preferred=True)
    got, warnings = matched(Build.GRCH38, variant("chr9", 5078360, "A", "G", [ann]))
    assert got["jak2-r683"].alteration == "p.R683G"
    assert got["jak2-r683"].notes == ("annotation disagrees: p.R683S",)
    assert len(warnings) == 1 and "annotation says JAK2 p.R683S" in warnings[0] and "coordinates win" in warnings[0]


def call(vaf=0.3, alt_reads=30, vaf_note=None, vaf_source="AD") -> SampleCall:
    return SampleCall(sample="S1", carries=True, genotype="0/1", vaf=vaf, vaf_source=vaf_source, depth=100,
                      alt_reads=alt_reads, vaf_note=vaf_note)


def test_below_floor():
    rule = RULESET.rules["jak2-r683"]  # V617F's floor is 1% since issue 16
    assert rule.floor_vaf == 0.02 and rule.min_reads == 0
    assert below_floor(call(vaf=0.01), rule, None) is True
    assert below_floor(call(vaf=0.02), rule, None) is False  # the floor itself is reported
    assert below_floor(call(vaf=0.01), rule, 0.005) is False  # --min-vaf replaces the rule's floor
    assert below_floor(call(vaf=0.3), rule, 0.5) is True
    assert below_floor(call(vaf=None, alt_reads=None), rule, None) is False  # unknown VAF is reported
    strict = dataclasses.replace(rule, min_reads=5)
    assert below_floor(call(vaf=0.3, alt_reads=4), strict, None) is True
    assert below_floor(call(vaf=0.3, alt_reads=5), strict, None) is False
    assert below_floor(call(vaf=None, alt_reads=None), strict, None) is False


def test_make_finding_carries_rule_variant_and_call():
    rule = RULESET.rules["jak2-v617f"]
    v = variant("chr9", 5073770, "G", "T")
    (m,) = SiteIndex([rule], Build.GRCH38).match(v)[0]
    f = make_finding(v, m, call(), rule)
    assert (f.sample, f.rule_id, f.rule_version, f.gene, f.alteration) == ("S1", "jak2-v617f", rule.version,
                                                                          "JAK2", "p.V617F")
    assert (f.chrom, f.pos, f.ref, f.alt, f.filter) == ("chr9", 5073770, "G", "T", "PASS")
    assert (f.vaf, f.vaf_source, f.depth, f.alt_reads, f.genotype) == (0.3, "AD", 100, 30, "0/1")
    assert f.references == rule.references and f.source == "t.vcf:chr9:5073770" and f.notes == ()
    unknown = make_finding(v, m, call(vaf=None, vaf_source=None, vaf_note="no AD, AF or FREQ"), rule)
    assert unknown.vaf is None and unknown.notes == ("vaf unknown: no AD, AF or FREQ",)
