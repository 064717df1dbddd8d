"""``jakcli classify``: parse options, call :func:`jakcli.classify.classify`, write the report."""

from __future__ import annotations

import sys

import click

from jakcli.cli.options import (
    build_option,
    cnv_options,
    digest_option,
    evidence_options,
    gene_options,
    options_from,
    output_option,
    profile_option,
    quiet_option,
    rules_option,
)
from jakcli.errors import EXIT_FAIL_ON, one_line
from jakcli.model import Level
from jakcli.writers import FORMATS

WARNINGS_SHOWN = 5


EXAMPLES = """\b
Examples:
  jakcli classify tumour.vcf.gz                          # TSV on stdout
  jakcli classify cohort.bcf --profile mpn --format json -o report.json
  bcftools view -s PT1 cohort.vcf.gz | jakcli classify - --format md
  jakcli classify --fusions PT1=arriba.tsv --sv PT1=manta.vcf.gz --build GRCh38

\b
Exit codes: 0 success (with or without findings); 1 --fail-on level reached;
2 bad usage or input (or a warning under --strict); 3 invalid rules; 70 a bug.
"""


@click.command(epilog=EXAMPLES, short_help="Classify VCF/BCF, fusion and SV inputs into a per-sample report.")
@click.argument("vcf", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
@build_option("Genome build of the input; auto reads ##contig lengths and ##reference/##assembly.")
@click.option("--sample", "samples", multiple=True, metavar="NAME",
              help="Report only this sample (repeatable). Default: every sample.")
@profile_option
@rules_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="tsv", show_default=True,
              help="Report format: tsv (one row per finding), json (schema_version 1), md, html (one "
                   "self-contained page), or vcf (the input VCF annotated with JAKCLI_* tags; one input only). "
                   "Hand-off (docs/handoff.md): maf (cBioPortal mutations), cbioportal-sv (cBioPortal data_sv.txt), "
                   "xlsx (Excel; needs -o FILE), fhir (HL7 Genomics Reporting R4 Bundle), phenopacket (GA4GH v2).")
@output_option()
@evidence_options
@click.option("--fail-on", type=click.Choice([Level.HIGH.value, Level.INTERMEDIATE.value]), default=None,
              help="Exit 1 when any sample's risk level is at or above this level.")
@click.option("--strict", is_flag=True, help="Data-quality warnings become errors (exit 2).")
@click.option("--fusions", "fusion_specs", multiple=True, metavar="[SAMPLE=]PATH",
              help="RNA fusion table (Arriba, STAR-Fusion, FusionCatcher or generic TSV; repeatable).")
@click.option("--sv", "sv_specs", multiple=True, metavar="[SAMPLE=]PATH",
              help="DNA structural-variant VCF (Manta, DELLY, GRIDSS, SvABA...; repeatable).")
@click.option("--rename", "renames", multiple=True, metavar="COLUMN=NAME",
              help="Report the VCF sample column COLUMN as NAME (repeatable), e.g. TUMOR=PT-0042 for "
                   "callers that name columns TUMOR/NORMAL.")
@click.option("--only-hits", is_flag=True, help="With --format vcf: keep only records with a rule-matched allele.")
@click.option("--alignments", "alignment_specs", multiple=True, metavar="[SAMPLE=]PATH",
              help="Indexed BAM/CRAM of a sample (repeatable; sample from @RG SM when not given): depth at every "
                   "rule locus, and hotspot genotyping from the reads.")
@click.option("--coverage", "coverage_specs", multiple=True, metavar="[SAMPLE=]PATH",
              help="Callable-regions BED (3 columns) or mosdepth per-base/regions/quantized file of a sample "
                   "(repeatable; without SAMPLE= it applies to every sample).")
@gene_options
@quiet_option
@cnv_options
@digest_option
def classify(vcf, samples, rule_dirs, fmt, output, fail_on, fusion_specs, sv_specs, renames, only_hits, quiet,
             alignment_specs=(), coverage_specs=(), cnv_specs=(), **option_values):
    """Classify VCF/BCF files (plain, bgzip, BCF; - for stdin) into a per-sample report."""
    if not vcf and not fusion_specs and not sv_specs and not alignment_specs and not cnv_specs:
        raise click.UsageError("give at least one VCF/BCF path (or - for stdin), --fusions, --sv, --cnv or "
                               "--alignments")
    opts = options_from(option_values, samples=tuple(samples), rename=_renames(renames))
    if fmt == "vcf":
        if fusion_specs or sv_specs or renames or alignment_specs or coverage_specs or cnv_specs:
            raise click.UsageError("--format vcf annotates one small-variant VCF as it is; --fusions, --sv, --cnv, "
                                   "--rename, --alignments and --coverage cannot be used with it")
        report = _annotate(list(vcf), output, opts, list(rule_dirs), only_hits)
    else:
        if only_hits:
            raise click.UsageError("--only-hits applies only to --format vcf")
        report = _report(list(vcf), output, fmt, opts, list(rule_dirs), list(fusion_specs), list(sv_specs),
                         list(alignment_specs), list(coverage_specs), quiet, list(cnv_specs))
    if not quiet:
        _print_warnings(report["warnings"])
    if fail_on and report_fail_on([(s["sample"], s["risk"]["level"]) for s in report["samples"]], fail_on):
        sys.exit(EXIT_FAIL_ON)


def _renames(renames) -> tuple[tuple[str, str], ...]:
    pairs = []
    for text in renames:
        column, sep, name = text.partition("=")
        if not sep or not column or not name:
            raise click.UsageError(f"--rename '{text}': expected COLUMN=NAME")
        pairs.append((column, name))
    return tuple(pairs)


def _annotate(vcfs: list[str], output: str, opts, rule_dirs: list, only_hits: bool) -> dict:
    import shlex

    from jakcli.annotate import classify_to_vcf

    return classify_to_vcf(vcfs, output, shlex.join(["jakcli", *sys.argv[1:]]), opts, rule_dirs=rule_dirs,
                           only_hits=only_hits)


def report_fail_on(levels: list[tuple[str, str]], fail_on: str) -> bool:
    """Name on stderr the samples whose level is at or above ``fail_on``; True when there are any."""
    hit = [sample for sample, level in levels if Level.rank_of(level) >= Level(fail_on).rank]
    if hit:
        shown = ", ".join(hit[:20]) + (f" and {len(hit) - 20} more" if len(hit) > 20 else "")
        click.echo(f"jakcli: --fail-on {fail_on}: {len(hit)} sample{'s' if len(hit) != 1 else ''} at or above "
                   f"{fail_on}: {one_line(shown)}", err=True)
    return bool(hit)


def _report(vcfs: list[str], output: str, fmt: str, opts, rule_dirs: list, fusions: list, svs: list,
            alignments: list, coverage: list, quiet: bool = False, cnvs: list | None = None) -> dict:
    from jakcli.classify import classify as run
    from jakcli.writers import BINARY_FORMATS, render_pieces, require
    from jakcli.writers.atomic import write_atomic

    if fmt in BINARY_FORMATS and output == "-" and sys.stdout.isatty():
        raise click.UsageError(f"--format {fmt} writes a binary file; give -o FILE or redirect stdout")
    require(fmt)  # a missing optional package fails before any input is read
    report = run(vcfs, opts, rule_dirs=rule_dirs, fusions=fusions, svs=svs, alignments=alignments, coverage=coverage,
                 notify=None if quiet else lambda msg: click.echo(f"jakcli: notice: {msg}", err=True),
                 cnvs=cnvs or [])
    write_atomic(output, render_pieces(fmt, report))
    return report


def _print_warnings(warnings: list[str]) -> None:
    for w in warnings[:WARNINGS_SHOWN]:
        click.echo(f"jakcli: warning: {w}", err=True)
    if len(warnings) > WARNINGS_SHOWN:
        click.echo(f"jakcli: {len(warnings) - WARNINGS_SHOWN} more warnings in the report", err=True)
