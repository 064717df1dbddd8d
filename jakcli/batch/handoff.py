"""The hand-off steps of a batch run (``--cbioportal``, ``--reanalyse``), after the cohort files.

Both read the reports the run left in OUTDIR (through cohort.json), so a resumed or gathered run
hands off exactly what its cohort files say.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from jakcli.diff import Side, diff_sides, load_side
from jakcli.writers.atomic import write_atomic


@dataclass(frozen=True)
class HandoffResult:
    study_files: tuple[Path, ...] = ()  # written under OUTDIR/cbioportal/
    changes: dict | None = None  # the diff result behind OUTDIR/changes.tsv


def batch_handoff(outdir, cbioportal: bool = False, before: Side | None = None) -> HandoffResult:
    """Write OUTDIR/cbioportal/<build>/ (``cbioportal``) and OUTDIR/changes.tsv (``before``: the
    previous run, loaded with :func:`jakcli.diff.load_side` BEFORE this run, since it may be OUTDIR)."""
    out = Path(outdir)
    written: list[Path] = []
    if cbioportal:
        from jakcli.writers.cbioportal import study_files, study_id_from

        for rel, text in study_files(_reports(out), study_id_from(out.resolve().name), "jakcli").items():
            path = out / "cbioportal" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(str(path), text)
            written.append(path)
        _remove_stale(out / "cbioportal", written)
    result = None
    if before is not None:
        from jakcli.writers.changes import to_tsv

        result = diff_sides(before, load_side(out))
        write_atomic(str(out / "changes.tsv"), to_tsv(result))
    return HandoffResult(tuple(written), result)


STUDY_FILE_PATTERNS = ("*/meta_*.txt", "*/data_*.txt", "*/case_lists/cases_*.txt")


def _remove_stale(folder: Path, written: list[Path]) -> None:
    """Study files of an earlier run that this run did not write (a build or an SV file that is gone
    now) would be imported with the new ones: remove them (only file names jakcli writes)."""
    keep = {p.resolve() for p in written}
    for pattern in STUDY_FILE_PATTERNS:
        for path in folder.glob(pattern):
            if path.resolve() not in keep:
                path.unlink()


def _reports(outdir: Path) -> list[dict]:
    """The successful reports of a batch OUTDIR, in manifest order."""
    cohort = json.loads((outdir / "cohort.json").read_text(encoding="utf-8"))
    return [json.loads((outdir / e["report"]).read_text(encoding="utf-8"))
            for e in cohort["samples"] if e.get("status") == "ok"]
