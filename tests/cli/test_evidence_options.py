"""Issue 16 options on the command line: --alignments, --coverage, --min-alt-reads, --min-depth,
--targets, --ignore-header-regions; bad inputs are one-line errors (exit 2)."""

from __future__ import annotations

import json

from jakcli.cli import cli
from support import rec, write_vcf
from support.bam import V617F_POS, spanning, write_bam


def test_alignments_only_with_floors(runner, tmp_path):
    bam = write_bam(tmp_path / "pt.bam", spanning(V617F_POS, 2000, alt_every=100))
    res = runner.invoke(cli, ["classify", "--build", "GRCh38", "--alignments", str(bam), "--format", "json"])
    assert res.exit_code == 0, res.output
    (f,) = json.loads(res.stdout)["samples"][0]["findings"]
    assert f["vaf_source"] == "alignments"
    res = runner.invoke(cli, ["classify", "--build", "GRCh38", "--alignments", str(bam), "--min-alt-reads", "21",
                              "--format", "md"])
    assert res.exit_code == 0 and "No JAK-STAT finding." in res.stdout
    # 20 alt reads were seen: held back by the floor of 21, never "not detected"
    assert "JAK2 p.V617F not reported - a call below the evidence floor was seen here" in res.stdout
    assert "depth 2,000" in res.stdout and "JAK2 p.V617F not detected" not in res.stdout


def test_coverage_targets_and_header_override(runner, tmp_path):
    vcf = write_vcf(tmp_path / "s.vcf", [rec("chr9", 1000, "A", "C", "0/1:5,5:10")],
                    extra_header=("##bcftools_viewCommand=view -r chr9 in.vcf.gz; Date=x",))
    cov = tmp_path / "c.bed"
    cov.write_text(f"chr9\t{V617F_POS - 50}\t{V617F_POS + 50}\t1200\n")
    res = runner.invoke(cli, ["classify", str(vcf), "--coverage", f"S1={cov}", "--min-depth", "1000",
                              "--format", "json"])
    loci = {e["rule_id"]: e for e in json.loads(res.stdout)["samples"][0]["loci"] if e["kind"] == "allele"}
    assert (loci["jak2-v617f"]["status"], loci["jak2-v617f"]["depth"]) == ("assessed", 1200)
    assert loci["mpl-w515" if "mpl-w515" in loci else "il7r-s185c"]["status"] == "not-assessed"
    res = runner.invoke(cli, ["classify", str(vcf), "--ignore-header-regions", "--format", "json"])
    loci = {e["rule_id"]: e for e in json.loads(res.stdout)["samples"][0]["loci"] if e["kind"] == "allele"}
    assert loci["il7r-s185c"]["status"] == "no-depth-evidence"


def test_bad_inputs_are_one_line_errors(runner, tmp_path):
    vcf = write_vcf(tmp_path / "s.vcf", [rec("chr9", 1000, "A", "C", "0/1:5,5:10")])
    for args, words in ((["--alignments", str(tmp_path / "no.bam")], "alignment file not found"),
                        (["--coverage", str(tmp_path / "no.bed")], "coverage file not found"),
                        (["--targets", str(vcf)], "")):
        res = runner.invoke(cli, ["classify", str(vcf), *args])
        assert res.exit_code == 2, (args, res.output)
        assert words in res.output and "Traceback" not in res.output


def test_header_regions_dir_option_finds_a_named_interval_file(runner, tmp_path):
    head = '##GATKCommandLine=<ID=Mutect2,CommandLine="Mutect2 -L /gone/jak2.interval_list",Version="4">'
    vcf = write_vcf(tmp_path / "s.vcf", [rec("chr9", 1000, "A", "C", "0/1:5,5:10")], extra_header=(head,))
    res = runner.invoke(cli, ["classify", str(vcf), "--format", "json"])
    loci = {e["rule_id"]: e for e in json.loads(res.stdout)["samples"][0]["loci"] if e["kind"] == "allele"}
    assert loci["jak2-v617f"]["status"] == "not-assessed" and "/gone/jak2.interval_list" in loci["jak2-v617f"]["note"]
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "jak2.interval_list").write_text(f"chr9\t{V617F_POS - 5}\t{V617F_POS + 5}\t+\tjak2\n")
    res = runner.invoke(cli, ["classify", str(vcf), "--header-regions-dir", str(lists), "--format", "json"])
    rep = json.loads(res.stdout)
    loci = {e["rule_id"]: e for e in rep["samples"][0]["loci"] if e["kind"] == "allele"}
    assert loci["jak2-v617f"]["status"] == "no-depth-evidence"
    assert loci["il7r-s185c"]["status"] == "not-assessed"
    assert rep["options"]["header_regions_dirs"] == [str(lists)]
