"""Profile pages of `jakcli rules docs`: every tier in order, its condition in words, and the
IKZF1plus tier with its sources and the notes on what remains unverified."""

from jakcli.authoring.docs import render_all
from jakcli.authoring.profile_docs import condition_text, render_profile
from jakcli.ruleset.loader import load_ruleset

RS = load_ruleset()


def test_every_profile_gets_a_page_linked_from_the_index():
    pages = render_all(RS)
    for pid in RS.profiles:
        assert f"profile-{pid}.md" in pages
        assert f"(profile-{pid}.md)" in pages["index.md"]


def test_b_all_page_lists_the_tiers_in_order_with_the_ikzf1plus_citation():
    page = render_profile(RS.profiles["b-all"])
    labels = [t["label"] for t in RS.profiles["b-all"].doc["tiers"]]
    positions = [page.index(label) for label in labels]
    assert positions == sorted(positions)
    ikzf1plus = page[page.index("### 1. high: IKZF1plus"):page.index("### 2.")]
    assert "[PMID:29498923](https://pubmed.ncbi.nlm.nih.gov/29498923/)" in ikzf1plus
    assert "[DOI:10.1055/s-0040-1709804]" in ikzf1plus and "(U)" in ikzf1plus and "MRD" in ikzf1plus
    assert "none of [erg-deletion](erg-deletion.md) (assessed and absent" in ikzf1plus


def test_condition_text_covers_min_vaf_all_of_and_none_of():
    assert condition_text({"any_of": ["jak2-v617f"], "min_vaf": 0.5}) == "any of [jak2-v617f](jak2-v617f.md) with VAF >= 0.5"
    text = condition_text({"all_of": [{"any_of": ["a"]}, {"any_of": ["b", "c"]}], "none_of": ["d"]})
    assert text.startswith("all of: (any of [a](a.md)); and (any of [b](b.md), [c](c.md)); none of [d](d.md)")


def test_mpn_page_shows_status_and_burden_classes():
    page = render_profile(RS.profiles["mpn"])
    assert "## Per-sample status: `driver_status`" in page and "- none: triple-negative" in page
    assert "highest VAF >= 0.5" in page
