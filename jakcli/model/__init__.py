"""Typed, immutable records passed between readers, the engine, the risk layer and writers, and
the closed vocabularies they use. Nothing here reads files or knows about rules."""

from jakcli.model.findings import Evidence, Finding, RiskCall
from jakcli.model.options import Options
from jakcli.model.records import Breakend, FusionCall, ProteinAnnotation, SampleCall, SiteMatch, SvJunction, Variant
from jakcli.model.vocabulary import BUILD_ALIASES, Build, InputClass, Level, OutcomeStatus

__all__ = ["BUILD_ALIASES", "Breakend", "Build", "Evidence", "Finding", "FusionCall", "InputClass", "Level",
           "Options", "OutcomeStatus", "ProteinAnnotation", "RiskCall", "SampleCall", "SiteMatch", "SvJunction",
           "Variant"]
