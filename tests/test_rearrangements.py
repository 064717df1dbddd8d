"""Rearrangements (issue #3): fusion tables of every supported caller and SV VCFs, through the CLI.

Fixtures in tests/fixtures/rearrangements/ carry the callers' own headers; see their README.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, rec, write_vcf
from jakcli.genes import normalise_gene, partner_names

FIX = REPO / "tests" / "fixtures" / "rearrangements"


def jakcli(*args):
    proc = subprocess.run([sys.executable, "-m", "jakcli", *map(str, args)], capture_output=True, cwd=REPO)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def report(*args) -> dict:
    code, out, err = jakcli("classify", "--format", "json", *args)
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
    assert s["risk"]["not_assessed"] == ["small variants (VCF)"]


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
    assert found(sample(rep, "NORMAL")) == {}
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
    assert calls(plain)[1][1]
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
    assert sample(rep, "HCC1954")["risk"]["not_assessed"] == ["small variants (VCF)"]


# ----------------------------------------------------------------------------- merging and risk

@pytest.fixture
def tumour_vcf(tmp_path) -> Path:
    # JAK2 R683G (GRCh38) in the same tumour that carries P2RY8-CRLF2
    return write_vcf(tmp_path / "tumour.vcf", [rec("chr9", 5078360, "A", "G", "0/1:70,30:100")], samples=("TUMOR",))


def test_vcf_fusions_and_sv_merge_into_one_report(tumour_vcf):
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
    assert t["risk"]["not_assessed"] == []
    assert {i["kind"] for i in rep["inputs"]} == {"vcf", "fusions:arriba-v2", "sv-vcf"}
    code, out, _ = jakcli("classify", tumour_vcf, "--fusions", f"TUMOR={FIX / 'arriba_v2_grch38.tsv'}")
    assert code == 0 and "crlf2-p2ry8-fusion" in out  # TSV shows the rearrangement row


def test_worst_case_narrows_once_rearrangements_are_supplied(tumour_vcf):
    only_vcf = sample(report(tumour_vcf), "TUMOR")["risk"]
    assert only_vcf["level"] == "intermediate" and only_vcf["worst_case_level"] == "high"
    assert "fusions" in only_vcf["not_assessed"]
    clean = FIX / "final-list_candidate-fusion-genes.grch38.txt"  # reciprocal only: nothing reported
    both = sample(report(tumour_vcf, "--fusions", clean), "TUMOR")["risk"]
    assert both["level"] == "intermediate" and both["worst_case_level"] == "intermediate"
    assert both["not_assessed"] == []


def test_single_sample_run_takes_unnamed_fusion_table(tumour_vcf):
    rep = report(tumour_vcf, "--fusions", FIX / "arriba_v2_grch38.tsv")
    assert "crlf2-p2ry8-fusion" in found(sample(rep, "TUMOR"))


# ----------------------------------------------------------------------------- errors

def test_attribution_and_build_errors(tmp_path):
    arriba = FIX / "arriba_v2_grch38.tsv"
    code, _, err = jakcli("classify", "--fusions", arriba, "--build", "GRCh38")
    assert_one_line_error(code, err, str(arriba), "--fusions SAMPLE=")
    code, _, err = jakcli("classify", "--fusions", f"S={arriba}")
    assert_one_line_error(code, err, "do not record the genome build", "--build")
    two = write_vcf(tmp_path / "two.vcf", [rec("chr9", 5073770, "G", "T", "0/1:60,40:100", "0/0:90,0:90")],
                    samples=("A", "B"))
    code, _, err = jakcli("classify", two, "--fusions", arriba)
    assert_one_line_error(code, err, "the run has 2 samples", "--fusions SAMPLE=")
    code, _, err = jakcli("classify", two, "--sv", FIX / "manta_somatic_grch38.vcf")
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
def test_malformed_fusion_tables(tmp_path, content, needles):
    bad = tmp_path / "bad.tsv"
    bad.write_text(content)
    out = tmp_path / "report.json"
    code, _, err = jakcli("classify", "--fusions", f"S={bad}", "--build", "GRCh38", "--format", "json", "-o", out)
    assert_one_line_error(code, err, str(bad), *needles)
    assert not out.exists() and not list(tmp_path.glob(".*tmp*"))


def test_malformed_sv_record(tmp_path):
    text = (FIX / "manta_somatic_grch38.vcf").read_text().replace("[chr9:36900000[T", "[chr9:36900000]T")
    bad = tmp_path / "bad_sv.vcf"
    bad.write_text(text)
    code, _, err = jakcli("classify", "--sv", bad)
    assert_one_line_error(code, err, str(bad), "record 1", "mixes '[' and ']'")


# ----------------------------------------------------------------------------- names

@pytest.mark.parametrize("name, expected", [
    ("IGH", ("IGH",)), ("IGH@", ("IGH",)), ("IGH-@", ("IGH",)), ("IGHJ6", ("IGH",)), ("IGHM", ("IGH",)),
    ("IGHV3-21", ("IGH",)), ("IGHD3-10(500),IGHJ6(1200)", ("IGH",)), ("IGHMBP2", ("IGHMBP2",)),
    ("IGK", ("IGK",)), ("CRLF2^ENSG00000205755.11", ("CRLF2",)), ("JAK2,INSL6", ("JAK2", "INSL6")), (".", ()),
])
def test_partner_name_normalisation(name, expected):
    assert partner_names(name) == expected


def test_normalise_gene_is_case_insensitive():
    assert normalise_gene(" p2ry8 ") == "P2RY8"
    assert shutil.which("bcftools")  # the SV format tests above need it; CI installs it


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
    assert s["risk"]["not_assessed"] == []
