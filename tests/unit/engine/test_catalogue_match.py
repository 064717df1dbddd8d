"""engine.catalogue_match: naming on the MANE transcript (both strands, both builds) and catalogue
matching by protein change, whatever the nucleotide spelling."""

from __future__ import annotations

import pytest

from jakcli.engine.catalogue_match import GeneModels
from jakcli.model import Variant
from jakcli.reference.alleles import minimal_form
from jakcli.ruleset.catalogue import load_catalogue


def var(chrom, pos, ref, alt):
    mp, mr, ma = minimal_form(pos, ref, alt)
    return Variant(chrom, chrom, pos, ref, alt, 1, "PASS", 1, "x.vcf", mp, mr, ma)


@pytest.fixture(scope="module")
def models():
    cat = load_catalogue()
    return {b: GeneModels(b, cat) for b in ("GRCh37", "GRCh38")}


def named(models, build, v):
    gm = models[build]
    (t,) = [t for t in gm.touched(v)]
    n = gm.name(v, t)
    return n, gm.hits(v, n)


@pytest.mark.parametrize("build", ["GRCh37", "GRCh38"])
@pytest.mark.parametrize("spelling", [("G", "T"), ("GTC", "TTT"), ("GT", "TT")])
def test_v617f_matches_every_spelling(models, build, spelling):
    n, hit = named(models, build, var("9", 5073770, *spelling))
    assert (n.transcript, n.hgvsp, n.codon, n.domain) == ("NM_004972.4", "p.(Val617Phe)", 617, "JH2 pseudokinase")
    assert hit is not None and hit.how == "protein" and "JAK2-V617F-c1849G>T" in [e.id for e in hit.entries]


def test_minus_strand_c_and_p(models):
    n, hit = named(models, "GRCh38", var("19", 17838299, "C", "T"))  # JAK3 (- strand) c.1533G>A
    assert (n.hgvsc, n.hgvsp) == ("c.1533G>A", "p.(Met511Ile)")
    assert hit is not None


def test_splice_site_is_named_without_protein(models):
    gm = models["GRCh38"]
    t = next(t for t in gm.transcripts if t.gene == "JAK2")
    exon14 = t.exons[13]
    v = var("9", exon14[1] + 1, "G", "A")  # intron 14, +1 (JAK2 is on the + strand)
    (tt,) = gm.touched(v)
    n = gm.name(v, tt)
    assert n.hgvsc.endswith("+1G>A") and n.hgvsp is None and "splice" in n.hgvsp_reason


def test_unknown_codon_gives_a_reason(models):
    gm = models["GRCh38"]
    v = var("9", 5073767, "C", "A")  # JAK2 codon 616: no reference codon known without --reference
    n = gm.name(v, gm.touched(v)[0])
    assert n.hgvsp is None and "--reference" in n.hgvsp_reason and n.hgvsc


@pytest.mark.parametrize("build", ["GRCh37", "GRCh38"])
def test_every_catalogue_entry_is_its_own_positive_example(models, build):
    gm = models[build]
    missed = []
    for e in load_catalogue().entries:
        loc = e.locus(build)
        if loc is None:
            continue
        v = var(loc.chrom, loc.pos, loc.ref, loc.alt)
        hits = [gm.hits(v, gm.name(v, t)) for t in gm.touched(v) if t.gene == e.gene]
        if not any(h is not None and e.id in [x.id for x in h.entries] for h in hits):
            missed.append(e.id)
    assert not missed
