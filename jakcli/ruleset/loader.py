"""Load, validate and compile rule and profile files (YAML, loaded safely; never executed).

A rule directory holds ``*.yaml`` rule files, ``profiles/*.yaml`` risk profiles and an optional
``ruleset.yaml`` manifest (``name``, ``version``). Several directories may be stacked (see
:mod:`jakcli.ruleset.policy` for who owns an id).
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

from jakcli.errors import RuleError, reason
from jakcli.ruleset import compiled_cache
from jakcli.ruleset.compile import compile_rule
from jakcli.ruleset.compiled import Profile, Rule, Ruleset
from jakcli.ruleset.policy import IdRegistry
from jakcli.ruleset.profiles import compile_profile, profile_rule_ids
from jakcli.ruleset.schema import cached_document, canonical, remember_document, validated_schema_errors
from jakcli.ruleset.semantics import semantic_problems
from jakcli.ruleset.yamlsafe import MAX_YAML_BYTES, strict_loader, yaml_shape_problem

BUNDLED_NAME = "bundled"


def bundled_rules_dir() -> Path:
    """The rules shipped with jakcli: inside the wheel, or the repo's ``rules/`` in a checkout."""
    pkg = Path(str(resources.files("jakcli")))
    for cand in (pkg / "_bundled_rules", pkg.parent / "rules"):
        if cand.is_dir():
            return cand
    raise RuleError("bundled rules not found next to the jakcli package; reinstall jakcli or pass --rules DIR")


def read_yaml(path: Path):
    """Load one rule/profile document; anything unbounded or not plain data is a :class:`RuleError`
    here, before validation, caching or digests see it."""
    try:
        if path.stat().st_size > MAX_YAML_BYTES:
            raise RuleError(f"{path}: larger than {MAX_YAML_BYTES >> 20} MiB; a rule file is a few KB")
        raw = path.read_bytes()
        cached = cached_document(raw)
        if cached is not None:
            return cached
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"{path}: cannot read rule file ({reason(exc)})") from None
    import yaml  # only when a document is not in the parsed cache: the import costs ~13 ms

    try:
        doc = yaml.load(text, Loader=strict_loader())
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
    remember_document(raw, doc)
    return doc


def load_ruleset(dirs: list[Path] | None = None, include_bundled: bool = True) -> Ruleset:
    """Load and validate rule directories; raise :class:`RuleError` naming file and field."""
    stack: list[tuple[str, Path]] = []
    if include_bundled:
        stack.append((BUNDLED_NAME, bundled_rules_dir()))
    for d in map(Path, dirs or []):
        if not d.is_dir():
            raise RuleError(f"{d}: --rules must name a directory of rule files")
        stack.append((d.name, d))
    key = compiled_cache.cache_key(stack)
    cached = compiled_cache.load(key)
    if cached is not None:
        return cached
    loaded = _Loading()
    for name, d in stack:
        loaded.add_dir(name, d)
    ruleset = loaded.finish()
    if key is not None and compiled_cache.cache_key(stack) == key:  # unchanged while loading
        compiled_cache.store(key, ruleset)
    return ruleset


class _Loading:
    """Rules, profiles and sources collected from the stacked directories so far."""

    def __init__(self) -> None:
        self.rules: dict[str, Rule] = {}
        self.ids = IdRegistry()
        self.profiles: dict[str, Profile] = {}
        self.sources: list[dict] = []

    def add_dir(self, name: str, d: Path) -> None:
        manifest: dict = {}
        if (d / "ruleset.yaml").is_file():
            manifest = read_yaml(d / "ruleset.yaml") or {}
            if not isinstance(manifest, dict):
                raise RuleError(f"{d / 'ruleset.yaml'}: expected a mapping with name and version")
        self.sources.append({"name": str(manifest.get("name", name)),
                             "version": str(manifest.get("version", "unversioned")), "path": str(d)})
        for path in sorted(d.glob("*.yaml")):
            if path.name != "ruleset.yaml":
                self.add_rule(path, d)
        pdir = d / "profiles"
        for path in sorted(pdir.glob("*.yaml")) if pdir.is_dir() else []:
            self.add_profile(path)

    def add_rule(self, path: Path, d: Path) -> None:
        doc = read_yaml(path)
        if not isinstance(doc, dict):
            raise RuleError(f"{path}: a rule file must be a YAML mapping")
        problems = validated_schema_errors(doc, "rule") or semantic_problems(doc, path.stem)
        if problems:
            where, msg = problems[0]
            more = f" (and {len(problems) - 1} more; run 'jakcli rules lint {d}')" if len(problems) > 1 else ""
            raise RuleError(f"{path}: {where}: {msg}{more}")
        rule = compile_rule(doc, str(path), self.sources[-1]["name"])
        overrides = bool(doc.get("overrides"))
        here = str(d.resolve())
        for _k, key, owner in self.ids.clashes(rule.id, list(rule.aliases), overrides, here):
            raise RuleError(f"{path}: rule id '{key}' is already defined by {owner.where}; "
                            "rename the rule, or set 'overrides: true' to replace it deliberately")
        if self.ids.overrides_nothing(rule.id, overrides):
            raise RuleError(f"{path}: 'overrides: true' but no earlier rule set defines '{rule.id}'")
        self.ids.register(rule.id, list(rule.aliases), str(path), here, overrides)
        self.rules[rule.id] = rule

    def add_profile(self, path: Path) -> None:
        doc = read_yaml(path)
        if not isinstance(doc, dict):
            raise RuleError(f"{path}: a profile file must be a YAML mapping")
        problems = validated_schema_errors(doc, "profile")
        if not problems and doc["id"] != path.stem:
            problems = [("id", f"id '{doc['id']}' must equal the file name '{path.stem}'")]
        if problems:
            where, msg = problems[0]
            raise RuleError(f"{path}: {where}: {msg}")
        self.profiles[doc["id"]] = Profile(doc["id"], doc["version"], doc, str(path))

    def finish(self) -> Ruleset:
        for p in self.profiles.values():
            for rid in sorted(profile_rule_ids(p.doc)):
                if self.ids.resolve(rid) is None:
                    raise RuleError(f"{p.path}: profile names rule '{rid}', which no loaded rule set defines")
        for r in self.rules.values():
            target = self.rules.get(self.ids.resolve(r.lesion) or "") if r.lesion else None
            if r.lesion and (target is None or target.fusion is None):
                raise RuleError(f"{r.path}: lesion '{r.lesion}' names no loaded rearrangement rule")
        ordered = {k: self.rules[k] for k in sorted(self.rules)}
        resolve = self.ids.resolve
        profiles = {k: compile_profile(p.doc, p.path, lambda rid: resolve(rid) or rid)
                    for k, p in sorted(self.profiles.items())}
        payload = {"rules": {k: r.doc for k, r in ordered.items()},
                   "profiles": {k: p.doc for k, p in profiles.items()}}
        digest = "sha256:" + hashlib.sha256(canonical(payload)).hexdigest()
        version = "+".join(f"{s['name']}@{s['version']}" for s in self.sources)
        aliases = {key: o.rule_id for key, o in self.ids.owners.items()}
        return Ruleset(ordered, profiles, tuple(self.sources), version, digest, aliases)
