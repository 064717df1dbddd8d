"""Domain data: sources present, spans inside the protein, known residues in the right domain."""

from __future__ import annotations

from jakcli.reference.domains import all_domains, domain_of, domains_at, has_domains
from jakcli.reference.transcripts import transcript_for


def test_every_row_cites_a_source_and_fits_the_protein():
    rows = all_domains()
    assert {d.gene for d in rows} == {"JAK1", "JAK2", "JAK3", "TYK2"}
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
    assert domain_of("JAK3", 900) is None  # JAK3 JH1 boundaries not bundled (no source)
    assert {d.name for d in domains_at("JAK2", 100)} == {"FERM", "FERM F1 lobe"}
    assert domain_of("JAK2", 540, 550).name == "JH2 pseudokinase"  # a span reaching into JH2
    assert not has_domains("MPL")
