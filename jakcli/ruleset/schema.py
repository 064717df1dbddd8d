"""The JSON Schemas of rule and profile files, and a cache of documents that passed them.

Validation and the jsonschema import cost ~85 ms per run, and pipelines call jakcli once per
sample, so a document that passed exactly this schema under exactly this jakcli version is
remembered by a marker file named by their digest (``JAKCLI_NO_CACHE=1`` disables it).
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from importlib import resources
from pathlib import Path


@cache
def validator(kind: str):
    import jsonschema  # imported lazily: start-up time matters in pipelines

    schema = json.loads(_schema_text(kind))
    return jsonschema.Draft202012Validator(schema)


@cache
def _schema_text(kind: str) -> str:
    return resources.files("jakcli").joinpath(f"schemas/{kind}.schema.json").read_text()


def cache_dir(kind: str = "validated") -> Path | None:
    """Where validation results and parsed documents are remembered (None: disabled with
    JAKCLI_NO_CACHE=1)."""
    if os.environ.get("JAKCLI_NO_CACHE"):
        return None
    base = os.environ.get("JAKCLI_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "jakcli")
    return Path(base) / kind


def _parsed_path(raw: bytes) -> Path | None:
    from jakcli import __version__

    d = cache_dir("parsed")
    return None if d is None else d / (hashlib.sha256(__version__.encode() + b"\0" + raw).hexdigest() + ".json")


def cached_document(raw: bytes):
    """The document parsed from exactly these bytes on an earlier run (JSON; None when unknown).
    YAML parsing is most of a warm start's rule loading; the bytes are still read and hashed."""
    path = _parsed_path(raw)
    if path is None:
        return None
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None


def remember_document(raw: bytes, doc) -> None:
    """Store a parsed, plain-data (JSON-compatible) document for :func:`cached_document`."""
    path = _parsed_path(raw)
    if path is None:
        return
    try:  # the cache is an optimisation: a read-only home must not stop a run
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.part")
        tmp.write_bytes(json.dumps(doc, ensure_ascii=False).encode())
        os.replace(tmp, path)
    except OSError:
        pass


def _validated_marker(doc: dict, kind: str) -> Path | None:
    """A marker file whose name is the sha256 of (jakcli version, schema, document): it exists only
    if exactly this document passed exactly this schema before, so validation can be skipped (it
    and the jsonschema import cost ~85 ms per run, and pipelines call jakcli once per sample)."""
    from jakcli import __version__

    d = cache_dir()
    if d is None:
        return None
    key = hashlib.sha256(__version__.encode() + b"\0" + _schema_text(kind).encode() + b"\0" + canonical(doc))
    return d / key.hexdigest()


def validated_schema_errors(doc: dict, kind: str) -> list[tuple[str, str]]:
    """:func:`schema_errors`, skipped for a document that passed before (see :func:`_validated_marker`)."""
    marker = _validated_marker(doc, kind)
    if marker is not None and marker.exists():
        return []
    errs = schema_errors(doc, kind)
    if not errs and marker is not None:
        try:  # the cache is an optimisation: a read-only home must not stop a run
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
        except OSError:
            pass
    return errs


def schema_errors(doc, kind: str) -> list[tuple[str, str]]:
    """All schema violations as (json-path, message), sorted by path."""
    errs = []
    for e in validator(kind).iter_errors(doc):
        path = "/".join(str(p) for p in e.absolute_path) or "(top level)"
        errs.append((path, e.message))
    return sorted(errs)


def canonical(obj) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
