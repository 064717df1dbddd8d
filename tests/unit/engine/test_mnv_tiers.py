"""engine.mnv (split-MNV haplotype test and merging) and engine.tiers (per-finding tiers from profile data)."""

from __future__ import annotations

from jakcli.engine.mnv import VAF_TOLERANCE, Pending, merge_group, same_haplotype
from jakcli.engine.tiers import tier_for
from jakcli.model import SampleCall, Variant


def call(gt="0/1", vaf=0.4, ps=None, pgt=None, sample="S"):
    return SampleCall(sample, True, gt, vaf, "AD", 100, int(100 * vaf) if vaf else None, None, ps, pgt)


def snv(pos, ref, alt, n=1):
    return Variant("chr9", "9", pos, ref, alt, 1, "PASS", n, "x.vcf", pos, ref, alt)


def test_same_haplotype_phased_cis_trans_and_other_phase_sets():
    assert same_haplotype(call("0|1", ps="PS:7", pgt="0|1"), call("0|1", ps="PS:7", pgt="0|1"))
    assert same_haplotype(call("0|1", ps="PS:7", pgt="0|1"), call("1|0", ps="PS:7", pgt="1|0")) is None
    assert same_haplotype(call("0|1", ps="PS:7", pgt="0|1"), call("0|1", ps="PS:8", pgt="0|1")) is None


def test_same_haplotype_unphased_uses_the_allele_fraction_tolerance():
    assert same_haplotype(call(vaf=0.40), call(vaf=0.40 + VAF_TOLERANCE - 0.01))
    assert same_haplotype(call(vaf=0.40), call(vaf=0.40 + VAF_TOLERANCE + 0.02)) is None
    assert same_haplotype(call(vaf=None), call(vaf=0.4)) is None


def test_merge_group_fills_the_middle_base_from_the_reference_codon():
    group = [Pending(snv(5073770, "G", "T", 1), (call(),), ("JAK2", 617)),
             Pending(snv(5073772, "C", "T", 2), (call(),), ("JAK2", 617))]
    out = list(merge_group(group, lambda pos: {5073771: "T"}.get(pos)))
    (merged,) = [o for o in out if o[2]]
    v, calls, note = merged
    assert (v.min_pos, v.min_ref, v.min_alt) == (5073770, "GTC", "TTT")
    assert "merged from 2 VCF records" in note and calls[0].sample == "S"
    assert not [o for o in out if not o[2]]


def test_merge_group_without_the_middle_base_keeps_the_snvs_apart():
    group = [Pending(snv(5073770, "G", "T"), (call(),), ("JAK2", 617)),
             Pending(snv(5073772, "C", "T"), (call(),), ("JAK2", 617))]
    out = list(merge_group(group, lambda pos: None))
    assert [o[2] for o in out] == [None, None]


PROFILE = {"finding_tiers": {
    "somatic": [{"rules": ["jak2-v617f"], "tier": "Tier I", "level": "A", "why": "diagnostic"},
                {"classifications": ["uncertain-significance"], "tier": "Tier III", "why": "vus"}],
    "germline": [{"classifications": ["likely-pathogenic"], "tier": "Likely pathogenic", "why": "lp"}]}}


def test_tiers_come_from_the_profile_first_match_wins():
    t = tier_for(PROFILE, "jak2-v617f", "somatic", "oncogenic")
    assert (t["scheme"], t["tier"], t["evidence_level"], t["reference"]) == (
        "AMP/ASCO/CAP 2017", "Tier I", "A", "PMID:27993330")
    assert tier_for(PROFILE, "", "somatic", "uncertain-significance")["tier"] == "Tier III"
    g = tier_for(PROFILE, "catalogue:x", "germline", "likely-pathogenic")
    assert (g["scheme"], g["reference"]) == ("ACMG/AMP 2015", "PMID:25741868")
    assert tier_for(PROFILE, "other", "somatic", "oncogenic") is None
    assert tier_for({}, "jak2-v617f", "somatic", "oncogenic") is None


def test_v617f_tier_differs_between_mpn_and_b_all_profiles():
    from jakcli.ruleset.loader import load_ruleset

    rs = load_ruleset(None)
    mpn = tier_for(rs.profiles["mpn"].doc, "jak2-v617f", "somatic", "oncogenic")
    ball = tier_for(rs.profiles["b-all"].doc, "jak2-v617f", "somatic", "oncogenic")
    assert mpn["tier"] == "Tier I" and mpn["evidence_level"] == "A"
    assert ball["tier"] != "Tier I"
