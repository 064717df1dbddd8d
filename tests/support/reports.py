"""Real classify reports of the bundled sample data (both genome builds), computed once per test
session; every call returns a fresh deep copy, so a test may edit its report."""

from __future__ import annotations

import copy
from functools import cache

from jakcli.classify import classify
from jakcli.model import Options
from support.paths import COHORT, SAMPLE_DATA, SINGLE37

FUSIONS38 = f"BALL_CRLF2_JAK2={SAMPLE_DATA / 'BALL_CRLF2_JAK2.arriba.fusions.tsv'}"
SV38 = f"BALL_CRLF2_JAK2={SAMPLE_DATA / 'BALL_CRLF2_JAK2.manta.somaticSV.vcf'}"


@cache
def _report38() -> dict:
    return classify([str(COHORT)], Options(), fusions=[FUSIONS38], svs=[SV38])


@cache
def _report37() -> dict:
    return classify([str(SINGLE37)], Options(profile="mpn"))


def report38() -> dict:
    """GRCh38 cohort (9 samples) with RNA fusion and DNA SV input for BALL_CRLF2_JAK2."""
    return copy.deepcopy(_report38())


def report37() -> dict:
    """GRCh37 single sample (VEP-annotated), mpn profile."""
    return copy.deepcopy(_report37())


REPORTS = {"GRCh38": report38, "GRCh37": report37}


def one_sample(report: dict, name: str) -> dict:
    return {**report, "samples": [s for s in report["samples"] if s["sample"] == name]}
