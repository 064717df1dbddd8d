"""cBioPortal hand-off: small-variant findings as a MAF, rearrangements as ``data_sv.txt``.

Built only from the JSON report dict. The column lists, required columns, allowed values and meta
fields follow the cBioPortal File Formats page (cBioPortal/cbioportal@0290a2a0e1cd78b77afa670fda9f9a61d2315ac7:
docs/File-Formats.md, sections "Mutation Data" and "Structural Variant Data") and, for the
meaning of Start/End/Variant_Type/allele columns, the GDC MAF specification
(NCI-GDC/gdc-docs@4f1d6d702d165ca458cd60238c9157174a89af7f:docs/Data/File_Formats/MAF_Format.md).
What the report does not know is left empty and named in the ``jakcli.unknown`` column; nothing
is invented (no Entrez ids, no reference-read counts, no HGVSp that jakcli did not compute).
"""

from __future__ import annotations

import re

from jakcli.reference.protein import normalise_hgvsp, parse_substitution
from jakcli.writers.fields import tier_text

# The 37 columns of the cBioPortal mutation data file, in the documented order (File-Formats.md
# items 1-37). Required there: Hugo_Symbol, NCBI_Build, Chromosome, Variant_Classification,
# Reference_Allele, Tumor_Seq_Allele2, Tumor_Sample_Barcode, HGVSp_Short.
CBIO_MAF_COLUMNS = (
    "Hugo_Symbol", "Entrez_Gene_Id", "Center", "NCBI_Build", "Chromosome", "Start_Position",
    "End_Position", "Strand", "Variant_Classification", "Variant_Type", "Reference_Allele",
    "Tumor_Seq_Allele1", "Tumor_Seq_Allele2", "dbSNP_RS", "dbSNP_Val_Status", "Tumor_Sample_Barcode",
    "Matched_Norm_Sample_Barcode", "Match_Norm_Seq_Allele1", "Match_Norm_Seq_Allele2",
    "Tumor_Validation_Allele1", "Tumor_Validation_Allele2", "Match_Norm_Validation_Allele1",
    "Match_Norm_Validation_Allele2", "Verification_Status", "Validation_Status", "Mutation_Status",
    "Sequencing_Phase", "Sequence_Source", "Validation_Method", "Score", "BAM_File", "Sequencer",
    "HGVSp_Short", "t_alt_count", "t_ref_count", "n_alt_count", "n_ref_count",
)
MAF_REQUIRED = ("Hugo_Symbol", "NCBI_Build", "Chromosome", "Variant_Classification", "Reference_Allele",
                "Tumor_Seq_Allele2", "Tumor_Sample_Barcode", "HGVSp_Short")
# GDC MAF columns 35, 36, 38, 40 (HGVSc, HGVSp, Transcript_ID, t_depth), the custom driver
# annotation pair (File-Formats.md items 38-39), then jakcli's own columns in the ``jakcli``
# namespace (imported because meta_mutations.txt lists ``namespaces: jakcli``).
MAF_EXTRA_COLUMNS = ("HGVSc", "HGVSp", "Transcript_ID", "t_depth", "cbp_driver", "cbp_driver_annotation",
                     "jakcli.rule_id", "jakcli.rule_version", "jakcli.classification", "jakcli.tier",
                     "jakcli.vaf", "jakcli.alteration", "jakcli.unknown")
MAF_COLUMNS = CBIO_MAF_COLUMNS + MAF_EXTRA_COLUMNS

# Allowed Variant_Classification values (File-Formats.md, "Variant classification filter").
VARIANT_CLASSIFICATIONS = frozenset((
    "Frame_Shift_Del", "Frame_Shift_Ins", "In_Frame_Del", "In_Frame_Ins", "Missense_Mutation",
    "Nonsense_Mutation", "Silent", "Splice_Site", "Translation_Start_Site", "Nonstop_Mutation", "3'UTR",
    "3'Flank", "5'UTR", "5'Flank", "IGR", "Intron", "RNA", "Targeted_Region", "De_novo_Start_InFrame",
    "De_novo_Start_OutOfFrame", "Splice_Region", "Unknown",
))
# GDC MAF column 10.
VARIANT_TYPES = frozenset(("SNP", "DNP", "TNP", "ONP", "INS", "DEL", "Consolidated"))
MUTATION_STATUS = {"somatic": "Somatic", "germline": "Germline"}  # File-Formats.md item 26
DRIVER_CLASSES = {"oncogenic", "likely-oncogenic"}

# data_sv.txt columns used (File-Formats.md, "Structural Variant Data"; all others are optional).
SV_COLUMNS = (
    "Sample_Id", "SV_Status", "Site1_Hugo_Symbol", "Site1_Chromosome", "Site1_Position",
    "Site2_Hugo_Symbol", "Site2_Chromosome", "Site2_Position", "NCBI_Build", "Class",
    "Tumor_Variant_Count", "Event_Info", "Annotation", "DNA_Support", "RNA_Support", "Comments",
)
SV_STATUS = {"somatic": "SOMATIC", "germline": "GERMLINE"}  # the two allowed values
SV_CLASS = {"DEL": "DELETION", "DUP": "DUPLICATION", "INV": "INVERSION", "INS": "INSERTION"}


def is_rearrangement(finding: dict) -> bool:
    """Rearrangement findings carry their supporting calls in ``evidence`` (small variants: [])."""
    return bool(finding.get("evidence"))


def is_small_variant(finding: dict) -> bool:
    return not is_rearrangement(finding) and bool(finding.get("ref")) and bool(finding.get("alt"))


def maf_alleles(pos: int, ref: str, alt: str) -> tuple[int, int, str, str, str]:
    """VCF-style alleles to MAF (start, end, Reference_Allele, Tumor_Seq_Allele2, Variant_Type).

    Shared leading then trailing bases are trimmed; an insertion is ``-``/sequence between the
    flanking bases Start and End, a deletion is sequence/``-`` over the deleted bases. A delins
    keeps both alleles and is typed INS or DEL by its net length (as vcf2maf does).
    """
    k = 0
    while k < min(len(ref), len(alt)) and ref[k] == alt[k]:
        k += 1
    r, a, start = ref[k:], alt[k:], pos + k
    while r and a and r[-1] == a[-1]:
        r, a = r[:-1], a[:-1]
    if not r and not a:
        raise ValueError(f"{pos}:{ref}>{alt} is not a variant")
    if len(r) == len(a):
        vtype = {1: "SNP", 2: "DNP", 3: "TNP"}.get(len(r), "ONP")
        return start, start + len(r) - 1, r, a, vtype
    if not r:
        return start - 1, start, "-", a, "INS"
    if not a:
        return start, start + len(r) - 1, r, "-", "DEL"
    return start, start + len(r) - 1, r, a, "INS" if len(a) > len(r) else "DEL"


def protein_change(finding: dict) -> str | None:
    """The one-letter HGVS p. change: ``hgvsp`` when the report has it, else a ``p.`` change that
    the rule's alteration name spells out (``p.V617F``, ``type 1 (..., p.L367Tfs*46)``)."""
    for text in (finding.get("hgvsp"), finding.get("alteration")):
        if not text:
            continue
        short = normalise_hgvsp(text)
        if short:
            return short
        m = re.search(r"\bp\.\(?[A-Z][A-Za-z0-9_*=>]*\)?", text)
        if m and (short := normalise_hgvsp(m.group(0))):
            return short
    return None


def variant_classification(finding: dict, ref: str, alt: str, hgvsp: str | None) -> str:
    """Indels by frame (every bundled small-variant rule matches inside coding sequence: exon
    regions and codons); same-length changes by the protein change; otherwise ``Unknown``."""
    given = finding.get("variant_classification")
    if given in VARIANT_CLASSIFICATIONS:
        return given
    delta = len(alt) - len(ref)
    if delta:
        if delta % 3:
            return "Frame_Shift_Ins" if delta > 0 else "Frame_Shift_Del"
        return "In_Frame_Ins" if delta > 0 else "In_Frame_Del"
    sub = parse_substitution(hgvsp or "")
    if sub is None:
        return "Unknown"
    was, _, now = sub
    if now in (was, "="):
        return "Silent"
    if now == "*":
        return "Nonsense_Mutation"
    return "Nonstop_Mutation" if was == "*" else "Missense_Mutation"


def _chrom(chrom: str | None) -> str:
    """cBioPortal chromosomes are written without ``chr`` (File-Formats.md: e.g. "7")."""
    return (chrom or "").removeprefix("chr")


def maf_row(report: dict, sample: str, f: dict) -> dict:
    """One MAF row for one small-variant finding."""
    start, end, r, a, vtype = maf_alleles(f["pos"], f["ref"], f["alt"])
    hgvsp = protein_change(f)
    unknown = ["Entrez_Gene_Id", "t_ref_count (the report has depth and alt reads only)"]
    if not hgvsp:
        unknown.append("HGVSp_Short (no p. change computed)")
    if not f.get("hgvsc"):
        unknown.append("HGVSc")
    cls = f.get("classification") or ""
    row = {
        "Hugo_Symbol": f["gene"], "NCBI_Build": report["genome_build"], "Chromosome": _chrom(f["chrom"]),
        "Start_Position": start, "End_Position": end, "Strand": "+",
        "Variant_Classification": variant_classification(f, f["ref"], f["alt"], hgvsp),
        "Variant_Type": vtype, "Reference_Allele": r, "Tumor_Seq_Allele2": a,
        "Tumor_Sample_Barcode": sample, "Mutation_Status": MUTATION_STATUS.get(str(f.get("origin")), ""),
        "HGVSp_Short": hgvsp or "", "t_alt_count": f.get("alt_reads"), "t_depth": f.get("depth"),
        "HGVSc": f.get("hgvsc"), "HGVSp": f.get("hgvsp"), "Transcript_ID": f.get("transcript"),
        "cbp_driver": "Putative_Driver" if cls in DRIVER_CLASSES else "Unknown",
        "cbp_driver_annotation": f"jakcli {f['rule_id']}: {cls}"[:80],
        "jakcli.rule_id": f["rule_id"], "jakcli.rule_version": f.get("rule_version"),
        "jakcli.classification": cls, "jakcli.tier": tier_text(f.get("tier")),
        "jakcli.vaf": None if f.get("vaf") is None else f"{f['vaf']:.4f}",
        "jakcli.alteration": f.get("alteration"), "jakcli.unknown": "; ".join(unknown),
    }
    return row


def _cell(value) -> str:
    if value is None:
        return ""
    return str(value).replace("\t", " ").replace("\n", " ").replace("\r", " ")


def _table(columns: tuple, rows: list[dict]) -> str:
    lines = ["\t".join(columns)]
    lines += ["\t".join(_cell(r.get(c)) for c in columns) for r in rows]
    return "\n".join(lines) + "\n"


def maf_rows(report: dict) -> list[dict]:
    """Every small-variant finding of every sample, in report order."""
    rows = []
    for s in report["samples"]:
        rows += [maf_row(report, s["sample"], f) for f in s["findings"] if is_small_variant(f)]
    return rows


def to_maf(report: dict) -> str:
    """The cBioPortal mutation data file (``--format maf``): header line, one row per finding."""
    return _table(MAF_COLUMNS, maf_rows(report))


def _partners(f: dict) -> tuple[str, str]:
    m = re.match(r"^\s*([^:\s]+)::([^:\s]+)", f.get("alteration") or "")
    if m:
        return m.group(1), m.group(2)
    return "", f["gene"]


def _breakpoint(text: str | None) -> tuple[str, int | None]:
    if not text or ":" not in text:
        return "", None
    chrom, _, rest = text.partition(":")
    pos = rest.split(":")[0]
    return _chrom(chrom), int(pos) if pos.isdigit() else None


def _sv_class(f: dict, site1_chrom: str, site2_chrom: str) -> str:
    for e in f["evidence"]:
        if e.get("evidence") == "DNA" and e.get("svtype") in SV_CLASS:
            return SV_CLASS[e["svtype"]]
    if site1_chrom and site2_chrom and site1_chrom != site2_chrom:
        return "TRANSLOCATION"
    return ""


def _sv_status(f: dict) -> str:
    """SOMATIC or GERMLINE, the only values the format allows; any other origin is not guessed."""
    from jakcli.errors import InputError

    status = SV_STATUS.get(str(f.get("origin")))
    if status is None:
        raise InputError(f"finding {f['rule_id']} has origin '{f.get('origin')}', which cBioPortal's SV_Status "
                         "(SOMATIC or GERMLINE) cannot express; give the rule a somatic or germline origin")
    return status


def sv_row(report: dict, sample: str, f: dict) -> dict:
    """One data_sv.txt row: Site1 is the 5' partner and Site2 the 3' partner (the doc's example:
    TMPRSS2 in Site1, ERG in Site2), breakpoints from the first call that names them."""
    from jakcli.writers.text import evidence_summary

    five, three = _partners(f)
    bp5 = next((e.get("breakpoint5") for e in f["evidence"] if e.get("breakpoint5")), None)
    c1, p1 = _breakpoint(bp5)
    kinds = {e.get("evidence") for e in f["evidence"]}
    return {
        "Sample_Id": sample, "SV_Status": _sv_status(f),
        "Site1_Hugo_Symbol": five, "Site1_Chromosome": c1, "Site1_Position": p1,
        "Site2_Hugo_Symbol": three, "Site2_Chromosome": _chrom(f.get("chrom")), "Site2_Position": f.get("pos"),
        "NCBI_Build": report["genome_build"], "Class": _sv_class(f, c1, _chrom(f.get("chrom"))),
        "Tumor_Variant_Count": f.get("alt_reads"), "Event_Info": "Fusion", "Annotation": f.get("alteration"),
        "DNA_Support": "Yes" if "DNA" in kinds else "No", "RNA_Support": "Yes" if "RNA" in kinds else "No",
        "Comments": f"jakcli {f['rule_id']}@{f.get('rule_version')} {f.get('classification')}; "
                    f"{evidence_summary(f)}",
    }


def sv_rows(report: dict) -> list[dict]:
    rows = []
    for s in report["samples"]:
        rows += [sv_row(report, s["sample"], f) for f in s["findings"] if is_rearrangement(f)]
    return rows


def to_cbioportal_sv(report: dict) -> str:
    """The cBioPortal structural-variant data file (``--format cbioportal-sv``)."""
    return _table(SV_COLUMNS, sv_rows(report))
