"""--coverage files (callable BED, mosdepth per-base / regions / quantized) and gVCF depth (issue 16)."""

from __future__ import annotations

import gzip

import pysam
import pytest

from jakcli.errors import InputError
from jakcli.model.loci import LocusStatus, Locus, allele_locus
from jakcli.readers.coverage import CoverageFile
from jakcli.readers.gvcf import gvcf_depths, is_gvcf_header, read_gvcf_depths

V617F = allele_locus("jak2-v617f", "JAK2", "p.V617F", "9", 5073770, "G", "T")  # both builds
W515_38 = Locus("mpl-w515:1:W515", "mpl-w515", "MPL", "codon", "W515", "1", 43349337, 43349339,
                positions=(43349337, 43349338, 43349339), ref_codon="TGG")
W515_37 = Locus("mpl-w515:1:W515", "mpl-w515", "MPL", "codon", "W515", "1", 43815008, 43815010,
                positions=(43815008, 43815009, 43815010), ref_codon="TGG")


def _write(path, rows, gz=False):
    text = "".join("\t".join(map(str, r)) + "\n" for r in rows)
    if gz:
        with gzip.open(path, "wt") as fh:
            fh.write(text)
    else:
        path.write_text(text)
    return str(path)


def test_callable_bed(tmp_path):
    bed = _write(tmp_path / "callable.bed", [("chr9", 5073700, 5073800), ("chr1", 43349300, 43349338)])
    got = CoverageFile(bed).depth_at([V617F, W515_38])
    assert got[V617F.key].callable is True and got[V617F.key].depth is None
    assert got[V617F.key].status(100) is LocusStatus.ASSESSED
    # W515 codon runs to 43349339, past the callable end (0-based end 43349338): not callable
    assert got[W515_38.key].kind == "gap" and got[W515_38.key].status(100) is LocusStatus.NOT_ASSESSED


@pytest.mark.parametrize("gz", [False, True])
def test_mosdepth_per_base_minimum_over_codon(tmp_path, gz):
    # rows as mosdepth 0.3.3 writes {prefix}.per-base.bed.gz (GRCh37 MPL W515 at 43815008-43815010)
    rows = [("1", 0, 43815000, 0), ("1", 43815000, 43815008, 310), ("1", 43815008, 43815009, 305),
            ("1", 43815009, 43815010, 298), ("1", 43815010, 43815400, 301),
            ("9", 5073700, 5073769, 1840), ("9", 5073769, 5073770, 1850), ("9", 5073770, 5073900, 1851)]
    f = CoverageFile(_write(tmp_path / ("pb.bed.gz" if gz else "pb.bed"), rows, gz))
    got = f.depth_at([V617F, W515_37])
    assert (got[V617F.key].depth, got[V617F.key].kind) == (1850, "per-base")
    assert got[W515_37.key].depth == 298
    assert got[W515_37.key].status(300) is LocusStatus.LOW_COVERAGE
    assert got[V617F.key].status(300) is LocusStatus.ASSESSED


def test_mosdepth_per_base_zero_depth_is_not_assessed(tmp_path):
    f = CoverageFile(_write(tmp_path / "pb.bed", [("chr9", 0, 5073730, 0), ("chr9", 5073730, 5073731, 1)]))
    got = f.depth_at([V617F])[V617F.key]
    assert got.kind == "gap"  # the file stops before the locus
    f = CoverageFile(_write(tmp_path / "pb2.bed", [("chr9", 0, 6000000, 0)]))
    got = f.depth_at([V617F])[V617F.key]
    assert got.depth == 0 and got.status(100) is LocusStatus.NOT_ASSESSED


def test_mosdepth_regions_with_and_without_names(tmp_path):
    three = CoverageFile(_write(tmp_path / "r.regions.bed", [("chr9", 5073700, 5073800, "1816.65")]))
    assert three.depth_at([V617F])[V617F.key].depth == 1816
    assert three.depth_at([V617F])[V617F.key].kind == "regions-mean"
    named = CoverageFile(_write(tmp_path / "r5.regions.bed", [("chr9", 5073700, 5073800, "JAK2_ex14", "41.45")]))
    assert named.depth_at([V617F])[V617F.key].depth == 41


def test_mosdepth_quantized_bins_and_labels(tmp_path):
    rows = [("chr9", 0, 5073730, "0:1"), ("chr9", 5073730, 5073734, "1:5"), ("chr9", 5073734, 5073749, "5:20"),
            ("chr9", 5073749, 5073840, "20:inf")]
    got = CoverageFile(_write(tmp_path / "q.quantized.bed", rows)).depth_at([V617F])[V617F.key]
    assert (got.depth, got.depth_max, got.kind) == (20, None, "quantized")
    assert got.status(20) is LocusStatus.ASSESSED and got.status(100) is LocusStatus.LOW_COVERAGE
    zero = CoverageFile(_write(tmp_path / "q0.bed", [("chr9", 0, 5073800, "0:1")])).depth_at([V617F])[V617F.key]
    assert zero.status(20) is LocusStatus.NOT_ASSESSED
    labels = [("chr9", 5073749, 5073840, "CALLABLE"), ("chr1", 43349300, 43349400, "LOW_COVERAGE")]
    got = CoverageFile(_write(tmp_path / "ql.bed", labels)).depth_at([V617F, W515_38])
    assert got[V617F.key].status(100) is LocusStatus.ASSESSED
    assert got[W515_38.key].status(100) is LocusStatus.LOW_COVERAGE
    nocov = CoverageFile(_write(tmp_path / "qn.bed", [("chr9", 0, 5073840, "NO_COVERAGE")]))
    assert nocov.depth_at([V617F])[V617F.key].status(10) is LocusStatus.NOT_ASSESSED


@pytest.mark.parametrize("rows,message", [
    ([("chr9", "5073700", "x", "10")], r"m.bed:1: start/end '5073700', 'x' are not integers"),
    ([("chr9", 5073700)], r"m.bed:1: expected at least 3 tab-separated columns"),
    ([("chr9", 10, 5, "3")], r"m.bed:1: interval 10-5 is not a valid BED interval"),
    ([("chr9", 5073700, 5073800, "PASSED")], r"m.bed:1: column 4 is 'PASSED', not a depth"),
    ([("chr9", 5073700, 5073800, "12"), ("chr9", 5073800, 5073900)], r"m.bed:2: mixes callable-bed and per-base"),
])
def test_malformed_lines_are_one_line_input_errors(tmp_path, rows, message):
    with pytest.raises(InputError, match=message) as exc:
        CoverageFile(_write(tmp_path / "m.bed", rows)).depth_at([V617F])
    assert "\n" not in str(exc.value)


def test_missing_coverage_file(tmp_path):
    with pytest.raises(InputError, match="coverage file not found"):
        CoverageFile(str(tmp_path / "none.bed"))


# ----------------------------------------------------------------------------- gVCF

HEAD = ["##fileformat=VCFv4.2", "##contig=<ID=chr9,length=138394717>", "##contig=<ID=chr1,length=248956422>",
        '##INFO=<ID=END,Number=1,Type=Integer,Description="End position">',
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
        '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype Quality">',
        '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Depth">',
        '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">',
        '##FORMAT=<ID=MIN_DP,Number=1,Type=Integer,Description="Minimum DP observed within the GVCF block">',
        '##FORMAT=<ID=PL,Number=G,Type=Integer,Description="Phred-scaled likelihoods">']
GATK = HEAD + ['##ALT=<ID=NON_REF,Description="Represents any possible alternative allele at this location">',
               '##GVCFBlock0-1=minGQ=0(inclusive),maxGQ=1(exclusive)']
DV = HEAD + ['##ALT=<ID=*,Description="Represents any possible alternative allele at this location">']
BCF = HEAD + ['##INFO=<ID=MinDP,Number=1,Type=Integer,Description="Minimum per-sample depth in this gVCF block">',
              "##bcftools_callCommand=call -m --gvcf 10; Date=Thu Nov 26 15:29:11 2026"]


def _gvcf(tmp_path, header, records, name="g.vcf"):
    path = tmp_path / name
    path.write_text("\n".join(header + ["\t".join("#CHROM POS ID REF ALT QUAL FILTER INFO FORMAT S1".split())]
                              + ["\t".join(map(str, r)) for r in records]) + "\n")
    return path


@pytest.mark.parametrize("style,header,records,expected", [
    ("GATK", GATK, [("chr9", 5073700, ".", "T", "<NON_REF>", ".", ".", "END=5073769", "GT:DP:GQ:MIN_DP:PL", "0/0:1840:99:1802:0,120,1800"),
                    ("chr9", 5073770, ".", "G", "<NON_REF>", ".", ".", "END=5073790", "GT:DP:GQ:MIN_DP:PL", "0/0:1851:99:1838:0,120,1800")], 1838),
    ("DeepVariant", DV, [("chr9", 5073750, ".", "A", "<*>", "0", ".", "END=5073800", "GT:GQ:MIN_DP:PL", "0/0:50:1760:0,69,689")], 1760),
    ("bcftools", BCF, [("chr9", 5073760, ".", "A", ".", ".", ".", "END=5073769;MinDP=30", "GT:DP", "0/0:30"),
                       ("chr9", 5073770, ".", "G", ".", ".", ".", "END=5073790;MinDP=28", "GT:DP", "0/0:31")], 28),
])
def test_gvcf_reference_block_depth(tmp_path, style, header, records, expected):
    path = _gvcf(tmp_path, header, records)
    assert is_gvcf_header(header)
    with pysam.VariantFile(str(path)) as vf:
        got = gvcf_depths(vf, [V617F, W515_38], ["S1"], str(path))
    at = got[V617F.key]["S1"]
    assert (at.depth, at.kind) == (expected, "gvcf-block")
    assert at.status(20) is LocusStatus.ASSESSED
    assert got[W515_38.key]["S1"].kind == "gap"  # nothing emitted on chr1: no evidence


def test_gvcf_codon_across_two_blocks_takes_minimum_and_gap_inside(tmp_path):
    codon = Locus("c", "r", "JAK2", "codon", "V617", "9", 5073770, 5073772, positions=(5073770, 5073771, 5073772))
    recs = [("chr9", 5073700, ".", "T", "<NON_REF>", ".", ".", "END=5073770", "GT:DP:GQ:MIN_DP:PL", "0/0:50:99:45:0,1,2"),
            ("chr9", 5073771, ".", "T", "<NON_REF>", ".", ".", "END=5073790", "GT:DP:GQ:MIN_DP:PL", "0/0:12:30:9:0,1,2")]
    with pysam.VariantFile(str(_gvcf(tmp_path, GATK, recs))) as vf:
        assert gvcf_depths(vf, [codon], ["S1"], "g")["c"]["S1"].depth == 9
    gap = [recs[0], ("chr9", 5073772, ".", "C", "<NON_REF>", ".", ".", "END=5073790", "GT:DP:GQ:MIN_DP:PL", "0/0:50:99:45:0,1,2")]
    with pysam.VariantFile(str(_gvcf(tmp_path, GATK, gap, "gap.vcf"))) as vf:
        assert gvcf_depths(vf, [codon], ["S1"], "g")["c"]["S1"].status(10) is LocusStatus.NOT_ASSESSED


def test_gvcf_variant_record_depth_and_indexed_reading(tmp_path):
    recs = [("chr9", 5073700, ".", "T", "<NON_REF>", ".", ".", "END=5073769", "GT:DP:GQ:MIN_DP:PL", "0/0:40:99:38:0,1,2"),
            ("chr9", 5073770, ".", "G", "T,<NON_REF>", "50", ".", ".", "GT:AD:DP:GQ:PL", "0/1:30,12,0:42:99:1,2,3,4,5,6"),
            ("chr9", 5073771, ".", "T", "<NON_REF>", ".", ".", "END=5073900", "GT:DP:GQ:MIN_DP:PL", "0/0:40:99:39:0,1,2")]
    plain = _gvcf(tmp_path, GATK, recs)
    gz = tmp_path / "g.vcf.gz"
    pysam.tabix_compress(str(plain), str(gz))
    pysam.tabix_index(str(gz), preset="vcf")
    with pysam.VariantFile(str(gz)) as vf:
        got = read_gvcf_depths(vf, [V617F], ["S1"], str(gz))[V617F.key]["S1"]
    assert (got.depth, got.kind) == (42, "gvcf-record")


def test_plain_vcf_is_not_a_gvcf():
    assert not is_gvcf_header(HEAD + ['##GATKCommandLine=<ID=Mutect2,CommandLine="Mutect2 -I t.bam",Version="4.2">'])
    assert is_gvcf_header(HEAD + ['##GATKCommandLine=<ID=HaplotypeCaller,CommandLine="HaplotypeCaller '
                                  '--emit-ref-confidence GVCF -I x.bam",Version="4.1.0.0">'])


@pytest.mark.parametrize("body, message", [
    (b"chr9\t5073700\t5073800\tnan\n", "'nan', not a depth"),
    (b"chr9\t5073700\t5073800\tinf\n", "'inf', not a depth"),
    (b"chr9\t5073700\t5073800\t-3\n", "'-3', not a depth"),
    (gzip.compress(b"chr9\t5073700\t5073800\t30\n" * 50)[:40], "cannot read"),
])
def test_bad_depths_and_truncated_gzip_are_one_line_input_errors(tmp_path, body, message):
    p = tmp_path / "cov.bed"
    p.write_bytes(body)
    with pytest.raises(InputError) as exc:
        CoverageFile(str(p)).depth_at([V617F])
    assert message in str(exc.value) and str(p) in str(exc.value) and "\n" not in str(exc.value)



def test_gvcf_record_without_depth_does_not_hide_a_shallow_block(tmp_path):
    """W515 codon: a block stating MIN_DP 3 and a record stating no depth. The known 3 reads are
    below the floor: low coverage, never 'assessed' because the other record is silent."""
    recs = [("chr1", 43349300, ".", "A", "<NON_REF>", ".", ".", "END=43349337", "GT:DP:GQ:MIN_DP:PL", "0/0:3:9:3:0,9,90"),
            ("chr1", 43349338, ".", "G", "<NON_REF>", ".", ".", "END=43349400", "GT:GQ:PL", "0/0:9:0,9,90")]
    with pysam.VariantFile(str(_gvcf(tmp_path, GATK, recs))) as vf:
        at = gvcf_depths(vf, [W515_38], ["S1"], "g.vcf")[W515_38.key]["S1"]
    assert at.depth == 3 and at.status(20) is LocusStatus.LOW_COVERAGE
