"""Detection limits, locus statuses and evidence floors (issue 16), through the library API."""

from __future__ import annotations

import math

import pytest

from jakcli.engine.evidence import (LocusStatus, detection_limit_vaf, detection_probability,
                             evidence_floor_check, format_vaf, prob_at_least, status_for)


def _tail_by_comb(k: int, n: int, p: float) -> float:
    """P(X >= k) summed term by term with exact binomial coefficients (independent check)."""
    return sum(math.comb(n, i) * p ** i * (1 - p) ** (n - i) for i in range(k, n + 1))


@pytest.mark.parametrize("k,n,p", [(1, 10, 0.1), (3, 50, 0.05), (5, 200, 0.02), (5, 200, 0.05),
                                   (10, 300, 0.01), (0, 5, 0.3), (6, 5, 0.9)])
def test_tail_matches_direct_sum(k, n, p):
    assert prob_at_least(k, n, p) == pytest.approx(_tail_by_comb(k, n, p), abs=1e-12)


def test_issue_numbers_200x_five_reads():
    # knowledge-sources.md s5: at 200x with >=5 alt reads, a 2% clone 37% of the time, 5% 97%
    assert detection_probability(200, 0.02, 5) == pytest.approx(0.371, abs=0.001)
    assert detection_probability(200, 0.05, 5) == pytest.approx(0.974, abs=0.001)


@pytest.mark.parametrize("depth", [1, 20, 200, 1850, 2000, 100000])
def test_one_read_closed_form(depth):
    # P(X >= 1) = 1 - (1 - v)^d >= 0.95  <=>  v >= 1 - 0.05^(1/d)
    exact = 1 - 0.05 ** (1 / depth)
    got = detection_limit_vaf(depth, 1)
    assert exact <= got <= exact + 1e-5 + 1e-12


def test_two_reads_closed_form_and_power():
    d = 500
    v = detection_limit_vaf(d, 2)
    tail = 1 - (1 - v) ** d - d * v * (1 - v) ** (d - 1)
    assert tail >= 0.95
    below = v - 2e-5
    assert 1 - (1 - below) ** d - d * below * (1 - below) ** (d - 1) < 0.95


def test_depth_1850_is_about_half_a_percent():
    # the issue's example sentence: "depth 1,850, 95% detection for VAF >= 0.4%"
    assert detection_limit_vaf(1850, 4) == pytest.approx(0.0042, abs=0.0001)
    assert detection_limit_vaf(1850, 5) == pytest.approx(0.0049, abs=0.0001)
    assert format_vaf(detection_limit_vaf(1850, 4)) == "0.42%"


def test_limit_respects_floor_unknown_depth_and_too_shallow():
    assert detection_limit_vaf(100000, 5, vaf_floor=0.01) == 0.01  # depth is no longer limiting
    assert detection_limit_vaf(None, 5) is None
    assert detection_limit_vaf(4, 5) is None  # 4 reads can never give 5 alt reads
    # depth == reads required: every read must be alt, v^5 >= 0.95
    assert detection_limit_vaf(5, 5) == pytest.approx(0.95 ** (1 / 5), abs=1e-5)


def test_limit_decreases_with_depth_and_increases_with_reads():
    assert detection_limit_vaf(2000, 5) < detection_limit_vaf(200, 5)
    assert detection_limit_vaf(2000, 10) > detection_limit_vaf(2000, 5)


@pytest.mark.parametrize("depth,min_depth,callable_,restricted,expected", [
    (500, 100, None, False, LocusStatus.ASSESSED),
    (100, 100, None, False, LocusStatus.ASSESSED),
    (99, 100, None, False, LocusStatus.LOW_COVERAGE),
    (0, 100, None, False, LocusStatus.NOT_ASSESSED),
    (None, 100, None, False, LocusStatus.NO_DEPTH_EVIDENCE),
    (None, 100, True, False, LocusStatus.ASSESSED),
    (None, 100, False, False, LocusStatus.NOT_ASSESSED),
    (5000, 100, True, True, LocusStatus.NOT_ASSESSED),
])
def test_status_for(depth, min_depth, callable_, restricted, expected):
    assert status_for(depth, min_depth, callable_, restricted) is expected
    assert str(expected) == expected.value


def test_floor_ad_1_1_is_not_reported():
    # the issue's reproduction: V617F edited to AD=1,1 DP=2
    reportable, low, reason = evidence_floor_check(1, 2, 0.5, min_alt_reads=5, min_depth=100,
                                                   vaf_floor=0.01)
    assert not reportable and not low and "1 alt read, below the floor of 5" in reason


def test_floor_low_vaf_not_reported_but_equal_is():
    r = evidence_floor_check(10, 2000, None, 5, 100, 0.01)  # 0.5% < 1%
    assert not r.reportable and "below the floor of 0.01" in r.reason
    r = evidence_floor_check(20, 2000, None, 5, 100, 0.01)  # exactly 1%
    assert r.reportable and not r.low_depth and r.reason is None


def test_floor_supported_call_at_low_depth_is_reported_flagged():
    r = evidence_floor_check(30, 60, 0.5, 5, 100, 0.01)
    assert r.reportable and r.low_depth and "depth 60 below the locus floor of 100" in r.reason


def test_floor_unknown_values_do_not_fail():
    assert evidence_floor_check(None, None, 0.3, 5, 100, 0.01).reportable
    assert not evidence_floor_check(None, None, 0.005, 5, 100, 0.01).reportable


@pytest.mark.parametrize("depth, k", [(1850, 4), (1850, 5), (200, 5), (1650, 5), (60, 3), (5000, 10), (20, 1)])
def test_shown_limit_never_promises_more_than_the_binomial(depth, k):
    """The limit printed in sentences and written to JSON is rounded up: at the VAF shown,
    detection is still at least 95%."""
    from jakcli.model.loci import Locus, LocusResult, LocusStatus as S

    v = detection_limit_vaf(depth, k)
    shown = float(format_vaf(v).rstrip("%")) / 100
    assert prob_at_least(k, depth, shown) >= 0.95
    entry = LocusResult(Locus("x", "r", "G", "allele", "n", "9", 1, 1), S.ASSESSED, depth, v, "alignments").to_dict()
    assert prob_at_least(k, depth, entry["detection_limit_vaf"]) >= 0.95


def test_a_vaf_with_a_depth_must_imply_enough_alt_reads():
    """AF-only callers (LoFreq INFO/AF, FORMAT AF without AD) are held to min_alt_reads through VAF x depth."""
    from jakcli.engine.evidence import evidence_floor_check

    held = evidence_floor_check(None, 100, 0.02, 5, 100, 0.01)
    assert not held.reportable and held.reason.startswith("about 2 alt reads")
    assert evidence_floor_check(None, 1000, 0.02, 5, 100, 0.01).reportable  # about 20 reads
    assert evidence_floor_check(None, None, 0.02, 5, 100, 0.01).reportable  # no depth: nothing to imply
