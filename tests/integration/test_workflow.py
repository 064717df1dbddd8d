"""The Snakemake workflow (workflow/) scatters a manifest and gathers what `jakcli batch` writes."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from support import REPO, jakcli_command

pytest.importorskip("snakemake", reason="snakemake is not installed (pip install '.[test]' installs it)")

EXAMPLE = REPO / "workflow" / "example_manifest.tsv"


def run_workflow(workdir: Path, manifest: Path, outdir: Path, **config) -> subprocess.CompletedProcess:
    cfg = workdir / "config.json"
    cfg.write_text(json.dumps({"manifest": str(manifest), "outdir": str(outdir),
                               "jakcli": shlex.join(jakcli_command()), **config}))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "snakemake", "-s", str(REPO / "workflow" / "Snakefile"),
                           "--directory", str(workdir), "--configfile", str(cfg), "--cores", "2"],
                          capture_output=True, text=True, env=env, timeout=600)


def test_workflow_matches_batch(tmp_path, run_jakcli):
    res = run_workflow(tmp_path, EXAMPLE, tmp_path / "wf")
    assert res.returncode == 0, res.stderr[-3000:]
    assert len(list((tmp_path / "wf" / "shards").iterdir())) == 2  # one shard per distinct VCF
    batch = run_jakcli("batch", EXAMPLE, "-o", tmp_path / "batch")
    assert batch.returncode == 0, batch.stderr
    for name in ("cohort.tsv", "cohort.json", "failures.tsv"):
        assert (tmp_path / "wf" / name).read_text() == (tmp_path / "batch" / name).read_text(), name
    reports = sorted(p.name for p in (tmp_path / "batch" / "reports").iterdir())
    assert len(reports) == 10 and sorted(p.name for p in (tmp_path / "wf" / "reports").iterdir()) == reports
    for name in reports:
        assert (tmp_path / "wf" / "reports" / name).read_bytes() == (tmp_path / "batch" / "reports" / name).read_bytes()


def test_failed_sample_fails_the_workflow_but_keeps_the_cohort(tmp_path):
    (tmp_path / "junk.vcf").write_text("this is not a VCF\n")
    rows = EXAMPLE.read_text().replace("../sample_data/", f"{REPO}/sample_data/") + "JUNK\tjunk.vcf\n"
    manifest = tmp_path / "manifest.tsv"
    manifest.write_text(rows)
    res = run_workflow(tmp_path, manifest, tmp_path / "wf", shards=2)
    assert res.returncode != 0 and "jakcli: failed samples: 1" in res.stderr
    lines = (tmp_path / "wf" / "cohort.tsv").read_text().splitlines()[1:]
    status = dict(line.split("\t")[:2] for line in lines)
    assert status.pop("JUNK") == "failed" and set(status.values()) == {"ok"} and len(status) == 10
    assert "junk.vcf" in (tmp_path / "wf" / "failures.tsv").read_text()
