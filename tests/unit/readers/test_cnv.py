"""Copy-number readers: every format from fixtures with real headers; malformed input errors."""

import gzip
from pathlib import Path

import pytest

from jakcli.errors import InputError
from jakcli.model import Build
from jakcli.readers.cnv import read_segments, segments_for

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "cnv"


@pytest.mark.parametrize("name, fmt, version, n, first_start", [
    ("cnvkit_ikzf1plus_grch38.cns", "cnvkit", "cns", 10, 10001),      # 0-based -> +1
    ("cnvkit_erg_grch37.call.cns", "cnvkit", "call.cns", 3, 50330001),
    ("cnvkit_jak2_grch38.cnr", "cnvkit", "cnr", 2, 5050686),
    ("gatk_ikzf1plus_grch37.modelFinal.seg", "gatk", "modelFinal", 5, 50300000),
    ("gatk_par1_jak2amp_grch38.called.seg", "gatk", "called", 4, 10001),
    ("gatk_ikzf1_d47_grch38.cr.seg", "gatk", "cr", 1, 50370000),
    ("dnacopy_two_samples_grch38.seg", "seg", "dnacopy", 4, 21900000),
    ("gatk_legacy_pax5_grch37.igv.seg", "seg", "igv", 1, 36800000),
    ("purple_male/PT-20.purple.cnv.somatic.tsv", "purple", "somatic", 5, 1),
    ("purple_male/PT-20.purple.cnv.gene.tsv", "purple", "gene", 1, 21967752),
    ("ascat_grch37.segments.txt", "ascat", "segments", 3, 4900000),
    ("generic_jak2_loss_grch38.tsv", "generic", "1", 1, 4980000),
])
def test_each_format_recognised_from_its_header(name, fmt, version, n, first_start):
    f = read_segments(str(FIX / name))
    assert (f.format, f.version, len(f.segments)) == (fmt, version, n)
    assert f.segments[0].start == first_start
    assert f.segments[0].line >= 2


def test_gatk_header_gives_sample_build_and_call():
    f = read_segments(str(FIX / "gatk_par1_jak2amp_grch38.called.seg"))
    assert f.samples() == ("PT-02",) and f.build == Build.GRCH38
    assert [s.call for s in f.segments] == ["0", "-", "0", "+"]
    g = read_segments(str(FIX / "gatk_ikzf1plus_grch37.modelFinal.seg"))
    assert g.build == Build.GRCH37 and g.segments[0].log2 == -1.02  # posterior median
    with pytest.raises(InputError, match="GRCh37.*run is GRCh38"):
        read_segments(str(FIX / "gatk_ikzf1plus_grch37.modelFinal.seg"), build=Build.GRCH38)


def test_purple_purity_file_beside_gives_purity_ploidy_sex():
    f = read_segments(str(FIX / "purple_male/PT-20.purple.cnv.somatic.tsv"))
    assert (f.purity, f.ploidy, f.sex) == (0.75, 1.8658, "male")
    assert f.segments[1].copy_number == 1.02 and f.segments[1].log2 is None
    a = read_segments(str(FIX / "ascat_grch37.segments.txt"))
    assert [s.copy_number for s in a.segments] == [9.0, 0.0, 1.0]  # nMajor + nMinor


def test_missing_values_are_counted_not_dropped_silently():
    f = read_segments(str(FIX / "cnvkit_ikzf1plus_grch38.cns"))
    assert sum(f.skipped.values()) == 1 and "written as missing" in next(iter(f.skipped))


def test_multi_sample_seg_grouped_and_sample_attribution():
    f = read_segments(str(FIX / "dnacopy_two_samples_grch38.seg"))
    assert set(f.by_sample()) == {"PT-10", "PT-11"}
    only = read_segments(str(FIX / "dnacopy_two_samples_grch38.seg"), sample="PT-11")
    assert only.samples() == ("PT-11",) and len(only.segments) == 2
    with pytest.raises(InputError, match="SAMPLE=PATH"):
        read_segments(str(FIX / "dnacopy_two_samples_grch38.seg"), sample="PT-99")
    renamed = read_segments(str(FIX / "gatk_ikzf1_d47_grch38.cr.seg"), sample="PATIENT-3")
    assert renamed.samples() == ("PATIENT-3",)  # SAMPLE=PATH wins over @RG SM
    unnamed = read_segments(str(FIX / "cnvkit_jak2_grch38.cnr"))
    assert set(segments_for(unnamed, ["S1"])) == {"S1"}
    with pytest.raises(InputError, match="give it as SAMPLE=PATH"):
        segments_for(unnamed, ["S1", "S2"])


def test_gzip_is_read(tmp_path):
    p = tmp_path / "x.cns.gz"
    p.write_bytes(gzip.compress((FIX / "cnvkit_jak2_grch38.cnr").read_bytes()))
    assert len(read_segments(str(p)).segments) == 2


@pytest.mark.parametrize("body, message", [
    ("chromosome\tstart\tend\tgene\tlog2\nchr9\tabc\t10\tJAK2\t1.0\n", "line 2: column start is 'abc'"),
    ("chromosome\tstart\tend\tgene\tlog2\nchr9\t100\t10\tJAK2\t1.0\n", "line 2: end 10 is before start 101"),
    ("chromosome\tstart\tend\tgene\tlog2\nchr9\t100\t200\tJAK2\thigh\n", "line 2: column log2 is 'high'"),
    ("chromosome\tstart\tend\tgene\tlog2\nchr9\t100\n", "line 2: has 2 columns"),
    ("foo\tbar\n1\t2\n", "line 1: unknown copy-number format"),
    ("", "empty"),
    ("@HD\tVN:1.6\n@SQ\tSN:chr9\tLN:x\nCONTIG\tSTART\tEND\tMEAN_LOG2_COPY_RATIO\n", "line 2: @SQ line without a numeric LN"),
    # non-finite values and positions before base 1 (review, session 4)
    ("chromosome\tstart\tend\tgene\tlog2\tdepth\tprobes\nchr9\t100\t200\tJAK2\t-1\t1\tinf\n",
     "line 2: column probes is 'inf'"),
    ("chromosome\tstart\tend\tgene\tlog2\nchr9\t100\t200\tJAK2\tinf\n", "line 2: column log2 is 'inf'"),
    ("chrom\tstart\tend\tlog2\n9\t100\t200\t1e400\n", "line 2: column log2 is '1e400'"),
    ("chromosome\tstart\tend\tgene\tlog2\nchr9\t-5\t200\tJAK2\t-1\n", "line 2: column start is '-5'"),
    ("chrom\tstart\tend\tlog2\n9\t0\t200\t-1\n", "line 2: column start is '0'"),
    ("chrom\tstart\tend\tlog2\n9\t1\t1e400\t-1\n", "line 2: column end is '1e400'"),
])
def test_malformed_input_is_one_line_input_error(tmp_path, body, message):
    p = tmp_path / "bad.tsv"
    p.write_text(body)
    with pytest.raises(InputError) as exc:
        read_segments(str(p))
    assert message in str(exc.value) and "\n" not in str(exc.value) and str(p) in str(exc.value)


def test_missing_file():
    with pytest.raises(InputError, match="file not found"):
        read_segments(str(FIX / "nope.cns"))


@pytest.mark.parametrize("content", [b"\xff\xfe\n\xff\n", None])
def test_unreadable_purple_purity_file_is_an_input_error(tmp_path, content):
    (tmp_path / "S.purple.cnv.somatic.tsv").write_text("chromosome\tstart\tend\tcopyNumber\n7\t1\t5\t1\n")
    purity = tmp_path / "S.purple.purity.tsv"
    if content is None:
        purity.mkdir()  # a directory where the file should be
    else:
        purity.write_bytes(content)
    with pytest.raises(InputError) as exc:
        read_segments(str(tmp_path / "S.purple.cnv.somatic.tsv"))
    assert str(purity) in str(exc.value) and "\n" not in str(exc.value)


def test_igv_track_and_type_lines_above_the_header_are_skipped(tmp_path):
    p = tmp_path / "s.seg"
    p.write_text("#type=COPY_NUMBER\n#track graphType=heatmap name=cn\n"
                 "ID\tchrom\tloc.start\tloc.end\tnum.mark\tseg.mean\nS1\t7\t100\t200\t5\t-1\n")
    f = read_segments(str(p))
    assert (f.format, f.version, len(f.segments), f.segments[0].line) == ("seg", "dnacopy", 1, 4)
