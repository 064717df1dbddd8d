"""``jakcli diff OLD NEW``: what changed between two reports or two batch folders (logic in :mod:`jakcli.diff`).

Exit codes: 0 (also when samples changed), 1 with ``--fail-on-change`` when any sample changed or
is present on one side only, 2 bad input.
"""

from __future__ import annotations

import sys

import click

from jakcli.cli.options import output_option

DIFF_EXAMPLES = """\b
Examples:
  jakcli diff old.json new.json                          # two classify --format json reports
  jakcli diff results_2026_11/ results_2026_12/ --format tsv -o changes.tsv
  jakcli diff old.json new.json --fail-on-change         # exit 1 when anything changed

\b
Exit codes: 0 compared (also when something changed); 1 --fail-on-change and something
changed; 2 bad usage or an input that is not a jakcli report or batch folder.
"""


@click.command("diff", epilog=DIFF_EXAMPLES, short_help="Compare two reports or batch folders, per sample.")
@click.argument("old", type=click.Path(exists=True))
@click.argument("new", type=click.Path(exists=True))
@click.option("--format", "fmt", type=click.Choice(["text", "tsv", "json"]), default="text", show_default=True,
              help="text for people, tsv (one row per change, as batch --reanalyse's changes.tsv), json.")
@output_option()
@click.option("--fail-on-change", is_flag=True,
              help="Exit 1 when a sample's level, worst case or findings changed, or a sample is on one side only.")
def diff(old, new, fmt, output, fail_on_change):
    """Compare OLD and NEW: two JSON reports (classify --format json) or two batch OUTDIRs.

    Per sample: level and worst-case changes, findings gained, lost or reclassified (rule, rule
    version, class, tier), samples on one side only, and the ruleset/catalogue of each side.
    """
    from jakcli.diff import diff_paths
    from jakcli.writers.atomic import write_atomic
    from jakcli.writers.changes import RENDERERS

    result = diff_paths(old, new)
    write_atomic(output, RENDERERS[fmt](result))
    if fail_on_change and result["any_change"]:
        from jakcli.errors import EXIT_FAIL_ON

        sys.exit(EXIT_FAIL_ON)
