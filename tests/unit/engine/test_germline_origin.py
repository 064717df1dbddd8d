"""Origin assessment of calls of alleles that are both somatic drivers and germline condition alleles."""
from __future__ import annotations

import pytest

from jakcli.engine.germline_origin import origin_assessment


@pytest.mark.parametrize(("vaf", "gt", "expected"), [
    (0.5, "0/1", "germline-possible"),
    (0.35, "0/1", "germline-possible"),
    (0.65, "0/1", "germline-possible"),
    (0.97, "1/1", "germline-possible"),
    (0.9, "0/1", "germline-possible"),
    (0.7, "1/1", "germline-possible"),
    (None, "1|1", "germline-possible"),
    (None, "0/1", "germline-not-assessable"),
    (None, "no-GT", "germline-not-assessable"),
    (0.12, "0/1", "somatic-likely"),
    (0.34, "0/1", "somatic-likely"),
    (0.75, "0/1", "somatic-likely"),
])
def test_origin_assessment_bounds(vaf, gt, expected):
    got, why = origin_assessment(vaf, gt)
    assert got == expected and why


def test_somatic_likely_never_excludes_mosaicism():
    _, why = origin_assessment(0.1, "0/1")
    assert "mosaicism is not excluded" in why
