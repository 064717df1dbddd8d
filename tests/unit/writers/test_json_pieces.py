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
    {"samples": [{"t": True, "f": False, "n": None, "i": -3, "big": 2**80, "x": 0.1, "nan": float("nan"),
                  "inf": float("-inf"), "z": -0.0, "u": "\u2028\x7f\x00\ud7ff", "e": [], "d": {}}]},
])
def test_pieces_join_to_the_whole(doc):
    assert "".join(chunks_indent2(doc)) == json.dumps(doc, indent=2, ensure_ascii=False)


def test_values_shared_between_items_are_written_like_any_other():
    loci = [{"rule": "a", "depth": 3}, {"rule": "b", "depth": None}]
    risk = {"level": "none-detected", "not_assessed": []}
    samples = [{"sample": f"S{i}", "risk": risk, "loci": loci, "findings": []} for i in range(4)]
    samples.append({"sample": "own", "risk": {"level": "high"}, "loci": [dict(loci[0])], "findings": [{"x": 1}]})
    samples.append({"sample": "again", "risk": risk, "loci": loci, "findings": []})
    doc = {"schema_version": 3, "samples": samples, "stats": {"n": 6}}
    assert "".join(chunks_indent2(doc)) == json.dumps(doc, indent=2, ensure_ascii=False)
