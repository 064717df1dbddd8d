"""How inputs are named on the command line and which samples they bring: ``[SAMPLE=]PATH`` specs,
VCF sample columns under ``--rename``, and ``--sample`` selection."""

from __future__ import annotations

from pathlib import Path

from jakcli.errors import InputError, SitesOnlyVcfError


def split_input_spec(spec: str) -> tuple[str | None, str]:
    """``SAMPLE=PATH`` or ``PATH`` (a path that exists wins, so file names may contain '=')."""
    if "=" in spec and not Path(spec).exists():
        sample, path = spec.split("=", 1)
        if not sample or not path:
            raise InputError(f"'{spec}': expected SAMPLE=PATH or PATH")
        return sample, path
    return None, spec


def vcf_samples(readers: list, rename: dict[str, str]) -> list[str]:
    """Report names of the VCF sample columns, in order (``rename`` maps a column to its name)."""
    order: dict[str, None] = {}
    for r in readers:
        if not r.header.samples:
            raise SitesOnlyVcfError(f"{r.display}: the VCF has no sample columns (sites-only); jakcli reports "
                             f"per sample, so name the sample it was called in: SAMPLE={r.display}")
        for s in r.header.samples:
            order.setdefault(rename.get(s, s))
    taken: dict[tuple[str, str], str] = {}
    for r in readers:
        for s in r.header.samples:
            name = rename.get(s, s)
            if taken.setdefault((r.display, name), s) != s:
                raise InputError(f"{r.display}: columns '{taken[(r.display, name)]}' and '{s}' would both be "
                                 f"reported as '{name}'; rename one of them differently")
    return list(order)


def select_samples(found: list[str], wanted: tuple[str, ...]) -> list[str]:
    """``found`` in order, or the ``--sample`` names (each must be among them)."""
    if not wanted:
        return found
    known = set(found)
    missing = [s for s in wanted if s not in known]
    if missing:
        shown = ", ".join(found[:10]) + (" ..." if len(found) > 10 else "")
        raise InputError(f"sample '{missing[0]}' is not in the input (samples: {shown or 'none'}); "
                         "check --sample against the VCF header and the SAMPLE= of --fusions/--sv")
    return list(dict.fromkeys(wanted))


def check_renames(rename: dict[str, str], readers: list) -> None:
    """Every ``--rename`` column must exist in some input VCF."""
    columns = {c for r in readers for c in r.header.samples}
    missing = [c for c in rename if c not in columns]
    if missing:
        raise InputError(f"sample column '{missing[0]}' (to be reported as '{rename[missing[0]]}') is in no "
                         "input VCF; check the column names with bcftools query -l")


def undeclared_contig(display: str, chrom: str, covered: list[set[str]]) -> str | None:
    """A record on a contig that the header's ##contig lines leave out: the contig is in the input after
    all, so it joins each selected column's ``covered`` set (its loci are not 'not in the input'), and
    the warning that the header is incomplete is returned (once per contig)."""
    from jakcli.reference.genome import normalise_contig

    contig = normalise_contig(chrom)
    new = [got for got in covered if contig not in got and "*" not in got]
    for got in new:
        got.add(contig)
    if not new:
        return None
    return (f"{display}: record at {chrom} is on a contig the header's ##contig lines do not declare; its loci are "
            "taken as covered, but the header may not be this file's (add the line with bcftools reheader, or "
            "re-run the step that wrote the file)")
