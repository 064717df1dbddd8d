"""IKZF1plus as checked against the public texts (docs/copy_number.md "IKZF1plus"): any IKZF1
deletion (rare partial ones included), a homozygous CDKN2A/B, a PAX5 or a PAR1 deletion, and no ERG
deletion; synthetic CNVkit segments, both builds, positive and negative."""

from pathlib import Path

import pytest

from jakcli.classify import classify
from jakcli.model import Options
from jakcli.reference.cnv_targets import load_targets

HEADER = "chromosome\tstart\tend\tgene\tlog2\tprobes\tweight\n"
# chromosome ends and the PAR1 end used as neutral filler (GRCh37 / GRCh38 lengths)
ENDS = {"GRCh37": {"7": 159138663, "9": 141213431, "21": 48129895, "X": 155270560, "Y": 59373566},
        "GRCh38": {"7": 159345973, "9": 138394717, "21": 46709983, "X": 156040895, "Y": 57227415}}
BUILDS = ["GRCh37", "GRCh38"]


def _exons(build, gene):
    return {n: (s, e) for n, s, e in load_targets(build)[gene].exons}


def _rows(build, events):
    """CNVkit rows (0-based starts) for chr7/9/21/X/Y: ``events`` {chrom: [(start1, end1, log2)]},
    neutral elsewhere; chrY absent (a female sample)."""
    prefix = "chr" if build == "GRCh38" else ""
    rows = []
    for chrom in ("7", "9", "21", "X"):
        pos = 10000
        for start, end, log2 in sorted(events.get(chrom, [])):
            rows.append((prefix + chrom, pos, start - 1, "-", 0.01))
            rows.append((prefix + chrom, start - 1, end, "-", log2))
            pos = end
        rows.append((prefix + chrom, pos, ENDS[build][chrom] - 10, "-", 0.0))
    rows.append((prefix + "Y", 10000, ENDS[build]["Y"] - 10, "-", -20.0))
    return "".join(f"{c}\t{s}\t{e}\t{g}\t{v}\t20\t10\n" for c, s, e, g, v in rows)


def _risk(tmp_path, build, events):
    p = tmp_path / f"s_{build}.cns"
    p.write_text(HEADER + _rows(build, events))
    rep = classify([], Options(build=build), cnvs=[f"S1={Path(p)}"])
    s = rep["samples"][0]
    return s["risk"], s["copy_number"]["rules"]


def _ikzf1_del23(build, log2=-1.0):
    ex = _exons(build, "IKZF1")
    return (ex[2][0] - 300, ex[3][1] + 300, log2)


def _cdkn2ab(build, log2):
    return (_exons(build, "CDKN2A")[3][0] - 5000, _exons(build, "CDKN2B")[1][1] + 5000, log2)


@pytest.mark.parametrize("build", BUILDS)
def test_rare_ikzf1_deletion_with_homozygous_cdkn2ab_is_ikzf1plus(tmp_path, build):
    risk, rules = _risk(tmp_path, build, {"7": [_ikzf1_del23(build)], "9": [_cdkn2ab(build, -3.4)]})
    assert rules["ikzf1-deletion"] == "present" and rules["erg-deletion"] == "absent"
    assert risk["level"] == "high" and risk["label"].startswith("IKZF1plus")
    assert "MRD" in risk["label"] and "PMID 29498923" in risk["label"]


@pytest.mark.parametrize("build", BUILDS)
def test_ikzf1_with_a_one_exon_pax5_deletion_is_ikzf1plus(tmp_path, build):
    ex = _exons(build, "PAX5")
    pax5 = (ex[2][0] - 200, ex[2][1] + 200, -0.9)
    risk, rules = _risk(tmp_path, build, {"7": [_ikzf1_del23(build)], "9": [pax5]})
    assert rules["pax5-deletion"] == "present" and rules["cdkn2ab-deletion"] == "absent"
    assert risk["level"] == "high" and "IKZF1plus" in risk["label"]


@pytest.mark.parametrize("build", BUILDS)
def test_intronic_ikzf1_loss_is_not_an_ikzf1_deletion(tmp_path, build):
    ex = _exons(build, "IKZF1")
    intron3 = (ex[3][1] + 2000, ex[4][0] - 2000, -1.0)
    risk, rules = _risk(tmp_path, build, {"7": [intron3], "9": [_cdkn2ab(build, -3.4)]})
    assert rules["ikzf1-deletion"] == "absent" and rules["cdkn2ab-deletion"] == "present"
    assert "IKZF1plus" not in risk["label"]


@pytest.mark.parametrize("build", BUILDS)
def test_heterozygous_cdkn2ab_loss_is_not_the_ikzf1plus_partner(tmp_path, build):
    risk, rules = _risk(tmp_path, build, {"7": [_ikzf1_del23(build)], "9": [_cdkn2ab(build, -1.0)]})
    assert rules["ikzf1-deletion"] == "present" and rules["cdkn2ab-deletion"] == "absent"
    assert "IKZF1plus" not in risk["label"] and risk["level"] == "none-detected"


@pytest.mark.parametrize("build", BUILDS)
def test_an_erg_deletion_excludes_ikzf1plus(tmp_path, build):
    ex = _exons(build, "ERG")
    erg = (ex[6][0] - 2000, ex[4][1] + 2000, -1.0)
    risk, rules = _risk(tmp_path, build, {"7": [_ikzf1_del23(build)], "9": [_cdkn2ab(build, -3.4)],
                                          "21": [erg]})
    assert rules["erg-deletion"] == "present"
    assert "IKZF1plus" not in risk["label"] and risk["level"] == "none-detected"
