"""Rules and profiles as data: loading (safe YAML), schema validation, the id/alias/override
policy, and compilation into the matchers the engine reads."""

from jakcli.ruleset.compiled import (
    AlleleMatcher,
    AlleleSite,
    CodonMatcher,
    FusionMatcher,
    FusionSide,
    Profile,
    RegionMatcher,
    Rule,
    Ruleset,
)
from jakcli.ruleset.loader import bundled_rules_dir, load_ruleset, read_yaml

__all__ = ["AlleleMatcher", "AlleleSite", "CodonMatcher", "FusionMatcher", "FusionSide", "Profile", "RegionMatcher",
           "Rule", "Ruleset", "bundled_rules_dir", "load_ruleset", "read_yaml"]
