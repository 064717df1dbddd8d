"""--reference FASTA: CDS assembly from exons and the pre-use check, on a FASTA built from the
verified coding sequences placed at their exon coordinates (both builds)."""

from __future__ import annotations

import shutil

import pytest

from support.fasta import fasta_for, verified, write_fasta  # noqa: F401  (fixtures)
from jakcli.errors import InputError
from jakcli.reference.protein import complement
from jakcli.readers.fasta import ReferenceFasta, build_cds, utr3_sequence, verify_reference
from jakcli.reference.hgvsp import hgvsp
from jakcli.reference.transcripts import genomic_position, transcript_for

BUILDS = ("GRCh37", "GRCh38")
GENES = ["CRLF2", "MPL", "IKZF1"]


@pytest.mark.parametrize("build,chr_prefix", [("GRCh37", False), ("GRCh38", False), ("GRCh37", True)])
def test_cds_assembly_and_verification_pass(fasta_for, verified, build, chr_prefix):
    with ReferenceFasta(str(fasta_for(build, chr_prefix))) as fa:
        for gene in GENES:
            t = transcript_for(gene, build)
            cds = build_cds(fa, t)
            expected = verified[gene] if t.cds_complete else verified[gene][:767]
            assert cds == expected, gene
        checks = verify_reference(fa, build, GENES)
    assert [c.gene for c in checks] == GENES
    by_gene = {c.gene: c.checked for c in checks}
    assert "sha256" in by_gene["MPL"] and "sha256" in by_gene["IKZF1"]
    if build == "GRCh37":
        assert "lacks the rest of the CDS" in by_gene["CRLF2"]
    else:
        assert "sha256" in by_gene["CRLF2"]


@pytest.mark.parametrize("build", BUILDS)
def test_anchor_codons_read_from_the_genome(fasta_for, build):
    with ReferenceFasta(str(fasta_for(build))) as fa:
        crlf2 = build_cds(fa, transcript_for("CRLF2", build))
        mpl_t = transcript_for("MPL", build)
        mpl = build_cds(fa, mpl_t)
        assert crlf2[693:696] == "TTT"  # c.694-696, F232
        assert mpl[1542:1545] == "TGG"  # c.1543-1545, W515
        w515 = genomic_position(mpl_t, 1544)
        assert fa.fetch("chr1", w515 - 1, w515 + 1) == "TGG"
        p = hgvsp(mpl_t, mpl, "1", w515, "G", "T", utr3=utr3_sequence(fa, mpl_t))
        assert p.three == "p.(Trp515Leu)"
        k = hgvsp(mpl_t, mpl, "1", w515 - 1, "TG", "AA")
        assert k.short == "p.W515K"


def _first_one_base_stop(cds: str) -> tuple[int, int, str]:
    """(codon number, c. position, coding base) of the first codon one substitution makes a stop."""
    for c in range(2, len(cds) // 3):
        cod = cds[3 * (c - 1):3 * c]
        for k in range(3):
            for base in "ACGT":
                if base != cod[k] and cod[:k] + base + cod[k + 1:] in ("TAA", "TAG", "TGA"):
                    return c, 3 * (c - 1) + k + 1, base
    raise AssertionError("no codon found")


@pytest.mark.parametrize("gene", ["CRLF2", "MPL"])
def test_a_base_changed_to_make_a_stop_fails_in_one_line(tmp_path, verified, gene):
    t = transcript_for(gene, "GRCh38")
    codon, cpos, base = _first_one_base_stop(verified[gene])
    plus = base if t.strand == "+" else complement(base)
    path = write_fasta(tmp_path / "stop.fa", "GRCh38", edits={(t.chrom, genomic_position(t, cpos)): plus},
                       genes=(gene,))
    with ReferenceFasta(str(path)) as fa:
        assert build_cds(fa, t)[cpos - 1] == base
        with pytest.raises(InputError) as err:
            verify_reference(fa, "GRCh38", [gene])
    msg = str(err.value)
    assert "\n" not in msg
    assert gene in msg and "GRCh38" in msg and str(path) in msg
    assert f"internal stop at codon {codon}" in msg and "wrong build" in msg


@pytest.mark.parametrize("fasta_build,claimed", [("GRCh37", "GRCh38"), ("GRCh38", "GRCh37")])
def test_the_other_builds_fasta_fails(tmp_path, fasta_build, claimed):
    path = write_fasta(tmp_path / "g.fa", fasta_build, genes=("CRLF2",))
    with ReferenceFasta(str(path)) as fa:
        with pytest.raises(InputError, match=f"CRLF2 NM_022148.4 CDS on {claimed}"):
            verify_reference(fa, claimed, ["CRLF2"])


def test_missing_contig_is_named(tmp_path):
    path = write_fasta(tmp_path / "x.fa", "GRCh38", chr_prefix=True, genes=("CRLF2",))
    with ReferenceFasta(str(path)) as fa:
        with pytest.raises(InputError, match="MPL NM_005373.3 CDS on GRCh38 .*has no contig 1 ") as err:
            verify_reference(fa, "GRCh38", ["MPL"])
        assert "\n" not in str(err.value)
        assert fa.contig("X") == "chrX" and fa.contig("chrX") == "chrX"


def test_unindexed_or_missing_fasta(tmp_path):
    with pytest.raises(InputError, match="not found"):
        ReferenceFasta(str(tmp_path / "nope.fa"))
    plain = tmp_path / "plain.fa"
    plain.write_text(">1\nACGT\n")
    with pytest.raises(InputError, match=r"samtools faidx"):
        ReferenceFasta(str(plain))


def test_bgzip_fasta_with_gzi(tmp_path, fasta_for):
    pysam = pytest.importorskip("pysam")
    src = write_fasta(tmp_path / "c.fa", "GRCh38", genes=("CRLF2",))
    gz = tmp_path / "c.fa.gz"
    pysam.tabix_compress(str(src), str(gz))
    pysam.faidx(str(gz))
    with ReferenceFasta(str(gz)) as fa:
        assert [c.gene for c in verify_reference(fa, "GRCh38", ["CRLF2"])] == ["CRLF2"]
    shutil.move(str(gz) + ".gzi", str(tmp_path / "moved.gzi"))
    with pytest.raises(InputError, match="gzi"):
        ReferenceFasta(str(gz))
