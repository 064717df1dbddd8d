"""Command-line interface: parses options, calls the library, prints. No logic lives here.

Exit codes: 0 success (with or without findings); 1 only for ``--fail-on``; 2 bad usage or bad
input; 3 invalid rules; 70 an internal error (a bug). Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import os
import sys

import click

from jakcli import __version__
from jakcli.errors import EXIT_FAIL_ON, EXIT_INPUT, EXIT_INTERNAL, JakcliError
from jakcli.writers import RENDERERS

LEVEL_ORDER = {"high": 3, "intermediate": 2, "informational": 1, "none-detected": 0, "not-assessable": -1}


def _one_line(text: str) -> str:
    """Escape control and line-separator characters (\\x0b, \\u2028...) echoed from input values, so
    an error stays one line."""
    return "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape").decode() for c in text)


def _fail(err: JakcliError) -> None:
    click.echo(f"jakcli: error: {_one_line(str(err))}", err=True)
    sys.exit(err.exit_code)


class _Group(click.Group):
    """Turn library errors and usage errors into one-line messages with documented exit codes."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except JakcliError as err:
            _fail(err)
        except KeyboardInterrupt:
            click.echo("jakcli: interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(0)
        except MemoryError:
            click.echo("jakcli: error: out of memory", err=True)
            sys.exit(EXIT_INPUT)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # a bug: still one line, never a traceback (JAKCLI_DEBUG=1 shows it)
            if os.environ.get("JAKCLI_DEBUG"):
                raise
            click.echo(f"jakcli: internal error: {type(exc).__name__}: {exc} (this is a bug in jakcli; "
                       "rerun with JAKCLI_DEBUG=1 and report the traceback)", err=True)
            sys.exit(EXIT_INTERNAL)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="jakcli", message="%(prog)s %(version)s")
def cli():
    """Classify JAK-STAT pathway alterations in VCF/BCF input and stratify risk per sample."""


@cli.command()
@click.argument("vcf", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--build", type=click.Choice(["auto", "GRCh37", "GRCh38"]), default="auto", show_default=True,
              help="Genome build of the input; auto reads ##contig lengths and ##reference/##assembly.")
@click.option("--sample", "samples", multiple=True, metavar="NAME",
              help="Report only this sample (repeatable). Default: every sample.")
@click.option("--profile", default="b-all", show_default=True,
              help="Risk profile (a file in rules/profiles/): b-all or mpn.")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False, exists=True),
              help="Extra rule directory added to the bundled rules (repeatable).")
@click.option("--format", "fmt", type=click.Choice([*RENDERERS, "vcf"]), default="tsv", show_default=True,
              help="Report format: tsv (one row per finding), json (schema_version 1), md, html (one "
                   "self-contained page), or vcf (the input VCF annotated with JAKCLI_* tags; one input only).")
@click.option("-o", "--output", default="-", show_default=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="Output path, written atomically; - is stdout.")
@click.option("--min-vaf", type=click.FloatRange(0, 1), default=None,
              help="Override every rule's reporting floor (VAF, 0-1).")
@click.option("--include-filtered", is_flag=True,
              help="Also evaluate records whose FILTER is not PASS or '.'.")
@click.option("--fail-on", type=click.Choice(["high", "intermediate"]), default=None,
              help="Exit 1 when any sample's risk level is at or above this level.")
@click.option("--strict", is_flag=True, help="Data-quality warnings become errors (exit 2).")
@click.option("--fusions", "fusion_specs", multiple=True, metavar="[SAMPLE=]PATH",
              help="RNA fusion table (Arriba, STAR-Fusion, FusionCatcher or generic TSV; repeatable).")
@click.option("--sv", "sv_specs", multiple=True, metavar="[SAMPLE=]PATH",
              help="DNA structural-variant VCF (Manta, DELLY, GRIDSS, SvABA...; repeatable).")
@click.option("--rename", "renames", multiple=True, metavar="COLUMN=NAME",
              help="Report the VCF sample column COLUMN as NAME (repeatable), e.g. TUMOR=PT-0042 for "
                   "callers that name columns TUMOR/NORMAL.")
@click.option("--min-fusion-reads", type=click.IntRange(0), default=None,
              help="Replace every fusion rule's evidence floor (supporting reads); also admits calls "
                   "of excluded confidence (Arriba 'low').")
@click.option("--only-hits", is_flag=True, help="With --format vcf: keep only records with a rule-matched allele.")
def classify(vcf, build, samples, profile, rule_dirs, fmt, output, min_vaf, include_filtered, fail_on, strict,
             fusion_specs, sv_specs, renames, min_fusion_reads, only_hits):
    """Classify VCF/BCF files (plain, bgzip, BCF; - for stdin) into a per-sample report."""
    from jakcli.classify import Options, classify as run
    from jakcli.writers import write_atomic

    if not vcf and not fusion_specs and not sv_specs:
        raise click.UsageError("give at least one VCF/BCF path (or - for stdin), --fusions or --sv")
    pairs = []
    for text in renames:
        column, sep, name = text.partition("=")
        if not sep or not column or not name:
            raise click.UsageError(f"--rename '{text}': expected COLUMN=NAME")
        pairs.append((column, name))
    opts = Options(build=build, samples=tuple(samples), profile=profile, min_vaf=min_vaf,
                   include_filtered=include_filtered, strict=strict, min_fusion_reads=min_fusion_reads,
                   rename=tuple(pairs))
    if fmt == "vcf":
        import shlex

        from jakcli.vcf_writer import classify_to_vcf

        if fusion_specs or sv_specs or renames:
            raise click.UsageError("--format vcf annotates one small-variant VCF as it is; --fusions, --sv "
                                   "and --rename cannot be used with it")
        report = classify_to_vcf(list(vcf), output, shlex.join(["jakcli", *sys.argv[1:]]), opts,
                                 rule_dirs=list(rule_dirs), only_hits=only_hits)
    else:
        if only_hits:
            raise click.UsageError("--only-hits applies only to --format vcf")
        report = run(list(vcf), opts, rule_dirs=list(rule_dirs), fusions=list(fusion_specs), svs=list(sv_specs),
                     notify=lambda msg: click.echo(f"jakcli: notice: {msg}", err=True))
        write_atomic(output, RENDERERS[fmt](report))
    for w in report["warnings"][:5]:
        click.echo(f"jakcli: warning: {w}", err=True)
    if len(report["warnings"]) > 5:
        click.echo(f"jakcli: {len(report['warnings']) - 5} more warnings in the report", err=True)
    if fail_on:
        threshold = LEVEL_ORDER[fail_on]
        if any(LEVEL_ORDER[s["risk"]["level"]] >= threshold for s in report["samples"]):
            sys.exit(EXIT_FAIL_ON)


from jakcli.cli_rules import rules as _rules_group  # noqa: E402  (registered after cli exists)

cli.add_command(_rules_group)
from jakcli.cli_batch import batch as _batch_command  # noqa: E402
cli.add_command(_batch_command)


def main():
    try:
        cli(prog_name="jakcli")
    except JakcliError as err:
        _fail(err)


if __name__ == "__main__":
    main()
