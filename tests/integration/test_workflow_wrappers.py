"""CWL tools run with cwltool --no-container on sample_data; the nf-core module's structure."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from support import REPO, SAMPLE_DATA

SD = SAMPLE_DATA
CWL = REPO / "workflow" / "cwl"
NF = REPO / "workflow" / "nf-core" / "jakcli" / "classify"


def cwltool(tmp_path: Path, tool: str, *args: str) -> dict:
    """Run a CWL tool with this tree's jakcli first on PATH; return cwltool's output object."""
    exe = shutil.which("cwltool")
    if exe is None:
        pytest.skip("cwltool is not installed (pip install 'jakcli[test]'); the CWL tools were not run")
    shim = tmp_path / "bin"
    shim.mkdir()
    (shim / "jakcli").write_text(f"#!/bin/sh\nexec {sys.executable} -m jakcli \"$@\"\n")
    (shim / "jakcli").chmod(0o755)
    env = {**os.environ, "PATH": f"{shim}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(REPO)}
    out = tmp_path / "out"
    proc = subprocess.run([exe, "--no-container", "--preserve-entire-environment", "--quiet", "--outdir", str(out),
                           str(CWL / tool), *args], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def test_cwl_classify(tmp_path):
    res = cwltool(tmp_path, "jakcli-classify.cwl", "--vcf", str(SD / "cohort_grch38.vcf.gz"),
                  "--fusions", f"BALL_CRLF2_JAK2={SD / 'BALL_CRLF2_JAK2.arriba.fusions.tsv'}",
                  "--sv", f"BALL_CRLF2_JAK2={SD / 'BALL_CRLF2_JAK2.manta.somaticSV.vcf'}")
    report = json.loads(Path(res["report"]["path"]).read_text())
    assert report["genome_build"] == "GRCh38" and len(report["samples"]) == 9
    assert any(f["rule_id"] == "crlf2-p2ry8-fusion" for s in report["samples"] for f in s["findings"])
    assert any(e["evidence"] == "DNA" for s in report["samples"] for f in s["findings"] for e in f["evidence"])


def test_cwl_batch(tmp_path):
    files = ["cohort_grch38.vcf.gz", "cohort_grch38.vcf.gz.tbi", "BALL_CRLF2_JAK2.arriba.fusions.tsv",
             "BALL_CRLF2_JAK2.manta.somaticSV.vcf", "single_grch37_vep.vcf"]
    args = ["--manifest", str(SD / "manifest.tsv")]
    for f in files:
        args += ["--inputs", str(SD / f)]
    res = cwltool(tmp_path, "jakcli-batch.cwl", *args, "--cbioportal")
    cohort = Path(res["cohort_tsv"]["path"]).read_text().splitlines()
    assert len(cohort) == 11 and all("\tok\t" in line for line in cohort[1:])
    assert (Path(res["outdir"]["path"]) / "cbioportal" / "GRCh37" / "meta_study.txt").is_file()


def test_nf_core_module_structure():
    main = (NF / "main.nf").read_text()
    meta = yaml.safe_load((NF / "meta.yml").read_text())
    env = yaml.safe_load((NF / "environment.yml").read_text())
    assert re.search(r"^process JAKCLI_CLASSIFY \{", main, re.M)
    assert meta["name"] == "jakcli_classify"
    block = main.split("input:")[1].split("output:")[0]
    nf_inputs = [re.findall(r"(?:val|path)\((\w+)\)", line) for line in block.splitlines() if "tuple" in line]
    meta_inputs = [[next(iter(d)) for d in group] for group in meta["input"]]
    assert nf_inputs == meta_inputs
    out_block = main.split("output:")[1].split("when:")[0]
    emits = re.findall(r"emit: (\w+)", out_block)
    assert emits == [next(iter(o)) for o in meta["output"]] == ["json", "tsv", "versions"]
    assert 'path "versions.yml"' in out_block
    script = main.split("script:")[1]
    assert "cat <<-END_VERSIONS > versions.yml" in script and "jakcli --version" in script
    assert "versions.yml" in main.split("stub:")[1]
    assert any("jakcli" in str(d) for d in env["dependencies"])
