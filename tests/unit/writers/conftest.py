"""Report fixtures shared by the writers' tests: real classify reports of the bundled sample data,
a fresh copy per test (tests may edit them)."""

from __future__ import annotations

import pytest

from support import reports


@pytest.fixture
def report38() -> dict:
    """GRCh38 cohort with RNA fusion and DNA SV input."""
    return reports.report38()


@pytest.fixture
def report37() -> dict:
    """GRCh37 single sample, mpn profile."""
    return reports.report37()
