"""Copy-number segment readers: CNVkit, GATK4, DNAcopy/IGV .seg, PURPLE, ASCAT and a generic TSV.

The format is recognised from the header, never from the file name; columns are found by name.
Every data line becomes a :class:`Segment`, is counted as skipped with a reason (a value the caller
wrote as missing, e.g. ``NA``), or raises a one-line :class:`InputError` naming file and line.
Coordinates are converted to 1-based inclusive; each format's own convention (README beside the
fixtures, docs/copy_number.md):

- CNVkit ``.cnr``/``.cns``/``.call.cns`` (``chromosome start end gene log2 ...``): BED-like,
  0-based half-open (CNVkit doc/fileformats.rst) -> start + 1.
- GATK4 ModelSegments ``.cr.seg``/``.modelFinal.seg`` and CallCopyRatioSegments ``.called.seg``:
  SAM-style ``@HD/@SQ/@RG`` lines, then ``CONTIG START END ...``; 1-based inclusive. ``@RG SM:``
  names the sample, ``@SQ`` lengths and ``AS:`` give the build.
- DNAcopy/IGV ``.seg`` (``ID chrom loc.start loc.end num.mark seg.mean``) and GATK's legacy
  ``.igv.seg`` (``Sample Chromosome Start End Num_Probes Segment_Mean``): 1-based inclusive.
- PURPLE ``.purple.cnv.somatic.tsv`` (``chromosome start end copyNumber ...``) and
  ``.purple.cnv.gene.tsv`` (``... gene minCopyNumber maxCopyNumber ...``, read as one segment per
  gene row at ``minCopyNumber``): 1-based inclusive; purity, ploidy and gender from a
  ``.purple.purity.tsv`` beside the file when present.
- ASCAT segments (``sample chr startpos endpos nMajor nMinor``): 1-based; CN = nMajor + nMinor.
- generic: ``chrom start end`` plus ``log2`` and/or ``copy_number`` (optional ``sample``,
  ``probes``, ``call``); 1-based inclusive.
"""

from __future__ import annotations

import gzip
import math
import os
import re
import zlib
from dataclasses import dataclass

from jakcli.errors import InputError
from jakcli.model import Build
from jakcli.model.copynumber import CopyNumberFile, Segment, normalise_sex
from jakcli.reference.genome import detect_build, normalise_contig

_MISSING = {"", "NA", "NaN", "nan", ".", "NULL", "None"}


@dataclass(frozen=True)
class _Layout:
    """How one format names its columns (None: the format has no such column)."""

    format: str
    chrom: str
    start: str
    end: str
    log2: str | None = None
    cn: str | None = None
    points: str | None = None
    call: str | None = None
    sample: str | None = None
    zero_based: bool = False
    cn_parts: tuple[str, str] | None = None


_LAYOUTS = {
    "cnvkit": _Layout("cnvkit", "chromosome", "start", "end", log2="log2", cn="cn", points="probes",
                      zero_based=True),
    "gatk": _Layout("gatk", "CONTIG", "START", "END", points="NUM_POINTS_COPY_RATIO", call="CALL"),
    "dnacopy": _Layout("seg", "chrom", "loc.start", "loc.end", log2="seg.mean", points="num.mark", sample="ID"),
    "igv": _Layout("seg", "Chromosome", "Start", "End", log2="Segment_Mean", points="Num_Probes",
                   call="Segment_Call", sample="Sample"),
    "purple-somatic": _Layout("purple", "chromosome", "start", "end", cn="copyNumber", points="depthWindowCount"),
    "purple-gene": _Layout("purple", "chromosome", "start", "end", cn="minCopyNumber"),
    "ascat": _Layout("ascat", "chr", "startpos", "endpos", sample="sample", cn_parts=("nMajor", "nMinor")),
    "generic": _Layout("generic", "chrom", "start", "end", log2="log2", cn="copy_number", points="probes",
                       call="call", sample="sample"),
}
_COORDS = {
    "cnvkit": "0-based half-open (BED-like), converted to 1-based inclusive",
    "gatk": "1-based inclusive", "seg": "1-based inclusive", "purple": "1-based inclusive",
    "ascat": "1-based inclusive", "generic": "1-based inclusive",
}
_GATK_LOG2 = ("LOG2_COPY_RATIO_POSTERIOR_50", "MEAN_LOG2_COPY_RATIO", "Segment_Mean")


def read_segments(path: str, sample: str | None = None, build: Build | None = None) -> CopyNumberFile:
    """Read one copy-number file. ``sample`` (from ``SAMPLE=PATH``) names its segments (see
    :func:`_attribute`); ``build`` (the run's) is checked against @SQ lengths when the file has them."""
    try:
        with _open(path) as fh:
            lines = fh.read().splitlines()
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a text copy-number file (bytes that are not UTF-8)") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
    head, header_no = _sam_header(lines, path)
    cols = [c.strip().strip('"') for c in lines[header_no - 1].lstrip("#").split("\t")]
    key, version = _detect(cols, path, header_no)
    layout = _LAYOUTS[key]
    if key == "gatk":
        layout = _gatk_layout(cols, path, header_no)
    index = {c: i for i, c in enumerate(cols)}
    segs, skipped = _rows(lines, header_no, index, layout, path, head.get("SM"))
    facts = _purple_facts(path) if layout.format == "purple" else {}
    b, why = _build(head, path, build)
    cnf = CopyNumberFile(path, layout.format, version, tuple(segs), _COORDS[layout.format],
                         facts.get("purity"), facts.get("ploidy"), facts.get("sex"), facts.get("source"),
                         b, why, skipped)
    return _attribute(cnf, sample)


def _open(path: str):
    with open(path, "rb") as fh:
        magic = fh.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rt", encoding="utf-8-sig")
    return open(path, encoding="utf-8-sig")


def _sam_header(lines: list[str], path: str) -> tuple[dict, int]:
    """Collect ``@SQ`` lengths, ``@SQ AS:``, ``@RG SM:`` (and ``#SAMPLE_NAME=``); return the
    1-based number of the column-header line."""
    head: dict = {"SQ": {}, "AS": set()}
    for no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if line.startswith("@"):
            tags = dict(t.split(":", 1) for t in line.split("\t")[1:] if ":" in t)
            if line.startswith("@SQ") and "SN" in tags:
                if not tags.get("LN", "").isdigit():
                    raise InputError(f"{path}: line {no}: @SQ line without a numeric LN; "
                                     "the SAM-style header is damaged")
                head["SQ"][tags["SN"]] = int(tags["LN"])
                if "AS" in tags:
                    head["AS"].add(tags["AS"])
            elif line.startswith("@RG") and "SM" in tags:
                head["SM"] = tags["SM"]
            continue
        if line.startswith("#SAMPLE_NAME="):
            head["SM"] = line.split("=", 1)[1].strip()
            continue
        if line.startswith("##") or re.match(r"^(WARNING|#\s|#track\b|#type=)", line):
            continue  # comments some wrappers put above the header (R warnings, ## lines, IGV #track/#type)
        return head, no
    raise InputError(f"{path}: the copy-number file is empty (no header line)")


def _detect(cols: list[str], path: str, line: int) -> tuple[str, str]:
    have = set(cols)
    if {"CONTIG", "START", "END"} <= have:
        version = ("called" if "CALL" in have else "modelFinal" if "LOG2_COPY_RATIO_POSTERIOR_50" in have
                   else "cr")
        return "gatk", version
    if {"chromosome", "start", "end", "log2"} <= have:
        return "cnvkit", "call.cns" if "cn" in have else "cns" if "probes" in have else "cnr"
    if {"chromosome", "start", "end", "gene", "minCopyNumber"} <= have:
        return "purple-gene", "gene"
    if {"chromosome", "start", "end", "copyNumber"} <= have:
        return "purple-somatic", "somatic"
    if {"chr", "startpos", "endpos", "nMajor", "nMinor"} <= have:
        return "ascat", "segments"
    if {"ID", "chrom", "loc.start", "loc.end", "seg.mean"} <= have:
        return "dnacopy", "dnacopy"
    if {"Sample", "Chromosome", "Start", "End", "Segment_Mean"} <= have:
        return "igv", "igv"
    if {"chrom", "start", "end"} <= have and ({"log2", "copy_number"} & have):
        return "generic", "1"
    shown = "\t".join(cols[:5])
    raise InputError(f"{path}: line {line}: unknown copy-number format (header starts '{shown}'); supported: "
                     "CNVkit .cnr/.cns, GATK4 .seg, DNAcopy/IGV .seg, PURPLE cnv.somatic/cnv.gene, ASCAT "
                     "segments, or a TSV with chrom, start, end and log2 or copy_number (docs/copy_number.md)")


def _gatk_layout(cols: list[str], path: str, line: int) -> _Layout:
    log2 = next((c for c in _GATK_LOG2 if c in cols), None)
    if log2 is None:
        raise InputError(f"{path}: line {line}: GATK segment header has no log2 column "
                         f"({', '.join(_GATK_LOG2)}); is it an allele-fraction-only file?")
    base = _LAYOUTS["gatk"]
    points = base.points if base.points in cols else ("Num_Probes" if "Num_Probes" in cols else None)
    return _Layout("gatk", base.chrom, base.start, base.end, log2=log2, points=points, call=base.call)


def _rows(lines, header_no, index, layout: _Layout, path: str, file_sample: str | None):
    segs: list[Segment] = []
    skipped: dict[str, int] = {}
    for no in range(header_no + 1, len(lines) + 1):
        text = lines[no - 1]
        if not text.strip() or text.startswith("#"):
            continue
        row = _Row([f.strip().strip('"') for f in text.split("\t")], index, path, no)
        seg, reason = _segment(row, layout, path, no, file_sample)
        if seg is None:
            skipped[reason] = skipped.get(reason, 0) + 1
        else:
            segs.append(seg)
    return segs, skipped


_NUMERIC_SEX_CHROMOSOMES = {"23": "X", "24": "Y", "x": "X", "y": "Y"}


def _segment_contig(chrom: str) -> str:
    """A segment's chromosome as the targets name it. Array and R pipelines (DNAcopy/CBS, IGV .seg,
    FACETS, PLINK-style tables) write X and Y as 23 and 24, some lowercase; left as written, the
    PAR1 and chrX/chrY targets would find no segment and be reported not assessed."""
    n = normalise_contig(chrom)
    return _NUMERIC_SEX_CHROMOSOMES.get(n, n)


def _segment(row: _Row, lay: _Layout, path: str, no: int, file_sample: str | None):
    chrom = row.get(lay.chrom)
    if not chrom:
        raise InputError(f"{path}: line {no}: column {lay.chrom} is empty")
    start, end = row.integer(lay.start), row.integer(lay.end)
    start += 1 if lay.zero_based else 0
    if start < 1:
        raise InputError(f"{path}: line {no}: column {lay.start} is '{row.get(lay.start)}', but positions in this "
                         f"format are {_COORDS[lay.format]}; a segment cannot start before base 1")
    if end < start:
        raise InputError(f"{path}: line {no}: end {end} is before start {start}; the segment is malformed")
    log2 = row.number(lay.log2) if lay.log2 in row.index else None
    cn = row.number(lay.cn) if lay.cn in row.index else None
    if lay.cn_parts:
        a, b = (row.number(c) for c in lay.cn_parts)
        cn = None if a is None or b is None else a + b
    if log2 is None and cn is None:
        what = " / ".join(c for c in (lay.log2, lay.cn, *(lay.cn_parts or ())) if c in row.index)
        return None, f"no numeric value in {what} (written as missing)"
    sample = row.get(lay.sample) if lay.sample and lay.sample in row.index else file_sample
    points = row.number(lay.points) if lay.points and lay.points in row.index else None
    call = row.get(lay.call) if lay.call and lay.call in row.index else None
    return Segment(sample or None, chrom, _segment_contig(chrom), start, end, log2, cn,
                   None if points is None else int(points), call or None, path, no), ""


class _Row:
    """Named access to one data line; errors name file, line and column."""

    def __init__(self, fields: list[str], index: dict[str, int], path: str, line: int):
        self.fields, self.index, self.path, self.line = fields, index, path, line

    def get(self, name: str) -> str:
        i = self.index[name]
        if i >= len(self.fields):
            raise InputError(f"{self.path}: line {self.line}: has {len(self.fields)} columns, but '{name}' is "
                             f"column {i + 1}; the line is truncated")
        return self.fields[i]

    def integer(self, name: str) -> int:
        value = self.get(name)
        try:
            if not re.fullmatch(r"\d+(\.0+)?|\d+(\.\d+)?[eE]\+?\d+", value):
                raise ValueError(value)
            return int(float(value))
        except (ValueError, OverflowError):
            raise InputError(f"{self.path}: line {self.line}: column {name} is '{value}', not a position") from None

    def number(self, name: str) -> float | None:
        value = self.get(name)
        if value in _MISSING:
            return None
        try:
            x = float(value)
        except ValueError:
            raise InputError(f"{self.path}: line {self.line}: column {name} is '{value}', not a number") from None
        if math.isinf(x):
            raise InputError(f"{self.path}: line {self.line}: column {name} is '{value}', not a finite number; "
                             "write a missing value as NA")
        return None if math.isnan(x) else x


def _purple_facts(path: str) -> dict:
    """Purity, ploidy and gender from the ``.purple.purity.tsv`` beside a PURPLE table, if any."""
    m = re.search(r"purple\.cnv\.(somatic|gene)\.tsv(\.gz)?$", path)
    if not m:
        return {}
    purity_path = path[: m.start()] + "purple.purity.tsv"
    if not os.path.exists(purity_path):
        return {}
    try:
        with open(purity_path, encoding="utf-8-sig") as fh:
            rows = [ln.rstrip("\r\n").lstrip("#").split("\t") for ln in fh if ln.strip()]
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{purity_path}: cannot read the PURPLE purity file "
                         f"({getattr(exc, 'strerror', None) or 'bytes that are not UTF-8'})") from None
    if len(rows) < 2:
        raise InputError(f"{purity_path}: PURPLE purity file has no data line")
    rec = dict(zip(rows[0], rows[1]))
    try:
        purity, ploidy = float(rec["purity"]), float(rec["ploidy"])
    except (KeyError, ValueError):
        raise InputError(f"{purity_path}: line 2: purity/ploidy missing or not numbers") from None
    return {"purity": purity, "ploidy": ploidy, "sex": normalise_sex(rec.get("gender", "")),
            "source": f"{purity_path}: line 2"}


def _build(head: dict, path: str, declared: Build | None) -> tuple[Build | None, str]:
    if not head["SQ"] and not head["AS"]:
        return None, "the file does not name a build"
    lines = [("assembly", a) for a in sorted(head["AS"])]
    evidence = detect_build(lines, dict(head["SQ"]), path)
    if declared is not None and evidence.build is not None and evidence.build != declared:
        raise InputError(f"{path}: the file's header says {evidence.build} ({evidence.reason}) but the run is "
                         f"{declared}; pass the matching --build or the right file")
    return evidence.build, evidence.reason.replace("##contig", "@SQ")


def _attribute(cnf: CopyNumberFile, sample: str | None) -> CopyNumberFile:
    """``SAMPLE=PATH`` wins: a single-sample file is renamed to it; a multi-sample file keeps only
    that sample's segments (an InputError when it has none)."""
    if sample is None:
        return cnf
    names = [n for n in cnf.samples() if n is not None]
    if len(names) <= 1:
        segs = tuple(_renamed(s, sample) for s in cnf.segments)
    elif sample in names:
        segs = tuple(s for s in cnf.segments if s.sample == sample)
    else:
        raise InputError(f"{cnf.path}: holds samples {', '.join(names[:5])}, not '{sample}'; name one of "
                         "them as SAMPLE=PATH")
    return CopyNumberFile(**{**cnf.__dict__, "segments": segs})


def _renamed(seg: Segment, sample: str) -> Segment:
    return Segment(sample, seg.chrom, seg.contig, seg.start, seg.end, seg.log2, seg.copy_number,
                   seg.points, seg.call, seg.source, seg.line)


def segments_for(cnf: CopyNumberFile, run_samples: list[str]) -> dict[str, tuple[Segment, ...]]:
    """Map the file's segments onto the run's samples: a named sample must be one of the run's;
    an unnamed single-sample file goes to the run's only sample, else it is ambiguous."""
    out: dict[str, tuple[Segment, ...]] = {}
    for name, segs in cnf.by_sample().items():
        if name is None:
            if len(run_samples) != 1:
                raise InputError(f"{cnf.path}: the file does not name its sample and the run has "
                                 f"{len(run_samples)} samples; give it as SAMPLE=PATH")
            name = run_samples[0]
        out[name] = segs
    return out
