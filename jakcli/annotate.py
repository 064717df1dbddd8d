"""The library API for annotated VCF output (``classify --format vcf``): classify one VCF, then
copy it with jakcli's tags (:mod:`jakcli.writers.vcf`)."""

from __future__ import annotations

import os

from jakcli.classify import classify
from jakcli.errors import InputError, JakcliError
from jakcli.model import Options
from jakcli.readers.files import spool_stdin
from jakcli.ruleset.loader import load_ruleset
from jakcli.writers.vcf import write_annotated_vcf


def classify_to_vcf(vcfs: list[str], output: str, command: str, options: Options | None = None,
                    rule_dirs: list | None = None, only_hits: bool = False) -> dict:
    """Classify one VCF and write it back annotated to ``output`` (``-`` = stdout); return the report.

    Standard input is spooled here, not in the reader, because the input is read twice (once to
    classify, once to copy); messages and the report still call it ``-``.
    """
    opts = options or Options()
    if len(vcfs) != 1:
        raise InputError(f"annotated VCF output takes exactly one input VCF/BCF (got {len(vcfs)}: "
                         f"{', '.join(vcfs) or 'none'}); annotate each file separately")
    if opts.samples:
        raise InputError("annotated VCF output keeps every sample of the input, so --sample cannot be "
                         "used with it; subset first (bcftools view -s NAME in.vcf.gz | jakcli classify - ...)")
    path = vcfs[0]
    spooled = spool_stdin() if path == "-" else None
    source = spooled or path
    try:
        rs = load_ruleset(rule_dirs)
        report = classify([source], opts, ruleset=rs)
        write_annotated_vcf(source, output, report, rs, command, only_hits)
    except JakcliError as err:
        if spooled:
            raise type(err)(str(err).replace(spooled, "-")) from None
        raise
    finally:
        if spooled:
            os.unlink(spooled)
    if spooled:
        report["inputs"][0]["path"] = "-"
        report["warnings"] = [w.replace(spooled, "-") for w in report["warnings"]]
    return report
