"""Hotspot genotyping from BAM/CRAM built by the test (issue 16)."""

from __future__ import annotations

import pytest

from support.bam import V617F_POS, Read, reference_window, spanning, write_bam, write_reference_fasta

from jakcli.errors import InputError
from jakcli.engine.evidence import (LocusStatus, Locus, allele_locus, detection_limit_vaf, rule_loci,
                             status_for)
from jakcli.model import Build
from jakcli.readers.alignments import ReadFilters, genotype_loci, open_alignments
from jakcli.readers.pileup import COMPLEX, INDEL_IN_BLOCK, INDEL_NEARBY, fisher_exact

V617F = allele_locus("jak2-v617f", "JAK2", "p.V617F", "9", V617F_POS, "G", "T")
V617_CODON = Locus("jak2-v617:codon", "jak2-v617f", "JAK2", "codon", "V617", "9", V617F_POS, V617F_POS + 2,
                   positions=(V617F_POS, V617F_POS + 1, V617F_POS + 2), strand="+", ref_codon="GTC")


def _one(path, locus, **kw):
    with open_alignments(str(path)) as aln:
        return genotype_loci(aln, [locus], ReadFilters(**kw))[locus.key]


@pytest.mark.parametrize("build", [Build.GRCH38, Build.GRCH37])
def test_one_percent_v617f_at_2000x(tmp_path, build):
    bam = write_bam(tmp_path / "pt.bam", spanning(V617F_POS, 2000, alt_every=100), build=build)
    with open_alignments(str(bam)) as aln:
        assert aln.sample == "PT1"
        got = genotype_loci(aln, [V617F], ReadFilters())[V617F.key]
    assert got.depth == 2000 and got.alt_reads() == 20 and got.ref_reads() == 1980
    assert got.vaf() == pytest.approx(0.01)
    assert got.strand_depth() == (1000, 1000) and got.reads("T") == (10, 10)
    assert not got.strand_bias().flagged
    # 95% detection limit at 2000x with 5 alt reads required: ~0.46%
    assert detection_limit_vaf(got.depth, 5) == pytest.approx(0.00458, abs=0.0001)
    assert status_for(got.depth, 100) is LocusStatus.ASSESSED


def test_filters_drop_duplicates_low_mapq_secondary_supplementary_qcfail_low_baseq(tmp_path):
    reads = spanning(V617F_POS, 100, alt_every=10)
    reads += [Read(V617F_POS - 5, subs={V617F_POS: "T"}, flags=0x400, name=f"dup{i}") for i in range(7)]
    reads += [Read(V617F_POS - 5, subs={V617F_POS: "T"}, mapq=10, name=f"lowmq{i}") for i in range(3)]
    reads += [Read(V617F_POS - 5, subs={V617F_POS: "T"}, flags=0x100, name="sec"),
              Read(V617F_POS - 5, subs={V617F_POS: "T"}, flags=0x800, name="supp"),
              Read(V617F_POS - 5, subs={V617F_POS: "T"}, flags=0x200, name="qcfail"),
              Read(V617F_POS - 5, subs={V617F_POS: "T"}, low_q_at=(V617F_POS,), name="lowbq")]
    bam = write_bam(tmp_path / "f.bam", reads)
    got = _one(bam, V617F)
    assert (got.depth, got.alt_reads()) == (100, 10)
    assert got.filtered == {"duplicate": 7, "low-mapq": 3, "secondary": 1, "supplementary": 1,
                            "qc-fail": 1, "low-baseq": 1}
    relaxed = _one(bam, V617F, min_mapq=0, skip_duplicates=False)
    assert (relaxed.depth, relaxed.alt_reads()) == (110, 20)


def test_overlapping_mates_count_once(tmp_path):
    reads = []
    for i in range(30):
        alt = {V617F_POS: "T"} if i < 6 else {}
        reads.append(Read(V617F_POS - 50, subs=alt, name=f"frag{i}", flags=0x1 | 0x40 | 0x20))
        reads.append(Read(V617F_POS - 20, subs=alt, name=f"frag{i}", reverse=True, flags=0x1 | 0x80))
    reads.append(Read(V617F_POS - 50, subs={V617F_POS: "T"}, name="odd", flags=0x1 | 0x40))
    reads.append(Read(V617F_POS - 20, name="odd", reverse=True, flags=0x1 | 0x80))
    got = _one(write_bam(tmp_path / "m.bam", reads), V617F)
    assert got.depth == 31 and got.alt_reads() == 7 and got.discordant_mates == 1


def test_strand_bias_flagged_not_hidden(tmp_path):
    reads = [Read(V617F_POS - 30 - i % 40, reverse=bool(i % 2)) for i in range(200)]
    reads += [Read(V617F_POS - 30, subs={V617F_POS: "T"}, name=f"fw{i}") for i in range(12)]
    got = _one(write_bam(tmp_path / "sb.bam", reads), V617F)
    assert got.alt_reads() == 12  # still counted
    sb = got.strand_bias()
    assert sb.flagged and sb.alt_reverse == 0 and sb.fraction_forward == 1.0
    assert "all 12 alt reads on the forward strand" in sb.note


def test_strand_bias_not_flagged_when_reference_is_one_strand_too(tmp_path):
    # amplicon-like data: every read forward, so one-strand alt support is expected
    reads = [Read(V617F_POS - 30, name=f"r{i}") for i in range(100)]
    reads += [Read(V617F_POS - 30, subs={V617F_POS: "T"}, name=f"a{i}") for i in range(10)]
    assert not _one(write_bam(tmp_path / "amp.bam", reads), V617F).strand_bias().flagged


def test_fisher_exact_known_values():
    assert fisher_exact(3, 1, 1, 3) == pytest.approx(0.4857, abs=1e-4)  # tea-tasting table
    assert fisher_exact(100, 100, 12, 0) == pytest.approx(4.3631e-4, rel=1e-4)  # scipy.stats.fisher_exact
    assert fisher_exact(980, 1000, 20, 0) == pytest.approx(1.73287e-6, rel=1e-4)
    assert fisher_exact(0, 0, 0, 0) == 1.0


def test_codon_mnv_gtc_to_ttt_is_one_codon_change(tmp_path):
    mnv = {V617F_POS: "T", V617F_POS + 2: "T"}
    reads = spanning(V617F_POS, 60) + [Read(V617F_POS - 40 + i, subs=mnv, reverse=bool(i % 2),
                                            name=f"mnv{i}") for i in range(15)]
    reads += [Read(V617F_POS - 40 + i, subs={V617F_POS: "T"}, name=f"snv{i}") for i in range(5)]
    bam = write_bam(tmp_path / "c.bam", reads)
    with open_alignments(str(bam)) as aln:
        res = genotype_loci(aln, [V617_CODON, V617F], ReadFilters())
    codon = res[V617_CODON.key]
    assert codon.ref == "GTC" and codon.other_alleles() == {"TTT": 15, "TTC": 5}
    assert codon.depth == 80
    # the single-base allele sees both as c.1849G>T
    assert res[V617F.key].alt_reads() == 20


def test_codon_on_minus_strand_reads_coding_bases(tmp_path):
    # a minus-strand codon at 5073771..5073769 (coding order): reference bases T,G,<ref at 769>
    ref = reference_window()
    pos = (V617F_POS + 1, V617F_POS, V617F_POS - 1)
    comp = {"A": "T", "C": "G", "G": "C", "T": "A"}
    ref_codon = "".join(comp[ref[p]] for p in pos)
    locus = Locus("minus", "x", "X", "codon", "X1", "9", min(pos), max(pos), positions=pos, strand="-",
                  ref_codon=ref_codon)
    reads = spanning(V617F_POS, 20) + [Read(V617F_POS - 30, subs={V617F_POS + 1: "G"}, name=f"a{i}")
                                       for i in range(4)]
    got = _one(write_bam(tmp_path / "minus.bam", reads), locus)
    assert got.ref_reads() == 20 and got.other_alleles() == {"C" + ref_codon[1:]: 4}


def test_deletion_and_insertion_from_cigar(tmp_path):
    ref = reference_window()
    dpos = V617F_POS + 100
    deletion = allele_locus("r", "G", "del", "9", dpos, ref[dpos] + ref[dpos + 1], "")
    ipos = V617F_POS + 300
    insertion = allele_locus("r", "G", "ins", "9", ipos, "", "TTGTC")
    reads = [Read(dpos - 40 + i % 30) for i in range(40)]
    reads += [Read(dpos - 40, deletion=(dpos, 2), name=f"d{i}", reverse=bool(i % 2)) for i in range(8)]
    reads += [Read(dpos - 40, deletion=(dpos, 3), name=f"d3{i}") for i in range(2)]  # another deletion
    reads += [Read(dpos - 40, deletion=(dpos + 12, 2), name=f"far{i}") for i in range(3)]  # nearby, not at
    reads += [Read(ipos - 40 + i % 30) for i in range(30)]
    reads += [Read(ipos - 40, insertion=(ipos - 1, "TTGTC"), name=f"i{i}") for i in range(6)]
    bam = write_bam(tmp_path / "indel.bam", reads)
    with open_alignments(str(bam)) as aln:
        res = genotype_loci(aln, [deletion, insertion], ReadFilters())
    d = res[deletion.key]
    assert d.alt_reads() == 8 and d.ref_reads() == 40 and d.depth == 48  # complex / indel-nearby: not depth
    assert d.counts[INDEL_NEARBY] == [3, 0]  # neither ref nor alt support
    assert d.other_alleles()[""] == 8
    assert d.counts[COMPLEX] == [2, 0]  # the 3-bp deletion removes the right flank: neither ref nor alt
    i = res[insertion.key]
    assert i.alt_reads() == 6 and i.ref_reads() == 30 and i.vaf() == pytest.approx(6 / 36)


def test_indel_inside_snv_span_is_not_ref(tmp_path):
    reads = spanning(V617F_POS, 20) + [Read(V617F_POS - 30, deletion=(V617F_POS, 1), name=f"d{i}")
                                       for i in range(3)]
    got = _one(write_bam(tmp_path / "x.bam", reads), V617F)
    assert got.ref_reads() == 20 and got.counts[INDEL_IN_BLOCK] == [3, 0] and got.alt_reads() == 0


def test_no_reads_at_locus_is_not_assessed(tmp_path):
    bam = write_bam(tmp_path / "empty.bam", [Read(V617F_POS + 500 + i) for i in range(50)])
    got = _one(bam, V617F)
    assert got.depth == 0 and got.vaf() is None
    assert status_for(got.depth, 100) is LocusStatus.NOT_ASSESSED
    assert detection_limit_vaf(got.depth, 5) is None


def test_contig_missing_from_header_gives_zero_depth_with_note(tmp_path):
    bam = write_bam(tmp_path / "chr9only.bam", spanning(V617F_POS, 10))
    mpl = allele_locus("mpl-w515", "MPL", "W515L", "1", 43349338, "G", "T")
    got = _one(bam, mpl)
    assert got.depth == 0 and "contig 1 is not in the header" in got.notes[0]


def test_region_depth_min_and_mean(tmp_path):
    start, end = V617F_POS - 20, V617F_POS + 20
    region = Locus("reg", "r", "JAK2", "region", "test region", "9", start, end)
    reads = [Read(start - 50) for _ in range(10)]  # covers start..start+49 (all of the region)
    reads += [Read(start + 10, name=f"p{i}", flags=0x1) for i in range(4)]  # covers from start+10
    reads += [Read(start + 10, name=f"p{i}", flags=0x1, reverse=True) for i in range(4)]  # mates: once
    got = _one(write_bam(tmp_path / "reg.bam", reads), region)
    assert got.depth == 10  # minimum (first ten bases)
    assert got.region_mean == pytest.approx((10 * 10 + 31 * 14) / 41)


def test_rule_loci_genotype_on_real_rules(tmp_path):
    from jakcli.ruleset.loader import load_ruleset

    loci = rule_loci(load_ruleset().rules.values(), Build.GRCH38)
    bam = write_bam(tmp_path / "r.bam", spanning(V617F_POS, 50, alt_every=5))
    with open_alignments(str(bam)) as aln:
        res = genotype_loci(aln, loci, ReadFilters())
    assert set(res) == {l.key for l in loci}
    v = res["jak2-v617f:9:5073770:G>T"]
    assert (v.depth, v.alt_reads()) == (50, 10)
    assert res["mpl-w515:1:W515"].depth == 0


# ----------------------------------------------------------------------------- opening files

def test_missing_index(tmp_path):
    bam = write_bam(tmp_path / "noidx.bam", spanning(V617F_POS, 5), index=False)
    with pytest.raises(InputError, match=r"noidx.bam: no index .*samtools index .*noidx.bam'"):
        open_alignments(str(bam))


def test_sample_from_read_groups(tmp_path):
    two = write_bam(tmp_path / "two.bam", spanning(V617F_POS, 5), samples=("A", "B"))
    with pytest.raises(InputError, match=r"read groups name 2 samples \(A, B\).*SAMPLE="):
        open_alignments(str(two))
    with open_alignments(str(two), sample="A") as aln:
        assert aln.sample == "A"
    none = write_bam(tmp_path / "none.bam", spanning(V617F_POS, 5), samples=())
    with pytest.raises(InputError, match="no @RG line names a sample"):
        open_alignments(str(none))


def test_not_a_bam_and_missing(tmp_path):
    junk = tmp_path / "junk.bam"
    junk.write_text("hello\n")
    with pytest.raises(InputError, match="junk.bam: not a readable BAM/CRAM"):
        open_alignments(str(junk))
    with pytest.raises(InputError, match="alignment file not found"):
        open_alignments(str(tmp_path / "nope.bam"))


def test_cram_needs_reference_and_works_with_it(tmp_path):
    fasta = write_reference_fasta(tmp_path / "ref.fa", 5075100)
    cram = write_bam(tmp_path / "pt.cram", spanning(V617F_POS, 200, alt_every=20),
                     cram_reference=fasta, contig_length=5075100)
    with pytest.raises(InputError, match=r"pt.cram: a CRAM needs the reference FASTA.*--reference FASTA$"):
        open_alignments(str(cram))
    with open_alignments(str(cram), reference=str(fasta)) as aln:
        assert aln.is_cram
        got = genotype_loci(aln, [V617F], ReadFilters())[V617F.key]
    assert (got.depth, got.alt_reads()) == (200, 10)


def _general_tally(path, locus, filters):
    """What the general observation functions say, read by read (the oracle for the fast paths)."""
    import pysam

    from jakcli.readers.pileup import observe_block_parsed, observe_indel_parsed, parse_read, region_depth
    indel = locus.kind == "allele" and len(locus.ref) != len(locus.alt)
    pad = filters.indel_window if indel else 0
    seen, counts, low, disc, blocks = {}, {}, 0, 0, {}
    with pysam.AlignmentFile(str(path)) as bam:
        for read in bam.fetch("chr9", locus.start - 1 - pad, locus.end + pad):
            if filters.reject(read):
                continue
            if locus.kind == "region":
                blocks.setdefault(read.query_name, []).extend(read.get_blocks())
                continue
            walk, seq, quals = parse_read(read)
            obs = (observe_indel_parsed(walk, seq, locus, filters.indel_window) if indel
                   else observe_block_parsed(walk, seq, quals, locus, filters.min_baseq))
            if obs == "low-baseq":
                low += 1
            elif obs is not None and read.query_name in seen:
                disc += seen[read.query_name] != obs
            elif obs is not None:
                seen[read.query_name] = obs
                counts.setdefault(obs, [0, 0])[read.is_reverse] += 1
    if locus.kind == "region":
        return region_depth(blocks, locus.start, locus.end)
    return counts, low, disc


@pytest.mark.parametrize("seed", range(6))
def test_fast_paths_agree_with_the_general_observations(tmp_path, seed):
    """Reads of every shape (clips, indels, splices, mates, filters, low qualities) around V617F:
    the tallies of genotype_loci equal a read-by-read walk through the general functions."""
    from support.bam import write_random_bam

    p = V617F_POS
    loci = [V617F, V617_CODON,
            Locus("m:codon", "m", "X", "codon", "M1", "9", p + 30, p + 32, positions=(p + 32, p + 31, p + 30),
                  strand="-", ref_codon="AAA"),
            allele_locus("d", "JAK2", "del", "9", p + 10, "ACG", ""),
            allele_locus("i", "JAK2", "ins", "9", p + 20, "", "TTG"),
            allele_locus("n", "JAK2", "mnv", "9", p - 5, "AC", "TT"),
            Locus("r:region", "r", "JAK2", "region", "reg", "9", p - 40, p + 60)]
    bam = write_random_bam(tmp_path / f"fz{seed}.bam", 1500, seed)
    filters = ReadFilters()
    with open_alignments(str(bam)) as aln:
        got = genotype_loci(aln, loci, filters)
    for locus in loci:
        lr, want = got[locus.key], _general_tally(bam, locus, filters)
        if locus.kind == "region":
            assert (lr.region_min, lr.region_mean) == want
        else:
            assert (lr.counts, lr.filtered.get("low-baseq", 0), lr.discordant_mates) == want, locus.name
        assert lr.depth > 0


def test_reads_without_qualities_count_and_reads_without_sequence_are_skipped(tmp_path):
    """SAM allows QUAL '*' (no base qualities) and SEQ '*' (no bases): the first is counted, the
    second is skipped with a reason, neither is a traceback."""
    import pysam

    path = write_bam(tmp_path / "q.bam", spanning(V617F_POS, 20, alt_every=5))
    with pysam.AlignmentFile(str(path)) as bam:
        header, reads = bam.header, list(bam.fetch())
    out = tmp_path / "noqual.bam"
    with pysam.AlignmentFile(str(out), "wb", header=header) as w:
        for i, r in enumerate(reads):
            if i % 2:
                seq = r.query_sequence
                r.query_sequence = seq  # resets the qualities: QUAL '*'
            if i == 4:
                r.query_sequence = None  # SEQ '*'
            w.write(r)
    pysam.index(str(out))
    for locus in (V617F, V617_CODON):
        got = _one(out, locus)
        assert got.depth == 19 and got.filtered == {"no-sequence": 1}


def test_a_damaged_bam_is_one_line_naming_the_file_and_region(tmp_path):
    path = write_bam(tmp_path / "ok.bam", spanning(V617F_POS, 20000, alt_every=10))
    data = bytearray(path.read_bytes())
    for i in range(len(data) // 2, len(data) // 2 + 400):
        data[i] ^= 0x55
    bad = tmp_path / "bad.bam"
    bad.write_bytes(bytes(data))
    (tmp_path / "bad.bam.bai").write_bytes((tmp_path / "ok.bam.bai").read_bytes())
    with pytest.raises(InputError, match=r"bad.bam: cannot read the reads at chr9:\d+-\d+ .*samtools quickcheck"):
        _one(bad, V617F)
