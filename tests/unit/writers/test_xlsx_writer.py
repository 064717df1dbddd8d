"""The Excel workbook read back with openpyxl."""

from __future__ import annotations

import io

import pytest

openpyxl = pytest.importorskip("openpyxl", reason="openpyxl not installed (pip install 'jakcli[handoff]')")

from jakcli.writers.xlsx import FINDING_COLUMNS, SUMMARY_COLUMNS, to_xlsx  # noqa: E402


def load(report):
    return openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))


def rows(ws) -> list[dict]:
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], r)) for r in values[1:]]


@pytest.mark.parametrize("build_fixture", ["report38", "report37"])
def test_sheets_and_content(build_fixture, request):
    report = request.getfixturevalue(build_fixture)
    wb = load(report)
    names = wb.sheetnames
    assert names[:2] == ["Summary", "Findings"] and names[-1] == "Provenance"
    assert ("Loci" in names) == any(s.get("loci") for s in report["samples"])
    summary = rows(wb["Summary"])
    assert [r["sample"] for r in summary] == [s["sample"] for s in report["samples"]]
    assert tuple(next(wb["Summary"].iter_rows(values_only=True))) == SUMMARY_COLUMNS
    for r, s in zip(summary, report["samples"]):
        assert (r["risk_level"], r["worst_case_level"], r["n_findings"]) == (
            s["risk"]["level"], s["risk"]["worst_case_level"], len(s["findings"]))
    findings = rows(wb["Findings"])
    assert len(findings) == sum(len(s["findings"]) for s in report["samples"])
    assert tuple(next(wb["Findings"].iter_rows(values_only=True))) == FINDING_COLUMNS
    prov = {r["key"]: r["value"] for r in rows(wb["Provenance"])}
    assert prov["ruleset_digest"] == report["ruleset"]["digest"]
    assert prov["genome_build"] == report["genome_build"]
    cat = report.get("catalogue")
    assert prov["catalogue"] == ("not recorded in this report" if not cat else f"{cat['version']} ({cat['digest']})")


def test_optional_sheets_appear_with_their_fields(report38):
    s0 = dict(report38["samples"][0])
    s0["findings"] = [dict(s0["findings"][0], tier={"scheme": "AMP/ASCO/CAP 2017", "tier": "Tier II",
                                                    "evidence_level": "C", "reference": "PMID:27993330", "why": "."})]
    s0["other_variants"] = [{"gene": "JAK2", "transcript": "NM_004972.4", "hgvsc": "c.1A>G", "hgvsp": None,
                             "classification": "uncertain-significance", "exon": 1, "domain": None}]
    s0["germline_findings"] = [{"gene": "MPL", "transcript": "NM_005373.3", "hgvsc": "c.305G>C",
                                "hgvsp": "p.(Ser102Thr)", "protein_change": "p.S102T", "classification": "pathogenic",
                                "condition": "hereditary thrombocytosis", "inheritance": "AD",
                                "zygosity": "heterozygous", "changes_mpn_interpretation": True, "genotype": "0/1"}]
    s0["loci"] = [{"rule_id": "jak2-v617f", "gene": "JAK2", "name": "p.V617F", "kind": "allele",
                   "locus": "chr9:5073770-5073770", "status": "assessed", "depth": 250, "detection_limit_vaf": 0.02,
                   "source": "alignments", "note": None}]
    s0["copy_number"] = {"status": "supplied", "file": "s.cns", "sex": "female", "purity": 0.8, "ploidy": 2,
                         "targets": [{"target": "IKZF1", "genes": "IKZF1", "status": "assessed",
                                      "fraction_assessed": 1.0, "states": {"loss": 2}}],
                         "rules": {"ikzf1-deletion": "present"}}
    wb = load({**report38, "samples": [s0]})
    assert wb.sheetnames == ["Summary", "Findings", "VUS", "Germline", "Loci", "Copy number", "Provenance"]
    assert rows(wb["Findings"])[0]["tier"] == "Tier II, level C (AMP/ASCO/CAP 2017)"
    assert (rows(wb["VUS"])[0]["hgvsc"], rows(wb["VUS"])[0]["exon"]) == ("c.1A>G", 1)
    germ = rows(wb["Germline"])[0]
    assert (germ["condition"], germ["zygosity"], germ["classification"]) == (
        "hereditary thrombocytosis", "heterozygous", "pathogenic")
    assert (rows(wb["Loci"])[0]["depth"], rows(wb["Loci"])[0]["kind"]) == (250, "allele")
    cn = rows(wb["Copy number"])[0]
    assert (cn["target"], cn["target_status"], cn["rules"], cn["purity"]) == (
        "IKZF1", "assessed", "ikzf1-deletion=present", 0.8)


def test_input_text_is_never_a_formula(report38):
    s0 = dict(report38["samples"][0], sample='=HYPERLINK("http://x","y")')
    ws = load({**report38, "samples": [s0]})["Summary"]
    assert ws["A2"].value == '=HYPERLINK("http://x","y")' and ws["A2"].data_type == "s"


def test_control_characters_from_the_input_do_not_break_the_workbook(report38):
    s0 = dict(report38["samples"][0], sample="A\x01B")
    wb = load({**report38, "samples": [s0], "warnings": ["odd\x07byte"]})
    assert wb["Summary"]["A2"].value == "A\ufffdB"
    assert "odd\ufffdbyte" in [r["value"] for r in rows(wb["Provenance"])]
