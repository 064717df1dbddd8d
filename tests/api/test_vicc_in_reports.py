"""Markdown and HTML show the ClinGen/CGC/VICC 2022 class, points and codes of a catalogue finding
beside its classification, with a legend citing Horak et al. 2022 (issue 12); a finding that no
catalogue entry backs shows none."""

from __future__ import annotations

import re

import pytest
from support import write_vcf

from jakcli.classify import Options, classify
from jakcli.model import Build
from jakcli.writers import render

# JAK1 L910P: catalogue entry with OP3 (1 point); MPL W515S: rule mpl-w515 only, no catalogue entry.
RECORDS = {
    Build.GRCH38: (("chr1", 64839716, "A", "G"), ("chr1", 43349338, "G", "C")),
    Build.GRCH37: (("1", 65305399, "A", "G"), ("1", 43815009, "G", "C")),
}
VICC = "VICC 2022: uncertain significance (1 pt: OP3), not decisive; catalogue class from source curation"


def _report(tmp_path, build):
    recs = [[c, p, ".", r, a, ".", "PASS", "DP=100", "GT:AD:DP", "0/1:60,40:100"] for c, p, r, a in RECORDS[build]]
    path = write_vcf(tmp_path / "in.vcf", recs, build=build, chr_prefix=build is Build.GRCH38)
    return classify([str(path)], Options())


@pytest.mark.parametrize("build", [Build.GRCH38, Build.GRCH37])
def test_markdown_shows_vicc_for_catalogue_finding_only(tmp_path, build):
    md = render("md", _report(tmp_path, build))
    rows = {line.split(" | ")[1]: line for line in md.splitlines() if line.startswith(("| JAK1 |", "| MPL |"))}
    assert f"oncogenic; {VICC} |" in rows["p.L910P"]
    assert "VICC" not in rows["p.W515S"]
    assert "Horak et al." in md and "PMID 35101336" in md


@pytest.mark.parametrize("build", [Build.GRCH38, Build.GRCH37])
def test_html_shows_vicc_for_catalogue_finding_only(tmp_path, build):
    html = render("html", _report(tmp_path, build))
    rows = re.findall(r'<tr class="finding">.*?</tr>', html, re.S)
    (jak1,) = [r for r in rows if "p.L910P" in r]
    (mpl,) = [r for r in rows if "p.W515S" in r]
    assert f'<span class="sub vicc">{VICC}</span>' in jak1 and "VICC" not in mpl
    assert "Horak et al., Genet Med 2022, PMID 35101336" in html


def test_no_legend_without_a_vicc_class(tmp_path):
    recs = [["chr1", 43349338, ".", "G", "C", ".", "PASS", "DP=100", "GT:AD:DP", "0/1:60,40:100"]]
    rep = classify([str(write_vcf(tmp_path / "in.vcf", recs))], Options())
    assert "Horak" not in render("md", rep) and "vicc-legend" not in render("html", rep)


# MPL W515K and W515L: OS2 + OM1 = 6 points (likely oncogenic). W515K's sources say likely oncogenic, so
# the points confirm it and decide; W515L's say oncogenic, which a lower bound never lowers. The rule
# mpl-w515 reports both alleles first and keeps its own class (oncogenic).
W515 = {Build.GRCH38: {"W515K": ("chr1", 43349337, "TG", "AA"), "W515L": ("chr1", 43349338, "G", "T")},
        Build.GRCH37: {"W515K": ("1", 43815008, "TG", "AA"), "W515L": ("1", 43815009, "G", "T")}}
EXPECT = {
    "W515K": ("likely-oncogenic", "vicc-2022", "VICC 2022: likely oncogenic (6 pts: OS2, OM1), the catalogue "
              "class (likely oncogenic); this finding has rule mpl-w515's class"),
    "W515L": ("oncogenic", "source-curation", "VICC 2022: likely oncogenic (6 pts: OS2, OM1), below the sources' "
              "class; catalogue class from source curation")}


@pytest.mark.parametrize("build", [Build.GRCH38, Build.GRCH37])
@pytest.mark.parametrize("change", ["W515K", "W515L"])
def test_points_decide_the_catalogue_class_only_at_or_above_the_sources(tmp_path, build, change):
    c, p, r, a = W515[build][change]
    path = write_vcf(tmp_path / "in.vcf", [[c, p, ".", r, a, ".", "PASS", "DP=100", "GT:AD:DP", "0/1:60,40:100"]],
                     build=build, chr_prefix=build is Build.GRCH38)
    rep = classify([str(path)], Options())
    (f,) = [f for f in rep["samples"][0]["findings"] if f["gene"] == "MPL"]
    cls, basis, phrase = EXPECT[change]
    cat = f["catalogue"]
    assert (cat["classification"], cat["class_basis"], cat["protein_change"]) == (cls, basis, change)
    assert cat["vicc"]["codes"] == ["OS2", "OM1"] and cat["vicc"]["points"] == 6
    assert f["rule_id"] == "mpl-w515" and f["classification"] == "oncogenic"  # the rule's own class
    assert phrase in render("md", rep)
    assert phrase.replace("'", "&#39;") in render("html", rep)
