"""jakcli.diff on report files: provenance of each side, matching of findings, bad input."""

from __future__ import annotations

import json

import pytest

from jakcli.diff import diff_sides, load_side
from jakcli.errors import InputError
from jakcli.writers.changes import to_text, to_tsv
from support.reports import report38


def write(path, report) -> str:
    path.write_text(json.dumps(report))
    return str(path)


def test_same_report_is_no_change(tmp_path):
    rep = report38()
    result = diff_sides(load_side(write(tmp_path / "a.json", rep)), load_side(write(tmp_path / "b.json", rep)))
    assert not result["any_change"] and result["summary"]["compared"] == 9
    assert "no sample changed" in to_text(result) and to_tsv(result).count("\n") == 1


def test_catalogue_and_tier_changes_are_reported(tmp_path):
    old, new = report38(), report38()
    old["catalogue"] = {"version": "2026.11", "digest": "sha256:aa", "entries": 156}
    new["catalogue"] = {"version": "2026.12", "digest": "sha256:bb", "entries": 160}
    s_old = next(s for s in old["samples"] if s["sample"] == "MPN_V617F_HIGH")
    s_new = next(s for s in new["samples"] if s["sample"] == "MPN_V617F_HIGH")
    s_old["findings"][0]["tier"] = tier("Tier I", "A", "FDA-approved therapy")
    s_new["findings"][0]["tier"] = tier("Tier II", "C", "other indication")
    for s in (old, new):  # only the explanation differs: not a change
        next(x for x in s["samples"] if x["sample"] == "MPN_CALR")["findings"][0]["tier"] = tier(
            "Tier I", "B", "why" if s is old else "reworded why")
    result = diff_sides(load_side(write(tmp_path / "a.json", old)), load_side(write(tmp_path / "b.json", new)))
    assert result["catalogue_changed"] and result["old"]["catalogues"] == [{"version": "2026.11", "digest": "sha256:aa"}]
    (changed,) = [s for s in result["samples"] if s["changed"]]
    assert changed["reclassified"][0]["fields"] == [{"field": "tier", "old": "Tier I, level A (AMP/ASCO/CAP 2017)",
                                                     "new": "Tier II, level C (AMP/ASCO/CAP 2017)"}]
    tsv = to_tsv(result)
    assert ".\tcatalogue\t.\t2026.11 (sha256:aa)\t2026.12 (sha256:bb)" in tsv
    assert "MPN_V617F_HIGH\treclassified\ttier\tTier I, level A (AMP/ASCO/CAP 2017)\tTier II" in tsv


def tier(name: str, level: str, why: str) -> dict:
    return {"scheme": "AMP/ASCO/CAP 2017", "reference": "PMID:27993330", "tier": name, "evidence_level": level,
            "why": why}


def test_germline_findings_gained_and_reclassified(tmp_path):
    old, new = report38(), report38()
    germ = {"gene": "TYK2", "transcript": "NM_003331.5", "hgvsc": "c.3310C>G", "hgvsp": "p.(Pro1104Ala)",
            "protein_change": "p.P1104A", "classification": "likely-pathogenic", "condition": "TYK2 deficiency",
            "inheritance": "AR", "zygosity": "heterozygous", "changes_mpn_interpretation": False, "genotype": "0/1",
            "chrom": "chr19", "pos": 10352442, "ref": "G", "alt": "C"}
    for rep in (old, new):
        for s in rep["samples"]:
            s["germline_findings"] = []
    old_s = next(s for s in old["samples"] if s["sample"] == "GERMLINE_TYK2")
    new_s = next(s for s in new["samples"] if s["sample"] == "GERMLINE_TYK2")
    old_s["germline_findings"] = [germ]
    new_s["germline_findings"] = [dict(germ, classification="pathogenic"), dict(germ, pos=10352500)]
    result = diff_sides(load_side(write(tmp_path / "a.json", old)), load_side(write(tmp_path / "b.json", new)))
    (changed,) = [s for s in result["samples"] if s["changed"]]
    assert [f["list"] for f in changed["gained"]] == ["germline_findings"]
    assert changed["reclassified"][0]["fields"] == [{"field": "classification", "old": "likely-pathogenic",
                                                     "new": "pathogenic"}]
    tsv, text = to_tsv(result), to_text(result)
    assert "GERMLINE_TYK2\tgermline_reclassified\tclassification\tlikely-pathogenic\tpathogenic" in tsv
    assert "germline_gained: TYK2 p.P1104A [chr19:10352500 G>C] likely-pathogenic" in text


def test_a_finding_that_moved_to_other_variants_is_lost_with_where_it_went(tmp_path):
    old, new = report38(), report38()
    s_new = next(s for s in new["samples"] if s["sample"] == "MPN_V617F_HIGH")
    moved = s_new["findings"].pop(0)
    s_new["other_variants"] = [{k: moved[k] for k in ("gene", "chrom", "pos", "ref", "alt")}]
    result = diff_sides(load_side(write(tmp_path / "a.json", old)), load_side(write(tmp_path / "b.json", new)))
    (changed,) = [s for s in result["samples"] if s["changed"]]
    assert changed["lost"][0]["now_in"] == "other_variants" and "(now in other_variants)" in to_text(result)


def test_a_rule_change_for_one_variant_is_one_reclassification(tmp_path):
    old, new = report38(), report38()
    f = next(s for s in new["samples"] if s["sample"] == "MPN_V617F_HIGH")["findings"][0]
    f["rule_id"] = "jak2-v617f-lab"
    result = diff_sides(load_side(write(tmp_path / "a.json", old)), load_side(write(tmp_path / "b.json", new)))
    (changed,) = [s for s in result["samples"] if s["changed"]]
    assert not changed["lost"] and not changed["gained"]
    assert changed["reclassified"][0]["fields"] == [{"field": "rule_id", "old": "jak2-v617f", "new": "jak2-v617f-lab"}]


@pytest.mark.parametrize("mangle, message", [
    (lambda r: r["samples"].append("x"), r"samples\[9\] is not a jakcli sample"),
    (lambda r: r["samples"][0].pop("risk"), r"samples\[0\] is not a jakcli sample"),
    (lambda r: r.pop("ruleset"), "not a jakcli JSON report"),
])
def test_a_malformed_report_is_an_input_error(tmp_path, mangle, message):
    rep = report38()
    mangle(rep)
    with pytest.raises(InputError, match=message):
        load_side(write(tmp_path / "a.json", rep))


def test_a_malformed_batch_folder_is_an_input_error(tmp_path):
    (tmp_path / "cohort.json").write_text(json.dumps({"samples": [{"status": "ok", "sample": "A"}]}))
    with pytest.raises(InputError, match=r"samples\[0\] has no sample name or report path"):
        load_side(tmp_path)
    (tmp_path / "cohort.json").write_text(json.dumps({"samples": [{"status": "ok", "sample": "A",
                                                                    "report": "reports/A.json"}]}))
    with pytest.raises(InputError, match="cannot read batch report"):
        load_side(tmp_path)
