"""Checks of a rule document that its schema cannot express (shared by the loader and lint)."""

from __future__ import annotations

from jakcli.reference.protein import translate


def semantic_problems(doc: dict, stem: str) -> list[tuple[str, str]]:
    """Checks the schema cannot express; (json-path, message) pairs."""
    out = []
    if doc.get("id") != stem:
        out.append(("id", f"id '{doc.get('id')}' must equal the file name '{stem}'"))
    m = doc.get("match", {})
    for i, r in enumerate(m.get("regions", [])):
        for b in ("GRCh37", "GRCh38"):
            for j, iv in enumerate(r.get(b, [])):
                if iv["start"] > iv["end"]:
                    out.append((f"match/regions/{i}/{b}/{j}", "start is after end"))
    for i, c in enumerate(m.get("codons", [])):
        for b in ("GRCh37", "GRCh38"):
            for j, s in enumerate(c.get(b, [])):
                p = s["positions"]
                step = 1 if c["strand"] == "+" else -1
                if len(set(p)) != 3 or any((p[k + 1] - p[k]) * step <= 0 for k in range(2)):
                    out.append((f"match/codons/{i}/{b}/{j}/positions",
                                f"codon positions must be distinct and in coding order for strand {c['strand']}"))
        if "residue" in c and "ref_codon" in c and translate(c["ref_codon"]) != c["residue"][0]:
            out.append((f"match/codons/{i}/ref_codon",
                        f"ref_codon {c['ref_codon']} encodes {translate(c['ref_codon'])}, not {c['residue'][0]}"))
    f = m.get("fusion")
    if f:
        for side in ("five_prime", "three_prime"):
            sd = f[side]
            for b in ("GRCh37", "GRCh38"):
                for j, iv in enumerate(sd.get(b, [])):
                    if iv["start"] > iv["end"]:
                        out.append((f"match/fusion/{side}/{b}/{j}", "start is after end"))
            if "*" in sd["genes"] and len(sd["genes"]) > 1:
                out.append((f"match/fusion/{side}/genes", "'*' (any partner) cannot be combined with names"))
            if f["dna_orientation"] == "transcript" and "GRCh37" in sd and "strand" not in sd:
                out.append((f"match/fusion/{side}/strand",
                            "dna_orientation: transcript needs the strand of every partner with windows"))
        if "GRCh37" not in f["three_prime"]:
            out.append(("match/fusion/three_prime", "the 3' partner needs breakpoint windows in both builds"))
        floor = (doc.get("reporting_floor") or {}).get("min_reads")
        if floor is not None and floor != f["min_supporting_reads"]:
            out.append(("reporting_floor/min_reads", f"min_reads {floor} differs from match/fusion/"
                        f"min_supporting_reads {f['min_supporting_reads']}, the floor fusion calls are held to"))
    out += _copy_number_problems(doc, m)
    if (m.get("alleles") or m.get("codons") or m.get("regions") or f) and not doc.get("coordinate_sources"):
        out.append(("coordinate_sources", "positional rules must cite where their coordinates come from"))
    return out


def _copy_number_problems(doc: dict, m: dict) -> list[tuple[str, str]]:
    """A copy-number rule reads segments and nothing else; only it may join another rule's lesion."""
    out = []
    cn = doc.get("input") == "copy-number"
    if cn != ("copy_number" in m):
        out.append(("match", "input: copy-number and a match.copy_number block go together"))
    if cn and len(m) > 1:
        out.append(("match", "a copy-number rule matches segments only (no alleles, codons, regions or fusion)"))
    if doc.get("lesion") and not cn:
        out.append(("lesion", "only a copy-number rule can join another rule's lesion"))
    if cn and not doc.get("coordinate_sources"):
        out.append(("coordinate_sources", "copy-number rules must cite where their target coordinates come from"))
    return out
