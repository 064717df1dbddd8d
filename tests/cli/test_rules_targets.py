"""``jakcli rules targets``: the rules' loci as BED that other tools accept."""

from __future__ import annotations


import pytest

from jakcli.cli import cli
from jakcli.ruleset.loader import load_ruleset

from support import LAB_RULES as LAB

V617F = 5073770  # 1-based, the same in GRCh37 and GRCh38
LAB_RULES = LAB / "new_rule"


def bed_rows(runner, *args) -> list[tuple[str, int, int, str]]:
    res = runner.invoke(cli, ["rules", "targets", *args], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    rows = []
    for line in res.stdout.splitlines():
        if line.startswith("#"):
            continue
        contig, start, end, ids = line.split("\t")
        rows.append((contig, int(start), int(end), ids))
    return rows


def contig_rank(name: str):
    n = name.removeprefix("chr")
    return (0, int(n), "") if n.isdigit() else (1, 0, n)


@pytest.mark.parametrize("build,chrom", [("GRCh38", "chr9"), ("GRCh37", "9")])
def test_bed_is_sorted_merged_and_holds_every_small_variant_rule(runner, build, chrom):
    rows = bed_rows(runner, "--build", build)
    assert rows
    for a, b in zip(rows, rows[1:]):
        assert (contig_rank(a[0]), a[1]) < (contig_rank(b[0]), b[1])
        if a[0] == b[0]:
            assert a[2] < b[1], f"{a} and {b} overlap or touch: not merged"
    assert all(0 <= s < e for _, s, e, _ in rows)
    v617f = [r for r in rows if r[0] == chrom and r[1] < V617F <= r[2]]  # 0-based half-open
    assert len(v617f) == 1 and "jak2-v617f" in v617f[0][3].split(",")
    small = {r.id for r in load_ruleset().by_input("small-variant")}
    assert {i for r in rows for i in r[3].split(",")} == small
    assert not any(rid.endswith("fusion") for r in rows for rid in r[3].split(","))


def test_padding_widens_every_region(runner):
    plain = bed_rows(runner, "--build", "GRCh38")
    padded = bed_rows(runner, "--build", "GRCh38", "--padding", "150")
    for contig, s, e, _ in plain:
        (hit,) = [p for p in padded if p[0] == contig and p[1] <= s - 150 and p[2] >= e + 150]
        assert hit
    assert len(padded) < len(plain)  # neighbouring codons of one gene merge


def test_contig_style_and_lab_rules(runner):
    rows = bed_rows(runner, "--build", "GRCh38", "--no-chr-prefix", "--rules", str(LAB_RULES))
    assert all(not r[0].startswith("chr") for r in rows)
    (hit,) = [r for r in rows if r[0] == "9" and r[1] < V617F <= r[2]]
    assert set(hit[3].split(",")) == {"jak2-v617f", "lab-jak2-v617l"}


def test_build_is_required(runner):
    res = runner.invoke(cli, ["rules", "targets"])
    assert res.exit_code == 2 and "--build" in res.output


