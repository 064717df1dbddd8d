"""One VCF record at a time: alleles as :class:`Variant` records and, only when a rule matched,
each sample's FORMAT fields as :class:`SampleCall` records (allele fraction from AD, Platypus NV/NR,
FreeBayes AO/RO, bcftools' INFO/DP4 in a single-sample record, AF, VAF, FREQ or Strelka tier counts;
carriers from GT, or from read support where a caller writes no GT)."""

from __future__ import annotations

import math
from functools import lru_cache

from jakcli.errors import InputError
from jakcli.model import SampleCall, Variant
from jakcli.readers.annotations import parse_annotations
from jakcli.reference.alleles import minimal_form
from jakcli.reference.genome import normalise_contig

_BASES = set("ACGTNacgtn")


def check_sample_columns(rec, expected: int, display: str, record_no: int) -> None:
    """A data line with another number of sample columns than the header names is malformed: htslib
    reads it, but every later look at its samples would fail."""
    found = len(rec.samples)
    if found != expected:
        raise InputError(f"{display}: record {record_no} ({rec.chrom}:{rec.pos}) has {found} sample columns but "
                         f"the header names {expected}; the line is malformed (check it with bcftools view)")


def _check_alt(alt: str, display: str, label: str) -> None:
    """An ALT that is neither bases, '*', symbolic nor a breakend (IUPAC codes, other letters) is not a
    VCF allele: skipping it at a rule locus would hide a call, so the run stops and names the record."""
    if alt == "*" or "." in alt or alt.startswith("<") or "[" in alt or "]" in alt:
        return
    raise InputError(f"{display}: record at {label}: ALT '{alt[:40]}' is not a base sequence (IUPAC codes such as "
                     "K, R, Y are not VCF alleles); fix the caller's output or remove the record")


class RawRecord:
    """One VCF record; turns itself into Variants and, on request, into SampleCalls."""

    __slots__ = ("_rec", "record_no", "_reader", "_gts", "_screen")

    def __init__(self, rec, record_no: int, reader):
        columns = 0 if getattr(reader, "site_sample", None) else len(reader.header.samples)
        check_sample_columns(rec, columns, reader.display, record_no)
        self._rec = rec
        self.record_no = record_no
        self._reader = reader
        self._gts: list[str] | bool | None = None  # False: no GT to screen
        self._screen: tuple[list[str], list] | None = None

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
                _check_alt(alt, self._reader.display, self.label)
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

    def calls(self, allele_index: int, samples: list[str], carriers_only: bool = False) -> list[SampleCall]:
        """What each named sample's FORMAT fields say about ALT number ``allele_index`` (for a
        sites-only VCF given as SAMPLE=PATH: what the INFO fields say, as that sample's call).
        ``carriers_only``: leave out samples whose GT lacks the allele (a cohort's matching asks for
        no more; 10,000 samples made 10,000 calls a record)."""
        rec = self._rec
        if getattr(self._reader, "site_sample", None):
            return [_site_call(name, allele_index, rec) for name in samples]
        fmt = set(rec.format.keys())
        out = []
        screen = self._gt_screen(samples) if "GT" in fmt and len(samples) >= GT_SCREEN_MIN_SAMPLES else None
        picked: range | list[int] = range(len(samples))
        if screen is not None and carriers_only:  # only the samples whose GT may carry the allele
            picked = [k for k, (alleles, _t) in enumerate(screen) if alleles is None or allele_index in alleles]
        for k in picked:
            name = samples[k]
            if screen is not None:  # cohorts: GTs from the record's text, pysam only for carriers
                alleles, gt_text = screen[k]
                if alleles is not None and allele_index not in alleles:
                    if not carriers_only:
                        out.append(SampleCall(name, False, gt_text, None, None, None, None))
                    continue
            s = rec.samples[name]
            if "GT" in fmt:  # a genotype without the allele: not a carrier, nothing else is read (cohorts)
                alleles, gt_text = _genotype(s)
                if allele_index not in alleles:
                    if not carriers_only:
                        out.append(SampleCall(name, False, gt_text, None, None, None, None))
                    continue
            out.append(_sample_call(name, s, fmt, allele_index, rec))
        return out

    def no_call_columns(self, samples: list[str]) -> list[str]:
        """The named samples whose GT is given and wholly missing (``./.``, ``.``) in this record."""
        if getattr(self._reader, "site_sample", None) or "GT" not in self._rec.format:
            return []
        gts = self._gt_texts() if len(samples) >= GT_SCREEN_MIN_SAMPLES else None
        if gts is not None:
            missing = {t for t in set(gts) if t and not t.strip("./|")}
            if not missing:
                return []
            where = self._reader.sample_index
            return [name for name in samples if gts[where[name]] in missing]
        return [name for name in samples if (gt := _genotype(self._rec.samples[name])[0])
                and all(a is None for a in gt)]

    def _gt_texts(self) -> list[str] | None:
        """Every sample's GT as written, from the record's VCF text (htslib writes it in C); None
        when the record has no GT or its columns do not match the header."""
        if self._gts is None:
            fields = str(self._rec).rstrip("\n").split("\t")
            keys = fields[8].split(":") if len(fields) > 8 else []
            if "GT" not in keys or len(fields) - 9 != len(self._reader.header.samples):
                self._gts = False
                return None
            at = keys.index("GT")
            if at == 0:  # as VCF requires: GT first
                self._gts = [f.partition(":")[0] for f in fields[9:]]
            else:
                self._gts = [(f.split(":", at + 1)[at] if f.count(":") >= at else ".") for f in fields[9:]]
        return self._gts if isinstance(self._gts, list) else None

    def _gt_screen(self, samples: list[str]) -> list[tuple[tuple | None, str]] | None:
        """(allele indexes, GT text) of each named sample (reading 500 samples' GT through pysam
        one by one cost ~6 ms a record). None for a sample whose GT this cannot read as pysam
        would (then pysam reads it). Worked out once per record and sample list."""
        if self._screen is not None and self._screen[0] is samples:
            return self._screen[1]
        gts = self._gt_texts()
        if gts is None:
            return None
        parsed = {t: _gt_of_text(t) for t in set(gts)}  # a cohort's GTs take a handful of spellings
        if len(samples) == len(gts) and samples == self._reader.header.samples:
            got = [parsed[t] for t in gts]
        else:
            where = self._reader.sample_index
            got = [parsed[gts[where[name]]] for name in samples]
        self._screen = (samples, got)
        return got


def _allele_fraction(s, fmt: set, i: int, rec) -> tuple:
    """(VAF, alt reads, depth, source, note) of ALT ``i`` from the first field that gives it (see the
    module docstring for the order); ``note`` says why when none does."""
    vaf = depth = alt_reads = None
    source = note = af_note = None
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
    if vaf is None:
        counted = _allele_read_counts(s, fmt, i) or _info_dp4(rec)
        if counted is not None:
            vaf, alt_reads, depth, source = counted
    for key in ("AF", "VAF"):  # Mutect2/DRAGEN/VarDict AF; DeepVariant VAF (Number=A both)
        if vaf is None and key in fmt:
            af = _tuple(s.get(key))
            if af and len(af) >= i and af[i - 1] is not None:
                vaf = _finite(af[i - 1])  # Type=String AF may hold anything
                if vaf is None:
                    af_note = f"FORMAT/{key} '{str(af[i - 1])[:40]}' is not a number"
                source = key if vaf is not None else None
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
        note = af_note or (f"no AD, NV/NR, AO/RO, AF, VAF, FREQ or Strelka tier counts in FORMAT (has: {present}), "
                           "and no INFO/DP4 of a single-sample, single-ALT record")
    return vaf, alt_reads, depth, source, note


def _site_call(name: str, i: int, rec) -> SampleCall:
    """A sites-only caller's record (LoFreq: INFO AF, DP, DP4) is a call in its one sample: read
    counts from DP4 (one ALT), else the allele fraction from INFO/AF with INFO/DP as depth."""
    counted = _info_dp4(rec, sites_only=True)
    if counted is not None:
        vaf, alt_reads, depth, source = counted
        return SampleCall(name, alt_reads > 0, "no-GT", vaf, source, depth, alt_reads)
    info = rec.header.info
    af = _tuple(rec.info.get("AF")) if "AF" in info else None
    vaf = _finite(af[i - 1] if af and len(af) >= i else None)
    dp = rec.info.get("DP") if "DP" in info else None
    depth = dp if isinstance(dp, int) and dp >= 0 else None
    if vaf is None or not 0.0 <= vaf <= 1.0:
        return SampleCall(name, True, "no-GT", None, None, depth, None,
                          "sites-only record without INFO/DP4 or a usable INFO/AF: allele fraction unknown")
    return SampleCall(name, vaf > 0, "no-GT", vaf, "INFO/AF", depth, None)  # alt reads not written: unknown


def _info_dp4(rec, sites_only: bool = False):
    """bcftools call without ``-a AD`` writes read counts only in INFO/DP4 (ref-forward, ref-reverse,
    alt-forward, alt-reverse high-quality bases, all samples and ALTs pooled): they are one sample's
    and one allele's only in a single-sample record with one ALT."""
    if len(rec.samples) != (0 if sites_only else 1) or len(rec.alts or ()) != 1 or "DP4" not in rec.header.info:
        return None
    try:
        dp4 = [int(x) for x in _tuple(rec.info.get("DP4")) or ()]
    except (TypeError, ValueError):
        return None
    if len(dp4) != 4 or min(dp4) < 0 or sum(dp4) <= 0:
        return None
    return (dp4[2] + dp4[3]) / sum(dp4), dp4[2] + dp4[3], sum(dp4), "INFO/DP4"


def _sample_call(name: str, s, fmt: set, i: int, rec) -> SampleCall:
    vaf, alt_reads, depth, source, note = _allele_fraction(s, fmt, i, rec)
    gt_text = "no-GT"
    if vaf is not None and not (0.0 <= vaf <= 1.0):
        note, vaf, source = f"allele fraction {vaf} is outside 0-1", None, None

    if "GT" in fmt:
        alleles, gt_text = _genotype(s)
        carries = i in alleles
    else:
        # somatic callers without GT (e.g. Strelka2): an allele is carried when reads support it
        carries = bool(alt_reads) if alt_reads is not None else (vaf is not None and vaf > 0)
    phase_set, phased_gt = _phase(s, fmt, gt_text)
    return SampleCall(name, carries, gt_text, vaf, source, depth, alt_reads, note, phase_set, phased_gt,
                      _sample_filter(s) if "FT" in fmt else None)


def _sample_filter(s) -> str | None:
    """FORMAT FT (Strelka2 germline, GATK VariantFiltration genotype filters, DRAGEN joint calls): the
    filters the caller set on this sample's genotype, or None when it passed (PASS, '.' or missing)."""
    ft = s.get("FT")
    if isinstance(ft, (tuple, list)):
        ft = ";".join(str(x) for x in ft if x is not None)
    text = str(ft).strip() if ft is not None else ""
    return None if text in ("", ".", "PASS") else text[:80]


GT_SCREEN_MIN_SAMPLES = 8  # below this, reading GT through pysam is as fast


@lru_cache(maxsize=4096)
def _gt_of_text(text: str) -> tuple[tuple | None, str]:
    """(allele indexes, GT as :func:`_genotype` writes it) of a GT string such as ``0/1``, ``1|0``,
    ``./.`` or ``1``; (None, text) for anything unusual (mixed phasing, non-digits), left to pysam."""
    phased, unphased = "|" in text, "/" in text
    parts = text.replace("|", "/").split("/")
    if (phased and unphased) or not all(p == "." or p.isdigit() for p in parts):
        return None, text
    alleles = tuple(None if p == "." else int(p) for p in parts)
    return alleles, ("|" if phased else "/").join("." if a is None else str(a) for a in alleles)


def _genotype(s) -> tuple[tuple, str]:
    """(allele indexes, GT as text) of one sample."""
    gt = s.get("GT")
    alleles = tuple(gt) if gt is not None else ()
    sep = "|" if s.phased else "/"
    return alleles, sep.join("." if a is None else str(a) for a in alleles) or "."


def _phase(s, fmt: set, gt_text: str) -> tuple[str | None, str | None]:
    """(phase set, phased genotype): PS with a ``|`` GT, or GATK's PID with PGT; a ``|`` GT without
    PS belongs to one phase set per contig (VCF 4.2)."""
    ps = s.get("PS") if "PS" in fmt else None
    if "|" in gt_text:
        return ("PS:" + str(ps) if ps is not None else "contig"), gt_text
    if "PID" in fmt and "PGT" in fmt and s.get("PID") not in (None, ".") and "|" in str(s.get("PGT") or ""):
        return "PID:" + str(s.get("PID")), str(s.get("PGT"))
    return None, None


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


def _allele_read_counts(s, fmt: set, i: int):
    """(VAF, alt reads, depth, source) from the read counts callers write instead of AD: Platypus
    ``NV``/``NR`` (variant / total reads, per ALT) and FreeBayes ``AO``/``RO`` (per-ALT / reference
    observations). None when absent, missing or inconsistent (alt reads above the depth)."""
    def count(key: str, k: int):
        v = _tuple(s.get(key))
        x = _finite(v[k] if v and len(v) > k else (v[0] if v and len(v) == 1 else None))
        return int(x) if x is not None and x >= 0 and x == int(x) else None

    if {"NV", "NR"} <= fmt:
        alt, total, source = count("NV", i - 1), count("NR", i - 1), "NV/NR"
    elif {"AO", "RO"} <= fmt:
        ao = _tuple(s.get("AO")) or ()
        others = [count("AO", k) for k in range(len(ao))]
        alt, ref, source = count("AO", i - 1), count("RO", 0), "AO/RO"
        total = ref + sum(others) if ref is not None and None not in others else None
    else:
        return None
    if alt is None or total is None or total <= 0 or alt > total:
        return None
    return alt / total, alt, total, source


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
