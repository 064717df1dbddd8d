"""Region restrictions recorded in a VCF header by bcftools and GATK (pure text parsing).

Why: ``bcftools view -r chr9 cohort.vcf.gz`` keeps every ``##contig`` line, so a file restricted to
chr9 looks like a whole-genome file with nothing found elsewhere. bcftools records the command
(``##bcftools_viewCommand=view -r chr9 ...; Date=...``) and GATK records its arguments
(``##GATKCommandLine=<ID=Mutect2,CommandLine="Mutect2 ... --intervals chr9 ...",...>``; GATK3:
``CommandLineOptions="... intervals=[chr9] excludeIntervals=null ..."``). Every such line is one
step of the file's history; a locus is assessed only if every step kept it, so steps intersect.

A restriction by a file (``-R panel.bed``, ``-L scatter.interval_list``) is only named here; the
file is looked for and read by :mod:`jakcli.readers.interval_files`. A file not found leaves every
locus outside what is known not-assessed.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from jakcli.reference.genome import normalise_contig

# bcftools commands whose -r/-R/-t/-T restrict the records they write (``sort -T`` and
# ``reheader -T`` name a temporary directory, so commands are listed, not guessed).
_BCFTOOLS_REGION_CMDS = {"view", "filter", "annotate", "norm", "call", "mpileup", "merge", "concat",
                         "isec", "plugin", "csq", "convert"}
_BCF_OPTS = {"-r": ("regions", False), "--regions": ("regions", False),
             "-R": ("regions", True), "--regions-file": ("regions", True),
             "-t": ("targets", False), "--targets": ("targets", False),
             "-T": ("targets", True), "--targets-file": ("targets", True)}
_GATK_INCLUDE = {"-L", "--intervals", "--interval"}
_GATK_EXCLUDE = {"-XL", "--exclude-intervals", "--excludeIntervals"}
_GATK_FILE = re.compile(r"\.(bed|interval_list|intervals|list|vcf|bcf|txt)(\.gz)?$", re.I)
_REGION = re.compile(r"^(?P<chrom>[^:]+?)(?::(?P<beg>[\d,]+)?(?:(?P<dash>[-+])(?P<end>[\d,]+)?)?)?$")
_MAX = 1 << 62  # "to the end of the contig"
_FIX = ("; put the file beside the VCF or give its folder with --header-regions-dir DIR, or give "
        "--ignore-header-regions if the records cover every region")

Interval = tuple[str, int, int]  # (normalised contig, start, end), 1-based inclusive


@dataclass(frozen=True)
class RestrictionStep:
    """One command of the file's history: what it kept (include) and dropped (exclude)."""

    source: str  # e.g. "##bcftools_viewCommand (view -r chr9)"
    include: tuple[Interval, ...] | None = None  # None: this step did not restrict by inclusion
    include_files: tuple[str, ...] = ()  # includes we cannot read (kept regions partly unknown)
    exclude: tuple[Interval, ...] = ()
    exclude_files: tuple[str, ...] = ()
    pad: int = 0  # GATK -ip: padding of the named include files, applied when they are read
    xpad: int = 0  # GATK -ixp: padding of the named exclude files

    def drops(self, contig: str, start: int, end: int) -> str | None:
        """Why this step may have dropped the locus, or None when the locus surely passed it."""
        contig = normalise_contig(contig)
        if self.include is not None or self.include_files:
            inside = any(c == contig and s <= start and end <= e for c, s, e in self.include or ())
            if not inside:
                if self.include_files:
                    return (f"{self.source} restricted the file by {', '.join(self.include_files)}, "
                            f"which jakcli cannot read{_FIX}")
                return f"outside the regions kept by {self.source}"
        if any(c == contig and start <= e and s <= end for c, s, e in self.exclude):
            return f"excluded by {self.source}"
        if self.exclude_files:
            return (f"{self.source} excluded the regions of {', '.join(self.exclude_files)}, "
                    f"which jakcli cannot read{_FIX}")
        return None


@dataclass(frozen=True)
class RegionRestriction:
    """All restriction steps found in a header; empty = the header records no restriction."""

    steps: tuple[RestrictionStep, ...] = ()

    @property
    def restricted(self) -> bool:
        return bool(self.steps)

    def why_not_assessed(self, contig: str, start: int, end: int) -> str | None:
        """The first step that may have removed ``contig:start-end`` (None: kept by every step)."""
        for step in self.steps:
            reason = step.drops(contig, start, end)
            if reason:
                return reason
        return None

    def unreadable_files(self) -> list[str]:
        return sorted({f for s in self.steps for f in (*s.include_files, *s.exclude_files)})


def parse_region_list(text: str) -> list[Interval] | None:
    """``chr9:5000000-5100000,chr1,chrX:100-`` -> intervals (None when any item is unreadable)."""
    out = []
    for item in text.split(","):
        iv = _parse_region(item.strip())
        if iv is None:
            return None
        out.append(iv)
    return out


def _parse_region(item: str) -> Interval | None:
    m = _REGION.match(item)
    if not item or not m:
        return None
    chrom = normalise_contig(m.group("chrom"))
    beg = m.group("beg")
    if beg is None:
        return (chrom, 1, _MAX)
    start = int(beg.replace(",", ""))
    if m.group("dash") is None:
        return (chrom, start, start)
    end = m.group("end")
    if m.group("dash") == "+" or end is None:
        return (chrom, start, _MAX)
    return (chrom, start, int(end.replace(",", "")))


def _split_command(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:  # an unbalanced quote: fall back to whitespace
        return text.split()


def _option_values(argv: list[str], names: set[str]) -> list[tuple[str, str]]:
    """(option, value) pairs for ``-r X``, ``-rX``, ``--regions X`` and ``--regions=X``."""
    out = []
    i = 0
    while i < len(argv):
        tok = argv[i]
        name, value = tok, None
        if tok.startswith("--") and "=" in tok:
            name, value = tok.split("=", 1)
        elif len(tok) > 2 and tok[0] == "-" and tok[1] != "-" and tok[:2] in names and tok not in names:
            name, value = tok[:2], tok[2:]
        if name in names:
            if value is None and i + 1 < len(argv):
                value = argv[i + 1]
                i += 1
            if value is not None:
                out.append((name, value))
        i += 1
    return out


# ----------------------------------------------------------------------------- bcftools

def _bcftools_step(key: str, value: str) -> RestrictionStep | None:
    """One ``##bcftools_<cmd>Command=<cmd> args; Date=...`` line."""
    command = value.split("; Date=", 1)[0].strip()
    argv = _split_command(command)
    if not argv or argv[0] not in _BCFTOOLS_REGION_CMDS:
        return None
    if "--" in argv:  # bcftools +plugin ... -- <plugin options>: -t/-r there are the plugin's, not regions
        argv = argv[:argv.index("--")]
    source = f"##{key} ({_short(command)})"
    by_kind: dict[str, list[Interval]] = {}
    inc_files: list[str] = []
    exc: list[Interval] = []
    exc_files: list[str] = []
    for opt, val in _option_values(argv, set(_BCF_OPTS)):
        kind, is_file = _BCF_OPTS[opt]
        negate = kind == "targets" and val.startswith("^")
        val = val[1:] if negate else val
        if is_file:
            (exc_files if negate else inc_files).append(val)
            continue
        ivs = parse_region_list(val)
        if ivs is None:  # unreadable region text: as unknown as a file
            (exc_files if negate else inc_files).append(f"'{val}'")
        elif negate:
            exc += ivs
        else:
            by_kind.setdefault(kind, []).extend(ivs)
    include: list[Interval] | None = None
    for ivs in by_kind.values():  # -r with -t: a record is kept only if it satisfies both
        include = ivs if include is None else _intersect(include, ivs)
    if include is None and not (inc_files or exc or exc_files):
        return None
    return RestrictionStep(source, None if include is None else tuple(include), tuple(inc_files),
                           tuple(exc), tuple(exc_files))


def _intersect(a: list[Interval], b: list[Interval]) -> list[Interval]:
    """The parts of ``a`` that ``b`` covers too (1-based inclusive intervals)."""
    return [(ca, max(sa, sb), min(ea, eb)) for ca, sa, ea in a for cb, sb, eb in b
            if ca == cb and max(sa, sb) <= min(ea, eb)]


# ----------------------------------------------------------------------------- GATK

def _gatk_args(value: str) -> tuple[str, list[str]] | None:
    """Tool name and argv from a ``<ID=Tool,CommandLine="...">`` (GATK4) or a GATK3
    ``CommandLineOptions="analysis_type=Tool ... intervals=[a, b] excludeIntervals=null"`` line."""
    m = re.search(r'CommandLine="([^"]*)"', value)
    tool = re.search(r"ID=([^,>]+)", value)
    name = tool.group(1) if tool else "GATK"
    if m:
        return name, _split_command(m.group(1))
    m = re.search(r'CommandLineOptions="([^"]*)"', value)
    if not m:
        return None
    argv = []
    text = m.group(1)
    for key, flag in (("intervals", "-L"), ("excludeIntervals", "-XL"),
                      ("interval_padding", "-ip"), ("interval_set_rule", "-isr")):
        km = re.search(rf"(?:^|\s){key}=(\[[^\]]*\]|\S+)", text)
        if not km or km.group(1) in ("null", "[]"):
            continue
        for item in km.group(1).strip("[]").split(","):
            if item.strip():
                argv += [flag, item.strip()]
    return name, argv


def _gatk_step(key: str, value: str) -> list[RestrictionStep]:
    parsed = _gatk_args(value)
    if parsed is None:
        return []
    tool, argv = parsed
    pad = _int_option(argv, {"-ip", "--interval-padding"})
    xpad = _int_option(argv, {"-ixp", "--interval-exclusion-padding"})
    rule = (_option_values(argv, {"-isr", "--interval-set-rule"}) or [("", "UNION")])[-1][1].upper()
    source = f"##{key} ({tool})"
    inc, inc_files = _gatk_intervals(argv, _GATK_INCLUDE, pad)
    exc, exc_files = _gatk_intervals(argv, _GATK_EXCLUDE, xpad)
    if not (inc or inc_files or exc or exc_files):
        return []
    if rule == "INTERSECTION" and len(inc) + len(inc_files) > 1:  # each -L is its own step
        steps = [RestrictionStep(source, (iv,)) for iv in inc]
        steps += [RestrictionStep(source, (), (f,), pad=pad) for f in inc_files]
        if exc or exc_files:
            steps.append(RestrictionStep(source, None, (), tuple(exc), tuple(exc_files), xpad=xpad))
        return steps
    include = tuple(inc) if (inc or inc_files) else None
    return [RestrictionStep(source, include, tuple(inc_files), tuple(exc), tuple(exc_files), pad, xpad)]


def _gatk_intervals(argv: list[str], names: set[str], pad: int) -> tuple[list[Interval], list[str]]:
    ivs, files = [], []
    for _, val in _option_values(argv, names):
        if _GATK_FILE.search(val) or "/" in val:
            files.append(val)
            continue
        iv = _parse_region(val)
        if iv is None:
            files.append(f"'{val}'")
        else:
            ivs.append((iv[0], max(1, iv[1] - pad), iv[2] + pad if iv[2] < _MAX else _MAX))
    return ivs, files


def _int_option(argv: list[str], names: set[str]) -> int:
    vals = _option_values(argv, names)
    try:
        return int(vals[-1][1]) if vals else 0
    except ValueError:
        return 0


# ----------------------------------------------------------------------------- entry point

def parse_header_restrictions(header_lines) -> RegionRestriction:
    """Every region restriction in the ``##`` lines of a VCF header (strings, e.g. from
    ``str(pysam.VariantFile(p).header).splitlines()``)."""
    steps: list[RestrictionStep] = []
    for line in header_lines:
        if not line.startswith("##") or "=" not in line:
            continue
        key, value = line[2:].rstrip("\n").split("=", 1)
        if key.startswith("bcftools") and key.endswith("Command"):  # mpileup writes ##bcftoolsCommand
            step = _bcftools_step(key, value)
            if step:
                steps.append(step)
        elif key.startswith("GATKCommandLine"):
            steps += _gatk_step(key, value)
    return RegionRestriction(tuple(steps))


def _short(command: str, limit: int = 60) -> str:
    words = [w for w in command.split() if not w.startswith(("/",))]
    text = " ".join(words)
    return text if len(text) <= limit else text[:limit - 3] + "..."
