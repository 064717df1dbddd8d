"""VEP ``CSQ`` and SnpEff ``ANN`` parsing. Field order always comes from the VCF header.

Annotations are optional: a raw VCF is first-class. They serve to name protein changes and to
cross-check coordinates (coordinates win on disagreement).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jakcli.model import ProteinAnnotation
from jakcli.reference.protein import normalise_hgvsp

_VEP_FIELDS = {"allele": "Allele", "gene": "SYMBOL", "transcript": "Feature", "hgvsc": "HGVSc",
               "hgvsp": "HGVSp", "consequence": "Consequence"}
_SNPEFF_FIELDS = {"allele": "Allele", "gene": "Gene_Name", "transcript": "Feature_ID",
                  "hgvsc": "HGVS.c", "hgvsp": "HGVS.p", "consequence": "Annotation"}


@dataclass(frozen=True)
class AnnotationLayout:
    """Where each field sits in one INFO annotation tag, read from its header description."""

    tag: str
    style: str  # "vep" or "snpeff"
    index: dict  # our name -> column index
    flags: tuple  # indices of MANE_SELECT / CANONICAL / PICK columns (VEP)
    allele_num: int | None  # VEP ALLELE_NUM column


def layout_from_header(tag: str, description: str) -> AnnotationLayout | None:
    """Parse ``Format: A|B|C`` (VEP) or ``Functional annotations: 'A | B'`` (SnpEff)."""
    if "Format:" in description:
        names = description.split("Format:", 1)[1].strip().strip("\"'").split("|")
        style, wanted = "vep", _VEP_FIELDS
    elif "Functional annotations" in description:
        body = description.split(":", 1)[1].strip().strip("\"' ")
        names = body.split("|")
        style, wanted = "snpeff", _SNPEFF_FIELDS
    else:
        return None
    names = [n.strip().strip("'\" ") for n in names]
    pos = {n: i for i, n in enumerate(names)}
    if "Allele" not in pos:
        return None
    index = {k: pos[v] for k, v in wanted.items() if v in pos}
    flags = tuple(pos[f] for f in ("MANE_SELECT", "MANE", "CANONICAL", "PICK") if f in pos)
    return AnnotationLayout(tag, style, index, flags, pos.get("ALLELE_NUM"))


def vep_allele_strings(ref: str, alts: list[str]) -> list[str]:
    """VEP's own allele spelling: the first base is dropped when every allele shares it."""
    alleles = [ref, *alts]
    if all(len(a) > 0 for a in alleles) and len({a[0] for a in alleles}) == 1 and any(len(a) != 1 for a in alleles):
        return [a[1:] or "-" for a in alts]
    return list(alts)


_NO_PROTEIN = re.compile(r"^(p\.)?\(?\?\)?$|^p\.=$|^$")


def parse_annotations(layout: AnnotationLayout, values, ref: str, alts: list[str],
                      preferred_transcripts: frozenset) -> dict[int, tuple[ProteinAnnotation, ...]]:
    """Split one record's annotation strings per ALT allele index (1-based)."""
    if values is None:
        return {}
    if isinstance(values, str):
        values = values.split(",")
    vep_forms = vep_allele_strings(ref, alts) if layout.style == "vep" else alts
    by_allele: dict[int, list[ProteinAnnotation]] = {}
    for entry in values:
        if not entry:
            continue
        cols = entry.split("|")

        def col(name, cols=cols):
            i = layout.index.get(name)
            return cols[i].strip() if i is not None and i < len(cols) else ""

        allele_index = None
        if layout.allele_num is not None and layout.allele_num < len(cols) and cols[layout.allele_num].isdigit():
            allele_index = int(cols[layout.allele_num])
        else:
            a = col("allele")
            for k, (raw, vep) in enumerate(zip(alts, vep_forms), start=1):
                if a in (raw, vep):
                    allele_index = k
                    break
        if allele_index is None:
            continue
        transcript = col("transcript")
        preferred = any(i < len(cols) and cols[i].strip() not in ("", "NO") for i in layout.flags)
        if transcript.split(".")[0] in preferred_transcripts:
            preferred = True
        hgvsp = col("hgvsp")
        short = None if _NO_PROTEIN.match(hgvsp.split(":")[-1]) else normalise_hgvsp(hgvsp)
        by_allele.setdefault(allele_index, []).append(ProteinAnnotation(
            gene=col("gene"), transcript=transcript, hgvsc=col("hgvsc"), hgvsp=hgvsp,
            protein_change=short, consequence=col("consequence"), preferred=preferred))
    return {k: tuple(v) for k, v in by_allele.items()}
