"""Allele spelling: the minimal form that makes padded, split and unpadded VCF alleles compare equal."""

from __future__ import annotations


def minimal_form(pos: int, ref: str, alt: str) -> tuple[int, str, str]:
    """Drop the bases REF and ALT share (prefix first, as VCF anchors, then suffix).

    An empty string means no bases: ``(pos, "", "TGT")`` inserts TGT before ``pos``.
    """
    while ref and alt and ref[0] == alt[0]:
        ref, alt, pos = ref[1:], alt[1:], pos + 1
    while ref and alt and ref[-1] == alt[-1]:
        ref, alt = ref[:-1], alt[:-1]
    return pos, ref, alt
