"""A cBioPortal study folder from a list of classify reports (``jakcli batch --cbioportal``).

File names, meta-file fields, case-list suffixes and clinical-file header rows follow the
cBioPortal File Formats page (cBioPortal/cbioportal@0290a2a0e1cd78b77afa670fda9f9a61d2315ac7:
docs/File-Formats.md: "Cancer Study", "Clinical Data", "Mutation Data", "Structural Variant Data",
"Case Lists"). cBioPortal allows one reference genome per study, so one study folder is written per
genome build (``GRCh38/``, ``GRCh37/``). jakcli knows samples, not patients: PATIENT_ID is the
sample id, and the clinical file says so.
"""

from __future__ import annotations

import re

from jakcli.writers.maf import MAF_COLUMNS, SV_COLUMNS, _table, maf_rows, sv_rows

REFERENCE_GENOME = {"GRCh37": "hg19", "GRCh38": "hg38"}  # meta_study.txt reference_genome values
CLINICAL_COLUMNS = (  # (name, display name, description, datatype, priority)
    ("PATIENT_ID", "Patient Identifier", "jakcli knows samples only: the sample id", "STRING", "1"),
    ("SAMPLE_ID", "Sample Identifier", "Sample id as in the jakcli report", "STRING", "1"),
    ("JAKCLI_RISK_LEVEL", "jakcli risk level", "Risk level under the jakcli profile", "STRING", "1"),
    ("JAKCLI_WORST_CASE", "jakcli worst case", "Level if every unassessed alteration were present",
     "STRING", "1"),
    ("JAKCLI_PROFILE", "jakcli profile", "jakcli risk profile id", "STRING", "1"),
    ("JAKCLI_NOT_ASSESSED", "jakcli not assessed", "What the input could not show", "STRING", "1"),
    ("JAKCLI_RULESET", "jakcli ruleset", "Ruleset version and digest", "STRING", "1"),
)


def study_id_from(name: str) -> str:
    """A cancer_study_identifier from a folder name: letters, digits and underscores, lower case."""
    text = re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_").lower()
    return text or "jakcli_study"


def _meta(fields: dict) -> str:
    return "".join(f"{k}: {v}\n" for k, v in fields.items())


def _profiled(report: dict, sample: dict) -> tuple[bool, bool]:
    """(small variants read, rearrangements read) for a sample: the risk call names the input
    classes it lacked in ``not_assessed`` with the words of jakcli.risk.INPUT_CLASS_NAMES."""
    from jakcli.engine.risk import INPUT_CLASS_NAMES

    missing = set(sample["risk"].get("not_assessed") or [])
    small = not missing & set(INPUT_CLASS_NAMES["small-variant"])
    rearr = not missing & set(INPUT_CLASS_NAMES["rearrangement"])
    return small, rearr


def _clinical(samples: list[tuple[dict, dict]]) -> str:
    rows = ["#" + "\t".join(c[i] for c in CLINICAL_COLUMNS) for i in (1, 2, 3, 4)]
    rows.append("\t".join(c[0] for c in CLINICAL_COLUMNS))
    for report, s in samples:
        risk, rs = s["risk"], report["ruleset"]
        values = (s["sample"], s["sample"], risk["level"], risk["worst_case_level"], risk["profile"],
                  "; ".join(risk.get("not_assessed") or []) or "NA", f"{rs['version']} {rs['digest']}")
        rows.append("\t".join(str(v).replace("\t", " ") for v in values))
    return "\n".join(rows) + "\n"


def _case_list(study: str, suffix: str, name: str, category: str, ids: list[str]) -> str:
    return _meta({"cancer_study_identifier": study, "stable_id": f"{study}_{suffix}",
                  "case_list_name": name, "case_list_description": f"{name} ({len(ids)} samples)",
                  "case_list_category": category, "case_list_ids": "\t".join(ids)})


def study_files(reports: list[dict], study_id: str, name: str, cancer_type: str = "mixed") -> dict[str, str]:
    """Relative path -> text for every file of the study folders, one folder per genome build."""
    by_build: dict[str, list[tuple[dict, dict]]] = {}
    for rep in reports:
        for s in rep["samples"]:
            by_build.setdefault(rep["genome_build"], []).append((rep, s))
    files: dict[str, str] = {}
    for build, samples in sorted(by_build.items()):
        study = f"{study_id}_{build.lower()}" if len(by_build) > 1 else study_id
        files.update({f"{build}/{k}": v for k, v in _one_study(study, name, cancer_type, build, samples).items()})
    return files


def _one_study(study: str, name: str, cancer_type: str, build: str,
               samples: list[tuple[dict, dict]]) -> dict[str, str]:
    mut_rows, sv, seq_ids, sv_ids = [], [], [], []
    for rep, s in samples:
        one = {**rep, "samples": [s]}
        small, rearr = _profiled(rep, s)
        if small:
            seq_ids.append(s["sample"])
            mut_rows += maf_rows(one)
        if rearr:
            sv_ids.append(s["sample"])
            sv += sv_rows(one)
    files = {
        "meta_study.txt": _meta({
            "type_of_cancer": cancer_type, "cancer_study_identifier": study, "name": f"{name} ({build})",
            "description": f"jakcli JAK-STAT classification, {len(samples)} samples; only the JAK-STAT loci "
                           "of the ruleset were assessed, so gene frequencies outside them mean nothing",
            "add_global_case_list": "true", "reference_genome": REFERENCE_GENOME[build]}),
        "meta_clinical_sample.txt": _meta({"cancer_study_identifier": study, "genetic_alteration_type": "CLINICAL",
                                           "datatype": "SAMPLE_ATTRIBUTES",
                                           "data_filename": "data_clinical_sample.txt"}),
        "data_clinical_sample.txt": _clinical(samples),
    }
    if seq_ids:
        files["meta_mutations.txt"] = _meta({
            "cancer_study_identifier": study, "genetic_alteration_type": "MUTATION_EXTENDED", "datatype": "MAF",
            "stable_id": "mutations", "show_profile_in_analysis_tab": "true", "profile_name": "Mutations",
            "profile_description": "JAK-STAT findings of jakcli rules (small variants)",
            "data_filename": "data_mutations.txt", "namespaces": "jakcli"})
        files["data_mutations.txt"] = _table(MAF_COLUMNS, mut_rows)
        files["case_lists/cases_sequenced.txt"] = _case_list(study, "sequenced", "Samples with small-variant input",
                                                             "all_cases_with_mutation_data", seq_ids)
    if sv_ids:
        files["meta_sv.txt"] = _meta({
            "cancer_study_identifier": study, "genetic_alteration_type": "STRUCTURAL_VARIANT", "datatype": "SV",
            "stable_id": "structural_variants", "show_profile_in_analysis_tab": "true",
            "profile_name": "Structural variants",
            "profile_description": "JAK-STAT rearrangements of jakcli rules (fusion tables, SV VCFs)",
            "data_filename": "data_sv.txt"})
        files["data_sv.txt"] = _table(SV_COLUMNS, sv)
        files["case_lists/cases_sv.txt"] = _case_list(study, "sv", "Samples with fusion or SV input",
                                                       "all_cases_with_sv_data", sv_ids)
    return files
