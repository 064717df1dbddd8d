"""Real third-party files rewritten the way a pipeline step would have written them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

MUTECT2_JAK2 = "mutect2_WP043_JAK2_GRCh37.vcf"


def rewrite_vcf(src: Path, out: Path, record: Callable[[list[str]], list[str] | None] = lambda f: f,
                header: tuple[str, ...] = (), keep_header: Callable[[str], bool] = lambda line: True) -> str:
    """``src`` with ``header`` lines added before ``#CHROM``, header lines failing ``keep_header``
    dropped, and each data record's fields passed through ``record`` (None drops the record)."""
    lines = []
    for line in src.read_text().splitlines():
        if line.startswith("#CHROM"):
            lines += header
        if line.startswith("#"):
            if keep_header(line):
                lines.append(line)
            continue
        fields = record(line.split("\t"))
        if fields is not None:
            lines.append("\t".join(fields))
    out.write_text("\n".join(lines) + "\n")
    return str(out)
