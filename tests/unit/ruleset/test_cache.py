"""Schema-validation results are remembered per exact document, schema and jakcli version."""

from __future__ import annotations

import shutil

import pytest

import jakcli.ruleset.schema as ruleset
from jakcli.errors import RuleError
from jakcli.ruleset.loader import bundled_rules_dir, load_ruleset


@pytest.fixture
def cache(jakcli_cache):
    return jakcli_cache / "validated"


def test_second_load_skips_validation_and_gives_the_same_ruleset(cache, monkeypatch):
    first = load_ruleset()
    n_docs = len(first.rules) + len(first.profiles)
    assert len(list(cache.iterdir())) == n_docs

    def refuse(*_args):
        raise AssertionError("schema validation ran although every document was validated before")

    monkeypatch.setattr(ruleset, "schema_errors", refuse)
    second = load_ruleset()
    assert second.digest == first.digest and list(second.rules) == list(first.rules)


def test_a_changed_document_is_validated_again(cache, tmp_path):
    load_ruleset()
    lab = tmp_path / "lab"
    lab.mkdir()
    text = (bundled_rules_dir() / "jak2-v617f.yaml").read_text().replace("origin: somatic", "origin: sommatic")
    (lab / "jak2-v617f.yaml").write_text(text.replace("id: jak2-v617f", "id: jak2-v617f\noverrides: true", 1))
    with pytest.raises(RuleError, match="sommatic"):
        load_ruleset([lab])


def test_no_cache_when_disabled_or_unwritable(tmp_path, monkeypatch):
    monkeypatch.setenv("JAKCLI_NO_CACHE", "1")
    monkeypatch.setenv("JAKCLI_CACHE_DIR", str(tmp_path / "c1"))
    load_ruleset()
    assert not (tmp_path / "c1").exists()
    monkeypatch.delenv("JAKCLI_NO_CACHE")
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("JAKCLI_CACHE_DIR", str(blocker))  # the cache cannot be created: still loads
    assert load_ruleset().rules
    shutil.rmtree(tmp_path / "c1", ignore_errors=True)
