"""Genome builds: contig-name normalisation and build detection from a VCF header.

Detection never guesses. Contig lengths are decisive; ``##reference``/``##assembly`` lines,
``assembly=`` contig attributes, liftOver chain names and reference paths in command-line
header lines are used when lengths are absent. Contradicting evidence is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jakcli.errors import InputError
from jakcli.model import BUILD_ALIASES, Build

# Primary-assembly chromosome lengths. GRCh37: the ##contig lines of real GRCh37 VCFs (GATK Mutect2,
# Illumina Isaac) and the hs37d5.fa.fai index. GRCh38: GATK's Homo_sapiens_assembly38.dict
# (GCA_000001405.15 primary assembly).
# Chromosomes whose length is the same in both builds (MT) are left out: they cannot discriminate.
CONTIG_LENGTHS: dict[Build, dict[str, int]] = {
    Build.GRCH37: {
        "1": 249250621, "2": 243199373, "3": 198022430, "4": 191154276, "5": 180915260,
        "6": 171115067, "7": 159138663, "8": 146364022, "9": 141213431, "10": 135534747,
        "11": 135006516, "12": 133851895, "13": 115169878, "14": 107349540, "15": 102531392,
        "16": 90354753, "17": 81195210, "18": 78077248, "19": 59128983, "20": 63025520,
        "21": 48129895, "22": 51304566, "X": 155270560, "Y": 59373566,
    },
    Build.GRCH38: {
        "1": 248956422, "2": 242193529, "3": 198295559, "4": 190214555, "5": 181538259,
        "6": 170805979, "7": 159345973, "8": 145138636, "9": 138394717, "10": 133797422,
        "11": 135086622, "12": 133275309, "13": 114364328, "14": 107043718, "15": 101991189,
        "16": 90338345, "17": 83257441, "18": 80373285, "19": 58617616, "20": 64444167,
        "21": 46709983, "22": 50818468, "X": 156040895, "Y": 57227415,
    },
}

# Tokens naming a build in reference paths, assembly names and chain files.
_BUILD_TOKENS: list[tuple[re.Pattern[str], Build]] = [
    (re.compile(r"grch38|hg38|hs38|b38|assembly38|gca_000001405\.15", re.I), Build.GRCH38),
    (re.compile(r"grch37|hg19|hs37|b37|human_g1k_v37|assembly19|g1k_v37|gca_000001405\.1\b", re.I),
     Build.GRCH37),
]
_CHAIN = re.compile(r"(hg\d\d|grch3\d)to(hg\d\d|grch3\d)", re.I)
_TOKEN_KEYS = ("reference", "assembly", "liftOverChainFile")
_COMMAND_KEYS = re.compile(r"commandline|cmdline|command|source", re.I)


_REFSEQ_CHROMOSOME = re.compile(r"^NC_0000(0[1-9]|1[0-9]|2[0-4])\.\d+$")


def normalise_contig(name: str) -> str:
    """``chr9`` -> ``9``; ``chrM``/``M``/``MT`` -> ``MT``; other names unchanged but for ``chr``.

    RefSeq chromosome accessions (``NC_000009.12``; 23 = X, 24 = Y; ``NC_012920.1`` = MT), which
    pipelines on NCBI's GRCh38/GRCh37 FASTA write, name the same chromosomes. The version is not
    read as a build: the contig lengths decide the build, as for every other naming."""
    n = name[3:] if name.lower().startswith("chr") else name
    if n in ("M", "MT") or n == "NC_012920.1":
        return "MT"
    m = _REFSEQ_CHROMOSOME.match(n)
    if m:
        return {"23": "X", "24": "Y"}.get(m.group(1), str(int(m.group(1))))
    return n


@dataclass(frozen=True)
class BuildEvidence:
    build: Build | None
    reason: str


def _tokens_in(text: str) -> set[Build]:
    m = _CHAIN.search(text)
    if m:  # a liftOver chain names source and target: the target is the build of the data
        return _tokens_in(m.group(2))
    return {b for pat, b in _BUILD_TOKENS if pat.search(text)}


def detect_build(header_lines: list[tuple[str, str]], contigs: dict[str, int | None],
                 source: str) -> BuildEvidence:
    """Return the build the header proves, or ``BuildEvidence(None, why)`` when it proves none.

    ``header_lines`` are (key, value) pairs of ``##key=value`` lines; ``contigs`` maps contig IDs
    to their declared lengths (None when the line has no length).
    """
    by_length: set[Build] = set()
    length_reason = ""
    for cid, length in contigs.items():
        if length is None:
            continue
        norm = normalise_contig(cid)
        hits = {b for b, table in CONTIG_LENGTHS.items() if table.get(norm) == length}
        known = any(norm in table for table in CONTIG_LENGTHS.values())
        if known and not hits:
            # A primary chromosome with a length of neither build: another assembly (e.g. T2T).
            raise InputError(
                f"{source}: ##contig {cid} has length {length}, which is neither GRCh37 nor GRCh38; "
                "jakcli supports only these two builds (lift the VCF over, or check the reference)")
        if hits:
            by_length |= hits
            length_reason = f"##contig {cid} length {length}"
    if len(by_length) > 1:
        raise InputError(
            f"{source}: ##contig lengths match both GRCh37 and GRCh38 on different chromosomes; "
            "the header is inconsistent (re-header the file with the reference's .dict/.fai)")

    by_token = token_evidence(header_lines)
    if by_length:
        (build,) = by_length
        contra = [r for b, r in by_token.items() if b != build]
        if contra:
            raise InputError(
                f"{source}: ##contig lengths say {build} but {contra[0]}; the header contradicts "
                "itself (fix the header, or pass --build to state the build explicitly)")
        return BuildEvidence(build, length_reason)
    if len(by_token) == 1:
        ((build, reason),) = by_token.items()
        return BuildEvidence(build, reason)
    if len(by_token) > 1:
        return BuildEvidence(None, "header lines name both GRCh37 and GRCh38")
    return BuildEvidence(None, "no ##contig lengths and no ##reference/##assembly naming a build")


def token_evidence(header_lines: list[tuple[str, str]]) -> dict[Build, str]:
    """Builds that header words name (##reference/##assembly, contig assembly=, liftOver chain
    targets, reference paths in command lines), each with the line that names it."""
    return {b: f"##{key} mentions {b}" for b, (key, _value) in _token_lines(header_lines).items()}


def _token_lines(header_lines: list[tuple[str, str]]) -> dict[Build, tuple[str, str]]:
    by_token: dict[Build, tuple[str, str]] = {}
    for key, value in header_lines:
        if key in _TOKEN_KEYS or (key == "contig" and "assembly=" in value) or _COMMAND_KEYS.search(key):
            text = value
            if key == "contig":
                text = value.split("assembly=", 1)[1].split(",")[0].split(">")[0]
            elif _COMMAND_KEYS.search(key):
                # only reference-looking words of command lines (paths to .fa/.fasta)
                paths = re.findall(r"[\w./-]*\.(?:fa|fasta|fna)(?:\.gz)?\b", value)
                text = " ".join(paths)
            for b in _tokens_in(text):
                by_token.setdefault(b, (key, text))
    return by_token


def parse_build(text: str) -> Build:
    """``GRCh37``/``GRCh38`` or an alias (``hg19``, ``b37``, ``hs37d5``, ``hg38``), any case."""
    build = BUILD_ALIASES.get(text.strip().lower())
    if build is None:
        raise InputError(f"unknown genome build '{text}'; use GRCh37 (hg19, b37) or GRCh38 (hg38)")
    return build


def length_contradiction(declared: Build, contigs: dict) -> tuple[str, int, Build | None] | None:
    """The first contig whose length proves another build than ``declared``: (name, length, the build
    it has that length in, or None for neither); None when no length contradicts."""
    table = CONTIG_LENGTHS[declared]
    for cid, length in contigs.items():
        norm = normalise_contig(cid)
        if length is not None and norm in table and table[norm] != length:
            return cid, length, next((b for b, t in CONTIG_LENGTHS.items() if t.get(norm) == length), None)
    return None


def check_declared_build(declared: Build, header_lines, contigs, source: str) -> None:
    """With ``--build`` given, refuse a file whose header proves another build: contig lengths, or
    words such as a ##reference path or a liftOver chain that name only the other build."""
    found = length_contradiction(declared, contigs)
    if found is not None:
        cid, length, other = found
        proves = f"it is {other}" if other else "it is neither GRCh37 nor GRCh38"
        raise InputError(
            f"{source}: --build {declared} contradicts ##contig {cid} length {length} ({proves}); "
            "pass the right --build or use --build auto")
    tokens = _token_lines(header_lines)
    if tokens and declared not in tokens:
        other, (key, text) = next(iter(tokens.items()))
        raise InputError(f"{source}: --build {declared} contradicts the header: ##{key} names {other} "
                         f"({text[-80:]}); pass the right --build or use --build auto")


def resolve_build(headers: list[tuple[str, list[tuple[str, str]], dict[str, int | None]]], requested: str,
                  fusion_tables: bool = False) -> tuple[Build, str]:
    """The run's build and the words that justify it, from every VCF header ``(display, lines,
    contigs)``; ``requested`` is ``auto`` or a build name given with ``--build``."""
    if requested == "auto" and not headers:
        raise InputError("fusion tables do not record the genome build and no VCF was given to read it "
                         "from; pass --build GRCh37 or --build GRCh38" if fusion_tables else
                         "cannot determine the genome build without a VCF; pass --build")
    if requested != "auto":
        build = parse_build(requested)
        for display, lines, contigs in headers:
            check_declared_build(build, lines, contigs, display)
        return build, "given with --build"
    found: dict[Build, str] = {}
    for display, lines, contigs in headers:
        ev = detect_build(lines, contigs, display)
        if ev.build is None:
            raise InputError(f"{display}: cannot determine the genome build ({ev.reason}); "
                             "pass --build GRCh37 or --build GRCh38")
        found.setdefault(ev.build, f"{display}: {ev.reason}")
    if len(found) > 1:
        a, b = found.values()
        raise InputError(f"inputs disagree on the genome build ({a}; {b}); classify each build separately")
    ((build, reason),) = found.items()
    return build, reason
