"""Domain data: sources present, spans inside the protein, known residues in the right domain."""

from __future__ import annotations

from jakcli.reference.domains import MAIN_DOMAINS, all_domains, domain_of, domains_at, has_domains
from jakcli.reference.transcripts import transcript_for


def test_every_row_cites_a_source_and_fits_the_protein():
    rows = all_domains()
    assert {d.gene for d in rows} == {"JAK1", "JAK2", "JAK3", "TYK2", "IL7R", "CALR", "STAT3", "STAT5B",
                                       "SH2B3", "MPL", "CRLF2", "CSF3R"}
    for d in rows:
        assert d.source and d.confidence in ("C", "C1", "D")
        assert 1 <= d.start < d.end <= transcript_for(d.gene, "GRCh38").protein_length


def test_known_residues():
    assert domain_of("JAK2", 617).name == "JH2 pseudokinase"  # V617F
    assert domain_of("JAK2", 683).name == "JH2 pseudokinase"  # R683
    assert domain_of("JAK2", 539) is None  # K539 lies in the SH2-JH2 linker (exon 12)
    assert domain_of("JAK2", 875).name == "JH1 kinase"  # T875N
    assert domain_of("TYK2", 760).name == "JH2 pseudokinase"  # P760L germline
    assert domain_of("JAK1", 658).name == "JH2 pseudokinase"  # V658F
    assert domain_of("JAK3", 993).name == "JH1 kinase"  # Kincore 822-1097
    assert {d.name for d in domains_at("JAK2", 100)} == {"FERM", "FERM F1 lobe"}
    assert domain_of("JAK2", 540, 550).name == "JH2 pseudokinase"  # a span reaching into JH2
    assert domain_of("MPL", 515) is None  # W515: juxtamembrane; no MPL topology/transmembrane span is bundled


def test_jak3_jh1_boundaries_and_sources():
    (jh1,) = [d for d in all_domains() if d.gene == "JAK3" and d.name == "JH1 kinase"]
    assert (jh1.start, jh1.end, jh1.confidence) == (822, 1097, "C")
    assert "Human-PK.fasta" in jh1.source and "@" in jh1.source
    assert domain_of("JAK3", 821) is None and domain_of("JAK3", 822).name == "JH1 kinase"
    assert domain_of("JAK3", 1097).name == "JH1 kinase" and domain_of("JAK3", 1099) is None
    assert domain_of("JAK3", 800, 830).name == "JH1 kinase"  # a span reaching into JH1


def test_every_jak_has_the_four_main_domains_without_overlap():
    for gene in ("JAK1", "JAK2", "JAK3", "TYK2"):
        main = sorted((d for d in all_domains() if d.gene == gene and d.name in MAIN_DOMAINS),
                      key=lambda d: d.start)
        assert [d.name for d in main] == list(MAIN_DOMAINS), gene
        assert all(a.end < b.start for a, b in zip(main, main[1:])), gene


def test_jh1_rows_are_read_in_a_source_not_derived():
    for d in all_domains():
        if d.name == "JH1 kinase":
            assert d.confidence == "C", d
        if d.confidence == "C":
            assert "@" in d.source or "find_string id" in d.source, d


def test_other_genes_report_their_uniprot_domains():
    assert domain_of("STAT3", 661).name == "SH2"  # UniProt SH2 580-670
    assert domain_of("STAT3", 705) is None  # Y705 lies after the SH2 domain (580-670)
    assert domain_of("STAT5B", 642).name == "SH2"  # UniProt SH2 589-686
    assert domain_of("IL7R", 243).name == "transmembrane"  # the L242_L243 insertion site
    assert domain_of("IL7R", 150).name == "Fibronectin type-III"
    assert domain_of("CALR", 367).name == "C-domain"  # UniProt C-domain 309-417
    assert domain_of("CALR", 100).name == "N-domain" and domain_of("CALR", 250).name == "P-domain"
    for d in all_domains():
        if d.gene not in ("JAK1", "JAK2", "JAK3", "TYK2", "SH2B3", "MPL", "CRLF2", "CSF3R"):
            assert d.source.startswith("UniProt ") and "-uniprot.txt" in d.source and d.confidence == "C", d


def test_sh2b3_domains_are_a_single_secondary_quote():
    assert domain_of("SH2B3", 400).name == "SH2" and domain_of("SH2B3", 250).name == "PH"
    assert domain_of("SH2B3", 350) is None and domain_of("SH2B3", 463) is None  # between PH and SH2; after SH2
    for d in all_domains():
        if d.gene == "SH2B3" and d.name in ("PH", "SH2"):  # C1: the quote names the 575-aa protein (= MANE)
            assert d.confidence == "C1" and "575aa" in d.source and "usbio.net" in d.source, d


MAFTOOLS = "PoisonAlien/maftools@86d1774a8d02fb3549867222690e5d93cc2e2f5a:inst/extdata/protein_domains.txt.gz"


def test_receptor_domains_are_refseq_cdd_regions_read_in_maftools():
    rows = [d for d in all_domains() if d.gene in ("MPL", "CRLF2", "CSF3R") or d.name.startswith("Phenylalanine")]
    assert len(rows) == 9
    for d in rows:  # each names the RefSeq protein whose length equals the MANE protein length
        length = transcript_for(d.gene, "GRCh38").protein_length
        assert d.confidence == "C" and MAFTOOLS in d.source and f"(aa.length {length})" in d.source, d
        assert f"Region {d.start}..{d.end}" in d.source, d
    assert domain_of("MPL", 100).name == "EpoR ligand-binding (PF09067)"  # Pfam 25-128
    assert domain_of("MPL", 420).name == "Fibronectin type-III (cd00063)"  # CDD 392-485
    assert domain_of("MPL", 391) is None and domain_of("MPL", 486) is None and domain_of("MPL", 505) is None
    assert domain_of("CRLF2", 150).name == "Fibronectin type-III (cd00063)"  # CDD 119-188
    assert domain_of("CRLF2", 232) is None  # F232C lies after the FN3 span; no CRLF2 topology is bundled
    assert domain_of("CSF3R", 50).name == "Ig-like C2-type (PF06328)"
    assert domain_of("CSF3R", 500).name == "Fibronectin type-III (PF00041)"  # Pfam 430-514
    assert domain_of("CSF3R", 520) is None and domain_of("CSF3R", 618) is None  # T618I: after the last FN3 (607)
    assert domain_of("SH2B3", 50).name == "Phenylalanine zipper (dimerization, PF08916)"
    for gene in ("MPL", "CRLF2", "CSF3R"):
        assert has_domains(gene), gene
        spans = sorted((d.start, d.end) for d in all_domains() if d.gene == gene)
        assert all(a[1] < b[0] for a, b in zip(spans, spans[1:])), gene  # no overlap: domain_of is unambiguous
