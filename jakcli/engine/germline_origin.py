"""How a call of an allele that is both a somatic driver and a germline condition allele (catalogue
origin ``both``: MPL S505N and P106L, hereditary thrombocytosis) is reported (pure).

One sample cannot tell a constitutional allele from a clone. jakcli only says whether the allele
fraction is *compatible* with a constitutional one; it never calls the origin:

- ``germline-possible``: VAF within GERMLINE_HET (a heterozygous constitutional allele is expected near
  0.5) or at/above GERMLINE_HOM (homozygous or hemizygous), or GT homozygous for the allele;
- ``germline-not-assessable``: no VAF and no homozygous GT;
- ``somatic-likely``: any other VAF (a subclonal fraction; constitutional mosaicism is not excluded).

The bounds are a jakcli convention (binomial spread of a heterozygous allele at the depths of the
bundled rules' floors, plus allowance for capture bias), not a guideline value; a laboratory that
uses tumour-normal pairs decides origin from the normal.
"""

from __future__ import annotations

GERMLINE_HET = (0.35, 0.65)
GERMLINE_HOM = 0.85


def origin_assessment(vaf: float | None, genotype: str) -> tuple[str, str]:
    """(assessment, one-line reason) for a call of an origin-both allele."""
    alleles = genotype.replace("|", "/").split("/")
    hom = len(alleles) > 1 and "0" not in alleles and "." not in alleles and len(set(alleles)) == 1
    if vaf is None:
        if hom:
            return "germline-possible", f"GT {genotype} is homozygous for the allele (no VAF)"
        return "germline-not-assessable", ("no allele fraction: a constitutional origin can be neither "
                                           "supported nor excluded")
    lo, hi = GERMLINE_HET
    if lo <= vaf <= hi:
        return "germline-possible", (f"VAF {vaf:.2f} is within {lo}-{hi}, compatible with a heterozygous "
                                     "constitutional allele")
    if vaf >= GERMLINE_HOM or hom:
        return "germline-possible", f"VAF {vaf:.2f} is compatible with a homozygous or hemizygous constitutional allele"
    return "somatic-likely", (f"VAF {vaf:.2f} is outside the constitutional ranges ({lo}-{hi}, >= {GERMLINE_HOM}): "
                              "most consistent with a somatic clone; constitutional mosaicism is not excluded")
