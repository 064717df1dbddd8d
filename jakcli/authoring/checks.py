"""The checks of one rule or profile file: schema (JK002/JK008/JK010), self-consistency
(JK003/JK005), coordinates against gene spans (JK006/JK007)."""

from __future__ import annotations

from jakcli.authoring.cnv_checks import cnv_problems
from jakcli.authoring.problems import BUILDS, HINTS, LintDoc, Problem, locate, split_path
from jakcli.reference.genes import GENE_SPANS
from jakcli.reference.genome import normalise_contig
from jakcli.ruleset.schema import validator
from jakcli.ruleset.semantics import semantic_problems


def _short(value, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def schema_problems(doc: LintDoc, kind: str, problems: list) -> None:
    for e in sorted(validator(kind).iter_errors(doc.data), key=lambda e: [str(p) for p in e.absolute_path]):
        parts = list(e.absolute_path)
        where = "/".join(str(p) for p in parts) or "(top level)"
        code, key, msg, hint = "JK002", None, e.message, HINTS["JK002"]
        if e.validator == "required":
            missing = e.message.split("'")[1] if "'" in e.message else e.message
            msg = f"{where}: missing required field '{missing}'"
            hint = f"add '{missing}:' here"
            if parts == [] and missing == "version":
                code, hint = "JK010", HINTS["JK010"]
            elif kind == "rule" and (parts == [] and missing == "examples" or parts == ["examples"]):
                code, hint = "JK008", HINTS["JK008"]
        elif e.validator == "minItems" and kind == "rule" and parts[:1] == ["examples"] and len(parts) == 2:
            code, msg, hint = "JK008", f"{where}: needs at least one example", HINTS["JK008"]
        elif e.validator == "additionalProperties" and isinstance(e.instance, dict):
            allowed = set(e.schema.get("properties", {}))
            extra = [k for k in e.instance if k not in allowed]
            for k in extra:
                line, col = locate(doc.node, parts, str(k))
                problems.append(Problem(doc.display, line, col, "JK002",
                                        f"{where}: unknown key '{k}'",
                                        "allowed keys here: " + ", ".join(sorted(allowed))))
            continue
        elif e.validator == "enum":
            msg = f"{where}: {_short(e.instance)} is not allowed"
            hint = "use one of: " + ", ".join(str(v) for v in e.validator_value)
        elif e.validator == "const":
            msg = f"{where}: {_short(e.instance)} is not allowed"
            hint = f"the only allowed value is {e.validator_value!r}"
        elif e.validator == "pattern":
            msg = f"{where}: {_short(e.instance)} does not have the expected form"
            hint = f"the value must match the regular expression {e.validator_value}"
        elif e.validator == "type":
            msg = f"{where}: {_short(e.instance)} is not of type {e.validator_value}"
            hint = f"write a value of type {e.validator_value}"
        elif e.validator == "oneOf" and parts[:1] == ["examples"]:
            msg = f"{where}: an example needs exactly one of 'variant' (CHROM:POS:REF:ALT) or 'fusion' (5'--3')"
            hint = "give either variant: \"chr9:5073770:G:T\" or fusion: \"P2RY8--CRLF2\""
        elif e.validator == "oneOf":
            msg = f"{where}: {_short(e.instance)} matches none of the allowed forms"
        elif e.validator in ("minimum", "maximum", "minItems", "maxItems", "minLength", "uniqueItems",
                             "minProperties"):
            msg = f"{where}: {_short(e.instance)} violates {e.validator} {e.validator_value}"
        else:
            msg = f"{where}: {e.message if len(e.message) < 160 else e.message[:157] + '...'}"
        line, col = locate(doc.node, parts, key)
        problems.append(Problem(doc.display, line, col, code, msg, hint))


def coord_problems(doc: LintDoc, problems: list) -> None:
    """JK006/JK007: every coordinate must lie in the rule gene's span (fusion loci: the locus gene)."""
    d = doc.data
    assert isinstance(d, dict)  # lint_rule checks the document is a mapping first
    gene = d.get("gene")
    m: dict = d["match"] if isinstance(d.get("match"), dict) else {}
    positional = any(m.get(k) for k in ("alleles", "codons", "regions"))
    if isinstance(gene, str) and gene not in GENE_SPANS and (positional or "fusion" in m):
        line, col = locate(doc.node, ["gene"])
        problems.append(Problem(doc.display, line, col, "JK007",
                                f"gene '{gene}' has no known span; its coordinates cannot be checked",
                                HINTS["JK007"]))
    for build, chrom, start, end, parts in _positions(m):
        _check_span(doc, problems, gene, build, chrom, start, end, parts)
    fusion: dict = m["fusion"] if isinstance(m.get("fusion"), dict) else {}
    for side in ("five_prime", "three_prime"):
        sd = fusion[side] if isinstance(fusion.get(side), dict) else {}
        _check_window(doc, problems, side, sd)


def _positions(m: dict):
    """(build, chrom, start, end, json path) of every allele site, codon and region of a rule."""
    def sites(allele, base):
        if not isinstance(allele, dict):
            return
        for b in BUILDS:
            for j, s in enumerate(allele.get(b) or []):
                if isinstance(s, dict) and isinstance(s.get("pos"), int):
                    ref = s.get("ref") if isinstance(s.get("ref"), str) else "N"
                    yield b, s.get("chrom"), s["pos"], s["pos"] + max(len(ref), 1) - 1, base + [b, j, "pos"]

    for i, a in enumerate(m.get("alleles") or []):
        yield from sites(a, ["match", "alleles", i])
    for i, c in enumerate(m.get("codons") or []):
        for b in BUILDS if isinstance(c, dict) else ():
            for j, s in enumerate(c.get(b) or []):
                p = s.get("positions") if isinstance(s, dict) else None
                if isinstance(p, list) and p and all(isinstance(x, int) for x in p):
                    yield b, s.get("chrom"), min(p), max(p), ["match", "codons", i, b, j, "positions"]
    for i, r in enumerate(m.get("regions") or []):
        if not isinstance(r, dict):
            continue
        for b in BUILDS:
            for j, iv in enumerate(r.get(b) or []):
                if isinstance(iv, dict):
                    yield b, iv.get("chrom"), iv.get("start"), iv.get("end"), ["match", "regions", i, b, j]
        for k, a in enumerate(r.get("named_alleles") or []):
            yield from sites(a, ["match", "regions", i, "named_alleles", k])


def _check_span(doc: LintDoc, problems: list, gene, build: str, chrom, start, end, parts: list) -> None:
    spans = GENE_SPANS.get(gene, {}).get(build) if isinstance(gene, str) else None
    if not spans or not isinstance(chrom, str) or not isinstance(start, int) or not isinstance(end, int):
        return
    c = normalise_contig(chrom)
    if any(c == sc and s <= start and end <= e for sc, s, e in spans):
        return
    where = " or ".join(f"{sc}:{s}-{e}" for sc, s, e in spans)
    got = f"{chrom}:{start}" + (f"-{end}" if end != start else "")
    line, col = locate(doc.node, parts)
    problems.append(Problem(doc.display, line, col, "JK006",
                            f"{'/'.join(map(str, parts))}: {got} is outside {gene} in {build} ({where})",
                            HINTS["JK006"]))


def _check_window(doc: LintDoc, problems: list, side: str, sd: dict) -> None:
    """A breakpoint window may reach beyond its gene (upstream regions), but must touch it;
    partner loci without a span table (IGH, '*') are not checked."""
    genes = [g for g in sd.get("genes") or [] if isinstance(g, str) and g in GENE_SPANS]
    for b in BUILDS:
        for j, iv in enumerate(sd.get(b) or []):
            if not (genes and isinstance(iv, dict) and all(isinstance(iv.get(k), int) for k in ("start", "end"))):
                continue
            c = normalise_contig(str(iv.get("chrom")))
            spans = [sp for g in genes for sp in GENE_SPANS[g][b]]
            if any(c == sc and iv["start"] <= e and s0 <= iv["end"] for sc, s0, e in spans):
                continue
            where = " or ".join(f"{sc}:{s0}-{e}" for sc, s0, e in spans)
            line, col = locate(doc.node, ["match", "fusion", side, b, j])
            problems.append(Problem(doc.display, line, col, "JK006",
                                    f"match/fusion/{side}/{b}/{j}: {iv.get('chrom')}:{iv['start']}-"
                                    f"{iv['end']} does not touch {'/'.join(genes)} in {b} ({where})",
                                    HINTS["JK006"]))


def _schema_checked(doc: LintDoc, kind: str, problems: list) -> dict | None:
    """The document if it is a mapping (schema problems added), else None with a JK002 problem."""
    if not isinstance(doc.data, dict):
        problems.append(Problem(doc.display, 1, 1, "JK002", f"a {kind} file must be a YAML mapping",
                                f"start the file with 'id: <file name>' and the other {kind} fields"))
        return None
    schema_problems(doc, kind, problems)
    return doc.data


def lint_rule(doc: LintDoc, problems: list) -> None:
    d = _schema_checked(doc, "rule", problems)
    if d is None:
        return
    try:
        sem = semantic_problems(d, doc.path.stem)
    except (KeyError, TypeError, AttributeError, IndexError, ValueError):
        # a schema-invalid document can trip the semantic checks; the schema errors already say why
        sem = []
        if isinstance(d.get("id"), str) and d["id"] != doc.path.stem:
            sem = [("id", f"id '{d['id']}' must equal the file name '{doc.path.stem}'")]
    for where, msg in sem:
        code = "JK003" if where == "id" else "JK005"
        line, col = locate(doc.node, split_path(where))
        text = msg if code == "JK003" else f"{where}: {msg}"
        problems.append(Problem(doc.display, line, col, code, text, HINTS[code]))
    coord_problems(doc, problems)
    cnv_problems(doc, problems)


def lint_profile(doc: LintDoc, problems: list) -> None:
    d = _schema_checked(doc, "profile", problems)
    if d is None:
        return
    if isinstance(d.get("id"), str) and d["id"] != doc.path.stem:
        line, col = locate(doc.node, ["id"])
        problems.append(Problem(doc.display, line, col, "JK003",
                                f"id '{d['id']}' must equal the file name '{doc.path.stem}'", HINTS["JK003"]))


def profile_refs(node):
    """(rule id, line, col) for every rule id a profile mentions (any_of lists, status/burden rules)."""
    import yaml

    out = []

    def walk(n, key=None):
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                walk(v, getattr(k, "value", None))
        elif isinstance(n, yaml.SequenceNode):
            for v in n.value:
                if key in ("any_of", "rules", "none_of", "assessed") and isinstance(v, yaml.ScalarNode):
                    out.append((v.value, v.start_mark.line + 1, v.start_mark.column + 1))
                else:
                    walk(v)

    walk(node)
    return out
