"""JSON with indent=2 byte-identical to ``json.dumps(obj, indent=2, ensure_ascii=False)``, written by
orjson when it is installed and the document holds nothing orjson would write differently (issue 14).

``indent=2`` makes the standard library use its pure-Python encoder (about 20 times slower than orjson
on a report). orjson is optional: without it, or when :func:`_same_in_orjson` finds a value whose
text could differ (a float outside [1e-4, 1e16) where Python switches to exponent notation, NaN or
infinity, a type other than dict/list/tuple/str/int/float/bool/None, a non-string key), or when
orjson refuses the document (integers beyond 64 bits, lone surrogates), or its output holds a
``\\u00XX`` escape (control characters), the standard library writes it.
"""

from __future__ import annotations

import json
from functools import cache

_SCALARS = (str, int, bool, type(None))


@cache
def _orjson():
    """orjson, imported on first use (its import costs a few ms of start-up), or None."""
    try:
        import orjson
    except ImportError:  # optional: the standard library writes the same bytes, slower
        return None
    return orjson


def dumps_indent2(obj) -> str:
    """``json.dumps(obj, indent=2, ensure_ascii=False)``, the same text, faster when possible."""
    orjson = _orjson()
    if orjson is not None and _same_in_orjson(obj):
        try:
            text = orjson.dumps(obj, option=orjson.OPT_INDENT_2).decode()
        except (TypeError, ValueError):  # orjson.JSONEncodeError is a TypeError
            text = None
        if text is not None and "\\u00" not in text:
            return text
    return json.dumps(obj, indent=2, ensure_ascii=False)


def _same_in_orjson(obj) -> bool:
    """True when every value is one whose orjson text equals the standard library's."""
    stack = [obj]
    pop, push = stack.pop, stack.extend
    while stack:
        o = pop()
        t = type(o)
        if t is dict:
            for k in o:
                if type(k) is not str:
                    return False
            push(o.values())
        elif t is list or t is tuple:
            push(o)
        elif t is float:
            if not (1e-4 <= abs(o) < 1e16 or o == 0.0):
                return False  # also NaN and infinities
        elif not isinstance(o, _SCALARS):
            return False
    return True
