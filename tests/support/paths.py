"""Where the repository, its sample data, the test fixtures and the real third-party files are."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLE_DATA = REPO / "sample_data"
COHORT = SAMPLE_DATA / "cohort_grch38.vcf.gz"  # 9 samples, GRCh38, bgzip + .tbi
SINGLE37 = SAMPLE_DATA / "single_grch37_vep.vcf"  # one sample, GRCh37, VEP CSQ
FIXTURES = REPO / "tests" / "fixtures"
REARRANGEMENTS = FIXTURES / "rearrangements"
LAB_RULES = FIXTURES / "lab_rules"
BROKEN_RULES = FIXTURES / "rules_broken"
# Real third-party VCFs (read-only, outside the repository); tests needing them take the
# ``realdata`` fixture, which skips with the reason when the folder is absent.
REALDATA = Path(os.environ.get("JAKCLI_REALDATA", REPO.parent / "shared" / "realdata"))
