"""Region restrictions read from bcftools / GATK header lines (issue 16)."""

from __future__ import annotations

import shutil
import subprocess

import pysam
import pytest

from jakcli.readers.header_regions import parse_header_restrictions, parse_region_list

V617F = ("9", 5073770, 5073770)  # same coordinate in GRCh37 and GRCh38
MPL_W515_38 = ("1", 43349337, 43349339)
MPL_W515_37 = ("1", 43815008, 43815010)
CALR_EXON9_37 = ("19", 13054527, 13054727)


def _why(lines, locus):
    return parse_header_restrictions(lines).why_not_assessed(*locus)


# as written by bcftools 1.16 (``bcftools view -r chr9 cohort.vcf.gz``)
VIEW_R_CHR9 = "##bcftools_viewCommand=view -r chr9 sample_data/cohort_grch38.vcf.gz; Date=Thu Nov 26 15:24:50 2026"


def test_bcftools_r_chr9_keeps_chr9_only_in_both_spellings():
    r = parse_header_restrictions(["##bcftools_viewVersion=1.16+htslib-1.16", VIEW_R_CHR9])
    assert r.restricted
    assert r.why_not_assessed(*V617F) is None
    assert r.why_not_assessed("chr9", 5073770, 5073772) is None
    why = r.why_not_assessed(*MPL_W515_38)
    assert "outside the regions kept by ##bcftools_viewCommand (view -r chr9" in why


def test_no_restriction_lines():
    r = parse_header_restrictions(["##fileformat=VCFv4.2", "##bcftools_normCommand=norm -f ref.fa in.vcf; Date=x",
                                   "##bcftools_sortCommand=sort -T /tmp/x -Oz; Date=x"])
    assert not r.restricted and r.why_not_assessed(*MPL_W515_37) is None


@pytest.mark.parametrize("cmd", ["view --regions chr9:5000000-5100000,chr1 in.vcf.gz",
                                 "view --regions=chr9:5000000-5100000,1 in.vcf.gz",
                                 "view -rchr9:5000000-5100000,chr1 in.vcf.gz",
                                 "filter -i 'QUAL>30' -t chr9:5000000-5100000,chr1 in.vcf.gz"])
def test_region_lists_and_option_spellings(cmd):
    lines = [f"##bcftools_{cmd.split()[0]}Command={cmd}; Date=Mon Jan 1 2024"]
    assert _why(lines, V617F) is None
    assert _why(lines, MPL_W515_37) is None  # chr1 whole
    assert _why(lines, ("9", 5200000, 5200000)) is not None  # chr9 outside the range
    assert _why(lines, CALR_EXON9_37) is not None


def test_region_file_cannot_be_read_so_everything_is_not_assessed():
    lines = ["##bcftools_viewCommand=view -R bed/panel_fixed.bed -O v -o S5.panel.vcf S5.final.vcf.gz; Date=Tue Jun 16 18:54:40 2026"]
    r = parse_header_restrictions(lines)
    assert "bed/panel_fixed.bed, which jakcli cannot read" in r.why_not_assessed(*V617F)
    assert r.unreadable_files() == ["bed/panel_fixed.bed"]


def test_targets_exclusion_with_caret():
    lines = ["##bcftools_viewCommand=view -t ^chr1,chr2:100-200 in.vcf.gz; Date=x"]
    assert _why(lines, V617F) is None
    assert "excluded by" in _why(lines, MPL_W515_38)
    assert _why(lines, ("2", 150, 150)) is not None and _why(lines, ("2", 201, 201)) is None


def test_chained_commands_intersect():
    lines = ["##bcftools_viewCommand=view -r chr9,chr1 in.vcf.gz; Date=a",
             "##bcftools_annotateCommand=annotate -x INFO -r chr9:5000000-5100000 x.vcf.gz; Date=b"]
    assert _why(lines, V617F) is None
    assert "annotateCommand" in _why(lines, MPL_W515_38)  # chr1 kept by the first, not the second


def test_gatk4_intervals_padding_and_exclusion():
    line = ('##GATKCommandLine=<ID=Mutect2,CommandLine="Mutect2 --tumor-sample T --output t.vcf.gz '
            '--intervals chr9:5,073,700-5,073,800 --intervals chr1:43349000-43350000 '
            '--exclude-intervals chr1:43349338 --interval-padding 10 --interval-set-rule UNION '
            '--input t.bam --reference Homo_sapiens_assembly38.fasta",Version="4.2.0.0",Date="x">')
    assert _why([line], V617F) is None
    assert _why([line], ("9", 5073805, 5073805)) is None  # padded by 10
    assert _why([line], ("9", 5073811, 5073811)) is not None
    assert "excluded by ##GATKCommandLine (Mutect2)" in _why([line], MPL_W515_38)


def test_gatk4_scatter_interval_list_is_unreadable():
    line = ('##GATKCommandLine=<ID=HaplotypeCaller,CommandLine="HaplotypeCaller --emit-ref-confidence GVCF '
            '--output x.g.vcf.gz --intervals /cromwell-executions/VariantCall/call-HaplotypeCaller/shard-20/'
            'inputs/0020-scattered.interval_list --input x.bam",Version="4.1.0.0",Date="x">')
    assert "0020-scattered.interval_list, which jakcli cannot read" in _why([line], V617F)


def test_gatk4_without_intervals_and_intersection_rule():
    plain = '##GATKCommandLine=<ID=HaplotypeCaller,CommandLine="HaplotypeCaller --input x.bam --output x.vcf",Version="4.4.0.0",Date="d">'
    assert not parse_header_restrictions([plain]).restricted
    inter = ('##GATKCommandLine=<ID=SelectVariants,CommandLine="SelectVariants -L chr9 -L chr9:5000000-5100000 '
             '-isr INTERSECTION -V in.vcf",Version="4.4.0.0",Date="d">')
    assert _why([inter], V617F) is None
    assert _why([inter], ("9", 6000000, 6000000)) is not None


def test_gatk3_command_line_options():
    line = ('##GATKCommandLine.HaplotypeCaller=<ID=HaplotypeCaller,Version=3.8-0-ge9d806836,Date="Mon Jan 01 2018",'
            'Epoch=1514764800000,CommandLineOptions="analysis_type=HaplotypeCaller input_file=[x.bam] '
            'intervals=[9:5000000-5100000, 19] excludeIntervals=null interval_set_rule=UNION interval_padding=0">')
    assert _why([line], V617F) is None
    assert _why([line], CALR_EXON9_37) is None
    assert _why([line], MPL_W515_37) is not None
    nulls = line.replace("intervals=[9:5000000-5100000, 19]", "intervals=null")
    assert not parse_header_restrictions([nulls]).restricted


def test_bcftools_mpileup_line_has_no_underscore():
    # as written by bcftools 1.16 mpileup: "##bcftoolsCommand=", not "##bcftools_mpileupCommand="
    lines = ["##bcftoolsVersion=1.16+htslib-1.16",
             "##bcftoolsCommand=mpileup -f ref.fa -r chr9:5073760-5073790 -a AD,DP -g 10 t2.bam",
             "##bcftools_callCommand=call -m --gvcf 10; Date=Thu Nov 26 15:29:11 2026"]
    assert _why(lines, V617F) is None
    assert "##bcftoolsCommand (mpileup" in _why(lines, ("9", 5073791, 5073791))


def test_parse_region_list():
    assert parse_region_list("chr9:5000000-5100000,chr1,X:100-,Y:7") == [
        ("9", 5000000, 5100000), ("1", 1, 1 << 62), ("X", 100, 1 << 62), ("Y", 7, 7)]
    assert parse_region_list("chr9:abc") is None


@pytest.mark.skipif(shutil.which("bcftools") is None, reason="bcftools not installed")
def test_real_bcftools_pipe_header(tmp_path):
    """The issue's reproduction: the header bcftools itself writes for ``view -r chr9``."""
    src = tmp_path / "in.vcf"
    src.write_text("##fileformat=VCFv4.2\n##contig=<ID=chr1,length=248956422>\n"
                   "##contig=<ID=chr9,length=138394717>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                   "chr1\t43349338\t.\tG\tT\t.\tPASS\t.\nchr9\t5073770\t.\tG\tT\t.\tPASS\t.\n")
    gz = tmp_path / "in.vcf.gz"
    pysam.tabix_compress(str(src), str(gz))
    pysam.tabix_index(str(gz), preset="vcf")
    out = subprocess.run(["bcftools", "view", "-r", "chr9", str(gz)], capture_output=True, text=True,
                         check=True).stdout
    r = parse_header_restrictions(out.splitlines())
    assert r.why_not_assessed(*V617F) is None
    assert r.why_not_assessed(*MPL_W515_38) is not None


def test_plugin_options_after_double_dash_are_not_regions():
    """``bcftools +fill-tags in.vcf -- -t AF`` records ``plugin fill-tags ... -- -t AF``: -t is the plugin's."""
    line = "##bcftools_pluginCommand=plugin fill-tags cohort.vcf.gz -Oz -o out.vcf.gz -- -t AF; Date=Thu Nov 26 2026"
    r = parse_header_restrictions([line])
    assert not r.restricted and r.why_not_assessed(*V617F) is None
    kept = "##bcftools_pluginCommand=plugin fill-tags -r chr9 cohort.vcf.gz -- -t AF; Date=Thu Nov 26 2026"
    assert "outside the regions kept" in parse_header_restrictions([kept]).why_not_assessed(*MPL_W515_38)


def test_regions_and_targets_in_one_command_intersect():
    """bcftools keeps a record only if it satisfies both -r and -t."""
    line = "##bcftools_viewCommand=view -r chr9,chr1 -t chr9:5000000-5100000 cohort.vcf.gz; Date=Thu Nov 26 2026"
    r = parse_header_restrictions([line])
    assert r.why_not_assessed(*V617F) is None
    assert "outside" in r.why_not_assessed(*MPL_W515_38)  # in -r chr1 but not in -t
    assert "outside" in r.why_not_assessed("9", 6000000, 6000000)
