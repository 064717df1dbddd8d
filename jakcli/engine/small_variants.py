"""Pure rule evaluation: a Variant in, the rules it matches (with explanations) out.

Nothing here opens files, prints or reads the clock. A :class:`SiteIndex` is compiled once per
ruleset and build; matching a variant first looks up the intervals of its contig, so records far
from every rule cost one dict lookup.
"""

from __future__ import annotations

from dataclasses import dataclass

from jakcli.model import Build, Finding, ProteinAnnotation, SampleCall, SiteMatch, Variant
from jakcli.reference.protein import complement, parse_substitution, reverse_complement, translate
from jakcli.ruleset.compiled import AlleleMatcher, CodonMatcher, RegionMatcher, Rule


@dataclass(frozen=True, slots=True)
class _Entry:
    start: int
    end: int
    rule: Rule
    matcher: object
    site: object


class SiteIndex:
    """Per-contig intervals of every positional matcher of the small-variant rules, for one build."""

    def __init__(self, rules, build: Build):
        self.build = build
        self.by_contig: dict[str, list[_Entry]] = {}
        for rule in rules:
            if rule.input_class != "small-variant":
                continue
            for m in rule.alleles:
                for s in m.sites[build]:
                    end = s.min_pos + max(len(s.min_ref), 1) - 1
                    self._add(s.contig, _Entry(s.min_pos - 1, end, rule, m, s))
            for c in rule.codons:
                for contig, positions in c.sites[build]:
                    self._add(contig, _Entry(min(positions), max(positions), rule, c, positions))
            for r in rule.regions:
                for contig, start, end in r.intervals[build]:
                    self._add(contig, _Entry(start, end, rule, r, (start, end)))

    def _add(self, contig: str, entry: _Entry) -> None:
        self.by_contig.setdefault(contig, []).append(entry)

    def targets(self, padding: int = 0) -> list[tuple[str, int, int, str]]:
        """Merged (contig, start, end, rule ids) target regions, 1-based inclusive."""
        out: list[list] = []
        for contig, entries in self.by_contig.items():
            spans = sorted((max(1, e.start - padding), e.end + padding, e.rule.id) for e in entries)
            cur: list | None = None
            for s, e, rid in spans:
                if cur and s <= cur[2] + 1:
                    cur[2] = max(cur[2], e)
                    cur[3].add(rid)
                else:
                    if cur:
                        out.append(cur)
                    cur = [contig, s, e, {rid}]
            if cur:
                out.append(cur)
        return [(c, s, e, ",".join(sorted(r))) for c, s, e, r in sorted(out, key=_contig_sort_key)]

    def match(self, v: Variant) -> tuple[list[SiteMatch], list[str]]:
        """Rules matching ``v`` at site level, and data-quality warnings raised on the way."""
        entries = self.by_contig.get(v.contig)
        if not entries:
            return [], []
        start = v.min_pos - 1 if not v.min_ref else v.min_pos
        end = v.min_pos if not v.min_ref else v.min_pos + len(v.min_ref) - 1
        matches: list[SiteMatch] = []
        warnings: list[str] = []
        seen: set[str] = set()
        for e in entries:
            if end < e.start or start > e.end or e.rule.id in seen:
                continue
            m = e.matcher
            if isinstance(m, AlleleMatcher):
                hit = _match_allele(v, m, e.site, self.build)
            elif isinstance(m, CodonMatcher):
                hit = _match_codon(v, m, e.site, warnings, e.rule)
            elif isinstance(m, RegionMatcher):
                hit = _match_region(v, m, e.site, self.build, e.rule)
            else:
                continue
            if hit is not None:
                seen.add(e.rule.id)
                matches.append(_cross_check(v, e.rule, hit, warnings))
        return matches, warnings


MNV_PROTEIN_NOTE = "a multi-nucleotide record that gives the rule's amino-acid change"


def mnv_protein_matches(v: Variant, named, rules, build: Build) -> list[SiteMatch]:
    """Allele rules whose amino-acid change a multi-nucleotide record spells in one codon: JAK2 GTC>TTT
    is p.V617F as c.1849G>T is (a caller that joins adjacent changes, e.g. Mutect2 --max-mnp-distance,
    writes it so). ``named``: the variant's (Naming, catalogue hit) pairs from the gene models, whose p.
    comes from a known reference codon; the rule's own site must lie inside the record."""
    if v.kind != "mnv":
        return []
    out: list[SiteMatch] = []
    end = v.min_pos + len(v.min_ref) - 1
    for naming, _hit in named:
        if not naming.hgvsp_short or naming.codon is None:
            continue
        for rule in rules:
            if rule.gene != naming.gene or any(m.rule_id == rule.id for m in out):
                continue
            for m in rule.alleles:
                sites = [s for s in m.sites[build] if s.contig == v.contig and v.min_pos <= s.min_pos <= end]
                if m.name == naming.hgvsp_short and sites:
                    why = (f"{naming.gene} {naming.hgvsp} from the multi-nucleotide change {v.min_ref}>{v.min_alt} "
                           f"(codon {naming.codon}), the amino-acid change of allele {sites[0].text} ({build})")
                    out.append(_cross_check(v, rule, SiteMatch("", m.name, why, (MNV_PROTEIN_NOTE,)), []))
                    break
    return out


def _contig_sort_key(item):
    c = item[0]
    return (0, int(c), item[1]) if c.isdigit() else (1, c, item[1])


def _same_allele(v: Variant, s) -> bool:
    return (v.contig == s.contig and v.min_pos == s.min_pos and v.min_ref == s.min_ref
            and v.min_alt == s.min_alt)


def _match_allele(v: Variant, m: AlleleMatcher, site, build: Build) -> SiteMatch | None:
    if _same_allele(v, site):
        return SiteMatch("", m.name, f"allele {site.text} ({build})")
    return None


def _match_codon(v: Variant, m: CodonMatcher, positions, warnings: list, rule: Rule) -> SiteMatch | None:
    if v.kind not in ("snv", "mnv"):
        return None
    codon = list(m.ref_codon)
    touched = False
    for k, gpos in enumerate(positions):
        off = gpos - v.min_pos
        if 0 <= off < len(v.min_ref):
            ref_b, alt_b = v.min_ref[off], v.min_alt[off]
            if m.strand == "-":
                ref_b, alt_b = complement(ref_b), complement(alt_b)
            if ref_b != m.ref_codon[k]:
                warnings.append(
                    f"{v.source}: {v.label}: REF does not match the reference "
                    f"codon of {rule.gene} {m.residue} ({m.ref_codon}) used by rule {rule.id}; "
                    "is the genome build right?")
                return None
            codon[k] = alt_b
            touched = True
    if not touched:
        return None
    alt_codon = "".join(codon)
    aa = translate(alt_codon)
    if aa == m.ref_aa or aa in ("*", "X"):
        return None
    if m.alt_aa is not None and aa not in m.alt_aa:
        return None
    notes: tuple[str, ...] = ()
    if v.min_pos < min(positions) or v.min_pos + len(v.min_ref) - 1 > max(positions):
        notes = ("the multi-nucleotide change extends beyond this codon",)
    return SiteMatch("", f"p.{m.ref_aa}{m.codon_no}{aa}", f"codon {m.residue} {m.ref_codon}>{alt_codon}", notes)


def _variant_class(v: Variant) -> str:
    kind = v.kind
    if kind == "mnv":
        return "mnv"
    if kind == "snv":
        return "snv"
    if v.length_change % 3:
        return "frameshift"
    return {"deletion": "inframe_deletion", "insertion": "inframe_insertion"}.get(kind, "inframe_delins")


def _match_region(v: Variant, m: RegionMatcher, span, build: Build, rule: Rule) -> SiteMatch | None:
    start, end = span
    if v.min_ref:
        inside = start <= v.min_pos and v.min_pos + len(v.min_ref) - 1 <= end
    else:  # insertion between min_pos-1 and min_pos
        inside = start <= v.min_pos - 1 and v.min_pos <= end
    cls = _variant_class(v)
    if not inside or cls not in m.classes:
        return None
    for named in m.named:
        for site in named.sites[build]:
            if _same_allele(v, site):
                return SiteMatch("", named.name, f"{m.name}: named allele {site.text} ({build})")

    def c_of(g: int) -> int:
        return m.cds_start + (g - start if m.strand == "+" else end - g)

    seq = v.min_alt if m.strand == "+" else reverse_complement(v.min_alt)
    label = cls.replace("_", " ").replace("inframe", "in-frame")
    notes = []
    suffix = ""
    if v.min_ref:
        c1, c2 = sorted((c_of(v.min_pos), c_of(v.min_pos + len(v.min_ref) - 1)))
        where = f"c.{c1}-{c2}"
        codons = _codon_range(c1, c2)
        size = f"{len(v.min_ref)} bp" + (f" replaced by {len(v.min_alt)} bp" if v.min_alt else "")
    else:
        c1, c2 = sorted((c_of(v.min_pos - 1), c_of(v.min_pos)))
        where = f"after c.{c1}"
        codons = _codon_range(c1, c2)
        size = f"{len(v.min_alt)} bp"
        if c1 % 3 == 0 and len(seq) % 3 == 0:  # codon-aligned insertion: translate it
            peptide = "".join(translate(seq[i:i + 3]) for i in range(0, len(seq), 3))
            notes.append(f"inserted residues {peptide}")
            named = sorted(set(peptide) & m.name_inserted)
            if named:
                suffix = " introducing " + "/".join(_AA_NAMES.get(a, a) for a in named)
    alteration = f"{m.name} {label} ({size}, {where}, {codons}){suffix}"
    return SiteMatch("", alteration, f"{m.name} {build} {start}-{end}: {cls}", tuple(notes))


_AA_NAMES = {"C": "cysteine", "P": "proline"}


def _codon_range(c1: int, c2: int) -> str:
    a, b = (c1 - 1) // 3 + 1, (c2 - 1) // 3 + 1
    return f"codon {a}" if a == b else f"codons {a}-{b}"


def _cross_check(v: Variant, rule: Rule, hit: SiteMatch, warnings: list) -> SiteMatch:
    """Attach the annotation's protein change; warn (coordinates win) when it disagrees."""
    ann = best_annotation(v.annotations, rule.gene)
    notes = list(hit.notes)
    alteration = hit.alteration
    if ann and ann.protein_change:
        ours = parse_substitution(alteration)
        theirs = ann.protein_change
        if ours and theirs != alteration:
            warnings.append(
                f"{v.source}: {v.label}: annotation says {rule.gene} {theirs} "
                f"({ann.transcript}) but coordinates match {rule.id} {alteration}; coordinates win")
            notes.append(f"annotation disagrees: {theirs}")
        elif not ours and theirs not in alteration:
            alteration = f"{theirs} ({alteration})"
            for residue in _inserted_named(theirs, rule):
                notes.append(f"annotation: inserts {residue}")
    return SiteMatch(rule.id, alteration, hit.matched_by, tuple(notes))


def _inserted_named(protein: str, rule: Rule) -> list[str]:
    out = []
    for r in rule.regions:
        if not r.name_inserted:
            continue
        for tag in ("delins", "ins"):
            if tag in protein:
                added = protein.split(tag, 1)[1]
                out += [_AA_NAMES.get(a, a) for a in sorted(set(added) & r.name_inserted)]
                break
    return out


def annotation_only_warnings(v: Variant, rules, matched_ids: set[str]) -> list[str]:
    """Annotations naming a rule's protein change at coordinates that do not match the rule."""
    out = []
    for ann in v.annotations:
        if not ann.protein_change:
            continue
        for rule in rules:
            if rule.id in matched_ids or rule.gene != ann.gene:
                continue
            if ann.protein_change in rule.expected_proteins:
                out.append(
                    f"{v.source}: {v.label}: annotation says {ann.gene} "
                    f"{ann.protein_change} but the coordinates do not match rule {rule.id}; "
                    "coordinates win (check --build and the annotation's reference)")
    return out


def make_finding(v: Variant, match: SiteMatch, call: SampleCall, rule: Rule) -> Finding:
    notes = list(match.notes)
    if call.vaf is None and call.vaf_note:
        notes.append(f"vaf unknown: {call.vaf_note}")
    return Finding(
        sample=call.sample, rule_id=rule.id, rule_version=rule.version, gene=rule.gene,
        alteration=match.alteration, origin=rule.origin, classification=rule.classification,
        input_class=rule.input_class, chrom=v.chrom, pos=v.pos, ref=v.ref, alt=v.alt,
        vaf=call.vaf, vaf_source=call.vaf_source, depth=call.depth, alt_reads=call.alt_reads,
        genotype=call.genotype, filter=v.filter, matched_by=match.matched_by,
        references=rule.references, therapies=rule.therapies,
        source=f"{v.source}:{v.chrom}:{v.pos}", notes=tuple(notes))


def duplicate_record_warning(v: Variant, sample: str, kept: Finding, other: Finding) -> str:
    """The same finding from two records that disagree (overlapping scatter chunks concatenated without
    ``bcftools concat -D``, two callers' files for one sample): the first is reported, and this says so."""
    return (f"{v.source}: {v.label}: sample {sample}: {kept.rule_id} {kept.alteration} is in two records that "
            f"disagree (VAF {_r(kept.vaf)}, depth {kept.depth} reported; VAF {_r(other.vaf)}, depth {other.depth} "
            "not); "
            "remove the duplicate (bcftools norm -d exact) or check which record is right")


def _r(x: float | None) -> str:
    return "unknown" if x is None else f"{x:.4f}"


def below_floor(call: SampleCall, rule: Rule, min_vaf: float | None) -> bool:
    """True when the call is counted but not reported (VAF or read support under the floor)."""
    floor = rule.floor_vaf if min_vaf is None else min_vaf
    if call.vaf is not None and call.vaf < floor:
        return True
    return bool(rule.min_reads and call.alt_reads is not None and call.alt_reads < rule.min_reads)


def best_annotation(annotations, gene: str) -> ProteinAnnotation | None:
    """The annotation to quote for ``gene``: preferred transcript first, then any with a protein change."""
    mine = [a for a in annotations if a.gene == gene]
    if not mine:
        return None
    for a in mine:
        if a.preferred and a.protein_change:
            return a
    for a in mine:
        if a.protein_change:
            return a
    return mine[0]
