"""A record on a contig the header's ##contig lines leave out (the real Mutect2 JAK2 file with its
##contig=<ID=9> line removed): the call stands, and its locus is not 'chromosome 9 not in the input'."""

from __future__ import annotations

from jakcli.classify import Options, classify


def test_record_on_undeclared_contig_covers_its_loci(realdata, tmp_path):
    text = (realdata / "mutect2_WP043_JAK2_GRCh37.vcf").read_text()
    vcf = tmp_path / "no9.vcf"
    vcf.write_text("".join(x for x in text.splitlines(keepends=True) if not x.startswith("##contig=<ID=9,")))
    rep = classify([str(vcf)], Options(profile="mpn"))
    (sample,) = rep["samples"]
    assert [f["rule_id"] for f in sample["findings"]] == ["jak2-v617f"]
    (v617f,) = [x for x in sample["loci"] if x["rule_id"] == "jak2-v617f"]
    assert (v617f["status"], v617f["depth"], v617f["source"]) == ("assessed", 165, "vcf-call")
    assert not any("not in the input" in x for x in sample["risk"]["not_assessed"])
    assert any("record at 9 is on a contig the header's ##contig lines do not declare" in w for w in rep["warnings"])
