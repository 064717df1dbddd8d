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
            shared: dict[int, tuple[object, str | None]] = {}
            for i, item in enumerate(value):
                yield ("," if i else "") + "\n    " + _item(item, shared)
            yield "\n  ]"
        else:
            yield head + dumps_indent2(value).replace("\n", "\n  ")
    yield "\n}"


def _item(item, shared: dict[int, tuple[object, str | None]]) -> str:
    """One item of the streamed list at depth 2. A dict is written key by key, and a value that is
    the very object an earlier item held (the locus statuses and risk that samples with nothing of
    their own share) is written once and its text reused: one object, one text. Only texts of values
    seen twice are kept, so a report of distinct samples is still never held whole."""
    if not isinstance(item, dict) or not item:
        return dumps_indent2(item).replace("\n", "\n    ")
    parts = []
    for key, value in item.items():
        if isinstance(value, (dict, list)) and value:
            got = shared.get(id(value))
            if got is not None and got[0] is value and got[1] is not None:
                text = got[1]
            else:
                text = dumps_indent2(value).replace("\n", "\n      ")
                seen_before = got is not None and got[0] is value
                shared[id(value)] = (value, text if seen_before else None)
        else:
            text = _scalar(value)
        parts.append("\n      " + _key(key) + ": " + text)
    return "{" + ",".join(parts) + "\n    }"


_encode_string = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) writes for a str


@cache
def _key(key: str) -> str:
    return json.dumps(key, ensure_ascii=False)


def _scalar(value) -> str:
    """A scalar or empty container as json.dumps writes it (without a call into the encoder machinery)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is str:
        return _encode_string(value)
    if type(value) is int:
        return int.__repr__(value)
    if type(value) is list and not value:
        return "[]"
    if type(value) is dict and not value:
        return "{}"
    return dumps_indent2(value)  # floats (NaN/Infinity), empty containers, anything else: as ever


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
