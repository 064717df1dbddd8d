"""One sample's part of a classify report: its findings, its loci with how each was assessed, what
was not assessed, and its risk (issue 14: most of a cohort has nothing of its own, so what such
samples share is worked out once and shared, read-only, by their reports). Orchestration only: the
decisions are the engine's (:mod:`jakcli.engine.loci`, :mod:`jakcli.engine.risk`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jakcli.engine.loci import credit_calls, note_no_calls, note_subfloor_calls, unassessed_by_loci
from jakcli.engine.rearrange import MergedRearrangements
from jakcli.engine.risk import assess, unassessed_rules
from jakcli.model import Finding, InputClass, RiskCall
from jakcli.reference.genome import normalise_contig

if TYPE_CHECKING:
    from jakcli.classify import _Run

RISK_MEMO_SIZE = 10_000
_RISK: dict[tuple, RiskCall] = {}  # see SampleReports._risk: kept for the process (a batch's files alike)


def finding_key(f: Finding) -> tuple:
    """Sort/dedup key; rearrangements (no REF/ALT) key on their alteration instead."""
    if f.ref is None or f.chrom is None:
        return (f.gene, f.rule_id, "", 0, f.alteration, "")
    return (f.gene, f.rule_id, normalise_contig(f.chrom), f.pos, f.ref, f.alt)


class SampleReports:
    """The per-sample reports of one classify run, with what samples share remembered for the run."""

    def __init__(self, run: _Run, merged: MergedRearrangements):
        self.run, self.merged = run, merged
        self._locus_dicts: dict[int, tuple[object, dict]] = {}  # see _locus_dict
        self._plain: dict[tuple, tuple[tuple, dict, list[dict]]] = {}  # see _plain_sample
        self._unassessed: dict[tuple, tuple[set[str], list[str]]] = {}  # see build


    def build(self, s: str) -> dict:
        """The ``samples[]`` entry of sample ``s``."""
        run = self.run
        findings = sorted(run.per_sample[s].values(), key=finding_key)
        reads = s in run.assessor.reads
        supplied = ({InputClass.SMALL_VARIANT} if s in run.vcf_sample_set or reads else set()) | (
            {InputClass.REARRANGEMENT} if s in run.rearr.assessed else set()) | run.cnv.supplied(s)
        covered, sv = ({"*"} if reads else run.covered[s]), run.rearr.dna_only_contigs(s)
        key = (frozenset(supplied), frozenset(covered), None if sv is None else frozenset(sv))
        if key not in self._unassessed:  # the same for every sample of a cohort file: worked out once
            self._unassessed[key] = unassessed_rules(run.rs, run.index, supplied, covered, sv)
        unassessed, not_assessed = self._unassessed[key]
        unassessed, not_assessed = set(unassessed), list(not_assessed)
        if s in run.cnv.results:
            cn_unassessed, cn_words = run.cnv.results[s].unassessed()
            unassessed, not_assessed = unassessed | cn_unassessed, not_assessed + cn_words
        base = run.assessor.sample_loci(s, run.covered[s] if s in run.vcf_sample_set else None,
                                        self.rearrangement_sources(s))
        if not findings and not run.subfloor.get(s) and not run.assessor.nocall.get(s) and isinstance(base, tuple):
            risk_dict, loci_dicts = self._plain_sample(base, unassessed, not_assessed)
        else:
            loci = note_subfloor_calls(credit_calls(list(base), findings), run.subfloor.get(s, []))
            loci = note_no_calls(loci, run.assessor.nocall.get(s, set()))
            more, words = unassessed_by_loci(loci, unassessed)
            risk_dict = self._risk(findings, unassessed | more, [*not_assessed, *words]).to_dict()
            loci_dicts = [self._locus_dict(r) for r in loci]
        return {"sample": s, "findings": [f.to_dict() for f in findings],
                "calls_below_floor": run.below[s] + run.genes.below[s],
                "rearrangements_below_floor": self.merged.below_floor.get(s, 0),
                "rearrangements_not_reported": self.merged.not_reported.get(s, []),
                "risk": risk_dict, "loci": loci_dicts,
                **run.genes.sample_parts(s, not run.opts.no_vus),
                **({"copy_number": run.cnv.report(s)} if run.cnv else {})}

    def _plain_sample(self, base: tuple, unassessed: set[str], not_assessed: list[str]) -> tuple[dict, list[dict]]:
        """Risk and loci of a sample with no finding and no held-back call whose locus statuses are
        shared (``base``): the same for every such sample with the same unassessed rules, so made once
        and shared, read-only, by their reports (most of a 10,000-sample cohort)."""
        key = (id(base), frozenset(unassessed), tuple(not_assessed))
        got = self._plain.get(key)
        if got is None:
            more, words = unassessed_by_loci(base, unassessed)
            risk = self._risk([], unassessed | more, [*not_assessed, *words]).to_dict()
            got = self._plain[key] = (base, risk, [self._locus_dict(r) for r in base])  # base kept: id stays its own
        return got[1], got[2]

    def _locus_dict(self, r) -> dict:
        """A locus status as the report writes it, made once per status object: samples with nothing
        of their own share their statuses (assessment.sample_loci), and so share these read-only
        dicts; 10,000 samples x 33 loci were 330,000 dicts (~200 MB) before."""
        got = self._locus_dicts.get(id(r))
        if got is None:
            got = self._locus_dicts[id(r)] = (r, r.to_dict())  # r kept alive: its id stays its own
        return got[1]

    def _risk(self, findings: list[Finding], unassessed: set[str], not_assessed: list[str]) -> RiskCall:
        """The profile applied to one sample; samples with the same findings (as risk reads them:
        rule, gene, alteration, class, VAF), the same unassessed rules and the same words share one
        result (most of a cohort has nothing, or the same thing)."""
        run = self.run
        key = (run.rs.digest, run.opts.profile, frozenset(unassessed), tuple(not_assessed),
               tuple((f.rule_id, f.gene, f.alteration, f.classification, f.vaf) for f in findings))
        risk = _RISK.get(key)
        if risk is None:
            risk = assess(findings, run.rs.profiles[run.opts.profile], run.rs, unassessed, not_assessed)
            if len(_RISK) >= RISK_MEMO_SIZE:
                _RISK.clear()
            _RISK[key] = risk
        return risk

    def rearrangement_sources(self, s: str) -> list[str]:
        """Which rearrangement inputs sample ``s`` has (what its fusion windows were assessed from)."""
        run = self.run
        if s not in run.rearr.assessed:
            return []
        tables = any(sample == s for sample, _c in run.rearr.calls)
        svs = any(s in {j.sample for j in f.junctions} for f in run.rearr.sv_files)
        return [name for name, on in (("fusions", tables), ("sv", svs)) if on] or ["fusions"]



def matched_normal_warnings(readers, rename: dict[str, str], per_sample: dict[str, dict]) -> list[str]:
    """A small-variant VCF's ##normal_sample column is reported like any sample; a finding there is
    the matched normal's (tumour in the normal sample, or germline), and the report says so."""
    out = []
    for reader in readers:
        normal = next((v.strip() for k, v in reader.header.lines if k == "normal_sample"), None)
        name = rename.get(normal, normal) if normal is not None and normal in reader.header.samples else None
        if name and per_sample.get(name):
            rules = ", ".join(sorted({f.rule_id for f in per_sample[name].values()}))
            out.append(f"{reader.display}: sample {name} is this VCF's ##normal_sample (the matched "
                       f"normal) and has findings ({rules}): tumour cells in the normal sample, or "
                       "germline variants; check the pairing before reading it as a patient result")
    return out
