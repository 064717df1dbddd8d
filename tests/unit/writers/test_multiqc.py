"""MultiQC custom-content files from reports, without MultiQC."""

from __future__ import annotations

import json

from jakcli.writers.multiqc import BARGRAPH_FILE, TABLE_FILE, multiqc_custom_content


def test_empty_cohort_gives_files_without_rows():
    files = multiqc_custom_content([])
    assert json.loads(files[TABLE_FILE])["data"] == {} and json.loads(files[BARGRAPH_FILE])["data"] == {}

