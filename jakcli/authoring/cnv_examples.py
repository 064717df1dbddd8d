"""Copy-number rule examples as real tests: the example's segments go through the same target
calling and rule matching ``classify --cnv`` uses (engine/copynumber.py), in the example's build
and sex (default female), with the bundled thresholds."""

from __future__ import annotations

import re

from jakcli.engine.copynumber import call_targets, match_segments
from jakcli.model.copynumber import Segment
from jakcli.reference.cnv_targets import target_set
from jakcli.reference.genome import normalise_contig
from jakcli.ruleset.cnv_thresholds import load_thresholds

_SEG = re.compile(r"^((?:chr)?[0-9XY]+):(\d+)-(\d+) (?:log2 (-?[0-9.]+)|copy number ([0-9.]+))")


def example_segments(text: str, source: str) -> list[Segment]:
    out = []
    for i, part in enumerate(text.split("; "), start=1):
        m = _SEG.match(part)
        if m is None:
            raise ValueError(f"segment example '{part}' is not 'CHROM:START-END log2 X' or '... copy number X'")
        chrom, start, end, log2, cn = m.groups()
        out.append(Segment("example", chrom, normalise_contig(chrom), int(start), int(end),
                           None if log2 is None else float(log2), None if cn is None else float(cn),
                           None, None, source, i))
    return out


def segment_example(ex: dict, rule, source: str) -> tuple[bool, str]:
    """(present?, what was seen) for one example of a copy-number rule."""
    build = ex["build"]
    sex = ex.get("sex", "female")
    calls = call_targets(example_segments(ex["segments"], source), target_set(build), sex, "example",
                         load_thresholds())
    status, hits = match_segments(rule.copy_number, calls, build)
    seen = f"{rule.id} {status}" + (" (" + ", ".join(f"{c.target} {s.state}" for c, s in hits) + ")" if hits else "")
    return status == "present", seen
