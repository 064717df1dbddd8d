"""Copy-number call thresholds as rule data: rules/copy_number/thresholds.yaml (bundled), or a
lab's own file of the same shape given for the run (``--cnv-thresholds``)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jakcli.errors import RuleError

_REQUIRED = {"log2": ("deep_loss_max", "loss_max", "gain_min", "amplification_min"),
             "copy_number": ("deep_loss_max", "loss_margin", "gain_margin", "amplification_ploidy_ratio"),
             "purity": ("min_purity",),
             "sex_chromosomes": ("expected_copies", "reference_copies", "par1", "infer_y_absent_log2_max",
                                 "infer_y_present_log2_min"),
             "focal": ("broad_min_arm_fraction",)}


def bundled_thresholds_path() -> Path:
    from jakcli.ruleset.loader import bundled_rules_dir

    return bundled_rules_dir() / "copy_number" / "thresholds.yaml"


@cache
def load_thresholds(path: str | None = None) -> dict:
    """The thresholds document; a missing section or key is a RuleError naming file and key."""
    from jakcli.ruleset.loader import read_yaml

    where = Path(path) if path else bundled_thresholds_path()
    if not where.is_file():
        raise RuleError(f"{where}: copy-number thresholds file not found; pass an existing file")
    doc = read_yaml(where)
    if not isinstance(doc, dict):
        raise RuleError(f"{where}: copy-number thresholds must be a YAML mapping "
                        "(see rules/copy_number/thresholds.yaml)")
    for section, keys in _REQUIRED.items():
        for key in keys:
            if not isinstance(doc.get(section), dict) or key not in doc[section]:
                raise RuleError(f"{where}: missing '{section}.{key}'; copy it from rules/copy_number/thresholds.yaml")
    for key in ("par1", "par2"):  # par2 is optional
        if key in doc["sex_chromosomes"]:
            _check_par(where, key, doc["sex_chromosomes"][key])
    return doc


def _check_par(where: Path, key: str, par: object) -> None:
    """A pseudoautosomal region: per build, X and Y as [first, last] 1-based positions."""
    for build in ("GRCh37", "GRCh38"):
        for contig in ("X", "Y"):
            per_build = par.get(build) if isinstance(par, dict) else None
            span = per_build.get(contig) if isinstance(per_build, dict) else None
            if not (isinstance(span, list) and len(span) == 2 and all(isinstance(x, int) for x in span)
                    and 1 <= span[0] <= span[1]):
                raise RuleError(f"{where}: 'sex_chromosomes.{key}.{build}.{contig}' must be [first, last] 1-based "
                                "positions; copy it from rules/copy_number/thresholds.yaml")
