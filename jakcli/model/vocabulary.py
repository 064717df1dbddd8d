"""Closed vocabularies shared by every stage: genome builds and risk levels (rank and titles)."""

from __future__ import annotations

from enum import StrEnum


class Build(StrEnum):
    """A genome build, named as the reports name it."""

    GRCH37 = "GRCh37"
    GRCH38 = "GRCh38"


BUILD_ALIASES = {"grch37": Build.GRCH37, "hg19": Build.GRCH37, "b37": Build.GRCH37, "hs37d5": Build.GRCH37,
                 "grch38": Build.GRCH38, "hg38": Build.GRCH38}


class Level(StrEnum):
    """Risk levels, from most to least severe; ``not-assessable`` ranks below every other level."""

    HIGH = "high"
    INTERMEDIATE = "intermediate"
    INFORMATIONAL = "informational"
    NONE_DETECTED = "none-detected"
    NOT_ASSESSABLE = "not-assessable"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def title(self) -> str:  # type: ignore[override]  # str.title() is shadowed on purpose
        """Words for a sentence or a banner ("High risk")."""
        return _TITLES[self][0]

    @property
    def short_title(self) -> str:
        """Words for a chart axis or a column ("High")."""
        return _TITLES[self][1]

    @classmethod
    def rank_of(cls, value: str) -> int:
        """Rank of a level written in a report; an unknown word ranks below every level."""
        try:
            return cls(value).rank
        except ValueError:
            return -2


_RANK = {Level.HIGH: 3, Level.INTERMEDIATE: 2, Level.INFORMATIONAL: 1, Level.NONE_DETECTED: 0,
         Level.NOT_ASSESSABLE: -1}
_TITLES = {
    Level.HIGH: ("High risk", "High"),
    Level.INTERMEDIATE: ("Intermediate risk", "Intermediate"),
    Level.INFORMATIONAL: ("Informational", "Informational"),
    Level.NONE_DETECTED: ("None detected", "None detected"),
    Level.NOT_ASSESSABLE: ("Not assessable", "Not assessable"),
}


class InputClass(StrEnum):
    """What kind of evidence a rule reads."""

    SMALL_VARIANT = "small-variant"
    REARRANGEMENT = "rearrangement"
    COPY_NUMBER = "copy-number"


class OutcomeStatus(StrEnum):
    """What became of one rearrangement call against one rule."""

    REPORTED = "reported"
    BELOW_FLOOR = "below_floor"
    NOT_QUALIFYING = "not_qualifying"


__all__ = ["BUILD_ALIASES", "Build", "InputClass", "Level", "OutcomeStatus"]
