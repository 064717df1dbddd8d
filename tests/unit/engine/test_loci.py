"""Per-locus decisions (issue 16): every status from every source, rule-level widening, sentences,
floors under the run's overrides, and read observations turned into genomic alleles."""

from __future__ import annotations

import pytest

from jakcli.engine.evidence import allele_locus, detection_limit_vaf
from jakcli.engine.loci import (Floors, Measured, decide, decide_fusion, floors_for, fusion_loci,
                                not_detected_sentence, read_variant, unassessed_by_loci)
from jakcli.model import Build, Options
from jakcli.model.loci import Locus, LocusStatus
from jakcli.ruleset.loader import load_ruleset

V617F = allele_locus("jak2-v617f", "JAK2", "p.V617F", "9", 5073770, "G", "T")
FLOORS = Floors(vaf=0.01, min_alt_reads=5, min_depth=913)


def test_every_status_and_source():
    outside = decide(V617F, FLOORS, ("targets", "outside the --targets regions"),
                     Measured(LocusStatus.ASSESSED, 2000, "alignments"), "covered")
    assert (outside.status, outside.source, outside.depth) == (LocusStatus.NOT_ASSESSED, "targets", None)
    reads = decide(V617F, FLOORS, None, Measured(LocusStatus.ASSESSED, 1850, "alignments"), "covered")
    assert reads.status is LocusStatus.ASSESSED and reads.source == "alignments"
    assert reads.detection_limit_vaf == detection_limit_vaf(1850, 5, 0.01)
    low = decide(V617F, FLOORS, None, Measured(LocusStatus.LOW_COVERAGE, 200, "gvcf"), "covered")
    assert low.status is LocusStatus.LOW_COVERAGE and "913" in low.note and low.detection_limit_vaf > 0.02
    cov = decide(V617F, FLOORS, None, Measured(LocusStatus.ASSESSED, None, "coverage"), "covered")
    assert cov.status is LocusStatus.ASSESSED and cov.detection_limit_vaf is None
    plain = decide(V617F, FLOORS, None, None, "covered")
    assert (plain.status, plain.source) == (LocusStatus.NO_DEPTH_EVIDENCE, "vcf")
    header = decide(V617F, FLOORS, ("vcf-header", "outside the regions kept by bcftools"), None, "covered")
    assert (header.status, header.source) == (LocusStatus.NOT_ASSESSED, "vcf-header")
    contig = decide(V617F, FLOORS, None, None, "missing:chromosome 9 not in the input")
    assert (contig.status, contig.source, contig.note) == (LocusStatus.NOT_ASSESSED, "vcf-header",
                                                           "chromosome 9 not in the input")
    nothing = decide(V617F, FLOORS, None, None, None)
    assert (nothing.status, nothing.source) == (LocusStatus.NOT_ASSESSED, "none")


def test_region_loci_get_depth_but_no_detection_limit():
    region = Locus("r", "jak2-exon12-indel", "JAK2", "region", "exon 12", "9", 5069920, 5070060)
    got = decide(region, FLOORS, None, Measured(LocusStatus.ASSESSED, 3000, "alignments"), "covered")
    assert got.depth == 3000 and got.detection_limit_vaf is None


@pytest.mark.parametrize("build", [Build.GRCH37, Build.GRCH38])
def test_fusion_windows_assessed_only_with_rearrangement_input(build):
    loci = fusion_loci(load_ruleset(None).rules.values(), build)
    assert {l.rule_id for l in loci} >= {"jak2-fusion", "crlf2-p2ry8-fusion"}
    assert decide_fusion(loci[0], []).status is LocusStatus.NOT_ASSESSED
    got = decide_fusion(loci[0], ["fusions", "sv"])
    assert (got.status, got.source) == (LocusStatus.ASSESSED, "fusions+sv")


def test_unassessed_rules_named_once_per_gene():
    mpl = Locus("m", "mpl-w515", "MPL", "codon", "W515", "1", 43349337, 43349339)
    results = [decide(mpl, FLOORS, ("vcf-header", "outside the regions kept by X"), None, "covered"),
               decide(V617F, FLOORS, None, None, "covered"),
               decide(V617F, FLOORS, None, Measured(LocusStatus.LOW_COVERAGE, 50, "coverage"), "covered")]
    rules, words = unassessed_by_loci(results, set())
    assert rules == {"mpl-w515", "jak2-v617f"}
    assert words[0].startswith("JAK2 (jak2-v617f low-coverage at 1 of 2 loci")
    assert words[1] == "MPL (mpl-w515 not-assessed: outside the regions kept by X)"
    assert unassessed_by_loci(results, {"mpl-w515"})[0] == {"jak2-v617f"}  # already named elsewhere


def test_not_detected_sentences():
    entry = decide(V617F, Floors(0.0, 4, 100), None, Measured(LocusStatus.ASSESSED, 1850, "alignments"),
                   "covered").to_dict()
    assert not_detected_sentence(entry) == "JAK2 p.V617F not detected - depth 1,850, 95% detection for VAF ≥ 0.42%"
    plain = decide(V617F, FLOORS, None, None, "covered").to_dict()
    assert "no depth evidence" in not_detected_sentence(plain)
    low = decide(V617F, FLOORS, None, Measured(LocusStatus.LOW_COVERAGE, 60, "coverage"), "covered").to_dict()
    assert not_detected_sentence(low).startswith("JAK2 p.V617F not excluded - low coverage (depth 60")
    na = decide(V617F, FLOORS, ("targets", "outside the --targets regions (t.bed)"), None, "covered").to_dict()
    assert not_detected_sentence(na) == "JAK2 p.V617F not assessed (outside the --targets regions (t.bed))"


def test_floors_follow_rules_unless_overridden():
    rs = load_ruleset(None)
    v617f = floors_for(rs.rules["jak2-v617f"], Options())
    assert v617f == Floors(vaf=0.01, min_alt_reads=5, min_depth=913)
    assert floors_for(rs.rules["mpl-w515"], Options()) == Floors(vaf=0.02, min_alt_reads=5, min_depth=456)
    assert floors_for(rs.rules["jak2-fusion"], Options()).min_alt_reads == 2
    over = floors_for(rs.rules["jak2-v617f"], Options(min_alt_reads=30, min_depth=1650, min_vaf=0.03))
    assert over == Floors(vaf=0.03, min_alt_reads=30, min_depth=1650)


def test_every_rule_carries_cited_floors():
    for rule in load_ruleset(None).rules.values():
        if rule.input_class == "copy-number":  # segments, not reads: thresholds.yaml is their floor
            continue
        floor = rule.doc["reporting_floor"]
        assert {"min_alt_reads", "min_depth", "rationale"} <= set(floor), rule.id
        assert "docs/evidence.md" in floor["rationale"] or "min_supporting_reads" in floor["rationale"], rule.id


def test_read_observations_become_alleles():
    v = read_variant(V617F, "T", "pt.bam")
    assert (v.pos, v.ref, v.alt, v.kind) == (5073770, "G", "T", "snv")
    assert read_variant(V617F, "G", "pt.bam") is None and read_variant(V617F, "<indel>", "pt.bam") is None
    minus = Locus("c", "mpl-w515", "MPL", "codon", "W515", "1", 100, 102, positions=(102, 101, 100), strand="-",
                  ref_codon="TGG")
    mnv = read_variant(minus, "AAG", "pt.bam")  # coding TGG>AAG; genomic (ascending) CCA>CTT
    assert (mnv.pos, mnv.ref, mnv.alt) == (100, "CCA", "CTT") and (mnv.min_pos, mnv.min_ref, mnv.min_alt) == (101, "CA", "TT")
    ins = allele_locus("il7r", "IL7R", "ins", "5", 200, "", "TTGTC")
    got = read_variant(ins, "TTGTC", "pt.bam")
    assert (got.ref, got.alt, got.kind, got.min_pos) == ("-", "TTGTC", "insertion", 200)
    split = Locus("s", "r", "G", "codon", "X1", "1", 100, 300, positions=(100, 101, 300), ref_codon="AAA")
    assert read_variant(split, "AAT", "pt.bam") is None  # a codon split by an intron is not genotyped here
