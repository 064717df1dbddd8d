"""What a report says about the ClinGen/CGC/VICC 2022 points of a catalogue finding: the class, points
and codes, and whether the points decided the catalogue class (class_basis) or the sources did."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from jakcli.engine.catalogue_match import CatalogueHit
from jakcli.ruleset.catalogue import load_catalogue
from jakcli.writers.vicc import LEGEND, vicc_text

CAT = Path(__file__).resolve().parents[3] / "rules" / "catalogue" / "catalogue.tsv"


def _entry(**changes):
    e = next(e for e in load_catalogue(CAT).entries if e.id == "JAK2-V617F-c1849G>T")
    return replace(e, **changes)


@pytest.mark.parametrize(("changes", "text"), [
    ({"vicc_codes": ("OS2", "OM1"), "vicc_points": 6, "vicc_class": "likely-oncogenic",
      "classification": "likely-oncogenic", "source_classification": "likely-oncogenic", "class_basis": "vicc-2022"},
     "VICC 2022: likely oncogenic (6 pts: OS2, OM1), the catalogue class"),
    ({"vicc_codes": ("OS2", "OM1"), "vicc_points": 6, "vicc_class": "likely-oncogenic",
      "classification": "oncogenic", "source_classification": "oncogenic", "class_basis": "source-curation"},
     "VICC 2022: likely oncogenic (6 pts: OS2, OM1), below the sources' class; catalogue class from source curation"),
    ({"vicc_codes": ("OS2",), "vicc_points": 4, "vicc_class": "uncertain-significance",
      "classification": "oncogenic", "class_basis": "source-curation"},
     "VICC 2022: uncertain significance (4 pts: OS2), not decisive; catalogue class from source curation"),
    ({"vicc_codes": (), "vicc_points": 0, "vicc_class": "uncertain-significance", "class_basis": "source-curation"},
     "VICC 2022: uncertain significance (0 pts: no code applied), not decisive; catalogue class from source "
     "curation"),
    ({"vicc_codes": ("OP3",), "vicc_points": 1, "vicc_class": "uncertain-significance",
      "class_basis": "source-curation"},
     "VICC 2022: uncertain significance (1 pt: OP3), not decisive; catalogue class from source curation")])
def test_the_phrase_says_whether_the_points_decide(changes: dict, text: str) -> None:
    block = CatalogueHit((_entry(**changes),), "protein").to_dict()
    assert block["class_basis"] == changes["class_basis"]
    assert block["classification"] == changes.get("classification", "oncogenic")
    assert block["source_classification"] == changes.get("source_classification", "oncogenic")
    assert vicc_text({"catalogue": block}) == text
    # a catalogue finding carries the entry's class: nothing more to say
    same = {"catalogue": block, "rule_id": "catalogue:x", "classification": "benign"}
    assert vicc_text(same) == text


def test_a_rule_finding_with_another_class_says_whose_class_it_shows() -> None:
    block = CatalogueHit((_entry(vicc_codes=("OS2", "OM1"), vicc_points=6, vicc_class="likely-oncogenic",
                                 classification="likely-oncogenic", source_classification="likely-oncogenic",
                                 class_basis="vicc-2022"),), "protein").to_dict()
    rule = {"catalogue": block, "rule_id": "mpl-w515", "classification": "oncogenic"}
    assert vicc_text(rule) == ("VICC 2022: likely oncogenic (6 pts: OS2, OM1), the catalogue class (likely "
                               "oncogenic); this finding has rule mpl-w515's class")
    agree = {"catalogue": block, "rule_id": "mpl-w515", "classification": "likely-oncogenic"}
    assert vicc_text(agree) == "VICC 2022: likely oncogenic (6 pts: OS2, OM1), the catalogue class"


def test_no_phrase_without_points_and_the_legend_says_what_decides() -> None:
    germ = next(e for e in load_catalogue(CAT).entries if e.origin == "germline")
    block = CatalogueHit((germ,), "protein").to_dict()
    assert block["vicc"] is None and block["class_basis"] == "source-curation"
    assert vicc_text({"catalogue": block}) is None and vicc_text({"catalogue": None}) is None
    assert "decide the catalogue entry's class" in LEGEND and "absent, not assumed" in LEGEND
    assert "lower bound" in LEGEND and "keeps the rule's class" in LEGEND
    assert "PMID 35101336" in LEGEND
