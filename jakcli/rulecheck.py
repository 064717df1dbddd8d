"""Lint rule directories and files: report every problem with file, line, column, code and a hint.

Nothing is compiled or executed; files are composed with PyYAML's SafeLoader so that each JSON
path into a rule document can be mapped back to the line and column it was written on.

Problem codes (stable; tools may filter on them):

========  ==========================================================================================
JK001     YAML syntax error, unreadable file, or a file that is not UTF-8.
JK002     Schema violation (unknown key, closed vocabulary, wrong type, bad pattern, not a mapping).
JK003     The rule's (or profile's) ``id`` differs from its file name.
JK004     Duplicate rule id or alias across the linted directories (bundled rules come first, then
          the given paths in order). ``overrides: true`` makes a deliberate replacement legal;
          ``overrides: true`` with nothing to replace is also JK004.
JK005     A rule inconsistent with itself: codon positions out of coding order, ref_codon not
          encoding the residue, an interval's start after its end, a positional or fusion rule
          without ``coordinate_sources``, a fusion partner '*' mixed with names or without a strand
          under ``dna_orientation: transcript``, or ``reporting_floor.min_reads`` differing from
          the fusion's ``min_supporting_reads``.
JK006     A coordinate outside the rule gene's transcript span (or on another chromosome) in that
          build -- usually a GRCh37 coordinate filed under GRCh38 or the reverse. A fusion
          breakpoint window may reach beyond the gene (upstream regions) but must touch it.
JK007     The rule's gene symbol has no span in :data:`GENE_SPANS`, so JK006 cannot check it.
JK008     A rule without at least one positive and one negative example.
JK009     A profile names a rule (or alias) that no linted or bundled rule defines.
JK010     No version: a rule without ``version``, or a rule directory whose ``ruleset.yaml`` manifest
          is missing or has no ``version``.
JK011     A key repeated within one YAML mapping (the later value would silently win).
========  ==========================================================================================
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from jakcli.genes import GENE_SPANS  # the span table is shared with the rearrangement engine

BUILDS = ("GRCh37", "GRCh38")

HINTS = {
    "JK001": "fix the YAML syntax near this point (indentation, a missing ':' or an unclosed quote/bracket)",
    "JK002": "see jakcli/schemas/rule.schema.json for the allowed keys and values",
    "JK003": "rename the file to '<id>.yaml' or change the id (ids equal file stems and are never reused)",
    "JK004": "rename the rule, or set 'overrides: true' to replace the earlier rule deliberately",
    "JK005": "make the rule consistent with itself; codons and regions: re-derive them from the transcript "
             "(shared/reference/gene-models.md) and cite it",
    "JK006": "check the build: GRCh37 and GRCh38 coordinates differ for most genes",
    "JK007": "use a known gene symbol (" + ", ".join(sorted(GENE_SPANS)) + ") or add its span to "
             "GENE_SPANS in jakcli/rulecheck.py",
    "JK008": "add at least one positive and one negative example under 'examples:'",
    "JK009": "correct the rule id in the profile, or add the rule it names",
    "JK010": "add 'version: 1' (an integer, bumped whenever the rule's meaning changes)",
    "JK011": "remove the repeated key; only the last value would be used",
}


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int
    col: int
    code: str
    message: str
    hint: str

    def to_dict(self) -> dict:
        return asdict(self)

    def text(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}\n    hint: {self.hint}"

    def github(self) -> str:
        msg = f"{self.code} {self.message}".replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::error file={self.path},line={self.line},col={self.col}::{msg}%0Ahint: {self.hint}"


@dataclass
class LintResult:
    problems: list
    files: int
    rules: int
    profiles: int


# ----------------------------------------------------------------------------- YAML with positions

@dataclass
class _Doc:
    path: Path
    display: str
    data: object = None
    node: object = None
    ok: bool = False  # parsed


def _load(path: Path, display: str, problems: list) -> _Doc:
    import yaml

    from jakcli.ruleset import MAX_YAML_BYTES, yaml_shape_problem

    doc = _Doc(path, display)
    try:
        if path.stat().st_size > MAX_YAML_BYTES:
            raise OSError(f"larger than {MAX_YAML_BYTES >> 20} MiB; a rule file is a few KB")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(display, 1, 1, "JK001", f"cannot read file ({exc})", HINTS["JK001"]))
        return doc
    try:
        doc.node = yaml.compose(text, Loader=yaml.SafeLoader)
        doc.data = yaml.safe_load(text)
        shape = yaml_shape_problem(doc.data)  # before anything walks the (alias-shared) tree
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        ctx = getattr(exc, "context", None)
        msg = f"YAML syntax error: {problem}" + (f" ({ctx})" if ctx else "")
        problems.append(Problem(display, line, col, "JK001", msg, HINTS["JK001"]))
        return doc
    except (ValueError, OverflowError, RecursionError) as exc:  # a 5,000-digit integer, 5,000-deep nesting
        shape = f"unusable YAML value ({(str(exc).splitlines() or [type(exc).__name__])[0][:120]})"
    if shape:
        problems.append(Problem(display, 1, 1, "JK001", shape, HINTS["JK001"]))
        return doc
    doc.ok = True
    _duplicate_keys(doc, doc.node, problems)
    return doc


def _duplicate_keys(doc: _Doc, node, problems: list) -> None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        seen = {}
        for k, v in node.value:
            key = getattr(k, "value", None)
            if isinstance(key, str) and key in seen:
                problems.append(Problem(doc.display, k.start_mark.line + 1, k.start_mark.column + 1, "JK011",
                                        f"key '{key}' repeats the one on line {seen[key]}", HINTS["JK011"]))
            elif isinstance(key, str):
                seen[key] = k.start_mark.line + 1
            _duplicate_keys(doc, v, problems)
    elif isinstance(node, yaml.SequenceNode):
        for v in node.value:
            _duplicate_keys(doc, v, problems)


def _locate(node, parts, key: str | None = None) -> tuple[int, int]:
    """Line and column (1-based) of the node at JSON path ``parts``; of mapping key ``key`` if given.

    Stops at the deepest node that exists, so a missing field points at its parent mapping.
    """
    import yaml

    if node is None:
        return 1, 1
    cur = node
    for part in parts:
        nxt = None
        if isinstance(cur, yaml.MappingNode):
            for k, v in cur.value:
                if getattr(k, "value", None) == str(part):
                    nxt = v
        elif isinstance(cur, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(cur.value):
            nxt = cur.value[part]
        if nxt is None:
            break
        cur = nxt
    if key is not None and isinstance(cur, yaml.MappingNode):
        for k, _ in cur.value:
            if getattr(k, "value", None) == key:
                cur = k
                break
    return cur.start_mark.line + 1, cur.start_mark.column + 1


def _split(path: str) -> list:
    if path in ("", "(top level)"):
        return []
    return [int(p) if p.isdigit() else p for p in path.split("/")]


# ----------------------------------------------------------------------------- schema errors

def _short(value, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _schema_problems(doc: _Doc, kind: str, problems: list) -> None:
    from jakcli.ruleset import _validator

    for e in sorted(_validator(kind).iter_errors(doc.data), key=lambda e: [str(p) for p in e.absolute_path]):
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
                line, col = _locate(doc.node, parts, str(k))
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
        line, col = _locate(doc.node, parts, key)
        problems.append(Problem(doc.display, line, col, code, msg, hint))


# ----------------------------------------------------------------------------- gene spans

def _coord_problems(doc: _Doc, problems: list) -> None:
    """JK006/JK007: every coordinate must lie in the rule gene's span (fusion loci: the locus gene)."""
    d = doc.data
    gene = d.get("gene")
    m = d.get("match") if isinstance(d.get("match"), dict) else {}
    positional = any(m.get(k) for k in ("alleles", "codons", "regions"))
    if isinstance(gene, str) and gene not in GENE_SPANS and (positional or "fusion" in m):
        line, col = _locate(doc.node, ["gene"])
        problems.append(Problem(doc.display, line, col, "JK007",
                                f"gene '{gene}' has no known span; its coordinates cannot be checked",
                                HINTS["JK007"]))

    def check(g, build, chrom, start, end, parts):
        spans = GENE_SPANS.get(g, {}).get(build)
        if not spans or not isinstance(chrom, str) or not isinstance(start, int) or not isinstance(end, int):
            return
        from jakcli.genome import normalise_contig

        c = normalise_contig(chrom)
        if any(c == sc and s <= start and end <= e for sc, s, e in spans):
            return
        where = " or ".join(f"{sc}:{s}-{e}" for sc, s, e in spans)
        got = f"{chrom}:{start}" + (f"-{end}" if end != start else "")
        line, col = _locate(doc.node, parts)
        problems.append(Problem(doc.display, line, col, "JK006",
                                f"{'/'.join(map(str, parts))}: {got} is outside {g} in {build} ({where})",
                                HINTS["JK006"]))

    def sites(allele, base):
        if not isinstance(allele, dict):
            return
        for b in BUILDS:
            for j, s in enumerate(allele.get(b) or []):
                if isinstance(s, dict) and isinstance(s.get("pos"), int):
                    ref = s.get("ref") if isinstance(s.get("ref"), str) else "N"
                    check(gene, b, s.get("chrom"), s["pos"], s["pos"] + max(len(ref), 1) - 1, base + [b, j, "pos"])

    for i, a in enumerate(m.get("alleles") or []):
        sites(a, ["match", "alleles", i])
    for i, c in enumerate(m.get("codons") or []):
        if not isinstance(c, dict):
            continue
        for b in BUILDS:
            for j, s in enumerate(c.get(b) or []):
                p = s.get("positions") if isinstance(s, dict) else None
                if isinstance(p, list) and p and all(isinstance(x, int) for x in p):
                    check(gene, b, s.get("chrom"), min(p), max(p), ["match", "codons", i, b, j, "positions"])
    for i, r in enumerate(m.get("regions") or []):
        if not isinstance(r, dict):
            continue
        for b in BUILDS:
            for j, iv in enumerate(r.get(b) or []):
                if isinstance(iv, dict):
                    check(gene, b, iv.get("chrom"), iv.get("start"), iv.get("end"), ["match", "regions", i, b, j])
        for k, a in enumerate(r.get("named_alleles") or []):
            sites(a, ["match", "regions", i, "named_alleles", k])
    fusion = m.get("fusion") if isinstance(m.get("fusion"), dict) else {}
    for side in ("five_prime", "three_prime"):
        sd = fusion.get(side) if isinstance(fusion.get(side), dict) else {}
        genes = [g for g in sd.get("genes") or [] if isinstance(g, str) and g in GENE_SPANS]
        for b in BUILDS:
            for j, iv in enumerate(sd.get(b) or []):
                if not (genes and isinstance(iv, dict) and all(isinstance(iv.get(k), int) for k in ("start", "end"))):
                    continue  # partner loci without a span table (IGH, '*') are not checked
                from jakcli.genome import normalise_contig

                c = normalise_contig(str(iv.get("chrom")))
                spans = [sp for g in genes for sp in GENE_SPANS[g][b]]
                # a breakpoint window may reach beyond the gene (upstream regions), but must touch it
                if not any(c == sc and iv["start"] <= e and s0 <= iv["end"] for sc, s0, e in spans):
                    where = " or ".join(f"{sc}:{s0}-{e}" for sc, s0, e in spans)
                    line, col = _locate(doc.node, ["match", "fusion", side, b, j])
                    problems.append(Problem(doc.display, line, col, "JK006",
                                            f"match/fusion/{side}/{b}/{j}: {iv.get('chrom')}:{iv['start']}-"
                                            f"{iv['end']} does not touch {'/'.join(genes)} in {b} ({where})",
                                            HINTS["JK006"]))


# ----------------------------------------------------------------------------- rule and profile files

def _lint_rule(doc: _Doc, problems: list) -> None:
    from jakcli.ruleset import semantic_problems

    d = doc.data
    if not isinstance(d, dict):
        problems.append(Problem(doc.display, 1, 1, "JK002", "a rule file must be a YAML mapping",
                                "start the file with 'id: <file name>' and the other rule fields"))
        return
    _schema_problems(doc, "rule", problems)
    try:
        sem = semantic_problems(d, doc.path.stem)
    except (KeyError, TypeError, AttributeError, IndexError, ValueError):
        # a schema-invalid document can trip the semantic checks; the schema errors already say why
        sem = []
        if isinstance(d.get("id"), str) and d["id"] != doc.path.stem:
            sem = [("id", f"id '{d['id']}' must equal the file name '{doc.path.stem}'")]
    for where, msg in sem:
        code = "JK003" if where == "id" else "JK005"
        line, col = _locate(doc.node, _split(where))
        text = msg if code == "JK003" else f"{where}: {msg}"
        problems.append(Problem(doc.display, line, col, code, text, HINTS[code]))
    _coord_problems(doc, problems)


def _lint_profile(doc: _Doc, problems: list) -> None:
    d = doc.data
    if not isinstance(d, dict):
        problems.append(Problem(doc.display, 1, 1, "JK002", "a profile file must be a YAML mapping",
                                "start the file with 'id: <file name>' and the other profile fields"))
        return
    _schema_problems(doc, "profile", problems)
    if isinstance(d.get("id"), str) and d["id"] != doc.path.stem:
        line, col = _locate(doc.node, ["id"])
        problems.append(Problem(doc.display, line, col, "JK003",
                                f"id '{d['id']}' must equal the file name '{doc.path.stem}'", HINTS["JK003"]))


def _profile_refs(node):
    """(rule id, line, col) for every rule id a profile mentions (any_of lists, status/burden rules)."""
    import yaml

    out = []

    def walk(n, key=None):
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                walk(v, getattr(k, "value", None))
        elif isinstance(n, yaml.SequenceNode):
            for v in n.value:
                if key in ("any_of", "rules") and isinstance(v, yaml.ScalarNode):
                    out.append((v.value, v.start_mark.line + 1, v.start_mark.column + 1))
                else:
                    walk(v)

    walk(node)
    return out


# ----------------------------------------------------------------------------- driver

@dataclass
class _Target:
    dir: Path  # the rule directory this file belongs to
    display_dir: str
    rules: list  # Path
    profiles: list
    manifest: bool  # check ruleset.yaml for a version


def _targets(paths: list[Path]) -> list[_Target]:
    out: list[_Target] = []
    for p in paths:
        if p.is_dir():
            pdir = p / "profiles"
            out.append(_Target(p, str(p), sorted(x for x in p.glob("*.yaml") if x.name != "ruleset.yaml"),
                               sorted(pdir.glob("*.yaml")) if pdir.is_dir() else [], True))
        elif p.parent.name == "profiles":
            out.append(_Target(p.parent.parent, str(p.parent.parent), [], [p], False))
        elif p.name == "ruleset.yaml":
            out.append(_Target(p.parent, str(p.parent), [], [], True))
        else:
            out.append(_Target(p.parent, str(p.parent), [p], [], False))
    return out


def _display(p: Path) -> str:
    return str(p)


def manifest_name(d: Path) -> str | None:
    """The ``name`` in a directory's ruleset.yaml, or None."""
    import yaml

    try:
        m = yaml.safe_load((Path(d) / "ruleset.yaml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    return str(m["name"]) if isinstance(m, dict) and "name" in m else None


def is_bundled_set(d: Path) -> bool:
    """True for the bundled rules directory or a copy of it (same manifest name).

    A copy of the bundled rules (for example, one being edited) replaces the bundled rules instead
    of being stacked on top of them, where every rule would clash with its own original.
    """
    from jakcli.ruleset import bundled_rules_dir

    bundled = bundled_rules_dir()
    d = Path(d)
    if not d.is_dir():
        return False
    if d.resolve() == bundled.resolve():
        return True
    name = manifest_name(d)
    return name is not None and name == manifest_name(bundled)


def lint(paths: list | None = None) -> LintResult:
    """Lint rule directories/files (default: the bundled rules); return every problem found."""
    import yaml

    from jakcli.ruleset import bundled_rules_dir

    bundled = bundled_rules_dir()
    paths = [Path(p) for p in (paths or [bundled])]
    targets = _targets(paths)
    problems: list[Problem] = []
    linted = {p.resolve() for t in targets for p in t.rules}
    skip_bundled = any(t.manifest and is_bundled_set(t.dir) for t in targets)

    # registry of ids and aliases: key -> (rule id, display path, dir)
    registry: dict[str, tuple[str, str, Path]] = {}
    for path in [] if skip_bundled else sorted(bundled.glob("*.yaml")):
        if path.name == "ruleset.yaml" or path.resolve() in linted:
            continue
        try:
            d = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if isinstance(d, dict) and isinstance(d.get("id"), str):
            for key in [d["id"], *[a for a in d.get("aliases") or [] if isinstance(a, str)]]:
                registry.setdefault(key, (d["id"], str(path), bundled.resolve()))

    n_files = n_rules = n_profiles = 0
    profile_docs = []
    for t in targets:
        if t.manifest:
            mpath = t.dir / "ruleset.yaml"
            if not mpath.is_file():
                problems.append(Problem(t.display_dir, 1, 1, "JK010",
                                        "rule directory has no ruleset.yaml manifest (name, version)",
                                        "add ruleset.yaml with 'name: <lab>-rules' and 'version: \"YYYY.MM.N\"'"))
            else:
                n_files += 1
                m = _load(mpath, _display(mpath), problems)
                if m.ok:
                    if not isinstance(m.data, dict):
                        problems.append(Problem(m.display, 1, 1, "JK002", "ruleset.yaml must be a mapping",
                                                "write 'name: ...' and 'version: ...'"))
                    elif m.data.get("version") in (None, ""):
                        problems.append(Problem(m.display, *_locate(m.node, []), "JK010",
                                                "ruleset.yaml has no version",
                                                "add 'version: \"YYYY.MM.N\"' (quoted, so it stays a string)"))
        for path in t.rules:
            n_files += 1
            n_rules += 1
            doc = _load(path, _display(path), problems)
            if not doc.ok:
                continue
            _lint_rule(doc, problems)
            d = doc.data
            if not isinstance(d, dict) or not isinstance(d.get("id"), str):
                continue
            rid = d["id"]
            overrides = d.get("overrides") is True
            aliases = [a for a in d.get("aliases") or [] if isinstance(a, str)]
            if overrides and rid not in registry:
                problems.append(Problem(doc.display, *_locate(doc.node, [], "overrides"), "JK004",
                                        f"'overrides: true' but no earlier rule set defines '{rid}'",
                                        "remove 'overrides: true' (this is a new rule)"))
            for k, key in enumerate([rid, *aliases]):
                owner = registry.get(key)
                if owner is None or (overrides and owner[0] == rid and owner[2] != t.dir.resolve()):
                    continue
                what = "rule id" if k == 0 else "alias"
                line, col = _locate(doc.node, ["id"] if k == 0 else ["aliases", k - 1])
                problems.append(Problem(doc.display, line, col, "JK004",
                                        f"{what} '{key}' is already defined by {owner[1]}", HINTS["JK004"]))
            if rid in registry and overrides:  # deliberate override drops the old rule's aliases
                for key in [k for k, v in registry.items() if v[0] == rid]:
                    del registry[key]
            for key in [rid, *aliases]:
                registry.setdefault(key, (rid, doc.display, t.dir.resolve()))
        for path in t.profiles:
            n_files += 1
            n_profiles += 1
            doc = _load(path, _display(path), problems)
            if doc.ok:
                _lint_profile(doc, problems)
                profile_docs.append(doc)
    for doc in profile_docs:
        for rid, line, col in _profile_refs(doc.node):
            if rid not in registry:
                problems.append(Problem(doc.display, line, col, "JK009",
                                        f"profile names rule '{rid}', which no rule defines", HINTS["JK009"]))
    problems.sort(key=lambda p: (p.path, p.line, p.col, p.code))
    return LintResult(problems, n_files, n_rules, n_profiles)
