"""Issue 16 in batch runs: manifest columns ``alignments`` and ``coverage``, the cohort's count of loci
not assessed, and the new options passed through (Options.to_args for the Snakemake workflow)."""

from __future__ import annotations

import json

from jakcli.batch import run_batch
from jakcli.model import Options
from support import manifest, rec, tsv, write_vcf
from support.bam import V617F_POS, spanning, write_bam


def test_alignments_and_coverage_columns(tmp_path):
    bam = write_bam(tmp_path / "p1.bam", spanning(V617F_POS, 2000, alt_every=100))
    vcf = write_vcf(tmp_path / "p2.vcf", [rec("chr9", 1000, "A", "C", "0/1:5,5:10")], samples=("P2",))
    cov = tmp_path / "p2.bed"
    cov.write_text(f"chr9\t{V617F_POS - 50}\t{V617F_POS + 50}\n")
    m = manifest(tmp_path / "m.tsv", [("P1", "", str(bam), ""), ("P2", str(vcf), "", str(cov))],
                 header=("sample", "vcf", "alignments", "coverage"))
    res = run_batch(m, tmp_path / "out", jobs=1, options=Options(build="GRCh38", min_depth=100))
    assert res.failures == ()
    rows = {r["sample"]: r for r in tsv(tmp_path / "out" / "cohort.tsv")}
    assert list(rows["P1"])[-1] == "loci_not_assessed"
    assert rows["P1"]["rule_ids"] == "jak2-v617f" and int(rows["P1"]["loci_not_assessed"]) > 0
    p2 = json.loads((tmp_path / "out" / "reports" / "P2.json").read_text())
    v617f = next(e for e in p2["samples"][0]["loci"] if e["rule_id"] == "jak2-v617f")
    assert (v617f["status"], v617f["source"]) == ("assessed", "coverage")
    assert set(p2["batch"]["inputs"]) == {"vcf", "coverage"}


def test_new_options_round_trip_as_arguments():
    opts = Options(min_alt_reads=30, min_depth=1650, targets="t.bed", reference="r.fa", ignore_header_regions=True)
    args = opts.to_args()
    assert args[-9:] == ["--min-alt-reads", "30", "--min-depth", "1650", "--targets", "t.bed", "--reference",
                         "r.fa", "--ignore-header-regions"][-9:]
    assert opts.cache_key()["min_alt_reads"] == 30 and opts.to_report()["ignore_header_regions"] is True
