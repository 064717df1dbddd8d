"""Fixtures of the reference tests (helpers live in fasta_builder.py)."""

from fasta_builder import fasta_for, verified  # noqa: F401  (pytest fixtures)
