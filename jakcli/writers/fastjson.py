"""JSON with indent=2 byte-identical to ``json.dumps(obj, indent=2, ensure_ascii=False)``, written by
orjson when it is installed and the document holds nothing orjson would write differently (issue 14).

``indent=2`` makes the standard library use its pure-Python encoder (about 20 times slower than orjson
on a report). orjson is optional: without it, or when its compact text differs from the standard
library's in any byte (floats in exponent notation, NaN or infinity, control-character escapes, other
types), or when it refuses the document (non-string keys, integers beyond 64 bits, lone surrogates),
the standard library writes it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache


@cache
def _orjson():
    """orjson, imported on first use (its import costs a few ms of start-up), or None."""
    try:
        import orjson
    except ImportError:  # optional: the standard library writes the same bytes, slower
        return None
    return orjson


def dumps_indent2(obj) -> str:
    """``json.dumps(obj, indent=2, ensure_ascii=False)``, the same text, faster when possible.

    The guard is the compact form: the standard library's C encoder writes it (fast, since only
    ``indent`` forces the Python encoder), orjson writes its own, and only when the two are equal byte
    for byte - same keys, order, numbers and escapes - is orjson's indented text used; the two
    encoders indent alike (``": "``, ``",\\n"``, two spaces, ``[]``/``{}`` for empty containers)."""
    orjson = _orjson()
    if orjson is not None:
        try:
            same = orjson.dumps(obj).decode() == json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
            text = orjson.dumps(obj, option=orjson.OPT_INDENT_2).decode() if same else None
        except (TypeError, ValueError):  # orjson.JSONEncodeError is a TypeError; 64-bit ints, surrogates
            text = None
        if text is not None:
            return text
    return json.dumps(obj, indent=2, ensure_ascii=False)


def chunks_indent2(obj: dict, stream: str = "samples") -> Iterator[str]:
    """:func:`dumps_indent2` of a dict, in pieces: the list under key ``stream`` item by item, so a
    10,000-sample report is never one string (with orjson's bytes and the guard's compact form, three).
    ``"".join`` of the pieces is byte for byte :func:`dumps_indent2` of the whole: the standard
    library indents each nested value by its depth alone, so each item written at depth 2 and
    re-indented by four spaces is what the whole document holds."""
    if not obj:
        yield "{}"
        return
    yield "{"
    for n, (key, value) in enumerate(obj.items()):
        head = ("," if n else "") + "\n  " + json.dumps(key, ensure_ascii=False) + ": "
        if key == stream and isinstance(value, list) and value:
            yield head + "["
            for i, item in enumerate(value):
                yield ("," if i else "") + "\n    " + dumps_indent2(item).replace("\n", "\n    ")
            yield "\n  ]"
        else:
            yield head + dumps_indent2(value).replace("\n", "\n  ")
    yield "\n}"


def loads(data: bytes):
    """``json.loads``, by orjson when installed (a batch reads back every report it wrote, and a
    resume every report it finds); whatever orjson refuses (NaN literals, integers beyond 64 bits)
    is left to the standard library, which decides what is valid."""
    orjson = _orjson()
    if orjson is not None:
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
    return json.loads(data)
