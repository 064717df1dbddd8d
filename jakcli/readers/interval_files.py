"""Interval files named in a VCF header (``-L chr9.interval_list``, ``-R panel.bed``): found and read.

Where a file is looked for (first hit wins), so that a report says which file it used:
an absolute name as given; a relative name beside the VCF, then in the current directory; then, for
either, in every ``--header-regions-dir`` (the name, then its base name). A file found nowhere stays
unreadable, and every locus it may have dropped stays not-assessed with a note saying where jakcli looked.

Formats (coordinates become 1-based inclusive ``(contig, start, end)``):
- Picard/GATK ``.interval_list``: SAM header (``@`` lines), then ``contig start end strand name``, 1-based closed;
- BED (``.bed``, ``.bed.gz``): 0-based half-open; ``track``/``browser``/``#`` lines skipped;
- VCF/BCF used as intervals (``-L sites.vcf``): each record's span (POS to POS+len(REF)-1);
- anything else (GATK ``.intervals``/``.list``, bcftools region files): ``chr:start-end`` or ``chr`` per
  line (GATK), or tab-separated ``CHROM POS`` / ``CHROM BEG END``, 1-based inclusive (bcftools);
- gzip/bgzip-compressed forms of each (``.gz``).
"""

from __future__ import annotations

import gzip
import os
from dataclasses import replace

from jakcli.errors import InputError
from jakcli.readers.header_regions import Interval, RegionRestriction, RestrictionStep, _parse_region
from jakcli.reference.genome import normalise_contig

_MAX = 1 << 62


def find_interval_file(name: str, vcf_path: str | None, dirs: tuple[str, ...] = ()) -> tuple[str | None, list[str]]:
    """(path found or None, the places looked in, in order)."""
    candidates = [name] if os.path.isabs(name) else []
    if not os.path.isabs(name):
        if vcf_path and vcf_path != "-":
            candidates.append(os.path.join(os.path.dirname(os.path.abspath(vcf_path)), name))
        candidates.append(os.path.join(os.getcwd(), name))
    for d in dirs:
        candidates += [os.path.join(d, name.lstrip("/")), os.path.join(d, os.path.basename(name))]
    looked = list(dict.fromkeys(candidates))
    return next((c for c in looked if os.path.isfile(c)), None), looked


def read_interval_file(path: str, bcftools: bool = False) -> list[Interval]:
    """Every interval of ``path`` (see the module docstring); a malformed line is an InputError."""
    low = path.lower().removesuffix(".gz")
    if low.endswith((".vcf", ".bcf")):
        return _vcf_intervals(path)
    opener = gzip.open if _is_gzip(path) else open
    out: list[Interval] = []
    with opener(path, "rt", encoding="utf-8", errors="replace") as fh:
        for n, line in enumerate(fh, 1):
            line = line.rstrip("\r\n")
            if not line.strip() or line.startswith(("@", "#", "track", "browser")):
                continue
            iv = _line_interval(line, low.endswith(".bed"), bcftools)
            if iv is None:
                raise InputError(f"{path}: line {n}: not an interval ({line[:60]!r}); expected "
                                 + ("BED (chrom, 0-based start, end)" if low.endswith(".bed") else
                                    "'contig start end ...' (interval_list), 'chr:start-end' or 'CHROM POS [END]'")
                                 + "; fix the file or give --ignore-header-regions")
            out.append(iv)
    return out


def _line_interval(line: str, bed: bool, bcftools: bool) -> Interval | None:
    cols = line.split("\t") if "\t" in line else line.split()
    try:
        if bed:
            return (normalise_contig(cols[0]), int(cols[1]) + 1, int(cols[2]))
        if len(cols) >= 3 and cols[1].isdigit() and cols[2].isdigit():  # interval_list / bcftools BEG END
            return (normalise_contig(cols[0]), int(cols[1]), int(cols[2]))
        if len(cols) == 2 and cols[1].isdigit():  # bcftools CHROM POS
            return (normalise_contig(cols[0]), int(cols[1]), int(cols[1]))
    except (IndexError, ValueError):
        return None
    if len(cols) == 1:
        return _parse_region(cols[0])
    return None


def _is_gzip(path: str) -> bool:
    with open(path, "rb") as fh:
        return fh.read(2) == b"\x1f\x8b"


def _vcf_intervals(path: str) -> list[Interval]:
    import pysam

    try:
        with pysam.VariantFile(path) as vf:
            return [(normalise_contig(r.chrom), r.pos, max(r.pos, r.stop)) for r in vf]
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: not a readable VCF used as intervals ({exc}); fix it or give "
                         "--ignore-header-regions") from None


def resolve_restriction(restriction: RegionRestriction, vcf_path: str | None, dirs: tuple[str, ...] = (),
                        paths: list[str] | None = None) -> tuple[RegionRestriction, list[str]]:
    """The restriction with every findable named file read into intervals, and one line per file used
    (``chr9.interval_list read from /data/run/chr9.interval_list (1 interval)``, also added to
    the step's source so that notes name the file). Files not found stay unreadable,
    renamed ``name (not found; looked in ...)`` so that every note says where jakcli looked.
    ``paths``, when given, receives the path of every file read (the report lists them as inputs)."""
    steps: list[RestrictionStep] = []
    used: list[str] = []
    for step in restriction.steps:
        before = len(used)
        bcf = step.source.startswith("##bcftools")
        inc, inc_left = _load(step.include_files, vcf_path, dirs, bcf, step.pad, used, paths)
        exc, exc_left = _load(step.exclude_files, vcf_path, dirs, bcf, step.xpad, used, paths)
        include = step.include
        if step.include_files:
            include = (*(include or ()), *inc)
        read_here = used[before:]
        source = f"{step.source} with {'; '.join(read_here)}" if read_here else step.source
        steps.append(replace(step, source=source, include=include, include_files=tuple(inc_left),
                             exclude=(*step.exclude, *exc), exclude_files=tuple(exc_left)))
    return RegionRestriction(tuple(steps)), used


def _load(names, vcf_path, dirs, bcftools, pad, used, paths) -> tuple[list[Interval], list[str]]:
    ivs: list[Interval] = []
    left: list[str] = []
    for name in names:
        if name.startswith("'"):  # region text jakcli could not parse, not a file
            left.append(name)
            continue
        path, looked = find_interval_file(name, vcf_path, dirs)
        if path is None:
            left.append(f"{name} (not found; looked in {', '.join(looked)})")
            continue
        got = read_interval_file(path, bcftools)
        if paths is not None:
            paths.append(path)
        used.append(f"{name} read from {path} ({len(got)} interval{'s' * (len(got) != 1)})")
        ivs += [(c, max(1, s - pad), e + pad if e < _MAX else _MAX) for c, s, e in got]
    return ivs, left


def loci_with_records(path: str, loci) -> dict[str, dict[str, int | None]]:
    """For each locus that some record of the VCF at ``path`` overlaps (any record: filtered,
    reference-only, any genotype), each sample column's depth there (FORMAT DP, else the sum of AD;
    the lowest over the overlapping records; None when no record gives one). A record there shows the
    caller's intervals included the locus."""
    import pysam

    by_contig: dict[str, list] = {}
    for locus in loci:
        by_contig.setdefault(locus.contig, []).append(locus)
    hit: dict[str, dict[str, int | None]] = {}
    try:
        with pysam.VariantFile(path) as vf:
            for rec in vf:
                for locus in by_contig.get(normalise_contig(rec.chrom), ()):
                    if rec.pos <= locus.end and locus.start <= max(rec.pos, rec.stop):
                        seen = hit.setdefault(locus.key, {})
                        for name, call in rec.samples.items():
                            seen[str(name)] = _lowest(seen.get(str(name), -1), _depth(call))
    except (OSError, ValueError):  # the VCF reader itself reports unreadable data
        return hit
    return hit


def _depth(call) -> int | None:
    """The record's depth for one sample; None for a no-call (``./.``): a depth without a genotype shows
    nothing absent."""
    try:
        gt = call.get("GT")
        if gt is not None and len(gt) > 0 and all(a is None for a in gt):
            return None
        dp = call.get("DP")
        if isinstance(dp, int):
            return dp
        ad = call.get("AD")
        if ad and all(isinstance(x, int) for x in ad):
            return sum(ad)
    except (KeyError, ValueError, TypeError):
        return None
    return None


def _lowest(old: int | None, new: int | None) -> int | None:
    if old == -1:
        return new
    if old is None or new is None:
        return old if new is None else new
    return min(old, new)


__all__ = ["RestrictionStep", "find_interval_file", "loci_with_records", "read_interval_file",
           "resolve_restriction"]
