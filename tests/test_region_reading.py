"""Region-first reading (issue #5): indexed queries, the unindexed text pre-filter and full BCF
decoding must give the same report, record counts included."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys

import pysam
import pytest

from conftest import REPO, write_vcf
from jakcli.classify import TARGET_PADDING, Options, classify
from jakcli.engine import SiteIndex
from jakcli.model import Build
from jakcli.ruleset import load_ruleset

COHORT = REPO / "sample_data" / "cohort_grch38.vcf.gz"


def comparable(rep: dict) -> dict:
    """The report without what names the file itself (paths, checksums)."""
    out = json.loads(json.dumps(rep))
    out.pop("inputs")
    text = json.dumps(out)
    for path in {i["path"] for i in rep["inputs"]}:
        text = text.replace(json.dumps(path)[1:-1], "INPUT")
    return json.loads(text)


def representations(src, tmp_path):
    """The same VCF as indexed bgzip, bgzip without index, plain text, BCF with and without CSI."""
    gz = tmp_path / "a.vcf.gz"
    subprocess.run(["bcftools", "view", "-Oz", "-o", gz, src], check=True)
    subprocess.run(["bcftools", "index", "-t", gz], check=True)
    bare = tmp_path / "bare" / "a.vcf.gz"
    bare.parent.mkdir()
    shutil.copy(gz, bare)
    plain = tmp_path / "a.vcf"
    subprocess.run(["bcftools", "view", "-Ov", "-o", plain, src], check=True)
    bcf = tmp_path / "a.bcf"
    subprocess.run(["bcftools", "view", "-Ob", "-o", bcf, src], check=True)
    bcf_bare = tmp_path / "bare" / "a.bcf"
    shutil.copy(bcf, bcf_bare)
    subprocess.run(["bcftools", "index", bcf], check=True)
    return {"index": gz, "text-scan": bare, "plain": plain, "bcf-csi": bcf, "decode-all": bcf_bare}


def test_sample_data_same_report_on_every_path(tmp_path):
    reps = {k: classify([str(p)], Options()) for k, p in representations(COHORT, tmp_path).items()}
    ref = comparable(reps["index"])
    assert ref["stats"]["records_read"] == 61
    assert ref["stats"]["skipped"]["outside_target_regions"] > 0
    for name, rep in reps.items():
        assert comparable(rep) == ref, name


def test_unindexed_input_gets_a_notice(tmp_path):
    bare = tmp_path / "c.vcf.gz"
    shutil.copy(COHORT, bare)
    proc = subprocess.run([sys.executable, "-m", "jakcli", "classify", bare], capture_output=True, cwd=REPO)
    assert proc.returncode == 0
    assert "jakcli: notice:" in proc.stderr.decode() and "bcftools index -t" in proc.stderr.decode()
    proc = subprocess.run([sys.executable, "-m", "jakcli", "classify", COHORT], capture_output=True, cwd=REPO)
    assert "notice" not in proc.stderr.decode()


def _generated_cohort(path, seed: int, n_samples: int = 20):
    """Random records on several chromosomes, dense around the rule loci, with the awkward cases:
    long deletions reaching into a locus from outside, symbolic <DEL> spanning a locus, anchors just
    before a locus, multi-allelic sites and records exactly at region edges."""
    rng = random.Random(seed)
    rs = load_ruleset()
    targets = SiteIndex(rs.rules.values(), Build.GRCH38).targets(TARGET_PADDING)
    samples = [f"S{i:03d}" for i in range(n_samples)]
    records = []

    def gt_fields(alts: int):
        out = []
        for _ in samples:
            a = rng.choice([0, 0, 0, 1] + ([2] if alts > 1 else []))
            ad = [rng.randint(10, 60)] + [rng.randint(0, 30) for _ in range(alts)]
            out.append(f"0/{a}:{','.join(map(str, ad))}:{sum(ad)}")
        return out

    for contig, start, end, _ids in targets:
        chrom = "chrM" if contig == "MT" else f"chr{contig}"
        for pos in sorted({start - 1, start, end, end + 1, *(rng.randint(start, end) for _ in range(6))}):
            records.append([chrom, pos, ".", "A", "C", ".", "PASS", ".", "GT:AD:DP", *gt_fields(1)])
        records.append([chrom, start - 40, ".", "A" + "C" * 45, "A", ".", "PASS", ".", "GT:AD:DP", *gt_fields(1)])
        records.append([chrom, start - 1, ".", "G", "GTTT", ".", "PASS", ".", "GT:AD:DP", *gt_fields(1)])
        records.append([chrom, max(1, start - 5000), ".", "N", "<DEL>", ".", "PASS", f"END={start + 3}",
                        "GT:AD:DP", *gt_fields(1)])
        records.append([chrom, end + 3, ".", "T", "A,G", ".", "PASS", ".", "GT:AD:DP", *gt_fields(2)])
    records.append(["chr9", 5073770, ".", "G", "T", ".", "PASS", ".", "GT:AD:DP", *gt_fields(1)])  # V617F
    for chrom in ("chr1", "chr2", "chr9", "chr19", "chrX"):
        for pos in rng.sample(range(1_000_000, 60_000_000), 60):
            records.append([chrom, pos, ".", "C", "T", ".", rng.choice(["PASS", "LowQual"]), ".", "GT:AD:DP",
                            *gt_fields(1)])
    order = {f"chr{c}": i for i, c in enumerate([*map(str, range(1, 23)), "X", "Y", "M"])}
    records.sort(key=lambda r: (order[r[0]], r[1]))
    write_vcf(path, records, samples=tuple(samples),
              info_lines=('##INFO=<ID=END,Number=1,Type=Integer,Description="End">',),
              extra_header=('##ALT=<ID=DEL,Description="Deletion">',))
    return len(records)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_cohorts_same_report_on_every_path(tmp_path, seed):
    n = _generated_cohort(tmp_path / "gen.vcf", seed)
    reps = {k: classify([str(p)], Options(include_filtered=seed == 3))
            for k, p in representations(tmp_path / "gen.vcf", tmp_path).items()}
    ref = comparable(reps["index"])
    st = ref["stats"]
    assert st["records_read"] == n
    assert st["records_read"] == st["records_evaluated"] + sum(st["skipped"].values())
    assert 0 < st["skipped"]["outside_target_regions"] < n
    assert any(s["findings"] for s in ref["samples"])
    for name, rep in reps.items():
        assert comparable(rep) == ref, name


def test_long_deletion_and_symbolic_allele_reaching_into_a_locus_are_read(tmp_path):
    """A record that starts outside a locus but overlaps it is read on every path."""
    vcf = write_vcf(tmp_path / "d.vcf", [
        ["chr9", 5060000, ".", "N", "<DEL>", ".", "PASS", "END=5073780", "GT:AD:DP", "0/1:50,50:100"],
        ["chr9", 5073700, ".", "A" + "C" * 80, "A", ".", "PASS", ".", "GT:AD:DP", "0/1:50,50:100"],
    ], info_lines=('##INFO=<ID=END,Number=1,Type=Integer,Description="End">',),
        extra_header=('##ALT=<ID=DEL,Description="Deletion">',))
    for name, path in representations(vcf, tmp_path).items():
        st = classify([str(path)], Options())["stats"]
        assert st["records_read"] == 2 and "outside_target_regions" not in st["skipped"], name
        assert st["alleles_skipped"] == {"symbolic_or_breakend": 1}, name


def test_truncated_unindexed_bgzip_is_an_input_error(tmp_path):
    from jakcli.errors import InputError

    data = COHORT.read_bytes()
    cut = tmp_path / "cut.vcf.gz"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="cut.vcf.gz"):
        classify([str(cut)], Options())


def test_index_without_counts_is_explained(tmp_path):
    """pysam.tabix_index writes counts; a stale index (file replaced after indexing) must not crash."""
    gz = tmp_path / "s.vcf.gz"
    shutil.copy(COHORT, gz)
    pysam.tabix_index(str(gz), preset="vcf", force=True)
    rep = classify([str(gz)], Options())
    assert rep["stats"]["records_read"] == 61


def test_index_record_counts_match_bcftools(tmp_path):
    """The record count read straight from .tbi and .csi equals `bcftools index --nrecords`."""
    from jakcli.vcf import index_record_count

    reps = representations(COHORT, tmp_path)
    csi = tmp_path / "csi.vcf.gz"
    shutil.copy(reps["index"], csi)
    subprocess.run(["bcftools", "index", "-c", csi], check=True)
    for data, index in ((reps["index"], f"{reps['index']}.tbi"), (csi, f"{csi}.csi"),
                        (reps["bcf-csi"], f"{reps['bcf-csi']}.csi")):
        out = subprocess.run(["bcftools", "index", "--nrecords", data], capture_output=True, text=True, check=True)
        assert index_record_count(index) == int(out.stdout) == 61


def test_garbage_index_is_an_input_error(tmp_path):
    from jakcli.errors import InputError

    gz = tmp_path / "g.vcf.gz"
    shutil.copy(COHORT, gz)
    (tmp_path / "g.vcf.gz.tbi").write_bytes(b"not an index")
    with pytest.raises(InputError, match="g.vcf.gz.tbi"):
        classify([str(gz)], Options())


def test_five_thousand_sample_cohort(tmp_path):
    """A 5,000-sample cohort works on both paths; genotypes are read only at matched records."""
    rng = random.Random(5)
    samples = [f"P{i:04d}" for i in range(5000)]
    carriers = set(rng.sample(range(5000), 7))
    v617f = ["0/1:20,20:40" if i in carriers else "0/0:40,0:40" for i in range(5000)]
    background = ["0/0:30,0:30"] * 5000
    records = [["chr1", 1_000_000 + 1000 * k, ".", "C", "T", ".", "PASS", ".", "GT:AD:DP", *background]
               for k in range(30)]
    records.append(["chr9", 5073770, ".", "G", "T", ".", "PASS", ".", "GT:AD:DP", *v617f])
    records += [["chr9", 6_000_000 + k, ".", "A", "G", ".", "PASS", ".", "GT:AD:DP", *background] for k in range(10)]
    src = write_vcf(tmp_path / "wide.vcf", records, samples=tuple(samples))
    for name, path in representations(src, tmp_path).items():
        rep = classify([str(path)], Options())
        hits = sorted(s["sample"] for s in rep["samples"] if s["findings"])
        assert hits == sorted(samples[i] for i in carriers), name
        assert len(rep["samples"]) == 5000
        assert rep["stats"]["records_read"] == 41 and rep["stats"]["records_evaluated"] == 1, name
