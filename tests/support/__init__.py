"""Shared test helpers: fixture paths, a tiny VCF writer, the generated example cohort, the one
subprocess runner for ``python3 -m jakcli`` and the external-tool skip markers.

Tests import from here (``from support import write_vcf``); ``tests/`` is on ``sys.path`` through
``pythonpath`` in pyproject.toml. No test module imports another test module or conftest.
"""

from support.cli import JakcliRun, jakcli_command, jakcli_subprocess
from support.cohort import EXPECTED_COHORT, generated_cohort
from support.paths import (BROKEN_RULES, COHORT, FIXTURES, LAB_RULES, REALDATA, REARRANGEMENTS, REPO,
                           SAMPLE_DATA, SINGLE37)
from support.realfiles import MUTECT2_JAK2, rewrite_vcf
from support.tables import cohort_manifest, manifest, single_vcfs, tsv
from support.tools import needs_bcftools, needs_tabix, needs_tools
from support.vcf import V617F_38, contig_lines, findings, rec, write_vcf

__all__ = [
    "BROKEN_RULES", "COHORT", "MUTECT2_JAK2", "rewrite_vcf", "cohort_manifest", "EXPECTED_COHORT", "FIXTURES", "JakcliRun", "LAB_RULES", "REALDATA",
    "REARRANGEMENTS", "REPO", "SAMPLE_DATA", "SINGLE37", "V617F_38", "contig_lines", "findings",
    "generated_cohort", "jakcli_command", "jakcli_subprocess", "manifest", "needs_bcftools", "needs_tabix", "needs_tools", "rec",
    "single_vcfs", "tsv", "write_vcf",
]
