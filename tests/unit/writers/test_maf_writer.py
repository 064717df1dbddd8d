"""cBioPortal MAF and data_sv.txt against the written specification (File-Formats.md, GDC MAF)."""

from __future__ import annotations

import pytest

from jakcli.errors import InputError
from jakcli.writers.maf import (CBIO_MAF_COLUMNS, MAF_COLUMNS, MAF_REQUIRED, SV_COLUMNS, VARIANT_CLASSIFICATIONS,
                                VARIANT_TYPES, maf_alleles, to_cbioportal_sv, to_maf, variant_classification)

# cBioPortal File-Formats.md "cBioPortal mutation data file format", items 1-37, as written there.
SPEC_37 = """Hugo_Symbol Entrez_Gene_Id Center NCBI_Build Chromosome Start_Position End_Position Strand
Variant_Classification Variant_Type Reference_Allele Tumor_Seq_Allele1 Tumor_Seq_Allele2 dbSNP_RS dbSNP_Val_Status
Tumor_Sample_Barcode Matched_Norm_Sample_Barcode Match_Norm_Seq_Allele1 Match_Norm_Seq_Allele2
Tumor_Validation_Allele1 Tumor_Validation_Allele2 Match_Norm_Validation_Allele1 Match_Norm_Validation_Allele2
Verification_Status Validation_Status Mutation_Status Sequencing_Phase Sequence_Source Validation_Method Score
BAM_File Sequencer HGVSp_Short t_alt_count t_ref_count n_alt_count n_ref_count""".split()
SPEC_SV_REQUIRED = {"Sample_Id", "SV_Status"}


def parse(text: str) -> list[dict]:
    header, *rows = text.rstrip("\n").split("\n")
    cols = header.split("\t")
    return [dict(zip(cols, r.split("\t"), strict=True)) for r in rows]


def test_columns_match_the_spec_in_order():
    assert list(CBIO_MAF_COLUMNS) == SPEC_37
    assert MAF_COLUMNS[:37] == CBIO_MAF_COLUMNS
    assert set(MAF_REQUIRED) <= set(MAF_COLUMNS)
    assert all(c in SPEC_37 or c in ("HGVSc", "HGVSp", "Transcript_ID", "t_depth", "cbp_driver",
                                     "cbp_driver_annotation") or c.startswith("jakcli.") for c in MAF_COLUMNS)


@pytest.mark.parametrize("build_fixture", ["report38", "report37"])
def test_every_row_has_required_values_from_allowed_sets(build_fixture, request):
    report = request.getfixturevalue(build_fixture)
    rows = parse(to_maf(report))
    assert rows, "sample data has small-variant findings"
    n_small = sum(1 for s in report["samples"] for f in s["findings"] if f["ref"] and not f["evidence"])
    assert len(rows) == n_small
    for r in rows:
        for col in ("Hugo_Symbol", "NCBI_Build", "Chromosome", "Variant_Classification", "Reference_Allele",
                    "Tumor_Seq_Allele2", "Tumor_Sample_Barcode", "Start_Position", "End_Position"):
            assert r[col], (col, r)
        assert r["Variant_Classification"] in VARIANT_CLASSIFICATIONS
        assert r["Variant_Type"] in VARIANT_TYPES
        assert r["NCBI_Build"] == report["genome_build"]
        assert not r["Chromosome"].startswith("chr")
        assert int(r["Start_Position"]) <= int(r["End_Position"])
        assert r["Mutation_Status"] in ("Somatic", "Germline")
        assert r["Entrez_Gene_Id"] == "" and "Entrez_Gene_Id" in r["jakcli.unknown"]
        assert r["t_ref_count"] == ""


def test_known_rows(report38):
    rows = {(r["Tumor_Sample_Barcode"], r["jakcli.alteration"]): r for r in parse(to_maf(report38))}
    v617f = rows[("MPN_V617F_HIGH", "p.V617F")]
    assert (v617f["Chromosome"], v617f["Start_Position"], v617f["Variant_Classification"], v617f["Variant_Type"],
            v617f["HGVSp_Short"]) == ("9", "5073770", "Missense_Mutation", "SNP", "p.V617F")
    assert v617f["t_alt_count"] and v617f["cbp_driver"] == "Putative_Driver"
    calr1 = next(r for k, r in rows.items() if k[1].startswith("type 1"))
    assert calr1["Variant_Classification"] == "Frame_Shift_Del" and calr1["Tumor_Seq_Allele2"] == "-"
    assert calr1["HGVSp_Short"] == "p.L367Tfs*46" and len(calr1["Reference_Allele"]) == 52
    ins = next(r for k, r in rows.items() if "exon 16 in-frame insertion" in k[1])
    assert (ins["Reference_Allele"], ins["Tumor_Seq_Allele2"], ins["Variant_Type"]) == ("-", "AGA", "INS")
    assert ins["Variant_Classification"] == "In_Frame_Ins" and ins["HGVSp_Short"] == ""
    assert "HGVSp_Short" in ins["jakcli.unknown"]
    tyk2 = rows[("GERMLINE_TYK2", "p.P1104A")]
    assert tyk2["Mutation_Status"] == "Germline" and tyk2["cbp_driver"] == "Unknown"
    assert not any("fusion" in k[1] for k in rows)  # rearrangements go to data_sv.txt


def test_maf_alleles_conventions():
    assert maf_alleles(100, "A", "AT") == (100, 101, "-", "T", "INS")
    assert maf_alleles(100, "ATG", "A") == (101, 102, "TG", "-", "DEL")
    assert maf_alleles(100, "TG", "AA") == (100, 101, "TG", "AA", "DNP")
    assert maf_alleles(100, "ATC", "TGTCCC") == (100, 101, "AT", "TGTCC", "INS")  # shared trailing C
    with pytest.raises(ValueError):
        maf_alleles(100, "A", "A")


def test_variant_classification_rules():
    f = {}
    assert variant_classification(f, "G", "T", "p.V617F") == "Missense_Mutation"
    assert variant_classification(f, "G", "T", "p.W515*") == "Nonsense_Mutation"
    assert variant_classification(f, "G", "T", None) == "Unknown"
    assert variant_classification(f, "A", "AT", None) == "Frame_Shift_Ins"
    assert variant_classification(f, "AATG", "A", None) == "In_Frame_Del"
    assert variant_classification({"variant_classification": "Splice_Site"}, "G", "T", None) == "Splice_Site"


def test_hgvs_fields_used_when_the_report_has_them(report38):
    rep = {**report38, "samples": [dict(s, findings=[dict(f) for f in s["findings"]]) for s in report38["samples"]]}
    f = next(f for s in rep["samples"] for f in s["findings"] if f["alteration"] == "p.V617F")
    f.update(hgvsc="c.1849G>T", hgvsp="p.(Val617Phe)", transcript="NM_004972.4",
             tier={"scheme": "AMP/ASCO/CAP 2017", "reference": "PMID:27993330", "tier": "Tier I",
                   "evidence_level": "A", "why": "..."})
    row = next(r for r in parse(to_maf(rep)) if r["HGVSc"] == "c.1849G>T")
    assert (row["HGVSc"], row["HGVSp"], row["HGVSp_Short"], row["Transcript_ID"], row["jakcli.tier"]) == (
        "c.1849G>T", "p.(Val617Phe)", "p.V617F", "NM_004972.4", "Tier I, level A (AMP/ASCO/CAP 2017)")
    assert "HGVSc" not in row["jakcli.unknown"]


def test_sv_file(report38):
    text = to_cbioportal_sv(report38)
    assert text.split("\n")[0].split("\t") == list(SV_COLUMNS)
    rows = parse(text)
    assert rows and SPEC_SV_REQUIRED <= set(rows[0])
    fusion = next(r for r in rows if r["Annotation"].startswith("P2RY8::CRLF2"))
    assert (fusion["Sample_Id"], fusion["SV_Status"], fusion["Site1_Hugo_Symbol"], fusion["Site2_Hugo_Symbol"]) == (
        "BALL_CRLF2_JAK2", "SOMATIC", "P2RY8", "CRLF2")
    assert fusion["RNA_Support"] == "Yes" and fusion["NCBI_Build"] == "GRCh38"
    assert all(r["SV_Status"] in ("SOMATIC", "GERMLINE") for r in rows)
    assert all(r["DNA_Support"] in ("Yes", "No") and r["RNA_Support"] in ("Yes", "No") for r in rows)


def test_sv_origin_that_the_format_cannot_express_is_an_error(report38):
    s = next(s for s in report38["samples"] if any(f["evidence"] for f in s["findings"]))
    f = dict(next(f for f in s["findings"] if f["evidence"]), origin="unknown")
    with pytest.raises(InputError, match="SV_Status"):
        to_cbioportal_sv({**report38, "samples": [dict(s, findings=[f])]})


def test_no_small_variants_gives_header_only(report38):
    neg = {**report38, "samples": [s for s in report38["samples"] if s["sample"] == "NEGATIVE"]}
    assert to_maf(neg).count("\n") == 1
