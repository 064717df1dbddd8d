"""CALR exon 9 frameshifts in the catalogue (knowledge/curation/calr_frameshifts.tsv): the rule
calr-exon9-frameshift reports them first; the catalogue entries name type 1 and type 2 (transcript,
HGVS, provenance) without a second finding, in both builds."""

from __future__ import annotations

import pytest
from support import write_vcf

from jakcli.classify import Options, classify
from jakcli.model import Build
from jakcli.ruleset.catalogue import load_catalogue

TYPE1_REF = "AGCAGAGGCTTAAGGAGGAGGAAGAAGACAAGAAACGCAAAGAGGAGGAGGAG"
POS = {Build.GRCH37: {"type1": 13054564, "type2": 13054627}, Build.GRCH38: {"type1": 12943750, "type2": 12943813}}
BUILDS = [Build.GRCH37, Build.GRCH38]


def _sample(tmp_path, build, pos, ref, alt, ad="60,40"):
    chrom = "chr19" if build is Build.GRCH38 else "19"
    path = write_vcf(tmp_path / f"calr_{build.value}.vcf",
                     [[chrom, pos, ".", ref, alt, ".", "PASS", "DP=1000", "GT:AD:DP", f"0/1:{ad}:100"]],
                     build=build, chr_prefix=build is Build.GRCH38)
    return classify([str(path)], Options(build=build.value))["samples"][0]


def test_calr_entries_in_both_builds_with_provenance():
    cat = {e.protein_change: e for e in load_catalogue().entries if e.gene == "CALR"}
    assert set(cat) == {"L367Tfs*46", "K385Nfs*47"}
    t1, t2 = cat["L367Tfs*46"], cat["K385Nfs*47"]
    assert (t1.hgvsc, t2.hgvsc) == ("c.1099_1150del", "c.1154_1155insTTGTC")
    assert t1.transcript == t2.transcript == "NM_004343.4"
    for e in (t1, t2):
        assert e.variant_type == "frameshift" and e.grch37 and e.grch38 and e.origin == "somatic"
        assert "CIViC:VID559" in e.evidence and "PMID:24325356" in e.evidence
        assert any(s.startswith("civic@") for s in e.sources)
    assert "ClinGen:CA149708" in t1.evidence


@pytest.mark.parametrize("build", BUILDS, ids=str)
@pytest.mark.parametrize(("kind", "ref", "alt", "pc"), [
    ("type1", TYPE1_REF, "A", "L367Tfs*46"),
    ("type2", "A", "ATTGTC", "K385Nfs*47"),
])
def test_named_frameshift_is_one_rule_finding_carrying_the_entry(tmp_path, build, kind, ref, alt, pc):
    s = _sample(tmp_path, build, POS[build][kind], ref, alt)
    (f,) = s["findings"]
    assert f["rule_id"] == "calr-exon9-frameshift"
    assert f["catalogue"] is not None and f["catalogue"]["protein_change"] == pc
    assert f["catalogue"]["matched_by"] == "allele" and f["transcript"] == "NM_004343.4"
    assert s["other_variants"] == [] and s["germline_findings"] == []


@pytest.mark.parametrize("build", BUILDS, ids=str)
def test_other_exon9_frameshift_is_the_rule_class_without_catalogue_entry(tmp_path, build):
    s = _sample(tmp_path, build, POS[build]["type2"], "A", "AT")
    (f,) = s["findings"]
    assert f["rule_id"] == "calr-exon9-frameshift" and f["catalogue"] is None


@pytest.mark.parametrize("build", BUILDS, ids=str)
def test_inframe_exon9_insertion_is_not_a_type_1_or_2_frameshift(tmp_path, build):
    s = _sample(tmp_path, build, POS[build]["type2"], "A", "ATTG")
    assert s["findings"] == []
    assert all(v["catalogue"] is None for v in s["other_variants"])
    assert [v["classification"] for v in s["other_variants"]] == ["uncertain-significance"]


@pytest.mark.parametrize("build", BUILDS, ids=str)
def test_type2_spelled_at_the_other_build_position_is_not_matched(tmp_path, build):
    other = Build.GRCH37 if build is Build.GRCH38 else Build.GRCH38
    s = _sample(tmp_path, build, POS[other]["type2"], "A", "ATTGTC")
    assert all(f["rule_id"] != "calr-exon9-frameshift" for f in s["findings"])
