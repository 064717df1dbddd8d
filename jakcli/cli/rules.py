"""``jakcli rules``: lint, test, list and show rules (rules as code), and print their target regions.

Exit codes: 0 clean; 1 ``rules test`` found a failing example; 2 bad usage (unknown rule id, bad
path); 3 invalid rules (``rules lint`` found problems, or the rules do not load).
Heavy modules are imported inside the commands: start-up time matters.
"""

from __future__ import annotations

import sys

import click

from jakcli.cli.options import output_option, rules_option
from jakcli.errors import EXIT_CHECK_FAILED, EXIT_RULES


@click.group(short_help="Lint, test, list, show and document rule files; print target regions.")
def rules():
    """Check, test and inspect rule files (bundled rules and lab --rules directories)."""


def _stack(paths):
    """(extra rule dirs, include bundled?, selected rule files or None) for PATH arguments.

    A directory that is the bundled rules dir or a copy of it (same ruleset.yaml name) replaces the
    bundled rules; any other directory is stacked on top of them, as ``classify --rules`` does.
    """
    from pathlib import Path

    from jakcli.authoring.lint import is_bundled_set

    dirs, files = [], []
    for p in map(Path, paths):
        d = p if p.is_dir() else (p.parent.parent if p.parent.name == "profiles" else p.parent)
        if d.resolve() not in [x.resolve() for x in dirs]:
            dirs.append(d)
        files += sorted(x for x in p.glob("*.yaml") if x.name != "ruleset.yaml") if p.is_dir() else [p]
    include_bundled = not any(is_bundled_set(d) for d in dirs)
    selected = {f.resolve() for f in files} if paths else None
    return dirs, include_bundled, selected


def _load(paths):
    from jakcli.errors import RuleError
    from jakcli.ruleset.loader import load_ruleset

    dirs, include_bundled, selected = _stack(paths)
    try:
        rs = load_ruleset(dirs, include_bundled=include_bundled)
    except RuleError as err:
        msg = str(err)
        if "rules lint" not in msg:
            cmd = " ".join(["jakcli rules lint", *map(str, paths)])
            msg += f"; run '{cmd}' to see every problem"
        raise RuleError(msg) from None
    return rs, selected


@rules.command("lint", short_help="Lint rule directories or files; report every problem.")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--format", "fmt", type=click.Choice(["text", "github", "json"]), default="text",
              show_default=True, help="text (path:line:col: CODE message + hint), github (annotations), json.")
def lint_cmd(paths, fmt):
    """Lint rule directories or files (default: the bundled rules); report every problem.

    Codes JK001-JK011: JK001 YAML syntax, JK002 schema, JK003 id != file name, JK004 duplicate
    id/alias, JK005 inconsistent rule, JK006 coordinate outside the gene, JK007 unknown gene, JK008
    missing examples, JK009 profile names an unknown rule, JK010 no version, JK011 repeated key.
    Exit 0 when clean, 3 when problems are found.
    """
    import json

    from jakcli.authoring.lint import lint

    result = lint(list(paths) or None)
    if fmt == "json":
        click.echo(json.dumps({"problems": [p.to_dict() for p in result.problems], "files": result.files,
                               "rules": result.rules, "profiles": result.profiles}, indent=2))
    else:
        for p in result.problems:
            click.echo(p.github() if fmt == "github" else p.text())
    n = len(result.problems)
    summary = (f"{n} problem{'s' if n != 1 else ''}" if n else "no problems") + \
        f" in {result.files} file{'s' if result.files != 1 else ''}" \
        f" ({result.rules} rules, {result.profiles} profiles)"
    click.echo(f"jakcli rules lint: {summary}", err=True)
    sys.exit(EXIT_RULES if n else 0)


@rules.command("test", short_help="Run every rule's examples through the classify engine.")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--junit", "junit", type=click.Path(dir_okay=False), default=None,
              help="Also write the results as JUnit XML to this path (written atomically).")
def test_cmd(paths, junit):
    """Run every rule's positive and negative examples through the classify engine.

    PATH is a rule directory or file (default: the bundled rules); other directories are stacked
    on the bundled rules as with 'classify --rules'. Exit 0 when all pass, 1 when any example
    fails, 3 when the rules are invalid. 'todo:' examples never fail.
    """
    from pathlib import Path

    from jakcli.authoring.selftest import STATUSES, junit_xml, run_examples
    from jakcli.writers.atomic import write_atomic

    rs, selected = _load(paths)
    ids = None if selected is None else {r.id for r in rs.rules.values() if Path(r.path).resolve() in selected}
    results = run_examples(rs, ids)
    for r in results:
        click.echo(r.line())
    counts = {s: sum(r.status == s for r in results) for s in STATUSES}
    for r in results:
        if r.status == "TODO-PASSES":
            click.echo(f"jakcli: warning: {r.rule_id} {r.name}: todo now passes ({r.where})", err=True)
    if junit:
        try:
            write_atomic(junit, junit_xml(results))
        except OSError as exc:
            from jakcli.errors import InputError

            raise InputError(f"{junit}: cannot write JUnit XML ({exc.strerror or exc})") from None
    n_rules = len(ids) if ids is not None else len(rs.rules)
    click.echo(f"{len(results)} examples from {n_rules} rules ({rs.version}): {counts['PASS']} passed, "
               f"{counts['FAIL']} failed, {counts['TODO']} todo, {counts['TODO-PASSES']} todo now passing")
    failed = counts["FAIL"]
    if not paths:  # the bundled catalogue: each entry is its own positive example, in both builds
        from jakcli.authoring.selftest import catalogue_selftest

        checked, bad = catalogue_selftest()
        for line in bad:
            click.echo(line)
        click.echo(f"{checked} catalogue entries x builds: {checked - len(bad)} passed, {len(bad)} failed")
        failed += len(bad)
    sys.exit(EXIT_CHECK_FAILED if failed else 0)


@rules.command("list")
@rules_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def list_cmd(rule_dirs, fmt):
    """List the loaded rules with the ruleset version and digest."""
    import json

    rs, _ = _load(list(rule_dirs))
    cols = ("id", "version", "gene", "input", "origin", "classification", "title")
    rows = [{"id": r.id, "version": r.version, "gene": r.gene, "input": r.input_class, "origin": r.origin,
             "classification": r.classification, "title": r.title, "aliases": list(r.aliases),
             "ruleset": r.ruleset, "path": r.path} for r in rs.rules.values()]
    if fmt == "json":
        from jakcli.ruleset.catalogue import load_catalogue

        cat = load_catalogue()
        counts = [{"gene": g, "source": s, "classification": c, "entries": n} for (g, s, c), n in cat.counts().items()]
        click.echo(json.dumps({"ruleset": rs.to_provenance(), "rules": rows,
                               "catalogue": {"version": cat.version, "digest": "sha256:" + cat.digest,
                                             "entries": len(cat.entries), "counts": counts,
                                             "class_basis": _bases(cat)}}, indent=2))
        return
    click.echo(f"# ruleset {rs.version} {rs.digest}")
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) if rows else len(c) for c in cols}
    click.echo("  ".join(c.ljust(widths[c]) for c in cols).rstrip())
    for r in rows:
        click.echo("  ".join(str(r[c]).ljust(widths[c]) for c in cols).rstrip())
    _echo_catalogue()


def _echo_catalogue() -> None:
    """The curated catalogue's entries per gene and source (an entry counts once per source)."""
    from jakcli.ruleset.catalogue import load_catalogue

    cat = load_catalogue()
    per: dict[str, dict[str, int]] = {}
    for (gene, source, _cls), n in cat.counts().items():
        per.setdefault(gene, {})
        per[gene][source] = per[gene].get(source, 0) + n
    click.echo(f"# catalogue {cat.version} sha256:{cat.digest}: {len(cat.entries)} entries; per gene and source:")
    for gene, by in sorted(per.items()):
        click.echo(f"#   {gene}: " + ", ".join(f"{s} {n}" for s, n in sorted(by.items())))
    click.echo("# class decided by: " + ", ".join(f"{b} {n}" for b, n in _bases(cat).items())
               + " (rules/catalogue/README.md)")


def _bases(cat) -> dict[str, int]:
    """Entries per class_basis: how many classes the VICC 2022 points decide, how many the sources."""
    from collections import Counter

    return dict(sorted(Counter(e.class_basis for e in cat.entries).items()))


@rules.command("show", short_help="Print one rule's YAML and the file it comes from.")
@click.argument("rule_id")
@rules_option
def show_cmd(rule_id, rule_dirs):
    """Print one rule's YAML (an alias is resolved to its rule) and the file it comes from."""
    from pathlib import Path

    from jakcli.errors import InputError

    rs, _ = _load(list(rule_dirs))
    rid = rs.resolve(rule_id)
    rule = rs.rules.get(rid)
    if rule is None:
        raise InputError(f"unknown rule '{rule_id}'; 'jakcli rules list' shows the {len(rs.rules)} loaded rules")
    click.echo(f"# {rule.path}" + (f" (alias '{rule_id}' of '{rid}')" if rid != rule_id else ""))
    try:
        text = Path(rule.path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{rule.path}: cannot read ({exc.strerror or exc})") from None
    click.echo(text, nl=not text.endswith("\n"))


@rules.command("docs")
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False),
              help="Directory for the generated pages (one per rule, plus index.md).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when the pages in DIR are stale.")
@rules_option
def docs_cmd(outdir, check, rule_dirs):
    """Generate Markdown reference pages from the rule files."""
    from pathlib import Path

    from jakcli.authoring.docs import render_all, stale_pages
    from jakcli.writers.atomic import write_atomic

    rs, _ = _load(list(rule_dirs))
    pages = render_all(rs)
    out = Path(outdir)
    stale = stale_pages(out, pages)
    if check:
        if stale:
            click.echo(f"jakcli: rule docs in {out} are stale: {', '.join(stale)}; "
                       f"run 'jakcli rules docs -o {out}'", err=True)
            sys.exit(EXIT_CHECK_FAILED)
        click.echo(f"{len(pages)} rule doc pages up to date in {out}")
        return
    out.mkdir(parents=True, exist_ok=True)
    for name in stale:
        target = out / name
        if name in pages:
            write_atomic(str(target), pages[name])
        else:
            target.unlink()
    click.echo(f"wrote {len(pages)} pages to {out} ({len(stale)} changed)")


@rules.command("targets", short_help="Print the loci the small-variant rules read, as BED.")
@click.option("--build", type=click.Choice(["GRCh37", "GRCh38"]), required=True, help="Genome build of the regions.")
@click.option("--padding", type=click.IntRange(min=0), default=0, show_default=True,
              help="Bases added on each side of every rule's span before merging.")
@click.option("--chr-prefix/--no-chr-prefix", default=None,
              help="Contig names chr9 or 9. Default: chr for GRCh38, none for GRCh37 (as the references name them).")
@rules_option
@output_option(" Name it *.bed: bcftools -R reads other names as 1-based.")
def targets_cmd(build, padding, chr_prefix, rule_dirs, output):
    """Print the loci the small-variant rules read, as BED (0-based, half-open, sorted, merged).

    The fourth column lists the rule ids of each region. Rearrangement rules add no regions: their
    partner may lie anywhere in the genome, and fusion/SV inputs are small and read whole.
    """
    from jakcli.engine.small_variants import SiteIndex
    from jakcli.model import Build
    from jakcli.reference.genome import CONTIG_LENGTHS
    from jakcli.writers.atomic import write_atomic

    rs, _ = _load(list(rule_dirs))
    b = Build(build)
    prefix = (b is Build.GRCH38) if chr_prefix is None else chr_prefix
    lengths = CONTIG_LENGTHS[b]
    lines = [f"# jakcli rules targets: build {b}, padding {padding}, ruleset {rs.version} {rs.digest}"]
    for contig, start, end, ids in SiteIndex(rs.rules.values(), b).targets(padding):
        name = ("chrM" if contig == "MT" else f"chr{contig}") if prefix else contig
        lines.append(f"{name}\t{start - 1}\t{min(end, lengths.get(contig, end))}\t{ids}")
    write_atomic(output, "\n".join(lines) + "\n")
