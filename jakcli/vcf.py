"""VCF/BCF reader: pysam records in, :class:`Variant` and :class:`SampleCall` records out.

pysam objects never leave the reader modules (this one and :mod:`jakcli.svvcf`). Per-sample FORMAT work is done only on request
(:meth:`RecordCalls.calls`), so the engine can skip it for records no rule matched.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from jakcli.annotations import AnnotationLayout, layout_from_header, parse_annotations
from jakcli.errors import InputError
from jakcli.genome import normalise_contig
from jakcli.model import SampleCall, Variant
from jakcli.ruleset import minimal_form

_BASES = set("ACGTNacgtn")


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def spool_stdin() -> str:
    """Copy standard input to a temporary file (pysam needs a seekable file); return its path."""
    fd, path = tempfile.mkstemp(prefix="jakcli-stdin-", suffix=".vcf")
    with os.fdopen(fd, "wb") as out:
        shutil.copyfileobj(sys.stdin.buffer, out, 1 << 20)
    return path


def is_plain_gzip(path: str) -> bool:
    """True for gzip that is not BGZF (htslib cannot read it): no 'BC' extra subfield."""
    with open(path, "rb") as fh:
        head = fh.read(18)
    if len(head) < 4 or head[:2] != b"\x1f\x8b":
        return False
    has_extra = bool(head[3] & 4)
    return not (has_extra and len(head) >= 16 and head[12:14] == b"BC")


def gunzip_to_temp(path: str, display: str) -> str:
    """Decompress a plain-gzip VCF to a temporary file; a truncated stream is an input error."""
    import gzip
    import zlib

    fd, tmp = tempfile.mkstemp(prefix="jakcli-gunzip-", suffix=".vcf")
    try:
        with os.fdopen(fd, "wb") as out, gzip.open(path, "rb") as src:
            shutil.copyfileobj(src, out, 1 << 20)
    except (EOFError, OSError, zlib.error) as exc:
        os.unlink(tmp)
        raise InputError(f"{display}: gzip data is truncated or corrupt ({_why(exc)}); "
                         "re-create the file (bgzip is preferred for VCF)") from None
    return tmp


@dataclass
class VcfHeader:
    path: str  # as given by the user ("-" for stdin)
    samples: list[str]
    contigs: dict[str, int | None]
    lines: list[tuple[str, str]]
    annotation_layouts: list[AnnotationLayout]
    format_ids: set[str]
    warnings: list[str] = field(default_factory=list)


class VcfReader:
    """Open one VCF/BCF (plain, bgzip, BCF; ``-`` = stdin) and iterate its records."""

    def __init__(self, path: str, preferred_transcripts: frozenset = frozenset()):
        import pysam

        pysam.set_verbosity(0)  # htslib warnings would bypass our error policy
        self.display = path
        self._tmp = None
        real = path
        if path == "-":
            real = self._tmp = spool_stdin()
        elif not os.path.exists(path):
            raise InputError(f"{path}: file not found")
        self.sha256 = sha256_file(real)
        if is_plain_gzip(real):  # plain gzip (not BGZF): htslib cannot seek it
            plain = gunzip_to_temp(real, path)
            if self._tmp:
                os.unlink(self._tmp)
            real = self._tmp = plain
        self.real_path = real
        try:
            self._vf = pysam.VariantFile(real)
        except (OSError, ValueError, NotImplementedError) as exc:
            self.close()
            raise InputError(f"{path}: not a readable VCF/BCF file ({_why(exc)}); "
                             "check that it is VCF text, bgzip-compressed VCF or BCF") from None
        self._preferred = preferred_transcripts
        self.header = self._read_header()

    def _read_header(self) -> VcfHeader:
        h = self._vf.header
        lines, layouts, warnings = [], [], []
        for rec in h.records:
            if rec.type == "GENERIC" or rec.key in ("reference", "assembly"):
                lines.append((rec.key, str(rec.value)))
            elif rec.key == "contig":
                lines.append(("contig", str(rec).strip()))
            elif rec.type == "INFO" and rec.get("ID") in ("CSQ", "ANN", "BCSQ") or (
                    rec.type == "INFO" and "Format:" in (rec.get("Description") or "")):
                tag = rec.get("ID")
                desc = (rec.get("Description") or "").strip('"')
                layout = layout_from_header(tag, desc)
                if layout is not None:
                    layouts.append(layout)
                elif tag in ("CSQ", "ANN"):
                    warnings.append(f"{self.display}: INFO/{tag} header has no field list; annotations ignored")
        contigs = {name: c.length for name, c in h.contigs.items()}
        return VcfHeader(self.display, list(h.samples), contigs, lines, layouts,
                         set(h.formats.keys()), warnings)

    def close(self) -> None:
        vf = getattr(self, "_vf", None)
        if vf is not None:
            vf.close()
            self._vf = None
        if self._tmp:
            try:
                os.unlink(self._tmp)
            except OSError:
                pass
            self._tmp = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def fetch(self, regions: list[tuple[str, int, int]] | None = None) -> Iterator["RawRecord"]:
        """Yield records; ``regions`` (contig as in file, 1-based start, end) needs an index."""
        n = 0
        last = "the header"
        sources = [self._vf] if regions is None else (
            self._vf.fetch(c, s - 1, e) for c, s, e in regions)
        try:
            for it in sources:
                for rec in it:
                    n += 1
                    last = f"{rec.chrom}:{rec.pos}"
                    yield RawRecord(rec, n, self)
        except (OSError, ValueError, NotImplementedError) as exc:
            raise InputError(f"{self.display}: unreadable data after record {n} ({last}): {_why(exc)}; "
                             "the file may be truncated or corrupt (re-create it, or check with bcftools view)") from None


def _why(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


class RawRecord:
    """One VCF record; turns itself into Variants and, on request, into SampleCalls."""

    __slots__ = ("_rec", "record_no", "_reader")

    def __init__(self, rec, record_no: int, reader: VcfReader):
        self._rec = rec
        self.record_no = record_no
        self._reader = reader

    @property
    def pysam_record(self):
        """The underlying pysam record, for the reader modules only."""
        return self._rec

    @property
    def chrom(self) -> str:
        return self._rec.chrom

    @property
    def pos(self) -> int:
        return self._rec.pos

    @property
    def label(self) -> str:
        return f"{self._rec.chrom}:{self._rec.pos}"

    def filter_value(self) -> str:
        keys = list(self._rec.filter.keys())
        return ";".join(keys) if keys else "."

    def passes(self) -> bool:
        keys = list(self._rec.filter.keys())
        return not keys or keys == ["PASS"]

    def variants(self) -> tuple[list[Variant], dict[str, int]]:
        """One Variant per ALT allele that can be matched, and counts of alleles skipped by reason."""
        rec = self._rec
        skipped: dict[str, int] = {}
        alts = list(rec.alts or ())
        ref = rec.ref or ""
        if not alts:
            return [], {"no_alt": 1}
        annotations = {}
        for layout in self._reader.header.annotation_layouts:
            if layout.tag in rec.info:
                try:
                    annotations = parse_annotations(layout, rec.info[layout.tag], ref, alts,
                                                    self._reader._preferred)
                except (ValueError, TypeError, IndexError):
                    annotations = {}
                if annotations:
                    break
        out = []
        contig = normalise_contig(rec.chrom)
        flt = self.filter_value()
        for i, alt in enumerate(alts, start=1):
            if alt == "*" or alt.startswith("<") or "[" in alt or "]" in alt or not set(alt) <= _BASES:
                reason = "spanning_deletion" if alt == "*" else "symbolic_or_breakend"
                skipped[reason] = skipped.get(reason, 0) + 1
                continue
            if not ref or not set(ref) <= _BASES:
                skipped["invalid_ref"] = skipped.get("invalid_ref", 0) + 1
                continue
            mp, mr, ma = minimal_form(rec.pos, ref.upper(), alt.upper())
            out.append(Variant(rec.chrom, contig, rec.pos, ref, alt, i, flt, self.record_no,
                               self._reader.display, mp, mr, ma, annotations.get(i, ())))
        return out, skipped

    def calls(self, allele_index: int, samples: list[str]) -> list[SampleCall]:
        """What each named sample's FORMAT fields say about ALT number ``allele_index``."""
        rec = self._rec
        fmt = set(rec.format.keys())
        out = []
        for name in samples:
            s = rec.samples[name]
            out.append(_sample_call(name, s, fmt, allele_index, rec))
        return out


def _sample_call(name: str, s, fmt: set, i: int, rec) -> SampleCall:
    vaf = depth = alt_reads = None
    source = note = None
    gt_text = "no-GT"
    if "AD" in fmt:
        ad = _tuple(s.get("AD"))
        if ad and len(ad) > i and ad[i] is not None:
            alt_reads = int(ad[i])
            total = sum(int(x) for x in ad if x is not None)
            depth = total
            if total > 0:
                vaf, source = alt_reads / total, "AD"
            else:
                note = "AD sums to zero"
    if vaf is None and "AF" in fmt:
        af = _tuple(s.get("AF"))
        if af and len(af) >= i and af[i - 1] is not None:
            vaf, source = float(af[i - 1]), "AF"
    if vaf is None and "FREQ" in fmt:
        vaf = _parse_freq(s.get("FREQ"))
        if vaf is not None:
            source = "FREQ"
    if vaf is None:
        tier = _strelka_vaf(s, fmt, rec, i)
        if tier is not None:
            vaf, alt_reads, depth = tier
            source = "tier-counts"
    if "DP" in fmt:
        dp = s.get("DP")
        if isinstance(dp, int):
            depth = dp
    if vaf is None and note is None:
        present = ",".join(sorted(fmt - {"GT"})) or "none"
        note = f"no AD, AF, FREQ or Strelka tier counts in FORMAT (has: {present})"
    if vaf is not None and not (0.0 <= vaf <= 1.0):
        note, vaf, source = f"allele fraction {vaf} is outside 0-1", None, None

    if "GT" in fmt:
        gt = s.get("GT")
        alleles = tuple(gt) if gt is not None else ()
        sep = "|" if s.phased else "/"
        gt_text = sep.join("." if a is None else str(a) for a in alleles) or "."
        carries = i in alleles
    else:
        # somatic callers without GT (e.g. Strelka2): an allele is carried when reads support it
        carries = bool(alt_reads) if alt_reads is not None else (vaf is not None and vaf > 0)
    return SampleCall(name, carries, gt_text, vaf, source, depth, alt_reads, note)


def _tuple(v):
    if v is None:
        return None
    if isinstance(v, (tuple, list)):
        return tuple(v)
    return (v,)


def _parse_freq(v) -> float | None:
    if v is None:
        return None
    if isinstance(v, (tuple, list)):
        v = v[0] if v else None
        if v is None:
            return None
    text = str(v).strip()
    try:
        if text.endswith("%"):
            return float(text[:-1]) / 100.0
        val = float(text)
        return val / 100.0 if val > 1 else val
    except ValueError:
        return None


def _strelka_vaf(s, fmt: set, rec, i: int):
    """Strelka2 somatic tier-1 counts: {ALT}U for SNVs, TIR/TAR for indels."""
    if {"TIR", "TAR"} <= fmt:
        tir, tar = _tuple(s.get("TIR")), _tuple(s.get("TAR"))
        if tir and tar and tir[0] is not None and tar[0] is not None and tir[0] + tar[0] > 0:
            return tir[0] / (tir[0] + tar[0]), int(tir[0]), int(tir[0] + tar[0])
        return None
    keys = {b: f"{b}U" for b in "ACGT"}
    if set(keys.values()) <= fmt and len(rec.ref) == 1:
        alt = rec.alts[i - 1].upper()
        counts = {b: _tuple(s.get(k)) for b, k in keys.items()}
        if alt in counts and all(c and c[0] is not None for c in counts.values()):
            total = sum(c[0] for c in counts.values())
            if total > 0:
                return counts[alt][0] / total, int(counts[alt][0]), int(total)
    return None
