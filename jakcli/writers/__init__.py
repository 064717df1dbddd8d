"""Writers turn the report dict into the formats people and tools read; they decide nothing
clinical. Each format's module is imported only when that format is written (start-up time)."""

from __future__ import annotations

from importlib import import_module, util

from jakcli.errors import InputError

_RENDERERS = {  # format -> (module, function)
    "json": ("jakcli.writers.text", "to_json"),
    "tsv": ("jakcli.writers.text", "to_tsv"),
    "md": ("jakcli.writers.text", "to_markdown"),
    "html": ("jakcli.writers.html", "render_html"),
    "maf": ("jakcli.writers.maf", "to_maf"),  # hand-off formats (docs/handoff.md)
    "cbioportal-sv": ("jakcli.writers.maf", "to_cbioportal_sv"),
    "xlsx": ("jakcli.writers.xlsx", "to_xlsx"),
    "fhir": ("jakcli.writers.fhir", "to_fhir_json"),
    "phenopacket": ("jakcli.writers.phenopacket", "to_phenopacket_json"),
}
FORMATS = (*_RENDERERS, "vcf")  # vcf: the input annotated in place (jakcli.annotate)
BINARY_FORMATS = frozenset({"xlsx"})  # render() returns bytes, not text
OPTIONAL_PACKAGES = {"xlsx": "openpyxl"}  # format -> the optional package it needs to be written
INSTALL_HINT = "pip install 'jakcli[handoff]'"


def require(fmt: str) -> None:
    """A one-line InputError (exit 2) when format ``fmt`` needs an optional package that is missing;
    call it before classifying, so nothing is computed for a report that cannot be written."""
    package = OPTIONAL_PACKAGES.get(fmt)
    if package and util.find_spec(package) is None:
        raise InputError(f"--format {fmt} needs the optional package '{package}', which is not installed; "
                         f"run: {INSTALL_HINT}")


_STREAMED = {"json": ("jakcli.writers.text", "json_chunks")}  # format -> pieces, written as they come


def render_pieces(fmt: str, report: dict):
    """:func:`render`, as pieces to write one after another where the format can be written so
    (JSON: one sample at a time), else the whole text as one piece."""
    if fmt in _STREAMED:
        module, name = _STREAMED[fmt]
        return getattr(import_module(module), name)(report)
    return render(fmt, report)


def render(fmt: str, report: dict) -> str | bytes:
    """The report in format ``fmt`` (one of :data:`FORMATS` except ``vcf``): text, or bytes for
    the formats in :data:`BINARY_FORMATS`."""
    require(fmt)
    module, name = _RENDERERS[fmt]
    return getattr(import_module(module), name)(report)
