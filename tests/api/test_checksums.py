"""Input checksums: large unchanged files are hashed once; depth sources are recorded in reports."""

from __future__ import annotations

import hashlib
import os

import pytest

from support.bam import V617F_POS, spanning, write_bam

from jakcli import checksums
from jakcli.classify import Options, classify


@pytest.fixture
def cache(jakcli_cache, monkeypatch):
    monkeypatch.setattr(checksums, "REMEMBER_FROM_BYTES", 1000)
    return jakcli_cache / "checksums"


def _no_hashing(monkeypatch):
    def refuse(path, algorithm="sha256"):
        raise AssertionError(f"{path} was hashed again")
    monkeypatch.setattr(checksums, "file_digest", refuse)


def test_a_large_unchanged_file_is_hashed_once(tmp_path, cache, monkeypatch):
    big = tmp_path / "big.bam"
    big.write_bytes(os.urandom(5000))
    want = hashlib.sha256(big.read_bytes()).hexdigest()
    assert checksums.file_checksum(str(big)) == want
    assert len(list(cache.iterdir())) == 1
    _no_hashing(monkeypatch)
    assert checksums.file_checksum(str(big)) == want  # from the cache


def test_any_write_to_the_file_means_hashing_again(tmp_path, cache):
    big = tmp_path / "big.bam"
    big.write_bytes(b"A" * 5000)
    before = os.stat(big)
    first = checksums.file_checksum(str(big))
    with open(big, "r+b") as fh:  # same size, same mtime put back: only the ctime tells
        fh.write(b"B")
    os.utime(big, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert checksums.file_checksum(str(big)) == hashlib.sha256(b"B" + b"A" * 4999).hexdigest() != first


def test_small_files_damaged_entries_and_no_cache(tmp_path, cache, monkeypatch):
    small = tmp_path / "small.vcf"
    small.write_bytes(b"x" * 10)
    assert checksums.file_checksum(str(small)) == hashlib.sha256(b"x" * 10).hexdigest()
    assert not cache.exists()  # small files are always hashed
    big = tmp_path / "big.bam"
    big.write_bytes(b"C" * 5000)
    checksums.file_checksum(str(big))
    (entry,) = cache.iterdir()
    entry.write_text('{"identity": "x", "sha256": "nonsense"}')
    assert checksums.file_checksum(str(big)) == hashlib.sha256(b"C" * 5000).hexdigest()
    monkeypatch.setenv("JAKCLI_NO_CACHE", "1")
    _no_hashing(monkeypatch)
    with pytest.raises(AssertionError, match="hashed again"):
        checksums.file_checksum(str(big))


def test_report_inputs_record_the_alignment_file_with_its_sha256(tmp_path):
    bam = write_bam(tmp_path / "pt.bam", spanning(V617F_POS, 200, alt_every=10))
    rep = classify([], Options(build="GRCh38"), alignments=[str(bam)])
    (entry,) = [i for i in rep["inputs"] if i["kind"] == "alignments:bam"]
    assert entry == {"path": str(bam), "kind": "alignments:bam",
                     "sha256": hashlib.sha256(bam.read_bytes()).hexdigest()}


def test_report_inputs_record_coverage_and_targets_files(tmp_path):
    bam = write_bam(tmp_path / "pt.bam", spanning(V617F_POS, 200, alt_every=10))
    bed = tmp_path / "panel.bed"
    bed.write_text(f"chr9\t{V617F_POS - 100}\t{V617F_POS + 100}\n")
    rep = classify([], Options(build="GRCh38", targets=str(bed)), alignments=[str(bam)], coverage=[f"PT1={bed}"])
    kinds = {i["kind"]: i["sha256"] for i in rep["inputs"]}
    digest = hashlib.sha256(bed.read_bytes()).hexdigest()
    assert kinds["targets"] == kinds["coverage"] == digest and "alignments:bam" in kinds


def test_blake3_digest_names_its_algorithm_in_every_input(tmp_path):
    blake3 = pytest.importorskip("blake3", reason="blake3 is in the test extra: pip install '.[test]'")
    from support import V617F_38, rec, write_vcf

    vcf = write_vcf(tmp_path / "v.vcf", [rec(*V617F_38, "0/1:60,40:100")], samples=("PT1",))
    bam = write_bam(tmp_path / "pt.bam", spanning(V617F_POS, 200, alt_every=10))
    rep = classify([str(vcf)], Options(digest="blake3"), alignments=[str(bam)])
    assert [sorted(i) for i in rep["inputs"]] == [["blake3", "kind", "path"]] * 2
    for i in rep["inputs"]:
        assert i["blake3"] == blake3.blake3(open(i["path"], "rb").read()).hexdigest()


def test_blake3_without_its_package_is_one_clear_line(tmp_path, monkeypatch):
    import sys

    from jakcli.errors import InputError
    from support import V617F_38, rec, write_vcf

    monkeypatch.setitem(sys.modules, "blake3", None)  # import blake3 -> ImportError
    vcf = write_vcf(tmp_path / "v.vcf", [rec(*V617F_38, "0/1:60,40:100")])
    with pytest.raises(InputError, match=r"pip install 'jakcli\[blake3\]'"):
        classify([str(vcf)], Options(digest="blake3"))


def test_the_cache_keeps_each_algorithm_of_a_file(tmp_path, cache, monkeypatch):
    pytest.importorskip("blake3", reason="blake3 is in the test extra")
    big = tmp_path / "big.bam"
    big.write_bytes(b"D" * 5000)
    a = checksums.file_checksum(str(big), "sha256")
    b = checksums.file_checksum(str(big), "blake3")
    _no_hashing(monkeypatch)
    assert (checksums.file_checksum(str(big), "sha256"), checksums.file_checksum(str(big), "blake3")) == (a, b)
