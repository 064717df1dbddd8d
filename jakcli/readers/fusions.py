"""RNA fusion-table readers: Arriba, STAR-Fusion, FusionCatcher and a generic TSV -> FusionCall.

The format is recognised from the header line, never from the file name. Columns are found by
name, so the Arriba v1/v2 layouts and the STAR-Fusion full/abridged/old layouts need no separate
code. Every data line becomes one :class:`FusionCall` or an :class:`InputError` naming file and
line; nothing is dropped silently.

Formats (header spellings as the tools write them; see README "Fusion tables"):

- Arriba ``fusions.tsv``: ``#gene1  gene2  strand1(gene/fusion) ... confidence ...``. gene1 is the
  5' gene when Arriba could predict the transcribed strand (the part after ``/`` is not ``.``).
- STAR-Fusion ``star-fusion.fusion_predictions[.abridged].tsv``: ``#FusionName JunctionReadCount
  SpanningFragCount ... LeftGene LeftBreakpoint RightGene RightBreakpoint``; old releases wrote
  ``#fusion_name JunctionReads SpanningFrags Splice_type ...`` with counts in those columns.
  LeftGene is the 5' gene.
- FusionCatcher ``final-list_candidate-fusion-genes.txt``: ``Gene_1_symbol(5end_fusion_partner)
  Gene_2_symbol(3end_fusion_partner) ... Spanning_pairs Spanning_unique_reads ...``.
- generic: a header with ``gene5`` and ``gene3`` and optionally ``sample``, ``breakpoint5``,
  ``breakpoint3`` (CHROM:POS), ``reads`` and ``confidence``.
"""

from __future__ import annotations

import io
import os
import re
import zlib
from dataclasses import dataclass

from jakcli.errors import InputError
from jakcli.model import Breakend, FusionCall
from jakcli.readers.files import open_binary
from jakcli.reference.genes import partner_names
from jakcli.reference.genome import normalise_contig

# CHROM:POS[:STRAND]; CHROM runs to the last colon before POS (GRCh38 HLA contigs hold colons)
_BREAKPOINT = re.compile(r"^(?P<chrom>[^\s]+?):(?P<pos>\d+)(?::[+\-.])?$")


@dataclass(frozen=True)
class TableFormat:
    name: str  # arriba, star-fusion, fusioncatcher, generic
    version: str  # e.g. "v2", "v1", "full", "abridged", "old"


@dataclass
class FusionTable:
    path: str
    format: TableFormat
    calls: list[FusionCall]
    checksum: str  # hex digest of the run's algorithm (sha256 unless --digest)
    has_sample_column: bool


def read_fusion_table(path: str, sample: str | None, digest: str = "sha256") -> FusionTable:
    """Read one fusion table; ``sample`` (from ``SAMPLE=PATH``) is stamped on every call.

    The file is streamed line by line (Arriba with ``-I`` lists every read name, so tables can be
    hundreds of MB). Plain or gzip; UTF-8 with or without a byte-order mark, or UTF-16 with one
    (Excel's "Unicode text"); Unix, Windows or old Mac line endings.
    """
    from jakcli.readers.files import spool_stdin

    if path == "-":  # a pipe (arriba ... | jakcli classify --fusions S=-): spooled so it can be hashed
        spooled = spool_stdin()
        try:
            table = _read_table(spooled, sample, display="-", digest=digest)
        finally:
            os.unlink(spooled)
        return table
    return _read_table(path, sample, display=path, digest=digest)


def _read_table(real: str, sample: str | None, display: str, digest: str = "sha256") -> FusionTable:
    from jakcli.readers.files import file_digest

    path = display  # every message and record names the table as the user gave it
    try:
        checksum = file_digest(real, digest)
        fh = _open_text(real, display)
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    calls = []
    try:
        with fh:
            lines = ((no, line.rstrip("\n")) for no, line in enumerate(fh, start=1))
            header_no, header = _header(lines, path)
            fmt, cols = _detect(header, path, header_no)
            parse = _PARSERS[fmt.name]
            for no, line in lines:
                if not line.strip() or line.startswith("#"):
                    continue
                row = _Row(line.split("\t"), cols, path, no)
                calls.append(parse(row, fmt, path, no, sample))
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a text fusion table (it holds bytes that are neither UTF-8 nor "
                         "UTF-16 text)") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"{path}: gzip data is truncated or corrupt ({exc})") from None
    return FusionTable(path, fmt, calls, checksum, "sample" in cols)


def _open_text(path: str, display: str) -> io.TextIOWrapper:
    """A text stream over a plain or gzip file, its encoding chosen from a byte-order mark."""
    raw = open_binary(path)
    try:
        head = raw.peek(4)[:4]
    except (OSError, EOFError, zlib.error) as exc:
        raw.close()
        raise InputError(f"{display}: gzip data is truncated or corrupt ({exc})") from None
    encoding = "utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    return io.TextIOWrapper(raw, encoding=encoding, newline=None)


def _header(lines, path: str) -> tuple[int, list[str]]:
    for no, line in lines:
        if not line.strip():
            continue
        if line.startswith("##"):  # comment lines some pipelines add above the header
            continue
        return no, [c.strip() for c in line.lstrip("#").split("\t")]
    raise InputError(f"{path}: the fusion table is empty (no header line)")


_REQUIRED = {
    "arriba": ("gene1", "gene2", "strand1(gene/fusion)", "strand2(gene/fusion)", "breakpoint1",
               "breakpoint2", "split_reads1", "split_reads2", "discordant_mates", "confidence"),
    "star-fusion": ("LeftGene", "LeftBreakpoint", "RightGene", "RightBreakpoint"),
    "fusioncatcher": ("Gene_1_symbol(5end_fusion_partner)", "Gene_2_symbol(3end_fusion_partner)",
                      "Spanning_pairs", "Spanning_unique_reads", "Fusion_point_for_gene_1(5end_fusion_partner)",
                      "Fusion_point_for_gene_2(3end_fusion_partner)"),
    "generic": ("gene5", "gene3"),
}


def _detect(header: list[str], path: str, line: int) -> tuple[TableFormat, dict[str, int]]:
    cols = {name: i for i, name in enumerate(header)}
    first = header[0] if header else ""
    if first == "gene1":
        # Arriba 1.x put direction1/direction2 right after type (some 1.x releases had tags too)
        v1 = "direction1" in cols and cols["direction1"] == cols.get("type", -2) + 1
        fmt = TableFormat("arriba", "v1" if v1 else "v2")
    elif first in ("FusionName", "fusion_name"):
        if "JunctionReadCount" in cols:
            fmt = TableFormat("star-fusion", "full" if "JunctionReads" in cols else "abridged")
        elif "JunctionReads" in cols and "SpanningFrags" in cols:
            fmt = TableFormat("star-fusion", "old")
        else:
            raise InputError(f"{path}: line {line}: STAR-Fusion header has neither JunctionReadCount "
                             "nor JunctionReads; is the file complete?")
    elif first.startswith("Gene_1_symbol"):
        fmt = TableFormat("fusioncatcher", "final-list")
    elif "gene5" in cols and "gene3" in cols:
        fmt = TableFormat("generic", "1")
    else:
        if first == "CHROM":
            raise InputError(f"{path}: line {line}: this is a VCF, not a fusion table; give small-variant VCFs "
                             "as arguments and structural-variant VCFs with --sv")
        shown = "\t".join(header[:4])
        raise InputError(f"{path}: line {line}: unknown fusion table format (header starts '{shown}'); "
                         "supported: Arriba fusions.tsv, STAR-Fusion fusion_predictions(.abridged).tsv, "
                         "FusionCatcher final-list_candidate-fusion-genes.txt, or a generic TSV with "
                         "columns gene5 and gene3 (README: Fusion tables)")
    need = _REQUIRED[fmt.name] + (("JunctionReadCount", "SpanningFragCount") if fmt.version in ("full", "abridged")
                                  else ("JunctionReads", "SpanningFrags") if fmt.version == "old" else ())
    missing = [c for c in need if c not in cols]
    if missing:
        raise InputError(f"{path}: line {line}: {fmt.name} header lacks column '{missing[0]}'; "
                         "was the file cut or edited?")
    return fmt, cols


class _Row:
    """Named access to one data line with errors that name the file, line and column."""

    def __init__(self, fields: list[str], cols: dict[str, int], path: str, line: int):
        self.fields, self.cols, self.path, self.line = fields, cols, path, line

    def get(self, name: str, required: bool = True) -> str | None:
        i = self.cols.get(name)
        if i is None:
            return None
        if i >= len(self.fields):
            if not required:
                return None
            raise InputError(f"{self.path}: line {self.line}: has {len(self.fields)} columns, but "
                             f"'{name}' is column {i + 1}; the line is truncated")
        return self.fields[i].strip()

    def count(self, name: str, required: bool = True) -> int | None:
        value = self.get(name, required)
        if value is None or (not required and value in ("", ".", "NA")):
            return None
        if not re.fullmatch(r"[0-9]{1,15}", value):
            # STAR-Fusion estimates (est_J) are fractional; counts never are
            raise InputError(f"{self.path}: line {self.line}: column {name} is '{value}', "
                             "not a whole number of reads")
        return int(value)

    def reads(self, name: str) -> int:
        """A read count the format requires (its column was found in the header)."""
        value = self.count(name)
        if value is None:
            raise InputError(f"{self.path}: line {self.line}: column {name} is missing")
        return value

    def breakpoint(self, name: str, required: bool = True) -> Breakend | None:
        value = self.get(name, required)
        if value is None or value in ("", ".", "NA"):
            if required:
                raise InputError(f"{self.path}: line {self.line}: column {name} is empty; expected CHROM:POS")
            return None
        m = _BREAKPOINT.match(value)
        if not m or len(m["pos"]) > 15:
            raise InputError(f"{self.path}: line {self.line}: column {name} is '{value[:80]}', not CHROM:POS"
                             "[:STRAND]")
        return Breakend(m["chrom"], normalise_contig(m["chrom"]), int(m["pos"]))

    def genes(self, name: str, may_be_empty: bool = False) -> tuple[str, tuple[str, ...]]:
        value = self.get(name) or ""
        genes = partner_names(value)
        if not genes and not may_be_empty:
            raise InputError(f"{self.path}: line {self.line}: column {name} names no gene ('{value}')")
        return value, genes


def _arriba(row: _Row, fmt: TableFormat, path: str, line: int, sample: str | None) -> FusionCall:
    # an intergenic breakpoint on a contig without annotation (viral, decoy) has no neighbour to
    # name: Arriba writes an empty field (or '.'); such a call cannot match a rule, but is read
    name5, genes5 = row.genes("gene1", may_be_empty=True)
    name3, genes3 = row.genes("gene2", may_be_empty=True)
    split1, split2, disc = row.reads("split_reads1"), row.reads("split_reads2"), row.reads("discordant_mates")
    fusion_strands = [(row.get(c) or "./.").split("/")[-1] for c in ("strand1(gene/fusion)", "strand2(gene/fusion)")]
    oriented = all(s in ("+", "-") for s in fusion_strands)
    return FusionCall(
        sample=sample, genes5=genes5, genes3=genes3, name5=name5, name3=name3,
        bp5=row.breakpoint("breakpoint1"), bp3=row.breakpoint("breakpoint2"),
        reads=split1 + split2 + disc, read_detail=f"split reads {split1}+{split2}, discordant mates {disc}",
        confidence=(row.get("confidence") or "").lower() or None, oriented=oriented,
        event_type=row.get("type", required=False), caller=f"arriba-{fmt.version}", source=path, line=line)


def _star_fusion(row: _Row, fmt: TableFormat, path: str, line: int, sample: str | None) -> FusionCall:
    name5, genes5 = row.genes("LeftGene")
    name3, genes3 = row.genes("RightGene")
    if fmt.version == "old":
        junction, spanning = row.reads("JunctionReads"), row.reads("SpanningFrags")
    else:
        junction, spanning = row.reads("JunctionReadCount"), row.reads("SpanningFragCount")
    return FusionCall(
        sample=sample, genes5=genes5, genes3=genes3, name5=name5, name3=name3,
        bp5=row.breakpoint("LeftBreakpoint"), bp3=row.breakpoint("RightBreakpoint"),
        reads=junction + spanning, read_detail=f"junction reads {junction}, spanning fragments {spanning}",
        confidence=None, oriented=True, event_type=row.get("SpliceType", required=False),
        caller=f"star-fusion-{fmt.version}", source=path, line=line)


def _fusioncatcher(row: _Row, fmt: TableFormat, path: str, line: int, sample: str | None) -> FusionCall:
    name5, genes5 = row.genes("Gene_1_symbol(5end_fusion_partner)")
    name3, genes3 = row.genes("Gene_2_symbol(3end_fusion_partner)")
    pairs, unique = row.reads("Spanning_pairs"), row.reads("Spanning_unique_reads")
    return FusionCall(
        sample=sample, genes5=genes5, genes3=genes3, name5=name5, name3=name3,
        bp5=row.breakpoint("Fusion_point_for_gene_1(5end_fusion_partner)"),
        bp3=row.breakpoint("Fusion_point_for_gene_2(3end_fusion_partner)"),
        reads=pairs + unique, read_detail=f"spanning pairs {pairs}, spanning unique reads {unique}",
        confidence=None, oriented=True, event_type=row.get("Fusion_description", required=False),
        caller="fusioncatcher", source=path, line=line)


def _generic(row: _Row, fmt: TableFormat, path: str, line: int, sample: str | None) -> FusionCall:
    name5, genes5 = row.genes("gene5")
    name3, genes3 = row.genes("gene3")
    own = row.get("sample", required=True) if "sample" in row.cols else None
    if own is not None and not own:
        raise InputError(f"{path}: line {line}: the sample column is empty")
    reads = row.count("reads", required=False) if "reads" in row.cols else None
    return FusionCall(
        sample=own if own is not None else sample, genes5=genes5, genes3=genes3, name5=name5, name3=name3,
        bp5=row.breakpoint("breakpoint5", required=False), bp3=row.breakpoint("breakpoint3", required=False),
        reads=reads, read_detail="reads not given" if reads is None else f"supporting reads {reads}",
        confidence=((row.get("confidence", required=False) or "").lower() or None),
        oriented=True, event_type=None, caller="generic", source=path, line=line)


_PARSERS = {"arriba": _arriba, "star-fusion": _star_fusion, "fusioncatcher": _fusioncatcher, "generic": _generic}
