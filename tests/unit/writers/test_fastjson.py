"""JSON reports are byte-identical whether orjson writes them or the standard library does (issue 14)."""

from __future__ import annotations

import json
from enum import Enum

import pytest

from jakcli.writers import fastjson
from jakcli.writers.fastjson import dumps_indent2


class Colour(str, Enum):
    RED = "red"


def _reference(obj) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False)


EDGE = [
    {"vaf": 0.4, "zero": 0.0, "neg": -0.0, "third": 1 / 3, "big": 123456789012345.6, "one": 1.0},
    {"tiny": 1e-05, "small": 0.0001, "huge": 1e16, "large": 9.999e15, "neg": -2.5e-7},
    {"nan": float("nan")}, {"inf": float("inf")}, {"int": 2 ** 70}, {"neg": -(2 ** 63) - 1},
    {"text": "Zürich – 東京 🧬", "ctl": "a\x01b", "esc": "tab\t nl\n quote\" back\\ del\x7f"},
    {1: "int key"}, {"enum": Colour.RED, "tuple": (1, "a", (2.5,))}, {"set": None, "empty": {}, "list": []},
    [], {}, "plain", 7, None, True, {"deep": [[[{"a": [1, 2, {"b": None}]}]]]},
]


@pytest.mark.parametrize("obj", EDGE, ids=range(len(EDGE)))
@pytest.mark.parametrize("with_orjson", [True, False])
def test_edge_values_match_the_standard_library(obj, with_orjson, monkeypatch):
    if not with_orjson:
        monkeypatch.setattr(fastjson, "_orjson", lambda: None)
    assert dumps_indent2(obj) == _reference(obj)


def test_objects_json_refuses_are_refused(monkeypatch):
    class Thing:
        pass

    with pytest.raises(TypeError):
        dumps_indent2({"x": Thing()})

