"""FHIR R4 Bundle in the shape of the HL7 Genomics Reporting IG (``--format fhir``).

Source of every profile, code and extension URL below: HL7/genomics-reporting@1dbfb09bbdb7a8da9d6c7f14d4f00437afdf6ab8
(IG 4.0.0-cibuild, fhirVersion 4.0.1): input/fsh/CGFindings.fsh (Variant components),
CGImplications.fsh (Diagnostic/TherapeuticImplication), CGGeneral.fsh (GenomicBase categories,
GenomicReport code 51969-4), GGGenomicStudy.fsh (GenomicStudy, analysis regions), CGCodeSystem.fsh
(TbdCodesCS), Aliases.fsh (system URIs); LOINC answer codes (LA...) as used in the IG's examples
(input/fsh/examples/*.fsh). Table in docs/handoff.md. Codes the report cannot fill (HGNC ids,
chromosome LA codes, c./p. HGVS when the report has none) are left out rather than guessed.
Deterministic: resource ids are UUIDv5 of the report's digest, inputs and sample; no timestamps.
"""

from __future__ import annotations

import json
import uuid

from jakcli.writers.common import input_checksum
from jakcli.writers.fields import hgvs_c

IG = "http://hl7.org/fhir/uv/genomics-reporting"
LOINC, UCUM, HGVS = "http://loinc.org", "http://unitsofmeasure.org", "http://varnomen.hgvs.org"
REFSEQ = "http://www.ncbi.nlm.nih.gov/refseq"
TBD = f"{IG}/CodeSystem/tbd-codes-cs"
RELATED_ARTIFACT = "http://hl7.org/fhir/StructureDefinition/workflow-relatedArtifact"
CATEGORIES = [
    {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "laboratory"}]},
    {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0074", "code": "GE"}]},
]
ASSEMBLY = {"GRCh37": ("LA14029-5", "GRCh37"), "GRCh38": ("LA26806-2", "GRCh38")}
SOURCE_CLASS = {"somatic": ("LA6684-0", "Somatic"), "germline": ("LA6683-2", "Germline")}
ALLELIC_STATE = {"0/1": ("LA6706-1", "heterozygous"), "0|1": ("LA6706-1", "heterozygous"),
                 "1|0": ("LA6706-1", "heterozygous"), "1/1": ("LA6705-3", "homozygous"),
                 "1|1": ("LA6705-3", "homozygous")}
PRESENT = ("LA9633-4", "Present")
ONE_BASED = ("LA30102-0", "1-based character counting")


def _cc(system: str, code: str, display: str | None = None) -> dict:
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return {"coding": [coding]}


def _comp(code: str, display: str | None, **value) -> dict:
    return {"code": _cc(LOINC, code, display), **value}


def _tbd(code: str, **value) -> dict:
    return {"code": _cc(TBD, code), **value}


class _Ids:
    """Deterministic urn:uuid ids: the same report always gives the same Bundle."""

    def __init__(self, report: dict):
        digests = (i.get("sha256") or input_checksum(i) for i in report.get("inputs", []))
        self.seed = report["ruleset"]["digest"] + "|" + "|".join(digests)

    def __call__(self, *parts) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, "jakcli:" + self.seed + ":" + ":".join(map(str, parts))))


def _partners(f: dict) -> list[str]:
    alt = (f.get("alteration") or "").split()[0] if f.get("alteration") else ""
    return [g for g in alt.split("::") if g] if "::" in alt else [f["gene"]]


def variant_components(report: dict, f: dict) -> list[dict]:
    """Variant profile components that the report can fill."""
    comps = [_comp("48018-6", "Gene studied [ID]", valueCodeableConcept={"text": g}) for g in _partners(f)]
    code, disp = ASSEMBLY[report["genome_build"]]
    comps.append(_comp("62374-4", "Human reference sequence assembly version",
                       valueCodeableConcept=_cc(LOINC, code, disp)))
    if f.get("origin") in SOURCE_CLASS:
        comps.append(_comp("48002-0", "Genomic source class",
                           valueCodeableConcept=_cc(LOINC, *SOURCE_CLASS[f["origin"]])))
    if f.get("ref") and f.get("alt"):
        comps += [_comp("69547-8", "Genomic ref allele [ID]", valueString=f["ref"]),
                  _comp("69551-0", "Genomic alt allele [ID]", valueString=f["alt"]),
                  _comp("92822-6", "Genomic coord system", valueCodeableConcept=_cc(LOINC, *ONE_BASED)),
                  _comp("81254-5", "Genomic allele start-end",
                        valueRange={"low": {"value": f["pos"]}, "high": {"value": f["pos"] + len(f["ref"]) - 1}})]
    if f.get("vaf") is not None:
        comps.append(_comp("81258-6", "Sample VAF", valueQuantity={"value": f["vaf"], "system": UCUM, "code": "1",
                                                                    "unit": "relative frequency"}))
    if f.get("alt_reads") is not None:
        comps.append(_comp("82121-5", "Allelic read depth",
                           valueQuantity={"value": f["alt_reads"], "system": UCUM, "code": "1", "unit": "reads"}))
    if f.get("origin") == "germline" and f.get("genotype") in ALLELIC_STATE:
        comps.append(_comp("53034-5", "Allelic state", valueCodeableConcept=_cc(LOINC, *ALLELIC_STATE[f["genotype"]])))
    if c := hgvs_c(f):  # with its transcript, as in the IG's examples (NM_...:c....)
        comps.append(_comp("48004-6", "DNA change (c.HGVS)", valueCodeableConcept=_cc(HGVS, c, c)))
    if f.get("hgvsp"):
        comps.append(_comp("48005-3", None, valueCodeableConcept=_cc(HGVS, f["hgvsp"], f["hgvsp"])))
    tx = f.get("transcript")
    if tx:
        value = _cc(REFSEQ, tx, tx) if str(tx).startswith(("NM_", "NR_", "XM_")) else {"text": str(tx)}
        comps.append(_comp("51958-7", "Transcript reference sequence [ID]", valueCodeableConcept=value))
    comps.append(_tbd("conclusion-string", valueString=f"{f['gene']} {f['alteration']} "
                                                       f"(jakcli rule {f['rule_id']}@{f['rule_version']})"))
    return comps


def _observation(oid: str, profile: str, code: dict, subject: str, specimen: str, **rest) -> dict:
    return {"resourceType": "Observation", "id": oid, "meta": {"profile": [f"{IG}/StructureDefinition/{profile}"]},
            "status": "final", "category": CATEGORIES, "code": code, "subject": {"reference": subject},
            "specimen": {"reference": specimen}, **rest}


def finding_resources(report: dict, f: dict, ids: _Ids, key: tuple, subject: str, specimen: str) -> list[dict]:
    """The Variant observation and its diagnostic and therapeutic implications."""
    vid = ids(*key, "variant")
    variant = _observation(vid, "variant", _cc(LOINC, "69548-6", "Genetic variant assessment"), subject, specimen,
                           valueCodeableConcept=_cc(LOINC, *PRESENT), component=variant_components(report, f))
    rs = report["ruleset"]
    kb = f"jakcli ruleset {rs['version']} ({rs['digest']}), rule {f['rule_id']}@{f['rule_version']}"
    diag = _observation(ids(*key, "diagnostic"), "diagnostic-implication", _cc(TBD, "diagnostic-implication"),
                        subject, specimen, derivedFrom=[{"reference": f"urn:uuid:{vid}"}],
                        component=[_comp("53037-8", "Genetic variation clinical significance [Imp]",
                                         valueCodeableConcept={"text": f["classification"]}),
                                   _tbd("knowledge-base", valueCodeableConcept={"text": kb})])
    refs = [{"url": RELATED_ARTIFACT, "valueRelatedArtifact": {"type": "citation", "citation": r}}
            for r in f.get("references") or []]
    if refs:
        diag["extension"] = refs
    out = [variant, diag]
    for t, therapy in enumerate(f.get("therapies") or []):
        note = (f"{therapy.get('drug')}: {therapy.get('status')} for {therapy.get('indication')} "
                "(rule note; not a recommendation for this patient)")
        comps = [_comp("51963-7", "Medication assessed", valueCodeableConcept={"text": str(therapy.get("drug"))})]
        if therapy.get("indication"):
            comps.append(_comp("81259-4", "Associated phenotype",
                               valueCodeableConcept={"text": str(therapy["indication"])}))
        comps.append(_tbd("conclusion-string", valueString=note))
        out.append(_observation(ids(*key, "therapy", t), "therapeutic-implication", _cc(TBD, "therapeutic-implication"),
                                subject, specimen, derivedFrom=[{"reference": f"urn:uuid:{vid}"}], component=comps))
    return out


def _regions_extension(report: dict, s: dict) -> dict:
    """genomic-study-analysis-regions: loci studied/called/uncalled when the report has ``loci``;
    otherwise only a description saying that per-locus coverage is not in this report."""
    rs, risk = report["ruleset"], s["risk"]
    desc = f"JAK-STAT loci of jakcli ruleset {rs['version']} ({report['genome_build']})"
    if risk.get("not_assessed"):
        desc += "; not assessed: " + "; ".join(risk["not_assessed"])
    loci = s.get("loci")
    if loci is None:
        desc += "; per-locus coverage is not recorded in this report"
    subs: list[dict] = [{"url": "description", "valueString": desc}]
    for locus in loci or []:
        text = {"text": f"{locus.get('gene')} {locus.get('locus')} ({locus.get('rule_id')})"}
        subs.append({"url": "studied", "valueCodeableConcept": text})
        called = str(locus.get("status", "")).lower() in ("covered", "called", "assessed", "ok")
        subs.append({"url": "called" if called else "uncalled", "valueCodeableConcept": text})
    return {"url": f"{IG}/StructureDefinition/genomic-study-analysis-regions", "extension": subs}


def study_resources(report: dict, s: dict, ids: _Ids, subject: str) -> list[dict]:
    sid, aid = ids(s["sample"], "study"), ids(s["sample"], "analysis")
    code, disp = ASSEMBLY[report["genome_build"]]
    analysis: dict = {
        "resourceType": "Procedure", "id": aid,
        "meta": {"profile": [f"{IG}/StructureDefinition/genomic-study-analysis"]},
        "status": "completed", "subject": {"reference": subject},
        "extension": [{"url": f"{IG}/StructureDefinition/genomic-study-analysis-genome-build",
                       "valueCodeableConcept": _cc(LOINC, code, disp)}, _regions_extension(report, s)]}
    study: dict = {
        "resourceType": "Procedure", "id": sid, "meta": {"profile": [f"{IG}/StructureDefinition/genomic-study"]},
        "status": "completed", "subject": {"reference": subject},
        "extension": [{"url": f"{IG}/StructureDefinition/genomic-study-analysis-ext",
                       "valueReference": {"reference": f"urn:uuid:{aid}"}}]}
    return [study, analysis]


def sample_resources(report: dict, s: dict, ids: _Ids) -> list[dict]:
    """Patient placeholder, Specimen, findings, study and the GenomicReport of one sample."""
    name = s["sample"]
    pid, spid, rid = ids(name, "patient"), ids(name, "specimen"), ids(name, "report")
    ident = [{"system": "urn:jakcli:sample", "value": name}]
    subject, specimen = f"urn:uuid:{pid}", f"urn:uuid:{spid}"
    res: list[dict] = [{"resourceType": "Patient", "id": pid, "identifier": ident},
           {"resourceType": "Specimen", "id": spid, "identifier": ident, "subject": {"reference": subject}}]
    for i, f in enumerate(s["findings"]):
        res += finding_resources(report, f, ids, (name, i), subject, specimen)
    study = study_resources(report, s, ids, subject)
    results = [{"reference": f"urn:uuid:{r['id']}"} for r in res if r["resourceType"] == "Observation"]
    risk = s["risk"]
    conclusion = (f"jakcli {risk['profile']} risk: {risk['level']} ({risk.get('label')}); worst case if unassessed "
                  f"alterations were present: {risk['worst_case_level']}")
    if risk.get("not_assessed"):
        conclusion += "; not assessed: " + "; ".join(risk["not_assessed"])
    report_res = {"resourceType": "DiagnosticReport", "id": rid,
                  "meta": {"profile": [f"{IG}/StructureDefinition/genomic-report"]},
                  "extension": [{"url": f"{IG}/StructureDefinition/genomic-study-reference",
                                 "valueReference": {"reference": f"urn:uuid:{study[0]['id']}"}}],
                  "status": "final", "category": [CATEGORIES[1]],
                  "code": _cc(LOINC, "51969-4", "Genetic analysis report"),
                  "subject": {"reference": subject}, "specimen": [{"reference": specimen}],
                  "result": results, "conclusion": conclusion}
    return res + study + [report_res]


def to_fhir(report: dict) -> dict:
    """The Bundle (type collection) as a dict: every sample of the report."""
    ids = _Ids(report)
    entries = []
    for s in report["samples"]:
        entries += [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in sample_resources(report, s, ids)]
    return {"resourceType": "Bundle", "id": ids("bundle"), "type": "collection",
            "identifier": {"system": "urn:jakcli:ruleset-digest", "value": report["ruleset"]["digest"]},
            "entry": entries}


def to_fhir_json(report: dict) -> str:
    return json.dumps(to_fhir(report), indent=2, ensure_ascii=False) + "\n"
