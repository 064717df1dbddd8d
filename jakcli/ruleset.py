"""Load, validate and compile rule and profile files (YAML, loaded safely; never executed).

A rule directory holds ``*.yaml`` rule files, ``profiles/*.yaml`` risk profiles and an optional
``ruleset.yaml`` manifest (``name``, ``version``). Several directories may be stacked: a later
directory may add rules, and may replace a rule of an earlier one only when the replacing rule
says ``overrides: true``.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from jakcli.errors import RuleError, reason
from jakcli.model import Build
from jakcli.genome import normalise_contig
from jakcli.protein import translate

BUNDLED_NAME = "bundled"


def bundled_rules_dir() -> Path:
    """The rules shipped with jakcli: inside the wheel, or the repo's ``rules/`` in a checkout."""
    pkg = Path(str(resources.files("jakcli")))
    for cand in (pkg / "_bundled_rules", pkg.parent / "rules"):
        if cand.is_dir():
            return cand
    raise RuleError("bundled rules not found next to the jakcli package; reinstall jakcli or pass --rules DIR")


def minimal_form(pos: int, ref: str, alt: str) -> tuple[int, str, str]:
    """Drop the bases REF and ALT share (prefix first, as VCF anchors, then suffix).

    An empty string means no bases: ``(pos, "", "TGT")`` inserts TGT before ``pos``.
    """
    while ref and alt and ref[0] == alt[0]:
        ref, alt, pos = ref[1:], alt[1:], pos + 1
    while ref and alt and ref[-1] == alt[-1]:
        ref, alt = ref[:-1], alt[:-1]
    return pos, ref, alt


# ----------------------------------------------------------------------------- compiled rules

@dataclass(frozen=True, slots=True)
class AlleleSite:
    contig: str
    min_pos: int
    min_ref: str
    min_alt: str
    text: str  # as written in the rule, for explanations


@dataclass(frozen=True, slots=True)
class AlleleMatcher:
    name: str
    hgvsc: str | None
    sites: dict  # Build -> tuple[AlleleSite, ...]


@dataclass(frozen=True, slots=True)
class CodonMatcher:
    residue: str
    ref_aa: str
    codon_no: int
    strand: str
    ref_codon: str
    alt_aa: frozenset | None  # None = any missense
    sites: dict  # Build -> tuple[(contig, (p1, p2, p3)), ...]


@dataclass(frozen=True, slots=True)
class RegionMatcher:
    name: str
    strand: str
    cds_start: int
    classes: frozenset
    named: tuple  # AlleleMatcher, ...
    name_inserted: frozenset
    intervals: dict  # Build -> tuple[(contig, start, end), ...]


@dataclass(frozen=True, slots=True)
class FusionSide:
    """One partner of a fusion rule: names for RNA calls, strand and windows for coordinates."""

    genes: tuple  # normalised symbols; "*" = any partner
    strand: str | None
    window: str | None  # the windows described in words
    windows: dict  # Build -> ((contig, start, end), ...), empty when the rule names no window

    @property
    def any_gene(self) -> bool:
        return "*" in self.genes

    def contains(self, build: Build, contig: str, pos: int) -> bool:
        return any(c == contig and s <= pos <= e for c, s, e in self.windows.get(build, ()))


@dataclass(frozen=True, slots=True)
class FusionMatcher:
    five_prime: FusionSide
    three_prime: FusionSide
    dna_orientation: str  # "transcript" | "any"
    min_supporting_reads: int
    exclude_confidence: frozenset


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    version: int
    aliases: tuple
    title: str
    gene: str
    input_class: str
    origin: str
    classification: str
    floor_vaf: float
    min_reads: int
    references: tuple
    therapies: tuple
    alleles: tuple
    codons: tuple
    regions: tuple
    fusion: FusionMatcher | None
    path: str
    ruleset: str
    doc: dict = field(compare=False, repr=False)

    @property
    def expected_proteins(self) -> set[str]:
        """Protein changes this rule names, for cross-checking annotations."""
        out = {a.name for a in self.alleles if a.name.startswith("p.")}
        return out


@dataclass(frozen=True, slots=True)
class Profile:
    id: str
    version: int
    doc: dict
    path: str


@dataclass(frozen=True)
class Ruleset:
    rules: dict  # id -> Rule, in id order
    profiles: dict  # id -> Profile
    sources: tuple  # ({"name", "version", "path"}, ...)
    version: str
    digest: str
    aliases: dict = field(default_factory=dict)  # id or alias -> id

    def resolve(self, rule_id: str) -> str:
        return self.aliases.get(rule_id, rule_id)

    def by_input(self, input_class: str) -> list[Rule]:
        return [r for r in self.rules.values() if r.input_class == input_class]

    def to_provenance(self) -> dict:
        return {"version": self.version, "digest": self.digest,
                "sources": [dict(s) for s in self.sources]}


# ----------------------------------------------------------------------------- loading

@lru_cache(maxsize=None)
def _validator(kind: str):
    import jsonschema  # imported lazily: start-up time matters in pipelines

    schema = json.loads(_schema_text(kind))
    return jsonschema.Draft202012Validator(schema)


@lru_cache(maxsize=None)
def _schema_text(kind: str) -> str:
    return resources.files("jakcli").joinpath(f"schemas/{kind}.schema.json").read_text()


def _cache_dir() -> Path | None:
    """Where schema-validation results are remembered (None: disabled with JAKCLI_NO_CACHE=1)."""
    if os.environ.get("JAKCLI_NO_CACHE"):
        return None
    base = os.environ.get("JAKCLI_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "jakcli")
    return Path(base) / "validated"


def _validated_marker(doc: dict, kind: str) -> Path | None:
    """A marker file whose name is the sha256 of (jakcli version, schema, document): it exists only
    if exactly this document passed exactly this schema before, so validation can be skipped (it
    and the jsonschema import cost ~85 ms per run, and pipelines call jakcli once per sample)."""
    from jakcli import __version__

    d = _cache_dir()
    if d is None:
        return None
    key = hashlib.sha256(__version__.encode() + b"\0" + _schema_text(kind).encode() + b"\0" + _canonical(doc))
    return d / key.hexdigest()


def validated_schema_errors(doc: dict, kind: str) -> list[tuple[str, str]]:
    """:func:`schema_errors`, skipped for a document that passed before (see :func:`_validated_marker`)."""
    marker = _validated_marker(doc, kind)
    if marker is not None and marker.exists():
        return []
    errs = schema_errors(doc, kind)
    if not errs and marker is not None:
        try:  # the cache is an optimisation: a read-only home must not stop a run
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
        except OSError:
            pass
    return errs


def schema_errors(doc, kind: str) -> list[tuple[str, str]]:
    """All schema violations as (json-path, message), sorted by path."""
    errs = []
    for e in _validator(kind).iter_errors(doc):
        path = "/".join(str(p) for p in e.absolute_path) or "(top level)"
        errs.append((path, e.message))
    return sorted(errs)


MAX_YAML_BYTES = 1 << 20  # a rule or profile is a few KB; bounds what any later step may see
MAX_YAML_VALUES = 50_000  # counted with aliases expanded: stops a billion-laughs document
MAX_YAML_DEPTH = 64


def yaml_shape_problem(doc) -> str | None:
    """Why a loaded document is not bounded, JSON-like data (str keys; str, int, finite float, bool,
    null, lists, mappings), or None. Iterative, so deep nesting and recursive aliases cannot crash it."""
    stack, seen = [(doc, 1, "(top level)")], 0
    while stack:
        obj, depth, where = stack.pop()
        seen += 1
        if seen > MAX_YAML_VALUES:
            return f"more than {MAX_YAML_VALUES} values once aliases are expanded (an alias bomb or a runaway file)"
        if depth > MAX_YAML_DEPTH:
            return f"{where}: nested deeper than {MAX_YAML_DEPTH} levels"
        if isinstance(obj, dict):
            for k, v in obj.items():
                if not isinstance(k, str):
                    return f"{where}: the key {str(k)[:40]!r} is not a string; quote it"
                stack.append((v, depth + 1, k))
        elif isinstance(obj, list):
            stack.extend((v, depth + 1, where) for v in obj)
        elif isinstance(obj, float) and not math.isfinite(obj):
            return f"{where}: {obj} is not a finite number"
        elif not (obj is None or isinstance(obj, (str, int, float, bool))):
            return (f"{where}: a YAML {type(obj).__name__} value has no JSON equivalent; "
                    "quote it as a string")
    return None


@lru_cache(maxsize=None)
def _strict_loader():
    """libyaml's safe loader when present (ten times faster than pure Python), refusing duplicate
    keys, as ``rules lint`` does: otherwise the last value would silently win."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class StrictLoader(base):
        def construct_mapping(self, node, deep=False):
            keys = [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
            dup = next((k for i, k in enumerate(keys) if k in keys[:i]), None)
            if dup is not None:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{dup[:40]}'",
                                                        node.start_mark)
            return super().construct_mapping(node, deep)

    return StrictLoader


def read_yaml(path: Path):
    """Load one rule/profile document; anything unbounded or not plain data is a :class:`RuleError`
    here, before validation, caching or digests see it."""
    import yaml

    try:
        if path.stat().st_size > MAX_YAML_BYTES:
            raise RuleError(f"{path}: larger than {MAX_YAML_BYTES >> 20} MiB; a rule file is a few KB")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"{path}: cannot read rule file ({reason(exc)})") from None
    try:
        doc = yaml.load(text, Loader=_strict_loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RuleError(f"{where}: YAML syntax error: {problem}") from None
    except (ValueError, OverflowError, RecursionError) as exc:  # e.g. an integer of 5,000 digits
        raise RuleError(f"{path}: unusable YAML value ({reason(exc)[:120]})") from None
    problem = yaml_shape_problem(doc)
    if problem:
        raise RuleError(f"{path}: {problem}")
    return doc


def _site_key(site: dict) -> AlleleSite:
    pos, ref, alt = minimal_form(site["pos"], site["ref"], site["alt"])
    return AlleleSite(normalise_contig(site["chrom"]), pos, ref, alt,
                      f"{site['chrom']}:{site['pos']}:{site['ref']}>{site['alt']}")


def _compile_allele(a: dict) -> AlleleMatcher:
    return AlleleMatcher(a["name"], a.get("hgvsc"),
                         {b: tuple(_site_key(s) for s in a[b.value]) for b in Build})


def _compile_side(side: dict) -> FusionSide:
    from jakcli.genes import normalise_gene

    windows = {}
    if "GRCh37" in side:
        windows = {b: tuple((normalise_contig(i["chrom"]), i["start"], i["end"]) for i in side[b.value])
                   for b in Build}
    genes = tuple("*" if g == "*" else normalise_gene(g) for g in side["genes"])
    return FusionSide(genes, side.get("strand"), side.get("window"), windows)


def compile_rule(doc: dict, path: str, ruleset: str) -> Rule:
    """Turn a schema-valid rule document into matchers (called once at load time)."""
    m = doc["match"]
    codons = []
    for c in m.get("codons", []):
        alt = c["alt_aa"]
        codons.append(CodonMatcher(
            c["residue"], c["residue"][0], int(c["residue"][1:]), c["strand"], c["ref_codon"],
            None if alt == "any-missense" else frozenset(alt),
            {b: tuple((normalise_contig(s["chrom"]), tuple(s["positions"])) for s in c[b.value])
             for b in Build}))
    regions = []
    for r in m.get("regions", []):
        regions.append(RegionMatcher(
            r["name"], r["strand"], r["cds_start"], frozenset(r["variant_classes"]),
            tuple(_compile_allele(a) for a in r.get("named_alleles", [])),
            frozenset(r.get("name_inserted_residues", [])),
            {b: tuple((normalise_contig(i["chrom"]), i["start"], i["end"]) for i in r[b.value])
             for b in Build}))
    fusion = None
    if "fusion" in m:
        f = m["fusion"]
        fusion = FusionMatcher(_compile_side(f["five_prime"]), _compile_side(f["three_prime"]),
                               f["dna_orientation"], f["min_supporting_reads"],
                               frozenset(c.lower() for c in f.get("exclude_confidence", [])))
    floor = doc["reporting_floor"]
    return Rule(
        id=doc["id"], version=doc["version"], aliases=tuple(doc.get("aliases", [])),
        title=doc["title"], gene=doc["gene"], input_class=doc["input"], origin=doc["origin"],
        classification=doc["classification"], floor_vaf=float(floor["vaf"]),
        min_reads=int(floor.get("min_reads", 0)), references=tuple(doc["references"]),
        therapies=tuple(doc.get("therapies", [])),
        alleles=tuple(_compile_allele(a) for a in m.get("alleles", [])),
        codons=tuple(codons), regions=tuple(regions), fusion=fusion, path=path, ruleset=ruleset,
        doc=doc)


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
    if m.get("alleles") or m.get("codons") or m.get("regions") or f:
        if not doc.get("coordinate_sources"):
            out.append(("coordinate_sources", "positional rules must cite where their coordinates come from"))
    return out


def _canonical(obj) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def load_ruleset(dirs: list[Path] | None = None, include_bundled: bool = True) -> Ruleset:
    """Load and validate rule directories; raise :class:`RuleError` naming file and field."""
    stack: list[tuple[str, Path]] = []
    if include_bundled:
        stack.append((BUNDLED_NAME, bundled_rules_dir()))
    for d in dirs or []:
        d = Path(d)
        if not d.is_dir():
            raise RuleError(f"{d}: --rules must name a directory of rule files")
        stack.append((d.name, d))

    rules: dict[str, Rule] = {}
    aliases: dict[str, str] = {}
    profiles: dict[str, Profile] = {}
    sources = []
    for name, d in stack:
        manifest = {}
        if (d / "ruleset.yaml").is_file():
            manifest = read_yaml(d / "ruleset.yaml") or {}
            if not isinstance(manifest, dict):
                raise RuleError(f"{d / 'ruleset.yaml'}: expected a mapping with name and version")
        sources.append({"name": str(manifest.get("name", name)),
                        "version": str(manifest.get("version", "unversioned")), "path": str(d)})
        for path in sorted(d.glob("*.yaml")):
            if path.name == "ruleset.yaml":
                continue
            doc = read_yaml(path)
            if not isinstance(doc, dict):
                raise RuleError(f"{path}: a rule file must be a YAML mapping")
            problems = validated_schema_errors(doc, "rule") or semantic_problems(doc, path.stem)
            if problems:
                where, msg = problems[0]
                more = f" (and {len(problems) - 1} more; run 'jakcli rules lint {d}')" if len(problems) > 1 else ""
                raise RuleError(f"{path}: {where}: {msg}{more}")
            rule = compile_rule(doc, str(path), sources[-1]["name"])
            for key in (rule.id, *rule.aliases):
                owner = aliases.get(key)
                if owner is not None and not (doc.get("overrides") and owner == rule.id):
                    raise RuleError(
                        f"{path}: rule id '{key}' is already defined by {rules[owner].path}; "
                        "rename the rule, or set 'overrides: true' to replace it deliberately")
            if rule.id in rules:  # deliberate override: drop the old rule's aliases
                for a in rules[rule.id].aliases:
                    aliases.pop(a, None)
            elif doc.get("overrides"):
                raise RuleError(f"{path}: 'overrides: true' but no earlier rule set defines '{rule.id}'")
            rules[rule.id] = rule
            for key in (rule.id, *rule.aliases):
                aliases[key] = rule.id
        pdir = d / "profiles"
        for path in sorted(pdir.glob("*.yaml")) if pdir.is_dir() else []:
            doc = read_yaml(path)
            if not isinstance(doc, dict):
                raise RuleError(f"{path}: a profile file must be a YAML mapping")
            problems = validated_schema_errors(doc, "profile")
            if not problems and doc["id"] != path.stem:
                problems = [("id", f"id '{doc['id']}' must equal the file name '{path.stem}'")]
            if problems:
                where, msg = problems[0]
                raise RuleError(f"{path}: {where}: {msg}")
            profiles[doc["id"]] = Profile(doc["id"], doc["version"], doc, str(path))

    for p in profiles.values():
        for rid in sorted(profile_rule_ids(p.doc)):
            if rid not in aliases:
                raise RuleError(f"{p.path}: profile names rule '{rid}', which no loaded rule set defines")

    ordered = {k: rules[k] for k in sorted(rules)}
    payload = {"rules": {k: r.doc for k, r in ordered.items()},
               "profiles": {k: profiles[k].doc for k in sorted(profiles)}}
    digest = "sha256:" + hashlib.sha256(_canonical(payload)).hexdigest()
    version = "+".join(f"{s['name']}@{s['version']}" for s in sources)
    return Ruleset(ordered, {k: profiles[k] for k in sorted(profiles)}, tuple(sources), version, digest,
                   dict(aliases))


def profile_rule_ids(doc: dict) -> set[str]:
    """Every rule id a profile mentions (tiers, status, burden)."""
    out: set[str] = set()

    def walk(cond):
        out.update(cond.get("any_of", []))
        for c in cond.get("all_of", []):
            walk(c)

    for t in doc.get("tiers", []):
        walk(t.get("when", {}))
    for key in ("status", "burden"):
        out.update(doc.get(key, {}).get("rules", []))
    return out
