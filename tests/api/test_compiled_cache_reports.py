"""Reports are byte-identical with the compiled-ruleset cache cold, warm, and disabled (issue 14)."""

from __future__ import annotations

from jakcli.classify import Options, classify
from jakcli.writers.text import to_json
from support import SAMPLE_DATA


def _report(monkeypatch, **env) -> str:
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    return to_json(classify([str(SAMPLE_DATA / "cohort_grch38.vcf.gz")], Options()))


def test_cold_warm_and_disabled_cache_give_identical_reports(tmp_path, monkeypatch):
    monkeypatch.delenv("JAKCLI_NO_CACHE", raising=False)
    cold = _report(monkeypatch, JAKCLI_CACHE_DIR=str(tmp_path / "c"))
    assert list((tmp_path / "c" / "compiled").glob("*.json"))
    warm = _report(monkeypatch)
    off = _report(monkeypatch, JAKCLI_NO_CACHE="1")
    assert cold == warm == off
    assert '"findings"' in cold
