"""`--format vcf`: the input passed through with JAKCLI_* tags, checked with bcftools and tabix.

Every run goes through the real CLI (``python -m jakcli``); the tags are read back with
``bcftools query`` and compared with the JSON report of the same input, so the VCF and the
report cannot drift apart.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from support import COHORT, SINGLE37, jakcli_subprocess, needs_tools, rec, write_vcf
from jakcli import __version__
from jakcli.classify import Options, classify
from jakcli.ruleset.loader import load_ruleset
from jakcli.writers.vcf import write_annotated_vcf

pytestmark = needs_tools("bcftools", "tabix")

SINGLE = SINGLE37
QUERY = ("%CHROM\t%POS\t%REF\t%ALT\t%FILTER\t%INFO/JAKCLI_RULE\t%INFO/JAKCLI_GENE\t%INFO/JAKCLI_CLASS"
         "[\t%JAKCLI_HIT]\n")


def jakcli(*args, stdin: bytes | None = None, env: dict | None = None, run=jakcli_subprocess):
    """(exit code, stdout as bytes: VCF/BCF may be binary, stderr)."""
    res = run(*args, stdin=stdin, env=env)
    return res.returncode, res.stdout_bytes, res.stderr


def annotate(src: Path, out: Path, *extra) -> None:
    code, _, err = jakcli("classify", src, "--format", "vcf", "-o", out, *extra)
    assert code == 0, err


def report(src: Path, *extra) -> dict:
    code, out, err = jakcli("classify", src, "--format", "json", *extra)
    assert code == 0, err
    return json.loads(out)


def bcftools(*args) -> str:
    proc = subprocess.run(["bcftools", *map(str, args)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def record_count(path: Path) -> int:
    return len(bcftools("view", "-H", path).splitlines())


def rows(path: Path) -> dict[tuple, dict]:
    """(chrom, pos, ref, alt) -> INFO tags and sample -> JAKCLI_HIT, as bcftools reads them."""
    samples = bcftools("query", "-l", path).split()
    out = {}
    for line in bcftools("query", "-f", QUERY, path).splitlines():
        chrom, pos, ref, alt, flt, rule, gene, cls, *hits = line.split("\t")
        key = (chrom, int(pos), ref, alt)
        assert key not in out, f"duplicate record {key} in {path}"
        out[key] = {"filter": flt, "rule": rule, "gene": gene, "class": cls,
                    "hit": dict(zip(samples, hits, strict=True))}
    return out


def expected_hits(rep: dict, key: tuple) -> dict[str, str]:
    """What JAKCLI_HIT must say per sample at one record, from the JSON findings."""
    chrom, pos, ref, alts = key
    out = {}
    for s in rep["samples"]:
        ids = [f["rule_id"] for f in s["findings"]
               if (f["chrom"], f["pos"], f["ref"]) == (chrom, pos, ref) and f["alt"] in alts.split(",")]
        out[s["sample"]] = "|".join(dict.fromkeys(ids)) or "."
    return out


def header(path: Path) -> list[str]:
    return bcftools("view", "-h", path).splitlines()


def annotated(src: Path, out: Path) -> Path:
    annotate(src, out)
    return out


def test_cohort_bgzf_every_record_tagged_as_the_report_says(tmp_path):
    out = tmp_path / "cohort.annotated.vcf.gz"
    annotate(COHORT, out)
    assert out.read_bytes()[:4] == b"\x1f\x8b\x08\x04"  # gzip with the BGZF extra field
    subprocess.run(["tabix", "-p", "vcf", str(out)], check=True, capture_output=True)
    assert record_count(out) == record_count(COHORT) == 61
    assert [ln.split("\t")[:5] for ln in bcftools("view", "-H", out).splitlines()] == \
        [ln.split("\t")[:5] for ln in bcftools("view", "-H", COHORT).splitlines()]  # same order

    got = rows(out)
    rep = report(COHORT)
    for key, row in got.items():
        assert row["hit"] == (expected_hits(rep, key) if row["rule"] != "." else
                              {s: "." for s in row["hit"]}), key

    v617f = got[("chr9", 5073770, "G", "T")]
    assert (v617f["rule"], v617f["gene"], v617f["class"]) == ("jak2-v617f", "JAK2", "oncogenic")
    assert {s for s, h in v617f["hit"].items() if h != "."} == {"MPN_V617F_HIGH"}
    # MPN_CALR carries V617F at VAF 0.005, under its 1% floor: the site matched, the sample is not reported
    assert v617f["hit"]["MPN_CALR"] == "."
    background = got[("chr2", 25234373, "C", "T")]
    assert background["rule"] == "." and set(background["hit"].values()) == {"."}
    # multi-allelic: R683G matches, R683* (ALT 2) does not
    assert got[("chr9", 5078360, "A", "G,T")]["rule"] == "jak2-r683,."
    assert got[("chr9", 5078360, "A", "G,T")]["hit"]["BALL_CRLF2_JAK2"] == "jak2-r683"


def test_filtered_record_matches_at_site_level_but_is_reported_only_with_include_filtered(tmp_path):
    key = ("chr19", 17835160, "C", "T")  # JAK3 R657Q on a FILTER=LowQual record
    annotate(COHORT, tmp_path / "a.vcf.gz")
    row = rows(tmp_path / "a.vcf.gz")[key]
    assert row["filter"] == "LowQual" and row["rule"] == "jak3-activating"
    assert set(row["hit"].values()) == {"."}
    annotate(COHORT, tmp_path / "b.vcf.gz", "--include-filtered")
    assert rows(tmp_path / "b.vcf.gz")[key]["hit"]["TALL_JAK1_JAK3"] == "jak3-activating"


def test_header_declares_tags_and_provenance(tmp_path):
    out = tmp_path / "a.vcf.gz"
    annotate(COHORT, out)
    lines = header(out)
    for tag in ("INFO=<ID=JAKCLI_RULE,Number=A,Type=String", "INFO=<ID=JAKCLI_GENE,Number=A,Type=String",
                "INFO=<ID=JAKCLI_CLASS,Number=A,Type=String", "FORMAT=<ID=JAKCLI_HIT,Number=1,Type=String"):
        assert sum(ln.startswith("##" + tag) for ln in lines) == 1, tag
    rs = report(COHORT)["ruleset"]
    assert f"##jakcli_version={__version__}" in lines
    assert f"##jakcli_ruleset={rs['version']},{rs['digest']}" in lines
    assert "##jakcli_genome_build=GRCh38" in lines
    (command,) = [ln for ln in lines if ln.startswith("##jakcli_command=")]
    assert "classify" in command and "--format vcf" in command


def test_only_hits_keeps_exactly_the_matched_records(tmp_path):
    full, hits = tmp_path / "full.vcf.gz", tmp_path / "hits.vcf"
    annotate(COHORT, full)
    annotate(COHORT, hits, "--only-hits")
    assert hits.read_bytes().startswith(b"##fileformat=VCF")  # .vcf: plain text
    matched = {k: r for k, r in rows(full).items() if r["rule"].strip(".,")}
    assert record_count(hits) == len(matched)
    assert rows(hits) == matched
    findings = {(f["chrom"], f["pos"], f["ref"]) for s in report(COHORT)["samples"] for f in s["findings"]}
    assert findings <= {k[:3] for k in matched}


def test_single_grch37_vep_plain_output(tmp_path):
    out = tmp_path / "single.vcf"
    annotate(SINGLE, out)
    assert out.read_bytes().startswith(b"##fileformat=VCF")
    assert record_count(out) == record_count(SINGLE) == 11
    # everything else passes through: CSQ strings are unchanged
    csq = "%CHROM\t%POS\t%INFO/CSQ\n"
    assert bcftools("query", "-f", csq, out) == bcftools("query", "-f", csq, SINGLE)
    got = rows(out)
    rep = report(SINGLE)
    assert got[("9", 5073770, "G", "T")]["hit"] == {"PATIENT_MPN_37": "jak2-v617f"}
    assert got[("9", 5078361, "G", "C")]["rule"] == "jak2-r683"  # coordinates win over the CSQ
    assert got[("9", 5073772, "C", "T")]["rule"] == "."  # CSQ says V617F, coordinates do not
    for key, row in got.items():
        if row["rule"] != ".":
            assert row["hit"] == expected_hits(rep, key), key


def test_bcf_input_gives_the_same_tags(tmp_path):
    bcf = tmp_path / "cohort.bcf"
    subprocess.run(["bcftools", "view", "-Ob", "-o", str(bcf), str(COHORT)], check=True)
    from_bcf, from_vcf = tmp_path / "b.vcf.gz", tmp_path / "v.vcf.gz"
    annotate(bcf, from_bcf)
    annotate(COHORT, from_vcf)
    assert record_count(from_bcf) == 61
    assert rows(from_bcf) == rows(from_vcf)


def test_bcf_output(tmp_path):
    out = tmp_path / "a.bcf"
    annotate(SINGLE, out)
    assert out.read_bytes()[:4] == b"\x1f\x8b\x08\x04"
    assert bcftools("view", "-h", out).startswith("##fileformat")
    assert rows(out) == rows(annotated(SINGLE, tmp_path / "a.vcf"))


def test_stdin_to_stdout(tmp_path):
    env = {"TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    code, out, err = jakcli("classify", "-", "--format", "vcf", stdin=SINGLE.read_bytes(), env=env)
    assert code == 0, err
    piped = tmp_path / "piped.vcf"
    piped.write_bytes(out)
    assert out.startswith(b"##fileformat=VCF")
    assert rows(piped) == rows(annotated(SINGLE, tmp_path / "file.vcf"))
    assert "jakcli: warning: -: 9:5073772:C>T: " in err and "jakcli-stdin" not in err  # named as stdin
    assert list((tmp_path / "tmp").iterdir()) == []  # the spooled copy is removed
    code, out, err = jakcli("classify", "-", "--format", "vcf", stdin=b"not a VCF\n", env=env)
    assert code == 2 and out == b"" and err.startswith("jakcli: error: -: ") and "jakcli-stdin" not in err
    assert list((tmp_path / "tmp").iterdir()) == []


def test_more_than_one_input_is_a_one_line_error(tmp_path):
    out = tmp_path / "out.vcf.gz"
    code, _, err = jakcli("classify", COHORT, SINGLE, "--format", "vcf", "-o", out)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("jakcli: error: ") and "exactly one input" in lines[0]
    code, _, err = jakcli("classify", COHORT, "--format", "vcf", "--sample", "NEGATIVE", "-o", out)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "--sample" in err
    assert list(tmp_path.iterdir()) == []


def test_only_hits_needs_format_vcf():
    code, _, err = jakcli("classify", SINGLE, "--only-hits")
    assert code == 2 and "--only-hits" in err


def test_no_output_file_on_error(tmp_path):
    data = COHORT.read_bytes()
    bad = tmp_path / "truncated.vcf.gz"
    bad.write_bytes(data[: len(data) // 2])
    out = tmp_path / "out.vcf.gz"
    code, _, err = jakcli("classify", bad, "--format", "vcf", "-o", out)
    assert code == 2 and "Traceback" not in err and str(bad.name) in err
    assert {p.name for p in tmp_path.iterdir()} == {"truncated.vcf.gz"}


def test_reannotation_replaces_tags_and_header_lines(tmp_path):
    once, twice = tmp_path / "once.vcf.gz", tmp_path / "twice.vcf.gz"
    annotate(COHORT, once)
    annotate(once, twice)
    lines = header(twice)
    for prefix in ("##INFO=<ID=JAKCLI_RULE", "##INFO=<ID=JAKCLI_GENE", "##INFO=<ID=JAKCLI_CLASS",
                   "##FORMAT=<ID=JAKCLI_HIT", "##jakcli_version=", "##jakcli_ruleset=",
                   "##jakcli_genome_build=", "##jakcli_command="):
        assert sum(ln.startswith(prefix) for ln in lines) == 1, prefix
    assert rows(twice) == rows(once)
    assert bcftools("view", "-H", twice) == bcftools("view", "-H", once)


def test_stale_tags_from_an_older_run_are_removed(tmp_path):
    old = write_vcf(tmp_path / "old.vcf", [
        rec("chr9", 5073770, "G", "T", "0/1:60,40:100:.", fmt="GT:AD:DP:JAKCLI_HIT",
            info="DP=100;JAKCLI_RULE=jak2-old;JAKCLI_OLD=1"),
        rec("chr2", 1000, "C", "T", "0/1:60,40:100:jak2-old", fmt="GT:AD:DP:JAKCLI_HIT",
            info="DP=100;JAKCLI_RULE=jak2-old"),
    ], info_lines=('##INFO=<ID=JAKCLI_RULE,Number=A,Type=String,Description="old">',
                   '##INFO=<ID=JAKCLI_OLD,Number=1,Type=Integer,Description="gone">'),
        fmt_lines=('##FORMAT=<ID=JAKCLI_HIT,Number=1,Type=String,Description="old">',),
        extra_header=("##jakcli_version=0.0.1",))
    out = tmp_path / "new.vcf"
    annotate(old, out)
    text = out.read_text()
    assert "JAKCLI_OLD" not in text and "jak2-old" not in text and "0.0.1" not in text
    got = rows(out)
    assert got[("chr9", 5073770, "G", "T")]["rule"] == "jak2-v617f"
    assert got[("chr9", 5073770, "G", "T")]["hit"] == {"S1": "jak2-v617f"}
    body = [ln for ln in text.splitlines() if ln.startswith("chr2\t")]
    assert body == ["chr2\t1000\t.\tC\tT\t.\tPASS\tDP=100\tGT:AD:DP\t0/1:60,40:100"]


def test_undeclared_contigs_and_tags_pass_through(tmp_path):
    """Older VCFs without ##contig lines: htslib declares them while reading; nothing is lost."""
    src = write_vcf(tmp_path / "nocontig.vcf", [
        rec("9", 5073770, "G", "T", "0/1:60,40:100", info="DP=100;UNDECLARED=x"),
        rec("2", 1000, "C", "T", "0/1:60,40:100"),
    ], build=None)
    out = tmp_path / "out.vcf.gz"
    annotate(src, out, "--build", "GRCh37")
    got = rows(out)
    assert list(got) == [("9", 5073770, "G", "T"), ("2", 1000, "C", "T")]
    assert got[("9", 5073770, "G", "T")]["hit"] == {"S1": "jak2-v617f"}
    assert "UNDECLARED=x" in bcftools("view", "-H", out)
    bcf = tmp_path / "out.bcf"
    code, _, err = jakcli("classify", src, "--build", "GRCh37", "--format", "vcf", "-o", bcf)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "write .vcf.gz instead" in err
    assert not bcf.exists() and not list(tmp_path.glob(".jakcli-*"))


def test_a_finding_that_cannot_be_placed_is_an_error(tmp_path):
    rs = load_ruleset()
    rep = classify([str(SINGLE)], Options(), ruleset=rs)
    ghost = dict(rep["samples"][0]["findings"][0], pos=1, ref="A", alt="C")
    rep["samples"][0]["findings"].append(ghost)
    out = tmp_path / "out.vcf"
    with pytest.raises(RuntimeError, match="could not be placed"):
        write_annotated_vcf(str(SINGLE), str(out), rep, rs, "test")
    assert list(tmp_path.iterdir()) == []


def test_realdata_mutect2_v617f(realdata, tmp_path):
    src = realdata / "mutect2_WP043_JAK2_GRCh37.vcf"
    out = tmp_path / "wp043.vcf.gz"
    annotate(src, out)
    assert record_count(out) == record_count(src) == 22
    got = rows(out)
    assert got[("9", 5073770, "G", "T")]["rule"] == "jak2-v617f"
    assert got[("9", 5073770, "G", "T")]["hit"] == {"WP043": "jak2-v617f"}
    assert [k for k, r in got.items() if r["rule"] != "."] == [("9", 5073770, "G", "T")]
