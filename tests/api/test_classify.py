"""Reader and report behaviour of the library API (``classify``) on VCFs written for each case."""

from __future__ import annotations

import json

import pytest

from jakcli.classify import Options, classify
from jakcli.model import Build
from support import EXPECTED_COHORT, SAMPLE_DATA, V617F_38, findings, rec, write_vcf

R683 = ("chr9", 5078360, "A")


def run(path, **kw):
    return classify([str(path)], Options(**kw))


# ----------------------------------------------------------------- genotypes and alleles

def test_multiallelic_genotypes_carry_only_their_alleles(tmp_path):
    # ALT 1 = G (R683G, missense), ALT 2 = T (AGA>TGA, a stop: no finding)
    vcf = write_vcf(tmp_path / "m.vcf", [
        rec(*R683, "G,T", "0/1:50,50,0:100", "0/2:50,0,50:100", "1/2:0,50,50:100", "0/0:100,0,0:100",
            "./.:.:.", "1:0,30,0:30")], samples=("het1", "het2", "both", "ref", "missing", "haploid"))
    rep = run(vcf)
    got = findings(rep)
    assert ("het1", "jak2-r683", "p.R683G") in got
    assert ("both", "jak2-r683", "p.R683G") in got
    assert ("haploid", "jak2-r683", "p.R683G") in got
    assert not [f for f in got if f[0] in ("het2", "ref", "missing")]
    both = next(s for s in rep["samples"] if s["sample"] == "both")["findings"][0]
    assert both["vaf"] == pytest.approx(0.5) and both["genotype"] == "1/2"
    assert [s["sample"] for s in rep["samples"]] == ["het1", "het2", "both", "ref", "missing", "haploid"]


def test_padded_multiallelic_indel_is_trimmed_per_allele(tmp_path):
    # REF AA with ALTs TT (K539L MNV) and A (1-bp deletion, frameshift): only ALT 1 matches
    vcf = write_vcf(tmp_path / "p.vcf", [rec("chr9", 5070026, "AA", "TT,A", "0/1:50,50,0:100", "0/2:50,0,50:100")],
                    samples=("mnv", "fs"))
    got = findings(run(vcf))
    assert got == [("mnv", "jak2-exon12-indel", "p.K539L")]


def test_builds_and_chr_prefix(tmp_path):
    for build, prefix, pos in [(Build.GRCH37, False, 35873597), (Build.GRCH38, True, 35873495),
                               (Build.GRCH37, True, 35873597), (Build.GRCH38, False, 35873495)]:
        chrom = ("chr" if prefix else "") + "5"
        vcf = write_vcf(tmp_path / f"{build}{prefix}.vcf", [rec(chrom, pos, "A", "T", "0/1:60,40:100")],
                        build=build, chr_prefix=prefix)
        rep = run(vcf)
        assert rep["genome_build"] == build.value
        assert findings(rep) == [("S1", "il7r-s185c", "p.S185C")]


def test_wrong_build_position_does_not_match_and_explicit_build_contradiction_fails(tmp_path):
    vcf = write_vcf(tmp_path / "b.vcf", [rec("5", 35873597, "A", "T", "0/1:60,40:100")],
                    build=Build.GRCH38, chr_prefix=False)
    assert findings(run(vcf)) == []
    from jakcli.errors import InputError
    with pytest.raises(InputError, match="contradicts ##contig"):
        run(vcf, build="GRCh37")


# ----------------------------------------------------------------- VAF sources, FILTER, floors

def test_vaf_sources(tmp_path):
    vcf = write_vcf(tmp_path / "v.vcf", [
        rec(*V617F_38, "0/1:70,30:100", fmt="GT:AD:DP"),
        rec("chr9", 5078360, "A", "G", "0/1:0.25:80", fmt="GT:AF:DP"),
        rec("chr1", 64846664, "C", "A", "0/1:43.5%", fmt="GT:FREQ"),
        rec("chr1", 64846699, "G", "A", "0/1", fmt="GT"),
    ])
    rep = run(vcf)
    by_rule = {f["alteration"]: f for f in rep["samples"][0]["findings"]}
    assert by_rule["p.V617F"]["vaf"] == 0.3 and by_rule["p.V617F"]["vaf_source"] == "AD"
    assert by_rule["p.V617F"]["depth"] == 100
    assert by_rule["p.R683G"]["vaf"] == 0.25 and by_rule["p.R683G"]["vaf_source"] == "AF"
    assert by_rule["p.R683G"]["depth"] == 80
    assert by_rule["p.V658F"]["vaf"] == 0.435 and by_rule["p.V658F"]["vaf_source"] == "FREQ"
    nov = by_rule["p.S646F"]
    assert nov["vaf"] is None and any("vaf unknown" in n for n in nov["notes"])
    assert rep["stats"]["findings_without_vaf"] == 1
    assert any("unknown VAF" in w for w in rep["warnings"])


def test_platypus_nv_nr_and_freebayes_ao_ro_read_counts(tmp_path):
    """Header lines as Platypus 0.8.1 and FreeBayes write them; multi-allelic counts per ALT."""
    fmt = ('##FORMAT=<ID=NR,Number=.,Type=Integer,Description="Number of reads covering variant location">',
           '##FORMAT=<ID=NV,Number=.,Type=Integer,Description="Number of reads containing variant">',
           '##FORMAT=<ID=RO,Number=1,Type=Integer,Description="Reference allele observation count">',
           '##FORMAT=<ID=AO,Number=A,Type=Integer,Description="Alternate allele observation count">')
    vcf = write_vcf(tmp_path / "c.vcf", [
        rec(*V617F_38, "0/1:1000:300", fmt="GT:NR:NV"),
        rec("chr9", 5078360, "A", "C,G", "1/2:500,500:20,100", fmt="GT:NR:NV"),
        rec("chr1", 64846664, "C", "A,G", "0/1:70:30,0", fmt="GT:RO:AO"),
        rec("chr1", 64846699, "G", "A", "0/1:1000:2000", fmt="GT:NR:NV"),  # more alt than reads
    ], fmt_lines=fmt)
    rep = run(vcf)
    by_rule = {f["alteration"]: f for f in rep["samples"][0]["findings"]}
    v617f, r683g, v658f = by_rule["p.V617F"], by_rule["p.R683G"], by_rule["p.V658F"]
    assert (v617f["vaf"], v617f["alt_reads"], v617f["depth"], v617f["vaf_source"]) == (0.3, 300, 1000, "NV/NR")
    assert (r683g["vaf"], r683g["alt_reads"], r683g["vaf_source"]) == (0.2, 100, "NV/NR")
    assert (v658f["vaf"], v658f["alt_reads"], v658f["depth"], v658f["vaf_source"]) == (0.3, 30, 100, "AO/RO")
    assert by_rule["p.S646F"]["vaf"] is None  # inconsistent counts are not used


def test_bcftools_call_info_dp4_only_for_one_sample_and_one_alt(tmp_path):
    """bcftools call without -a AD: GT:PL per sample and the reads pooled in INFO/DP4."""
    info = ('##INFO=<ID=DP4,Number=4,Type=Integer,Description="Number of high-quality ref-forward , '
            'ref-reverse, alt-forward and alt-reverse bases">',)
    fmt = ('##FORMAT=<ID=PL,Number=G,Type=Integer,Description="Phred-scaled genotype likelihoods">',)
    records = [rec(*V617F_38, "0/1:255,0,255", fmt="GT:PL", info="DP4=60,60,70,50"),
               rec("chr9", 5078360, "A", "G,C", "1/2:255,0,255,0,0,255", fmt="GT:PL", info="DP4=10,10,40,40")]
    one = run(write_vcf(tmp_path / "one.vcf", records, info_lines=info, fmt_lines=fmt))
    by_rule = {f["alteration"]: f for f in one["samples"][0]["findings"]}
    v617f = by_rule["p.V617F"]
    assert (v617f["vaf"], v617f["alt_reads"], v617f["depth"], v617f["vaf_source"]) == (0.5, 120, 240, "INFO/DP4")
    assert by_rule["p.R683G"]["vaf"] is None  # two ALTs share DP4: not split between them
    two = run(write_vcf(tmp_path / "two.vcf", [rec(*V617F_38, "0/1:255,0,255", "0/0:0,255,255", fmt="GT:PL",
                                                   info="DP4=60,60,70,50")],
                        samples=("S1", "S2"), info_lines=info, fmt_lines=fmt))
    assert two["samples"][0]["findings"][0]["vaf"] is None  # DP4 pools both samples


LOFREQ_HEADER = (  # as LoFreq's vcf_write_new_header() writes it (src/lofreq/vcf.c): VCFv4.0, no ##contig
    "##fileformat=VCFv4.0", "##fileDate=20261126", "##source=lofreq call -f hg38.fa -o pt.vcf pt.bam",
    "##reference=hg38.fa",
    '##INFO=<ID=DP,Number=1,Type=Integer,Description="Raw Depth">',
    '##INFO=<ID=AF,Number=1,Type=Float,Description="Allele Frequency">',
    '##INFO=<ID=SB,Number=1,Type=Integer,Description="Phred-scaled strand bias at this position">',
    '##INFO=<ID=DP4,Number=4,Type=Integer,Description="Counts for ref-forward bases, ref-reverse, alt-forward '
    'and alt-reverse bases">',
    '##INFO=<ID=INDEL,Number=0,Type=Flag,Description="Indicates that the variant is an INDEL.">',
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO")


def test_sites_only_lofreq_vcf_is_the_call_set_of_the_sample_named_for_it(tmp_path):
    from jakcli.errors import InputError

    vcf = tmp_path / "pt.lofreq.vcf"
    vcf.write_text("\n".join([*LOFREQ_HEADER, "chr9\t5073770\t.\tG\tT\t500\tPASS\tDP=1000;AF=0.02;SB=0;DP4=490,490,10,10",
                              "chr9\t5078360\t.\tA\tG\t90\tPASS\tDP=800;AF=0.15;SB=3"]) + "\n")
    with pytest.raises(InputError, match=f"name the sample it was called in: SAMPLE={vcf}"):
        classify([str(vcf)], Options())
    rep = classify([f"PT-7={vcf}"], Options())
    assert rep["genome_build"] == "GRCh38" and rep["samples"][0]["sample"] == "PT-7"
    by_rule = {f["alteration"]: f for f in rep["samples"][0]["findings"]}
    v617f, r683g = by_rule["p.V617F"], by_rule["p.R683G"]
    assert (v617f["vaf"], v617f["alt_reads"], v617f["depth"], v617f["vaf_source"]) == (0.02, 20, 1000, "INFO/DP4")
    assert (r683g["vaf"], r683g["alt_reads"], r683g["depth"], r683g["vaf_source"]) == (0.15, None, 800, "INFO/AF")
    assert v617f["genotype"] == "no-GT"
    with pytest.raises(InputError, match="names the sample of a sites-only VCF, but this VCF has sample columns"):
        classify([f"PT-7={write_vcf(tmp_path / 'cols.vcf', [rec(*V617F_38, '0/1:60,40:100')])}"], Options())


def test_batch_reads_a_sites_only_vcf_as_its_rows_sample(tmp_path):
    from jakcli.batch import run_batch
    from support import manifest

    vcf = tmp_path / "pt.lofreq.vcf"
    vcf.write_text("\n".join([*LOFREQ_HEADER, "chr9\t5073770\t.\tG\tT\t500\tPASS\tDP=1000;AF=0.02;SB=0;DP4=490,490,10,10"])
                   + "\n")
    result = run_batch(manifest(tmp_path / "m.tsv", [("PT-7", vcf)]), tmp_path / "out", jobs=1)
    assert (result.classified, result.failures) == (1, ())
    rep = json.loads((tmp_path / "out" / "reports" / "PT-7.json").read_text())
    assert [(f["rule_id"], f["vaf_source"]) for f in rep["samples"][0]["findings"]] == [("jak2-v617f", "INFO/DP4")]
    assert [i["path"] for i in rep["inputs"]] == [str(vcf)]


def test_strelka_tier_counts_without_gt(tmp_path):
    fmt = tuple(f'##FORMAT=<ID={b}U,Number=2,Type=Integer,Description="tier counts">' for b in "ACGT")
    vcf = write_vcf(tmp_path / "s.vcf", [
        rec(*V617F_38, "100:0,0:0,0:60,60:40,40", "50:0,0:0,0:50,50:0,0", fmt="DP:AU:CU:GU:TU")],
        samples=("TUMOR", "NORMAL"), fmt_lines=fmt)
    rep = run(vcf)
    tumour, normal = rep["samples"]
    assert normal["sample"] == "NORMAL" and normal["findings"] == []
    (f,) = tumour["findings"]
    assert f["rule_id"] == "jak2-v617f" and f["vaf"] == pytest.approx(0.4)
    assert f["vaf_source"] == "tier-counts" and f["genotype"] == "no-GT" and f["alt_reads"] == 40


def test_filter_floor_and_include_filtered(tmp_path):
    vcf = write_vcf(tmp_path / "f.vcf", [
        rec(*V617F_38, "0/1:70,30:100", filt="LowQual"),
        rec("chr9", 5078360, "A", "G", "0/1:990,10:1000"),
    ])
    rep = run(vcf)
    assert findings(rep) == []
    assert rep["stats"]["skipped"] == {"filtered": 1}
    assert rep["stats"]["records_read"] == 2 and rep["stats"]["records_evaluated"] == 1
    assert rep["stats"]["calls_below_floor"] == 1 and rep["samples"][0]["calls_below_floor"] == 1
    rep = run(vcf, include_filtered=True, min_vaf=0.005)
    assert sorted(f[1] for f in findings(rep)) == ["jak2-r683", "jak2-v617f"]
    assert next(f for f in rep["samples"][0]["findings"] if f["rule_id"] == "jak2-v617f")["filter"] == "LowQual"


# ----------------------------------------------------------------- annotations

CSQ = ('##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. '
       'Format: Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|HGVSc|HGVSp|CANONICAL">')


def test_vep_csq_named_and_disagreement_warns(tmp_path):
    good = "CSQ=T|missense_variant|MODERATE|JAK2|ENSG00000096968|Transcript|ENST00000381652.4|ENST00000381652.4:c.1849G>T|ENSP00000371067.4:p.Val617Phe|YES"
    wrong = "CSQ=G|missense_variant|MODERATE|JAK2|ENSG00000096968|Transcript|ENST00000381652.4|c.2047A>G|ENSP00000371067.4:p.Arg683Ser|YES"
    elsewhere = "CSQ=A|missense_variant|MODERATE|JAK2|ENSG00000096968|Transcript|ENST00000381652.4|c.x|ENSP00000371067.4:p.Val617Phe|YES"
    vcf = write_vcf(tmp_path / "a.vcf", [
        rec(*V617F_38, "0/1:70,30:100", info=good),
        rec("chr9", 5078360, "A", "G", "0/1:70,30:100", info=wrong),
        rec("chr9", 5073790, "C", "A", "0/1:70,30:100", info=elsewhere),  # intron 14, inside the read window
    ], info_lines=(CSQ,))
    rep = run(vcf)
    assert findings(rep) == [("S1", "jak2-r683", "p.R683G"), ("S1", "jak2-v617f", "p.V617F")]
    warnings = " ".join(rep["warnings"])
    assert "annotation says JAK2 p.R683S" in warnings and "coordinates win" in warnings
    assert "chr9:5073790" in warnings and "do not match rule jak2-v617f" in warnings
    from jakcli.errors import DataQualityError
    with pytest.raises(DataQualityError):
        run(vcf, strict=True)


def test_vep_insertion_allele_and_cysteine_from_annotation(tmp_path):
    csq = ("CSQ=TGTCCC|inframe_insertion|MODERATE|IL7R|ENSG00000168685|Transcript|ENST00000303115.8|"
           "c.721_722insTGTCCC|ENSP00000306157.3:p.Ile241_Leu242insCysPro|YES")
    vcf = write_vcf(tmp_path / "i.vcf", [rec("chr5", 35874462, "T", "TTGTCCC", "0/1:70,30:100", info=csq)],
                    info_lines=(CSQ,))
    (f,) = run(vcf)["samples"][0]["findings"]
    assert f["rule_id"] == "il7r-exon6-insertion"
    assert f["alteration"].startswith("p.I241_L242insCP")
    assert "introducing cysteine" in f["alteration"]


# ----------------------------------------------------------------- containers and streams

def test_plain_gzip_is_read(tmp_path):
    import gzip
    vcf = write_vcf(tmp_path / "g.vcf", [rec(*V617F_38, "0/1:60,40:100")])
    gz = tmp_path / "g.vcf.gz"
    gz.write_bytes(gzip.compress(vcf.read_bytes()))
    assert findings(run(gz)) == [("S1", "jak2-v617f", "p.V617F")]


def test_same_sample_in_two_files_merges_without_duplicates(tmp_path):
    a = write_vcf(tmp_path / "snv.vcf", [rec(*V617F_38, "0/1:60,40:100")])
    b = write_vcf(tmp_path / "indel.vcf", [rec("chr9", 5070026, "AA", "TT", "0/1:60,40:100"),
                                           rec(*V617F_38, "0/1:60,40:100")])
    rep = classify([str(a), str(b)], Options())
    assert [f[1] for f in findings(rep)] == ["jak2-exon12-indel", "jak2-v617f"]
    assert len(rep["inputs"]) == 2 and all(len(i["sha256"]) == 64 for i in rep["inputs"])


# ----------------------------------------------------------------- report contract and risk

def test_mpn_profile_driver_status_and_burden(tmp_path):
    vcf = write_vcf(tmp_path / "mpn.vcf", [
        rec(*V617F_38, "1/1:30,70:100", "0/1:80,20:100", "0/0:100,0:100"),
        rec("chr19", 12943813, "A", "ATTGTC", "0/0:100,0:100", "0/0:100,0:100", "0/1:60,40:100"),
    ], samples=("hom", "het", "calr"))
    rep = run(vcf, profile="mpn")
    risk = {s["sample"]: s["risk"] for s in rep["samples"]}
    assert risk["hom"]["level"] == "high" and risk["hom"]["allele_burden_class"] == "high (>=50%)"
    assert risk["het"]["level"] == "intermediate" and risk["het"]["allele_burden_class"] == "low (<25%)"
    assert risk["calr"]["driver_status"] == "CALR" and risk["calr"]["allele_burden_class"] is None
    assert risk["hom"]["driver_status"] == "JAK2"


def test_samples_with_the_same_findings_share_a_risk_call_and_nothing_else_does(tmp_path):
    """Risk is worked out once per distinct (findings as risk reads them, unassessed rules): the
    burden class still follows each sample's VAF, and a sample called at a locus another sample's
    file left uncovered is not given the other's answer."""
    vcf = write_vcf(tmp_path / "mpn.vcf", [
        rec(*V617F_38, "0/1:40,60:100", "0/1:40,60:100", "0/1:80,20:100", "0/0:100,0:100", "0/0:100,0:100"),
    ], samples=("a", "b", "low", "none1", "none2"))
    first = {s["sample"]: s["risk"] for s in run(vcf, profile="mpn")["samples"]}
    assert first["a"] == first["b"] and first["a"]["allele_burden_class"] == "high (>=50%)"
    assert first["low"]["allele_burden_class"] == "low (<25%)" and first["low"] != first["a"]
    assert first["none1"] == first["none2"] and first["none1"]["driver_status"] != "JAK2"
    again = {s["sample"]: s["risk"] for s in run(vcf, profile="mpn")["samples"]}  # the memo, warm
    assert again == first
    chr19_only = write_vcf(tmp_path / "chr19.vcf", [rec("chr19", 100000, "A", "G", "0/1:50,50:100")],
                           samples=("none1",), build=None,  # chr19 only: JAK2 on chr9 was not looked at
                           extra_header=("##contig=<ID=chr19,length=58617616>",))
    partial = run(chr19_only, profile="mpn", build="GRCh38")["samples"][0]["risk"]
    assert partial["worst_case_level"] != first["none1"]["worst_case_level"]
    assert len(partial["not_assessed"]) > len(first["none1"]["not_assessed"])


def test_mpn_triple_negative(tmp_path):
    vcf = write_vcf(tmp_path / "n.vcf", [rec("chr2", 1000, "A", "G", "0/1:50,50:100")])
    risk = run(vcf, profile="mpn")["samples"][0]["risk"]
    assert risk["level"] == "none-detected" and risk["driver_status"] == "triple-negative"


def test_uncovered_loci_are_not_assessed(tmp_path):
    # header declares only chr2: every JAK-STAT locus is outside the input
    path = tmp_path / "chr2.vcf"
    path.write_text("##fileformat=VCFv4.2\n##contig=<ID=chr2,length=242193529>\n"
                    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
                    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\nchr2\t100\t.\tA\tG\t.\tPASS\t.\tGT\t0/1\n")
    risk = classify([str(path)], Options(build="GRCh38"))["samples"][0]["risk"]
    assert risk["level"] == "not-assessable"
    assert any(x.startswith("JAK2 (chromosome 9") for x in risk["not_assessed"])


# ----------------------------------------------------------------- sample_data golden results



def test_sample_cohort_golden():
    rep = run(SAMPLE_DATA / "cohort_grch38.vcf.gz")
    got = {s["sample"]: {f["rule_id"] for f in s["findings"]} for s in rep["samples"]}
    assert got == EXPECTED_COHORT
    # issue 12: the panel genes' coding exons are read too (IL7R c.655A>T of NEGATIVE is now inside)
    assert rep["stats"]["skipped"] == {"filtered": 1, "outside_target_regions": 11}
    assert rep["stats"]["calls_below_floor"] == 1
    levels = {s["sample"]: s["risk"]["level"] for s in rep["samples"]}
    assert levels["BALL_CRLF2_JAK2"] == "intermediate" and levels["GERMLINE_TYK2"] == "informational"
    assert levels["NEGATIVE"] == "none-detected"
    neg = next(s for s in rep["samples"] if s["sample"] == "NEGATIVE")
    assert [(g["gene"], g["hgvsc"]) for g in neg["germline_findings"]] == [("JAK2", "c.1849G>A")]
    assert len(neg["other_variants"]) == 19
    assert all(not s["germline_findings"] for s in rep["samples"] if s["sample"] != "NEGATIVE")


def test_sample_grch37_vep_golden():
    rep = run(SAMPLE_DATA / "single_grch37_vep.vcf")
    assert rep["genome_build"] == "GRCh37"
    (s,) = rep["samples"]
    assert {f["rule_id"] for f in s["findings"]} == {"jak2-v617f", "jak1-pseudokinase",
                                                     "calr-exon9-frameshift", "jak2-r683"}
    assert len(rep["warnings"]) == 2 and all("coordinates win" in w for w in rep["warnings"])


ANN = ("##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Allele | Annotation | "
       "Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | Feature_ID | Transcript_BioType | Rank | HGVS.c | "
       "HGVS.p | cDNA.pos / cDNA.length | CDS.pos / CDS.length | AA.pos / AA.length | Distance | ERRORS / WARNINGS / INFO' \">")


def test_snpeff_ann_three_letter_protein(tmp_path):
    ann = ("ANN=T|missense_variant|MODERATE|JAK2|ENSG00000096968|transcript|ENST00000381652.4|protein_coding|"
           "14/25|c.1849G>T|p.Val617Phe|2343/7032|1849/3399|617/1132||,"
           "T|upstream_gene_variant|MODIFIER|INSL6|ENSG00000120210|transcript|ENST00000381309.3|protein_coding||"
           "c.-3000C>A|||||3000|")
    wrong = ("ANN=G|missense_variant|MODERATE|JAK2|ENSG00000096968|transcript|ENST00000381652.4|protein_coding|"
             "16/25|c.2047A>G|p.Arg683Cys|||||")
    vcf = write_vcf(tmp_path / "ann.vcf", [rec(*V617F_38, "0/1:60,40:100", info=ann),
                                           rec("chr9", 5078360, "A", "G", "0/1:60,40:100", info=wrong)],
                    info_lines=(ANN,))
    rep = run(vcf)
    assert findings(rep) == [("S1", "jak2-r683", "p.R683G"), ("S1", "jak2-v617f", "p.V617F")]
    assert len(rep["warnings"]) == 1 and "p.R683C" in rep["warnings"][0]


def test_rename_reports_a_vcf_column_under_another_name(tmp_path):
    from jakcli.errors import InputError

    vcf = write_vcf(tmp_path / "tn.vcf", [rec(*V617F_38, "0/0:90,0:90", "0/1:60,40:100")], samples=("NORMAL", "TUMOR"))
    rep = classify([str(vcf)], Options(rename=(("TUMOR", "PT-0042"),), samples=("PT-0042",)))
    assert findings(rep) == [("PT-0042", "jak2-v617f", "p.V617F")]
    assert rep["options"]["rename"] == {"TUMOR": "PT-0042"}
    with pytest.raises(InputError, match="'TUMOUR'"):
        classify([str(vcf)], Options(rename=(("TUMOUR", "PT-0042"),)))
    with pytest.raises(InputError, match="would both be reported as 'X'"):
        classify([str(vcf)], Options(rename=(("TUMOR", "X"), ("NORMAL", "X"))))


@pytest.mark.parametrize("build, version", [(Build.GRCH38, 12), (Build.GRCH37, 11)])
def test_refseq_accession_contigs_are_read_and_the_build_comes_from_their_lengths(tmp_path, build, version):
    """Pipelines on NCBI's FASTA write NC_000009.12 (GRCh38) or NC_000009.11 (GRCh37) for chr9."""
    from support.vcf import rec, write_vcf

    from jakcli.reference.genome import CONTIG_LENGTHS

    contig = f"NC_000009.{version}"
    vcf = write_vcf(tmp_path / "nc.vcf", [rec(contig, 5073770, "G", "T", "0/1:600,400:1000")], build=None,
                    extra_header=(f"##contig=<ID={contig},length={CONTIG_LENGTHS[build]['9']}>",))
    rep = classify([str(vcf)], Options())
    assert rep["genome_build"] == str(build) and contig in rep["genome_build_evidence"]
    (f,) = rep["samples"][0]["findings"]
    assert (f["rule_id"], f["chrom"], f["hgvsc"]) == ("jak2-v617f", contig, "c.1849G>T")
    loci = {(x["rule_id"], x["name"]): x for x in rep["samples"][0]["loci"]}
    assert loci[("jak2-v617f", "p.V617F")]["status"] != "not-assessed"


def test_refseq_contig_without_contig_lines_is_still_read_by_the_streaming_prefilter(tmp_path):
    from support.vcf import rec, write_vcf

    vcf = write_vcf(tmp_path / "nc.vcf", [rec("NC_000009.12", 5073770, "G", "T", "0/1:600,400:1000")], build=None)
    rep = classify([str(vcf)], Options(build="GRCh38"))
    assert [f["rule_id"] for f in rep["samples"][0]["findings"]] == ["jak2-v617f"]
    assert rep["stats"]["skipped"] == {}
