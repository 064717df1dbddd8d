"""Cohort genotypes read from the record's text (the carrier screen) must give exactly the calls
that reading every sample through pysam gives."""

from __future__ import annotations

import random

import pytest

from jakcli.readers import records
from jakcli.readers.vcf import VcfReader
from support import write_vcf

GTS = ["0/0", "0/1", "1/1", "0|1", "1|0", ".|.", "./.", ".", "1", "0", "1/2", "2/2", "0/.", ".|1",
       "1|1|0", "0/1|2"]


def _calls(path, screen: bool, monkeypatch, carriers_only: bool = False) -> list:
    monkeypatch.setattr(records, "GT_SCREEN_MIN_SAMPLES", 1 if screen else 10**9)
    out = []
    with VcfReader(str(path)) as reader:
        names = list(reader.header.samples)
        picked = names[::2] + names[1::2]  # not in column order
        for raw in reader.fetch():
            variants, _skipped = raw.variants()
            for v in variants:
                out.append(raw.calls(v.allele_index, picked, carriers_only))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_screened_calls_equal_pysam_calls(tmp_path, seed, monkeypatch):
    rng = random.Random(seed)
    samples = [f"S{i}" for i in range(40)]
    lines = []
    for n in range(30):
        fields = []
        for _ in samples:
            gt = rng.choice(GTS)
            kind = rng.random()
            if kind < 0.1:
                fields.append(".")  # the whole sample column missing
            elif kind < 0.2:
                fields.append(gt)  # trailing fields dropped
            else:
                fields.append(f"{gt}:{rng.randint(0, 40)},{rng.randint(0, 40)},{rng.randint(0, 5)}:"
                              f"{rng.randint(0, 90)}")
        lines.append(["chr9", 5073770 + n, ".", "G", "T,C", ".", "PASS", ".", "GT:AD:DP", *fields])
    vcf = write_vcf(tmp_path / "c.vcf", lines, samples=samples)
    screened, plain = _calls(vcf, True, monkeypatch), _calls(vcf, False, monkeypatch)
    assert screened == plain
    carriers = [[c for c in calls if c.carries] for calls in plain]
    assert _calls(vcf, True, monkeypatch, True) == _calls(vcf, False, monkeypatch, True) == carriers
    assert sum(c.carries for calls in plain for c in calls) > 100


def test_gt_text_is_read_like_pysam_writes_it():
    assert records._gt_of_text("0|1") == ((0, 1), "0|1")
    assert records._gt_of_text("./.") == ((None, None), "./.")
    assert records._gt_of_text("10/11") == ((10, 11), "10/11")
    assert records._gt_of_text("0/1|2")[0] is None and records._gt_of_text("|0|1")[0] is None
