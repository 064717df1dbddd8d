"""classify/batch --reference FASTA and --no-vus on the command line: a FASTA whose coding sequence
disagrees with the bundled transcript is exit 2 naming the gene and build."""

from __future__ import annotations

import json

from support import write_vcf
from support.fasta import write_fasta

from jakcli.cli import cli

RECS = [["chr1", 43349340, ".", "C", "A", ".", "PASS", "DP=100", "GT:AD:DP", "0/1:50,50:100"]]  # MPL c.1546C>A


def test_reference_gives_p_and_no_vus_hides(tmp_path, runner):
    vcf = write_vcf(tmp_path / "in.vcf", RECS)
    fa = write_fasta(tmp_path / "g.fa", "GRCh38", chr_prefix=True, genes=("MPL",))
    res = runner.invoke(cli, ["classify", str(vcf), "--format", "json", "--reference", str(fa)])
    assert res.exit_code == 0, res.output
    rep = json.loads(res.stdout)
    (v,) = rep["samples"][0]["other_variants"]
    assert v["hgvsp"] == "p.(Gln516Lys)" and rep["options"]["reference"] == str(fa)
    res = runner.invoke(cli, ["classify", str(vcf), "--format", "json", "--no-vus"])
    assert json.loads(res.stdout)["samples"][0]["other_variants"] == []


def test_mismatching_reference_is_exit_2(tmp_path, runner):
    vcf = write_vcf(tmp_path / "in.vcf", RECS)
    bad = write_fasta(tmp_path / "bad.fa", "GRCh38", chr_prefix=True, genes=("MPL",), edits={("1", 43338119): "T"})
    res = runner.invoke(cli, ["classify", str(vcf), "--reference", str(bad)])
    assert res.exit_code == 2
    assert "MPL" in res.output and "GRCh38" in res.output and "Traceback" not in res.output
