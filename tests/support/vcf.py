"""A tiny VCF writer for tests: every FORMAT/INFO field the readers understand, contig lines of
either build, records as tab-joined strings or lists of fields."""

from __future__ import annotations

from pathlib import Path

from jakcli.model import Build
from jakcli.reference.genome import CONTIG_LENGTHS

V617F_38 = ("chr9", 5073770, "G", "T")  # JAK2 V617F, GRCh38 (GRCh37: 9:5073770 as well)


def contig_lines(build: Build, chr_prefix: bool) -> list[str]:
    p = "chr" if chr_prefix else ""
    return [f"##contig=<ID={p}{c},length={n}>" for c, n in CONTIG_LENGTHS[build].items()]


def write_vcf(path: Path, records: list, samples=("S1",), build: Build | None = Build.GRCH38,
              chr_prefix: bool = True, fmt_lines: tuple = (), info_lines: tuple = (),
              extra_header: tuple = ()) -> Path:
    """Write a VCF; ``records`` are tab-joined lines (CHROM..FORMAT+samples) or lists of fields."""
    header = ["##fileformat=VCFv4.2",
              '##FILTER=<ID=PASS,Description="All filters passed">',
              '##FILTER=<ID=LowQual,Description="Low quality">',
              '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
              '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">',
              '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Depth">',
              '##FORMAT=<ID=AF,Number=A,Type=Float,Description="Allele fraction">',
              '##FORMAT=<ID=FREQ,Number=1,Type=String,Description="Variant allele frequency">',
              '##INFO=<ID=DP,Number=1,Type=Integer,Description="Depth">',
              *fmt_lines, *info_lines, *extra_header]
    if build is not None:
        header += contig_lines(build, chr_prefix)
    header.append("\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", *samples]))
    lines = ["\t".join(map(str, r)) if isinstance(r, (list, tuple)) else r for r in records]
    path.write_text("\n".join(header + lines) + "\n")
    return path


def rec(chrom, pos, ref, alt, *sample_fields, filt="PASS", fmt="GT:AD:DP", info="DP=100"):
    return [chrom, pos, ".", ref, alt, ".", filt, info, fmt, *sample_fields]


def findings(report: dict, sample: str | None = None) -> list[tuple[str, str, str]]:
    """(sample, rule_id, alteration) of every finding of a report, in report order."""
    out = []
    for s in report["samples"]:
        if sample is None or s["sample"] == sample:
            out += [(s["sample"], f["rule_id"], f["alteration"]) for f in s["findings"]]
    return out
