"""GA4GH Phenopacket v2 (``--format phenopacket``) from the JSON report dict.

Field names and required elements follow phenopackets/phenopacket-schema docs
(docs/interpretation.rst @08c16dd3: Interpretation id and progress_status required, Diagnosis.disease
required; docs/variant.rst @0cfadfe4: allelic state from GENO, heterozygous GENO:0000135) and the
v2 protobuf messages of the ``phenopackets`` package (2.0.2.post5). One sample gives one
Phenopacket; several give a Cohort whose members are one Phenopacket per sample.

jakcli makes no diagnosis: ``diagnosis.disease`` names the jakcli risk profile with a local CURIE
(``jakcli.profile:b-all``, declared in metaData.resources), not a disease ontology term. ACMG
pathogenicity is a germline scale, so it is NOT_PROVIDED and jakcli's own class is in the
descriptor's description; therapeutic actionability is UNKNOWN_ACTIONABILITY (rule therapy notes
are not a patient-level assessment). ``metaData.created`` is required by the schema: it is the
``created`` argument, else SOURCE_DATE_EPOCH when set, else the time of writing (like the HTML
page's footer); it is the only time in the file.
"""

from __future__ import annotations

import json

from jakcli.writers.fields import hgvs_c, tier_text

SCHEMA_VERSION = "2.0"
GENO = {"0/1": ("GENO:0000135", "heterozygous"), "0|1": ("GENO:0000135", "heterozygous"),
        "1|0": ("GENO:0000135", "heterozygous"), "1/1": ("GENO:0000136", "homozygous"),
        "1|1": ("GENO:0000136", "homozygous")}
INTERPRETATION_STATUS = {"oncogenic": "CONTRIBUTORY", "likely-oncogenic": "CONTRIBUTORY",
                         "predisposing": "CONTRIBUTORY"}
# germline_findings[] carry ACMG/AMP classes: the Phenopacket AcmgPathogenicityClassification values
ACMG = {"pathogenic": "PATHOGENIC", "likely-pathogenic": "LIKELY_PATHOGENIC"}
ZYGOSITY = {"heterozygous": GENO["0/1"], "homozygous": GENO["1/1"]}


def _resources(report: dict) -> list[dict]:
    rs = report["ruleset"]
    return [
        {"id": "geno", "name": "Genotype Ontology", "url": "http://purl.obolibrary.org/obo/geno.owl",
         "version": "unspecified", "namespacePrefix": "GENO", "iriPrefix": "http://purl.obolibrary.org/obo/GENO_"},
        {"id": "jakcli.profile", "name": "jakcli risk profiles (not a disease ontology)",
         "url": "urn:jakcli:profile", "version": str(rs["version"]), "namespacePrefix": "jakcli.profile",
         "iriPrefix": "urn:jakcli:profile:"},
    ]


def _meta(report: dict, created: str) -> dict:
    return {"created": created, "createdBy": f"jakcli {report.get('jakcli_version')}",
            "submittedBy": f"ruleset {report['ruleset']['version']} {report['ruleset']['digest']}",
            "resources": _resources(report), "phenopacketSchemaVersion": SCHEMA_VERSION}


def variation_descriptor(report: dict, sample: str, i: int, f: dict) -> dict:
    vd: dict = {"id": f"{sample}:finding:{i}", "label": f"{f['gene']} {f['alteration']}",
                "description": f"jakcli {f['rule_id']}@{f['rule_version']}: {f['classification']} ({f['origin']})",
                "moleculeContext": "genomic"}
    _allele(report, f, vd)
    if f.get("genotype") in GENO and f.get("origin") == "germline":
        gid, label = GENO[f["genotype"]]
        vd["allelicState"] = {"id": gid, "label": label}
    ext = [(k, f.get(k)) for k in ("vaf", "depth", "alt_reads", "transcript")]
    ext.append(("tier", tier_text(f.get("tier"))))
    ext.append(("references", ", ".join(f.get("references") or []) or None))
    ext.append(("therapies", "; ".join(f"{t.get('drug')} ({t.get('status')}): {t.get('indication')}"
                                       for t in f.get("therapies") or []) or None))
    vd["extensions"] = [{"name": k, "value": str(v)} for k, v in ext if v is not None]
    return vd


def _allele(report: dict, f: dict, vd: dict) -> None:
    """HGVS expressions (when the report has them) and the VCF record of a small variant."""
    expressions = []
    if hgvs_c(f):
        expressions.append({"syntax": "hgvs.c", "value": hgvs_c(f)})
    if f.get("hgvsp"):
        expressions.append({"syntax": "hgvs.p", "value": f["hgvsp"]})
    if expressions:
        vd["expressions"] = expressions
    if f.get("ref") and f.get("alt"):
        vd["vcfRecord"] = {"genomeAssembly": report["genome_build"], "chrom": f["chrom"], "pos": str(f["pos"]),
                           "ref": f["ref"], "alt": f["alt"], "filter": f.get("filter") or ""}


def germline_interpretation(report: dict, sample: str, i: int, g: dict) -> dict:
    """A ``germline_findings`` entry (curated catalogue, ACMG/AMP P/LP): its ACMG class is given;
    whether it causes the patient's condition is not known to jakcli (UNKNOWN_STATUS)."""
    change = g.get("protein_change") or g.get("hgvsp") or hgvs_c(g)
    vd: dict = {"id": f"{sample}:germline:{i}", "label": f"{g.get('gene')} {change}",
                "description": f"germline {g.get('classification')} allele for {g.get('condition')} "
                               f"({g.get('inheritance')}) in the jakcli catalogue",
                "moleculeContext": "genomic"}
    _allele(report, g, vd)
    if g.get("zygosity") in ZYGOSITY:
        gid, label = ZYGOSITY[g["zygosity"]]
        vd["allelicState"] = {"id": gid, "label": label}
    ext = [(k, g.get(k)) for k in ("vaf", "depth", "transcript", "changes_mpn_interpretation")]
    ext.append(("tier", tier_text(g.get("tier"))))
    vd["extensions"] = [{"name": k, "value": str(v)} for k, v in ext if v is not None]
    return {"subjectOrBiosampleId": sample, "interpretationStatus": "UNKNOWN_STATUS",
            "variantInterpretation": {"acmgPathogenicityClassification": ACMG.get(str(g.get("classification")),
                                                                                  "NOT_PROVIDED"),
                                      "therapeuticActionability": "UNKNOWN_ACTIONABILITY",
                                      "variationDescriptor": vd}}


def genomic_interpretation(report: dict, sample: str, i: int, f: dict) -> dict:
    return {"subjectOrBiosampleId": sample,
            "interpretationStatus": INTERPRETATION_STATUS.get(str(f.get("classification")), "UNKNOWN_STATUS"),
            "variantInterpretation": {"acmgPathogenicityClassification": "NOT_PROVIDED",
                                      "therapeuticActionability": "UNKNOWN_ACTIONABILITY",
                                      "variationDescriptor": variation_descriptor(report, sample, i, f)}}


def sample_phenopacket(report: dict, s: dict, created: str) -> dict:
    risk, name = s["risk"], s["sample"]
    summary = (f"jakcli {risk['profile']} risk {risk['level']} ({risk.get('label')}); worst case "
               f"{risk['worst_case_level']}")
    if risk.get("not_assessed"):
        summary += "; not assessed: " + "; ".join(risk["not_assessed"])
    interp = {"id": f"{name}:jakcli", "progressStatus": "COMPLETED", "summary": summary,
              "diagnosis": {"disease": {"id": f"jakcli.profile:{risk['profile']}",
                                        "label": f"jakcli risk profile {risk['profile']} (not a diagnosis)"},
                            "genomicInterpretations": [genomic_interpretation(report, name, i, f)
                                                       for i, f in enumerate(s["findings"])]
                            + [germline_interpretation(report, name, i, g)
                               for i, g in enumerate(s.get("germline_findings") or [])]}}
    return {"id": f"jakcli:{name}", "biosamples": [{"id": name, "description": "sample as named in the jakcli report"}],
            "interpretations": [interp], "metaData": _meta(report, created)}


def to_phenopacket(report: dict, created: str = "1970-01-01T00:00:00Z") -> dict:
    """A Phenopacket (one sample) or a Cohort of Phenopackets (several samples), as JSON dicts."""
    packets = [sample_phenopacket(report, s, created) for s in report["samples"]]
    if len(packets) == 1:
        return packets[0]
    return {"id": f"jakcli-cohort:{report['ruleset']['digest'][7:19]}",
            "description": f"jakcli report over {len(packets)} samples", "members": packets,
            "metaData": _meta(report, created)}


def created_time() -> str:
    """``metaData.created``: SOURCE_DATE_EPOCH (seconds; the reproducible-builds convention) when
    set, so the same report can give the same file; otherwise the time of writing (UTC)."""
    import os
    from datetime import UTC, datetime

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    when = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def to_phenopacket_json(report: dict, created: str | None = None) -> str:
    if created is None:
        created = created_time()
    return json.dumps(to_phenopacket(report, created), indent=2, ensure_ascii=False) + "\n"
