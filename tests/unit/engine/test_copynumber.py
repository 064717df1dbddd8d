"""Copy-number engine: synthetic segments for every draft rule, both builds, sex, purity, focal."""

from pathlib import Path

import pytest
import yaml

from jakcli.engine import copynumber as cn
from jakcli.model.copynumber import Segment
from jakcli.readers.cnv import read_segments
from jakcli.reference.cnv_targets import load_targets, target_set
from jakcli.ruleset.cnv_thresholds import load_thresholds

ROOT = Path(__file__).resolve().parents[3]
RULES = ROOT / "rules"
FIX = ROOT / "tests" / "fixtures" / "cnv"
THR = load_thresholds()


def seg(contig, start, end, log2=None, copy_number=None, line=2):
    return Segment("S1", contig, contig, start, end, log2, copy_number, None, None, "synthetic.tsv", line)


def spec(rule_id):
    return yaml.safe_load((RULES / f"{rule_id}.yaml").read_text())["match"]["copy_number"]


def status(rule_id, segments, build, sex="female", purity=None, ploidy=None):
    calls = cn.call_targets(segments, target_set(build), sex, "given", THR, purity, ploidy)
    return cn.match_rule(spec(rule_id), calls, build)


IKZF1 = {"GRCh37": (50344265, 50472798), "GRCh38": (50304669, 50405100)}
IKZF1_EX4_7 = {"GRCh37": (50444231, 50459561), "GRCh38": (50376533, 50391863)}
CDKN2 = {"GRCh37": (21960000, 22020000), "GRCh38": (21960000, 22020000)}
ERG = {"GRCh37": (39760000, 39800000), "GRCh38": (38390000, 38430000)}
PAR1 = {"GRCh37": (1331700, 1600000), "GRCh38": (1212800, 1530000)}
BUILDS = ["GRCh37", "GRCh38"]


@pytest.mark.parametrize("build", BUILDS)
def test_ikzf1_whole_gene_and_exon4_7_deletion(build):
    lo, hi = IKZF1[build]
    assert status("ikzf1-deletion", [seg("7", lo - 10000, hi + 10000, -1.0)], build) == "present"
    a, b = IKZF1_EX4_7[build]
    assert status("ikzf1-deletion", [seg("7", a - 500, b + 500, -1.0)], build) == "present"
    calls = cn.call_targets([seg("7", a - 500, b + 500, -1.0)], target_set(build), "female", "given", THR)
    assert calls["IKZF1"].exons_by_state["loss"] == (4, 5, 6, 7)
    ex5 = load_targets(build)["IKZF1"].exons[4]
    assert status("ikzf1-deletion", [seg("7", ex5[1] - 100, b + 500, -1.0)], build) == "present"  # exons 5-7
    assert status("ikzf1-deletion", [seg("7", lo - 10000, hi + 10000, -0.1)], build) == "absent"
    assert status("ikzf1-deletion", [seg("9", 1, 2000, -1.0)], build) == "not-assessed"


@pytest.mark.parametrize("build", BUILDS)
def test_ikzf1_any_exon_counts_an_intronic_loss_does_not(build):
    """IKZF1plus counts any IKZF1 deletion (MLPA over all eight exons; rare variants are adverse,
    doi:10.1038/leu.2015.199): DEL 2-3 and a single-exon loss count, a loss inside intron 3 does not."""
    ex = {n: (s, e) for n, s, e in load_targets(build)["IKZF1"].exons}
    del23 = seg("7", ex[2][0] - 200, ex[3][1] + 200, -1.0)
    assert status("ikzf1-deletion", [del23], build) == "present"
    assert status("ikzf1-deletion", [seg("7", ex[6][0] - 50, ex[6][1] + 50, -1.0)], build) == "present"
    lo, hi = IKZF1[build]
    intron3 = seg("7", ex[3][1] + 1000, ex[4][0] - 1000, -1.0)
    assert status("ikzf1-deletion", [intron3], build) == "not-assessed"  # the exons were never seen
    neutral = [seg("7", lo - 10000, ex[3][1] + 999, 0.0), intron3, seg("7", ex[4][0] - 999, hi + 10000, 0.0)]
    assert status("ikzf1-deletion", neutral, build) == "absent"  # every exon seen, only the intron lost
    shallow = [seg("7", lo - 10000, hi + 10000, -0.1)]
    assert status("ikzf1-deletion", shallow, build) == "absent"


@pytest.mark.parametrize("build", BUILDS)
def test_cdkn2ab_homozygous_only(build):
    lo, hi = CDKN2[build]
    assert status("cdkn2ab-deletion", [seg("9", lo, hi, -3.4)], build) == "present"
    assert status("cdkn2ab-deletion", [seg("9", lo, hi, -1.0)], build) == "absent"  # heterozygous
    assert status("cdkn2ab-deletion", [seg("9", lo, hi, copy_number=0.01)], build) == "present"
    assert status("cdkn2ab-deletion", [seg("9", lo, hi, copy_number=1.0)], build) == "absent"


@pytest.mark.parametrize("build", BUILDS)
def test_pax5_and_erg(build):
    p = load_targets(build)["PAX5"].loci[0]
    assert status("pax5-deletion", [seg("9", p[1] - 1000, p[2] + 1000, -0.9)], build) == "present"
    assert status("pax5-deletion", [seg("9", p[1] - 1000, p[2] + 1000, -0.1)], build) == "absent"
    lo, hi = ERG[build]
    assert status("erg-deletion", [seg("21", lo, hi, -0.95)], build) == "present"
    assert status("erg-deletion", [seg("21", lo, hi, 0.02)], build) == "not-assessed"  # rest of ERG unseen
    whole = load_targets(build)["ERG"].loci[0]
    assert status("erg-deletion", [seg("21", whole[1] - 1000, whole[2] + 1000, 0.02)], build) == "absent"


@pytest.mark.parametrize("build", BUILDS)
def test_par1_deletion_female_and_male(build):
    lo, hi = PAR1[build]
    assert status("par1-deletion", [seg("X", lo, hi, -1.0)], build, "female") == "present"
    assert status("par1-deletion", [seg("X", lo, hi, 0.0)], build, "female") == "absent"
    # PAR1 has two copies in males too: log2 0 is neutral there, -1 is a loss
    assert status("par1-deletion", [seg("X", lo, hi, 0.0)], build, "male") == "absent"
    assert status("par1-deletion", [seg("X", lo, hi, -1.0)], build, "male") == "present"
    assert status("par1-deletion", [seg("X", lo, hi, copy_number=1.0)], build, "male") == "present"
    # a male X modelled as haploid from the telomere: broad and longer than PAR1 -> not this lesion
    assert status("par1-deletion", [seg("X", 1, 60000000, copy_number=1.0)], build, "male") == "absent"
    # outside PAR1 a male X at one copy (log2 -1 against a diploid-X reference) is neutral
    call = cn.call_targets([seg("X", 3000000, 150000000, -1.0)], target_set(build), "male", "given", THR)
    assert call["PAR1_CRLF2_P2RY8"].status == "not-assessed"
    male_x = cn.segment_state(seg("X", 3000000, 150000000, -1.0), "X", "male", THR, None, None)
    assert male_x[0] == "neutral"
    assert cn.segment_state(seg("X", 3000000, 150000000, -1.0), "X", "female", THR, None, None)[0] == "loss"
    assert cn.segment_state(seg("X", 3000000, 4000000, -1.0), "X", None, THR, None, None)[0] == "unknown-sex"


def test_par1_y_copy_used_only_when_x_is_not_covered():
    ylo, yhi = 1281617 + 100, 1535475 - 100  # GRCh37 chrY PAR1 copy
    assert status("par1-deletion", [seg("Y", ylo, yhi, -1.0)], "GRCh37", "male") == "present"
    both = [seg("X", 1331700, 1600000, 0.0), seg("Y", ylo, yhi, -20.0)]
    assert status("par1-deletion", both, "GRCh37", "male") == "absent"


@pytest.mark.parametrize("build", BUILDS)
def test_jak2_amplification_and_deletion(build):
    assert status("jak2-amplification", [seg("9", 4900000, 5600000, 1.7)], build) == "present"
    assert status("jak2-amplification", [seg("9", 4900000, 5600000, 0.5)], build) == "absent"  # gain
    assert status("jak2-amplification", [seg("9", 4900000, 5600000, copy_number=9.0)], build,
                  ploidy=2.0) == "present"
    assert status("jak2-amplification", [seg("9", 5050686, 5050831, 1.9)], build) == "not-assessed"  # rest of JAK2 unseen
    assert status("jak2-deletion", [seg("9", 4980000, 5130000, -1.2)], build) == "present"
    assert status("jak2-deletion", [seg("9", 4980000, 5000000, -1.2)], build) == "not-assessed"
    assert status("jak2-deletion", [seg("9", 4980000, 5000000, -1.2), seg("9", 5000001, 5200000, 0.0)],
                  build) == "absent"


@pytest.mark.parametrize("build, p_end", [("GRCh37", 47300000), ("GRCh38", 44377362)])
def test_focal_versus_broad(build, p_end):
    assert cn.is_focal(seg("9", 21900000, 22100000, -1.0), target_set(build), THR) is True
    assert cn.is_focal(seg("9", 1, p_end, -1.0), target_set(build), THR) is False  # whole 9p
    assert cn.is_focal(seg("9", 1, int(p_end * 0.49), -1.0), target_set(build), THR) is True


def test_purity_adjustment_turns_a_shallow_log2_into_a_deep_loss():
    s = seg("9", 21960000, 22020000, -1.0)
    assert cn.segment_state(s, "autosome", "female", THR, None, None)[0] == "loss"
    state, measure, value, _ = cn.segment_state(s, "autosome", "female", THR, 0.5, None)
    assert (state, measure, round(value, 3)) == ("deep_loss", "log2 purity-adjusted", 0.0)
    assert cn.segment_state(seg("9", 1, 2, -0.5), "autosome", "female", THR, 0.5, None)[0] == "loss"


def test_sex_inference_and_precedence():
    female = [seg("Y", 2800000, 57000000, -20.0)]
    male = [seg("Y", 2800000, 57000000, -0.05)]
    assert cn.infer_sex(female, "GRCh38", THR)[0] == "female"
    assert cn.infer_sex(male, "GRCh38", THR)[0] == "male"
    assert cn.infer_sex([seg("7", 1, 10, 0.0)], "GRCh38", THR)[0] is None
    assert cn.resolve_sex("M", "female", female, "GRCh38", THR) == ("male", "given (--sex)")
    assert cn.resolve_sex(None, "male", female, "GRCh38", THR) == ("male", "from the copy-number file")


@pytest.mark.parametrize(("build", "male_specific", "par2"), [
    ("GRCh38", (20000000, 20100000), (56887903, 57217415)),
    ("GRCh37", (20000000, 20100000), (59034050, 59363566))])
def test_sex_inference_ignores_chry_par2(build, male_specific, par2):
    """A female's chrY: the male-specific region absent, PAR2 at the autosomal level (its reads come from
    the X copy). Counting PAR2 (330 kb against 100 kb here) would call her male."""
    segs = [seg("Y", *male_specific, -6.0), seg("Y", *par2, 0.0)]
    assert cn.infer_sex(segs, build, THR)[0] == "female"
    assert cn.infer_sex([seg("Y", *par2, 0.0)], build, THR)[0] is None  # PAR2 alone says nothing


def test_targets_table_is_rebuilt_identically_and_has_both_builds():
    import subprocess
    import sys
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_cnv_targets.py"), "--check"])
    assert r.returncode == 0
    for build in BUILDS:
        t = load_targets(build)
        assert {"IKZF1", "CDKN2A", "CDKN2B", "PAX5", "ERG", "JAK2", "CD274", "PDCD1LG2",
                "PAR1_CRLF2_P2RY8", "9p24.1_JAK2_CD274_PDCD1LG2"} <= set(t)
        assert [c for c, _, _ in t["PAR1_CRLF2_P2RY8"].loci] == ["X", "Y"]
        assert len(t["IKZF1"].exons) == 8


@pytest.mark.parametrize("build", BUILDS)
def test_partly_covered_target_is_not_called_absent(build):
    """A neutral segment over a small part of IKZF1, the rest covered by no segment: the unseen
    part could hold the deletion, so the rule is not assessed, never absent."""
    lo, hi = IKZF1[build]
    assert status("ikzf1-deletion", [seg("7", lo - 1000, lo + 5000, 0.0)], build) == "not-assessed"
    a, b = IKZF1_EX4_7[build]
    ex5 = load_targets(build)["IKZF1"].exons[4]
    neutral_5_7 = [seg("7", ex5[1] - 100, b + 500, 0.0)]
    assert status("ikzf1-deletion", neutral_5_7, build) == "not-assessed"  # exons 1-4 and 8 unseen
    flanked = [seg("7", lo - 10000, ex5[1] - 101, 0.0), *neutral_5_7, seg("7", b + 501, hi + 10000, 0.0)]
    assert status("ikzf1-deletion", flanked, build) == "absent"
    lc, hc = CDKN2[build]
    assert status("cdkn2ab-deletion", [seg("9", lc - 5000, lc + 100, -1.0)], build) == "not-assessed"


@pytest.mark.parametrize("build", BUILDS)
def test_overlapping_segments_do_not_count_the_same_bases_twice(build):
    """The same neutral segment twice over 30% of JAK2: 30% assessed, not 60%; the unseen 70%
    could hold a deletion of half the gene, so jak2-deletion is not assessed."""
    lo, hi = load_targets(build)["JAK2"].loci[0][1:]
    part = lo + int((hi - lo + 1) * 0.3) - 1
    twice = [seg("9", lo, part, 0.0, line=2), seg("9", lo, part, 0.0, line=3)]
    calls = cn.call_targets(twice, target_set(build), "female", "given", THR)
    assert calls["JAK2"].fraction_assessed == pytest.approx(0.3, abs=0.001)
    assert status("jak2-deletion", twice, build) == "not-assessed"
