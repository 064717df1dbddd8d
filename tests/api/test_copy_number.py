"""classify() with --cnv: the issue-13 "Done when" cases, PAR1 in both sexes, the PAR1 + Arriba
merge, and copy number listed as not assessed without --cnv."""

import json
from pathlib import Path

import pytest

from jakcli.classify import classify
from jakcli.model import Options

ROOT = Path(__file__).resolve().parents[2]
CNV = ROOT / "tests" / "fixtures" / "cnv"
ARRIBA = ROOT / "tests" / "fixtures" / "rearrangements" / "arriba_v2_grch38.tsv"
CNVKIT_HEADER = "chromosome\tstart\tend\tgene\tlog2\tprobes\tweight\n"


def _schema_valid(rep):
    import jsonschema

    schema = json.loads((ROOT / "jakcli" / "schemas" / "report.schema.json").read_text())
    jsonschema.validate(rep, schema)


def _run(cnvs, build, **kw):
    fusions = kw.pop("fusions", ())
    rep = classify([], Options(build=build, **kw), cnvs=cnvs, fusions=fusions)
    _schema_valid(rep)
    return rep


def _cnvkit(tmp_path, rows, name="s.cns"):
    p = tmp_path / name
    p.write_text(CNVKIT_HEADER + "".join("\t".join(map(str, r)) + "\n" for r in rows))
    return str(p)


def test_cnvkit_ikzf1_cdkn2ab_without_erg_is_ikzf1plus_high():
    risk = _run([f"S1={CNV / 'cnvkit_ikzf1plus_grch38.cns'}"], "GRCh38")["samples"][0]["risk"]
    assert risk["level"] == "high" and "IKZF1plus" in risk["label"]
    assert "no erg-deletion (assessed)" in risk["rationale"]


def test_gatk_ikzf1_cdkn2ab_without_erg_is_ikzf1plus_high():
    rep = _run([str(CNV / "gatk_ikzf1plus_grch37.modelFinal.seg")], "auto")  # build from the @SQ header
    assert rep["genome_build"] == "GRCh37"
    s = rep["samples"][0]
    assert s["risk"]["level"] == "high" and "IKZF1plus" in s["risk"]["label"]
    ev = next(f for f in s["findings"] if f["rule_id"] == "ikzf1-deletion")["evidence"][0]
    assert ev["evidence"] == "copy-number" and ev["file"].endswith(".modelFinal.seg") and ev["line"] > 1
    assert ev["segment"] and ev["log2"] is not None and ev["genes"] == "IKZF1"


def test_adding_an_erg_deletion_removes_ikzf1plus(tmp_path):
    rows = [line.split("\t") for line in (CNV / "cnvkit_ikzf1plus_grch38.cns").read_text().splitlines()[1:]]
    rows = [r if r[0] != "chr21" else ["chr21", "38000000", "39000000", "ERG", "-0.95", "20", "10"] for r in rows]
    risk = _run([f"S1={_cnvkit(tmp_path, rows)}"], "GRCh38")["samples"][0]["risk"]
    assert "IKZF1plus" not in risk["label"]
    f = _run([f"S1={_cnvkit(tmp_path, rows)}"], "GRCh38")["samples"][0]["findings"]
    assert {"erg-deletion", "ikzf1-deletion", "cdkn2ab-deletion"} <= {x["rule_id"] for x in f}


def test_erg_not_covered_makes_no_ikzf1plus_call_and_says_so(tmp_path):
    rows = [line.split("\t") for line in (CNV / "cnvkit_ikzf1plus_grch38.cns").read_text().splitlines()[1:]]
    rows = [r for r in rows if r[0] != "chr21"]
    risk = _run([f"S1={_cnvkit(tmp_path, rows)}"], "GRCh38")["samples"][0]["risk"]
    assert "IKZF1plus" not in risk["label"] and risk["worst_case_level"] == "high"
    assert any(w.startswith("erg-deletion") for w in risk["not_assessed"])


def test_heterozygous_cdkn2a_loss_is_not_ikzf1plus(tmp_path):
    rows = [line.split("\t") for line in (CNV / "cnvkit_ikzf1plus_grch38.cns").read_text().splitlines()[1:]]
    rows = [r if r[3] != "CDKN2A,CDKN2B" else [*r[:4], "-1.0", *r[5:]] for r in rows]
    s = _run([f"S1={_cnvkit(tmp_path, rows)}"], "GRCh38")["samples"][0]
    assert "IKZF1plus" not in s["risk"]["label"]
    assert s["copy_number"]["rules"]["cdkn2ab-deletion"] == "absent"


@pytest.mark.parametrize("sex", ["female", "male"])
def test_par1_deletion_alone_gives_the_crlf2_rearrangement_finding(tmp_path, sex):
    rows = [["chrX", 1212700, 1530000, "CRLF2,P2RY8", -1.0, 20, 10], ["chr7", 10000, 159335973, "-", 0.0, 900, 700],
            ["chr9", 10000, 138384717, "-", 0.0, 900, 700], ["chr21", 5010000, 46699983, "-", 0.0, 300, 200]]
    s = _run([f"S1={_cnvkit(tmp_path, rows)}"], "GRCh38", sex=sex)["samples"][0]
    (f,) = [f for f in s["findings"] if f["rule_id"] == "crlf2-p2ry8-fusion"]
    assert [e["evidence"] for e in f["evidence"]] == ["copy-number"]
    assert f["evidence"][0]["matched_rule"] == "par1-deletion"
    assert s["risk"]["level"] == "high" and "CRLF2" in s["risk"]["label"]
    assert s["copy_number"]["sex"] == sex and s["copy_number"]["sex_source"] == "given (--sex)"


def test_broad_x_loss_is_not_a_par1_deletion(tmp_path):
    rows = [["chrX", 10000, 60000000, "-", -1.0, 900, 700]]
    s = _run([f"S1={_cnvkit(tmp_path, rows)}"], "GRCh38", sex="female")["samples"][0]
    assert not [f for f in s["findings"] if f["rule_id"] == "crlf2-p2ry8-fusion"]
    assert s["copy_number"]["rules"]["par1-deletion"] == "absent"


def test_par1_deletion_merges_with_an_arriba_p2ry8_crlf2_call(tmp_path):
    rows = [["chrX", 1212700, 1530000, "CRLF2,P2RY8", -1.0, 20, 10]]
    import csv

    with open(ARRIBA) as fh:
        sample_rows = list(csv.reader(fh, delimiter="\t"))
    assert sample_rows[1][0] == "P2RY8"
    s = _run([f"S1={_cnvkit(tmp_path, rows)}"], "GRCh38", sex="male", fusions=[f"S1={ARRIBA}"])["samples"][0]
    found = [f for f in s["findings"] if f["rule_id"] == "crlf2-p2ry8-fusion"]
    assert len(found) == 1
    assert sorted(e["evidence"] for e in found[0]["evidence"]) == ["RNA", "copy-number"]


def test_without_cnv_every_b_all_report_lists_copy_number_as_not_assessed():
    rep = classify([], Options(build="GRCh38"), fusions=[f"S1={ARRIBA}"])
    for s in rep["samples"]:
        assert "copy number (segments)" in s["risk"]["not_assessed"]
        assert s["risk"]["worst_case_level"] == "high"
        assert "copy_number" not in s


def test_gatk_called_seg_par1_and_9p24_amplification_with_co_amplified_targets():
    s = _run([str(CNV / "gatk_par1_jak2amp_grch38.called.seg")], "auto")["samples"][0]
    amp = next(f for f in s["findings"] if f["rule_id"] == "jak2-amplification")
    assert "CD274: amplification 100.0%" in amp["notes"] and amp["evidence"][0]["focal"] is True
    par1 = next(f for f in s["findings"] if f["rule_id"] == "crlf2-p2ry8-fusion")
    assert par1["evidence"][0]["matched_rule"] == "par1-deletion"


def test_run_wide_thresholds_replace_the_bundled_ones_and_are_recorded(tmp_path):
    """A lab's thresholds file (--cnv-thresholds): a deep-loss cut-off of -0.9 makes the log2 -1.0
    CDKN2A/B segment homozygous, so IKZF1 + CDKN2A/B without ERG is IKZF1plus; the report names the
    file and its sha256, and the bundled run records the bundled file's."""
    import hashlib

    rows = [line.split("\t") for line in (CNV / "cnvkit_ikzf1plus_grch38.cns").read_text().splitlines()[1:]]
    rows = [r if r[3] != "CDKN2A,CDKN2B" else [*r[:4], "-1.0", *r[5:]] for r in rows]
    cns = _cnvkit(tmp_path, rows)
    lab = tmp_path / "lab_thresholds.yaml"
    text = (ROOT / "rules" / "copy_number" / "thresholds.yaml").read_text()
    assert "  deep_loss_max: -1.1\n" in text
    lab.write_text(text.replace("  deep_loss_max: -1.1\n", "  deep_loss_max: -0.9\n", 1))
    bundled = _run([f"S1={cns}"], "GRCh38")
    assert bundled["samples"][0]["copy_number"]["rules"]["cdkn2ab-deletion"] == "absent"
    assert bundled["samples"][0]["copy_number"]["thresholds"]["path"] == "bundled"
    labbed = _run([f"S1={cns}"], "GRCh38", cnv_thresholds=str(lab))
    s = labbed["samples"][0]
    assert s["copy_number"]["rules"]["cdkn2ab-deletion"] == "present" and "IKZF1plus" in s["risk"]["label"]
    assert s["copy_number"]["thresholds"] == {"path": str(lab),
                                              "sha256": hashlib.sha256(lab.read_bytes()).hexdigest()}
    assert labbed["options"]["cnv_thresholds"] == str(lab)


PAR1_DELETION = {"GRCh37": (1331700, 1600000), "GRCh38": (1212800, 1480000)}  # inside PAR1, CRLF2 to P2RY8


@pytest.mark.parametrize("build", ["GRCh37", "GRCh38"])
@pytest.mark.parametrize("x_name", ["23", "X", "chrx"])
def test_sex_chromosomes_written_as_23_or_lowercase_are_read_as_x(tmp_path, build, x_name):
    """DNAcopy/IGV .seg files from array and R pipelines write X as 23: a PAR1 deletion there is the
    CRLF2 finding, and a neutral chromosome 23 is assessed and absent, never 'not assessed'."""
    start, end = PAR1_DELETION[build]
    for mean, found in ((-1.0, True), (0.0, False)):
        seg = tmp_path / f"s_{mean}.seg"
        seg.write_text("ID\tchrom\tloc.start\tloc.end\tnum.mark\tseg.mean\n"
                       f"S1\t{x_name}\t{start}\t{end}\t40\t{mean}\n"
                       f"S1\t{x_name}\t{end + 1}\t150000000\t900\t0.0\n")
        s = _run([str(seg)], build, sex="female")["samples"][0]
        hits = [f for f in s["findings"] if f["rule_id"] == "crlf2-p2ry8-fusion"]
        assert bool(hits) is found
        assert s["copy_number"]["rules"]["par1-deletion"] == ("present" if found else "absent")


@pytest.mark.parametrize(("edit", "error"), [
    (lambda t: t.replace("    GRCh37: {X: [154931044, 155260560], Y: [59034050, 59363566]}\n", ""),
     "'sex_chromosomes.par2.GRCh37.X' must be [first, last] 1-based positions"),
    (lambda t: t.replace("Y: [56887903, 57217415]", "Y: [57217415, 56887903]"),
     "'sex_chromosomes.par2.GRCh38.Y' must be [first, last] 1-based positions")])
def test_a_malformed_par2_in_a_lab_thresholds_file_is_a_one_line_rule_error(tmp_path, edit, error):
    from jakcli.errors import RuleError

    lab = tmp_path / "lab.yaml"
    lab.write_text(edit((ROOT / "rules" / "copy_number" / "thresholds.yaml").read_text()))
    with pytest.raises(RuleError, match=error.replace("[", r"\[").replace("]", r"\]")) as exc:
        _run([f"S1={CNV / 'cnvkit_ikzf1plus_grch38.cns'}"], "GRCh38", cnv_thresholds=str(lab))
    assert str(lab) in str(exc.value) and "\n" not in str(exc.value)


def test_a_lab_thresholds_file_without_par2_still_runs_and_infers_sex_outside_par1(tmp_path):
    text = (ROOT / "rules" / "copy_number" / "thresholds.yaml").read_text()
    start = text.index("  # PAR2 (optional key")
    lab = tmp_path / "lab.yaml"
    lab.write_text(text[:start] + text[text.index("  # Sex inferred from the data"):])
    assert "par2" not in lab.read_text()
    s = _run([f"S1={CNV / 'cnvkit_ikzf1plus_grch38.cns'}"], "GRCh38", cnv_thresholds=str(lab))["samples"][0]
    bundled = _run([f"S1={CNV / 'cnvkit_ikzf1plus_grch38.cns'}"], "GRCh38")["samples"][0]
    assert s["copy_number"]["rules"] == bundled["copy_number"]["rules"]
    assert s["copy_number"]["sex"] == bundled["copy_number"]["sex"]
