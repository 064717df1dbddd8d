"""Per-locus assessment decisions (issue 16), pure: what the depth sources said about a rule locus
becomes a :class:`LocusResult` (status, depth, detection limit, source); the statuses decide which
rules a sample could not be assessed for; read counts at a locus become candidate variants.

The readers' answers come in as plain values; nothing here opens a file. Precedence (strongest
first): ``--targets`` (outside = not assessed, whatever else is known) > BAM/CRAM reads > the VCF
header's region restriction > gVCF blocks > ``--coverage`` > a plain VCF (no depth evidence).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from jakcli.engine.evidence import detection_limit_vaf, format_vaf
from jakcli.model import Options, Variant
from jakcli.model.loci import Locus, LocusResult, LocusStatus
from jakcli.reference.alleles import minimal_form
from jakcli.reference.genome import normalise_contig
from jakcli.reference.protein import translate
from jakcli.reference.transcripts import genomic_position, locate, transcript_for
from jakcli.ruleset.compiled import Rule

HOTSPOT_KINDS = ("allele", "codon")
UNASSESSED = (LocusStatus.NOT_ASSESSED, LocusStatus.LOW_COVERAGE)


@dataclass(frozen=True, slots=True)
class Floors:
    """The evidence floors of one rule under the run's overrides."""

    vaf: float
    min_alt_reads: int
    min_depth: int


def floors_for(rule: Rule, opts: Options) -> Floors:
    alt = max(rule.min_alt_reads, rule.min_reads) if opts.min_alt_reads is None else opts.min_alt_reads
    return Floors(rule.floor_vaf if opts.min_vaf is None else opts.min_vaf, alt,
                  rule.min_depth if opts.min_depth is None else opts.min_depth)


@dataclass(frozen=True, slots=True)
class Measured:
    """What one depth source says at a locus (``status`` already judged under ``min_depth``)."""

    status: LocusStatus
    depth: int | None
    source: str
    note: str | None = None


def decide(locus: Locus, floors: Floors, restriction: tuple[str, str] | None, measured: Measured | None,
           vcf: str | None) -> LocusResult:
    """The status of ``locus`` in one sample.

    ``restriction``: (source, why) when the locus lies outside what the input was cut to;
    ``measured``: the strongest depth source's answer; ``vcf``: ``covered`` (the sample's VCF
    covers the contig), ``missing:<why>`` (it does not) or None (no small-variant input).
    """
    if restriction is not None:
        return LocusResult(locus, LocusStatus.NOT_ASSESSED, None, None, restriction[0], restriction[1])
    if measured is not None:
        dl = None
        if locus.kind in HOTSPOT_KINDS and measured.status in (LocusStatus.ASSESSED, LocusStatus.LOW_COVERAGE):
            dl = detection_limit_vaf(measured.depth, floors.min_alt_reads, floors.vaf)
        note = measured.note
        if measured.status == LocusStatus.LOW_COVERAGE and note is None:
            note = f"depth below the locus floor of {floors.min_depth}"
        return LocusResult(locus, measured.status, measured.depth, dl, measured.source, note)
    if vcf == "covered":
        return LocusResult(locus, LocusStatus.NO_DEPTH_EVIDENCE, None, None, "vcf",
                           "VCF without a depth source: absence of a call is taken as absence")
    if vcf and vcf.startswith("missing:"):
        return LocusResult(locus, LocusStatus.NOT_ASSESSED, None, None, "vcf-header", vcf.removeprefix("missing:"))
    return LocusResult(locus, LocusStatus.NOT_ASSESSED, None, None, "none", "no small-variant input for this sample")


def decide_fusion(locus: Locus, sources: list[str]) -> LocusResult:
    """A fusion window is assessed when the sample had a fusion table or SV VCF (depth undefined)."""
    if sources:
        return LocusResult(locus, LocusStatus.ASSESSED, None, None, "+".join(sources))
    return LocusResult(locus, LocusStatus.NOT_ASSESSED, None, None, "none",
                       "no fusion table or SV VCF for this sample")


def fusion_loci(rules, build) -> list[Locus]:
    """One locus per breakpoint window of every fusion rule, for one build."""
    out: list[Locus] = []
    for rule in rules:
        if rule.fusion is None:
            continue
        for side, part in (("5'", rule.fusion.five_prime), ("3'", rule.fusion.three_prime)):
            for contig, start, end in part.windows.get(build, ()):
                out.append(Locus(f"{rule.id}:{side}:{contig}:{start}-{end}", rule.id, rule.gene, "fusion-window",
                                 f"{side} window {'/'.join(part.genes)}", contig, start, end))
    return out


def unassessed_by_loci(results: Sequence[LocusResult], already: set[str]) -> tuple[set[str], list[str]]:
    """Rules with a locus not assessed or under its depth floor (those in ``already`` excepted),
    and one phrase per rule for ``risk.not_assessed``."""
    bad: dict[str, list[LocusResult]] = {}
    total: dict[str, int] = {}
    for r in results:
        if r.locus.kind == "fusion-window":
            continue
        total[r.locus.rule_id] = total.get(r.locus.rule_id, 0) + 1
        if r.status in UNASSESSED and r.locus.rule_id not in already:
            bad.setdefault(r.locus.rule_id, []).append(r)
    by_gene: dict[str, list[str]] = {}
    for rid, rs in sorted(bad.items(), key=lambda kv: (kv[1][0].locus.gene, kv[0])):
        statuses = "/".join(sorted({r.status.value for r in rs}))
        part = "" if len(rs) == total[rid] else f" at {len(rs)} of {total[rid]} loci"
        why = f": {rs[0].note}" if rs[0].note else ""
        by_gene.setdefault(rs[0].locus.gene, []).append(f"{rid} {statuses}{part}{why}")
    words = [f"{gene} ({'; '.join(parts)})" for gene, parts in by_gene.items()]
    return set(bad), words


SUBFLOOR_NOTE = "a call below the evidence floor was seen here, not reported"
NO_CALL_NOTE = ("the VCF has a record here with no genotype for this sample (./.): the caller made no call, "
                "so absence is not shown")
NO_CALL_KEPT = frozenset({"alignments", "vcf-call"})  # jakcli's own pileup, or a reported call, stands


def note_no_calls(results: Sequence[LocusResult], keys: set[str]) -> list[LocusResult]:
    """Loci (by key) where a plain VCF record left the sample uncalled (GT ./.) are not assessed:
    the record shows the caller looked and could not decide, whatever a header or coverage said
    (a gVCF's no-calls are handled with its depths, in readers.gvcf)."""
    out = []
    for r in results:
        if r.locus.key in keys and r.source not in NO_CALL_KEPT and r.status is not LocusStatus.NOT_ASSESSED:
            r = replace(r, status=LocusStatus.NOT_ASSESSED, note=NO_CALL_NOTE + (f"; {r.note}" if r.note else ""))
        out.append(r)
    return out


def note_subfloor_calls(results: list[LocusResult], calls: list[tuple[str, str, int, str]]) -> list[LocusResult]:
    """Name, on its locus, every call that was seen but held back by the evidence floor
    (rule id, normalised contig, position, why), so no report says 'not detected' there."""
    if not calls:
        return results
    out = []
    for r in results:
        why = [w for rid, contig, pos, w in calls
               if rid == r.locus.rule_id and contig == r.locus.contig and r.locus.start <= pos <= r.locus.end]
        if why:
            r = replace(r, note="; ".join(x for x in (f"{SUBFLOOR_NOTE} ({'; '.join(why)})", r.note) if x))
        out.append(r)
    return out


def not_detected_sentence(entry: dict) -> str:
    """``JAK2 p.V617F not detected - depth 1,850, 95% detection for VAF ≥ 0.42%`` from a loci entry."""
    what = f"{entry['gene']} {entry['name']}"
    depth = entry.get("depth")
    dl = entry.get("detection_limit_vaf")
    status = entry["status"]
    if str(entry.get("note") or "").startswith(SUBFLOOR_NOTE):
        shown = f"; depth {depth:,}" if depth is not None else ""
        return f"{what} not reported - {entry['note']}{shown}"
    if status == LocusStatus.ASSESSED.value and depth is not None and dl is not None:
        return f"{what} not detected - depth {depth:,}, 95% detection for VAF ≥ {format_vaf(dl)}"
    if status == LocusStatus.ASSESSED.value:
        return f"{what} not detected - assessed ({entry['source']}, depth unknown)"
    if status == LocusStatus.LOW_COVERAGE.value:
        tail = f", 95% detection only for VAF ≥ {format_vaf(dl)}" if dl is not None else ""
        return f"{what} not excluded - low coverage (depth {depth if depth is not None else 'unknown'}{tail})"
    if status == LocusStatus.NO_DEPTH_EVIDENCE.value:
        return f"{what} not called - no depth evidence (absence assumed from the VCF)"
    return f"{what} not assessed ({entry.get('note') or entry['source']})"


def read_variant(locus: Locus, observed: str, source: str) -> Variant | None:
    """The genomic allele a read observation at ``locus`` stands for (None: reference or not a
    sequence). Codon observations are on the coding strand; indel ones are the bases between
    the flanks (``-`` is written for an empty REF/ALT, as no anchor base is read)."""
    if observed.startswith("<"):
        return None
    if locus.kind == "codon":
        if observed == locus.ref_codon or len(observed) != len(locus.positions):
            return None
        order = sorted(range(len(locus.positions)), key=lambda i: locus.positions[i])
        pos = [locus.positions[i] for i in order]
        if pos != list(range(pos[0], pos[0] + len(pos))):
            return None  # a codon split by an intron
        comp = str.maketrans("ACGTN", "TGCAN")
        ref = "".join(locus.ref_codon[i] for i in order)
        alt = "".join(observed[i] for i in order)
        if locus.strand == "-":
            ref, alt = ref.translate(comp), alt.translate(comp)
        start = pos[0]
    elif locus.kind == "allele":
        if observed == locus.ref:
            return None
        start, ref, alt = locus.pos, locus.ref, observed
    else:
        return None
    mp, mr, ma = minimal_form(start, ref, alt)
    if not mr and not ma:
        return None
    return Variant(locus.contig, locus.contig, start, ref or "-", alt or "-", 1, "PASS", 0, source, mp, mr, ma)


_P_SNV = re.compile(r"^p\.([A-Z])(\d+)([A-Z])$")


def codon_views(loci: list[Locus], build) -> dict[str, tuple[Locus, str]]:
    """For SNV allele loci named ``p.X123Y``: the codon they sit in (MANE model) and the residue Y,
    so reads with any codon for Y (GTC>TTT as well as GTC>TTC for V617F) count as that allele."""
    out: dict[str, tuple[Locus, str]] = {}
    for locus in loci:
        m = _P_SNV.match(locus.name)
        if locus.kind != "allele" or len(locus.ref) != 1 or len(locus.alt) != 1 or not m:
            continue
        t = transcript_for(locus.gene, str(build), locus.contig)
        if t is None or not t.tx_start <= locus.pos <= t.tx_end:
            continue
        where = locate(t, locus.pos)
        if where.codon is None or where.codon != int(m.group(2)):
            continue
        positions = tuple(genomic_position(t, (where.codon - 1) * 3 + k) for k in (1, 2, 3))
        view = Locus(f"{locus.key}:codon", locus.rule_id, locus.gene, "codon", f"{m.group(1)}{m.group(2)}",
                     locus.contig, min(positions), max(positions), positions=positions, strand=t.strand)
        out[locus.key] = (view, m.group(3))
    return out


def residue_reads(counts: dict[str, list[int] | tuple[int, int]], residue: str) -> tuple[int, int, str]:
    """(forward, reverse) fragments whose codon encodes ``residue``, and the codons seen for it."""
    fwd = rev = 0
    seen = []
    for codon, (f, r) in sorted(counts.items()):
        if not codon.startswith("<") and len(codon) == 3 and translate(codon) == residue:
            fwd, rev = fwd + f, rev + r
            seen.append(f"{codon} {f + r}")
    return fwd, rev, ", ".join(seen)


def credit_calls(results: list[LocusResult], findings: list) -> list[LocusResult]:
    """A locus that a VCF had no depth source for, but where the sample has a reported call of the
    locus's rule, was looked at: the call itself is the evidence (its depth, when the call gives one)."""
    out = []
    for r in results:
        hit = None
        if r.status is LocusStatus.NO_DEPTH_EVIDENCE or r.source == "vcf-record":  # a call outranks its record
            hit = next((f for f in findings if f.rule_id == r.locus.rule_id and f.chrom is not None
                        and f.pos is not None and normalise_contig(f.chrom) == r.locus.contig
                        and r.locus.start <= f.pos <= r.locus.end), None)
        if hit is None:
            out.append(r)
            continue
        out.append(replace(r, status=LocusStatus.ASSESSED, depth=hit.depth, source="vcf-call",
                           note=f"a reported call at this locus ({hit.alteration}); its depth is the VCF's"))
    return out
