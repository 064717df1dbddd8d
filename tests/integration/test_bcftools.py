"""jakcli and bcftools agree: split multi-allelics give the same findings, and bcftools reads the
targets BED. Skipped (with the reason) where bcftools is absent, except the check that it is there."""

from __future__ import annotations

import shutil
import subprocess

from jakcli.classify import Options, classify
from support import COHORT, findings, needs_bcftools, rec, write_vcf

R683 = ("chr9", 5078360, "A")
V617F = 5073770


def run(path, **kw):
    return classify([str(path)], Options(**kw))


@needs_bcftools
def test_bcftools_normalised_and_split_multiallelic_agree(tmp_path):
    vcf = write_vcf(tmp_path / "n.vcf", [rec(*R683, "G,T", "0/1:50,50,0:100", "0/2:50,0,50:100")],
                    samples=("a", "b"))
    split = tmp_path / "split.vcf"
    subprocess.run(["bcftools", "norm", "-m", "-any", "-o", str(split), str(vcf)], check=True,
                   capture_output=True)
    assert findings(run(vcf)) == findings(run(split))



@needs_bcftools
def test_bcftools_accepts_the_bed(tmp_path, run_jakcli):
    bed = tmp_path / "targets.bed"
    res = run_jakcli("rules", "targets", "--build", "GRCh38", "--padding", "10", "-o", bed)
    assert res.returncode == 0, res.stderr
    vcf = COHORT
    res = subprocess.run(["bcftools", "view", "-H", "-R", str(bed), str(vcf)], capture_output=True, text=True)
    assert res.returncode == 0 and not res.stderr, res.stderr
    positions = {(f.split("\t")[0], int(f.split("\t")[1])) for f in res.stdout.splitlines()}
    assert ("chr9", V617F) in positions
    assert not any(c in ("chr2", "chr4", "chr7", "chr12", "chr17") for c, _ in positions)  # background only



def test_bcftools_is_installed():
    """The bcftools tests skip without it; this one fails so that a run without bcftools is
    noticed (it was an assertion in test_normalise_gene_is_case_insensitive; CI installs it)."""
    assert shutil.which("bcftools"), "bcftools not installed (apt-get install bcftools; .ci/run does)"
