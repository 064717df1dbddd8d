"""Issue 16: interval files named in a VCF header (GATK -L/-XL, bcftools -R/-T) are found and read;
a file found nowhere leaves loci not-assessed with where jakcli looked; a record at a locus shows the
caller's intervals included it."""

from __future__ import annotations

import gzip
import shutil

import pytest

from jakcli.classify import Options, classify
from jakcli.model import Build
from support import rec, write_vcf
from support.bam import V617F_POS


def _gatk(args: str) -> str:
    return f'##GATKCommandLine=<ID=Mutect2,CommandLine="Mutect2 --input t.bam {args} --output o.vcf",Version="4.2">'


def _loci(rep: dict) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for e in rep["samples"][0]["loci"]:
        out.setdefault(e["rule_id"], e)
    return out


def _vcf(tmp_path, build, header, records=None):
    p = "chr" if build is Build.GRCH38 else ""
    records = records if records is not None else [rec(f"{p}9", 5080000, "A", "G", "0/1:50,50:100")]
    return write_vcf(tmp_path / "s.vcf", records, build=build, chr_prefix=build is Build.GRCH38,
                     extra_header=(header,))


BUILDS = pytest.mark.parametrize("build", [Build.GRCH37, Build.GRCH38])
JAK2_ONLY = ("9", 5000000, 5200000)  # 1-based closed


def _run(vcf, build, **kw):
    return _loci(classify([str(vcf)], Options(build=build.value, **kw)))


@BUILDS
@pytest.mark.parametrize("name,text", [
    ("chr9.interval_list", "@HD\tVN:1.6\n@SQ\tSN:chr9\tLN:138394717\nchr9\t5000000\t5200000\t+\tjak2\n"),
    ("panel.intervals", "chr9:5000000-5200000\n"),
    ("panel.list", "9:5,000,000-5,200,000\n"),
    ("panel.bed", "track name=x\nchr9\t4999999\t5200000\tJAK2\n"),
    ("panel.bed.gz", None),
])
def test_interval_file_beside_the_vcf_is_read(tmp_path, build, name, text):
    if text is None:
        with gzip.open(tmp_path / name, "wt") as fh:
            fh.write("chr9\t4999999\t5200000\n")
    else:
        (tmp_path / name).write_text(text)
    loci = _run(_vcf(tmp_path, build, _gatk(f"--intervals {name}")), build)
    assert loci["jak2-v617f"]["status"] == "no-depth-evidence"
    assert loci["il7r-s185c"]["status"] == "not-assessed"
    assert "outside the regions kept" in loci["il7r-s185c"]["note"]
    assert f"{name} read from {tmp_path / name}" in loci["il7r-s185c"]["note"]


@BUILDS
def test_an_interval_file_read_is_an_input_of_the_report(tmp_path, build):
    """What decided 'not-assessed' is recorded with its checksum, so the result can be reproduced."""
    import hashlib

    (tmp_path / "panel.intervals").write_text("chr9:5000000-5200000\n")
    vcf = _vcf(tmp_path, build, _gatk("--intervals panel.intervals"))
    rep = classify([str(vcf)], Options(build=build.value))
    files = [i for i in rep["inputs"] if i["kind"] == "interval-file"]
    assert files == [{"path": str(tmp_path / "panel.intervals"), "kind": "interval-file",
                      "sha256": hashlib.sha256(b"chr9:5000000-5200000\n").hexdigest()}]
    ignored = classify([str(vcf)], Options(build=build.value, ignore_header_regions=True))
    assert not [i for i in ignored["inputs"] if i["kind"] == "interval-file"]


@BUILDS
def test_bcftools_regions_file_bed_and_one_based_tab_file(tmp_path, build):
    (tmp_path / "t.bed").write_text("chr9\t5073769\t5073770\n")  # exactly V617F, 0-based
    head = "##bcftools_viewCommand=view -R t.bed in.vcf.gz; Date=Thu Nov 26 2026"
    loci = _run(_vcf(tmp_path, build, head), build)
    assert loci["jak2-v617f"]["status"] == "no-depth-evidence"
    assert loci["il7r-s185c"]["status"] == "not-assessed"
    (tmp_path / "t.tsv").write_text(f"9\t{V617F_POS + 1}\n")  # one base after V617F, 1-based
    head = "##bcftools_viewCommand=view -T t.tsv in.vcf.gz; Date=Thu Nov 26 2026"
    loci = _run(_vcf(tmp_path, build, head), build)
    assert loci["jak2-v617f"]["status"] == "not-assessed"


@BUILDS
def test_missing_file_says_where_jakcli_looked_and_how_to_fix(tmp_path, build):
    vcf = _vcf(tmp_path, build, _gatk("-L scatter-0003.interval_list"))
    loci = _run(vcf, build)
    note = loci["il7r-s185c"]["note"]
    assert loci["il7r-s185c"]["status"] == "not-assessed"
    assert "scatter-0003.interval_list (not found; looked in" in note and str(tmp_path) in note
    assert "--header-regions-dir" in note and "--ignore-header-regions" in note
    other = tmp_path / "lists"
    other.mkdir()
    (other / "scatter-0003.interval_list").write_text("chr5\t1\t50000000\t+\tx\n")
    loci = _run(vcf, build, header_regions_dirs=(str(other),))
    assert loci["il7r-s185c"]["status"] == "no-depth-evidence"
    assert loci["jak2-v617f"]["status"] == "not-assessed"


@BUILDS
def test_exclude_intervals_and_padding(tmp_path, build):
    (tmp_path / "a.interval_list").write_text(f"chr9\t{V617F_POS + 10}\t{V617F_POS + 20}\t+\tx\n")
    (tmp_path / "x.bed").write_text("chr5\t1\t50000000\n")
    assert _run(_vcf(tmp_path, build, _gatk("-L a.interval_list")), build)["jak2-v617f"]["status"] == "not-assessed"
    padded = _run(_vcf(tmp_path, build, _gatk("-L a.interval_list -ip 10")), build)
    assert padded["jak2-v617f"]["status"] == "no-depth-evidence"
    loci = _run(_vcf(tmp_path, build, _gatk("-L chr5 -L chr9 -XL x.bed")), build)
    assert loci["jak2-v617f"]["status"] == "no-depth-evidence"
    assert loci["il7r-s185c"]["status"] == "not-assessed" and "excluded by" in loci["il7r-s185c"]["note"]


@BUILDS
def test_interval_set_rule_intersection_with_files(tmp_path, build):
    (tmp_path / "a.bed").write_text("chr9\t1\t6000000\n")
    (tmp_path / "b.bed").write_text("chr9\t5070000\t5080000\n")
    head = _gatk("-L a.bed -L b.bed --interval-set-rule INTERSECTION")
    loci = _run(_vcf(tmp_path, build, head), build)
    assert loci["jak2-v617f"]["status"] == "no-depth-evidence"
    (tmp_path / "b.bed").write_text("chr9\t5100000\t5200000\n")
    assert _run(_vcf(tmp_path, build, head), build)["jak2-v617f"]["status"] == "not-assessed"


@BUILDS
def test_a_record_at_the_locus_lifts_an_unreadable_restriction(tmp_path, build):
    p = "chr" if build is Build.GRCH38 else ""
    filtered = rec(f"{p}9", V617F_POS, "G", "T", "0/1:99,1:100", filt="LowQual")
    loci = _run(_vcf(tmp_path, build, _gatk("-L missing.interval_list"), [filtered]), build)
    v = loci["jak2-v617f"]  # the filtered record's depth (100) is below V617F's min_depth
    assert (v["status"], v["source"], v["depth"]) == ("low-coverage", "vcf-record", 100)
    assert "a VCF record overlaps this locus" in v["note"] and "missing.interval_list" in v["note"]
    assert v["detection_limit_vaf"] is not None
    assert loci["il7r-s185c"]["status"] == "not-assessed"
    deep = rec(f"{p}9", V617F_POS, "G", "T", "0/1:1999,1:2000", filt="LowQual")
    assert _run(_vcf(tmp_path, build, _gatk("-L missing.interval_list"), [deep]), build)[
        "jak2-v617f"]["status"] == "assessed"
    no_depth = rec(f"{p}9", V617F_POS, "G", ".", "0/0", fmt="GT")  # a reference-only site, no depth
    v = _run(_vcf(tmp_path, build, _gatk("-L missing.interval_list"), [no_depth]), build)["jak2-v617f"]
    assert (v["status"], v["source"]) == ("no-depth-evidence", "vcf+vcf-record")


@BUILDS
def test_a_reported_call_is_credited_once_by_the_call(tmp_path, build):
    p = "chr" if build is Build.GRCH38 else ""
    call = rec(f"{p}9", V617F_POS, "G", "T", "0/1:50,50:100")
    v = _run(_vcf(tmp_path, build, _gatk("-L missing.interval_list"), [call]), build)["jak2-v617f"]
    assert (v["status"], v["source"], v["depth"]) == ("assessed", "vcf-call", 100)


def test_real_mutect2_interval_list_found_beside_the_vcf(realdata, tmp_path):
    vcf = tmp_path / "somatic.vcf"
    shutil.copy(realdata / "mutect2_WP043_JAK2_GRCh37.vcf", vcf)
    before = _loci(classify([str(vcf)], Options(profile="mpn")))
    assert before["jak2-v617f"]["source"] == "vcf-call"  # the call credits its own locus
    assert "chr9.interval_list (not found; looked in" in before["calr-exon9-frameshift"]["note"]
    (tmp_path / "chr9.interval_list").write_text("@HD\tVN:1.6\n@SQ\tSN:chr9\tLN:141213431\n"
                                                 "chr9\t1\t141213431\t+\tchr9\n")
    after = _loci(classify([str(vcf)], Options(profile="mpn")))
    assert after["jak2-v617f"]["status"] == "assessed"
    assert after["jak2-exon12-indel"]["status"] == "no-depth-evidence"
    assert "outside the regions kept" in after["calr-exon9-frameshift"]["note"]
