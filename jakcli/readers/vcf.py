"""VCF/BCF reader: pysam records in, :class:`Variant` and :class:`SampleCall` records out.

pysam objects never leave the reader modules (this one and :mod:`jakcli.readers.svvcf`). Per-sample FORMAT
work is done only on request (:meth:`RawRecord.calls`), so the engine can skip it for records no rule
matched. The byte-level work of region-first reading lives in :mod:`jakcli.readers.scanning`.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from jakcli.errors import InputError, reason
from jakcli.readers.annotations import AnnotationLayout, layout_from_header
from jakcli.readers.diagnose import header_problem, record_problem
from jakcli.readers.files import (
    BACKGROUND_HASH_BYTES,
    Digest,
    file_digest,
    gunzip_to_temp,
    is_plain_gzip,
    open_binary,
    spool_stdin,
)
from jakcli.readers.records import RawRecord
from jakcli.readers.scanning import (
    LineFilter,
    cluster_gap,
    index_summary,
    overlaps,
    query_clusters,
    scan_spans,
    text_pieces,
    touches,
)
from jakcli.reference.genome import normalise_contig


@dataclass
class VcfHeader:
    path: str  # as given by the user ("-" for stdin)
    samples: list[str]
    contigs: dict[str, int | None]
    lines: list[tuple[str, str]]
    annotation_layouts: list[AnnotationLayout]
    format_ids: set[str]
    warnings: list[str] = field(default_factory=list)
    info_ids: set[str] = field(default_factory=set)


class VcfReader:
    """Open one VCF/BCF (plain, bgzip, BCF; ``-`` = stdin) and iterate its records."""

    def __init__(self, path: str, preferred_transcripts: frozenset = frozenset(), digest: str = "sha256",
                 site_sample: str | None = None):
        import pysam

        pysam.set_verbosity(0)  # htslib warnings would bypass our error policy
        self.display = path
        self.digest_algorithm = digest
        hasher = partial(file_digest, algorithm=digest)
        self._tmp = None
        self.close_error: str | None = None
        real = path
        self.input_kind = "stdin" if path == "-" else "file"  # "gzip" below: plain gzip, not BGZF
        if path == "-":
            real = self._tmp = spool_stdin()
        elif not os.path.exists(path):
            raise InputError(f"{path}: file not found")
        if os.path.getsize(real) == 0:
            self.close()
            raise InputError(f"{'standard input' if path == '-' else path}: is empty (no VCF header); check the "
                             "step that should have written it")
        if is_plain_gzip(real):  # plain gzip (not BGZF): htslib cannot seek it
            self.input_kind = "gzip" if path != "-" else "stdin"
            self._digest = Digest(real, background=False, hasher=hasher)
            plain = gunzip_to_temp(real, path)
            if self._tmp:
                os.unlink(self._tmp)
            real = self._tmp = plain
        else:  # hashing a large file overlaps with reading it (hashlib releases the GIL)
            self._digest = Digest(real, background=path != "-" and os.path.getsize(real) > BACKGROUND_HASH_BYTES,
                                  hasher=hasher)
        self.real_path = real
        try:
            self._vf: Any = pysam.VariantFile(real)  # None once closed
        except (OSError, ValueError, NotImplementedError) as exc:
            problem = header_problem(real)
            self.close()
            if problem:
                raise InputError(f"{path}: {problem}") from None
            raise InputError(f"{path}: not a readable VCF/BCF file ({reason(exc)}); "
                             "check that it is VCF text, bgzip-compressed VCF or BCF") from None
        self.preferred_transcripts = preferred_transcripts  # MANE/canonical ids; set by the caller
        try:
            self.header = self._read_header()
        except UnicodeDecodeError:
            self.close()
            raise InputError(f"{path}: the header holds bytes that are not UTF-8 text (a contig ID, sample name or "
                             "header line); convert it (e.g. iconv -f latin1 -t utf8)") from None
        except BaseException:
            self.close()  # the stdin spool or gunzipped copy must not outlive an error
            raise
        self.site_sample = site_sample  # the one sample of a sites-only VCF, given as SAMPLE=PATH
        if site_sample is not None:
            if self.header.samples:
                self.close()
                raise InputError(f"{path}: '{site_sample}={path}' names the sample of a sites-only VCF, but this VCF "
                                 f"has sample columns ({', '.join(self.header.samples[:4])}); give the path alone "
                                 "(and --rename COLUMN=NAME to report a column under another name)")
            self.header.samples = [site_sample]
        self.scan_mode: str | None = None  # how fetch_targets read the file: index, text-scan, decode-all
        self.scan: dict = {}
        self._sample_index: dict[str, int] | None = None

    @property
    def sample_index(self) -> dict[str, int]:
        """Sample name -> column number (0 = the first sample column)."""
        if self._sample_index is None:
            self._sample_index = {name: i for i, name in enumerate(self.header.samples)}
        return self._sample_index

    def _read_header(self) -> VcfHeader:
        h = self._vf.header
        declared = self._declared_contigs()
        lines: list[tuple[str, str]] = []
        layouts: list[AnnotationLayout] = []
        warnings: list[str] = []
        for rec in h.records:
            try:
                rec.key, rec.value, str(rec)  # pysam decodes as UTF-8 and raises on other bytes
            except UnicodeDecodeError:
                warnings.append(f"{self.display}: a header line is not UTF-8 text (Latin-1?) and was ignored; "
                                "find it with: grep -naxv '.*' FILE (in a UTF-8 locale)")
                continue
            if rec.type == "GENERIC" or rec.key in ("reference", "assembly"):
                lines.append((str(rec.key), str(rec.value)))
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
        spaced = [name for name in h.samples if name != name.strip()]
        if spaced:
            warnings.append(f"{self.display}: sample name {spaced[0]!r} begins or ends with white space (a "
                            "space after the last #CHROM column?); it is reported as written: fix the header "
                            "or use --rename")
        contigs = {str(name): c.length for name, c in h.contigs.items() if declared is None or name in declared}
        return VcfHeader(self.display, list(h.samples), contigs, lines, layouts,
                         set(h.formats.keys()), warnings,
                         {str(k) for k in h.info.keys()})  # noqa: SIM118  (a pysam header map)

    def raw_header_lines(self) -> list[str]:
        """The header as written, one line each (issue 16: region restrictions, gVCF detection)."""
        lines = []
        for rec in self._vf.header.records:
            try:  # a header line that is not UTF-8 was already warned about and is left out here too
                lines.append(str(rec).rstrip("\n"))
            except UnicodeDecodeError:
                continue
        return lines

    def _declared_contigs(self) -> set[str] | None:
        """IDs of the ##contig lines in a text VCF's own header (None for BCF, whose header is all
        declared). htslib adds the contigs of a tabix index to the header it returns, which would
        make coverage checks depend on whether the file happens to be indexed."""
        out: set[str] = set()
        try:
            with open_binary(self.real_path) as fh:
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
    def checksum(self) -> str:
        """Digest (``digest_algorithm``) of the input as given (before any decompression), for the report."""
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
            try:
                vf.close()
            except OSError as exc:  # htslib reports a corrupt BCF/BGZF stream only when closing it
                self.close_error = reason(exc)
            self._vf = None
        if self._tmp:
            with contextlib.suppress(OSError):
                os.unlink(self._tmp)
            self._tmp = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def fetch(self, regions: list[tuple[str, int, int]] | None = None) -> Iterator[RawRecord]:
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
            if problem := record_problem(self.real_path):
                raise InputError(f"{self.display}: {problem}") from None
            raise InputError(f"{self.display}: unreadable data after record {n} ({last}): {reason(exc)}; the file "
                             "may be truncated or corrupt (re-create it, or check with bcftools view)") from None


    # ------------------------------------------------------------------ region-first reading

    def has_index(self) -> bool:
        """A tabix/CSI index beside the file (stdin and plain-gzip temp copies never have one)."""
        if self._tmp:
            return False
        return any(os.path.exists(self.real_path + ext) for ext in (".tbi", ".csi"))

    def fetch_targets(self, targets: list[tuple[str, int, int]]) -> Iterator[RawRecord]:
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
        index: str | None = None
        total: int | None = None
        firsts: list[int | None] = []
        ignored: str | None = None
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
        if index is not None and ignored is None and total is not None:
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
        with open_binary(self.real_path) as fh:
            return fh.read(4).startswith(b"##")

    def _fetch_indexed(self, by_contig: dict, total: int, firsts: list) -> Iterator[RawRecord]:
        """Query the target regions contig by contig in the order the contigs have in the file
        (by the offset of their first record in the index; a BCF need not follow its header's
        order), so records and the warnings they raise come in the same order as on the
        scanning paths.

        Neighbouring regions are fetched in one query (:func:`query_clusters`) when the records
        expected in the gap between them cost less to decode than another index query; every
        record returned is still tested against the regions themselves, so only overlapping
        records are yielded and the rest count as outside, exactly as with one query per region."""
        inside = 0
        n = 0
        last = "the header"
        try:
            keys = [str(k) for k in self._vf.index.keys()]  # noqa: SIM118  (a pysam index, not a dict)
            at = {name: firsts[i] for i, name in enumerate(keys) if i < len(firsts) and firsts[i] is not None}
            names = sorted((name for name in at if normalise_contig(name) in by_contig), key=lambda n: at[n])
            gap = cluster_gap(total)
            for name in names:
                regions = sorted(by_contig[normalise_contig(name)])
                starts = [s for s, _e in regions]
                ends = [e for _s, e in regions]
                prev_end = 0
                for start, end in query_clusters(regions, gap):
                    for rec in self._vf.fetch(name, start - 1, end):
                        if rec.start < prev_end:
                            continue  # returned by the previous query too: judged there
                        if not touches(starts, ends, rec.start, rec.stop):
                            continue  # in the gap between two regions of this query
                        n += 1
                        inside += 1
                        last = f"{rec.chrom}:{rec.pos}"
                        yield RawRecord(rec, n, self)
                    prev_end = end
        except (OSError, ValueError, NotImplementedError) as exc:
            if problem := record_problem(self.real_path):
                raise InputError(f"{self.display}: {problem}") from None
            raise InputError(f"{self.display}: unreadable data near {last}: {reason(exc)}; the file or its "
                             "index may be truncated or stale (re-create them, or check with bcftools view)") from None
        self.scan = {"records_total": total, "records_outside": total - inside}

    def _fetch_decoded(self, by_contig: dict) -> Iterator[RawRecord]:
        total = inside = 0
        for raw in self.fetch():
            total += 1
            rec = raw.pysam_record
            if overlaps(by_contig.get(normalise_contig(rec.chrom), ()), rec.start, rec.stop):
                inside += 1
                raw.record_no = inside
                yield raw
        self.scan = {"records_total": total, "records_outside": total - inside}

    def _fetch_scanned(self, by_contig: dict) -> Iterator[RawRecord]:
        """Byte-level pre-filter (:class:`LineFilter`): count every data line, copy the lines that
        may overlap a target to a temporary VCF, then let htslib decode only those, with the same
        overlap test as the indexed path."""
        fd, cand_path = tempfile.mkstemp(prefix="jakcli-targets-", suffix=".vcf")
        try:
            with os.fdopen(fd, "wb") as cand:
                lines = LineFilter(scan_spans(by_contig, self.header.contigs), cand, self.display)
                for text in text_pieces(self.real_path, self.display, lines.bgzf):
                    lines.feed(text)
                lines.finish()
        except BaseException:
            os.unlink(cand_path)
            raise
        yield from self._decode_candidates(cand_path, by_contig, lines.total)

    def _decode_candidates(self, cand_path: str, by_contig: dict, total: int) -> Iterator[RawRecord]:
        import pysam

        inside = 0
        try:
            with pysam.VariantFile(cand_path) as vf:
                for rec in vf:
                    if overlaps(by_contig.get(normalise_contig(rec.chrom), ()), rec.start, rec.stop):
                        inside += 1
                        yield RawRecord(rec, inside, self)
        except (OSError, ValueError, NotImplementedError) as exc:
            if problem := record_problem(self.real_path):
                raise InputError(f"{self.display}: {problem}") from None
            raise InputError(f"{self.display}: unreadable record in a target region after record {inside}: "
                             f"{reason(exc)} (check with bcftools view)") from None
        finally:
            os.unlink(cand_path)
        self.scan = {"records_total": total, "records_outside": total - inside}
