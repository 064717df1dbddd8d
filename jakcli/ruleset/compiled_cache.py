"""A cache of compiled rule sets, stored as plain JSON data (never pickle; issue 14).

A warm run then reads and hashes the rule files' bytes but parses, validates and compiles nothing.
The key is the sha256 of: a cache format number, the jakcli version, the bytes of the Python modules
that decide validation and compilation (jakcli/ruleset, reference and model, so an edited checkout
never reads a stale entry), the JSON Schemas, and, for every stacked rule directory, its name, its
path as given, and the name and bytes of every file :func:`jakcli.ruleset.loader.load_ruleset`
reads. Entries live next to the parsed cache (``JAKCLI_CACHE_DIR``, else
``$XDG_CACHE_HOME/jakcli``; ``JAKCLI_NO_CACHE=1`` disables it).
An unreadable, corrupt or unknown entry is ignored and rebuilt: the cache is never an error.

The encoding is tagged JSON: tuples ``{"@t": [...]}``, frozensets ``{"@f": [...]}``, dicts whose
keys are not all plain strings ``{"@d": [[k, v], ...]}``, rule and profile documents (plain data,
kept as is) ``{"@j": doc}``, enums ``{"@e": [class, value]}`` and the
frozen records of :mod:`jakcli.ruleset.compiled` ``{"@c": [class, {field: value}]}``. Decoding
builds only those named classes.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import os
from pathlib import Path

from jakcli.model import Build, Level
from jakcli.ruleset import compiled
from jakcli.ruleset.schema import _schema_text, cache_dir
from jakcli.ruleset.yamlsafe import MAX_YAML_BYTES

FORMAT = 1
_CODE = ("ruleset", "reference", "model")  # the packages whose code decides a compiled rule set
_RECORDS = {c.__name__: c for c in vars(compiled).values()
            if isinstance(c, type) and dataclasses.is_dataclass(c) and c.__module__ == compiled.__name__}
_ENUMS = {c.__name__: c for c in (Build, Level)}
_NESTED = (list, dict)


def _files(d: Path) -> list[Path]:
    """The files load_ruleset reads from one directory, in its order (same globs)."""
    out = [d / "ruleset.yaml"] if (d / "ruleset.yaml").is_file() else []
    out += [p for p in sorted(d.glob("*.yaml")) if p.name != "ruleset.yaml"]
    pdir = d / "profiles"
    return out + (sorted(pdir.glob("*.yaml")) if pdir.is_dir() else [])


def _code_files(package: Path) -> list[Path]:
    return [p for sub in _CODE for p in sorted((package / sub).glob("*.py"))]


def cache_key(stack: list[tuple[str, Path]]) -> str | None:
    """The digest naming the compiled form of these directories (None: do not use the cache)."""
    from jakcli import __version__

    h = hashlib.sha256(f"{FORMAT}\0{__version__}\0".encode())
    package = Path(__file__).parents[1]
    try:
        for code in _code_files(package):
            h.update(f"{code.relative_to(package)}\0".encode() + code.read_bytes() + b"\0")
        for kind in ("rule", "profile"):
            h.update(_schema_text(kind).encode() + b"\0")
        for name, d in stack:
            h.update(f"dir\0{name}\0{d}\0".encode())
            for p in _files(d):
                if p.stat().st_size > MAX_YAML_BYTES:
                    return None  # the loader reports it
                raw = p.read_bytes()
                h.update(f"{p.relative_to(d)}\0{len(raw)}\0".encode() + raw)
    except (OSError, ValueError):
        return None  # the loader reports unreadable files
    return h.hexdigest()


def _path(key: str) -> Path | None:
    d = cache_dir("compiled")
    return None if d is None else d / f"{key}.json"


def load(key: str | None):
    """The rule set stored under ``key``, or None when absent, unreadable or not a valid entry."""
    path = _path(key) if key else None
    if path is None:
        return None
    try:
        entry = json.loads(path.read_bytes())
        if entry.get("key") != key or entry.get("format") != FORMAT:
            return None
        rs = decode(entry["ruleset"])
    except Exception:  # any corrupt cache entry is rebuilt, never an error
        return None
    return rs if isinstance(rs, compiled.Ruleset) else None


def store(key: str | None, ruleset) -> None:
    """Remember ``ruleset`` under ``key`` (atomically; a read-only home is not an error)."""
    path = _path(key) if key else None
    if path is None:
        return
    try:
        data = json.dumps({"format": FORMAT, "key": key, "ruleset": encode(ruleset)},
                          ensure_ascii=False, allow_nan=True).encode()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.part")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except (OSError, TypeError, ValueError):
        pass


def encode(obj):
    """Plain JSON data for a compiled rule set (see the module docstring)."""
    if obj is None or isinstance(obj, (bool, int, float, str)) and not isinstance(obj, enum.Enum):
        return obj
    if isinstance(obj, enum.Enum):
        if type(obj).__name__ not in _ENUMS:
            raise TypeError(f"cannot cache {type(obj).__name__}")
        return {"@e": [type(obj).__name__, obj.value]}
    if isinstance(obj, list):
        return [encode(x) for x in obj]
    if isinstance(obj, tuple):
        return {"@t": [encode(x) for x in obj]}
    if isinstance(obj, frozenset):
        return {"@f": [encode(x) for x in obj]}
    if isinstance(obj, dict):
        if all(isinstance(k, str) and not isinstance(k, enum.Enum) and not k.startswith("@") for k in obj):
            return {k: encode(v) for k, v in obj.items()}
        return {"@d": [[encode(k), encode(v)] for k, v in obj.items()]}
    name = type(obj).__name__
    if _RECORDS.get(name) is type(obj):
        return {"@c": [name, {f.name: _field(getattr(obj, f.name)) if f.name == "doc" else encode(getattr(obj, f.name))
                              for f in dataclasses.fields(obj)}]}
    raise TypeError(f"cannot cache {name}")


def _field(doc):
    """A rule or profile document: plain JSON data, stored as is and decoded without a walk."""
    if not _plain(doc):
        raise TypeError("a document that is not plain JSON data is not cached")
    return {"@j": doc}


def _plain(x) -> bool:
    if x is None or type(x) in (bool, int, float, str):
        return True
    if type(x) is list:
        return all(map(_plain, x))
    return type(x) is dict and all(type(k) is str and _plain(v) for k, v in x.items())


def decode(data):
    """The inverse of :func:`encode`; builds only the classes it names (else ValueError)."""
    kind = type(data)
    if kind is list:
        return [decode(x) for x in data]
    if kind is not dict:
        return data
    if len(data) == 1:
        (tag, val), = data.items()
        if tag == "@j":
            return val
        if tag == "@t":
            return tuple([decode(x) if type(x) in _NESTED else x for x in val])
        if tag == "@f":
            return frozenset(decode(x) for x in val)
        if tag == "@d":
            return {decode(k): decode(v) for k, v in val}
        if tag == "@e":
            return _ENUMS[val[0]](val[1])
        if tag == "@c":
            return _RECORDS[val[0]](**{k: decode(v) for k, v in val[1].items()})
        if tag.startswith("@"):
            raise ValueError(f"unknown tag {tag}")
    return {k: decode(v) for k, v in data.items()}
