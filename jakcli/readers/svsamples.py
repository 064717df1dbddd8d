"""Whose evidence each column of an SV VCF is: ``SAMPLE=PATH``, ``##tumor_sample``/``##normal_sample``,
Manta's tumour/normal column order, column names matching the run's samples, or a clear error asking
for ``--sv SAMPLE=PATH``. A normal column is never reported as a patient."""

from __future__ import annotations

from dataclasses import dataclass

from jakcli.errors import InputError
from jakcli.readers.vcf import VcfReader


@dataclass
class Attribution:
    """Which VCF columns feed which report sample (column None = the whole sites-only file)."""

    columns: dict  # column name (or None) -> report sample
    union_for: str | None = None  # several columns pooled into this one report sample


def _header_value(reader: VcfReader, key: str) -> str | None:
    for k, v in reader.header.lines:
        if k == key:
            return v.strip()
    return None


def plan_attribution(reader: VcfReader, target: str | None, run_samples: list[str],
                     rename: dict[str, str] | None = None) -> Attribution:
    """Decide whose evidence each column is; see the module docstring and README "Sample attribution".
    ``rename`` (classify's ``--rename``) maps a column to the name it is reported under."""
    rename = rename or {}
    cols = list(reader.header.samples)
    tumour = _header_value(reader, "tumor_sample")
    normal = _header_value(reader, "normal_sample") or _manta_normal(reader)
    path = reader.display
    if target is not None:
        if target in cols:
            return Attribution({target: target})
        if tumour in cols:
            return Attribution({tumour: target})
        if len(cols) <= 1:
            return Attribution({cols[0] if cols else None: target})
        return Attribution({c: target for c in cols if c != normal}, union_for=target)
    named = [c for c in cols if rename.get(c, c) in run_samples and c != normal]
    if named:
        return Attribution({c: rename.get(c, c) for c in named})
    if normal is not None and normal in run_samples:
        # the run's sample is this file's normal: the file's evidence is its tumour's, not the run's
        raise InputError(f"{path}: the run's sample {normal} is this file's ##normal_sample, whose column is "
                         f"never reported; give the tumour sample explicitly with --sv SAMPLE={path}")
    if len(run_samples) == 1:
        return plan_attribution(reader, run_samples[0], run_samples, rename)
    if not run_samples and cols:
        return Attribution({c: rename.get(c, c) for c in cols if c != normal})
    if not cols:
        raise InputError(f"{path}: a sites-only SV VCF names no sample; give it one with --sv SAMPLE={path}")
    raise InputError(f"{path}: its samples ({', '.join(cols[:5])}) are not among the samples of this run "
                     f"({', '.join(run_samples[:5])}); attribute it with --sv SAMPLE={path}")


def _manta_normal(reader: VcfReader) -> str | None:
    """The normal column of a Manta tumour/normal run (configManta.py with --normalBam and --tumorBam):
    Manta writes the normal sample first, then the tumour (as in the HCC1954 demo's somaticSV.vcf:
    HCC1954_BL, HCC1954), and names columns from read groups, so the order is all there is to go by."""
    cmd = _header_value(reader, "cmdline") or ""
    cols = reader.header.samples
    if "configManta" in cmd and "--normalBam" in cmd and "--tumorBam" in cmd and len(cols) == 2:
        return cols[0]
    return None
