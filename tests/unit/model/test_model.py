"""The shared records: variant kinds from the minimal form, level order, build names."""

from __future__ import annotations

import pytest

from jakcli.model import Build, Level, Variant


def variant(pos, ref, alt, mpos, mref, malt) -> Variant:
    return Variant(chrom="chr9", contig="9", pos=pos, ref=ref, alt=alt, allele_index=1, filter="PASS",
                   record_no=1, source="t.vcf", min_pos=mpos, min_ref=mref, min_alt=malt)


@pytest.mark.parametrize("min_ref, min_alt, kind, change", [
    ("G", "T", "snv", 0), ("AA", "TT", "mnv", 0), ("", "TGT", "insertion", 3), ("AG", "", "deletion", -2),
    ("AG", "T", "delins", -1),
])
def test_variant_kind_and_length_change(min_ref, min_alt, kind, change):
    v = variant(100, "N" + min_ref, "N" + min_alt, 101, min_ref, min_alt)
    assert v.kind == kind and v.length_change == change
    assert v.label == f"chr9:100:N{min_ref}>N{min_alt}"


def test_levels_are_ranked_and_not_assessable_is_outside_the_order():
    order = [Level.HIGH, Level.INTERMEDIATE, Level.INFORMATIONAL, Level.NONE_DETECTED]
    assert [lv.rank for lv in order] == sorted((lv.rank for lv in order), reverse=True)
    assert Level.NOT_ASSESSABLE.rank < Level.NONE_DETECTED.rank
    assert Level("high") is Level.HIGH
    with pytest.raises(ValueError):
        Level("very high")


def test_builds_print_as_their_names():
    assert [str(b) for b in Build] == ["GRCh37", "GRCh38"] and f"{Build.GRCH38}" == "GRCh38"
    assert Build("GRCh37") is Build.GRCH37
