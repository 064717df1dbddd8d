"""Annotated VCF output: the input passed through record for record, with jakcli's calls as tags.

Two kinds of tag, on purpose:

- INFO ``JAKCLI_RULE``/``JAKCLI_GENE``/``JAKCLI_CLASS`` describe the *site*: the rules each ALT
  allele matches by its coordinates, whatever the genotypes, VAFs or FILTER say. A pipeline can
  then see that a site matched even where no sample was reported (below the floor, FILTERed,
  not carried).
- FORMAT ``JAKCLI_HIT`` is the *report*: the rule ids :func:`jakcli.classify.classify` reported
  for that sample at that record (allele carried, FILTER passed, reporting floor met). It is
  taken from the report's findings, never recomputed, so the VCF and the JSON/TSV agree.

Both come from the same :class:`SiteIndex`, so every id in ``JAKCLI_HIT`` is also in
``JAKCLI_RULE``; a finding that cannot be placed on a record is an error, not a silent loss.
Catalogue-only findings and split MNVs merged from several records are not rule sites of one record:
they, the HGVS names, germline findings and variants of uncertain significance are in the report.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from contextlib import contextmanager

from jakcli import __version__
from jakcli.engine.small_variants import MNV_PROTEIN_NOTE, SiteIndex
from jakcli.errors import InputError
from jakcli.model import Build
from jakcli.readers.records import RawRecord, check_sample_columns
from jakcli.readers.vcf import VcfReader
from jakcli.reference.genome import normalise_contig
from jakcli.ruleset.compiled import Ruleset
from jakcli.writers.atomic import atomic_output

TAG_PREFIX = "JAKCLI_"
META_PREFIX = "jakcli_"
RULE, GENE, CLASS, HIT = "JAKCLI_RULE", "JAKCLI_GENE", "JAKCLI_CLASS", "JAKCLI_HIT"
INFO_TAGS = (RULE, GENE, CLASS)
MISSING = "."

TAG_LINES = (
    f'##INFO=<ID={RULE},Number=A,Type=String,Description="jakcli rule ids this ALT allele matches by '
    "its coordinates (site level: before genotype, VAF floor and FILTER are considered); several rules "
    "of one allele are separated by |; . = no rule\">",
    f'##INFO=<ID={GENE},Number=A,Type=String,Description="Gene of each rule in {RULE}, in the same '
    'order (| separated; . = no rule)">',
    f'##INFO=<ID={CLASS},Number=A,Type=String,Description="Classification of each rule in {RULE} '
    '(oncogenic, likely-oncogenic, predisposing, informational), in the same order (| separated; '
    '. = no rule)">',
    f'##FORMAT=<ID={HIT},Number=1,Type=String,Description="jakcli rule ids reported for this sample '
    "at this record (the sample carries the allele, the record passes FILTER and the call meets the "
    'reporting floor), | separated; . = none">',
)


def write_annotated_vcf(path: str, output: str, report: dict, ruleset: Ruleset, command: str,
                        only_hits: bool = False) -> None:
    """Copy ``path`` to ``output`` with jakcli tags; ``report`` must come from classifying ``path``.

    ``output`` ending in ``.gz``/``.bgz`` is written as BGZF, ``.bcf`` as BCF, anything else (and
    ``-``, stdout) as plain VCF. The file appears only when complete.
    """
    import pysam

    reported = _reported(report)
    protein_sites = _protein_sites(report)
    placed: set[tuple] = set()
    index = SiteIndex(ruleset.rules.values(), Build(report["genome_build"]))
    with VcfReader(path) as reader, _atomic(output) as (tmp, mode):
        src = pysam.VariantFile(reader.real_path)
        try:
            _prepare_header(src.header, report, command)
            declared = len(src.header.records)
            samples = list(src.header.samples)
            with pysam.VariantFile(tmp, mode, header=src.header) as out:
                for n, rec in _records(src, path):
                    declared = _mirror_new_declarations(src.header, out.header, declared)
                    per_allele = _site_rules(RawRecord(rec, n, reader), index, protein_sites)
                    if only_hits and not per_allele:
                        continue
                    _drop_stale_tags(rec, keep=bool(per_allele))
                    if per_allele:
                        _tag(rec, per_allele, ruleset, reported, samples, placed)
                    try:
                        out.write(rec)
                    except OSError as exc:  # htslib refuses BCF records using undeclared contigs/tags
                        why = ("BCF output needs every contig, INFO, FORMAT and FILTER the records use "
                               "declared in the input header; write .vcf.gz instead" if mode == "wb"
                               else f"{exc}; check free space and permissions")
                        raise InputError(f"{output}: cannot write record {n} ({rec.chrom}:{rec.pos}): "
                                         f"{why}") from None
        finally:
            src.close()
        lost = {(key, sample, rule_id) for key, by_sample in reported.items()
                for sample, rule_ids in by_sample.items() for rule_id in rule_ids} - placed
        if lost:  # a bug, not bad input: the VCF would silently disagree with the report
            key, sample, rule_id = min(lost)
            raise RuntimeError(f"{path}: {len(lost)} reported finding(s) could not be placed in the "
                               f"annotated VCF (first: sample {sample}, {rule_id} at {key[0]}:{key[1]} "
                               f"{key[2]}>{key[3]}); no output was written")


def _reported(report: dict) -> dict[tuple, dict[str, set[str]]]:
    """Findings as (contig, pos, REF, ALT) -> sample -> rule ids.

    Findings carry the record's own POS/REF and the one ALT they are about (not the trimmed
    matching form), so the key is rebuilt from each record's ALT alleles one at a time.
    """
    out: dict[tuple, dict[str, set[str]]] = {}
    for s in report["samples"]:
        for f in s["findings"]:
            if f.get("basis") == "catalogue" or f.get("merged"):
                continue  # catalogue findings and merged split MNVs are not rule sites of one record
            key = (normalise_contig(f["chrom"]), f["pos"], f["ref"], f["alt"])
            out.setdefault(key, {}).setdefault(s["sample"], set()).add(f["rule_id"])
    return out


def _protein_sites(report: dict) -> dict[tuple, list[str]]:
    """Finding keys of MNV records that a rule matched by amino-acid change (classify found them with
    the gene models, which the site index alone does not have) -> their rule ids."""
    out: dict[tuple, list[str]] = {}
    for s in report["samples"]:
        for f in s["findings"]:
            if MNV_PROTEIN_NOTE in (f.get("notes") or ()):
                ids = out.setdefault((normalise_contig(f["chrom"]), f["pos"], f["ref"], f["alt"]), [])
                if f["rule_id"] not in ids:
                    ids.append(f["rule_id"])
    return out


def _site_rules(raw: RawRecord, index: SiteIndex, protein_sites: dict | None = None
                ) -> dict[int, tuple[tuple, list[str]]]:
    """ALT index (1-based) -> (finding key, matched rule ids) for the alleles that match a rule."""
    variants, _ = raw.variants()
    out = {}
    for v in variants:
        matches, _ = index.match(v)  # warnings were already collected by classify()
        ids = [m.rule_id for m in matches] or list((protein_sites or {}).get((v.contig, v.pos, v.ref, v.alt), ()))
        if ids:
            out[v.allele_index] = ((v.contig, v.pos, v.ref, v.alt), ids)
    return out


def _tag(rec, per_allele: dict, ruleset: Ruleset, reported: dict, samples: list[str], placed: set) -> None:
    """Set the INFO tags from the site match and each sample's JAKCLI_HIT from the report."""
    n_alts = len(rec.alts)
    ids = [per_allele[i][1] if i in per_allele else None for i in range(1, n_alts + 1)]
    rec.info[RULE] = tuple("|".join(r) if r else MISSING for r in ids)
    rec.info[GENE] = tuple("|".join(ruleset.rules[x].gene for x in r) if r else MISSING for r in ids)
    rec.info[CLASS] = tuple("|".join(ruleset.rules[x].classification for x in r) if r else MISSING
                            for r in ids)
    for sample in samples:
        hits: list[str] = []
        for i in sorted(per_allele):
            key, rule_ids = per_allele[i]
            carried = reported.get(key, {}).get(sample, set())
            for rule_id in rule_ids:
                if rule_id in carried:
                    placed.add((key, sample, rule_id))
                    if rule_id not in hits:
                        hits.append(rule_id)
        rec.samples[sample][HIT] = "|".join(hits) or MISSING


def _drop_stale_tags(rec, keep: bool) -> None:
    """Remove JAKCLI_* values left by an earlier run, except those about to be overwritten.

    Overwriting in place instead of delete-then-set matters: pysam 0.24 crashes when a FORMAT
    field is deleted and set again on the same record.
    """
    for key in list(rec.info.keys()):
        if key.startswith(TAG_PREFIX) and not (keep and key in INFO_TAGS):
            del rec.info[key]
    for key in list(rec.format.keys()):
        if key.startswith(TAG_PREFIX) and not (keep and key == HIT):
            del rec.format[key]


def _prepare_header(header, report: dict, command: str) -> None:
    """Edit the *input* header in place: drop earlier jakcli lines, add our tags and provenance.

    In place rather than on a copy with ``rec.translate()``: htslib ends the whole process when
    translating a record whose contig or tags the header did not declare (common in older VCFs,
    e.g. without ``##contig`` lines), and records read against this header need no translation.
    """
    for rec in list(header.records):
        if rec.type == "GENERIC" and rec.key.startswith(META_PREFIX):
            rec.remove()
    for meta in (header.info, header.formats):
        for key in list(meta.keys()):
            if key.startswith(TAG_PREFIX):
                meta.remove_header(key)
    for line in TAG_LINES:
        header.add_line(line)
    rs = report["ruleset"]
    header.add_line(f"##{META_PREFIX}version={__version__}")
    header.add_line(f"##{META_PREFIX}ruleset={rs['version']},{rs['digest']}")
    header.add_line(f"##{META_PREFIX}genome_build={report['genome_build']}")
    header.add_line(f"##{META_PREFIX}command={' '.join(command.splitlines())}")


def _mirror_new_declarations(src_header, out_header, declared: int) -> int:
    """Copy to the output header what htslib declared while reading (an undeclared contig or tag).

    The output header is a copy taken when the file was opened; without the same entries (which
    carry their IDX) it would name such a record's contig or tags wrongly.
    """
    records = src_header.records
    if len(records) == declared:
        return declared
    for hrec in list(records)[declared:]:
        out_header.add_record(hrec)
    return len(records)


def _records(vf, display: str):
    """Yield (record number, pysam record); read errors become one-line InputErrors."""
    it = iter(vf)
    n = 0
    while True:
        try:
            rec = next(it)
        except StopIteration:
            return
        except (OSError, ValueError) as exc:
            raise InputError(f"{display}: unreadable data after record {n}: {exc}; the file may be "
                             "truncated or corrupt (check with bcftools view)") from None
        n += 1
        check_sample_columns(rec, len(vf.header.samples), display, n)
        yield n, rec


def _mode(output: str) -> str:
    name = output.lower()
    if name.endswith((".gz", ".bgz")):
        return "wz"
    return "wb" if name.endswith(".bcf") else "w"


@contextmanager
def _atomic(output: str):
    """(temporary path, pysam mode): renamed onto ``output`` on success (see
    :func:`jakcli.writers.text.atomic_output`). For stdout (``-``) the temporary file is copied out at the
    end, so an error part-way leaves no half VCF in a pipe either."""
    if output != "-":
        with atomic_output(output) as tmp:
            yield tmp, _mode(output)
        return
    fd, tmp = tempfile.mkstemp(prefix=".jakcli-", suffix=".part")
    os.close(fd)
    try:
        yield tmp, "w"
        with open(tmp, "rb") as fh:
            shutil.copyfileobj(fh, sys.stdout.buffer, 1 << 20)
        sys.stdout.flush()
    finally:
        os.unlink(tmp)
