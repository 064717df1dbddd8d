"""VCF/BCF reader: pysam records in, :class:`Variant` and :class:`SampleCall` records out.

pysam objects never leave the reader modules (this one and :mod:`jakcli.svvcf`). Per-sample FORMAT
work is done only on request (:meth:`RawRecord.calls`), so the engine can skip it for records no rule
matched. The byte-level work of region-first reading lives in :mod:`jakcli.scanning`.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from jakcli.annotations import AnnotationLayout, layout_from_header, parse_annotations
from jakcli.errors import InputError, reason
from jakcli.genome import normalise_contig
from jakcli.model import SampleCall, Variant
from jakcli.ruleset import minimal_form
from jakcli.scanning import WIDE_LINE, index_summary, may_overlap, overlaps, scan_spans, text_pieces

_BASES = set("ACGTNacgtn")


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


BACKGROUND_HASH_BYTES = 8 << 20  # smaller files hash faster than a thread starts


class _Digest:
    """sha256 of a file, computed now or on a background thread and collected on demand."""

    def __init__(self, path: str, background: bool):
        import threading

        self._value: str | None = None
        self._error: OSError | None = None
        self._thread = None
        if background:
            self._thread = threading.Thread(target=self._run, args=(path,), daemon=True)
            self._thread.start()
        else:
            self._run(path)

    def _run(self, path: str) -> None:
        try:
            self._value = sha256_file(path)
        except OSError as exc:
            self._error = exc

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def value(self) -> str:
        self.wait()
        if self._error is not None:
            raise self._error
        return self._value


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
        raise InputError(f"{display}: gzip data is truncated or corrupt ({reason(exc)}); "
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
        if is_plain_gzip(real):  # plain gzip (not BGZF): htslib cannot seek it
            self._digest = _Digest(real, background=False)
            plain = gunzip_to_temp(real, path)
            if self._tmp:
                os.unlink(self._tmp)
            real = self._tmp = plain
        else:  # hashing a large file overlaps with reading it (hashlib releases the GIL)
            self._digest = _Digest(real, background=path != "-" and os.path.getsize(real) > BACKGROUND_HASH_BYTES)
        self.real_path = real
        try:
            self._vf = pysam.VariantFile(real)
        except (OSError, ValueError, NotImplementedError) as exc:
            self.close()
            raise InputError(f"{path}: not a readable VCF/BCF file ({reason(exc)}); "
                             "check that it is VCF text, bgzip-compressed VCF or BCF") from None
        self.preferred_transcripts = preferred_transcripts  # MANE/canonical ids; set by the caller
        try:
            self.header = self._read_header()
        except BaseException:
            self.close()  # the stdin spool or gunzipped copy must not outlive an error
            raise
        self.scan_mode: str | None = None  # how fetch_targets read the file: index, text-scan, decode-all
        self.scan: dict = {}

    def _read_header(self) -> VcfHeader:
        h = self._vf.header
        declared = self._declared_contigs()
        lines, layouts, warnings = [], [], []
        for rec in h.records:
            try:
                rec.key, rec.value, str(rec)  # pysam decodes as UTF-8 and raises on other bytes
            except UnicodeDecodeError:
                warnings.append(f"{self.display}: a header line is not UTF-8 text (Latin-1?) and was ignored; "
                                "find it with: grep -naxv '.*' FILE (in a UTF-8 locale)")
                continue
            if rec.type == "GENERIC" or rec.key in ("reference", "assembly"):
                lines.append((rec.key, str(rec.value)))
            elif rec.key == "contig":
                if declared is None or str(rec.get("ID")) in declared:
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
        contigs = {name: c.length for name, c in h.contigs.items() if declared is None or name in declared}
        return VcfHeader(self.display, list(h.samples), contigs, lines, layouts,
                         set(h.formats.keys()), warnings)

    def _declared_contigs(self) -> set[str] | None:
        """IDs of the ##contig lines in a text VCF's own header (None for BCF, whose header is all
        declared). htslib adds the contigs of a tabix index to the header it returns, which would
        make coverage checks depend on whether the file happens to be indexed."""
        import gzip

        with open(self.real_path, "rb") as raw:
            magic = raw.read(2)
        opener = gzip.open if magic == b"\x1f\x8b" else open
        out = set()
        try:
            with opener(self.real_path, "rb") as fh:
                for line in fh:
                    if not line.startswith(b"##"):
                        if not line.startswith(b"#CHROM"):
                            return None  # BCF (binary) or not a header we can read as text
                        return out
                    if line.startswith(b"##contig=<"):
                        m = re.search(rb"[<,]ID=([^,>]+)", line)
                        if m:
                            out.add(m.group(1).decode("utf-8", "replace"))
        except (OSError, EOFError):
            return None
        return out

    @property
    def sha256(self) -> str:
        """Checksum of the input as given (before any decompression), for the report."""
        try:
            return self._digest.value()
        except OSError as exc:
            raise InputError(f"{self.display}: cannot read it to the end for its checksum ({exc.strerror})") from None

    def close(self) -> None:
        digest = getattr(self, "_digest", None)
        if digest is not None:
            digest.wait()  # the file must stay until hashing is done (temporary copies included)
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
            raise InputError(f"{self.display}: unreadable data after record {n} ({last}): {reason(exc)}; "
                             "the file may be truncated or corrupt (re-create it, or check with bcftools view)") from None


    # ------------------------------------------------------------------ region-first reading

    def has_index(self) -> bool:
        """A tabix/CSI index beside the file (stdin and plain-gzip temp copies never have one)."""
        if self._tmp:
            return False
        return any(os.path.exists(self.real_path + ext) for ext in (".tbi", ".csi"))

    def fetch_targets(self, targets: list[tuple[str, int, int]]) -> Iterator["RawRecord"]:
        """Yield only records overlapping ``targets`` (normalised contig, 1-based start, end;
        merged and sorted), each once, in file order. Afterwards :attr:`scan` holds
        ``records_total`` and ``records_outside``, the same on every path so reports do not depend
        on indexing.

        With an index the regions are queried; without one, text VCF is scanned with byte
        searches and only candidate lines are parsed; an unindexed BCF is decoded record by record.
        An index older than the file (left over from an earlier version of it) or one without
        record counts is not used: the file is read as if it had none (``scan["index_ignored"]``
        says why), because querying it could silently miss records.
        """
        by_contig: dict[str, list[tuple[int, int]]] = {}
        for contig, start, end in targets:
            by_contig.setdefault(contig, []).append((start, end))
        index, total, firsts, ignored = None, None, [], None
        if self.has_index():
            index = next(self.real_path + ext for ext in (".csi", ".tbi") if os.path.exists(self.real_path + ext))
            try:
                stale = os.stat(index).st_mtime_ns < os.stat(self.real_path).st_mtime_ns
            except OSError:
                stale = False
            if stale:
                ignored = f"{index} is older than the file"
            else:
                total, firsts = index_summary(index)  # a damaged index is an input error
                if total is None:
                    ignored = f"{index} holds no record counts"
                elif getattr(self._vf, "index", None) is None:
                    ignored = f"htslib cannot use {index} for this file (is the file bgzip-compressed?)"
        if index is not None and ignored is None:
            self.scan_mode = "index"
            yield from self._fetch_indexed(by_contig, total, firsts)
        elif self._is_text():
            self.scan_mode = "text-scan"
            yield from self._fetch_scanned(by_contig)
        else:
            self.scan_mode = "decode-all"
            yield from self._fetch_decoded(by_contig)
        if ignored:
            self.scan["index_ignored"] = ignored

    def _is_text(self) -> bool:
        with open(self.real_path, "rb") as fh:
            head = fh.read(4)
        if head[:2] == b"\x1f\x8b":
            import gzip

            with gzip.open(self.real_path, "rb") as gz:
                head = gz.read(4)
        return head.startswith(b"##")

    def _fetch_indexed(self, by_contig: dict, total: int, firsts: list) -> Iterator["RawRecord"]:
        """Query the target regions contig by contig in the order the contigs have in the file
        (by the offset of their first record in the index; a BCF need not follow its header's
        order), so records and the warnings they raise come in the same order as on the
        scanning paths."""
        inside = 0
        n = 0
        last = "the header"
        try:
            keys = list(self._vf.index.keys())
            at = {name: firsts[i] for i, name in enumerate(keys) if i < len(firsts) and firsts[i] is not None}
            names = sorted((name for name in at if normalise_contig(name) in by_contig), key=at.get)
            for name in names:
                prev_end = 0
                for start, end in by_contig[normalise_contig(name)]:
                    for rec in self._vf.fetch(name, start - 1, end):
                        if rec.start < prev_end:
                            continue  # overlapped the previous region too: already yielded
                        n += 1
                        inside += 1
                        last = f"{rec.chrom}:{rec.pos}"
                        yield RawRecord(rec, n, self)
                    prev_end = end
        except (OSError, ValueError, NotImplementedError) as exc:
            raise InputError(f"{self.display}: unreadable data near {last}: {reason(exc)}; the file or its "
                             "index may be truncated or stale (re-create them, or check with bcftools view)") from None
        self.scan = {"records_total": total, "records_outside": total - inside}

    def _fetch_decoded(self, by_contig: dict) -> Iterator["RawRecord"]:
        total = inside = 0
        for raw in self.fetch():
            total += 1
            rec = raw.pysam_record
            if overlaps(by_contig.get(normalise_contig(rec.chrom), ()), rec.start, rec.stop):
                inside += 1
                raw.record_no = inside
                yield raw
        self.scan = {"records_total": total, "records_outside": total - inside}

    def _fetch_scanned(self, by_contig: dict) -> Iterator["RawRecord"]:
        """Byte-level pre-filter: count every data line, copy the lines that may overlap a target
        (on a target contig, and overlapping by POS+len(REF), or symbolic) to a temporary VCF,
        then let htslib decode only those, with the same overlap test as the indexed path."""
        spans = scan_spans(by_contig)
        keys = tuple(name + b"\t" for name in spans)
        header: list[bytes] = []
        total = 0
        in_header = True
        bgzf: dict = {}
        fd, cand_path = tempfile.mkstemp(prefix="jakcli-targets-", suffix=".vcf")
        try:
            with os.fdopen(fd, "wb") as cand:

                def take(lines: list[bytes]) -> None:
                    nonlocal in_header, total
                    if in_header:
                        k = 0
                        while k < len(lines) and lines[k].startswith(b"#"):
                            k += 1
                        header.extend(lines[:k])
                        lines = lines[k:]
                        if not lines:
                            return
                        in_header = False
                        cand.write(b"\n".join(header) + b"\n")
                    total += len(lines) - lines.count(b"")
                    for line in lines:
                        if line.startswith(keys) and may_overlap(line, spans):
                            cand.write(line + b"\n")

                def take_wide(buf: bytes, i: int, end: int) -> None:
                    """Long lines (many samples): walk the newlines of buf[i:end] in place instead
                    of copying every line."""
                    nonlocal total
                    n = 0
                    find, starts = buf.find, buf.startswith
                    while i < end:
                        j = find(b"\n", i, end)
                        if j != i:
                            n += 1
                            if starts(keys, i):
                                line = buf[i:j]
                                if may_overlap(line, spans):
                                    cand.write(line + b"\n")
                        i = j + 1
                    total += n

                def take_span(buf: bytes, i: int, end: int) -> None:
                    """Complete lines buf[i:end] (end just past a newline)."""
                    if i >= end:
                        return
                    if not in_header and buf.find(b"\n", i, end) - i > WIDE_LINE:
                        take_wide(buf, i, end)
                        return
                    lines = buf[i:end].split(b"\n")
                    lines.pop()  # the empty string after the last newline
                    take(lines)

                rem = b""
                for text in text_pieces(self.real_path, self.display, bgzf):
                    first = text.find(b"\n")
                    if first < 0:
                        rem += text
                        continue
                    joined = rem + text[:first + 1]  # the line that straddles two pieces
                    take_span(joined, 0, len(joined))
                    last = text.rfind(b"\n") + 1
                    take_span(text, first + 1, last)
                    rem = text[last:]
                if rem.strip():
                    if bgzf.get("blocks") and not bgzf.get("eof_marker"):
                        raise InputError(f"{self.display}: the BGZF data has no end-of-file marker and its last "
                                         "line is incomplete; the file is truncated (re-create it, or check with "
                                         "bcftools view)")
                    take([rem])  # a last line without a newline: htslib reads it, and so does the scan
                if in_header:
                    cand.write(b"\n".join(header) + b"\n")
        except BaseException:
            os.unlink(cand_path)
            raise
        import pysam

        inside = 0
        try:
            with pysam.VariantFile(cand_path) as vf:
                for rec in vf:
                    if overlaps(by_contig.get(normalise_contig(rec.chrom), ()), rec.start, rec.stop):
                        inside += 1
                        yield RawRecord(rec, inside, self)
        except (OSError, ValueError, NotImplementedError) as exc:
            raise InputError(f"{self.display}: unreadable record in a target region after record {inside}: "
                             f"{reason(exc)} (check with bcftools view)") from None
        finally:
            os.unlink(cand_path)
        self.scan = {"records_total": total, "records_outside": total - inside}


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
                                                    self._reader.preferred_transcripts)
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
    source = note = af_note = None
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
            vaf = _finite(af[i - 1])  # Type=String AF may hold anything
            if vaf is None:
                af_note = f"FORMAT/AF '{str(af[i - 1])[:40]}' is not a number"
            source = "AF" if vaf is not None else None
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
        note = af_note or f"no AD, AF, FREQ or Strelka tier counts in FORMAT (has: {present})"
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


def _finite(v) -> float | None:
    """A finite number from a FORMAT value (a String-typed field may hold 'abc', '.', 'inf')."""
    if isinstance(v, str):
        v = v.split(",")[0].strip()
    try:
        x = float(v)
    except (TypeError, ValueError, OverflowError):
        return None
    return x if math.isfinite(x) else None


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
        tir, tar = _finite(tir[0]) if tir else None, _finite(tar[0]) if tar else None
        if tir is not None and tar is not None and tir >= 0 and tar >= 0 and tir + tar > 0:
            return tir / (tir + tar), int(tir), int(tir + tar)
        return None
    keys = {b: f"{b}U" for b in "ACGT"}
    if set(keys.values()) <= fmt and len(rec.ref) == 1:
        alt = rec.alts[i - 1].upper()
        counts = {b: _tuple(s.get(k)) for b, k in keys.items()}
        counts = {b: (_finite(c[0]),) if c else None for b, c in counts.items()}  # Type=String: any text
        if alt in counts and all(c and c[0] is not None and c[0] >= 0 for c in counts.values()):
            total = sum(c[0] for c in counts.values())
            if total > 0:
                return counts[alt][0] / total, int(counts[alt][0]), int(total)
    return None
