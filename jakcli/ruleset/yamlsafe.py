"""Bounded, plain-data YAML: what any rule, profile or threshold file must be before validation,
caching or digests see it (a billion-laughs document, 5,000-deep nesting, dates, sets or binary
values are refused quickly with a one-line reason)."""

from __future__ import annotations

import math
from functools import cache

MAX_YAML_BYTES = 1 << 20  # a rule or profile is a few KB; bounds what any later step may see
MAX_YAML_VALUES = 50_000  # counted with aliases expanded: stops a billion-laughs document
MAX_YAML_DEPTH = 64


def yaml_shape_problem(doc) -> str | None:
    """Why a loaded document is not bounded, JSON-like data (str keys; str, int, finite float, bool,
    null, lists, mappings), or None. Iterative, so deep nesting and recursive aliases cannot crash it."""
    stack, seen = [(doc, 1, "(top level)")], 0
    while stack:
        obj, depth, where = stack.pop()
        seen += 1
        if seen > MAX_YAML_VALUES:
            return f"more than {MAX_YAML_VALUES} values once aliases are expanded (an alias bomb or a runaway file)"
        if depth > MAX_YAML_DEPTH:
            return f"{where}: nested deeper than {MAX_YAML_DEPTH} levels"
        if isinstance(obj, dict):
            for k, v in obj.items():
                if not isinstance(k, str):
                    return f"{where}: the key {str(k)[:40]!r} is not a string; quote it"
                stack.append((v, depth + 1, k))
        elif isinstance(obj, list):
            stack.extend((v, depth + 1, where) for v in obj)
        elif isinstance(obj, float) and not math.isfinite(obj):
            return f"{where}: {obj} is not a finite number"
        elif not (obj is None or isinstance(obj, (str, int, float, bool))):
            return f"{where}: a YAML {type(obj).__name__} value has no JSON equivalent; quote it as a string"
    return None


@cache
def strict_loader():
    """libyaml's safe loader when present (ten times faster than pure Python), refusing duplicate
    keys, as ``rules lint`` does: otherwise the last value would silently win."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class StrictLoader(base):
        def construct_mapping(self, node, deep=False):
            keys = [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
            dup = next((k for i, k in enumerate(keys) if k in keys[:i]), None)
            if dup is not None:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{dup[:40]}'",
                                                        node.start_mark)
            return super().construct_mapping(node, deep)

    return StrictLoader
