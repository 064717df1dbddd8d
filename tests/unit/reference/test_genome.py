"""Genome-build detection from header evidence and contig-name normalisation (no files)."""

from __future__ import annotations

import pytest

from jakcli.errors import InputError
from jakcli.model import Build
from jakcli.reference.genome import CONTIG_LENGTHS, check_declared_build, detect_build, normalise_contig

T2T_CHR9 = 150617247  # CHM13 v2.0 chr9: a primary chromosome of neither supported build


@pytest.mark.parametrize("build", list(Build))
@pytest.mark.parametrize("prefix", ["", "chr"])
def test_contig_lengths_decide_the_build(build, prefix):
    contigs = {f"{prefix}9": CONTIG_LENGTHS[build]["9"], f"{prefix}Un_gl000220": 161802, f"{prefix}M": 16569}
    ev = detect_build([], contigs, "x.vcf")
    assert ev.build == build and ev.reason == f"##contig {prefix}9 length {CONTIG_LENGTHS[build]['9']}"


def test_contigs_without_lengths_or_unknown_contigs_prove_nothing():
    ev = detect_build([], {"chr9": None, "chrUn_gl000220": 161802}, "x.vcf")
    assert ev.build is None and "no ##contig lengths" in ev.reason


def test_a_length_of_neither_build_is_refused():
    with pytest.raises(InputError, match=r"x\.vcf: ##contig chr9 has length 150617247, which is neither"):
        detect_build([], {"chr9": T2T_CHR9}, "x.vcf")


def test_lengths_of_both_builds_on_different_chromosomes_are_refused():
    contigs = {"1": CONTIG_LENGTHS[Build.GRCH37]["1"], "9": CONTIG_LENGTHS[Build.GRCH38]["9"]}
    with pytest.raises(InputError, match="match both GRCh37 and GRCh38"):
        detect_build([], contigs, "x.vcf")


@pytest.mark.parametrize("key, value, build", [
    ("reference", "file:///refs/hg19.fa", Build.GRCH37),
    ("reference", "/data/human_g1k_v37.fasta", Build.GRCH37),
    ("reference", "GRCh38", Build.GRCH38),
    ("assembly", "GCA_000001405.15", Build.GRCH38),
    ("liftOverChainFile", "hg19ToHg38.over.chain.gz", Build.GRCH38),  # the target build counts
    ("liftOverChainFile", "hg38ToHg19.over.chain.gz", Build.GRCH37),
    ("contig", "<ID=chr9,assembly=b37>", Build.GRCH37),
    ("GATKCommandLine", "<ID=Mutect2,CommandLine=\"Mutect2 -R /refs/Homo_sapiens_assembly38.fasta -I t.bam\">",
     Build.GRCH38),
])
def test_header_lines_name_the_build_when_lengths_are_absent(key, value, build):
    ev = detect_build([(key, value)], {"chr9": None}, "x.vcf")
    assert ev.build == build and ev.reason == f"##{key} mentions {build}"


def test_command_line_words_that_are_not_reference_paths_are_ignored():
    ev = detect_build([("bcftools_viewCommand", "view --samples hg19_sample in.vcf")], {}, "x.vcf")
    assert ev.build is None


def test_header_lines_naming_both_builds_decide_nothing():
    ev = detect_build([("reference", "hg19.fa"), ("assembly", "GRCh38")], {}, "x.vcf")
    assert ev.build is None and ev.reason == "header lines name both GRCh37 and GRCh38"


@pytest.mark.parametrize("build, other_token", [(Build.GRCH38, "hg19.fa"), (Build.GRCH37, "GRCh38")])
def test_lengths_contradicted_by_a_reference_line_are_refused(build, other_token):
    with pytest.raises(InputError, match=f"##contig lengths say {build} but ##reference mentions"):
        detect_build([("reference", other_token)], {"9": CONTIG_LENGTHS[build]["9"]}, "x.vcf")


@pytest.mark.parametrize("build", list(Build))
def test_lengths_and_an_agreeing_reference_line(build):
    token = "hg38.fa" if build == Build.GRCH38 else "hg19.fa"
    assert detect_build([("reference", token)], {"9": CONTIG_LENGTHS[build]["9"]}, "x.vcf").build == build


@pytest.mark.parametrize("declared, other", [(Build.GRCH37, Build.GRCH38), (Build.GRCH38, Build.GRCH37)])
def test_declared_build_contradicted_by_lengths(declared, other):
    contigs = {"chr9": CONTIG_LENGTHS[other]["9"]}
    with pytest.raises(InputError, match=f"--build {declared} contradicts ##contig chr9 .*it is {other}"):
        check_declared_build(declared, [], contigs, "x.vcf")
    check_declared_build(other, [], contigs, "x.vcf")  # the right build passes
    check_declared_build(declared, [], {"chr9": None, "chrUn_x": 5}, "x.vcf")  # nothing to contradict
    with pytest.raises(InputError, match="it is neither GRCh37 nor GRCh38"):
        check_declared_build(declared, [], {"9": T2T_CHR9}, "x.vcf")


@pytest.mark.parametrize("name, expected", [
    ("chr9", "9"), ("9", "9"), ("Chr9", "9"), ("CHR9", "9"), ("chrX", "X"),
    ("chrM", "MT"), ("M", "MT"), ("MT", "MT"), ("chrMT", "MT"),
    ("chrUn_gl000220", "Un_gl000220"), ("GL000192.1", "GL000192.1"), ("HLA-A*01:01", "HLA-A*01:01"),
])
def test_normalise_contig(name, expected):
    assert normalise_contig(name) == expected


def test_refseq_chromosome_accessions_name_the_same_chromosomes():
    from jakcli.reference.genome import normalise_contig

    assert [normalise_contig(c) for c in ("NC_000009.12", "NC_000009.11", "NC_000001.11", "NC_000023.11",
                                          "NC_000024.10", "NC_012920.1")] == ["9", "9", "1", "X", "Y", "MT"]
    # not chromosome accessions: left alone
    assert [normalise_contig(c) for c in ("NC_000025.1", "NC_000009", "NT_187361.1")] == [
        "NC_000025.1", "NC_000009", "NT_187361.1"]
