"""Region-first reading through ``classify`` without external tools: truncated BGZF, indexes
without counts, garbage indexes."""

from __future__ import annotations

import shutil

import pysam
import pytest

from jakcli.classify import Options, classify
from support import COHORT


def test_truncated_unindexed_bgzip_is_an_input_error(tmp_path):
    from jakcli.errors import InputError

    data = COHORT.read_bytes()
    cut = tmp_path / "cut.vcf.gz"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="cut.vcf.gz"):
        classify([str(cut)], Options())



def test_index_without_counts_is_explained(tmp_path):
    """pysam.tabix_index writes counts; a stale index (file replaced after indexing) must not crash."""
    gz = tmp_path / "s.vcf.gz"
    shutil.copy(COHORT, gz)
    pysam.tabix_index(str(gz), preset="vcf", force=True)
    rep = classify([str(gz)], Options())
    assert rep["stats"]["records_read"] == 61



def test_garbage_index_is_an_input_error(tmp_path):
    from jakcli.errors import InputError

    gz = tmp_path / "g.vcf.gz"
    shutil.copy(COHORT, gz)
    (tmp_path / "g.vcf.gz.tbi").write_bytes(b"not an index")
    with pytest.raises(InputError, match="g.vcf.gz.tbi"):
        classify([str(gz)], Options())

