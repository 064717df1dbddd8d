"""DNA structural-variant VCF reader (Manta, DELLY, GRIDSS, SvABA, LUMPY style) -> SvJunction.

Each adjacency becomes one :class:`SvJunction` whose two breakends say which side of the
chromosome they keep (VCF spec, "Specifying complex rearrangements with breakends"):

=========  ===============================================  ==============  ==============
ALT        meaning                                          this breakend   mate breakend
=========  ===============================================  ==============  ==============
``t[p[``   piece right of p joined after t                  keeps left      keeps right
``t]p]``   reverse complement of piece left of p after t    keeps left      keeps left
``]p]t``   piece left of p joined before t                  keeps right     keeps left
``[p[t``   reverse complement of piece right of p before t  keeps right     keeps right
=========  ===============================================  ==============  ==============

Symbolic records: ``<DEL>`` keeps left of POS and right of END; ``<DUP>`` joins END (left) to
POS+1 (right); ``<INV>`` gives its INV3/INV5 junction, or both when unflagged; DELLY ``CT``
(3to5, 5to3, 3to3, 5to5) with ``CHR2``/``POS2`` orients translocations. A sequence-resolved
deletion of 50 bp or more is a deletion junction. Mates are read once (``MATEID``/``PARID``).

Which sample carries an adjacency: its genotype when called, otherwise its supporting reads
(Manta PR/SR alt counts, DELLY DV+RV, GRIDSS VF, SvABA SR+DR, LUMPY SU). Who the file belongs to
is decided by :func:`plan_attribution`; anything ambiguous is an :class:`InputError` that says to
use ``--sv SAMPLE=PATH``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from jakcli.errors import InputError, reason
from jakcli.model import Breakend, SvJunction
from jakcli.readers.svsamples import Attribution
from jakcli.readers.vcf import VcfReader
from jakcli.reference.genome import normalise_contig

# p = CHROM:POS; CHROM may itself hold colons (GRCh38 HLA contigs such as HLA-A*01:01:01:01) or be
# written <ID> (VCF 4.3 assembled contigs), so it runs up to the last colon.
_BND = re.compile(r"^(?P<pre>[A-Za-z*.]*)(?P<b1>[\[\]])<?(?P<chrom>[^\[\]<>]+?)>?:(?P<pos>\d+)(?P<b2>[\[\]])"
                  r"(?P<post>[A-Za-z*.]*)$")
MIN_SEQUENCE_DELETION = 50  # shorter REF/ALT deletions are small variants, not rearrangements
_CT = {"3to5": ("left", "right"), "5to3": ("right", "left"), "3to3": ("left", "left"), "5to5": ("right", "right")}


@dataclass
class SvFile:
    path: str
    checksum: str  # hex digest of the run's algorithm (sha256 unless --digest)
    junctions: list[SvJunction]
    records_read: int = 0
    records_evaluated: int = 0
    skipped: Counter = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)  # report samples this file speaks for
    contigs: frozenset[str] | None = None  # normalised ##contig IDs; None when the header declares none


def read_sv_vcf(reader: VcfReader, plan: Attribution, include_filtered: bool) -> SvFile:
    """Turn every record of an opened SV VCF into junctions or a counted skip reason."""
    out = SvFile(reader.display, reader.checksum, [], samples=sorted(set(plan.columns.values())),
                 contigs=frozenset(normalise_contig(c) for c in reader.header.contigs) or None)
    done_ids: set[str] = set()
    for raw in reader.fetch():
        out.records_read += 1
        try:
            _read_record(raw, reader, plan, include_filtered, done_ids, out)
        except (ValueError, TypeError) as exc:  # UnicodeDecodeError included: bytes that are not UTF-8
            raise InputError(f"{reader.display}: record {raw.record_no} ({raw.label}): {reason(exc)}") from None
    _refuse_small_variant_file(reader, out)
    return out


def _read_record(raw, reader: VcfReader, plan: Attribution, include_filtered: bool, done_ids: set[str],
                 out: SvFile) -> None:
    rec = raw.pysam_record
    if not include_filtered and not raw.passes():
        out.skipped["filtered"] += 1
        return
    mates = _ids(_info(rec, "MATEID")) | _ids(_info(rec, "PARID"))
    if mates & done_ids:
        out.skipped["mate_of_evaluated_breakend"] += 1
        return
    pairs, why = _junction_ends(rec)
    if not pairs:
        out.skipped[why] += 1
        return
    carriers = _carriers(rec, plan, reader.display, raw.record_no)
    if rec.id:
        done_ids.add(rec.id)
    if not carriers:
        out.skipped["not_carried_by_an_attributed_sample"] += 1
        return
    out.records_evaluated += 1
    svtype = _svtype_label(rec)
    record = f"record {raw.record_no}" + (f" ({rec.id})" if rec.id else "")
    for sample, reads, detail in carriers:
        for a, b in pairs:
            out.junctions.append(SvJunction(sample, a, b, svtype, reads, detail, raw.filter_value(),
                                            _caller(reader), reader.display, record))


def _refuse_small_variant_file(reader: VcfReader, sv: SvFile) -> None:
    """A file given to --sv whose records are all small variants, with no INFO/SVTYPE in its header,
    is a small-variant VCF: reading it as SV input would report 'no rearrangement' for nothing."""
    small = sv.skipped.get("small_variant_in_sv_file", 0)
    if small and not sv.junctions and "SVTYPE" not in reader.header.info_ids and \
            not (set(sv.skipped) - {"small_variant_in_sv_file", "filtered", "multiallelic_sv_record"}):
        raise InputError(f"{reader.display}: given to --sv, but it holds no structural-variant record (no symbolic "
                         "allele, breakend or deletion of 50 bp or more) and its header declares no INFO/SVTYPE: it is "
                         "a small-variant VCF; pass it as a VCF argument (jakcli classify FILE), not with --sv")


def _info(rec, key: str):
    """INFO value, or None when absent or not declared in the header (pysam raises then)."""
    if key not in rec.header.info:
        return None
    return rec.info.get(key)


def _ids(value) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, (tuple, list)):
        return {str(v) for v in value if v}
    return {str(value)}


def _end(chrom: str, pos: int, keeps: str) -> Breakend:
    return Breakend(chrom, normalise_contig(chrom), pos, keeps)


def _svtype_label(rec) -> str:
    """SVTYPE as written, else what the ALT says (BND for breakends, DUP for <DUP:TANDEM>...)."""
    svtype = _info(rec, "SVTYPE")
    if svtype:
        return str(svtype)
    alt = (rec.alts or ("",))[0]
    if _BND.match(alt):
        return "BND"
    if alt.startswith("<"):
        return alt.strip("<>").split(":")[0].upper()
    return "DEL"


def _raw_end(rec) -> int | None:
    """INFO/END as written. pysam hides END (it becomes the record's stop), and htslib ignores an
    END before POS, which is what DELLY <TRA> records carry (END is the position on CHR2)."""
    info = str(rec).rstrip("\r\n").split("\t", 8)[7]
    for item in info.split(";"):
        if item.startswith("END="):
            value = item[4:].split(",")[0]
            if value in ("", "."):
                return None
            try:
                return int(value)
            except ValueError:
                raise ValueError(f"INFO/END '{item[4:]}' is not a position") from None
    return None


def _number(value, what: str) -> int | None:
    """One integer from a VCF value: a scalar, the first of a list (Number=. fields), or text
    such as "12" or "3,8" (undeclared fields reach pysam as strings); None when missing."""
    if isinstance(value, (tuple, list)):
        value = next((v for v in value if v is not None), None)
    if value is None:
        return None
    if isinstance(value, str):
        value = value.split(",")[0].strip()
        if value in ("", "."):
            return None
    try:
        return int(float(value))
    except (TypeError, ValueError, OverflowError):  # OverflowError: inf, 1e400
        raise ValueError(f"{what} '{value}' is not a finite number") from None


def _junction_ends(rec) -> tuple[list[tuple[Breakend, Breakend]], str]:
    """The adjacencies a record describes, or ([], skip reason)."""
    alts = list(rec.alts or ())
    if len(alts) != 1:
        return [], "multiallelic_sv_record" if alts else "no_alt"
    alt = alts[0]
    m = _BND.match(alt)
    if m:
        return _bracket_junction(rec, alt, m), ""
    if alt == "*":
        return [], "spanning_deletion"
    if alt.startswith(".") or alt.endswith("."):
        return [], "single_breakend"
    if alt.startswith("<"):
        kind = str(_info(rec, "SVTYPE") or "").upper() or alt.strip("<>").split(":")[0].upper()
        return _symbolic_junctions(rec, kind)
    if alt.isalpha() and rec.ref and rec.ref.isalpha():  # bases (IUPAC codes included)
        if len(rec.ref) - len(alt) >= MIN_SEQUENCE_DELETION:
            left = rec.pos + len(alt) - 1
            return [(_end(rec.chrom, left, "left"), _end(rec.chrom, rec.pos + len(rec.ref), "right"))], ""
        return [], "small_variant_in_sv_file"
    raise ValueError(f"ALT '{alt}' is neither a breakend, a symbolic allele nor bases")


def _bracket_junction(rec, alt: str, m) -> list[tuple[Breakend, Breakend]]:
    """A BND in one of the four bracket forms: which side each breakend keeps."""
    if m["b1"] != m["b2"]:
        raise ValueError(f"breakend ALT '{alt}' mixes '[' and ']'")
    if bool(m["pre"]) == bool(m["post"]):
        raise ValueError(f"breakend ALT '{alt}' must have bases on exactly one side")
    here = "left" if m["pre"] else "right"
    there = "right" if m["b1"] == "[" else "left"
    return [(_end(rec.chrom, rec.pos, here), _end(m["chrom"], int(m["pos"]), there))]


def _symbolic_junctions(rec, kind: str) -> tuple[list[tuple[Breakend, Breakend]], str]:
    """``<DEL>``/``<DUP>``/``<INV>``, and DELLY translocations (``CT`` + ``CHR2``/``POS2``)."""
    ct = _info(rec, "CT")
    if kind in ("BND", "TRA") and ct in _CT and _info(rec, "CHR2"):
        pos2 = _number(_info(rec, "POS2"), "INFO/POS2")
        if pos2 is None:
            pos2 = _raw_end(rec)  # DELLY <TRA>: END is the position on CHR2
        if pos2 is None:
            raise ValueError("translocation without POS2 or END")
        k1, k2 = _CT[ct]
        return [(_end(rec.chrom, rec.pos, k1), _end(str(_info(rec, "CHR2")), pos2, k2))], ""
    if kind not in ("DEL", "DUP", "INV"):
        return [], "not_a_rearrangement" if kind in ("INS", "CNV", "CPX", "MEI") else "unsupported_symbolic_allele"
    end = _sv_end(rec, kind)
    if kind == "DEL":
        return [(_end(rec.chrom, rec.pos, "left"), _end(rec.chrom, end + 1, "right"))], ""
    if kind == "DUP":
        return [(_end(rec.chrom, end, "left"), _end(rec.chrom, rec.pos + 1, "right"))], ""
    # Manta INV3/INV5 flags, or DELLY's connection type: 3to3 = INV3, 5to5 = INV5
    inv3, inv5 = bool(_info(rec, "INV3")) or ct == "3to3", bool(_info(rec, "INV5")) or ct == "5to5"
    out = []
    if inv3 or not inv5:
        out.append((_end(rec.chrom, rec.pos, "left"), _end(rec.chrom, end, "left")))
    if inv5 or not inv3:
        out.append((_end(rec.chrom, rec.pos + 1, "right"), _end(rec.chrom, end + 1, "right")))
    return out, ""


def _sv_end(rec, kind: str) -> int:
    """END of a ``<DEL>``/``<DUP>``/``<INV>``: INFO/END, htslib's extent, or POS + |SVLEN|."""
    end = _raw_end(rec)
    if end is None and rec.stop > rec.pos + len(rec.ref or "N") - 1:
        end = rec.stop  # htslib derived the extent (e.g. from SVLEN)
    if end is None:
        svlen = _number(_info(rec, "SVLEN"), "INFO/SVLEN")
        if svlen is not None:
            end = rec.pos + abs(svlen)
    if end is None:
        raise ValueError(f"<{kind}> without END or SVLEN")
    if end < rec.pos:
        raise ValueError(f"END {end} is before POS {rec.pos}")
    return end


def _pair_alt(value, what: str) -> int | None:
    """Alt count of a FORMAT value that is either ``ref,alt`` (Manta PR/SR) or a plain count."""
    if isinstance(value, str) and "," in value:  # undeclared in the header: pysam gives the text
        value = tuple(value.split(","))
    if isinstance(value, (tuple, list)):
        return _number(value[1], what) if len(value) >= 2 else None
    return _number(value, what)


def _support(s, fmt: set) -> tuple[int | None, str]:
    def get(key):
        return _number(s.get(key), f"FORMAT/{key}") if key in fmt else None

    vf = get("VF")
    if vf is not None:  # GRIDSS (its SR/RP are partial counts)
        return vf, f"supporting fragments {vf}"
    su = get("SU")
    if su is not None:  # LUMPY/smoove: SU = PE + SR (+ BD); SR alone undercounts
        return su, f"supporting reads {su}"
    if {"PR", "SR"} & fmt and ("PR" in fmt or "DR" not in fmt):  # Manta: ref,alt pairs
        pr = _pair_alt(s.get("PR"), "FORMAT/PR") if "PR" in fmt else None
        sr = _pair_alt(s.get("SR"), "FORMAT/SR") if "SR" in fmt else None
        if pr is not None or sr is not None:
            return (pr or 0) + (sr or 0), f"paired reads {pr or 0}, split reads {sr or 0}"
    dv, rv = get("DV"), get("RV")
    if dv is not None or rv is not None:  # DELLY (DR/RR are reference counts), Sniffles
        return (dv or 0) + (rv or 0), f"discordant pairs {dv or 0}, split reads {rv or 0}"
    if {"SR", "DR"} <= fmt:  # SvABA
        sr, dr = get("SR"), get("DR")
        if sr is not None or dr is not None:
            return (sr or 0) + (dr or 0), f"split reads {sr or 0}, discordant reads {dr or 0}"
    if "AD" in fmt:
        alt = _pair_alt(s.get("AD"), "FORMAT/AD")
        if alt is not None:
            return alt, f"alt reads {alt}"
    return None, "no supporting-read fields"


def _info_support(rec) -> tuple[int | None, str]:
    def get(key):
        return _number(_info(rec, key), f"INFO/{key}")

    for key in ("SU", "VF"):  # LUMPY declares INFO/SU with Number=.
        value = get(key)
        if value is not None:
            return value, f"supporting reads {value} (INFO/{key})"
    pe, sr = get("PE"), get("SR")
    if pe is not None or sr is not None:
        return (pe or 0) + (sr or 0), f"paired reads {pe or 0}, split reads {sr or 0} (INFO)"
    return None, "no supporting-read fields"


def _carriers(rec, plan: Attribution, path: str, record_no: int) -> list[tuple[str, int | None, str]]:
    """(report sample, reads, read detail) for every attributed sample that carries the record."""
    fmt = set(rec.format.keys())
    found: list[tuple[str | None, str, int | None, str]] = []
    for column, sample in plan.columns.items():
        if column is None:
            reads, detail = _info_support(rec)
            found.append((column, sample, reads, detail))
            continue
        s = rec.samples[column]
        reads, detail = _support(s, fmt)
        gt = tuple(a for a in (s.get("GT") or ()) if a is not None) if "GT" in fmt else ()
        if gt:
            carries = any(a > 0 for a in gt)
        elif reads is not None:
            carries = reads > 0
        else:
            carries = len(plan.columns) == 1  # the file belongs to this one sample
        if carries:
            found.append((column, sample, reads, detail))
    if plan.union_for is not None and len(found) > 1:
        best = max(found, key=lambda f: -1 if f[2] is None else f[2])
        found = [best]
    somatic = bool(_info(rec, "SOMATIC"))
    if somatic and plan.union_for is None and len({f[1] for f in found}) > 1:
        names = ", ".join(str(f[0]) for f in found)
        raise InputError(f"{path}: record {record_no}: somatic SV supported in several samples ({names}) and "
                         "the header names no ##tumor_sample/##normal_sample; attribute the file with "
                         f"--sv TUMOUR_SAMPLE={path}")
    return [(sample, reads, detail) for _col, sample, reads, detail in found]


def _caller(reader: VcfReader) -> str:
    """Name the caller from the header (##source / command lines), for the evidence list."""
    text = " ".join(f"{k}={v}" for k, v in reader.header.lines if k in ("source", "cmdline")).lower()
    for name in ("manta", "delly", "gridss", "svaba", "lumpy", "smoove", "sniffles", "arriba", "fusioncatcher"):
        if name in text:
            return name
    if "generatesvcandidates" in text:
        return "manta"
    return "sv-vcf"
