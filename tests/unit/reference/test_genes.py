"""Gene and fusion-partner names as callers write them, folded onto the names rules use."""

from __future__ import annotations

import pytest

from jakcli.reference.genes import normalise_gene, partner_names


@pytest.mark.parametrize("name, expected", [
    ("IGH", ("IGH",)), ("IGH@", ("IGH",)), ("IGH-@", ("IGH",)), ("IGHJ6", ("IGH",)), ("IGHM", ("IGH",)),
    ("IGHV3-21", ("IGH",)), ("IGHD3-10(500),IGHJ6(1200)", ("IGH",)), ("IGHMBP2", ("IGHMBP2",)),
    ("IGK", ("IGK",)), ("CRLF2^ENSG00000205755.11", ("CRLF2",)), ("JAK2,INSL6", ("JAK2", "INSL6")), (".", ()),
    # STAR-Fusion's CTAT libraries name the IGH locus and its flanks IGH@, IGH@-ext, IGH-@-ext
    ("IGH@^IGH.g@", ("IGH",)), ("IGH@-ext^IGH.g@-ext", ("IGH",)), ("IGH-@-ext^IGH-.g@-ext", ("IGH",)),
    # orphons: IGH-like segments on chr15/chr16/chr21, not the IGH locus
    ("IGHV1OR15-1", ("IGHV1OR15-1",)), ("IGHD4OR15-4A", ("IGHD4OR15-4A",)), ("IGHV3OR16-8", ("IGHV3OR16-8",)),
])
def test_partner_name_normalisation(name, expected):
    assert partner_names(name) == expected



def test_normalise_gene_is_case_insensitive():
    assert normalise_gene(" p2ry8 ") == "P2RY8"

