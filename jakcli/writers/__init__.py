"""Writers turn the report dict into the formats people and tools read; they decide nothing
clinical. Each format's module is imported only when that format is written (start-up time)."""

from __future__ import annotations

from importlib import import_module

_RENDERERS = {  # format -> (module, function)
    "json": ("jakcli.writers.text", "to_json"),
    "tsv": ("jakcli.writers.text", "to_tsv"),
    "md": ("jakcli.writers.text", "to_markdown"),
    "html": ("jakcli.writers.html", "render_html"),
}
FORMATS = (*_RENDERERS, "vcf")  # vcf: the input annotated in place (jakcli.annotate)


def render(fmt: str, report: dict) -> str:
    """The report in format ``fmt`` (one of :data:`FORMATS` except ``vcf``)."""
    module, name = _RENDERERS[fmt]
    return getattr(import_module(module), name)(report)
