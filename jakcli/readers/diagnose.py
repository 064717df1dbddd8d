"""Why htslib refused a VCF: run only after it did, to turn its generic messages ("is it VCF/BCF
format?", "unable to parse next record") into one line that names the line, what is wrong and how
to fix it. Reads the text again (plain, gzip or BGZF) with plain Python; never on the fast path."""

from __future__ import annotations

import re
import zlib

from jakcli.readers.files import open_binary

_BOM = b"\xef\xbb\xbf"
_UTF16 = (b"\xff\xfe", b"\xfe\xff")
_MAX_HEADER_LINES = 1_000_000


def header_problem(path: str) -> str | None:
    """What is wrong with the start of a text VCF that htslib could not open, or None."""
    try:
        with open_binary(path) as fh:
            head = fh.read(4)
            if head.startswith(_BOM):
                return ("starts with a UTF-8 byte-order mark (written by some Windows editors); remove it: "
                        "sed -i '1s/^\\xEF\\xBB\\xBF//' FILE (bgzip/index it again if compressed)")
            if head.startswith(_UTF16):
                return "is UTF-16 text; convert it: iconv -f UTF-16 -t UTF-8 FILE > FILE2.vcf"
            if head.startswith(b"#CHR") or (head.startswith(b"##") and head != b"##fi"):
                return ("line 1 is not '##fileformat=VCFv4.2' (or another version), which every VCF must start "
                        "with; add it: sed -i '1i ##fileformat=VCFv4.2' FILE")
            if not head.startswith(b"##"):
                return None  # BCF or not VCF text: htslib's own message stands
            fh.seek(0)
            for n, line in enumerate(fh, start=1):
                if n > _MAX_HEADER_LINES:
                    return None
                if line.startswith(b"#CHROM"):
                    return _chrom_line_problem(n, line.rstrip(b"\r\n"))
                if not line.startswith(b"##"):
                    return (f"line {n}: the header has no #CHROM line before the first record "
                            "(the column header line #CHROM POS ID REF ALT QUAL FILTER INFO ...)")
            else:
                return ("the file ends inside its header (no #CHROM line): it is truncated; re-create it "
                        "or copy it again")
    except (OSError, EOFError, zlib.error):
        return None
    return None


def _chrom_line_problem(n: int, line: bytes) -> str | None:
    cols = line.split(b"\t")
    if len(cols) < 8:
        return (f"line {n}: the #CHROM line has {len(cols)} tab-separated column(s), not at least 8; VCF columns "
                "must be separated by tabs (not spaces)")
    names = [c.decode("utf-8", "replace") for c in cols[9:]]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            return (f"line {n}: sample name '{name[:60]}' appears twice in the #CHROM line; give the columns "
                    "distinct names (bcftools reheader -s NEWNAMES.txt, or the caller's sample names)")
        seen.add(name)
    return None


_POS = re.compile(rb"[1-9][0-9]{0,14}\Z|0\Z")


def record_problem(path: str, limit: int = 50_000_000) -> str | None:
    """The first data line of a text VCF with a problem htslib rejects (column count, whitespace at
    the end of a line or in a field, a POS that is not a number), as 'line N (CHROM:POS): what; how',
    or None when none is found in the first ``limit`` lines."""
    try:
        with open_binary(path) as fh:
            if fh.read(2) != b"##":
                return None
            fh.seek(0)
            want = None
            for n, raw in enumerate(fh, start=1):
                if n > limit:
                    return None
                line = raw.rstrip(b"\n").removesuffix(b"\r")
                if line.startswith(b"#"):
                    if line.startswith(b"#CHROM"):
                        want = line.count(b"\t") + 1
                    continue
                if want is None or not line:
                    continue
                found = _line_problem(line, want)
                if found:
                    cols = line.split(b"\t")
                    where = (cols[0][:40] + b":" + cols[1][:20]).decode("utf-8", "replace") if len(cols) > 1 \
                        else line[:40].decode("utf-8", "replace")
                    return f"line {n} ({where}): {found}"
    except (OSError, EOFError, zlib.error):
        return None
    return None


def _line_problem(line: bytes, want: int) -> str | None:
    if line != line.rstrip() or line != line.lstrip():
        return "whitespace at the start or end of the line; strip it (sed -i 's/[[:space:]]*$//' FILE)"
    cols = line.split(b"\t")
    if len(cols) != want:
        spaced = b" " in line and len(cols) < want
        return (f"{len(cols)} tab-separated columns where the #CHROM line has {want}"
                + ("; the columns seem to be separated by spaces: VCF needs tabs" if spaced else
                   "; every record needs one column per header column"))
    if not _POS.match(cols[1]):
        return f"POS '{cols[1][:20].decode('utf-8', 'replace')}' is not a position (a whole number)"
    for i, c in enumerate(cols):
        if c != c.strip() or (i >= 8 and b" " in c):
            return "a column holds spaces; VCF columns are separated by tabs and hold no spaces"
    return None
