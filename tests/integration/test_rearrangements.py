"""Rearrangements (issue #3): fusion tables of every supported caller and SV VCFs, through the CLI.

Fixtures in tests/fixtures/rearrangements/ carry the callers' own headers; see their README.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from support import REARRANGEMENTS, REPO, jakcli_subprocess, needs_bcftools, rec, write_vcf

FIX = REARRANGEMENTS


def report(*args) -> dict:
    code, out, err = jakcli_subprocess("classify", "--format", "json", *args)
    assert code == 0, err
    assert "Traceback" not in err
    return json.loads(out)


def sample(rep: dict, name: str) -> dict:
    return next(s for s in rep["samples"] if s["sample"] == name)


def found(s: dict) -> dict:
    return {f["rule_id"]: f for f in s["findings"]}


def not_reported(s: dict) -> list[tuple[str, str, str]]:
    return [(n["rule_id"], n["fusion"], n["status"]) for n in s["rearrangements_not_reported"]]


def assert_one_line_error(code: int, stderr: str, *needles: str):
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert code == 2 and len(lines) == 1 and lines[0].startswith("jakcli: error: "), stderr
    for n in needles:
        assert n in lines[0], lines[0]


# ----------------------------------------------------------------------------- RNA callers

def test_arriba_v2_reported_and_low_confidence_counted():
    rep = report("--fusions", f"ALL-07={FIX / 'arriba_v2_grch38.tsv'}", "--build", "GRCh38")
    s = sample(rep, "ALL-07")
    f = found(s)["crlf2-p2ry8-fusion"]
    assert f["alteration"] == "P2RY8::CRLF2 fusion"
    assert (f["chrom"], f["pos"], f["alt_reads"]) == ("chrX", 1212723, 18)
    ev = f["evidence"][0]
    assert (ev["evidence"], ev["caller"], ev["line"], ev["confidence"]) == ("RNA", "arriba-v2", 2, "high")
    # IGHJ6(1200),IGHD(5000) -> IGH, confidence low: counted, not reported
    assert "crlf2-igh-rearrangement" not in found(s)
    assert ("crlf2-igh-rearrangement", "IGH--CRLF2", "below_floor") in not_reported(s)
    assert s["rearrangements_below_floor"] == 1
    assert s["risk"]["level"] == "high"
    assert rep["inputs"][0]["kind"] == "fusions:arriba-v2"
    assert rep["stats"]["rearrangements"]["fusion_calls_read"] == 3


def test_arriba_low_confidence_admitted_when_floor_lowered():
    rep = report("--fusions", f"ALL-07={FIX / 'arriba_v2_grch38.tsv'}", "--build", "GRCh38",
                 "--min-fusion-reads", "1")
    assert "crlf2-igh-rearrangement" in found(sample(rep, "ALL-07"))


def test_arriba_v1_pax5_jak2_and_reciprocal_grch37():
    rep = report("--fusions", f"P1={FIX / 'arriba_v1_grch37.tsv'}", "--build", "GRCh37")
    s = sample(rep, "P1")
    assert found(s)["jak2-fusion"]["alteration"] == "PAX5::JAK2 fusion"
    assert ("jak2-fusion", "JAK2--PAX5", "not_qualifying") in not_reported(s)
    assert rep["inputs"][0]["kind"] == "fusions:arriba-v1"


def test_star_fusion_full_kinase_kept_and_lost():
    rep = report("--fusions", f"P2={FIX / 'star-fusion.fusion_predictions.grch38.tsv'}", "--build", "GRCh38")
    s = sample(rep, "P2")
    f = found(s)["jak2-fusion"]
    assert f["alteration"] == "ETV6::JAK2 fusion" and f["alt_reads"] == 19 and f["pos"] == 5081725
    reasons = [n["reason"] for n in s["rearrangements_not_reported"] if n["fusion"] == "PCM1--JAK2"]
    assert reasons and "outside JAK2 from its transcript start to the first base of exon 19" in reasons[0]


def test_star_fusion_abridged_tyk2():
    rep = report("--fusions", f"P3={FIX / 'star-fusion.fusion_predictions.abridged.grch38.tsv'}", "--build", "GRCh38")
    f = found(sample(rep, "P3"))["tyk2-fusion"]
    assert f["alteration"] == "MYB::TYK2 fusion" and f["evidence"][0]["caller"] == "star-fusion-abridged"


def test_star_fusion_old_layout_grch37_and_build_mismatch():
    path = FIX / "star-fusion.fusion_candidates.final.abridged.old.grch37.tsv"
    rep = report("--fusions", f"P4={path}", "--build", "GRCh37")
    assert found(sample(rep, "P4"))["crlf2-p2ry8-fusion"]["alt_reads"] == 5
    # the same GRCh37 breakpoints read as GRCh38: not reported, and the reason says why
    rep = report("--fusions", f"P4={path}", "--build", "GRCh38")
    s = sample(rep, "P4")
    assert not s["findings"]
    assert "run it with that build" in s["rearrangements_not_reported"][0]["reason"]


def test_fusioncatcher_reciprocal_only_is_not_the_fusion():
    rep = report("--fusions", f"P5={FIX / 'final-list_candidate-fusion-genes.grch38.txt'}", "--build", "GRCh38")
    s = sample(rep, "P5")
    assert s["findings"] == []
    assert not_reported(s) == [("crlf2-p2ry8-fusion", "CRLF2--P2RY8", "not_qualifying")]
    assert "reciprocal orientation" in s["rearrangements_not_reported"][0]["reason"]
    # rearrangements were assessed, small variants were not: worst case stays open
    assert s["risk"]["level"] == "none-detected"
    assert s["risk"]["not_assessed"] == ["small variants (VCF)", "copy number (segments)"]


def test_generic_table_with_sample_column():
    rep = report("--fusions", FIX / "generic_fusions.grch38.tsv", "--build", "GRCh38")
    assert [s["sample"] for s in rep["samples"]] == ["PT-01", "PT-02"]
    assert set(found(sample(rep, "PT-01"))) == {"crlf2-igh-rearrangement"}
    pt2 = sample(rep, "PT-02")
    assert set(found(pt2)) == {"jak2-fusion"}
    assert ("crlf2-p2ry8-fusion", "P2RY8--CRLF2", "below_floor") in not_reported(pt2)
    # SAMPLE= on a table with a sample column keeps only that sample's rows
    rep = report("--fusions", f"PT-01={FIX / 'generic_fusions.grch38.tsv'}", "--build", "GRCh38")
    assert [s["sample"] for s in rep["samples"]] == ["PT-01"]
    assert rep["stats"]["rearrangements"]["skipped"] == {"fusion_call_of_another_sample": 2}


def test_gzipped_fusion_table(tmp_path):
    import gzip

    gz = tmp_path / "fusions.tsv.gz"
    gz.write_bytes(gzip.compress((FIX / "arriba_v2_grch38.tsv").read_bytes()))
    rep = report("--fusions", f"ALL-07={gz}", "--build", "GRCh38")
    assert "crlf2-p2ry8-fusion" in found(sample(rep, "ALL-07"))


# ----------------------------------------------------------------------------- DNA SV VCFs

def test_manta_somatic_grch38_del_and_bnd():
    rep = report("--sv", FIX / "manta_somatic_grch38.vcf")
    assert rep["genome_build"] == "GRCh38"
    # Manta writes the normal column first (configManta.py --normalBam/--tumorBam): never a patient
    assert [s["sample"] for s in rep["samples"]] == ["TUMOR"]
    t = sample(rep, "TUMOR")
    f = found(t)
    p2 = f["crlf2-p2ry8-fusion"]
    assert p2["evidence"][0]["svtype"] == "DEL" and p2["alt_reads"] == 14  # PR 8 + SR 6 in the tumour
    j = f["jak2-fusion"]
    assert j["evidence"][0]["breakends"] == "chr9:5060000(right)--chr9:36900000(right)"
    assert any("not named by the SV caller" in n for n in j["notes"])
    # the JAK2 breakend past exon 19 cannot keep the kinase
    assert ("jak2-fusion", "chr12:11900000--JAK2", "not_qualifying") in not_reported(t)
    st = rep["stats"]["rearrangements"]
    assert st["sv_records_read"] == 7
    assert st["skipped"] == {"filtered": 1, "mate_of_evaluated_breakend": 2, "small_variant_in_sv_file": 1}
    assert st["sv_records_evaluated"] + sum(st["skipped"].values()) == st["sv_records_read"]


def test_delly_grch37_igh_chrY_reciprocal_and_floor():
    rep = report("--sv", FIX / "delly_germline_grch37.vcf")
    assert rep["genome_build"] == "GRCh37"
    s = sample(rep, "PT-37")
    f = found(s)
    assert f["crlf2-igh-rearrangement"]["evidence"][0]["breakends"] == "14:106330000(left)--X:1400000(left)"
    assert f["crlf2-p2ry8-fusion"]["chrom"] == "Y"  # chrY PAR1 BND pair equivalent to the deletion
    assert ("crlf2-p2ry8-fusion", "CRLF2--P2RY8", "not_qualifying") in not_reported(s)  # tandem duplication
    assert ("crlf2-p2ry8-fusion", "P2RY8--CRLF2", "below_floor") in not_reported(s)  # DV 1 + RV 0
    assert rep["stats"]["rearrangements"]["skipped"] == {"not_carried_by_an_attributed_sample": 1}  # GT 0/0


@needs_bcftools
def test_sv_vcf_bgzip_indexed_and_bcf(tmp_path):
    gz = tmp_path / "sv.vcf.gz"
    subprocess.run(["bcftools", "view", "-Oz", "-o", gz, FIX / "manta_somatic_grch38.vcf"], check=True)
    subprocess.run(["bcftools", "index", "-t", gz], check=True)
    bcf = tmp_path / "sv.bcf"
    subprocess.run(["bcftools", "view", "-Ob", "-o", bcf, FIX / "manta_somatic_grch38.vcf"], check=True)
    def calls(rep):
        return [(s["sample"], [(f["rule_id"], f["alteration"], f["alt_reads"], f["evidence"][0]["breakends"],
                                f["evidence"][0]["caller"]) for f in s["findings"]], not_reported(s))
                for s in rep["samples"]]

    plain = report("--sv", FIX / "manta_somatic_grch38.vcf")
    assert calls(plain)[0][0] == "TUMOR" and calls(plain)[0][1]
    for path in (gz, bcf):
        rep = report("--sv", path)
        assert calls(rep) == calls(plain)
        assert rep["stats"]["rearrangements"] == plain["stats"]["rearrangements"]


def test_real_manta_file_no_finding(realdata):
    rep = report("--sv", realdata / "manta_HCC1954_somaticSV_GRCh37.vcf.gz")
    assert rep["genome_build"] == "GRCh37"
    assert all(s["findings"] == [] and s["rearrangements_not_reported"] == [] for s in rep["samples"])
    st = rep["stats"]["rearrangements"]
    assert st["sv_records_read"] == 6 and st["skipped"] == {"mate_of_evaluated_breakend": 3}
    # the tumour carries the three adjacencies; the normal has no alt reads
    assert st["sv_junctions"] == 3


def test_real_manta_attributed_to_one_sample(realdata):
    rep = report("--sv", f"HCC1954={realdata / 'manta_HCC1954_somaticSV_GRCh37.vcf.gz'}")
    assert [s["sample"] for s in rep["samples"]] == ["HCC1954"]
    words = sample(rep, "HCC1954")["risk"]["not_assessed"]
    # the header declares chromosomes 8 and 11 only (a regional demo run): no rule partner was assessed
    assert words[:2] == ["small variants (VCF)", "copy number (segments)"] and len(words) == 6
    assert all(w.startswith("structural variants: ") and "not in the SV input" in w for w in words[2:])


# ----------------------------------------------------------------------------- merging and risk

@pytest.fixture
def tumour_vcf(tmp_path) -> Path:
    # JAK2 R683G (GRCh38) in the same tumour that carries P2RY8-CRLF2
    return write_vcf(tmp_path / "tumour.vcf", [rec("chr9", 5078360, "A", "G", "0/1:70,30:100")], samples=("TUMOR",))


def test_vcf_fusions_and_sv_merge_into_one_report(tumour_vcf, run_jakcli):
    rep = report(tumour_vcf, "--fusions", f"TUMOR={FIX / 'arriba_v2_grch38.tsv'}",
                 "--sv", FIX / "manta_somatic_grch38.vcf")
    assert [s["sample"] for s in rep["samples"]] == ["TUMOR"]  # the normal is not in this run
    t = sample(rep, "TUMOR")
    f = found(t)
    assert set(f) == {"jak2-r683", "crlf2-p2ry8-fusion", "jak2-fusion"}
    p2 = f["crlf2-p2ry8-fusion"]
    assert [e["evidence"] for e in p2["evidence"]] == ["RNA", "DNA"]  # one finding, both sources
    assert p2["matched_by"] == "DNA+RNA evidence (RNA: arriba-v2, DNA: manta)"
    assert t["risk"]["level"] == "high"
    assert t["risk"]["label"].startswith("CRLF2 rearrangement with a JAK1/JAK2 mutation")
    assert t["risk"]["not_assessed"] == ["copy number (segments)"]
    assert {i["kind"] for i in rep["inputs"]} == {"vcf", "fusions:arriba-v2", "sv-vcf"}
    code, out, _ = run_jakcli("classify", tumour_vcf, "--fusions", f"TUMOR={FIX / 'arriba_v2_grch38.tsv'}")
    assert code == 0 and "crlf2-p2ry8-fusion" in out  # TSV shows the rearrangement row


def test_worst_case_narrows_once_rearrangements_are_supplied(tumour_vcf):
    only_vcf = sample(report(tumour_vcf), "TUMOR")["risk"]
    assert only_vcf["level"] == "intermediate" and only_vcf["worst_case_level"] == "high"
    assert "fusions" in only_vcf["not_assessed"]
    clean = FIX / "final-list_candidate-fusion-genes.grch38.txt"  # reciprocal only: nothing reported
    both = sample(report(tumour_vcf, "--fusions", clean), "TUMOR")["risk"]
    # copy number (IKZF1plus) is still unassessed: the worst case stays high
    assert both["level"] == "intermediate" and both["worst_case_level"] == "high"
    assert both["not_assessed"] == ["copy number (segments)"]
    cnv = REPO / "tests" / "fixtures" / "cnv" / "cnvkit_neutral_grch38.cns"  # every target copy-neutral
    all3 = sample(report(tumour_vcf, "--fusions", clean, "--cnv", f"TUMOR={cnv}"), "TUMOR")["risk"]
    assert all3["level"] == "intermediate" and all3["worst_case_level"] == "intermediate"
    assert all3["not_assessed"] == []


def test_single_sample_run_takes_unnamed_fusion_table(tumour_vcf):
    rep = report(tumour_vcf, "--fusions", FIX / "arriba_v2_grch38.tsv")
    assert "crlf2-p2ry8-fusion" in found(sample(rep, "TUMOR"))


# ----------------------------------------------------------------------------- errors

def test_attribution_and_build_errors(tmp_path, run_jakcli):
    arriba = FIX / "arriba_v2_grch38.tsv"
    code, _, err = run_jakcli("classify", "--fusions", arriba, "--build", "GRCh38")
    assert_one_line_error(code, err, str(arriba), "--fusions SAMPLE=")
    code, _, err = run_jakcli("classify", "--fusions", f"S={arriba}")
    assert_one_line_error(code, err, "do not record the genome build", "--build")
    two = write_vcf(tmp_path / "two.vcf", [rec("chr9", 5073770, "G", "T", "0/1:60,40:100", "0/0:90,0:90")],
                    samples=("A", "B"))
    code, _, err = run_jakcli("classify", two, "--fusions", arriba)
    assert_one_line_error(code, err, "the run has 2 samples", "--fusions SAMPLE=")
    code, _, err = run_jakcli("classify", two, "--sv", FIX / "manta_somatic_grch38.vcf")
    assert_one_line_error(code, err, "not among the samples of this run", "--sv SAMPLE=")


@pytest.mark.parametrize("content, needles", [
    ("#gene1\tgene2\tbreakpoint1\n", ["line 1", "arriba header lacks column"]),
    ("#FusionName\tJunctionReadCount\tSpanningFragCount\tSpliceType\tLeftGene\tLeftBreakpoint\tRightGene\t"
     "RightBreakpoint\nA--B\tmany\t1\tX\tA^E1\tchr1:5:+\tB^E2\tchr2:9:+\n",
     ["line 2", "JunctionReadCount is 'many', not a whole number"]),
    ("sample\tgene5\tgene3\tbreakpoint5\nS1\tP2RY8\tCRLF2\tchrX-1536921\n", ["line 2", "not CHROM:POS"]),
    ("chrom\tstart\tend\n1\t2\t3\n", ["line 1", "unknown fusion table format"]),
    ("#FusionName\tJunctionReadCount\tSpanningFragCount\tSpliceType\tLeftGene\tLeftBreakpoint\tRightGene\t"
     "RightBreakpoint\nA--B\t3\t1\tX\tA^E1\n", ["line 2", "truncated"]),
    ("", ["empty"]),
])
def test_malformed_fusion_tables(tmp_path, content, needles, run_jakcli):
    bad = tmp_path / "bad.tsv"
    bad.write_text(content)
    out = tmp_path / "report.json"
    code, _, err = run_jakcli("classify", "--fusions", f"S={bad}", "--build", "GRCh38", "--format", "json", "-o", out)
    assert_one_line_error(code, err, str(bad), *needles)
    assert not out.exists() and not list(tmp_path.glob(".*tmp*"))


def test_malformed_sv_record(tmp_path, run_jakcli):
    text = (FIX / "manta_somatic_grch38.vcf").read_text().replace("[chr9:36900000[T", "[chr9:36900000]T")
    bad = tmp_path / "bad_sv.vcf"
    bad.write_text(text)
    code, _, err = run_jakcli("classify", "--sv", bad)
    assert_one_line_error(code, err, str(bad), "record 1", "mixes '[' and ']'")


# ----------------------------------------------------------------------------- names

def test_sample_data_rearrangements_merge_with_the_cohort():
    sd = REPO / "sample_data"
    rep = report(sd / "cohort_grch38.vcf.gz", "--sample", "BALL_CRLF2_JAK2",
                 "--fusions", f"BALL_CRLF2_JAK2={sd / 'BALL_CRLF2_JAK2.arriba.fusions.tsv'}",
                 "--sv", f"BALL_CRLF2_JAK2={sd / 'BALL_CRLF2_JAK2.manta.somaticSV.vcf'}")
    s = sample(rep, "BALL_CRLF2_JAK2")
    ids = [f["rule_id"] for f in s["findings"]]
    assert ids.count("crlf2-p2ry8-fusion") == 1 and "jak2-fusion" in ids and "jak2-r683" in ids
    p2 = found(s)["crlf2-p2ry8-fusion"]
    assert [(e["evidence"], e["supporting_reads"]) for e in p2["evidence"]] == [("RNA", 18), ("DNA", 14)]
    assert s["risk"]["level"] == "high" and s["risk"]["worst_case_level"] == "high"
    assert s["risk"]["label"].startswith("CRLF2 rearrangement with a JAK1/JAK2 mutation")
    assert s["risk"]["not_assessed"] == ["copy number (segments)"]


# ----------------------------------------------------------------------------- SV VCF edge cases

SV_HEADER = """##fileformat=VCFv4.2
##reference=GRCh38
##contig=<ID=chr9,length=138394717>
##contig=<ID=chr12,length=133275309>
##contig=<ID=chr14,length=107043718>
##contig=<ID=chr19,length=58617616>
##contig=<ID=chrX,length=156040895>
##contig=<ID=chrY,length=57227415>
##ALT=<ID=DEL,Description="Deletion">
##ALT=<ID=DUP:TANDEM,Description="Tandem duplication">
##ALT=<ID=INV,Description="Inversion">
##ALT=<ID=INS,Description="Insertion">
##ALT=<ID=TRA,Description="Translocation">
##INFO=<ID=SVTYPE,Number=1,Type=String,Description="Type of structural variant">
##INFO=<ID=SVLEN,Number=.,Type=Integer,Description="Length">
##INFO=<ID=END,Number=1,Type=Integer,Description="End">
##INFO=<ID=MATEID,Number=.,Type=String,Description="Mate">
##INFO=<ID=CHR2,Number=1,Type=String,Description="Chromosome of the partner">
##INFO=<ID=POS2,Number=1,Type=Integer,Description="Position of the partner">
##INFO=<ID=CT,Number=1,Type=String,Description="Connection type">
##INFO=<ID=SU,Number=.,Type=Integer,Description="Pieces of evidence across all samples">
##INFO=<ID=PE,Number=.,Type=Integer,Description="Paired-end reads across all samples">
##INFO=<ID=SR,Number=.,Type=Integer,Description="Split reads across all samples">
##FILTER=<ID=LowQual,Description="Low quality">
##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">
##FORMAT=<ID=SU,Number=1,Type=Integer,Description="Pieces of evidence">
##FORMAT=<ID=PE,Number=1,Type=Integer,Description="Paired-end reads">
##FORMAT=<ID=SR,Number=1,Type=Integer,Description="Split reads">
##FORMAT=<ID=PR,Number=.,Type=Integer,Description="Spanning paired-read support for ref and alt">
"""


def sv_vcf(tmp_path, records: list[str], samples=("S1",), extra_header="", name="sv.vcf") -> Path:
    cols = ["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO"] + (["FORMAT", *samples] if samples else [])
    path = tmp_path / name
    path.write_text(SV_HEADER + extra_header + "\t".join(cols) + "\n" + "\n".join(records) + "\n")
    return path


def sv_report(path, *extra) -> dict:
    return report("--build", "GRCh38", "--sv", path, *extra)


def test_lumpy_support_is_su_not_split_reads_only(tmp_path):
    """LUMPY/smoove: FORMAT SU = PE + SR. A call with only paired-end support (SR 0) is carried
    (GT ./. falls back to reads) and clears the floor."""
    path = sv_vcf(tmp_path, ["chrX\t1300000\t1\tN\t<DEL>\t.\tPASS\tSVTYPE=DEL;END=1500000;SU=10;PE=10;SR=0"
                             "\tGT:SU:PE:SR\t./.:10:10:0"])
    s = sample(sv_report(f"S1={path}"), "S1")
    f = found(s)["crlf2-p2ry8-fusion"]
    assert f["alt_reads"] == 10 and f["evidence"][0]["read_detail"] == "supporting reads 10"


def test_sites_only_lumpy_info_counts_with_number_dot(tmp_path):
    """LUMPY declares INFO SU/PE/SR as Number=. (a list): that must not crash the reader."""
    path = sv_vcf(tmp_path, ["chrX\t1300000\t1\tN\t<DEL>\t.\tPASS\tSVTYPE=DEL;END=1500000;SU=9;PE=7;SR=2"], samples=())
    f = found(sample(sv_report(f"S1={path}"), "S1"))["crlf2-p2ry8-fusion"]
    assert f["alt_reads"] == 9


def test_delly_tra_uses_info_end_on_chr2_even_before_pos(tmp_path):
    """DELLY <= 0.7 writes translocations as <TRA> with CHR2 and END = the position on CHR2, which
    may be smaller than POS (htslib then ignores END for the record's extent)."""
    path = sv_vcf(tmp_path, ["chr14\t105900000\tTRA1\tN\t<TRA>\t.\tPASS\tSVTYPE=TRA;CHR2=chrX;END=1300000;CT=5to3"
                             "\tGT\t0/1"])
    f = found(sample(sv_report(f"S1={path}"), "S1"))["crlf2-igh-rearrangement"]
    assert f["evidence"][0]["breakends"] == "chr14:105900000(right)--chrX:1300000(left)"
    assert f["evidence"][0]["svtype"] == "TRA"


def test_delly_inversion_gives_only_the_junction_its_ct_names(tmp_path):
    """A DELLY <INV> record is one junction: CT=3to3 (both sides keep left) or 5to5 (both keep
    right), like Manta INV3/INV5. The other junction is a separate record if it was seen."""
    rec3 = "chr9\t5060000\tINV3\tN\t<INV>\t.\tPASS\tSVTYPE=INV;END=36900000;CT=3to3\tGT\t0/1"
    rec5 = "chr9\t5060000\tINV5\tN\t<INV>\t.\tPASS\tSVTYPE=INV;END=36900000;CT=5to5\tGT\t0/1"
    s = sample(sv_report(f"S1={sv_vcf(tmp_path, [rec3], name='inv3.vcf')}"), "S1")
    assert "jak2-fusion" not in found(s)
    assert [e["evidence"]["breakends"] for e in s["rearrangements_not_reported"]] == [
        "chr9:5060000(left)--chr9:36900000(left)"]
    s = sample(sv_report(f"S1={sv_vcf(tmp_path, [rec5], name='inv5.vcf')}"), "S1")
    assert found(s)["jak2-fusion"]["evidence"][0]["breakends"] == "chr9:5060001(right)--chr9:36900001(right)"


@pytest.mark.parametrize("record, needle", [
    ("chrX\t1300000\td\tN\t<DEL>\t.\tPASS\tSVTYPE=DEL;SVLEN=.\tGT\t0/1", "without END or SVLEN"),
    ("chrX\t1300000\td\tN\t<DEL>\t.\tPASS\tSVTYPE=DEL;END=1200000\tGT\t0/1", "END 1200000 is before POS"),
])
def test_symbolic_record_without_a_usable_end_is_a_one_line_error(tmp_path, record, needle, run_jakcli):
    path = sv_vcf(tmp_path, [record])
    code, _, err = run_jakcli("classify", "--build", "GRCh38", "--sv", f"S1={path}")
    assert_one_line_error(code, err, str(path), "record 1", needle)


def test_every_odd_record_is_evaluated_or_counted(tmp_path):
    """Insertions with SVLEN '.', a spanning-deletion '*', a BND to an HLA contig (its name has
    colons), an undeclared-SVTYPE tandem duplication: no crash, every record accounted for."""
    path = sv_vcf(tmp_path, [
        "chr9\t1000\tins\tN\t<INS>\t.\tPASS\tSVTYPE=INS;SVLEN=.\tGT\t0/1",
        "chr9\t2000\tstar\tN\t*\t.\tPASS\t.\tGT\t0/1",
        "chr9\t3000\thla\tN\tN[HLA-A*01:01:01:01:100[\t.\tPASS\tSVTYPE=BND\tGT\t0/1",
        "chrX\t1300000\tdup\tN\t<DUP:TANDEM>\t.\tPASS\tEND=1500000\tGT\t0/1",
    ])
    rep = sv_report(f"S1={path}")
    st = rep["stats"]["rearrangements"]
    assert st["sv_records_read"] == 4
    assert st["skipped"] == {"not_a_rearrangement": 1, "spanning_deletion": 1}
    assert st["sv_records_evaluated"] == 2
    (dup,) = sample(rep, "S1")["rearrangements_not_reported"]
    assert dup["evidence"]["svtype"] == "DUP" and dup["fusion"] == "CRLF2--P2RY8"


def test_bnd_bracket_forms_with_inserted_sequence(tmp_path):
    """All four VCF breakend forms, with inserted bases in t: which side each breakend keeps."""
    from jakcli.readers.svvcf import _junction_ends
    import pysam

    path = sv_vcf(tmp_path, [
        "chr9\t100\ta\tG\tGAC[chr12:500[\t.\tPASS\tSVTYPE=BND\tGT\t0/1",
        "chr9\t200\tb\tG\tGAC]chr12:600]\t.\tPASS\tSVTYPE=BND\tGT\t0/1",
        "chr9\t300\tc\tG\t]chr12:700]ACG\t.\tPASS\tSVTYPE=BND\tGT\t0/1",
        "chr9\t400\td\tG\t[chr12:800[ACG\t.\tPASS\tSVTYPE=BND\tGT\t0/1",
    ])
    got = []
    for record in pysam.VariantFile(str(path)):
        (pair,), _why = _junction_ends(record)
        got.append(tuple((e.label, e.keeps) for e in pair))
    assert got == [(("chr9:100", "left"), ("chr12:500", "right")),
                   (("chr9:200", "left"), ("chr12:600", "left")),
                   (("chr9:300", "right"), ("chr12:700", "left")),
                   (("chr9:400", "right"), ("chr12:800", "right"))]


def test_mate_filtered_first_is_evaluated_once_through_the_other(tmp_path):
    path = sv_vcf(tmp_path, [
        "chr9\t5060000\tm1\tT\t[chr12:11900000[T\t.\tLowQual\tSVTYPE=BND;MATEID=m2\tPR\t2,7",
        "chr12\t11900000\tm2\tC\t[chr9:5060000[C\t.\tPASS\tSVTYPE=BND;MATEID=m1\tPR\t2,7",
    ])
    rep = sv_report(f"S1={path}")
    st = rep["stats"]["rearrangements"]
    assert (st["sv_records_evaluated"], st["skipped"], st["sv_junctions"]) == (1, {"filtered": 1}, 1)
    assert found(sample(rep, "S1"))["jak2-fusion"]["alt_reads"] == 7


def test_normal_column_is_never_reported_even_when_the_run_has_that_sample(tmp_path, run_jakcli):
    vcf = write_vcf(tmp_path / "tn.vcf", [rec("chr9", 5073770, "G", "T", "0/1:20,20:40", "0/0:40,0:40")],
                    samples=("TUMOR", "NORMAL"))
    path = sv_vcf(tmp_path, ["chrX\t1300000\td1\tN\t<DEL>\t.\tPASS\tSVTYPE=DEL;END=1500000\tPR\t20,5\t20,8"],
                  samples=("NORMAL", "TUMOR"), extra_header="##tumor_sample=TUMOR\n##normal_sample=NORMAL\n")
    rep = report(vcf, "--sv", path)
    assert "crlf2-p2ry8-fusion" in found(sample(rep, "TUMOR"))
    assert found(sample(rep, "NORMAL")) == {}
    # a run whose only sample is the file's normal: the tumour's SVs are not that sample's
    normal_only = write_vcf(tmp_path / "n.vcf", [rec("chr9", 5073770, "G", "T", "0/0:40,0:40")], samples=("NORMAL",))
    code, _, err = run_jakcli("classify", normal_only, "--sv", path)
    assert_one_line_error(code, err, str(path), "##normal_sample", "--sv SAMPLE=")


# ----------------------------------------------------------------------------- fusion-table edge cases

def test_fusion_tables_with_byte_order_marks(tmp_path):
    """Tables saved by Excel/Windows editors start with a byte-order mark (UTF-8 or UTF-16)."""
    arriba = (FIX / "arriba_v2_grch38.tsv").read_text()
    bom8 = tmp_path / "arriba.bom.tsv"
    bom8.write_bytes(b"\xef\xbb\xbf" + arriba.replace("\n", "\r\n").encode())
    assert "crlf2-p2ry8-fusion" in found(sample(report("--fusions", f"S={bom8}", "--build", "GRCh38"), "S"))
    fc = tmp_path / "fc.bom.txt"
    fc.write_bytes(b"\xef\xbb\xbf" + (FIX / "final-list_candidate-fusion-genes.grch38.txt").read_bytes())
    rep = report("--fusions", f"S={fc}", "--build", "GRCh38")
    assert rep["inputs"][0]["kind"] == "fusions:fusioncatcher-final-list"
    utf16 = tmp_path / "generic.utf16.tsv"
    utf16.write_bytes((FIX / "generic_fusions.grch38.tsv").read_text().replace("\n", "\r\n").encode("utf-16"))
    assert set(found(sample(report("--fusions", utf16, "--build", "GRCh38"), "PT-01"))) == {"crlf2-igh-rearrangement"}


def test_arriba_call_without_a_gene_name_is_read(tmp_path):
    """Arriba names no gene ('' or '.') for a breakpoint on a contig without annotation (viral or
    decoy contigs); that call cannot be a JAK-STAT lesion, but the file must still be read."""
    lines = (FIX / "arriba_v2_grch38.tsv").read_text().splitlines()
    extra = [".\tCRLF2\t./-\t./-\tchrEBV:1000\tchrX:1213001\tintergenic\tintron\ttranslocation\t3\t0\t2\t3\t40\thigh",
             "\tCRLF2\t./-\t./-\tchrUn_KI270742v1:100\tchrX:1213001\tintergenic\tintron\ttranslocation\t3\t0\t2\t3\t40"
             "\thigh"]
    path = tmp_path / "arriba.tsv"
    path.write_text("\n".join(lines + extra) + "\n")
    rep = report("--fusions", f"S={path}", "--build", "GRCh38")
    assert rep["stats"]["rearrangements"]["fusion_calls_read"] == 5
    assert "crlf2-p2ry8-fusion" in found(sample(rep, "S"))


def test_breakpoint_on_a_contig_whose_name_has_colons(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_text("gene5\tgene3\tbreakpoint5\tbreakpoint3\treads\n"
                    "HLA-A\tJAK2\tHLA-A*01:01:01:01:500:+\tchr9:5070000:+\t9\n")
    f = found(sample(report("--fusions", f"S={path}", "--build", "GRCh38"), "S"))["jak2-fusion"]
    assert f["evidence"][0]["breakpoint5"] == "HLA-A*01:01:01:01:500"


def test_arriba_v1_header_with_tags_is_still_v1(tmp_path):
    """Arriba 1.x wrote direction1/direction2 right after type; some 1.x releases already had a
    tags column, which must not make the file 'v2'."""
    header = ("#gene1\tgene2\tstrand1(gene/fusion)\tstrand2(gene/fusion)\tbreakpoint1\tbreakpoint2\tsite1\tsite2\t"
              "type\tdirection1\tdirection2\tsplit_reads1\tsplit_reads2\tdiscordant_mates\tcoverage1\tcoverage2\t"
              "confidence\tclosest_genomic_breakpoint1\tclosest_genomic_breakpoint2\ttags\tfilters\tfusion_transcript")
    row = ("PAX5\tJAK2\t-/-\t+/+\t9:37015167\t9:5080229\tsplice-site\tsplice-site\ttranslocation\tupstream\t"
           "downstream\t10\t8\t5\t50\t60\thigh\t.\t.\t.\t.\t.")
    path = tmp_path / "arriba1.tsv"
    path.write_text(header + "\n" + row + "\n")
    rep = report("--fusions", f"S={path}", "--build", "GRCh37")
    assert rep["inputs"][0]["kind"] == "fusions:arriba-v1"
    assert found(sample(rep, "S"))["jak2-fusion"]["evidence"][0]["caller"] == "arriba-v1"


def test_header_only_and_trailing_tab_tables(tmp_path):
    head = (FIX / "arriba_v2_grch38.tsv").read_text().splitlines()
    empty = tmp_path / "empty.tsv"
    empty.write_text(head[0] + "\n")
    rep = report("--fusions", f"S={empty}", "--build", "GRCh38")
    assert rep["stats"]["rearrangements"]["fusion_calls_read"] == 0 and sample(rep, "S")["findings"] == []
    assert sample(rep, "S")["risk"]["not_assessed"] == ["small variants (VCF)", "copy number (segments)"]
    tabs = tmp_path / "tabs.tsv"
    tabs.write_text("## pipeline comment\n" + "\n".join(ln + "\t" for ln in head) + "\n# trailing comment\n")
    assert "crlf2-p2ry8-fusion" in found(sample(report("--fusions", f"S={tabs}", "--build", "GRCh38"), "S"))


def test_large_fusion_table_is_streamed(tmp_path):
    """Arriba with -I writes every read name: tables of hundreds of MB. Reading must not hold the
    file (several times over) in memory."""
    import tracemalloc

    from jakcli.readers.fusions import read_fusion_table

    lines = (FIX / "arriba_v2_grch38.tsv").read_text().splitlines()
    names = ",".join(f"READ{i:08d}" for i in range(4000))  # ~50 kB per row
    bcr = lines[2].split("\t")
    bcr[-1] = names
    path = tmp_path / "big.tsv"
    with open(path, "w") as out:
        out.write(lines[0] + "\n" + lines[1] + "\n")
        for _ in range(600):  # ~30 MB
            out.write("\t".join(bcr) + "\n")
    tracemalloc.start()
    table = read_fusion_table(str(path), "S")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(table.calls) == 601
    assert peak < 12 * 2**20, f"peak {peak / 2**20:.0f} MB"


def test_star_fusion_igh_ext_partner_is_igh(tmp_path):
    """STAR-Fusion reports IGH-CRLF2 with its CTAT-library name IGH@-ext (the IGH locus with its
    flanks); that is the IGH partner of crlf2-igh-rearrangement."""
    head = (FIX / "star-fusion.fusion_predictions.abridged.grch38.tsv").read_text().splitlines()[0]
    row = ("IGH@-ext--CRLF2\t4\t3\t4\t3.00\tINCL_NON_REF_SPLICE\tIGH@-ext^IGH.g@-ext\tchr14:105863198:-\t"
           "CRLF2^ENSG00000205755.12\tchrX:1212723:-\tNO_LDAS\t0.31\tGT\t1.5\tAG\t1.6\t[]")
    path = tmp_path / "sf.tsv"
    path.write_text(head + "\n" + row + "\n")
    f = found(sample(report("--fusions", f"S={path}", "--build", "GRCh38"), "S"))["crlf2-igh-rearrangement"]
    assert f["alteration"] == "IGH::CRLF2 rearrangement" and f["alt_reads"] == 7


def test_calls_of_unselected_samples_are_counted_apart_from_skipped_records():
    rep = report("--fusions", FIX / "generic_fusions.grch38.tsv", "--build", "GRCh38", "--sample", "PT-01")
    st = rep["stats"]["rearrangements"]
    assert [s["sample"] for s in rep["samples"]] == ["PT-01"]
    assert st["calls_of_unselected_samples"] == 2 and st["skipped"] == {}
    assert st["fusion_calls_evaluated"] == st["fusion_calls_read"] == 3


def test_fusion_table_from_standard_input(run_jakcli):
    data = (FIX / "arriba_v2_grch38.tsv").read_bytes()
    proc = run_jakcli("classify", "--fusions", "ALL-07=-", "--build", "GRCh38", "--format", "json", stdin=data)
    assert proc.returncode == 0, proc.stderr
    rep = json.loads(proc.stdout)
    assert rep["inputs"][0]["path"] == "-" and rep["inputs"][0]["kind"] == "fusions:arriba-v2"
    assert "crlf2-p2ry8-fusion" in found(sample(rep, "ALL-07"))
    proc = run_jakcli("classify", "-", "--fusions", "S=-", "--build", "GRCh38", stdin=data)
    assert proc.returncode == 2 and "standard input (-) can be given only once" in proc.stderr


def test_a_vcf_given_as_fusion_table_says_so(run_jakcli):
    code, _, err = run_jakcli("classify", "--fusions", f"S={REPO / 'sample_data' / 'cohort_grch38.vcf.gz'}", "--build", "GRCh38")
    assert_one_line_error(code, err, "this is a VCF, not a fusion table", "--sv")


def test_rename_applies_to_sv_columns_too(tmp_path):
    """--rename TUMOR=PT-1 names the SV VCF's TUMOR column PT-1 as well, so both files meet."""
    vcf = write_vcf(tmp_path / "tn.vcf", [rec("chr9", 5078360, "A", "G", "0/0:90,0:90", "0/1:70,30:100")],
                    samples=("NORMAL", "TUMOR"))
    rep = report(vcf, "--sv", FIX / "manta_somatic_grch38.vcf", "--rename", "TUMOR=PT-1", "--rename", "NORMAL=PT-1N")
    assert [s["sample"] for s in rep["samples"]] == ["PT-1N", "PT-1"]
    assert set(found(sample(rep, "PT-1"))) == {"jak2-r683", "crlf2-p2ry8-fusion", "jak2-fusion"}
    assert found(sample(rep, "PT-1N")) == {}
    rep = report("--sv", FIX / "manta_somatic_grch38.vcf", "--rename", "TUMOR=PT-1")
    assert "crlf2-p2ry8-fusion" in found(sample(rep, "PT-1"))
