"""Region-first reading (issue #5): indexed queries, the unindexed text pre-filter and full BCF
decoding must give the same report, record counts included."""

from __future__ import annotations

import json
import random
import shutil
import subprocess

import pysam
import pytest

from jakcli.classify import TARGET_PADDING, Options, classify
from jakcli.engine.small_variants import SiteIndex
from jakcli.model import Build
from jakcli.ruleset.loader import load_ruleset
from support import COHORT, generated_cohort, needs_tools, write_vcf

needs_htslib_tools = needs_tools("bcftools", "bgzip", "tabix")


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


@needs_htslib_tools
def test_sample_data_same_report_on_every_path(tmp_path):
    reps = {k: classify([str(p)], Options()) for k, p in representations(COHORT, tmp_path).items()}
    ref = comparable(reps["index"])
    assert ref["stats"]["records_read"] == 61
    assert ref["stats"]["skipped"]["outside_target_regions"] > 0
    for name, rep in reps.items():
        assert comparable(rep) == ref, name


def test_unindexed_input_gets_a_notice(tmp_path, run_jakcli):
    bare = tmp_path / "c.vcf.gz"
    shutil.copy(COHORT, bare)
    proc = run_jakcli("classify", bare)
    assert proc.returncode == 0
    assert "jakcli: notice:" in proc.stderr and "bcftools index -t" in proc.stderr
    proc = run_jakcli("classify", COHORT)
    assert "notice" not in proc.stderr


@pytest.mark.parametrize("seed", [1, 2, 3])
@needs_htslib_tools
def test_generated_cohorts_same_report_on_every_path(tmp_path, seed):
    n = generated_cohort(tmp_path / "gen.vcf", seed)
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


@needs_htslib_tools
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


@needs_htslib_tools
def test_index_record_counts_match_bcftools(tmp_path):
    """The record count read straight from .tbi and .csi equals `bcftools index --nrecords`."""
    from jakcli.readers.scanning import index_record_count

    reps = representations(COHORT, tmp_path)
    csi = tmp_path / "csi.vcf.gz"
    shutil.copy(reps["index"], csi)
    subprocess.run(["bcftools", "index", "-c", csi], check=True)
    for data, index in ((reps["index"], f"{reps['index']}.tbi"), (csi, f"{csi}.csi"),
                        (reps["bcf-csi"], f"{reps['bcf-csi']}.csi")):
        out = subprocess.run(["bcftools", "index", "--nrecords", data], capture_output=True, text=True, check=True)
        assert index_record_count(index) == int(out.stdout) == 61


@needs_htslib_tools
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


# ----------------------------------------------------------------------------- edge cases of the pre-filter

HEADER = ("##fileformat=VCFv4.2\n"
          '##INFO=<ID=END,Number=1,Type=Integer,Description="End">\n'
          '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
          '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">\n')
COLUMNS = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n"
V617F = "chr9\t5073770\t.\tG\tT\t.\tPASS\t.\tGT:AD\t0/1:20,20\n"


def raw_representations(text: bytes, tmp_path):
    """The exact bytes as plain text, as bgzip without index and as bgzip with a tabix index
    (bcftools would rewrite the text, so the awkward spelling would not reach jakcli)."""
    plain = tmp_path / "raw.vcf"
    plain.write_bytes(text)
    gz = tmp_path / "raw.vcf.gz"
    with open(gz, "wb") as out:
        subprocess.run(["bgzip", "-c", plain], stdout=out, check=True)
    bare = tmp_path / "bare" / "raw.vcf.gz"
    bare.parent.mkdir()
    shutil.copy(gz, bare)
    subprocess.run(["tabix", "-p", "vcf", gz], check=True)
    return {"index": gz, "text-scan": bare, "plain": plain}


def same_report_everywhere(paths: dict, opts=None) -> dict:
    reps = {k: comparable(classify([str(p)], opts or Options())) for k, p in paths.items()}
    for name, rep in reps.items():
        assert rep == reps["index"], name
    return reps["index"]


@needs_htslib_tools
def test_info_end_on_a_plain_allele_reaching_into_a_locus_is_read(tmp_path):
    """htslib takes a record's extent from INFO/END whatever its ALT (gVCF reference blocks, ALT '.'),
    so the text pre-filter must not judge such a line by the length of REF alone."""
    vcf = write_vcf(tmp_path / "g.vcf", [
        ["chr9", 5060000, ".", "G", "A", ".", "PASS", "END=5073760", "GT:AD", "0/1:30,3"],
        ["chr9", 5073000, ".", "G", ".", ".", "PASS", "END=5074000", "GT:AD", "0/0:30"],
        V617F.rstrip("\n").split("\t"),
    ], info_lines=('##INFO=<ID=END,Number=1,Type=Integer,Description="End">',))
    ref = None
    for name, path in representations(vcf, tmp_path).items():
        st = comparable(classify([str(path)], Options()))["stats"]
        assert st["records_read"] == 3 and "outside_target_regions" not in st["skipped"], name
        assert st["skipped"] == {"no_alt": 1}, name
        ref = ref or st
        assert st == ref, name


@needs_htslib_tools
def test_chr_prefix_in_any_case_is_scanned_like_the_index_reads_it(tmp_path):
    """'Chr9' normalises to 9 like 'chr9'; the pre-filter must not drop those lines."""
    text = (HEADER + "##contig=<ID=Chr9,length=138394717>\n" + COLUMNS
            + V617F.replace("chr9", "Chr9")).encode()
    rep = same_report_everywhere(raw_representations(text, tmp_path), Options(build="GRCh38"))
    assert [f["rule_id"] for f in rep["samples"][0]["findings"]] == ["jak2-v617f"]
    assert rep["stats"]["skipped"] == {}


@needs_htslib_tools
def test_last_line_without_newline_is_read_like_htslib_reads_it(tmp_path):
    text = (HEADER + "##contig=<ID=chr9,length=138394717>\n" + COLUMNS + V617F.rstrip("\n")).encode()
    rep = same_report_everywhere(raw_representations(text, tmp_path))
    assert [f["rule_id"] for f in rep["samples"][0]["findings"]] == ["jak2-v617f"]


@needs_htslib_tools
def test_header_only_and_crlf_files(tmp_path):
    head = HEADER + "##contig=<ID=chr9,length=138394717>\n" + COLUMNS
    (tmp_path / "a").mkdir()
    rep = same_report_everywhere(raw_representations(head.encode(), tmp_path / "a"))
    assert rep["stats"]["records_read"] == 0 and rep["samples"][0]["findings"] == []
    (tmp_path / "b").mkdir()
    rep = same_report_everywhere(raw_representations(head.rstrip("\n").encode(), tmp_path / "b"))
    assert rep["stats"]["records_read"] == 0
    crlf = (head + "chr9\t5000\t.\tG\tT\t.\tPASS\t.\tGT:AD\t0/1:20,20\n" + V617F).replace("\n", "\r\n")
    (tmp_path / "c").mkdir()
    rep = same_report_everywhere(raw_representations(crlf.encode(), tmp_path / "c"))
    assert rep["stats"]["records_read"] == 2 and rep["stats"]["skipped"] == {"outside_target_regions": 1}
    assert [f["genotype"] for f in rep["samples"][0]["findings"]] == ["0/1"]


def _bgzf_blocks(data: bytes) -> list[int]:
    """Offsets where each BGZF block ends."""
    import struct

    ends, i = [], 0
    while i < len(data):
        i += struct.unpack_from("<H", data, i + 16)[0] + 1
        ends.append(i)
    return ends


@needs_htslib_tools
def test_bgzf_cut_at_a_block_boundary_is_an_input_error(tmp_path):
    """A BGZF file cut between two blocks has no EOF marker and its last line is incomplete."""
    from jakcli.errors import InputError

    records = [["chr1", 1_000_000 + k, ".", "C", "T", ".", "PASS", ".", "GT:AD", "0/1:20,20"] for k in range(6000)]
    src = write_vcf(tmp_path / "big.vcf", records + [V617F.rstrip("\n").split("\t")])
    with open(tmp_path / "big.vcf.gz", "wb") as out:
        subprocess.run(["bgzip", "-c", src], stdout=out, check=True)
    data = (tmp_path / "big.vcf.gz").read_bytes()
    ends = _bgzf_blocks(data)
    assert len(ends) >= 3
    cut = tmp_path / "cut.vcf.gz"
    cut.write_bytes(data[: ends[0]])
    with pytest.raises(InputError, match="truncated"):
        classify([str(cut)], Options())
    # the complete file (EOF marker present) is fine on the same path
    assert classify([str(tmp_path / "big.vcf.gz")], Options())["stats"]["records_read"] == 6001


@needs_htslib_tools
def test_index_older_than_the_file_is_not_trusted(tmp_path):
    """A .tbi left over from an earlier version of the file would hide new records; htslib only
    warns. The file is read without it instead, so the report is that of the current data."""
    import os

    old = write_vcf(tmp_path / "old.vcf", [["chr9", 5000, ".", "G", "T", ".", "PASS", ".", "GT:AD", "0/1:20,20"]])
    gz = tmp_path / "s.vcf.gz"
    subprocess.run(["bcftools", "view", "-Oz", "-o", gz, old], check=True)
    subprocess.run(["bcftools", "index", "-t", gz], check=True)
    records = [["chr9", 5000 + k, ".", "G", "T", ".", "PASS", ".", "GT:AD", "0/1:20,20"] for k in range(3000)]
    new = write_vcf(tmp_path / "new.vcf", records + [V617F.rstrip("\n").split("\t")])
    subprocess.run(["bcftools", "view", "-Oz", "-o", gz, new], check=True)
    tbi = f"{gz}.tbi"
    os.utime(tbi, ns=(os.stat(gz).st_mtime_ns - 10**9,) * 2)
    rep = classify([str(gz)], Options())
    assert rep["stats"]["records_read"] == 3001
    assert [f["rule_id"] for f in rep["samples"][0]["findings"]] == ["jak2-v617f"]


@needs_htslib_tools
def test_contig_order_of_the_file_is_kept_on_every_path(tmp_path):
    """A file sorted chr19 before chr9 (valid: each contig in one block) lists its warnings in the
    same order whether it is indexed or scanned."""
    vcf = write_vcf(tmp_path / "o.vcf", [
        ["chr19", 12943813, ".", "A", "ATTGTC", ".", "PASS", ".", "GT", "0/1"],
        ["chr9", 5073770, ".", "G", "T", ".", "PASS", ".", "GT", "0/1"],
    ])
    reps = {k: comparable(classify([str(p)], Options())) for k, p in representations(vcf, tmp_path).items()}
    assert len(reps["index"]["warnings"]) == 2
    for name, rep in reps.items():
        assert rep == reps["index"], name


@needs_htslib_tools
def test_scanning_a_highly_compressible_bgzf_keeps_memory_flat(tmp_path):
    """Cohort VCFs full of 0/0 genotypes compress 20-200x; the unindexed scan must bound the text
    it holds by its uncompressed size, not by compressed bytes read."""
    import tracemalloc

    from jakcli.readers.vcf import VcfReader

    background = ["0/0:30,0:30"] * 200
    records = [["chr1", 1_000_000 + 500 * k, ".", "C", "T", ".", "PASS", ".", "GT:AD:DP", *background]
               for k in range(16000)]
    src = write_vcf(tmp_path / "wide.vcf", records, samples=tuple(f"S{i}" for i in range(200)))
    gz = tmp_path / "wide.vcf.gz"
    with open(gz, "wb") as out:
        subprocess.run(["bgzip", "-c", src], stdout=out, check=True)
    assert src.stat().st_size > 35 * gz.stat().st_size  # ~38 MB of text in ~0.2 MB
    with VcfReader(str(gz)) as reader:
        tracemalloc.start()
        list(reader.fetch_targets([("9", 5073000, 5074000)]))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert reader.scan == {"records_total": 16000, "records_outside": 16000}
    assert peak < 40 * 2**20, f"peak {peak / 2**20:.0f} MB"  # ~33 MB; before: ~2x the text


@pytest.mark.parametrize("seed", [4, 5])
@needs_htslib_tools
def test_generated_awkward_records_in_shuffled_contig_order(tmp_path, seed):
    """Records whose extent comes from INFO/END (with or without a symbolic ALT, END sometimes
    before POS), long deletions, breakends and multi-allelic symbolic records, with contig blocks
    in a random order: the same report on every path."""
    rng = random.Random(seed)
    targets = SiteIndex(load_ruleset().rules.values(), Build.GRCH38).targets(TARGET_PADDING)
    records = []
    for contig, start, end, _ids in targets:
        for _ in range(8):
            pos = rng.randint(start - 3000, end + 50)
            info, ref, alt, kind = ".", "A", "C", rng.random()
            if kind < 0.15:
                info, alt = f"END={pos + rng.randint(-5, 4000)}", rng.choice([".", "C", "<NON_REF>"])
            elif kind < 0.3:
                n = rng.randint(1, 5000)
                ref, alt, info = "N", "<DEL>", f"SVLEN=-{n};END={pos + n}"
            elif kind < 0.4:
                n = rng.randint(1, 5000)
                alt, info = "C,<DEL>", f"SVLEN=.,-{n};END={pos + n}"
            elif kind < 0.5:
                ref, alt = "A" + "C" * rng.randint(1, 80), "A"
            elif kind < 0.55:
                alt = "A]chr1:5000]"
            gt = "0/2:5,1,5" if "," in alt else "0/1:5,5"
            records.append([f"chr{contig}", pos, ".", ref, alt, ".", rng.choice(["PASS", "."]), info, "GT:AD", gt])
    order = [f"chr{c}" for c in [*map(str, range(1, 23)), "X", "Y"]]
    rng.shuffle(order)
    records.sort(key=lambda r: (order.index(r[0]), r[1]))
    vcf = write_vcf(tmp_path / "awk.vcf", records, info_lines=(
        '##INFO=<ID=END,Number=1,Type=Integer,Description="End">',
        '##INFO=<ID=SVLEN,Number=.,Type=Integer,Description="Length">'),
        extra_header=('##ALT=<ID=DEL,Description="Deletion">', '##ALT=<ID=NON_REF,Description="Any other">'))
    reps = {k: comparable(classify([str(p)], Options())) for k, p in representations(vcf, tmp_path).items()}
    st = reps["index"]["stats"]
    assert st["records_read"] == len(records) and 0 < st["skipped"]["outside_target_regions"] < len(records)
    for name, rep in reps.items():
        assert rep == reps["index"], name


@pytest.mark.parametrize("seed", [6, 7])
def test_one_query_per_cluster_reads_what_one_query_per_region_reads(tmp_path, seed, monkeypatch):
    """Exon regions of the panel genes fetched in one query per cluster (the default for a sparse
    VCF) or one query per region: the same records in the same order, the same counts, including
    records in the introns between two regions and deletions reaching from one cluster into the next."""
    from jakcli.classify import classify as run
    from jakcli.readers import vcf as vcf_module

    rng = random.Random(seed)
    targets: list = []
    real_fetch = vcf_module.VcfReader.fetch_targets

    def spy(self, t):
        targets.extend(t)
        return real_fetch(self, t)

    monkeypatch.setattr(vcf_module.VcfReader, "fetch_targets", spy)
    run([str(COHORT)], Options())
    monkeypatch.undo()
    records = []
    for contig, start, end in targets:
        for _ in range(3):
            pos = rng.randint(start - 2000, end + 2000)
            ref, alt = ("A" + "C" * rng.randint(1, 3000), "A") if rng.random() < 0.2 else ("A", "C")
            records.append([f"chr{contig}", pos, ".", ref, alt, ".", "PASS", ".", "GT:AD", "0/1:5,5"])
    records.sort(key=lambda r: (int(r[0][3:]) if r[0][3:].isdigit() else 99, r[0], r[1]))
    gz = tmp_path / "g.vcf.gz"
    pysam.tabix_compress(str(write_vcf(tmp_path / "g.vcf", records)), str(gz))
    pysam.tabix_index(str(gz), preset="vcf")

    def read(gap):
        monkeypatch.setattr(vcf_module, "cluster_gap", lambda total: gap)
        with vcf_module.VcfReader(str(gz)) as reader:
            seen = [(r.pysam_record.chrom, r.pysam_record.pos, r.pysam_record.ref) for r in reader.fetch_targets(targets)]
            return seen, reader.scan

    per_region, clustered, whole = read(-1), read(50_000), read(10**9)
    assert per_region == clustered == whole
    assert 0 < per_region[1]["records_outside"] < len(records) == per_region[1]["records_total"]


@needs_htslib_tools
def test_index_beside_an_uncompressed_vcf_is_not_used(tmp_path):
    """A .tbi left beside a plain-text VCF (decompressed after indexing) cannot be queried by
    htslib; the file is scanned instead of failing with 'fetch requires an index'."""
    reps = representations(COHORT, tmp_path)
    plain = reps["plain"]
    shutil.copy(f"{reps['index']}.tbi", f"{plain}.tbi")
    assert comparable(classify([str(plain)], Options())) == comparable(classify([str(reps["index"])], Options()))


def test_coverage_does_not_depend_on_an_index_when_the_header_lists_no_contigs(tmp_path):
    """htslib adds an index's contigs to the header; jakcli looks only at the file's ##contig lines."""
    plain = write_vcf(tmp_path / "nocontig.vcf", [["chr9", 5073770, ".", "G", "T", ".", "PASS", ".", "GT:AD:DP",
                                                    "0/1:50,50:100"]], build=None)
    gz = tmp_path / "nocontig.vcf.gz"
    pysam.tabix_compress(str(plain), str(gz))
    bare = tmp_path / "bare.vcf.gz"
    shutil.copy(gz, bare)
    pysam.tabix_index(str(gz), preset="vcf")  # BCF needs declared contigs, so text forms only
    reps = {k: classify([str(p)], Options(build="GRCh38")) for k, p in
            {"index": gz, "text-scan": bare, "plain": plain}.items()}
    ref = comparable(reps["index"])
    assert any("declares no ##contig lines" in w for w in ref["warnings"])
    assert ref["samples"][0]["findings"][0]["rule_id"] == "jak2-v617f"
    for name, rep in reps.items():
        assert comparable(rep) == ref, name


def test_stale_index_notice_says_why(tmp_path, run_jakcli):
    import os

    gz = tmp_path / "s.vcf.gz"
    shutil.copy(COHORT, gz)
    shutil.copy(f"{COHORT}.tbi", f"{gz}.tbi")
    os.utime(f"{gz}.tbi", (1_000_000, 1_000_000))
    proc = run_jakcli("classify", gz)
    assert proc.returncode == 0
    assert "s.vcf.gz.tbi is older than the file, so the whole file was scanned" in proc.stderr
