"""The same variant in two records of one sample (overlapping scatter chunks joined without
``bcftools concat -D``): one finding; when the records disagree, a warning names both values instead
of dropping the second silently. Built from the real Mutect2 JAK2 file (../shared/realdata)."""

from __future__ import annotations

from jakcli.classify import Options, classify


def _twice(realdata, tmp_path, second: str) -> str:
    text = (realdata / "mutect2_WP043_JAK2_GRCh37.vcf").read_text()
    (v617f,) = [x for x in text.splitlines() if "\t5073770\t" in x]
    path = tmp_path / "twice.vcf"
    path.write_text(text + v617f.replace("0/1:130,35:0.241:165", second) + "\n")
    return str(path)


def test_disagreeing_duplicate_is_named(realdata, tmp_path):
    rep = classify([_twice(realdata, tmp_path, "0/1:120,45:0.27:165")], Options())
    (f,) = rep["samples"][0]["findings"]
    assert (f["alt_reads"], f["depth"]) == (35, 165)
    (w,) = [w for w in rep["warnings"] if "two records that disagree" in w]
    assert "VAF 0.2121, depth 165 reported; VAF 0.2727, depth 165 not" in w


def test_identical_duplicate_is_one_finding_without_warning(realdata, tmp_path):
    rep = classify([_twice(realdata, tmp_path, "0/1:130,35:0.241:165")], Options())
    assert len(rep["samples"][0]["findings"]) == 1
    assert not [w for w in rep["warnings"] if "two records" in w]
