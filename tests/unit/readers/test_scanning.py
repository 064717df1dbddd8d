"""Byte-level scanning helpers: index record counts from real .tbi/.csi files, the line pre-filter
and BGZF/plain text reading."""

from __future__ import annotations

import gzip
import subprocess

import pysam
import pytest

from jakcli.errors import InputError
from jakcli.readers.scanning import (MAX_CLUSTER_GAP, cluster_gap, index_record_count, index_summary, may_overlap,
                                     overlaps, query_clusters, scan_spans, text_pieces, touches)
from jakcli.model import Build
from support import needs_tools, rec, write_vcf

RECORDS = [rec("chr1", 1000 + i, "C", "T", "0/1:5,5:10") for i in range(7)] + \
          [rec("chr9", 5073770 + i, "G", "T", "0/1:5,5:10") for i in range(5)]


@pytest.fixture
def bgzf_vcf(tmp_path):
    plain = write_vcf(tmp_path / "a.vcf", RECORDS, build=Build.GRCH38)
    gz = tmp_path / "a.vcf.gz"
    pysam.tabix_compress(str(plain), str(gz))
    return gz


@needs_tools("tabix")
def test_tbi_made_by_tabix_counts_every_record(bgzf_vcf):
    subprocess.run(["tabix", "-p", "vcf", str(bgzf_vcf)], check=True)
    total, firsts = index_summary(f"{bgzf_vcf}.tbi")
    assert total == index_record_count(f"{bgzf_vcf}.tbi") == 12
    assert len(firsts) == 2 and firsts[0] < firsts[1]  # tabix names only contigs with records


@needs_tools("bcftools")
def test_csi_made_by_bcftools_counts_and_orders_contigs(bgzf_vcf, tmp_path):
    subprocess.run(["bcftools", "index", "-c", str(bgzf_vcf)], check=True)
    total, firsts = index_summary(f"{bgzf_vcf}.csi")
    assert total == index_record_count(f"{bgzf_vcf}.csi") == 12
    assert len(firsts) == 2 and firsts[0] < firsts[1]  # a VCF's CSI names the contigs with records
    bcf = tmp_path / "a.bcf"
    subprocess.run(["bcftools", "view", "-Ob", "-o", str(bcf), str(bgzf_vcf)], check=True)
    subprocess.run(["bcftools", "index", str(bcf)], check=True)
    total, firsts = index_summary(f"{bcf}.csi")
    assert total == 12
    assert len(firsts) == 24  # a BCF's CSI has every ##contig of the header, in header order
    with_records = [(i, off) for i, off in enumerate(firsts) if off is not None]
    assert [i for i, _ in with_records] == [0, 8]  # chr1 and chr9
    assert with_records[0][1] < with_records[1][1]


REALDATA_BGZF = ["isaac_trio_hg19_with_PAR.vcf.gz", "pcgr_T001-COAD_GRCh38.vcf.gz"]


@pytest.mark.parametrize("name", REALDATA_BGZF)
def test_htslib_and_python_read_the_same_counts_and_order_from_a_real_tbi(name, tmp_path, monkeypatch):
    from support import REALDATA

    from jakcli.readers import htslib_index, scanning

    src = REALDATA / name
    if not src.exists():
        pytest.skip(f"{src} absent (../shared/realdata is beside the project in CI)")
    gz = tmp_path / name
    gz.write_bytes(src.read_bytes())
    pysam.tabix_index(str(gz), preset="vcf", force=True)
    by_htslib = htslib_index.tbi_summary(f"{gz}.tbi")
    assert by_htslib is not None, "pysam's htslib must be usable here"
    monkeypatch.setattr(htslib_index, "tbi_summary", lambda path: None)
    total, firsts = scanning.index_summary(f"{gz}.tbi")
    assert by_htslib[0] == total == sum(1 for _ in pysam.VariantFile(str(gz)))
    order = sorted(range(len(firsts)), key=lambda i: firsts[i])
    assert sorted(range(len(by_htslib[1])), key=lambda i: by_htslib[1][i]) == order


def test_an_index_that_is_not_one(tmp_path):
    junk = tmp_path / "x.tbi"
    junk.write_bytes(b"not an index")
    with pytest.raises(InputError, match="x.tbi: unreadable index"):
        index_record_count(str(junk))
    other = tmp_path / "y.tbi"
    other.write_bytes(gzip.compress(b"BAI\x01" + b"\0" * 40))
    with pytest.raises(InputError, match="y.tbi: not a tabix or CSI index"):
        index_record_count(str(other))
    cut = tmp_path / "z.tbi"
    cut.write_bytes(gzip.compress(b"TBI\x01" + (5).to_bytes(4, "little")))
    with pytest.raises(InputError, match="z.tbi: truncated index"):
        index_record_count(str(cut))
    corrupt = bytearray(gzip.compress(b"TBI\x01" * 30000))
    corrupt[30:40] = b"\0" * 10  # a damaged deflate stream (zlib.error / IsalError, not OSError)
    (tmp_path / "w.tbi").write_bytes(bytes(corrupt))
    with pytest.raises(InputError, match="w.tbi: unreadable index"):
        index_record_count(str(tmp_path / "w.tbi"))


def test_scan_spans_cover_every_spelling_of_a_target_contig():
    spans = scan_spans({"9": [(5073700, 5073800), (5000000, 5000010)], "MT": [(1, 10)]})
    for name in (b"9", b"chr9", b"Chr9", b"CHR9", b"cHr9", b"M", b"MT", b"chrM", b"chrMT", b"CHRM"):
        assert name in spans, name
    assert b"19" not in spans and b"chr19" not in spans and b"chrX" not in spans
    assert spans[b"chr9"] == ([5000000, 5073700], [5000010, 5073800])  # sorted by start


def _line(pos, ref="A", alt="C", info=".", chrom="chr9") -> bytes:
    return b"\t".join([chrom.encode(), str(pos).encode(), b".", ref.encode(), alt.encode(), b".", b"PASS",
                       info.encode(), b"GT", b"0/1"])


@pytest.mark.parametrize("line, expected", [
    (_line(5073700), True), (_line(5073800), True), (_line(5073750), True),
    (_line(5073699), False), (_line(5073801), False), (_line(6000000), False),
    (_line(5073690, ref="A" * 11), True),  # a deletion reaching into the region
    (_line(5073690, ref="A" * 10), False),  # ...or ending one base before it
    (_line(1000, alt="<DEL>"), True), (_line(1000, alt="A[chr2:5["), True), (_line(1000, alt="]chr2:5]A"), True),
    (_line(1000, info="END=5073750"), True), (_line(1000, info="DP=3;END=5073750"), True),
    (_line(1000, info="DP=3;XEND=5"), False),
    (b"chr9\tnotanumber\t.\tA\tC", True), (b"chr9\t100", True),  # malformed: htslib names the problem
])
def test_may_overlap(line, expected):
    spans = scan_spans({"9": [(5073700, 5073800)]})
    assert may_overlap(line, spans) is expected


@pytest.mark.parametrize("start0, stop0, expected", [
    (99, 100, True), (98, 99, False), (199, 200, True), (200, 201, False), (0, 1000, True),
])
def test_overlaps_half_open_against_one_based_inclusive(start0, stop0, expected):
    assert overlaps([(100, 200)], start0, stop0) is expected
    assert overlaps([], start0, stop0) is False


@pytest.mark.parametrize("start0, stop0", [(s, s + n) for s in range(90, 420, 7) for n in (1, 3, 40, 150)])
def test_touches_agrees_with_overlaps_on_sorted_regions(start0, stop0):
    regions = [(100, 120), (150, 150), (200, 260), (400, 410)]
    starts, ends = [s for s, _e in regions], [e for _s, e in regions]
    assert touches(starts, ends, start0, stop0) is overlaps(regions, start0, stop0)


def test_query_clusters_merge_only_gaps_up_to_the_limit():
    regions = [(100, 120), (131, 140), (152, 160), (1000, 1010)]
    assert query_clusters(regions, 0) == regions
    assert query_clusters(regions, 10) == [(100, 140), (152, 160), (1000, 1010)]
    assert query_clusters(regions, 11) == [(100, 160), (1000, 1010)]
    assert query_clusters(regions, 10**6) == [(100, 1010)]


def test_cluster_gap_shrinks_as_files_get_denser():
    assert cluster_gap(0) == cluster_gap(2_000) == MAX_CLUSTER_GAP  # a small VCF: one query a gene
    assert 5_000 < cluster_gap(5_000_000) < 10_000  # a WGS call set: ~one record a kb
    assert cluster_gap(300_000_000) < 200  # a base-resolution gVCF: about one query a region


def test_text_pieces_plain_and_bgzf(tmp_path, bgzf_vcf):
    plain = tmp_path / "a.vcf"
    text = plain.read_bytes()
    assert b"".join(text_pieces(str(plain), "a.vcf")) == text
    state = {}
    assert b"".join(text_pieces(str(bgzf_vcf), "a.vcf.gz", state)) == text
    assert state["blocks"] >= 2 and state["eof_marker"] is True  # data blocks + the empty EOF block


def test_text_pieces_refuses_plain_gzip_and_truncated_bgzf(tmp_path, bgzf_vcf):
    gz = tmp_path / "g.vcf.gz"
    gz.write_bytes(gzip.compress((tmp_path / "a.vcf").read_bytes()))
    with pytest.raises(InputError, match="g.vcf.gz: not BGZF at byte offset 0"):
        b"".join(text_pieces(str(gz), "g.vcf.gz"))
    cut = tmp_path / "cut.vcf.gz"
    cut.write_bytes(bgzf_vcf.read_bytes()[:-40])
    with pytest.raises(InputError, match="cut.vcf.gz: the BGZF data ends inside a block"):
        b"".join(text_pieces(str(cut), "cut.vcf.gz"))


@pytest.mark.parametrize("isal", [True, False], ids=["isa-l", "zlib"])
def test_text_pieces_inflate_alike_with_isal_or_zlib_and_name_a_corrupt_block(tmp_path, bgzf_vcf, monkeypatch,
                                                                              isal):
    """ISA-L is used when installed (jakcli[fast]); zlib otherwise: the same text, the same errors."""
    import sys

    if isal:
        pytest.importorskip("isal", reason="isal is in the test extra: pip install '.[test]'")
    else:
        monkeypatch.setitem(sys.modules, "isal", None)
    from jakcli.readers import scanning

    assert scanning._inflater().__name__ == ("isal.isal_zlib" if isal else "zlib")
    text = (tmp_path / "a.vcf").read_bytes()
    assert b"".join(text_pieces(str(bgzf_vcf), "a.vcf.gz")) == text
    raw = bytearray(bgzf_vcf.read_bytes())
    raw[40:60] = b"\xff" * 20  # inside the first block's deflate data
    bad = tmp_path / "bad.vcf.gz"
    bad.write_bytes(bytes(raw))
    with pytest.raises(InputError, match="bad.vcf.gz: (corrupt BGZF block|BGZF block size mismatch)"):
        b"".join(text_pieces(str(bad), "bad.vcf.gz"))
