"""Curated germline overrides (knowledge/curation/germline_overrides.tsv): MPL S505N and P106L are
somatic drivers and germline causes of hereditary thrombocytosis; how their calls are reported."""

from __future__ import annotations

import pytest
from support import write_vcf

from jakcli.classify import Options, classify
from jakcli.model import Build
from jakcli.ruleset.catalogue import load_catalogue

BUILDS = [Build.GRCH37, Build.GRCH38]


def _sample(tmp_path, build, entry_prefix, gt, ad):
    e = next(x for x in load_catalogue().entries if x.id.startswith(entry_prefix))
    loc = e.locus(build.value)
    chrom = f"chr{loc.chrom}" if build is Build.GRCH38 else loc.chrom
    dp = sum(int(x) for x in ad.split(","))
    path = write_vcf(tmp_path / f"in_{build.value}.vcf",
                     [[chrom, loc.pos, ".", loc.ref, loc.alt, ".", "PASS", f"DP={dp}", "GT:AD:DP", f"{gt}:{ad}:{dp}"]],
                     build=build, chr_prefix=build is Build.GRCH38)
    return e, classify([str(path)], Options(build=build.value))["samples"][0]


def test_overridden_entries_carry_both_classes():
    cat = {e.protein_change: e for e in load_catalogue().entries if e.gene == "MPL"}
    # S505N: Pathogenic in ClinVar 2016-05; P106L is not in that release: the lower class
    for pc, inh, gcls in (("S505N", "AD", "pathogenic"), ("P106L", "AR", "likely-pathogenic")):
        e = cat[pc]
        assert e.origin == "both" and e.classification in {"oncogenic", "likely-oncogenic"}
        assert e.germline_classification == gcls and e.inheritance == inh
        assert e.germline_effect == "changes-mpn-interpretation" and "thrombocytosis" in e.condition
        assert "curated@jakcli" in e.sources
    assert "PMID:14764528" in cat["S505N"].evidence and "PMID:19036112" in cat["P106L"].evidence


@pytest.mark.parametrize("build", BUILDS, ids=str)
@pytest.mark.parametrize("prefix", ["MPL-S505N", "MPL-P106L"])
def test_heterozygous_fraction_is_somatic_finding_and_germline_possible(tmp_path, build, prefix):
    e, s = _sample(tmp_path, build, prefix, "0/1", "52,48")
    (f,) = s["findings"]
    assert f["rule_id"] == f"catalogue:{e.id}" and f["origin"] == "somatic" and f["catalogue"]["origin"] == "both" and f["classification"] == e.classification
    assert any("origin germline-possible" in n and "confirm on germline tissue" in n for n in f["notes"])
    (g,) = s["germline_findings"]
    assert g["origin_assessment"] == "germline-possible" and g["classification"] == e.germline_classification
    assert g["changes_mpn_interpretation"] is True and g["inheritance"] == e.inheritance
    assert g["tier"]["scheme"] == "ACMG/AMP 2015" and "also reported as a somatic finding" in g["note"]
    assert s["risk"]["level"] == "none-detected"


@pytest.mark.parametrize("build", BUILDS, ids=str)
def test_subclonal_fraction_is_somatic_only(tmp_path, build):
    _e, s = _sample(tmp_path, build, "MPL-S505N", "0/1", "90,10")
    (f,) = s["findings"]
    assert any("origin somatic-likely" in n and "mosaicism is not excluded" in n for n in f["notes"])
    assert s["germline_findings"] == []


@pytest.mark.parametrize("build", BUILDS, ids=str)
def test_homozygous_p106l_is_germline_possible(tmp_path, build):
    _e, s = _sample(tmp_path, build, "MPL-P106L", "1/1", "1,99")
    (g,) = s["germline_findings"]
    assert g["zygosity"] == "homozygous" and g["origin_assessment"] == "germline-possible"
    assert g["inheritance"] == "AR"


@pytest.mark.parametrize("build", BUILDS, ids=str)
def test_jak2_v617i_keeps_germline_only_with_variant_condition(tmp_path, build):
    e, s = _sample(tmp_path, build, "JAK2-V617I", "0/1", "50,50")
    assert s["findings"] == [] and e.origin == "germline"
    (g,) = s["germline_findings"]
    assert "thrombocythemia 3" in g["condition"] and "origin_assessment" not in g
