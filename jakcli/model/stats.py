"""Counts of a classify run's small-variant reading: every record read is evaluated or counted
as skipped with a reason."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class ReadStats:
    """What one classify run read of its small-variant VCFs, and what became of each record and call."""

    records_read: int = 0
    records_evaluated: int = 0
    skipped: Counter = field(default_factory=Counter)
    alleles_skipped: Counter = field(default_factory=Counter)
    alleles_evaluated: int = 0
    calls_below_floor: int = 0
    findings_without_vaf: int = 0
    below_evidence_floor: Counter = field(default_factory=Counter)

    def to_dict(self) -> dict:
        return {"records_read": self.records_read, "records_evaluated": self.records_evaluated,
                "skipped": dict(sorted(self.skipped.items())),
                "alleles_evaluated": self.alleles_evaluated,
                "alleles_skipped": dict(sorted(self.alleles_skipped.items())),
                "calls_below_floor": self.calls_below_floor,
                "findings_without_vaf": self.findings_without_vaf,
                "calls_below_evidence_floor": dict(sorted(self.below_evidence_floor.items()))}
