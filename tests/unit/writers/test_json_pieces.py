"""The report's JSON written in pieces equals the standard library's indent=2 text of the whole."""

from __future__ import annotations

import json

import pytest

from jakcli.writers.fastjson import chunks_indent2


@pytest.mark.parametrize("doc", [
    {}, {"a": 1}, {"samples": []}, {"samples": [{}]}, {"samples": [[]]},
    {"x": [1, {"b": []}], "samples": [{"s": "\u00e9\n\t\"", "l": [[], [1, 2], {"k": {}}]},
                                      {"n": None, "f": 1.5e-07, "big": 2**70}], "z": {"y": [{"w": "q"}]}},
    {"samples": {"not": "a list"}, "k": "v"},
])
def test_pieces_join_to_the_whole(doc):
    assert "".join(chunks_indent2(doc)) == json.dumps(doc, indent=2, ensure_ascii=False)
