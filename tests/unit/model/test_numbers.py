"""Percentages in reports never round a partial value to a whole one."""

from __future__ import annotations

import pytest

from jakcli.model.numbers import percent


@pytest.mark.parametrize("fraction, text", [
    (1.0, "100.0%"), (0.9996, "99.9%"), (0.99949, "99.9%"), (0.996, "99.6%"), (0.5, "50.0%"),
    (0.00051, "0.1%"), (0.0004, "<0.1%"), (0.0, "0.0%"),
])
def test_percent(fraction, text):
    assert percent(fraction) == text


def test_percent_with_other_precision():
    assert percent(0.996, 0) == "99%" and percent(0.004, 0) == "<1%" and percent(1.0, 0) == "100%"
