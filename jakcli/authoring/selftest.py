"""Run every rule's own examples through the same engine ``jakcli classify`` uses.

A variant example (``CHROM:POS:REF:ALT``) becomes a :class:`~jakcli.model.Variant` exactly as
jakcli/vcf.py builds one (contig normalised, REF/ALT trimmed to the minimal form) and is matched
with :meth:`jakcli.engine.small_variants.SiteIndex.match` for the example's build, over the whole loaded ruleset.

Outcomes: ``PASS``; ``FAIL``; ``TODO`` (the example has ``todo:``: a known gap, reported, never
failing; when such an example passes anyway it is ``TODO-PASSES``, a warning that the ``todo`` can
be removed). A fusion example (``5'GENE--3'GENE`` with optional breakpoints, reads, confidence and
caller) becomes a :class:`~jakcli.model.FusionCall` and goes through
:func:`jakcli.engine.rearrange.evaluate_fusion_call`, floors included.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

STATUSES = ("PASS", "FAIL", "TODO", "TODO-PASSES")


@dataclass(frozen=True, slots=True)
class ExampleResult:
    rule_id: str
    kind: str  # positive / negative
    index: int
    build: str
    subject: str  # the variant or fusion text
    status: str  # PASS, FAIL, TODO, TODO-PASSES (STATUSES)
    detail: str
    where: str  # path:line of the example

    @property
    def name(self) -> str:
        return f"{self.kind}[{self.index}] {self.build} {self.subject}"

    def line(self) -> str:
        return f"{self.status:<5} {self.rule_id} {self.name}: {self.detail}  ({self.where})"


def _example_lines(path: str) -> dict:
    """(kind, index) -> line number of each example in a rule file (best effort)."""
    import yaml

    out: dict = {}
    try:
        root = yaml.compose(Path(path).read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return out
    if not isinstance(root, yaml.MappingNode):
        return out
    for k, v in root.value:
        if k.value == "examples" and isinstance(v, yaml.MappingNode):
            for kk, seq in v.value:
                if isinstance(seq, yaml.SequenceNode):
                    for i, n in enumerate(seq.value):
                        out[(kk.value, i)] = n.start_mark.line + 1
    return out


def example_variant(text: str, source: str, record_no: int):
    """A Variant for ``CHROM:POS:REF:ALT``, built the way the VCF reader builds one."""
    from jakcli.model import Variant
    from jakcli.reference.alleles import minimal_form
    from jakcli.reference.genome import normalise_contig

    chrom, pos, ref, alt = text.split(":")
    mp, mr, ma = minimal_form(int(pos), ref.upper(), alt.upper())
    return Variant(chrom, normalise_contig(chrom), int(pos), ref, alt, 1, "PASS", record_no, source,
                   mp, mr, ma, ())


def example_fusion_call(ex: dict, min_reads: int, source: str):
    """A FusionCall for a fusion example, built the way the fusion readers build one."""
    from jakcli.model import Breakend, FusionCall
    from jakcli.reference.genes import partner_names
    from jakcli.reference.genome import normalise_contig

    name5, name3 = ex["fusion"].split("--", 1)
    bp5 = bp3 = None
    if ex.get("breakpoints"):
        ends = []
        for text in ex["breakpoints"].split("--"):
            chrom, pos = text.rsplit(":", 1)
            ends.append(Breakend(chrom, normalise_contig(chrom), int(pos)))
        bp5, bp3 = ends
    reads = ex.get("reads", min_reads)
    return FusionCall("example", partner_names(name5), partner_names(name3), name5, name3, bp5, bp3, reads,
                      f"supporting reads {reads}", ex.get("confidence"), True, None, ex.get("caller", "generic"),
                      source, 0)


def _fusion_example(ex: dict, rule, fusion_rules, source: str):
    from jakcli.engine.rearrange import REPORTED, evaluate_fusion_call
    from jakcli.model import Build

    call = example_fusion_call(ex, rule.fusion.min_supporting_reads, source)
    outcomes = evaluate_fusion_call(call, "example", fusion_rules, Build(ex["build"]))
    mine = [o for o in outcomes if o.rule_id == rule.id and o.status == REPORTED]
    seen = "; ".join(f"{o.rule_id} {o.status} ({o.reason})" for o in outcomes) or "nothing"
    return mine, seen


def run_examples(ruleset, selected=None) -> list[ExampleResult]:
    """Run the examples of ``selected`` rules (default: all) against the whole ``ruleset``."""
    from jakcli.engine.small_variants import SiteIndex, below_floor
    from jakcli.model import Build, SampleCall

    indexes = {b: SiteIndex(ruleset.rules.values(), b) for b in Build}
    fusion_rules = [r for r in ruleset.rules.values() if r.fusion is not None]
    results = []
    for rule in ruleset.rules.values():
        if selected is not None and rule.id not in selected:
            continue
        lines = _example_lines(rule.path)
        examples = rule.doc.get("examples", {})
        for kind in ("positive", "negative"):
            for i, ex in enumerate(examples.get(kind, [])):
                where = f"{rule.path}:{lines.get((kind, i), 1)}"
                build = ex["build"]
                if "segments" in ex:
                    from jakcli.authoring.cnv_examples import segment_example

                    present, seen = segment_example(ex, rule, f"{rule.path}:examples")
                    mine: list = [seen] if present else []
                elif "fusion" in ex:
                    mine, seen = _fusion_example(ex, rule, fusion_rules, f"{rule.path}:examples")
                else:
                    v = example_variant(ex["variant"], f"{rule.path}:examples", i + 1)
                    matches, _warnings = indexes[Build(build)].match(v)
                    # the example's VAF (default 0.5) meets the rule's reporting floor as in classify
                    call = SampleCall("example", True, ex.get("genotype", "0/1"), ex.get("vaf", 0.5), "example",
                                      None, None)
                    mine = [m for m in matches if m.rule_id == rule.id and not below_floor(call, rule, None)]
                    seen = "; ".join(f"{m.rule_id} {m.alteration} [{m.matched_by}]" for m in matches) or "nothing"
                want = ex.get("alteration")
                if kind == "positive":
                    ok = bool(mine) and (want is None or getattr(mine[0], "alteration", want) == want)
                    expect = f"expected {rule.id}" + (f" {want}" if want else "")
                else:
                    ok = not mine
                    expect = f"expected no {rule.id}" + (f" ({ex['why']})" if ex.get("why") else "")
                detail = f"{expect}; matched {seen}"
                if ex.get("todo"):
                    status = "TODO-PASSES" if ok else "TODO"
                    detail = (f"todo now passes, remove 'todo' ({ex['todo']}); matched {seen}" if ok
                              else f"todo: {ex['todo']}; {detail}")
                else:
                    status = "PASS" if ok else "FAIL"
                subject = ex.get("variant") or ex.get("fusion") or ex["segments"]
                results.append(ExampleResult(rule.id, kind, i, build, subject, status,
                                             detail, where))
    return results


def junit_xml(results: list[ExampleResult], suite: str = "jakcli-rules") -> bytes:
    import xml.etree.ElementTree as ET

    failures = sum(r.status == "FAIL" for r in results)
    skipped = sum(r.status == "TODO" for r in results)
    root = ET.Element("testsuites", name=suite, tests=str(len(results)), failures=str(failures),
                      errors="0", skipped=str(skipped))
    ts = ET.SubElement(root, "testsuite", name=suite, tests=str(len(results)), failures=str(failures),
                       errors="0", skipped=str(skipped))
    for r in results:
        tc = ET.SubElement(ts, "testcase", classname=r.rule_id, name=r.name, file=r.where.rsplit(":", 1)[0],
                           line=r.where.rsplit(":", 1)[1])
        if r.status == "FAIL":
            ET.SubElement(tc, "failure", message=r.detail).text = f"{r.where}: {r.detail}"
        elif r.status == "TODO":
            ET.SubElement(tc, "skipped", message=r.detail)
        elif r.status == "TODO-PASSES":
            ET.SubElement(tc, "system-out").text = f"warning: {r.detail}"
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def catalogue_selftest() -> tuple[int, list[str]]:
    """Every catalogue entry, in each build it has coordinates for, is its own positive example:
    its allele must be named on its gene's transcript and matched to the entry. Returns (checked,
    failures as text)."""
    from jakcli.engine.catalogue_match import GeneModels
    from jakcli.model import Variant
    from jakcli.reference.alleles import minimal_form
    from jakcli.ruleset.catalogue import load_catalogue

    cat = load_catalogue()
    checked, failures = 0, []
    for build in ("GRCh37", "GRCh38"):
        gm = GeneModels(build, cat)
        for e in cat.entries:
            loc = e.locus(build)
            if loc is None:
                continue
            checked += 1
            mp, mr, ma = minimal_form(loc.pos, loc.ref, loc.alt)
            v = Variant(loc.chrom, loc.chrom, loc.pos, loc.ref, loc.alt, 1, "PASS", 0, "catalogue", mp, mr, ma)
            hits = [gm.hits(v, gm.name(v, t)) for t in gm.touched(v) if t.gene == e.gene]
            if not any(h is not None and e.id in [x.id for x in h.entries] for h in hits):
                failures.append(f"FAIL  catalogue {e.id} {build} {loc.chrom}:{loc.pos}:{loc.ref}:{loc.alt}: "
                                f"not matched to its own entry ({cat.path}:{e.line})")
    return checked, failures
