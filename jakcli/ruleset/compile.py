"""Turn schema-valid rule documents into matchers (once, at load time)."""

from __future__ import annotations

from jakcli.model import Build
from jakcli.reference.alleles import minimal_form
from jakcli.reference.genome import normalise_contig
from jakcli.ruleset.compiled import (
    AlleleMatcher,
    AlleleSite,
    CodonMatcher,
    FusionMatcher,
    FusionSide,
    RegionMatcher,
    Rule,
)


def _site_key(site: dict) -> AlleleSite:
    pos, ref, alt = minimal_form(site["pos"], site["ref"], site["alt"])
    return AlleleSite(normalise_contig(site["chrom"]), pos, ref, alt,
                      f"{site['chrom']}:{site['pos']}:{site['ref']}>{site['alt']}")


def _compile_allele(a: dict) -> AlleleMatcher:
    return AlleleMatcher(a["name"], a.get("hgvsc"),
                         {b: tuple(_site_key(s) for s in a[b.value]) for b in Build})


def _compile_side(side: dict) -> FusionSide:
    from jakcli.reference.genes import normalise_gene

    windows = {}
    if "GRCh37" in side:
        windows = {b: tuple((normalise_contig(i["chrom"]), i["start"], i["end"]) for i in side[b.value])
                   for b in Build}
    genes = tuple("*" if g == "*" else normalise_gene(g) for g in side["genes"])
    return FusionSide(genes, side.get("strand"), side.get("window"), windows)


def compile_rule(doc: dict, path: str, ruleset: str) -> Rule:
    """Turn a schema-valid rule document into matchers (called once at load time)."""
    m = doc["match"]
    codons = []
    for c in m.get("codons", []):
        alt = c["alt_aa"]
        codons.append(CodonMatcher(
            c["residue"], c["residue"][0], int(c["residue"][1:]), c["strand"], c["ref_codon"],
            None if alt == "any-missense" else frozenset(alt),
            {b: tuple((normalise_contig(s["chrom"]), tuple(s["positions"])) for s in c[b.value])
             for b in Build}))
    regions = []
    for r in m.get("regions", []):
        regions.append(RegionMatcher(
            r["name"], r["strand"], r["cds_start"], frozenset(r["variant_classes"]),
            tuple(_compile_allele(a) for a in r.get("named_alleles", [])),
            frozenset(r.get("name_inserted_residues", [])),
            {b: tuple((normalise_contig(i["chrom"]), i["start"], i["end"]) for i in r[b.value])
             for b in Build}))
    fusion = None
    if "fusion" in m:
        f = m["fusion"]
        fusion = FusionMatcher(_compile_side(f["five_prime"]), _compile_side(f["three_prime"]),
                               f["dna_orientation"], f["min_supporting_reads"],
                               frozenset(c.lower() for c in f.get("exclude_confidence", [])))
    floor = doc["reporting_floor"]
    return Rule(
        id=doc["id"], version=doc["version"], aliases=tuple(doc.get("aliases", [])),
        title=doc["title"], gene=doc["gene"], input_class=doc["input"], origin=doc["origin"],
        classification=doc["classification"], floor_vaf=float(floor["vaf"]),
        min_reads=int(floor.get("min_reads", 0)), references=tuple(doc["references"]),
        therapies=tuple(doc.get("therapies", [])),
        alleles=tuple(_compile_allele(a) for a in m.get("alleles", [])),
        codons=tuple(codons), regions=tuple(regions), fusion=fusion, path=path, ruleset=ruleset,
        doc=doc, min_alt_reads=int(floor.get("min_alt_reads", 0)), min_depth=int(floor.get("min_depth", 0)),
        copy_number=m.get("copy_number"), lesion=doc.get("lesion"))
