"""``jakcli batch`` through CliRunner: progress lines when stderr is not a terminal."""

from __future__ import annotations

from support import manifest, single_vcfs


def test_plain_progress_lines_when_stderr_is_not_a_terminal(tmp_path, runner, monkeypatch):
    import jakcli.cli.batch
    from jakcli.cli import cli

    monkeypatch.setattr(jakcli.cli.batch, "PLAIN_PROGRESS_EVERY_S", 0)
    m = manifest(tmp_path / "m.tsv", single_vcfs(tmp_path / "vcf", 3))
    res = runner.invoke(cli, ["batch", str(m), "-o", str(tmp_path / "out"), "--jobs", "1"])
    assert res.exit_code == 0 and res.stdout == ""
    assert "jakcli: batch 1/3 done, 0 failed\njakcli: batch 2/3 done, 0 failed\n" in res.stderr
    assert res.stderr.endswith("summary in " + str(tmp_path / "out" / "cohort.tsv") + "\n")

