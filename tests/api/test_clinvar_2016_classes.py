"""ClinVar 2016-05 per-allele class and condition of germline catalogue entries
(knowledge/sources/clinvar_2016, knowledge/curation/clinvar_trait_conditions.tsv)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from support import write_vcf

from jakcli.classify import Options, classify
from jakcli.model import Build
from jakcli.ruleset.catalogue import load_catalogue

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cat():
    return {e.id.split("-c")[0]: e for e in load_catalogue().entries}


def test_pathogenic_and_likely_pathogenic_are_told_apart(cat):
    assert cat["IL7R-C118Y"].classification == "pathogenic"  # ClinVar 2016: Pathogenic
    assert cat["IL7R-H180P"].classification == "likely-pathogenic"  # ClinVar 2016: Likely pathogenic
    assert cat["STAT3-E415K"].classification == "likely-pathogenic"  # LP;P mixed: the lower class
    assert cat["IL7R-L69V"].classification == "likely-pathogenic"  # not in the 2016 release
    assert "ClinVarVariation:36392" in cat["IL7R-C118Y"].evidence


def test_conditions_per_variant(cat):
    camt = cat["MPL-R257C"]
    assert "amegakaryocytic" in camt.condition and camt.inheritance == "AR"
    assert camt.germline_effect == "informational"  # loss of function: no hereditary-thrombocytosis flag
    assert "hyper-IgE" in cat["STAT3-R382W"].condition
    assert "gain-of-function" in cat["STAT3-K392R"].condition
    assert cat["STAT3-E415K"].condition.startswith("unresolved: ")  # both traits listed
    assert cat["JAK2-V617I"].classification == "pathogenic" and "thrombocythemia 3" in cat["JAK2-V617I"].condition


def test_disagreements_are_listed_not_applied(cat):
    conflicts = list(csv.DictReader((ROOT / "rules/catalogue/conflicts.tsv").open(), delimiter="\t"))
    kinds = {(c["id"].split("-c")[0], c["kind"]) for c in conflicts}
    assert ("JAK3-P132T", "clinvar-2016-benign") in kinds and cat["JAK3-P132T"].origin == "somatic"
    assert ("MPL-G88E", "clinvar-2016-class") in kinds and cat["MPL-G88E"].classification == "likely-pathogenic"


@pytest.mark.parametrize("build", [Build.GRCH37, Build.GRCH38], ids=str)
def test_camt_allele_is_a_germline_finding_without_mpn_flag(tmp_path, build, cat):
    e = cat["MPL-R257C"]
    loc = e.locus(build.value)
    chrom = f"chr{loc.chrom}" if build is Build.GRCH38 else loc.chrom
    path = write_vcf(tmp_path / "in.vcf", [[chrom, loc.pos, ".", loc.ref, loc.alt, ".", "PASS", "DP=100",
                                             "GT:AD:DP", "0/1:50,50:100"]], build=build,
                     chr_prefix=build is Build.GRCH38)
    s = classify([str(path)], Options(build=build.value))["samples"][0]
    (g,) = s["germline_findings"]
    assert g["classification"] == "pathogenic" and g["inheritance"] == "AR"
    assert g["changes_mpn_interpretation"] is False and "amegakaryocytic" in g["condition"]
