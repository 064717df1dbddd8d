"""Batch manifests: a TSV with a header naming ``sample`` and ``vcf`` (required) and ``fusions``,
``sv``, ``vcf_sample`` and ``cnv`` (optional); relative paths resolve against the manifest's folder.
Also the per-sample report file names and the grouping of samples by the VCF they share."""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from jakcli.errors import InputError
from jakcli.model import BUILD_ALIASES, Options

MANIFEST_COLUMNS = ("sample", "vcf", "fusions", "sv", "vcf_sample", "build", "profile", "cnv", "alignments",
                    "coverage")
INPUT_ROLES = ("vcf", "fusions", "sv", "cnv", "alignments", "coverage")
_SAFE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
_MAX_STEM = 200  # bytes; file systems allow 255 per name


@dataclass(frozen=True, slots=True)
class ManifestRow:
    """One manifest line; input paths are absolute, ``None`` when the column is empty or absent."""

    line: int
    sample: str
    vcf: str | None
    fusions: str | None
    sv: str | None
    vcf_sample: str | None = None  # the sample's column in its VCF, when not named ``sample`` (TUMOR)
    alignments: str | None = None  # BAM/CRAM of the sample
    coverage: str | None = None  # callable BED or mosdepth file of the sample
    build: str | None = None  # this row's genome build (GRCh37/GRCh38), overriding the run's --build
    profile: str | None = None  # this row's risk profile, overriding the run's --profile
    error: str | None = None  # why this sample cannot run (a missing file): a failure of its own
    cnv: str | None = None  # copy-number segments (readers/cnv.py formats)

    def options(self, run: Options) -> Options:
        """The run's options with this row's own build and profile."""
        return replace(run, build=self.build or run.build, profile=self.profile or run.profile)

    @property
    def column(self) -> str:
        return self.vcf_sample or self.sample

    @property
    def inputs(self) -> dict[str, str]:
        return {role: p for role in INPUT_ROLES if (p := getattr(self, role))}

    @property
    def primary_input(self) -> str:
        return next(iter(self.inputs.values()), "")


def read_manifest(path) -> list[ManifestRow]:
    """Parse and check a manifest; any problem is an InputError naming the manifest line."""
    lines = _manifest_lines(path)
    header = _header(lines[0], path)
    base = Path(path).absolute().parent
    rows: list[ManifestRow] = []
    seen: dict[str, int] = {}
    columns_seen: dict[tuple[str, str], int] = {}
    for lineno, raw in enumerate(lines[1:], start=2):
        if raw.strip():
            rows.append(_row(raw, header, f"{path}:{lineno}", lineno, base, seen, columns_seen))
    if not rows:
        raise InputError(f"{path}: the manifest lists no samples")
    return rows


def _manifest_lines(path) -> list[str]:
    """The manifest's physical lines, as editors number them."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: manifest not found") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory; give the manifest TSV file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read the manifest ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: the manifest is not UTF-8 text") from None
    if not text.strip():
        raise InputError(f"{path}: the manifest is empty; it needs a header line (sample, vcf) and one line "
                         "per sample")
    return [line.removesuffix("\r") for line in text.split("\n")]


def _header(line: str, path) -> list[str]:
    header = [c.strip() for c in line.split("\t")]
    if "sample" not in header or "vcf" not in header:
        hint = " (it has no tab; columns must be tab-separated)" if "\t" not in line else ""
        raise InputError(f"{path}:1: the header must name the columns sample and vcf (optional: fusions, sv, "
                         "vcf_sample, alignments, coverage)"
                         f"{hint}")
    for name in header:
        if name not in MANIFEST_COLUMNS:
            raise InputError(f"{path}:1: unknown column '{name}' (allowed: {', '.join(MANIFEST_COLUMNS)})")
        if header.count(name) > 1:
            raise InputError(f"{path}:1: column '{name}' is given twice")
    return header


def _row(raw: str, header: list[str], where: str, lineno: int, base: Path, seen: dict[str, int],
         columns_seen: dict[tuple[str, str], int]) -> ManifestRow:
    fields = raw.split("\t")
    if len(fields) > len(header):
        raise InputError(f"{where}: {len(fields)} fields but the header has {len(header)} columns")
    values = dict(zip(header, (f.strip() for f in fields)))
    sample = values["sample"]
    if not sample:
        raise InputError(f"{where}: the sample column is empty")
    if sample in seen:
        raise InputError(f"{where}: sample '{sample}' is already listed on line {seen[sample]}")
    seen[sample] = lineno
    try:
        paths = {role: _resolve(values.get(role, ""), base, where, role) for role in INPUT_ROLES}
        build = _build(values.get("build", ""), where)
    except _RowProblem as problem:  # this sample fails alone; the rest of the manifest runs
        return ManifestRow(lineno, sample, None, None, None, error=str(problem))
    if not any(paths.values()):
        raise InputError(f"{where}: sample '{sample}' has no input; give a vcf (or fusions/sv/cnv/alignments) path")
    if "=" in sample and any(paths[r] for r in INPUT_ROLES if r != "vcf"):
        raise InputError(f"{where}: sample '{sample}' contains '=', which fusion, SV, copy-number and read inputs "
                         "cannot name (they are passed as SAMPLE=PATH); rename the sample")
    vcf_sample = values.get("vcf_sample") or None
    if vcf_sample and not paths["vcf"]:
        raise InputError(f"{where}: vcf_sample '{vcf_sample}' is given but the row has no vcf")
    if paths["vcf"]:
        column = (paths["vcf"], vcf_sample or sample)
        if column in columns_seen:
            raise InputError(f"{where}: column '{column[1]}' of {paths['vcf']} is already the sample of line "
                             f"{columns_seen[column]}; one VCF column can be reported once")
        columns_seen[column] = lineno
    return ManifestRow(lineno, sample, **paths, vcf_sample=vcf_sample, build=build,
                       profile=values.get("profile") or None)


class _RowProblem(Exception):
    """A problem of one manifest row's data (not of the manifest's structure)."""


def _build(value: str, where: str) -> str | None:
    if not value:
        return None
    build = BUILD_ALIASES.get(value.lower())
    if build is None:
        raise _RowProblem(f"{where}: build '{value}' is not GRCh37 or GRCh38 (or hg19, b37, hg38)")
    return build.value


def _resolve(value: str, base: Path, where: str, role: str) -> str | None:
    if not value:
        return None
    if value == "-":
        raise InputError(f"{where}: {role} '-' (standard input) cannot be used in a manifest; give a path")
    full = os.path.normpath(os.path.join(base, value))
    if not os.path.exists(full):
        raise _RowProblem(f"{where}: {role} file not found: {full}")
    if os.path.isdir(full):
        raise _RowProblem(f"{where}: {role} is a directory, not a file: {full}")
    return full


def report_names(samples: list[str]) -> dict[str, str]:
    """A file name per sample, safe on any file system and unique even where case is ignored.

    Letters, digits, ``-``, ``_`` and ``.`` are kept (not a leading dot); every other byte is
    written as ``%XX``. Names that would clash without case, or are too long, get a short hash.
    """
    stems = {s: _stem(s) for s in samples}
    folded = Counter(st.casefold() for st in stems.values())
    return {s: (st if folded[st.casefold()] == 1 else f"{st}~{_digest(s)[:8]}") + ".json"
            for s, st in stems.items()}


def _stem(sample: str) -> str:
    out = []
    for i, ch in enumerate(sample):
        if ch in _SAFE_CHARS and not (i == 0 and ch == "."):
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8"))
    stem = "".join(out)
    return stem if len(stem) <= _MAX_STEM else f"{stem[:_MAX_STEM - 17]}~{_digest(sample)[:16]}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def vcf_groups(rows: list[ManifestRow]) -> list[list[ManifestRow]]:
    """Rows that share a VCF (the same file, however spelled) and their build and profile, in manifest
    order; one classify pass each. A row without a VCF is a group of its own.
    """
    groups: dict[object, list[ManifestRow]] = {}
    for r in rows:
        key = (os.path.realpath(r.vcf), r.build, r.profile) if r.vcf else ("no-vcf", r.sample)
        groups.setdefault(key, []).append(r)
    return list(groups.values())


def shard_rows(rows: list[ManifestRow], k: int, n: int) -> list[ManifestRow]:
    """The rows of shard ``k`` of ``n`` (1-based): every n-th VCF group, so shards are balanced."""
    if not 1 <= k <= n:
        raise InputError(f"shard {k}/{n}: K must be between 1 and N")
    chosen = {r.sample for g in vcf_groups(rows)[k - 1::n] for r in g}
    return [r for r in rows if r.sample in chosen]
