"""Skip markers for tests that need an external program; the reason names what to install."""

from __future__ import annotations

import shutil

import pytest

_PACKAGE = {"bcftools": "bcftools", "tabix": "tabix", "bgzip": "tabix"}


def needs_tools(*names: str) -> pytest.MarkDecorator:
    """Skip unless every program in ``names`` is on PATH (.ci/run installs them with apt-get)."""
    missing = [n for n in names if shutil.which(n) is None]
    packages = sorted({_PACKAGE.get(n, n) for n in missing})
    return pytest.mark.skipif(bool(missing), reason=f"{', '.join(missing)} not installed "
                                                    f"(apt-get install {' '.join(packages)}; .ci/run does)")


needs_bcftools = needs_tools("bcftools")
needs_tabix = needs_tools("tabix")
