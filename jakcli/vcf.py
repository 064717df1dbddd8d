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
        self.scan_mode: str | None = None  # how fetch_targets read the file: index, text-scan, decode-all
        self.scan: dict = {}

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


    # ------------------------------------------------------------------ region-first reading

    def has_index(self) -> bool:
        """A tabix/CSI index beside the file (stdin and plain-gzip temp copies never have one)."""
        if self._tmp:
            return False
        return any(os.path.exists(self.real_path + ext) for ext in (".tbi", ".csi"))

    def fetch_targets(self, targets: list[tuple[str, int, int]]) -> Iterator["RawRecord"]:
        """Yield only records overlapping ``targets`` (normalised contig, 1-based start, end;
        merged and sorted), each once. Afterwards :attr:`scan` holds ``records_total`` and
        ``records_outside``, the same on every path so reports do not depend on indexing.

        With an index the regions are queried; without one, text VCF is scanned with byte
        searches and only candidate lines are parsed; an unindexed BCF is decoded record by record.
        """
        by_contig: dict[str, list[tuple[int, int]]] = {}
        for contig, start, end in targets:
            by_contig.setdefault(contig, []).append((start, end))
        if self.has_index():
            self.scan_mode = "index"
            yield from self._fetch_indexed(by_contig)
        elif self._is_text():
            self.scan_mode = "text-scan"
            yield from self._fetch_scanned(by_contig)
        else:
            self.scan_mode = "decode-all"
            yield from self._fetch_decoded(by_contig)

    def _is_text(self) -> bool:
        with open(self.real_path, "rb") as fh:
            head = fh.read(4)
        if head[:2] == b"\x1f\x8b":
            import gzip

            with gzip.open(self.real_path, "rb") as gz:
                head = gz.read(4)
        return head.startswith(b"##")

    def _file_contigs(self, by_contig: dict) -> dict[str, str]:
        """Normalised target contig -> the file's own spelling (from the header or the index)."""
        names = list(self.header.contigs) or list(getattr(self._vf.index, "keys", lambda: [])())
        return {normalise_contig(n): n for n in names if normalise_contig(n) in by_contig}

    def _fetch_indexed(self, by_contig: dict) -> Iterator["RawRecord"]:
        import pysam.bcftools

        try:
            total = int(pysam.bcftools.index("--nrecords", self.real_path).split()[0])
        except Exception as exc:  # pysam raises SamtoolsError for an index without record counts
            raise InputError(f"{self.display}: its index holds no record counts ({_why(exc)}); re-index with "
                             "'bcftools index -t' or 'tabix -p vcf'") from None
        inside = 0
        names = self._file_contigs(by_contig)
        n = 0
        last = "the header"
        try:
            for contig, ranges in by_contig.items():
                name = names.get(contig)
                if name is None:
                    continue
                prev_end = 0
                for start, end in ranges:
                    for rec in self._vf.fetch(name, start - 1, end):
                        if rec.start < prev_end:
                            continue  # overlapped the previous region too: already yielded
                        n += 1
                        inside += 1
                        last = f"{rec.chrom}:{rec.pos}"
                        yield RawRecord(rec, n, self)
                    prev_end = end
        except (OSError, ValueError, NotImplementedError) as exc:
            raise InputError(f"{self.display}: unreadable data near {last}: {_why(exc)}; the file or its "
                             "index may be truncated or stale (re-create them, or check with bcftools view)") from None
        self.scan = {"records_total": total, "records_outside": total - inside}

    def _fetch_decoded(self, by_contig: dict) -> Iterator["RawRecord"]:
        total = inside = 0
        for raw in self.fetch():
            total += 1
            rec = raw.pysam_record
            if _overlaps(by_contig.get(normalise_contig(rec.chrom), ()), rec.start, rec.stop):
                inside += 1
                raw.record_no = inside
                yield raw
        self.scan = {"records_total": total, "records_outside": total - inside}

    def _fetch_scanned(self, by_contig: dict) -> Iterator["RawRecord"]:
        """Byte-level pre-filter: count every data line, copy lines that may overlap a target
        (on a target contig, and overlapping by POS+len(REF), or symbolic) to a temporary VCF,
        then let htslib decode only those with the same overlap test as the indexed path."""
        import gzip

        opener = gzip.open if _is_gzip(self.real_path) else open
        header: list[bytes] = []
        total = 0
        fd, cand_path = tempfile.mkstemp(prefix="jakcli-targets-", suffix=".vcf")
        keys: dict[bytes, list[tuple[int, int]]] = {}
        try:
            with os.fdopen(fd, "wb") as cand, opener(self.real_path, "rb") as fh:
                rem = b""
                in_header = True
                while True:
                    chunk = fh.read(1 << 22)
                    if not chunk and not rem:
                        break
                    buf = rem + chunk
                    cut = buf.rfind(b"\n") + 1 if chunk else len(buf)
                    body, rem = buf[:cut], buf[cut:]
                    if in_header:
                        while body.startswith(b"#"):
                            nl = body.find(b"\n")
                            nl = len(body) if nl < 0 else nl + 1
                            header.append(body[:nl])
                            body = body[nl:]
                        if body:
                            in_header = False
                            cand.write(b"".join(header))
                            keys = self._scan_keys(header, by_contig)
                        elif chunk:
                            continue
                    if not body:
                        if not chunk:
                            break
                        continue
                    total += body.count(b"\n") + (0 if body.endswith(b"\n") else 1) - body.count(b"\n\n")
                    body = b"\n" + body
                    for key, ranges in keys.items():
                        i = body.find(key)
                        while i >= 0:
                            j = body.find(b"\n", i + 1)
                            j = len(body) if j < 0 else j
                            line = body[i + 1:j]
                            f = line.split(b"\t", 5)
                            if len(f) >= 5 and f[1].isdigit():
                                pos = int(f[1])
                                symbolic = f[4].startswith(b"<") or b"[" in f[4] or b"]" in f[4]
                                if symbolic or _overlaps(ranges, pos - 1, pos - 1 + max(len(f[3]), 1)):
                                    cand.write(line + b"\n")
                            else:
                                cand.write(line + b"\n")  # malformed: let htslib name the problem
                            i = body.find(key, j)
                    if not chunk:
                        break
                if in_header:
                    cand.write(b"".join(header))
        except (OSError, EOFError) as exc:
            os.unlink(cand_path)
            raise InputError(f"{self.display}: unreadable data ({_why(exc)}); the file may be truncated or "
                             "corrupt (re-create it, or check with bcftools view)") from None
        import pysam

        inside = 0
        try:
            with pysam.VariantFile(cand_path) as vf:
                for rec in vf:
                    if _overlaps(by_contig.get(normalise_contig(rec.chrom), ()), rec.start, rec.stop):
                        inside += 1
                        yield RawRecord(rec, inside, self)
        except (OSError, ValueError, NotImplementedError) as exc:
            raise InputError(f"{self.display}: unreadable record in a target region after record {inside}: "
                             f"{_why(exc)} (check with bcftools view)") from None
        finally:
            os.unlink(cand_path)
        self.scan = {"records_total": total, "records_outside": total - inside}

    @staticmethod
    def _scan_keys(header: list[bytes], by_contig: dict) -> dict[bytes, list[tuple[int, int]]]:
        """Byte prefixes (``\\nchr9\\t``) of target contigs in every spelling the file may use."""
        keys = {}
        for contig, ranges in by_contig.items():
            spellings = {contig, "chr" + contig, "chrM" if contig == "MT" else contig, "M" if contig == "MT" else contig}
            for name in spellings:
                keys[b"\n" + name.encode() + b"\t"] = ranges
        return keys


def _is_gzip(path: str) -> bool:
    with open(path, "rb") as fh:
        return fh.read(2) == b"\x1f\x8b"


def _overlaps(ranges, start0: int, stop0: int) -> bool:
    """Does the 0-based half-open [start0, stop0) touch any 1-based inclusive (start, end)?"""
    return any(start0 < end and stop0 > start - 1 for start, end in ranges)


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
