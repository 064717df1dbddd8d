"""Orchestration of everything jakcli says about the JAK-STAT genes beyond the hand-written rules:
transcript-level naming of every small-variant finding, catalogue findings (matched by protein
change), germline findings, variants of uncertain significance (``other_variants``) and split-MNV
merging. The clinical logic is in :mod:`jakcli.engine.catalogue_match`, :mod:`jakcli.engine.mnv`
and :mod:`jakcli.engine.tiers`; this module only wires them to one run's calls.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from functools import partial

from jakcli.engine.catalogue_match import (
    GERMLINE_REPORTED,
    NOT_PATHOGENIC,
    PANEL_GENES,
    CatalogueHit,
    GeneModels,
    Naming,
)
from jakcli.engine.germline_origin import origin_assessment
from jakcli.engine.mnv import Pending, merge_group
from jakcli.engine.tiers import tier_for
from jakcli.errors import InputError
from jakcli.model import Finding, SampleCall, Variant
from jakcli.ruleset.catalogue import Catalogue, load_catalogue

CATALOGUE_FLOOR_VAF = 0.02  # reporting floor of catalogue findings and VUS unless --min-vaf
NAMED_MEMO_SIZE = 20_000  # distinct alleles whose naming one process keeps (a few MB)

_MODELS: dict[tuple, GeneModels] = {}


class GeneVariants:
    """One run's naming, catalogue, germline and VUS state."""

    def __init__(self, build: str, rules, profile_doc: dict, min_vaf: float | None, reference: str | None,
                 catalogue: Catalogue | None = None, rules_digest: str | None = None):
        self.catalogue = catalogue or load_catalogue()
        self.profile_doc = profile_doc
        self.floor = CATALOGUE_FLOOR_VAF if min_vaf is None else min_vaf
        self.reference = _read_reference(reference, build) if reference else None
        cds = self.reference["cds"] if self.reference else None
        # the models of one build, rule set and catalogue, with the namings worked out so far, are
        # kept for the process (a batch classifies thousands of files alike; common alleles recur);
        # a --reference FASTA's protein sequences make models of their own
        key = (str(build), rules_digest, self.catalogue.digest) if rules_digest and cds is None else None
        models = _MODELS.get(key) if key else None
        if models is None:
            models = GeneModels(build, self.catalogue, rules, cds)
            if key:
                _MODELS[key] = models
        self.models = models
        self.pending: dict[tuple[str, int], list[Pending]] = {}
        self.germline: dict[str, list[dict]] = {}
        self.other: dict[str, list[dict]] = {}
        self.counts: Counter = Counter()
        self.below: Counter = Counter()  # per sample: catalogue findings under the floor

    # ------------------------------------------------------------------ reading

    def targets(self) -> list[tuple[str, int, int]]:
        return self.models.targets()

    def names(self, v: Variant) -> list[tuple[Naming, CatalogueHit | None]]:
        """The variant on each transcript it touches, with its catalogue entries. Depends only on
        the allele and its annotations, never on the file or sample, so each is worked out once."""
        key = (v.chrom, v.contig, v.pos, v.ref, v.alt, v.min_pos, v.min_ref, v.min_alt, v.annotations)
        got = self.models.named.get(key)
        if got is None:
            got = []
            for t in self.models.touched(v):
                n = self.models.name(v, t)
                got.append((n, self.models.hits(v, n)))
            if len(self.models.named) >= NAMED_MEMO_SIZE:
                self.models.named.clear()
            self.models.named[key] = got
        return list(got)

    def defer(self, v: Variant, calls_of) -> bool:
        """Hold an SNV in a coding codon until its codon's other records are read (split MNVs)."""
        if v.kind != "snv":
            return False
        where, known = (v.contig, v.min_pos), self.models.codon_at
        key = known[where] if where in known else known.setdefault(where, self._codon_key(v))
        if key is None:
            return False
        self.pending.setdefault(key, []).append(Pending(v, tuple(calls_of()), key))
        return True

    def _codon_key(self, v: Variant) -> tuple[str, int] | None:
        """(gene, codon) of the first coding codon an SNV's position falls in, or None."""
        from jakcli.reference.transcripts import locate

        for t in self.models.touched(v):
            loc = locate(t, v.min_pos)
            if loc.codon is not None:
                return (t.gene, loc.codon)
        return None

    def flush(self, ruled) -> Iterator[tuple[Variant, list[SampleCall], str | None]]:
        """Every held SNV (merged with the others of its codon and haplotype where they are).
        ``ruled(variant)``: does a rule match it? SNVs are not merged when a rule names one of them
        but not the merged allele (JAK2 V617F's allele rule and a synonymous change beside it): the
        rule's finding then stands as it would without merging."""
        pending, self.pending = self.pending, {}

        def keep_apart(merged: Variant, parts: list[Variant]) -> bool:
            return not ruled(merged) and any(ruled(p) for p in parts)

        for key in sorted(pending):
            yield from merge_group(pending[key], partial(self._ref_base, key[0]), keep_apart)

    def _ref_base(self, gene: str, pos: int) -> str | None:
        t = next((t for t in self.models.transcripts if t.gene == gene), None)
        if t is None:
            return None
        from jakcli.reference.protein import complement
        from jakcli.reference.transcripts import locate

        loc = locate(t, pos)
        if loc.codon is None or loc.codon_position is None:
            return None
        cds = self.models.cds.get(gene)
        known = self.models.codons.get((gene, loc.codon))
        codon = cds[3 * (loc.codon - 1):3 * loc.codon] if cds else (known[0] if known else "")
        if len(codon) != 3:
            return None
        base = codon[loc.codon_position - 1]
        return complement(base) if t.strand == "-" else base

    # ------------------------------------------------------------------ findings

    def enrich(self, f: Finding, named: list[tuple[Naming, CatalogueHit | None]], merged: str | None) -> Finding:
        """A rule finding with its transcript, HGVS, the catalogue entries of the same change, and tier."""
        pick = next(((n, h) for n, h in named if n.gene == f.gene), named[0] if named else None)
        notes = f.notes + ((merged,) if merged else ())
        out = replace(f, merged=merged, notes=notes)
        if pick is not None:
            n, hit = pick
            p, reason = n.hgvsp, n.hgvsp_reason
            if p is None and f.alteration.startswith("p.") and " " not in f.alteration:
                p, reason = _three(f.alteration), None
            out = replace(out, transcript=n.transcript, hgvsc=n.hgvsc, hgvsp=p, hgvsp_reason=reason,
                          catalogue=hit.to_dict() if hit else None)
        elif f.ref is not None:
            out = replace(out, hgvsp_reason="outside the coding exons and splice sites of the bundled transcripts")
        return replace(out, tier=tier_for(self.profile_doc, f.rule_id, f.origin, f.classification))

    def record(self, v: Variant, call: SampleCall, named, merged: str | None) -> Finding | None:
        """A carrier call that no rule reports: a catalogue finding (returned), a germline finding, a
        benign/polymorphism or VUS entry in ``other_variants`` (kept), or below the floor (counted)."""
        if not named:
            return None
        naming, hit = next(((n, h) for n, h in named if h is not None), named[0])
        if call.vaf is not None and call.vaf < self.floor:
            reportable = hit is not None and hit.classification not in NOT_PATHOGENIC
            self.counts["calls_below_floor" if reportable else "other_variants_below_floor"] += 1
            self.below[call.sample] += reportable
            return None
        if hit is not None and hit.germline and hit.classification in GERMLINE_REPORTED:
            self.germline.setdefault(call.sample, []).append(self._germline(v, call, naming, hit, merged))
            return None
        if hit is not None and hit.first.origin == "both":
            return self._both(v, call, naming, hit, merged)
        if hit is not None and hit.classification not in NOT_PATHOGENIC:
            return self._catalogue_finding(v, call, naming, hit, merged)
        if hit is None and naming.gene not in PANEL_GENES:
            return None  # VUS are listed for the panel genes only
        self.other.setdefault(call.sample, []).append(self._other(v, call, naming, hit, merged))
        return None

    def _catalogue_finding(self, v, call, n: Naming, hit: CatalogueHit, merged) -> Finding:
        e = hit.first
        notes = [f"vaf unknown: {call.vaf_note}"] if call.vaf is None and call.vaf_note else []
        if merged:
            notes.append(merged)
        f = Finding(
            sample=call.sample, rule_id=f"catalogue:{e.id}", rule_version=0, gene=e.gene,
            alteration=f"p.{e.protein_change}", origin=e.origin, classification=e.classification,
            input_class="small-variant", chrom=v.chrom, pos=v.pos, ref=v.ref, alt=v.alt, vaf=call.vaf,
            vaf_source=call.vaf_source, depth=call.depth, alt_reads=call.alt_reads, genotype=call.genotype,
            filter=v.filter, matched_by=f"catalogue {hit.how}: {e.gene} {e.protein_change} ({n.hgvsc})",
            references=tuple(x for x in hit.to_dict()["evidence"] if x.startswith("PMID:")), therapies=(),
            source=f"{v.source}:{v.chrom}:{v.pos}", notes=tuple(notes), transcript=n.transcript, hgvsc=n.hgvsc,
            hgvsp=n.hgvsp or e.hgvsp, hgvsp_reason=None, basis="catalogue", catalogue=hit.to_dict(),
            merged=merged)
        return replace(f, tier=tier_for(self.profile_doc, f.rule_id, f.origin, f.classification))

    def _germline(self, v, call, n: Naming, hit: CatalogueHit, merged) -> dict:
        e = hit.first
        mpn = e.germline_effect == "changes-mpn-interpretation"
        return {**_located(v, call, n, merged), "protein_change": f"p.{e.protein_change}",
                "classification": e.classification, "condition": e.condition, "inheritance": e.inheritance,
                "zygosity": zygosity(call.genotype), "changes_mpn_interpretation": mpn,
                "note": ("hereditary thrombocytosis allele: a germline origin changes the interpretation of an MPN "
                         "work-up; confirm on germline tissue" if mpn else
                         "germline condition allele; the call's own origin (germline or somatic) is not "
                         "determined from this sample: confirm on germline tissue"),
                "catalogue": hit.to_dict(),
                "tier": tier_for(self.profile_doc, f"catalogue:{e.id}", "germline", e.classification)}

    def _both(self, v, call, n: Naming, hit: CatalogueHit, merged) -> Finding:
        """A somatic driver that is also a germline condition allele: always the somatic catalogue
        finding, with a note on its origin; also a germline finding when the VAF allows a
        constitutional allele (``origin_assessment``)."""
        e = hit.first
        assessment, why = origin_assessment(call.vaf, call.genotype)
        f = self._catalogue_finding(v, call, n, hit, merged)
        note = (f"origin {assessment}: {why}; {e.gene} {e.protein_change} is also a germline cause of {e.condition} "
                f"({e.inheritance}): confirm on germline tissue")
        if assessment != "somatic-likely":
            g = self._germline(v, call, n, hit, merged)
            g.update(classification=e.germline_class, origin_assessment=assessment,
                     note=f"{g['note']}; {note}; also reported as a somatic finding",
                     tier=tier_for(self.profile_doc, f"catalogue:{e.id}", "germline", e.germline_class))
            self.germline.setdefault(call.sample, []).append(g)
        return replace(f, origin="somatic", notes=f.notes + (note,))

    def _other(self, v, call, n: Naming, hit: CatalogueHit | None, merged) -> dict:
        cls = hit.classification if hit else "uncertain-significance"
        return {**_located(v, call, n, merged), "classification": cls, "exon": n.exon, "intron": n.intron,
                "domain": n.domain, "catalogue": hit.to_dict() if hit else None,
                "tier": tier_for(self.profile_doc, "", "somatic", cls)}

    def sample_parts(self, sample: str, show_vus: bool) -> dict:
        other = sorted(self.other.get(sample, []), key=_order)
        return {"germline_findings": sorted(self.germline.get(sample, []), key=_order),
                "other_variants": other if show_vus else []}

    def reference_report(self) -> dict | None:
        if self.reference is None:
            return None
        return {k: v for k, v in self.reference.items() if k != "cds"}

    def provenance(self) -> dict:
        counts = [{"gene": g, "source": src, "classification": cls, "entries": n}
                  for (g, src, cls), n in self.catalogue.counts().items()]
        return {"version": self.catalogue.version, "digest": "sha256:" + self.catalogue.digest,
                "entries": len(self.catalogue.entries), "counts": counts}


def merge_targets(regions: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Merged, sorted (contig, start, end) regions (contigs in numeric, then name order)."""
    out: list[list] = []
    for c, st, en in sorted(regions, key=lambda r: (0, int(r[0]), r[1]) if r[0].isdigit() else (1, r[0], r[1])):
        if out and out[-1][0] == c and st <= out[-1][2] + 1:
            out[-1][2] = max(out[-1][2], en)
        else:
            out.append([c, st, en])
    return [(c, st, en) for c, st, en in out]


def _located(v: Variant, call: SampleCall, n: Naming, merged: str | None) -> dict:
    return {"gene": n.gene, "transcript": n.transcript, "hgvsc": n.hgvsc, "hgvsp": n.hgvsp,
            "hgvsp_reason": n.hgvsp_reason, "chrom": v.chrom, "pos": v.pos, "ref": v.ref, "alt": v.alt,
            "genotype": call.genotype, "vaf": None if call.vaf is None else round(call.vaf, 4),
            "depth": call.depth, "filter": v.filter, "source": f"{v.source}:{v.chrom}:{v.pos}", "merged": merged}


def _order(d: dict) -> tuple:
    return (d["gene"], d["pos"], d["ref"], d["alt"])


def zygosity(gt: str) -> str:
    """From GT: heterozygous, homozygous, hemizygous (one allele) or unknown."""
    alleles = gt.replace("|", "/").split("/")
    if gt in ("no-GT", ".") or any(a == "." for a in alleles):
        return "unknown (no genotype)"
    if len(alleles) == 1:
        return "hemizygous"
    alts = [a for a in alleles if a != "0"]
    return "homozygous" if len(alts) == len(alleles) and len(set(alts)) == 1 else "heterozygous"


def _three(short: str) -> str | None:
    from jakcli.reference.hgvsp import ONE_TO_THREE
    from jakcli.reference.protein import parse_substitution

    sub = parse_substitution(short)
    if not sub:
        return None
    ref, pos, alt = sub
    return f"p.({ONE_TO_THREE.get(ref, 'Xaa')}{pos}{ONE_TO_THREE.get(alt, 'Xaa')})"


def _read_reference(path: str, build: str) -> dict:
    """Verify the FASTA's coding sequences of the bundled genes (exit 2 on a mismatch) and keep them.
    Genes whose contig is absent or whose CDS is all N are listed as unavailable (p. then falls back)."""
    from jakcli.engine.catalogue_match import CATALOGUE_GENES
    from jakcli.readers.fasta import ReferenceFasta, build_cds, verify_reference
    from jakcli.reference.transcripts import transcript_for

    cds: dict[str, str] = {}
    unavailable = []
    with ReferenceFasta(path) as fa:
        for gene in CATALOGUE_GENES:
            t = transcript_for(gene, str(build))
            if t is None or fa.contig(t.chrom) is None or not t.cds_complete:
                unavailable.append(gene)
                continue
            try:
                seq = build_cds(fa, t)
            except InputError:  # the contig ends before the gene: a partial FASTA
                unavailable.append(gene)
                continue
            if set(seq) <= {"N"}:
                unavailable.append(gene)
                continue
            verify_reference(fa, str(build), [gene])
            cds[gene] = seq
    # a FASTA holding none of the genes (a partial one, e.g. made for CRAM decoding of a region) gives
    # no p. of its own: every gene is listed as unavailable and p. comes from the other sources
    return {"path": path, "cds": cds, "genes_verified": sorted(cds), "genes_unavailable": unavailable}
