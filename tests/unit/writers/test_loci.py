"""Per-locus coverage in Markdown and HTML (issue 16): the table, the "not detected" sentences, and
the worst case shown only where it differs from the level, as "not excluded"."""

from __future__ import annotations

from jakcli.writers.html import render_html
from jakcli.writers.loci import locus_rows, not_detected
from jakcli.writers.text import to_markdown

ENTRY = {"rule_id": "jak2-v617f", "gene": "JAK2", "name": "p.V617F", "kind": "allele", "locus": "9:5073770-5073770",
         "status": "assessed", "depth": 1850, "detection_limit_vaf": 0.0042, "source": "alignments", "note": None}
MPL = {**ENTRY, "rule_id": "mpl-w515", "gene": "MPL", "name": "W515", "kind": "codon",
       "locus": "1:43349337-43349339", "status": "not-assessed", "depth": None, "detection_limit_vaf": None,
       "source": "vcf-header", "note": "outside the regions kept by ##bcftools_viewCommand (view -r chr9)"}


def _report(level="none-detected", worst="high", loci=(ENTRY, MPL)):
    return {"schema_version": 1, "jakcli_version": "0", "genome_build": "GRCh38", "genome_build_evidence": "x",
            "ruleset": {"version": "1", "digest": "d", "sources": []}, "profile": {"id": "b-all", "version": 1},
            "options": {}, "inputs": [{"path": "in.vcf", "kind": "vcf", "sha256": "0"}],
            "samples": [{"sample": "S1", "findings": [], "calls_below_floor": 0, "rearrangements_below_floor": 0,
                         "rearrangements_not_reported": [], "loci": list(loci),
                         "risk": {"profile": "b-all", "level": level, "worst_case_level": worst, "label": "l",
                                  "rationale": [], "not_assessed": ["MPL (mpl-w515 not-assessed: ...)"]}}],
            "stats": {"records_read": 1, "records_evaluated": 1, "skipped": {}, "calls_below_floor": 0,
                      "rearrangements": {"fusion_calls_read": 0, "sv_records_read": 0}},
            "warnings": []}


def test_rows_and_sentences():
    s = _report()["samples"][0]
    assert locus_rows(s)[0] == ("JAK2", "p.V617F", "9:5073770-5073770", "assessed", "1,850", "VAF ≥ 0.42%",
                                "alignments")
    assert not_detected(s) == ["JAK2 p.V617F not detected - depth 1,850, 95% detection for VAF ≥ 0.42%",
                               "MPL W515 not assessed (outside the regions kept by ##bcftools_viewCommand "
                               "(view -r chr9))"]


def test_markdown_has_the_table_and_statements():
    md = to_markdown(_report())
    assert "| gene | locus | position | status | depth | 95% detection | source |" in md
    assert "JAK2 p.V617F not detected - depth 1,850, 95% detection for VAF ≥ 0.42%" in md


def test_html_worst_case_only_where_it_differs_and_as_not_excluded():
    page = render_html(_report())
    assert "High risk not excluded" in page or "high risk not excluded" in page.lower()
    assert "95% detection for VAF ≥ 0.42%" in page and "Rule loci: how each was assessed" in page
    same = render_html(_report(level="high", worst="high"))
    assert "not excluded" not in same
