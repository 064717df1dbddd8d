"""jakcli: classify JAK-STAT pathway alterations and stratify risk per sample.

Architecture: readers (vcf) -> typed records (model) -> pure rule evaluation (engine)
-> risk profile (risk) -> writers. The library API is :func:`jakcli.classify.classify`.
"""

__version__ = "0.1.0"
