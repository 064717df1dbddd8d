"""The compiled-ruleset cache (issue 14): plain JSON data keyed by every byte that decides the result;
a corrupt, stale or foreign entry is ignored and rebuilt, never an error."""

from __future__ import annotations

import json

import pytest

import jakcli.ruleset.loader as loader
from jakcli.ruleset import compiled_cache
from jakcli.ruleset.loader import bundled_rules_dir, load_ruleset


@pytest.fixture
def cache(jakcli_cache):
    return jakcli_cache / "compiled"


def _same(a, b):
    assert a == b and a.digest == b.digest and a.aliases == b.aliases
    assert [r.doc for r in a.rules.values()] == [r.doc for r in b.rules.values()]
    assert [p.doc for p in a.profiles.values()] == [p.doc for p in b.profiles.values()]


def _refuse_compiling(monkeypatch):
    def refuse(*_a):
        raise AssertionError("rules were compiled although a valid compiled entry exists")
    monkeypatch.setattr(loader, "compile_rule", refuse)


def test_encoding_round_trips_the_bundled_ruleset():
    rs = load_ruleset()
    back = compiled_cache.decode(json.loads(json.dumps(compiled_cache.encode(rs))))
    _same(rs, back)


def test_warm_load_compiles_nothing_and_gives_the_same_ruleset(cache, monkeypatch):
    first = load_ruleset()
    assert len(list(cache.glob("*.json"))) == 1
    _refuse_compiling(monkeypatch)
    _same(first, load_ruleset())


@pytest.mark.parametrize("garbage", [b"", b"{not json", b'{"format": 1, "key": "x", "ruleset": {}}',
                                     b'{"format": 1, "ruleset": {"@c": ["os.system", {}]}}', b"[1, 2]"])
def test_a_corrupt_entry_is_ignored_and_rebuilt(cache, garbage):
    first = load_ruleset()
    (entry,) = cache.glob("*.json")
    entry.write_bytes(garbage)
    _same(first, load_ruleset())
    assert json.loads(entry.read_bytes())["key"] == entry.stem  # rebuilt


def test_an_entry_whose_key_does_not_match_its_name_is_ignored(cache, tmp_path):
    first = load_ruleset()
    (entry,) = cache.glob("*.json")
    other = tmp_path / "lab"
    other.mkdir()
    lab = load_ruleset([other])  # a different stack: a different entry
    assert len(list(cache.glob("*.json"))) == 2
    data = json.loads(entry.read_bytes())
    data["ruleset"] = compiled_cache.encode(lab)  # right format, wrong contents for this name
    entry.write_text(json.dumps(data).replace(entry.stem, "0" * 64))
    _same(first, load_ruleset())


def test_a_changed_rule_file_invalidates_the_entry(cache, tmp_path, monkeypatch):
    lab = tmp_path / "lab"
    lab.mkdir()
    text = (bundled_rules_dir() / "jak2-v617f.yaml").read_text()
    text = text.replace("id: jak2-v617f", "id: jak2-v617f\noverrides: true", 1)
    (lab / "jak2-v617f.yaml").write_text(text)
    before = load_ruleset([lab])
    (lab / "jak2-v617f.yaml").write_text(text.replace("title: ", "title: Changed ", 1))
    after = load_ruleset([lab])
    assert after.rules["jak2-v617f"].title.startswith("Changed ")
    assert after.digest != before.digest and len(list(cache.glob("*.json"))) == 2
    (lab / "profiles").mkdir()  # a new (empty) directory changes nothing; a new file would
    _refuse_compiling(monkeypatch)
    _same(after, load_ruleset([lab]))


def test_disabled_or_unwritable_cache_still_loads(tmp_path, monkeypatch):
    monkeypatch.setenv("JAKCLI_NO_CACHE", "1")
    monkeypatch.setenv("JAKCLI_CACHE_DIR", str(tmp_path / "c1"))
    assert load_ruleset().rules and not (tmp_path / "c1").exists()
    monkeypatch.delenv("JAKCLI_NO_CACHE")
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("JAKCLI_CACHE_DIR", str(blocker))
    assert load_ruleset().rules
