"""Every finding in every format shows its transcript and HGVS c. (issue 12); the JSON validates
against the report schema with the germline and VUS sections filled."""

from __future__ import annotations

import json

import jsonschema
from support import REPO, write_vcf

from jakcli.classify import Options, classify
from jakcli.writers import render
from jakcli.writers.text import TSV_COLUMNS

SCHEMA = json.loads((REPO / "jakcli" / "schemas" / "report.schema.json").read_text())


def _report(tmp_path, **opts):
    recs = [["chr9", 5073770, ".", "G", "A", ".", "PASS", "DP=100", "GT:AD:DP", "0/1:50,50:100"],  # V617I germline
            ["chr9", 5073770, ".", "G", "T", ".", "PASS", "DP=100", "GT:AD:DP", "0/1:60,40:100"],  # V617F rule
            ["chr9", 5073771, ".", "T", "G", ".", "PASS", "DP=100", "GT:AD:DP", "0/1:55,45:100"]]  # V617G VUS
    path = write_vcf(tmp_path / "in.vcf", recs)
    return classify([str(path)], Options(**opts))


def test_tsv_new_columns_are_at_the_end(tmp_path):
    rep = _report(tmp_path)
    lines = render("tsv", rep).splitlines()
    header = lines[0].split("\t")
    assert header[:21] == list(TSV_COLUMNS[:21]) and header[-5:] == ["transcript", "hgvsc", "hgvsp", "tier",
                                                                       "catalogue_ids"]
    row = dict(zip(header, lines[1].split("\t")))
    assert (row["rule_id"], row["transcript"], row["hgvsc"], row["hgvsp"]) == (
        "jak2-v617f", "NM_004972.4", "c.1849G>T", "p.(Val617Phe)")
    assert row["tier"].startswith("Tier") and "JAK2-V617F" in row["catalogue_ids"]


def test_markdown_and_html_show_hgvs_germline_and_vus_sections(tmp_path):
    rep = _report(tmp_path, profile="mpn")
    md = render("md", rep)
    assert "NM\\_004972.4:c.1849G\\>T p.(Val617Phe)" in md and "Tier I (A)" in md
    assert "### Germline findings" in md and "### Variants of uncertain significance" in md
    assert "## Catalogue" in md and "- JAK2: " in md
    html = render("html", rep)
    assert "NM_004972.4:c.1849G&gt;T p.(Val617Phe)" in html
    assert "Germline findings" in html and "Variants of uncertain significance" in html


def test_json_validates_and_no_vus_empties_other_variants(tmp_path):
    rep = _report(tmp_path)
    jsonschema.validate(rep, SCHEMA)
    (s,) = rep["samples"]
    assert s["germline_findings"] and s["other_variants"]
    assert rep["catalogue"]["digest"].startswith("sha256:") and rep["reference_fasta"] is None
    hidden = _report(tmp_path, no_vus=True)
    jsonschema.validate(hidden, SCHEMA)
    assert hidden["samples"][0]["other_variants"] == [] and hidden["options"]["no_vus"] is True
