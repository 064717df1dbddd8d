"""The FHIR Bundle: validated with fhir.resources (R4B models), plus the Genomics Reporting IG's
codes and references (HL7/genomics-reporting@1dbfb09b input/fsh/CGFindings.fsh, CGImplications.fsh,
CGGeneral.fsh)."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("fhir.resources", reason="fhir.resources not installed (pip install 'jakcli[handoff]')")

from fhir.resources.R4B import get_fhir_model_class  # noqa: E402
from fhir.resources.R4B.bundle import Bundle  # noqa: E402

from jakcli.writers.fhir import IG, TBD, to_fhir, to_fhir_json  # noqa: E402


def resources(bundle, rtype=None, profile=None):
    out = [e["resource"] for e in bundle["entry"]]
    if rtype:
        out = [r for r in out if r["resourceType"] == rtype]
    if profile:
        out = [r for r in out if f"{IG}/StructureDefinition/{profile}" in r.get("meta", {}).get("profile", [])]
    return out


def codes(cc) -> set:
    return {(c.get("system"), c.get("code")) for c in cc.get("coding", [])}


@pytest.mark.parametrize("build_fixture", ["report38", "report37"])
def test_bundle_and_every_resource_validate(build_fixture, request):
    bundle = to_fhir(request.getfixturevalue(build_fixture))
    Bundle.model_validate(bundle)
    for r in resources(bundle):
        get_fhir_model_class(r["resourceType"]).model_validate(r)


def test_validation_rejects_a_broken_observation(report38):
    bad = resources(to_fhir(report38), "Observation")[0]
    del bad["status"]
    with pytest.raises(Exception):
        get_fhir_model_class("Observation").model_validate(bad)


def test_ig_codes(report38):
    bundle = to_fhir(report38)
    loinc = "http://loinc.org"
    for dr in resources(bundle, "DiagnosticReport"):
        assert codes(dr["code"]) == {(loinc, "51969-4")}
        assert ("http://terminology.hl7.org/CodeSystem/v2-0074", "GE") in codes(dr["category"][0])
    variants = resources(bundle, "Observation", "variant")
    assert len(variants) == sum(len(s["findings"]) for s in report38["samples"])
    for v in variants:
        assert codes(v["code"]) == {(loinc, "69548-6")}
        assert codes(v["valueCodeableConcept"]) == {(loinc, "LA9633-4")}
        comp = {c["code"]["coding"][0]["code"]: c for c in v["component"]}
        assert "48018-6" in comp and codes(comp["62374-4"]["valueCodeableConcept"]) == {(loinc, "LA26806-2")}
        assert {codes(cat).pop() for cat in v["category"]} == {
            ("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory"),
            ("http://terminology.hl7.org/CodeSystem/v2-0074", "GE")}
    v617f = next(v for v in variants if any(c.get("valueString") == "G" for c in v["component"])
                 and any("p.V617F" in (c.get("valueString") or "") for c in v["component"]))
    comp = {c["code"]["coding"][0]["code"]: c for c in v617f["component"]}
    assert comp["81254-5"]["valueRange"]["low"]["value"] == 5073770
    assert codes(comp["48002-0"]["valueCodeableConcept"]) == {(loinc, "LA6684-0")}
    assert 0 < comp["81258-6"]["valueQuantity"]["value"] < 1
    finding = next(f for smp in report38["samples"] for f in smp["findings"] if f["rule_id"] == "jak2-v617f")
    if finding.get("hgvsc"):  # HGVS from the report, with its transcript; never invented
        assert comp["48004-6"]["valueCodeableConcept"]["coding"][0]["code"].endswith(":" + finding["hgvsc"])
    else:
        assert "48004-6" not in comp and "48005-3" not in comp
    for d in resources(bundle, "Observation", "diagnostic-implication"):
        assert codes(d["code"]) == {(TBD, "diagnostic-implication")}
        assert any(c["code"]["coding"][0]["code"] == "53037-8" for c in d["component"])
    therapies = resources(bundle, "Observation", "therapeutic-implication")
    assert therapies and all(codes(t["code"]) == {(TBD, "therapeutic-implication")} for t in therapies)
    assert all(any(c["code"]["coding"][0]["code"] == "51963-7" for c in t["component"]) for t in therapies)


def test_germline_allelic_state_and_hgvs_when_present(report38):
    s = next(dict(s) for s in report38["samples"] if s["sample"] == "GERMLINE_TYK2")
    s["findings"] = [dict(f, hgvsc="c.3310C>G", transcript="NM_003331.5") for f in s["findings"]]
    v = resources(to_fhir({**report38, "samples": [s]}), "Observation", "variant")[0]
    comp = {c["code"]["coding"][0]["code"]: c for c in v["component"]}
    assert codes(comp["48002-0"]["valueCodeableConcept"]) == {("http://loinc.org", "LA6683-2")}
    assert comp["53034-5"]["valueCodeableConcept"]["coding"][0]["code"] in ("LA6706-1", "LA6705-3")
    assert codes(comp["48004-6"]["valueCodeableConcept"]) == {("http://varnomen.hgvs.org", "NM_003331.5:c.3310C>G")}
    assert "51958-7" in comp


def test_references_resolve(report38):
    bundle = to_fhir(report38)
    full = {e["fullUrl"] for e in bundle["entry"]}
    assert all(e["fullUrl"] == f"urn:uuid:{e['resource']['id']}" for e in bundle["entry"])
    observations = {f"urn:uuid:{r['id']}" for r in resources(bundle, "Observation")}
    referenced = set()
    for dr in resources(bundle, "DiagnosticReport"):
        refs = {r["reference"] for r in dr["result"]}
        assert refs <= full
        referenced |= refs
        study = dr["extension"][0]["valueReference"]["reference"]
        assert study in full
    assert referenced == observations  # every Observation is a result of its sample's report
    for o in resources(bundle, "Observation"):
        assert o["subject"]["reference"] in full and o["specimen"]["reference"] in full
        for d in o.get("derivedFrom", []):
            assert d["reference"] in full
    for p in resources(bundle, "Procedure", "genomic-study"):
        assert p["extension"][0]["valueReference"]["reference"] in full


def test_regions_studied_say_what_is_unknown(report38):
    analyses = resources(to_fhir(report38), "Procedure", "genomic-study-analysis")
    assert len(analyses) == len(report38["samples"])
    regions = next(e for e in analyses[1]["extension"] if e["url"].endswith("genomic-study-analysis-regions"))
    desc = regions["extension"][0]["valueString"]
    assert "not assessed: fusions" in desc
    loci = report38["samples"][1].get("loci")
    if loci is None:
        assert "per-locus coverage is not recorded" in desc
    else:  # every rule locus is studied; only assessed ones count as called
        urls = [e["url"] for e in regions["extension"][1:]]
        assert urls.count("studied") == len(loci)
        assert urls.count("called") == sum(1 for x in loci if x["status"] == "assessed")


def test_deterministic(report38):
    assert to_fhir_json(report38) == to_fhir_json(json.loads(json.dumps(report38)))
