"""Domain data: sources present, spans inside the protein, known residues in the right domain."""

from __future__ import annotations

from jakcli.reference.domains import MAIN_DOMAINS, all_domains, domain_of, domains_at, has_domains
from jakcli.reference.transcripts import transcript_for


def test_every_row_cites_a_source_and_fits_the_protein():
    rows = all_domains()
    assert {d.gene for d in rows} == {"JAK1", "JAK2", "JAK3", "TYK2", "IL7R", "CALR", "STAT3", "STAT5B",
                                       "SH2B3"}
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
    assert not has_domains("MPL")


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
    for gene in ("MPL", "CRLF2", "CSF3R"):
        assert not has_domains(gene), gene  # no stored source read: reported as null, not guessed
    for d in all_domains():
        if d.gene not in ("JAK1", "JAK2", "JAK3", "TYK2", "SH2B3"):
            assert d.source.startswith("UniProt ") and "-uniprot.txt" in d.source and d.confidence == "C", d


def test_sh2b3_domains_are_a_single_secondary_quote():
    assert domain_of("SH2B3", 400).name == "SH2" and domain_of("SH2B3", 250).name == "PH"
    assert domain_of("SH2B3", 350) is None and domain_of("SH2B3", 463) is None  # between PH and SH2; after SH2
    for d in all_domains():
        if d.gene == "SH2B3":  # C1: the quote names the 575-aa protein (= MANE NM_005475.3)
            assert d.confidence == "C1" and "575aa" in d.source and "usbio.net" in d.source, d
