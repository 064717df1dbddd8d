"""Batch manifests and TSV outputs: write one, read one back, and a folder of one-sample VCFs."""

from __future__ import annotations

from pathlib import Path

from support.vcf import V617F_38, rec, write_vcf


def manifest(path: Path, rows, header=("sample", "vcf")) -> Path:
    path.write_text("\n".join(["\t".join(header), *("\t".join(map(str, r)) for r in rows)]) + "\n")
    return path


def tsv(path: Path) -> list[dict]:
    header, *lines = path.read_text().splitlines()
    return [dict(zip(header.split("\t"), line.split("\t"))) for line in lines]


def single_vcfs(folder: Path, n: int, prefix="P") -> list[tuple[str, str]]:
    """``n`` one-sample V617F VCFs in ``folder``; manifest rows (sample, path relative to its parent)."""
    folder.mkdir(exist_ok=True)
    rows = []
    for i in range(n):
        s = f"{prefix}{i:04d}"
        write_vcf(folder / f"{s}.vcf", [rec(*V617F_38, f"0/1:{60 + i % 30},40:100")], samples=(s,))
        rows.append((s, f"{folder.name}/{s}.vcf"))
    return rows


def cohort_manifest(folder: Path) -> Path:
    """A manifest of the 9-sample cohort (one VCF, linked into ``folder/data`` and named by a
    relative path) and the GRCh37 single-sample VCF as PATIENT_MPN_37."""
    from support.cohort import EXPECTED_COHORT
    from support.paths import COHORT, SINGLE37

    data = folder / "data"
    data.mkdir()
    for f in (COHORT, COHORT.with_name(COHORT.name + ".tbi"), SINGLE37):
        (data / f.name).symlink_to(f)
    rows = [(s, "data/cohort_grch38.vcf.gz") for s in EXPECTED_COHORT] + [("PATIENT_MPN_37", "data/" + SINGLE37.name)]
    return manifest(folder / "manifest.tsv", rows)
