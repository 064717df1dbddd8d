"""Gene-name normalisation for fusion partners, as fusion callers and SV annotators spell them.

Callers decorate symbols: STAR-Fusion writes ``SYMBOL^ENSG...``, Arriba lists the neighbours of an
intergenic breakpoint as ``GENE1(1234),GENE2(5678)``, and the immunoglobulin heavy-chain locus
appears as IGH, IGH@, IGH-@, IGHJ6, IGHM, IGHV3-21, IGHD... A rule names the locus once (IGH); this
module maps every spelling onto it so a rule never has to list them.
"""

from __future__ import annotations

import re

# IGH segment and constant genes (HGNC: IGHV*, IGHD*, IGHJ*, IGHM, IGHD, IGHG1-4, IGHA1-2, IGHE,
# pseudogenes IGHVII*, IGHVIII*) and locus spellings (IGH, IGH@, IGH-@, IGH_locus; STAR-Fusion's
# CTAT libraries add IGH@-ext / IGH-@-ext for the locus with its flanks).
_IGH = re.compile(r"^IGH((@|-@)(-EXT)?|_LOCUS|[VDJ].*|M|D|E|G[1-4P]?|A[12P]?|EP\d*|GP)?$", re.IGNORECASE)
# orphons (IGHV1OR15-1, IGHD4OR15-4A, IGHV3OR16-8...) are IGH-like segments on other chromosomes
_ORPHON = re.compile(r"OR\d", re.IGNORECASE)
_DISTANCE = re.compile(r"\((-?\d+)\)$")


def normalise_gene(name: str) -> str:
    """One symbol: strip Ensembl ids and version suffixes, upper-case, fold IGH spellings to IGH."""
    n = name.strip()
    n = n.split("^", 1)[0]  # STAR-Fusion SYMBOL^ENSG00000...
    n = _DISTANCE.sub("", n)  # Arriba GENE(1234)
    n = n.strip().upper()
    if _IGH.match(n) and not _ORPHON.search(n):
        return "IGH"
    return n


def partner_names(field: str) -> tuple[str, ...]:
    """All genes a caller's partner field names, normalised, in order, without duplicates.

    Arriba: ``GENE1(123),GENE2(456)`` (intergenic neighbours) or ``GENE1,GENE2`` (overlapping
    genes); STAR-Fusion: ``SYMBOL^ENSG``; FusionCatcher: plain symbols. ``.`` and empty mean none.
    """
    out: list[str] = []
    for part in re.split(r"[,;]", field or ""):
        part = part.strip()
        if not part or part in (".", "-", "NA"):
            continue
        g = normalise_gene(part)
        if g and g not in out:
            out.append(g)
    return tuple(out)


# Transcript spans (1-based, inclusive) from the UCSC refGene rows (hg19 and hg38 refGene.txt.gz,
# vladsavelyev/bed_annotation@8970e9c; the rows are kept in knowledge/sources/refgene/): txStart + 1 .. txEnd.
# PAR1 genes (CRLF2, P2RY8) also have a chrY copy: GRCh37 chrY = chrX - 50000 (the hg19 refGene
# chrY copy of NM_022148 is chrY:1,264,894-1,281,616); GRCh38 chrY PAR1 coordinates equal chrX.
_SPANS_X = {
    "CRLF2": {"GRCh37": (1314894, 1331616), "GRCh38": (1190496, 1212723)},   # NM_022148, minus
    "P2RY8": {"GRCh37": (1581466, 1656037), "GRCh38": (1462573, 1537144)},   # NM_178129, minus
}
GENE_SPANS: dict[str, dict[str, tuple[tuple[str, int, int], ...]]] = {
    "JAK1": {"GRCh37": (("1", 65298906, 65432252),), "GRCh38": (("1", 64833223, 64966569),)},      # NM_002227 -
    "JAK2": {"GRCh37": (("9", 4985245, 5128183),), "GRCh38": (("9", 4985245, 5128183),)},          # NM_004972 +
    "JAK3": {"GRCh37": (("19", 17935593, 17958841),), "GRCh38": (("19", 17824784, 17848032),)},    # NM_000215 -
    "IL7R": {"GRCh37": (("5", 35856977, 35879705),), "GRCh38": (("5", 35856875, 35879603),)},      # NM_002185 +
    "TYK2": {"GRCh37": (("19", 10461204, 10491248),), "GRCh38": (("19", 10350528, 10380572),)},    # NM_003331 -
    "MPL": {"GRCh37": (("1", 43803475, 43820135),), "GRCh38": (("1", 43337804, 43354464),)},       # NM_005373 +
    "CALR": {"GRCh37": (("19", 13049414, 13055304),), "GRCh38": (("19", 12938600, 12944490),)},    # NM_004343 +
}
for _g, _b in _SPANS_X.items():
    GENE_SPANS[_g] = {
        "GRCh37": (("X", *_b["GRCh37"]), ("Y", _b["GRCh37"][0] - 50000, _b["GRCh37"][1] - 50000)),
        "GRCh38": (("X", *_b["GRCh38"]), ("Y", *_b["GRCh38"])),
    }


def gene_span_contains(gene: str, build: str, contig: str, pos: int) -> bool | None:
    """Is ``contig:pos`` inside ``gene`` (None: jakcli has no span for that gene)?"""
    spans = GENE_SPANS.get(gene, {}).get(build)
    if spans is None:
        return None
    return any(c == contig and s <= pos <= e for c, s, e in spans)
