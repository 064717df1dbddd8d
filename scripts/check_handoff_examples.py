"""Validate the hand-off files that scripts/example_outputs.sh wrote for sample_data (CI runs both):
the MAF and data_sv.txt against the cBioPortal columns and value sets, the workbook read back with
openpyxl, the FHIR Bundle with fhir.resources, the Phenopacket with the phenopackets package, the
cBioPortal study folders and changes.tsv. Usage: python3 scripts/check_handoff_examples.py DIR"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from jakcli.writers.changes import CHANGE_COLUMNS
from jakcli.writers.maf import MAF_COLUMNS, MAF_REQUIRED, SV_COLUMNS, VARIANT_CLASSIFICATIONS, VARIANT_TYPES


def table(path: Path) -> list[dict]:
    header, *rows = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    cols = header.split("\t")
    return [dict(zip(cols, r.split("\t"), strict=True)) for r in rows]


def check_maf(path: Path) -> str:
    rows = table(path)
    assert rows and list(rows[0]) == list(MAF_COLUMNS), path
    for r in rows:
        assert all(r[c] for c in MAF_REQUIRED if c != "HGVSp_Short"), r
        assert r["Variant_Classification"] in VARIANT_CLASSIFICATIONS and r["Variant_Type"] in VARIANT_TYPES, r
    return f"{len(rows)} MAF rows"


def check_sv(path: Path) -> str:
    rows = table(path)
    assert rows and list(rows[0]) == list(SV_COLUMNS), path
    assert all(r["Sample_Id"] and r["SV_Status"] in ("SOMATIC", "GERMLINE") for r in rows), path
    return f"{len(rows)} SV rows"


def check_xlsx(path: Path) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    assert wb.sheetnames[:2] == ["Summary", "Findings"] and wb.sheetnames[-1] == "Provenance", wb.sheetnames
    return f"sheets {', '.join(wb.sheetnames)}"


def check_fhir(path: Path) -> str:
    from fhir.resources.R4B import get_fhir_model_class
    from fhir.resources.R4B.bundle import Bundle

    doc = json.loads(path.read_text(encoding="utf-8"))
    Bundle.model_validate(doc)
    for e in doc["entry"]:
        get_fhir_model_class(e["resource"]["resourceType"]).model_validate(e["resource"])
    return f"Bundle of {len(doc['entry'])} valid resources"


def check_phenopacket(path: Path) -> str:
    from google.protobuf import json_format
    from phenopackets import Cohort

    cohort = json_format.Parse(path.read_text(encoding="utf-8"), Cohort())
    return f"Cohort of {len(cohort.members)} Phenopackets"


def check_batch(batch: Path) -> str:
    studies = sorted(p.parent.name for p in (batch / "cbioportal").glob("*/meta_study.txt"))
    assert studies == ["GRCh37", "GRCh38"], studies
    for build in studies:
        check_maf(batch / "cbioportal" / build / "data_mutations.txt")
    assert (batch / "changes.tsv").read_text(encoding="utf-8").split("\n")[0].split("\t") == list(CHANGE_COLUMNS)
    return f"cBioPortal studies {', '.join(studies)}; changes.tsv"


CHECKS = [("cohort.maf", check_maf), ("single_grch37.maf", check_maf), ("cohort.data_sv.txt", check_sv),
          ("cohort.xlsx", check_xlsx), ("cohort.fhir.json", check_fhir),
          ("cohort.phenopacket.json", check_phenopacket), ("batch", check_batch)]


def main(out: Path) -> int:
    for name, check in CHECKS:
        try:
            print(f"{name}: ok ({check(out / name)})")
        except ImportError as exc:
            print(f"{name}: NOT validated: {exc.name} is not installed (pip install 'jakcli[test]')")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "build/examples")))
