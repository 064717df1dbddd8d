"""Phenopacket v2 output parsed into the GA4GH protobuf messages (phenopackets package)."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("phenopackets", reason="phenopackets not installed (pip install 'jakcli[handoff]')")

from google.protobuf import json_format  # noqa: E402
from phenopackets import AcmgPathogenicityClassification, Cohort, Phenopacket  # noqa: E402

from jakcli.writers.phenopacket import to_phenopacket, to_phenopacket_json  # noqa: E402
from support.reports import one_sample  # noqa: E402

CREATED = "2026-11-22T00:00:00Z"


def test_single_sample_is_a_phenopacket(report38):
    rep = one_sample(report38, "MPN_V617F_HIGH")
    pp = json_format.Parse(json.dumps(to_phenopacket(rep, CREATED)), Phenopacket())
    (interp,) = pp.interpretations
    assert interp.progress_status == interp.COMPLETED and interp.diagnosis.disease.id == "jakcli.profile:b-all"
    (gi,) = interp.diagnosis.genomic_interpretations
    vd = gi.variant_interpretation.variation_descriptor
    assert gi.subject_or_biosample_id == "MPN_V617F_HIGH" and gi.interpretation_status == gi.CONTRIBUTORY
    assert (vd.vcf_record.genome_assembly, vd.vcf_record.chrom, vd.vcf_record.pos, vd.vcf_record.ref,
            vd.vcf_record.alt) == ("GRCh38", "chr9", 5073770, "G", "T")
    assert gi.variant_interpretation.acmg_pathogenicity_classification == 0  # NOT_PROVIDED: not a germline ACMG call
    f = next(f for s in report38["samples"] if s["sample"] == "MPN_V617F_HIGH" for f in s["findings"])
    expected = [("hgvs.c", f"{f['transcript']}:{f['hgvsc']}")] if f.get("hgvsc") else []
    expected += [("hgvs.p", f["hgvsp"])] if f.get("hgvsc") and f.get("hgvsp") else []
    assert [(e.syntax, e.value) for e in vd.expressions] == expected  # the report's HGVS, none invented
    assert pp.meta_data.phenopacket_schema_version == "2.0" and pp.meta_data.created.ToJsonString() == CREATED
    assert {r.namespace_prefix for r in pp.meta_data.resources} == {"GENO", "jakcli.profile"}


def test_cohort_germline_state_and_hgvs(report37, report38):
    rep = json.loads(json.dumps(report38))
    tyk2 = next(s for s in rep["samples"] if s["sample"] == "GERMLINE_TYK2")
    tyk2["findings"][0].update(hgvsc="c.3310C>G", transcript="NM_003331.5", hgvsp=None)
    cohort = json_format.Parse(to_phenopacket_json(rep, CREATED), Cohort())
    assert [m.id for m in cohort.members] == [f"jakcli:{s['sample']}" for s in rep["samples"]]
    member = next(m for m in cohort.members if m.id == "jakcli:GERMLINE_TYK2")
    vd = member.interpretations[0].diagnosis.genomic_interpretations[0].variant_interpretation.variation_descriptor
    assert vd.allelic_state.id in ("GENO:0000135", "GENO:0000136")
    assert [(e.syntax, e.value) for e in vd.expressions] == [("hgvs.c", "NM_003331.5:c.3310C>G")]
    json_format.Parse(to_phenopacket_json(report37, CREATED), Phenopacket())


def test_a_broken_document_does_not_parse(report38):
    doc = to_phenopacket(one_sample(report38, "NEGATIVE"), CREATED)
    doc["interpretations"][0]["progressStatus"] = "SOLVED-ISH"
    with pytest.raises(json_format.ParseError):
        json_format.Parse(json.dumps(doc), Phenopacket())


def test_created_is_the_only_time_and_follows_source_date_epoch(report38, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    a, b = to_phenopacket_json(report38), to_phenopacket_json(report38)
    assert a == b and json.loads(a)["metaData"]["created"] == "2026-09-21T14:13:20Z"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    now = json.loads(to_phenopacket_json(report38))["metaData"]["created"]
    assert now != "2026-09-21T14:13:20Z" and now.endswith("Z")


def test_germline_findings_carry_their_acmg_class(report38):
    rep = one_sample(report38, "GERMLINE_TYK2")
    rep["samples"][0]["germline_findings"] = [{
        "gene": "MPL", "transcript": "NM_005373.3", "hgvsc": "c.305G>C", "hgvsp": "p.(Ser102Thr)",
        "protein_change": "p.S102T", "classification": "likely-pathogenic", "condition": "hereditary thrombocytosis",
        "inheritance": "AD", "zygosity": "heterozygous", "changes_mpn_interpretation": True, "genotype": "0/1",
        "chrom": "chr1", "pos": 43349338, "ref": "G", "alt": "C"}]
    pp = json_format.Parse(to_phenopacket_json(rep, CREATED), Phenopacket())
    gis = pp.interpretations[0].diagnosis.genomic_interpretations
    assert len(gis) == len(rep["samples"][0]["findings"]) + 1
    germ = gis[-1].variant_interpretation
    assert AcmgPathogenicityClassification.Name(germ.acmg_pathogenicity_classification) == "LIKELY_PATHOGENIC"
    assert germ.variation_descriptor.allelic_state.id == "GENO:0000135"
    assert [e.value for e in germ.variation_descriptor.expressions] == ["NM_005373.3:c.305G>C", "p.(Ser102Thr)"]
    assert gis[-1].interpretation_status == gis[-1].UNKNOWN_STATUS
