"""The sample_data reports are byte-identical from the fast JSON writer and json.dumps(indent=2) (issue 14)."""

from __future__ import annotations

import json

from jakcli.classify import Options, classify
from jakcli.writers import fastjson
from jakcli.writers.text import to_json
from support import SAMPLE_DATA


def test_sample_data_reports_are_byte_identical():
    s = SAMPLE_DATA
    reports = [classify([str(s / "cohort_grch38.vcf.gz")], Options()),
               classify([str(s / "single_grch37_vep.vcf")], Options()),
               classify([], Options(), fusions=[f"BALL={s / 'BALL_CRLF2_JAK2.arriba.fusions.tsv'}"],
                        svs=[f"BALL={s / 'BALL_CRLF2_JAK2.manta.somaticSV.vcf'}"],
                        cnvs=[f"BALL={s / 'BALL_CRLF2_JAK2.cnvkit.cns'}"])]
    for rep in reports:
        if fastjson._orjson() is not None:  # the fast path is taken: the compact forms agree
            assert fastjson._orjson().dumps(rep).decode() == json.dumps(rep, ensure_ascii=False, separators=(",", ":"))
        assert to_json(rep) == json.dumps(rep, indent=2, ensure_ascii=False) + "\n"


def test_reports_read_back_as_the_standard_library_reads_them(monkeypatch):
    """Batch and resume read reports with fastjson.loads: the same objects as json.loads, including
    what orjson refuses (NaN literals, integers beyond 64 bits) and what both refuse."""
    import math

    import pytest

    text = to_json(classify([str(SAMPLE_DATA / "cohort_grch38.vcf.gz")], Options())).encode()
    assert fastjson.loads(text) == json.loads(text)
    odd = b'{"vaf": NaN, "big": 123456789012345678901234567890, "s": "\\u00e9"}'
    got = fastjson.loads(odd)
    assert math.isnan(got["vaf"]) and got["big"] == 123456789012345678901234567890 and got["s"] == "\u00e9"
    with pytest.raises(ValueError):
        fastjson.loads(b'{"cut": ')
    monkeypatch.setattr(fastjson, "_orjson", lambda: None)
    assert fastjson.loads(text) == json.loads(text)
