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

from dataclasses import dataclass
from pathlib import Path

from jakcli.authoring.checks import lint_profile, lint_rule, profile_refs
from jakcli.authoring.problems import HINTS, LintDoc, LintResult, Problem, load_doc, locate
from jakcli.ruleset.loader import bundled_rules_dir
from jakcli.ruleset.policy import IdRegistry

__all__ = ["LintResult", "Problem", "is_bundled_set", "lint", "manifest_name"]


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
    bundled = bundled_rules_dir()
    targets = _targets([Path(p) for p in (paths or [bundled])])
    run = _LintRun(bundled, targets)
    for t in targets:
        run.lint_target(t)
    run.check_profile_refs()
    run.problems += _lint_catalogues(bundled if not paths else None, [t.dir for t in targets])
    run.problems.sort(key=lambda p: (p.path, p.line, p.col, p.code))
    return LintResult(run.problems, run.files, run.rules, run.profiles)


def _lint_catalogues(bundled: Path | None, dirs: list[Path]) -> list[Problem]:
    """The curated catalogue (``catalogue/catalogue.tsv``) of the bundled set or of a linted
    directory: codes JC001-JC012 (:mod:`jakcli.ruleset.catalogue`)."""
    from jakcli.ruleset.catalogue import lint_catalogue

    found = {d / "catalogue" / "catalogue.tsv" for d in ([bundled] if bundled else []) + dirs}
    out: list[Problem] = []
    for path in sorted(p for p in found if p.is_file()):
        out += lint_catalogue(path)
    return out


class _LintRun:
    """Problems and counts of one lint, and the ids taken so far (bundled rules first)."""

    def __init__(self, bundled: Path, targets: list[_Target]):
        self.problems: list[Problem] = []
        self.files = self.rules = self.profiles = 0
        self.profile_docs: list[LintDoc] = []
        self.ids = IdRegistry()
        linted = {p.resolve() for t in targets for p in t.rules}
        if not any(t.manifest and is_bundled_set(t.dir) for t in targets):
            self._register_bundled(bundled, linted)

    def _register_bundled(self, bundled: Path, linted: set[Path]) -> None:
        import yaml

        for path in sorted(bundled.glob("*.yaml")):
            if path.name == "ruleset.yaml" or path.resolve() in linted:
                continue
            try:
                d = yaml.safe_load(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, yaml.YAMLError):
                continue
            if isinstance(d, dict) and isinstance(d.get("id"), str):
                aliases = [a for a in d.get("aliases") or [] if isinstance(a, str)]
                self.ids.register(d["id"], aliases, str(path), str(bundled.resolve()), False)

    def lint_target(self, t: _Target) -> None:
        if t.manifest:
            self._lint_manifest(t)
        for path in t.rules:
            self.files += 1
            self.rules += 1
            doc = load_doc(path, str(path), self.problems)
            if doc.ok:
                lint_rule(doc, self.problems)
                self._check_ids(doc, str(t.dir.resolve()))
        for path in t.profiles:
            self.files += 1
            self.profiles += 1
            doc = load_doc(path, str(path), self.problems)
            if doc.ok:
                lint_profile(doc, self.problems)
                self.profile_docs.append(doc)

    def _lint_manifest(self, t: _Target) -> None:
        mpath = t.dir / "ruleset.yaml"
        if not mpath.is_file():
            self.problems.append(Problem(t.display_dir, 1, 1, "JK010",
                                         "rule directory has no ruleset.yaml manifest (name, version)",
                                         "add ruleset.yaml with 'name: <lab>-rules' and 'version: \"YYYY.MM.N\"'"))
            return
        self.files += 1
        m = load_doc(mpath, str(mpath), self.problems)
        if not m.ok:
            return
        if not isinstance(m.data, dict):
            self.problems.append(Problem(m.display, 1, 1, "JK002", "ruleset.yaml must be a mapping",
                                         "write 'name: ...' and 'version: ...'"))
        elif m.data.get("version") in (None, ""):
            self.problems.append(Problem(m.display, *locate(m.node, []), "JK010", "ruleset.yaml has no version",
                                         "add 'version: \"YYYY.MM.N\"' (quoted, so it stays a string)"))

    def _check_ids(self, doc: LintDoc, ruleset: str) -> None:
        """JK004 under the shared id/alias/override policy."""
        d = doc.data
        if not isinstance(d, dict) or not isinstance(d.get("id"), str):
            return
        rid, overrides = d["id"], d.get("overrides") is True
        aliases = [a for a in d.get("aliases") or [] if isinstance(a, str)]
        if self.ids.overrides_nothing(rid, overrides):
            self.problems.append(Problem(doc.display, *locate(doc.node, [], "overrides"), "JK004",
                                         f"'overrides: true' but no earlier rule set defines '{rid}'",
                                         "remove 'overrides: true' (this is a new rule)"))
        for k, key, owner in self.ids.clashes(rid, aliases, overrides, ruleset):
            what = "rule id" if k == 0 else "alias"
            line, col = locate(doc.node, ["id"] if k == 0 else ["aliases", k - 1])
            self.problems.append(Problem(doc.display, line, col, "JK004",
                                         f"{what} '{key}' is already defined by {owner.where}", HINTS["JK004"]))
        self.ids.register(rid, aliases, doc.display, ruleset, overrides)

    def check_profile_refs(self) -> None:
        for doc in self.profile_docs:
            for rid, line, col in profile_refs(doc.node):
                if self.ids.resolve(rid) is None:
                    self.problems.append(Problem(doc.display, line, col, "JK009",
                                                 f"profile names rule '{rid}', which no rule defines", HINTS["JK009"]))
