"""Options shared by several commands, declared once (as sqlite-utils shares its option groups)."""

from __future__ import annotations

from typing import Any

import click

from jakcli.model import BUILD_ALIASES, Build

BUILD_CHOICES = ["auto", *(b.value for b in Build)]


def _build(ctx, param, value):
    """``auto``, ``GRCh37``/``GRCh38`` or an alias (hg19, b37, hs37d5, hg38), as its canonical name."""
    if value is None or value.lower() == "auto":
        return "auto"
    build = BUILD_ALIASES.get(value.strip().lower())
    if build is None:
        raise click.BadParameter(f"'{value}' is not a genome build; use auto, GRCh37 (hg19, b37) or GRCh38 (hg38)")
    return build.value


def rules_option(f):
    return click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False, exists=True),
                        help="Extra rule directory added to the bundled rules (repeatable).")(f)


def output_option(help_extra: str = ""):
    def deco(f):
        return click.option("-o", "--output", default="-", show_default=True,
                            type=click.Path(dir_okay=False, allow_dash=True),
                            help="Output path, written atomically; - is stdout." + help_extra)(f)
    return deco


def build_option(help_text: str):
    def deco(f):
        return click.option("--build", metavar="[auto|GRCh37|GRCh38]", callback=_build, default="auto",
                            show_default=True, help=help_text + " Aliases: hg19, b37 (GRCh37); hg38 (GRCh38).")(f)
    return deco


def profile_option(f):
    return click.option("--profile", default="b-all", show_default=True, metavar="[b-all|mpn]",
                        help="Risk profile: b-all or mpn (bundled), or a profile of a --rules directory.")(f)


def quiet_option(f):
    return click.option("-q", "--quiet", is_flag=True,
                        help="Only errors on stderr: no notices, warnings or progress (reports keep their "
                             "warnings).")(f)


def evidence_options(f):
    """Floors and filters that change what a report contains (classify and batch alike)."""
    f = click.option("--min-fusion-reads", type=click.IntRange(0), default=None,
                     help="Replace every fusion rule's evidence floor (supporting reads); also admits calls "
                          "of excluded confidence (Arriba 'low').")(f)
    f = click.option("--include-filtered", is_flag=True,
                     help="Also evaluate records whose FILTER is not PASS or '.'.")(f)
    f = click.option("--min-vaf", type=click.FloatRange(0, 1), default=None,
                     help="Override every rule's reporting floor (VAF, 0-1).")(f)
    f = click.option("--min-alt-reads", type=click.IntRange(0), default=None,
                     help="Override every rule's min_alt_reads: calls with fewer supporting reads are counted "
                          "(calls_below_evidence_floor), not reported.")(f)
    f = click.option("--min-depth", type=click.IntRange(0), default=None,
                     help="Override every rule's min_depth: the depth at which a locus without a call counts as "
                          "assessed (a call below it is reported, flagged low depth).")(f)
    f = click.option("--targets", type=click.Path(dir_okay=False, exists=True), default=None,
                     help="BED of the panel's design regions: rule loci outside it are reported as not assessed.")(f)
    f = click.option("--reference", type=click.Path(dir_okay=False), default=None, metavar="FASTA",
                     help="Genome FASTA (+ .fai) of the run's build: for CRAM alignments, and for HGVS p. of every "
                          "variant; each gene's coding sequence is checked first (exit 2 on a mismatch).")(f)
    f = click.option("--ignore-header-regions", is_flag=True,
                     help="Do not read region restrictions (bcftools -r/-R/-t/-T, GATK -L) from VCF headers, e.g. "
                          "for a VCF gathered from GATK shards whose header keeps shard 1's --intervals.")(f)
    f = click.option("--header-regions-dir", "header_regions_dirs", multiple=True, metavar="DIR",
                     type=click.Path(file_okay=False, exists=True),
                     help="Where to look for interval files named in VCF headers (GATK -L/-XL, bcftools -R/-T), "
                          "after the VCF's folder and the current one (repeatable).")(f)
    return f


def digest_option(f):
    """``--digest``: the algorithm of the input checksums every report records."""
    return click.option("--digest", type=click.Choice(["sha256", "blake3"]), default="sha256", show_default=True,
                        help="Checksum algorithm for the inputs recorded in reports; blake3 hashes very large "
                             "BAM/CRAM/VCF files faster on several cores (pip install 'jakcli[blake3]').")(f)


def gene_options(f):
    """Transcript-level naming and the variants of uncertain significance (classify and batch alike)."""
    f = click.option("--no-vus", is_flag=True,
                     help="Hide other_variants: the variants of uncertain significance in the panel genes.")(f)
    return f


def cnv_options(f):
    """``--cnv [SAMPLE=]PATH`` (repeatable) and ``--sex``: copy-number segments and the sex that sets
    the expected copies of chrX/chrY (else taken from the file, else inferred from chrY)."""
    f = click.option("--sex", type=click.Choice(["female", "male"]), default=None,
                     help="Sex of every sample, for copy number on chrX/chrY (default: from the copy-number "
                          "file, else inferred from chrY; the report says which).")(f)
    f = click.option("--cnv-thresholds", type=click.Path(dir_okay=False, exists=True), default=None, metavar="YAML",
                     help="Copy-number thresholds for the whole run, replacing the bundled "
                          "rules/copy_number/thresholds.yaml (same keys; the report records the file's sha256).")(f)
    f = click.option("--cnv", "cnv_specs", multiple=True, metavar="[SAMPLE=]PATH",
                     help="Copy-number segments (CNVkit .cnr/.cns, GATK4 .seg, DNAcopy/IGV .seg, PURPLE, ASCAT "
                          "or generic TSV; repeatable; docs/copy_number.md).")(f)
    return f


def options_from(values: dict, **extra):
    """The run's :class:`Options` from the command's parameters that the shared option decorators
    named after its fields, so a new option is one decorator and one field, not an edit of every
    command's signature. A parameter that is no field is a programming error, caught here."""
    from dataclasses import fields

    from jakcli.model import Options

    known = {f.name for f in fields(Options)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise TypeError(f"options without an Options field: {', '.join(unknown)}")
    given: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}  # click: lists
    return Options(**given, **extra)
