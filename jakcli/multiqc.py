"""Kept for the documented import path ``jakcli.multiqc``; the writer lives in :mod:`jakcli.writers.multiqc`."""

from jakcli.writers.multiqc import BARGRAPH_FILE, TABLE_FILE, multiqc_custom_content

__all__ = ["BARGRAPH_FILE", "TABLE_FILE", "multiqc_custom_content"]
