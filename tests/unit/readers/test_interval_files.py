"""Interval files named in VCF headers: found (beside the VCF, cwd, --header-regions-dir) and read
(interval_list, .intervals/.list, BED, bcftools tab files, VCF as intervals, gzip)."""

from __future__ import annotations

import gzip

import pytest

from jakcli.errors import InputError
from jakcli.readers.header_regions import parse_header_restrictions
from jakcli.readers.interval_files import find_interval_file, read_interval_file, resolve_restriction
from support import rec, write_vcf

V617F = ("9", 5073770, 5073770)


def test_interval_list_is_one_based_closed_and_bed_zero_based(tmp_path):
    il = tmp_path / "a.interval_list"
    il.write_text("@HD\tVN:1.6\n@SQ\tSN:chr9\tLN:1000\nchr9\t100\t200\t+\ttarget_1\n")
    assert read_interval_file(str(il)) == [("9", 100, 200)]
    bed = tmp_path / "a.bed"
    bed.write_text("browser position chr9\n#c\nchr9\t99\t200\tx\n")
    assert read_interval_file(str(bed)) == [("9", 100, 200)]
    gz = tmp_path / "b.bed.gz"
    with gzip.open(gz, "wt") as fh:
        fh.write("chr9\t99\t200\n")
    assert read_interval_file(str(gz)) == [("9", 100, 200)]


def test_gatk_list_and_bcftools_tab_files(tmp_path):
    lst = tmp_path / "a.list"
    lst.write_text("chr9:100-200\nchrX\nchr1:5\n")
    assert read_interval_file(str(lst)) == [("9", 100, 200), ("X", 1, 1 << 62), ("1", 5, 5)]
    tab = tmp_path / "r.txt"
    tab.write_text("chr9\t100\nchr9\t150\t300\n")
    assert read_interval_file(str(tab), bcftools=True) == [("9", 100, 100), ("9", 150, 300)]


def test_vcf_as_intervals_uses_each_record_span(tmp_path):
    vcf = write_vcf(tmp_path / "sites.vcf", [rec("chr9", 100, "ACG", "A", "0/1:5,5:10")])
    assert read_interval_file(str(vcf)) == [("9", 100, 102)]


def test_malformed_line_is_an_input_error_naming_file_and_line(tmp_path):
    bad = tmp_path / "bad.bed"
    bad.write_text("chr9\t1\t100\nchr9\tten\t200\n")
    with pytest.raises(InputError, match=r"bad.bed: line 2: not an interval"):
        read_interval_file(str(bad))


def test_search_order_vcf_dir_then_cwd_then_dirs(tmp_path, monkeypatch):
    run, elsewhere, cwd = (tmp_path / d for d in ("run", "lists", "cwd"))
    for d in (run, elsewhere, cwd):
        d.mkdir()
    monkeypatch.chdir(cwd)
    vcf = str(run / "s.vcf")
    found, looked = find_interval_file("x.interval_list", vcf, (str(elsewhere),))
    assert found is None and looked[:2] == [str(run / "x.interval_list"), str(cwd / "x.interval_list")]
    (elsewhere / "x.interval_list").write_text("chr9\t1\t10\t+\tx\n")
    assert find_interval_file("/workspace/gone/x.interval_list", vcf, (str(elsewhere),))[0] == str(
        elsewhere / "x.interval_list")
    (run / "x.interval_list").write_text("chr9\t1\t10\t+\tx\n")
    assert find_interval_file("x.interval_list", vcf, (str(elsewhere),))[0] == str(run / "x.interval_list")
    assert find_interval_file("/workspace/gone/x.interval_list", vcf)[0] is None  # absolute: never guessed


def test_resolved_restriction_unions_files_with_padding(tmp_path):
    (tmp_path / "a.interval_list").write_text("chr9\t5073780\t5073790\t+\tx\n")
    line = ('##GATKCommandLine=<ID=Mutect2,CommandLine="Mutect2 -L a.interval_list -L chr1 -ip 10 '
            '-XL gone.bed",Version="4">')
    r, used = resolve_restriction(parse_header_restrictions([line]), str(tmp_path / "s.vcf"))
    assert used == [f"a.interval_list read from {tmp_path / 'a.interval_list'} (1 interval)"]
    assert r.steps[0].include == (("1", 1, 1 << 62), ("9", 5073770, 5073800))
    assert r.unreadable_files()[0].startswith(f"gone.bed (not found; looked in {tmp_path / 'gone.bed'}")
    assert "which jakcli cannot read" in r.why_not_assessed(*V617F)
