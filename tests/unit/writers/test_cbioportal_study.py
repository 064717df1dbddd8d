"""The cBioPortal study folder: meta fields, case lists and clinical header rows per File-Formats.md."""

from __future__ import annotations

from jakcli.writers.cbioportal import study_files, study_id_from


def meta(text: str) -> dict:
    return dict(line.split(": ", 1) for line in text.strip("\n").split("\n"))


def test_one_study_per_build_with_required_files(report38, report37):
    files = study_files([report38, report37], "lab_run", "run")
    for build, ref in (("GRCh38", "hg38"), ("GRCh37", "hg19")):
        ms = meta(files[f"{build}/meta_study.txt"])
        assert ms["reference_genome"] == ref and ms["add_global_case_list"] == "true"
        assert ms["cancer_study_identifier"] == f"lab_run_{build.lower()}"
        mm = meta(files[f"{build}/meta_mutations.txt"])
        assert (mm["genetic_alteration_type"], mm["datatype"], mm["stable_id"], mm["data_filename"]) == (
            "MUTATION_EXTENDED", "MAF", "mutations", "data_mutations.txt")
        seq = meta(files[f"{build}/case_lists/cases_sequenced.txt"])
        assert seq["stable_id"] == ms["cancer_study_identifier"] + "_sequenced"
        clinical = files[f"{build}/data_clinical_sample.txt"].split("\n")
        assert all(line.startswith("#") for line in clinical[:4]) and clinical[4].startswith("PATIENT_ID\tSAMPLE_ID")
    assert "GRCh37/data_sv.txt" not in files  # no fusion/SV input in the GRCh37 run
    sv = meta(files["GRCh38/meta_sv.txt"])
    assert (sv["genetic_alteration_type"], sv["datatype"], sv["stable_id"]) == ("STRUCTURAL_VARIANT", "SV",
                                                                                 "structural_variants")
    assert meta(files["GRCh38/case_lists/cases_sv.txt"])["case_list_ids"] == "BALL_CRLF2_JAK2"
    ids = meta(files["GRCh38/case_lists/cases_sequenced.txt"])["case_list_ids"].split("\t")
    assert "NEGATIVE" in ids  # profiled without findings is still sequenced


def test_single_build_keeps_the_given_id(report38):
    assert meta(study_files([report38], "x1", "n")["GRCh38/meta_study.txt"])["cancer_study_identifier"] == "x1"
    assert study_id_from("My Run-2026/11") == "my_run_2026_11"
