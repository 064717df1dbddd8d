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
