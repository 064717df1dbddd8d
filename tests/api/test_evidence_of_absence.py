"""Issue 16 through the library: per-locus status from every source, risk following the evidence,
evidence floors, detection limits and hotspot genotyping from BAM/CRAM built by the test."""

from __future__ import annotations

import subprocess

import pytest

from jakcli.classify import Options, classify
from jakcli.engine.evidence import detection_limit_vaf
from jakcli.errors import InputError
from jakcli.model import Build
from support import COHORT, needs_bcftools, rec, write_vcf
from support.bam import V617F_POS, Read, spanning, write_bam, write_reference_fasta

MPL_38 = ("chr1", 43349338)  # MPL W515 codon (TGG, + strand), middle base


def _loci(rep: dict, sample: str | None = None) -> dict[tuple[str, str], dict]:
    s = rep["samples"][0] if sample is None else next(x for x in rep["samples"] if x["sample"] == sample)
    return {(e["rule_id"], e["name"]): e for e in s["loci"]}


def _risk(rep: dict, sample: str) -> dict:
    return next(s["risk"] for s in rep["samples"] if s["sample"] == sample)


@needs_bcftools
def test_bcftools_r_chr9_pipe_reports_other_genes_not_assessed(tmp_path):
    cut = tmp_path / "chr9.vcf"
    cut.write_bytes(subprocess.run(["bcftools", "view", "-r", "chr9", str(COHORT)], check=True,
                                   capture_output=True).stdout)
    for strict in (False, True):
        rep = classify([str(cut)], Options(strict=strict))
        risk = _risk(rep, "BALL_IL7R")
        assert risk["level"] == "none-detected" and risk["worst_case_level"] == "high"
        words = " ".join(risk["not_assessed"])
        for gene in ("IL7R", "JAK1", "JAK3", "CALR", "MPL", "TYK2", "CRLF2"):
            assert f"{gene} (" in words, gene
        assert "JAK2 (" not in words
        loci = _loci(rep, "BALL_IL7R")
        assert loci[("il7r-s185c", "p.S185C")]["status"] == "not-assessed"
        assert loci[("il7r-s185c", "p.S185C")]["source"] == "vcf-header"
        assert loci[("jak2-v617f", "p.V617F")]["status"] == "no-depth-evidence"
    mpn = classify([str(cut)], Options(profile="mpn"))
    assert _risk(mpn, "MPN_MPL_W515")["driver_status"] == "not assessed"
    ignored = classify([str(cut)], Options(ignore_header_regions=True))
    assert _loci(ignored, "BALL_IL7R")[("il7r-s185c", "p.S185C")]["status"] == "no-depth-evidence"
    assert rep["stats"]["loci"]["not-assessed"] > 0


def test_plain_vcf_loci_are_no_depth_evidence_and_fusion_windows_not_assessed(tmp_path):
    vcf = write_vcf(tmp_path / "s.vcf", [rec("chr9", V617F_POS, "G", "T", "0/1:50,50:100")])
    rep = classify([str(vcf)], Options())
    loci = rep["samples"][0]["loci"]
    v617f = next(e for e in loci if e["rule_id"] == "jak2-v617f")  # the call itself assessed its locus
    assert (v617f["status"], v617f["source"], v617f["depth"]) == ("assessed", "vcf-call", 100)
    statuses = {(e["kind"], e["status"]) for e in loci if e is not v617f}
    assert statuses == {("allele", "no-depth-evidence"), ("codon", "no-depth-evidence"),
                        ("region", "no-depth-evidence"), ("fusion-window", "not-assessed")}


@pytest.mark.parametrize("build,chrom", [(Build.GRCH38, "chr9"), (Build.GRCH37, "9")])
def test_targets_bed_outside_is_not_assessed(tmp_path, build, chrom):
    vcf = write_vcf(tmp_path / "s.vcf", [rec(chrom, V617F_POS, "G", "T", "0/1:50,50:100")], build=build,
                    chr_prefix=build is Build.GRCH38)
    bed = tmp_path / "panel.bed"
    bed.write_text(f"{chrom}\t{V617F_POS - 100}\t{V617F_POS + 100}\n")
    rep = classify([str(vcf)], Options(targets=str(bed)))
    loci = _loci(rep)
    assert loci[("jak2-v617f", "p.V617F")]["status"] == "assessed"  # inside the targets, and called
    assert loci[("jak2-v617f", "p.V617F")]["source"] == "vcf-call"
    assert loci[("mpl-w515", "W515")]["status"] == "not-assessed" and loci[("mpl-w515", "W515")]["source"] == "targets"
    assert any(w.startswith("MPL (") for w in rep["samples"][0]["risk"]["not_assessed"])


def test_gvcf_blocks_give_depth_low_coverage_and_detection_limit(tmp_path):
    gvcf = write_vcf(tmp_path / "s.g.vcf", [
        rec("chr9", V617F_POS - 50, "A", "<NON_REF>", "0/0:1850:1850", fmt="GT:MIN_DP:DP", info=f"END={V617F_POS + 50}"),
        rec("chr1", MPL_38[1] - 10, "A", "<NON_REF>", "0/0:40:40", fmt="GT:MIN_DP:DP", info=f"END={MPL_38[1] + 10}"),
    ], fmt_lines=('##FORMAT=<ID=MIN_DP,Number=1,Type=Integer,Description="min depth">',),
        info_lines=('##INFO=<ID=END,Number=1,Type=Integer,Description="end">',),
        extra_header=('##ALT=<ID=NON_REF,Description="any other allele">',))
    rep = classify([str(gvcf)], Options())
    loci = _loci(rep)
    v = loci[("jak2-v617f", "p.V617F")]
    assert (v["status"], v["depth"], v["source"]) == ("assessed", 1850, "gvcf")
    assert v["detection_limit_vaf"] == pytest.approx(detection_limit_vaf(1850, 5, 0.01), abs=1e-5)
    assert loci[("mpl-w515", "W515")]["status"] == "low-coverage"
    assert loci[("il7r-s185c", "p.S185C")]["status"] == "not-assessed"  # no block covers it
    assert rep["samples"][0]["findings"] == []


@pytest.mark.parametrize("gz", [False, True])
def test_mosdepth_coverage_per_sample(tmp_path, gz):
    vcf = write_vcf(tmp_path / "s.vcf", [rec("chr9", 1000, "A", "C", "0/1:5,5:10", "0/1:5,5:10")], samples=("A", "B"))
    lines = f"chr9\t{V617F_POS - 100}\t{V617F_POS + 100}\t2000\nchr1\t{MPL_38[1] - 5}\t{MPL_38[1] + 5}\t30\n"
    cov = tmp_path / ("a.per-base.bed.gz" if gz else "a.per-base.bed")
    if gz:
        import gzip
        with gzip.open(cov, "wt") as fh:
            fh.write(lines)
    else:
        cov.write_text(lines)
    rep = classify([str(vcf)], Options(), coverage=[f"A={cov}"])
    a, b = _loci(rep, "A"), _loci(rep, "B")
    assert (a[("jak2-v617f", "p.V617F")]["status"], a[("jak2-v617f", "p.V617F")]["depth"]) == ("assessed", 2000)
    assert a[("mpl-w515", "W515")]["status"] == "low-coverage"
    assert b[("jak2-v617f", "p.V617F")]["status"] == "no-depth-evidence"


def _edit_v617f(src, dst, ad: str, dp: int):
    out = []
    for line in src.read_text().splitlines():
        f = line.split("\t")
        if not line.startswith("#") and f[1] == str(V617F_POS):
            keys, vals = f[8].split(":"), f[9].split(":")
            vals[keys.index("AD")], vals[keys.index("DP")] = ad, str(dp)
            vals[keys.index("AF")] = f"{int(ad.split(',')[1]) / dp:.3f}"
            f[9] = ":".join(vals)
            line = "\t".join(f)
        out.append(line)
    dst.write_text("\n".join(out) + "\n")
    return dst


def test_mutect2_v617f_with_one_alt_read_gives_no_finding(realdata, tmp_path):
    edited = _edit_v617f(realdata / "mutect2_WP043_JAK2_GRCh37.vcf", tmp_path / "ad11.vcf", "1,1", 2)
    for strict in (False, True):
        rep = classify([str(edited)], Options(profile="mpn", strict=strict))
        (s,) = rep["samples"]
        # Mutect2 ran with --intervals chr9.interval_list, which is not here; the V617F record shows the
        # locus was inside it, at depth 2: low coverage, so V617F is not excluded
        assert s["findings"] == [] and s["risk"]["level"] != "none-detected"
        v617f = _loci(rep)[("jak2-v617f", "p.V617F")]
        assert (v617f["status"], v617f["source"], v617f["depth"]) == ("low-coverage", "vcf-record", 2)
        assert rep["stats"]["calls_below_evidence_floor"] == {"alt_reads": 1} and s["calls_below_floor"] == 1
    rep = classify([str(edited)], Options(profile="mpn", ignore_header_regions=True))
    assert rep["samples"][0]["findings"] == [] and rep["samples"][0]["risk"]["level"] == "none-detected"
    low = _edit_v617f(realdata / "mutect2_WP043_JAK2_GRCh37.vcf", tmp_path / "low.vcf", "30,30", 60)
    (f,) = classify([str(low)], Options(profile="mpn"))["samples"][0]["findings"]
    assert f["alt_reads"] == 30 and any(n.startswith("low depth: depth 60 below the locus floor of 913")
                                        for n in f["notes"])
    over = classify([str(low)], Options(profile="mpn", min_alt_reads=31))
    assert over["samples"][0]["findings"] == []


def test_mpn_labels_match_their_conditions():
    from jakcli.ruleset.loader import load_ruleset

    prof = load_ruleset(None).profiles["mpn"]
    assert "50% or more" in prof.tiers[0].label and ">50%" not in prof.tiers[0].label
    assert [name for name, _f in prof.burden.classes] == ["high (>=50%)", "intermediate (25% to <50%)", "low (<25%)"]


# ----------------------------------------------------------------------------- BAM/CRAM

@pytest.mark.parametrize("build", [Build.GRCH38, Build.GRCH37])
def test_one_percent_v617f_at_2000x_found_from_reads_alone(tmp_path, build):
    bam = write_bam(tmp_path / "pt.bam", spanning(V617F_POS, 2000, alt_every=100), build=build)
    rep = classify([], Options(build=build.value), alignments=[str(bam)])
    (s,) = rep["samples"]
    assert s["sample"] == "PT1"
    (f,) = s["findings"]
    assert (f["rule_id"], f["vaf_source"], f["alt_reads"], f["depth"]) == ("jak2-v617f", "alignments", 20, 2000)
    assert f["vaf"] == pytest.approx(0.01)
    # a finding from reads alone is named like any other: MANE transcript, HGVS, tier, catalogue
    assert (f["transcript"], f["hgvsc"], f["hgvsp"]) == ("NM_004972.4", "c.1849G>T", "p.(Val617Phe)")
    assert f["tier"]["tier"] == "Tier III" and "JAK2-V617F-c1849G>T" in f["catalogue"]["ids"]
    (ev,) = f["evidence"]
    assert ev["evidence"] == "READS" and ev["supporting_reads"] == 20 and "10 forward, 10 reverse" in ev["read_detail"]
    v = _loci(rep)[("jak2-v617f", "p.V617F")]
    assert (v["status"], v["depth"], v["source"]) == ("assessed", 2000, "alignments")
    assert v["detection_limit_vaf"] == pytest.approx(detection_limit_vaf(2000, 5, 0.01), abs=1e-5)
    assert v["detection_limit_vaf"] == pytest.approx(0.01)  # the 1% VAF floor, reached at 2,000x
    other = _loci(rep)[("mpl-w515", "W515")]
    assert (other["status"], other["depth"]) == ("not-assessed", 0)  # no reads there
    assert s["risk"]["level"] == "intermediate"


def test_reads_below_the_floors_give_no_finding_and_are_counted(tmp_path):
    bam = write_bam(tmp_path / "pt.bam", spanning(V617F_POS, 2000, alt_every=500))  # 4 alt reads
    rep = classify([], Options(build="GRCh38"), alignments=[f"PT-7={bam}"])
    (s,) = rep["samples"]
    assert s["sample"] == "PT-7" and s["findings"] == []
    assert rep["stats"]["calls_below_evidence_floor"] == {"alignments:alt_reads": 1}
    sentences = " ".join(__import__("jakcli.writers.loci", fromlist=["not_detected"]).not_detected(s))
    assert "JAK2 p.V617F not reported - a call below the evidence floor was seen here" in sentences  # 4 reads seen
    assert "in the reads:" in sentences and "depth 2,000" in sentences


def test_vcf_call_and_reads_make_one_finding_with_both_evidences(tmp_path):
    bam = write_bam(tmp_path / "pt.bam", spanning(V617F_POS, 400, alt_every=4))
    vcf = write_vcf(tmp_path / "pt.vcf", [rec("chr9", V617F_POS, "G", "T", "0/1:300,100:400")], samples=("PT1",))
    rep = classify([str(vcf)], Options(), alignments=[str(bam)])
    (f,) = rep["samples"][0]["findings"]
    assert f["vaf_source"] == "AD" and [e["evidence"] for e in f["evidence"]] == ["READS"]
    assert any(n.startswith("reads: 100 of 400 reads") for n in f["notes"])
    assert _loci(rep)[("jak2-v617f", "p.V617F")]["status"] == "low-coverage"  # 400 < 913


def test_strand_bias_is_flagged_on_the_finding_not_hidden(tmp_path):
    reads = [Read(V617F_POS - 30 - i % 40, reverse=bool(i % 2)) for i in range(1000)]
    reads += [Read(V617F_POS - 30, subs={V617F_POS: "T"}, name=f"fw{i}") for i in range(40)]
    rep = classify([], Options(build="GRCh38"), alignments=[str(write_bam(tmp_path / "sb.bam", reads))])
    (f,) = rep["samples"][0]["findings"]
    assert f["alt_reads"] == 40 and "possible strand artefact" in f["evidence"][0]["read_detail"]


def test_cram_needs_reference(tmp_path):
    fasta = write_reference_fasta(tmp_path / "ref.fa", 5_100_000)
    cram = write_bam(tmp_path / "pt.cram", spanning(V617F_POS, 300, alt_every=10), cram_reference=fasta)
    with pytest.raises(InputError, match="--reference FASTA"):
        classify([], Options(build="GRCh38"), alignments=[str(cram)])
    rep = classify([], Options(build="GRCh38", reference=str(fasta)), alignments=[str(cram)])
    (f,) = rep["samples"][0]["findings"]
    assert f["alt_reads"] == 30 and f["depth"] == 300


def test_reads_override_a_header_restriction(tmp_path):
    vcf = write_vcf(tmp_path / "pt.vcf", [rec("chr1", 1000, "A", "C", "0/1:5,5:10")], samples=("PT1",),
                    extra_header=("##bcftools_viewCommand=view -r chr1 in.vcf.gz; Date=x",))
    bam = write_bam(tmp_path / "pt.bam", spanning(V617F_POS, 1000))
    rep = classify([str(vcf)], Options(), alignments=[str(bam)])
    v = _loci(rep)[("jak2-v617f", "p.V617F")]
    assert (v["status"], v["source"], v["depth"]) == ("assessed", "alignments", 1000)
    alone = classify([str(vcf)], Options())
    assert _loci(alone)[("jak2-v617f", "p.V617F")]["source"] == "vcf-header"


def test_codon_mnv_gtc_ttt_is_v617f_and_gtc_ttg_is_not(tmp_path):
    reads = [Read(V617F_POS - 30 - i % 40, reverse=bool(i % 2)) for i in range(1000)]
    mnv = {V617F_POS: "T", V617F_POS + 2: "T"}  # GTC>TTT, Phe
    reads += [Read(V617F_POS - 30 - i, subs=mnv, reverse=bool(i % 2), name=f"mnv{i}") for i in range(12)]
    leu = {V617F_POS: "T", V617F_POS + 2: "G"}  # GTC>TTG, Leu: not V617F
    reads += [Read(V617F_POS - 30 - i, subs=leu, reverse=bool(i % 2), name=f"leu{i}") for i in range(30)]
    rep = classify([], Options(build="GRCh38"), alignments=[str(write_bam(tmp_path / "mnv.bam", reads))])
    (f,) = rep["samples"][0]["findings"]
    assert (f["rule_id"], f["alt_reads"], f["depth"]) == ("jak2-v617f", 12, 1042)
    assert "TTT 12" in f["evidence"][0]["read_detail"] and "TTG" not in f["evidence"][0]["read_detail"]


def test_indel_at_a_rule_locus_from_cigar_is_counted(tmp_path):
    from jakcli.engine.evidence import allele_locus
    from jakcli.readers.alignments import genotype_loci, open_alignments

    locus = allele_locus("x", "JAK2", "del", "9", V617F_POS + 1, "TC", "")
    reads = [Read(V617F_POS - 40 - i % 30, reverse=bool(i % 2)) for i in range(200)]
    reads += [Read(V617F_POS - 40 - i, deletion=(V617F_POS + 1, 2), name=f"del{i}", reverse=bool(i % 2))
              for i in range(10)]
    with open_alignments(str(write_bam(tmp_path / "del.bam", reads))) as aln:
        got = genotype_loci(aln, [locus])[locus.key]
    from jakcli.engine.loci import read_variant

    assert got.alt_reads("") == 10 and got.depth == 210
    v = read_variant(locus, "", "del.bam")
    assert (v.kind, v.min_pos, v.min_ref) == ("deletion", V617F_POS + 1, "TC")


@needs_bcftools
def test_bcftools_R_targets_file_is_lifted_by_the_same_targets_bed(tmp_path):
    bed = tmp_path / "targets.bed"
    subprocess.run(["python3", "-m", "jakcli", "rules", "targets", "--build", "GRCh38", "-o", str(bed)], check=True)
    cut = tmp_path / "cut.vcf"
    cut.write_bytes(subprocess.run(["bcftools", "view", "-R", str(bed), str(COHORT)], check=True,
                                   capture_output=True).stdout)
    alone = classify([str(cut)], Options())  # the -R file is read from where bcftools was given it
    assert _loci(alone, "NEGATIVE")[("jak2-v617f", "p.V617F")]["status"] == "no-depth-evidence"
    bed.rename(tmp_path / "elsewhere.bed")  # a file jakcli cannot find
    missing = _loci(classify([str(cut)], Options()), "NEGATIVE").values()  # the cohort has a record at every
    assert all("vcf-record" in e["source"] and "targets.bed (not found; looked in" in e["note"]  # locus: each
               for e in missing if e["kind"] != "fusion-window")  # record shows bcftools kept its locus
    (tmp_path / "elsewhere.bed").rename(bed)
    rep = classify([str(cut)], Options(targets=str(bed)))
    statuses = {e["status"] for e in next(s for s in rep["samples"] if s["sample"] == "NEGATIVE")["loci"]
                if e["kind"] != "fusion-window"}
    assert statuses == {"no-depth-evidence"}


def test_a_reported_call_makes_its_locus_assessed_in_a_plain_vcf():
    """PV_JAK2_EXON12 carries K539L: its K539L locus is assessed by that call (source vcf-call, the
    call's depth); MPN_V617F_HIGH has no call there and keeps no-depth-evidence: absence is assumed."""
    rep = classify([str(COHORT)], Options())

    def k539l(sample):
        s = next(x for x in rep["samples"] if x["sample"] == sample)
        return next(lc for lc in s["loci"] if lc["rule_id"] == "jak2-exon12-indel" and "K539L" in lc["name"])

    called = k539l("PV_JAK2_EXON12")
    assert (called["status"], called["source"], called["depth"]) == ("assessed", "vcf-call", 125)
    assert k539l("MPN_V617F_HIGH")["status"] == "no-depth-evidence"


@pytest.mark.parametrize("bam_build, run_build", [(Build.GRCH37, Build.GRCH38), (Build.GRCH38, Build.GRCH37)])
def test_a_bam_of_the_other_build_is_refused(tmp_path, bam_build, run_build):
    """Reads of another build would be counted at the wrong places: stop, naming the @SQ line."""
    bam = write_bam(tmp_path / "pt.bam", spanning(V617F_POS, 100, alt_every=10), build=bam_build)
    with pytest.raises(InputError, match=f"@SQ .* is {bam_build}, but the run's build is {run_build}"):
        classify([], Options(build=run_build.value), alignments=[str(bam)])


@pytest.mark.parametrize("build", [Build.GRCH38, Build.GRCH37])
def test_build_of_a_reads_only_run_comes_from_the_bam_sq_lengths(tmp_path, build):
    bam = write_bam(tmp_path / "pt.bam", spanning(V617F_POS, 100, alt_every=10), build=build)
    rep = classify([], Options(), alignments=[str(bam)])
    assert rep["genome_build"] == str(build)
    assert "length" in str(rep.get("genome_build_evidence") or rep)


def test_a_call_below_the_floor_is_never_summarised_as_not_detected(tmp_path):
    """Two alt reads at V617F: no finding (the floor wants 5), and the locus says a call was seen there."""
    from jakcli.writers.loci import not_detected

    vcf = write_vcf(tmp_path / "sub.vcf", [rec("chr9", 5073770, "G", "T", "0/1:98,2:100", "0/0:100,0:100")],
                    samples=("LOW", "NONE"))
    rep = classify([str(vcf)], Options())
    low, none = rep["samples"]
    assert low["findings"] == [] and low["calls_below_floor"] == 1
    v617f = _loci(rep, "LOW")[("jak2-v617f", "p.V617F")]
    assert v617f["note"].startswith("a call below the evidence floor was seen here, not reported (")
    assert "JAK2 p.V617F not reported - a call below the evidence floor" in " ".join(not_detected(low))
    assert not any("not reported" in s for s in not_detected(none))
