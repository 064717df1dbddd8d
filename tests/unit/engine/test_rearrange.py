"""The pure rearrangement engine on hand-built DNA junctions: orientation, windows and floors for
every fusion rule in both builds (the readers are tested in test_rearrangements.py)."""

from __future__ import annotations

import pytest

from jakcli.reference.genome import normalise_contig
from jakcli.model import Breakend, Build, SvJunction
from jakcli.engine.rearrange import BELOW_FLOOR, NOT_QUALIFYING, REPORTED, evaluate_junction
from jakcli.ruleset.loader import load_ruleset

RULES = [r for r in load_ruleset().rules.values() if r.fusion is not None]


def end(text: str, keeps: str) -> Breakend:
    chrom, pos = text.rsplit(":", 1)
    return Breakend(chrom, normalise_contig(chrom), int(pos), keeps)


def judge(build: str, a: tuple, b: tuple, reads: int | None = 10) -> dict:
    j = SvJunction("S", end(*a), end(*b), "BND", reads, "test", "PASS", "test", "test.vcf", "record 1")
    return {o.rule_id: o.status for o in evaluate_junction(j, RULES, Build(build))}


@pytest.mark.parametrize("build, a, b, expected", [
    # P2RY8::CRLF2 deletion: CRLF2 side keeps left, P2RY8 side keeps right (both genes on minus)
    ("GRCh38", ("chrX:1300000", "left"), ("chrX:1500001", "right"), {"crlf2-p2ry8-fusion": REPORTED}),
    ("GRCh37", ("X:1400000", "left"), ("X:1620001", "right"), {"crlf2-p2ry8-fusion": REPORTED}),
    ("GRCh37", ("Y:1350000", "left"), ("Y:1570001", "right"), {"crlf2-p2ry8-fusion": REPORTED}),
    # X and Y PAR1 are one locus: CRLF2 side on chrX, P2RY8 side on chrY (GRCh38 coordinates equal)
    ("GRCh38", ("chrX:1300000", "left"), ("chrY:1500001", "right"), {"crlf2-p2ry8-fusion": REPORTED}),
    # tandem-duplication junction: the reciprocal CRLF2->P2RY8
    ("GRCh38", ("chrX:1500000", "left"), ("chrX:1300001", "right"), {"crlf2-p2ry8-fusion": NOT_QUALIFYING}),
    # inversion-type junction between the two
    ("GRCh38", ("chrX:1300000", "left"), ("chrX:1500000", "left"), {"crlf2-p2ry8-fusion": NOT_QUALIFYING}),
    # deletion ending inside the CRLF2 coding sequence: CRLF2 loses its start codon
    ("GRCh38", ("chrX:1200000", "left"), ("chrX:1500001", "right"), {}),
    # IGH <-> CRLF2 region, any orientation, chrX or chrY
    ("GRCh38", ("chr14:105900000", "left"), ("chrX:1250000", "right"), {"crlf2-igh-rearrangement": REPORTED}),
    ("GRCh37", ("14:106330000", "right"), ("Y:1300000", "left"), {"crlf2-igh-rearrangement": REPORTED}),
    # IGK is not IGH
    ("GRCh38", ("chr2:89000000", "left"), ("chrX:1250000", "right"), {}),
    # JAK2 (plus strand) as 3' partner keeps the right side, breakpoint before exon 19
    ("GRCh38", ("chr9:37000000", "right"), ("chr9:5060000", "right"), {"jak2-fusion": REPORTED}),
    ("GRCh37", ("12:11900000", "left"), ("9:5081725", "right"), {"jak2-fusion": REPORTED}),
    # JAK2 keeping its left side is JAK2 as the 5' partner
    ("GRCh38", ("chr12:11900000", "right"), ("chr9:5060000", "left"), {"jak2-fusion": NOT_QUALIFYING}),
    # breakpoint in intron 19: JH1 not kept whole
    ("GRCh38", ("chr12:11900000", "left"), ("chr9:5085000", "right"), {"jak2-fusion": NOT_QUALIFYING}),
    # both ends inside JAK2: intragenic, not a fusion
    ("GRCh38", ("chr9:5000000", "left"), ("chr9:5060000", "right"), {}),
    # TYK2 (minus strand) as 3' partner keeps the left side
    ("GRCh38", ("chr6:135200000", "left"), ("chr19:10360000", "left"), {"tyk2-fusion": REPORTED}),
    ("GRCh37", ("6:135500000", "left"), ("19:10470000", "left"), {"tyk2-fusion": REPORTED}),
    ("GRCh37", ("6:135500000", "left"), ("19:10470000", "right"), {"tyk2-fusion": NOT_QUALIFYING}),
    ("GRCh37", ("6:135500000", "left"), ("19:10464000", "left"), {"tyk2-fusion": NOT_QUALIFYING}),
    # a GRCh37 TYK2 coordinate read as GRCh38 is not in TYK2 at all
    ("GRCh38", ("chr6:135200000", "left"), ("chr19:10470000", "left"), {}),
])
def test_dna_junction_outcomes(build, a, b, expected):
    assert judge(build, a, b) == expected
    assert judge(build, b, a) == expected  # the order of the two breakends does not matter


def test_dna_floor_and_unknown_reads():
    args = ("GRCh38", ("chrX:1300000", "left"), ("chrX:1500001", "right"))
    assert judge(*args, reads=1) == {"crlf2-p2ry8-fusion": BELOW_FLOOR}
    assert judge(*args, reads=None) == {"crlf2-p2ry8-fusion": REPORTED}


def _junction(a: tuple, b: tuple, source: str, record: str, reads: int = 10) -> SvJunction:
    return SvJunction("S", end(*a), end(*b), "BND", reads, "test", "PASS", "test", source, record)


def test_dna_only_findings_merge_per_lesion_not_per_rule():
    """Without an RNA call naming the 5' partner, DNA junctions of one lesion (two callers, a few
    bases apart) are one finding; a second JAK2 fusion with another partner is a second finding."""
    from jakcli.engine.rearrange import merge

    rs = load_ruleset()
    outcomes = []
    for j in (_junction(("chr9:5060000", "right"), ("chr9:36900000", "right"), "manta.vcf", "record 1"),
              _junction(("chr9:5060004", "right"), ("chr9:36900012", "right"), "delly.vcf", "record 7"),
              _junction(("chr12:11900000", "left"), ("chr9:5070000", "right"), "delly.vcf", "record 9")):
        outcomes += evaluate_junction(j, RULES, Build("GRCh38"))
    findings = merge(outcomes, rs.rules).findings["S"]
    assert sorted((f.alteration, len(f.evidence)) for f in findings) == [
        ("chr12:11900000::JAK2 fusion", 1), ("chr9:36900012::JAK2 fusion", 2)]  # lead: first file by name
    # the same outcomes in another order give the same findings
    again = merge(list(reversed(outcomes)), rs.rules).findings["S"]
    assert [(f.alteration, [e.record for e in f.evidence]) for f in again] == \
        [(f.alteration, [e.record for e in f.evidence]) for f in findings]
