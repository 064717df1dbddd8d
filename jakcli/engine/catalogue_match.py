"""Transcript-level naming of every coding variant in the JAK-STAT genes, and catalogue matching
by protein change (pure: no I/O; the caller supplies any coding sequences read from a FASTA).

A :class:`GeneModels` is built once per run and build. For a :class:`Variant` it gives, per MANE
Select transcript whose coding exons or +-2 bp splice sites the variant touches, a :class:`Naming`
(transcript, HGVS c., HGVS p. or the reason p. is unknown, exon/intron, protein domain, codon
change), and the catalogue entries whose amino-acid change the variant makes, whatever its
nucleotide spelling (JAK2 V617F as c.1849G>T or as the MNV GTC>TTT).

p. comes, in this order, from the coding sequence of ``--reference`` (any small variant), from a
reference codon known to jakcli (a catalogue entry's or a codon rule's; substitutions within one
codon), or from the VCF's VEP CSQ / SnpEff ANN annotation of the gene.
"""

from __future__ import annotations

from dataclasses import dataclass

from jakcli.model import Variant
from jakcli.reference.domains import domain_of, has_domains
from jakcli.reference.hgvsp import codon_change, hgvsp
from jakcli.reference.transcripts import (
    Transcript,
    all_transcripts,
    hgvsc,
    in_coding_or_splice,
    locate,
)
from jakcli.ruleset.catalogue import Catalogue, Entry

# VUS are listed for the panel genes; the catalogue is also matched in the pathway's other drivers.
PANEL_GENES = ("JAK1", "JAK2", "JAK3", "TYK2", "IL7R", "CRLF2", "MPL", "CALR", "SH2B3")
CATALOGUE_GENES = (*PANEL_GENES, "STAT3", "STAT5B", "CSF3R")
SPLICE_MARGIN = 2
GERMLINE_REPORTED = {"pathogenic", "likely-pathogenic"}
NOT_PATHOGENIC = {"benign", "likely-benign", "polymorphism"}


@dataclass(frozen=True, slots=True)
class Naming:
    """One variant on one MANE Select transcript."""

    gene: str
    transcript: str
    hgvsc: str | None
    hgvsp: str | None  # p.(Val617Phe)
    hgvsp_short: str | None  # p.V617F
    hgvsp_reason: str | None  # why hgvsp is null
    hgvsp_source: str | None  # reference-fasta, catalogue-codon, rule-codon, annotation
    region: str  # cds, intron (splice site), utr5, utr3
    exon: int | None
    intron: int | None
    domain: str | None
    codon: int | None
    ref_aa: str | None
    alt_aa: str | None
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"transcript": self.transcript, "hgvsc": self.hgvsc, "hgvsp": self.hgvsp,
                "hgvsp_reason": self.hgvsp_reason}


@dataclass(frozen=True, slots=True)
class CatalogueHit:
    """The catalogue entries (one or several spellings) of the protein change a variant makes."""

    entries: tuple[Entry, ...]
    how: str  # "protein" (codon change) or "allele" (same genomic allele)

    @property
    def first(self) -> Entry:
        return self.entries[0]

    @property
    def classification(self) -> str:
        return self.first.classification

    @property
    def germline(self) -> bool:
        return self.first.origin == "germline"

    def to_dict(self) -> dict:
        sources = sorted({s for e in self.entries for s in e.sources})
        evidence = sorted({x for e in self.entries for x in e.evidence})
        return {"ids": [e.id for e in self.entries], "protein_change": self.first.protein_change,
                "classification": self.classification, "origin": self.first.origin,
                "sources": sources, "evidence": evidence, "matched_by": self.how,
                "class_basis": self.first.class_basis,
                "source_classification": self.first.source_classification,
                "vicc": self.vicc()}

    def vicc(self) -> dict | None:
        """ClinGen/CGC/VICC 2022 codes, points and points class of a somatic entry; None otherwise."""
        e = self.first
        if e.vicc_points is None:
            return None
        return {"codes": list(e.vicc_codes), "points": e.vicc_points, "class": e.vicc_class,
                "sop": "ClinGen/CGC/VICC 2022 (Horak et al., PMID 35101336)"}


class GeneModels:
    """The transcripts, reference codons and catalogue entries of one build."""

    def __init__(self, build: str, catalogue: Catalogue | None, rules=(), cds: dict[str, str] | None = None):
        self.build = str(build)
        self.catalogue = catalogue
        self.cds = cds or {}
        self.transcripts = [t for t in all_transcripts() if t.build == self.build and t.gene in CATALOGUE_GENES]
        self.codons: dict[tuple[str, int], tuple[str, str]] = {}  # (gene, codon) -> (ref codon, source)
        self.entries: dict[tuple[str, int], list[Entry]] = {}
        for rule in rules:
            for m in getattr(rule, "codons", ()):
                self.codons[(rule.gene, m.codon_no)] = (m.ref_codon.upper(), "rule-codon")
        self.indels: dict[str, list[Entry]] = {}  # frameshift entries: matched by allele only
        self.named: dict[tuple, list] = {}  # allele -> [(Naming, CatalogueHit | None)], filled by the caller
        self.codon_at: dict[tuple[str, int], tuple[str, int] | None] = {}  # SNV position -> (gene, codon)
        for e in catalogue.entries if catalogue else ():
            self.entries.setdefault((e.gene, e.aa_pos), []).append(e)
            if e.variant_type == "frameshift":
                self.indels.setdefault(e.gene, []).append(e)
            if len(e.ref_codon) == 3:
                self.codons[(e.gene, e.aa_pos)] = (e.ref_codon.upper(), "catalogue-codon")

    def targets(self, margin: int = SPLICE_MARGIN) -> list[tuple[str, int, int]]:
        """(contig, start, end) of every coding exon of the genes, widened by ``margin``."""
        out = []
        for t in self.transcripts:
            for s, e in t.exons:
                lo, hi = max(s, t.cds_start), min(e, t.cds_end)
                if lo <= hi:
                    out.append((t.chrom, max(1, lo - margin), hi + margin))
        return out

    def touched(self, v: Variant) -> list[Transcript]:
        """Transcripts whose coding exons or splice sites the variant touches."""
        start, end = _span(v)
        return [t for t in self.transcripts if t.chrom == v.contig and t.tx_start - SPLICE_MARGIN <= end
                and start <= t.tx_end + SPLICE_MARGIN and in_coding_or_splice(t, start, end, SPLICE_MARGIN)]

    def name(self, v: Variant, t: Transcript) -> Naming:
        try:
            c = hgvsc(t, v.chrom, v.pos, v.ref.upper(), v.alt.upper()).text
        except (ValueError, IndexError) as exc:
            c = None
            note: tuple[str, ...] = (f"c. not computable: {exc}",)
        else:
            note = ()
        start, end = _span(v)
        loc = locate(t, max(start, min(end, _first_cds(t, start, end))))
        p, short, reason, source, codon, ref_aa, alt_aa = self._protein(v, t)
        dom = None
        if codon is not None:
            d = domain_of(t.gene, codon)
            dom = d.name if d else ("outside the bundled domains" if has_domains(t.gene) else None)
        return Naming(t.gene, t.transcript, c, p, short, reason, source,
                      loc.region, loc.exon, loc.intron, dom, codon, ref_aa, alt_aa, note)

    def _protein(self, v: Variant, t: Transcript):
        """(three, short, reason, source, codon, ref_aa, alt_aa)."""
        cds = self.cds.get(t.gene)
        codon = ref_aa = alt_aa = None
        subs = _substitutions(v)
        if subs is not None:
            locs = [locate(t, p) for p, _r, _a in subs]
            if any(loc.codon is None for loc in locs):
                return (None, None, "not entirely in the coding sequence (splice site, intron or UTR): "
                        "no protein prediction", None, None, None, None)
            nos = {loc.codon for loc in locs if loc.codon is not None}
            if len(nos) == 1:
                codon = nos.pop()
                known = self.codons.get((t.gene, codon))
                ref_codon, src = (None, "reference-fasta") if cds else (known or (None, None))
                try:
                    cc = codon_change(t, cds, subs, ref_codon=ref_codon)
                except ValueError as exc:
                    if cds is None and known is None:
                        return self._annotated(v, t, codon, f"reference codon {t.gene} {codon} unknown without "
                                               "--reference FASTA or an annotated VCF")
                    return None, None, f"{exc} (is the genome build right?)", None, codon, None, None
                return cc.three, cc.short, None, src, codon, cc.ref_aa, cc.alt_aa
        if cds and t.cds_complete:
            pn = hgvsp(t, cds, v.chrom, v.pos, v.ref, v.alt)
            return pn.three, pn.short, (pn.reason or None) if pn.three is None else None, \
                "reference-fasta", codon, ref_aa, alt_aa
        return self._annotated(v, t, codon, "not a substitution within one codon: needs --reference FASTA "
                               "or an annotated VCF")

    def _annotated(self, v: Variant, t: Transcript, codon, reason: str):
        for a in v.annotations:
            if a.gene == t.gene and a.hgvsp and a.protein_change:
                three = a.hgvsp.split(":", 1)[-1]
                if not three.startswith("p.("):
                    three = "p.(" + three[2:] + ")"
                return three, a.protein_change, None, f"annotation ({a.transcript})", codon, None, None
        return None, None, reason, None, codon, None, None

    def hits(self, v: Variant, naming: Naming) -> CatalogueHit | None:
        """Catalogue entries for the protein change the variant makes (any spelling), or for its allele."""
        if naming.codon is not None and naming.alt_aa is not None:
            found = [e for e in self.entries.get((naming.gene, naming.codon), [])
                     if e.aa_alt == naming.alt_aa and e.aa_ref == naming.ref_aa]
            if found:
                return CatalogueHit(tuple(found), "protein")
        if self.catalogue is not None and naming.codon is None and v.kind not in ("snv", "mnv"):
            same = [e for e in self.indels.get(naming.gene, []) if _same_allele(v, e, self.build)]
            return CatalogueHit(tuple(same), "allele") if same else None
        if self.catalogue is None or naming.codon is None:
            return None
        same = [e for e in self.entries.get((naming.gene, naming.codon if naming.codon is not None else -1), [])
                if _same_allele(v, e, self.build)]
        return CatalogueHit(tuple(same), "allele") if same else None


def _span(v: Variant) -> tuple[int, int]:
    if v.min_ref:
        return v.min_pos, v.min_pos + len(v.min_ref) - 1
    return v.min_pos - 1, v.min_pos


def _first_cds(t: Transcript, start: int, end: int) -> int:
    for p in range(start, end + 1):
        if locate(t, p).region == "cds":
            return p
    return start


def _substitutions(v: Variant) -> list[tuple[int, str, str]] | None:
    if v.kind not in ("snv", "mnv"):
        return None
    return [(v.min_pos + i, r, a) for i, (r, a) in enumerate(zip(v.min_ref, v.min_alt)) if r != a]


def _same_allele(v: Variant, e: Entry, build: str) -> bool:
    loc = e.locus(build)
    if loc is None or loc.chrom != v.contig:
        return False
    from jakcli.reference.alleles import minimal_form

    return minimal_form(loc.pos, loc.ref, loc.alt) == (v.min_pos, v.min_ref, v.min_alt)

