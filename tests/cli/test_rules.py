"""``jakcli rules lint|test|list|show``: rules as code, driven through the real CLI."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from jakcli.cli import cli
from jakcli.ruleset.loader import bundled_rules_dir
from support import BROKEN_RULES, LAB_RULES, REALDATA, REPO

BROKEN = BROKEN_RULES
LAB = LAB_RULES
REALDATA_VCF = REALDATA / "mutect2_WP043_JAK2_GRCh37.vcf"
PROBLEM = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>JK\d{3}) (?P<msg>.+)$")


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=True)
    # errors are one-line messages, never tracebacks
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output + result.stderr
    return result


def problems(output: str) -> list[dict]:
    return [m.groupdict() for m in map(PROBLEM.match, output.splitlines()) if m]


def line_of(path: Path, marker: str) -> int:
    for i, line in enumerate(path.read_text().splitlines(), start=1):
        if marker in line:
            return i
    raise AssertionError(f"{marker!r} not in {path}")


# ----------------------------------------------------------------------------- bundled rules

def test_bundled_rules_lint_clean():
    r = run("rules", "lint")
    assert r.exit_code == 0, r.output
    assert r.stdout == ""
    assert "no problems" in r.stderr


def test_bundled_rules_lint_clean_as_explicit_dir_and_file():
    assert run("rules", "lint", bundled_rules_dir()).exit_code == 0
    assert run("rules", "lint", bundled_rules_dir() / "jak2-v617f.yaml").exit_code == 0


def test_bundled_rules_examples_pass(tmp_path):
    junit = tmp_path / "out" / "junit.xml"
    junit.parent.mkdir()
    r = run("rules", "test", "--junit", junit)
    assert r.exit_code == 0, r.output
    assert "FAIL" not in r.stdout
    assert re.search(r"PASS +jak2-v617f positive\[0\] GRCh38 chr9:5073770:G:T: .*matched jak2-v617f p\.V617F",
                     r.stdout)
    # fusion examples run through the rearrangement engine, floors and orientation included
    assert re.search(r"PASS +crlf2-p2ry8-fusion negative\[0\] GRCh38 CRLF2--P2RY8: .*reciprocal orientation", r.stdout)
    assert re.search(r"PASS +jak2-fusion negative\[1\] .*not_qualifying \(JAK2 breakpoint 9:5089674", r.stdout)
    assert "SKIP" not in r.stdout and "skipped" not in r.stdout  # every example runs
    root = ET.parse(junit).getroot()
    assert root.get("failures") == "0"
    assert int(root.get("tests")) > 40
    assert not [p for p in junit.parent.iterdir() if p.name != "junit.xml"]  # no temp file left


def test_changed_coordinate_fails_rules_test(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), rules)
    f = rules / "jak2-v617f.yaml"
    text = f.read_text()
    head, rest = text.split("\nmatch:\n", 1)
    block, tail = rest.split("\ncoordinate_sources:\n", 1)
    assert "pos: 5073770" in block
    f.write_text(head + "\nmatch:\n" + block.replace("pos: 5073770", "pos: 5073771")
                 + "\ncoordinate_sources:\n" + tail)
    junit = tmp_path / "junit.xml"
    r = run("rules", "test", rules, "--junit", junit)
    assert r.exit_code == 1, r.output
    fails = [ln for ln in r.stdout.splitlines() if ln.startswith("FAIL")]
    assert fails and all(" jak2-v617f positive" in ln for ln in fails)
    assert "matched nothing" in fails[0]
    assert f"{f}:" in fails[0]  # names the example's file and line
    root = ET.parse(junit).getroot()
    assert root.get("failures") == str(len(fails))
    assert root.find(".//testcase[@classname='jak2-v617f']/failure") is not None


def test_rules_test_invalid_rules_exit_3(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), rules)
    (rules / "jak2-v617f.yaml").write_text((rules / "jak2-v617f.yaml").read_text().replace(
        "origin: somatic", "origin: sommatic"))
    r = run("rules", "test", rules)
    assert r.exit_code == 3
    assert "jak2-v617f.yaml" in r.stderr and "rules lint" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


# ----------------------------------------------------------------------------- lint codes

CASES = [
    ("jk001-syntax.yaml", "JK001", "bad: colon"),
    ("jk002-schema.yaml", "JK002", "colour: red"),
    ("jk002-schema.yaml", "JK002", "origin: sommatic"),
    ("jk003-id.yaml", "JK003", "id: jk003-other-name"),
    ("jak2-v617f.yaml", "JK004", "id: jak2-v617f"),
    ("jk005-codon.yaml", "JK005", "ref_codon: TTC"),
    ("jk005-fusion-floor.yaml", "JK005", "min_reads: 5"),
    ("jk006-span.yaml", "JK006", "pos: 5273770"),
    ("jk006-fusion-window.yaml", "JK006", "start: 6985245"),
    ("jk007-gene.yaml", "JK007", "gene: FOO1"),
    ("jk008-examples.yaml", "JK008", "negative: []"),
    ("profiles/jk009-profile.yaml", "JK009", "no-such-rule"),
    ("jk010-version.yaml", "JK010", "id: jk010-version"),
    ("jk011-dupkey.yaml", "JK011", "title: Second title"),
]


@pytest.mark.parametrize("name,code,marker", CASES, ids=[f"{c[1]}-{c[0]}" for c in CASES])
def test_lint_code_fires_with_line(name, code, marker):
    path = BROKEN / name
    r = run("rules", "lint", path)
    assert r.exit_code == 3, r.output
    found = problems(r.stdout)
    assert found, r.stdout
    assert {p["code"] for p in found} == {code}, r.stdout  # each fixture breaks exactly one thing
    assert line_of(path, marker) in {int(p["line"]) for p in found}
    assert all(p["path"] == str(path) for p in found)
    # every problem comes with a one-line hint
    assert r.stdout.count("\n    hint: ") == len(found)


def test_lint_reports_every_problem_in_a_directory():
    r = run("rules", "lint", BROKEN)
    assert r.exit_code == 3
    codes = {p["code"] for p in problems(r.stdout)}
    assert codes == {f"JK{n:03d}" for n in range(1, 12)}  # JK010 also for the missing ruleset.yaml
    assert len(problems(r.stdout)) == 15


def test_lint_column_points_at_value():
    path = BROKEN / "jk002-schema.yaml"
    found = problems(run("rules", "lint", path).stdout)
    origin = [p for p in found if "sommatic" in p["msg"]][0]
    assert int(origin["col"]) == line_text(path, "origin:").index("sommatic") + 1


def line_text(path: Path, marker: str) -> str:
    return path.read_text().splitlines()[line_of(path, marker) - 1]


def test_lint_github_and_json_formats():
    path = BROKEN / "jk006-span.yaml"
    r = run("rules", "lint", "--format", "github", path)
    assert r.exit_code == 3
    line = line_of(path, "pos: 5273770")
    assert re.match(rf"::error file={re.escape(str(path))},line={line},col=\d+::JK006 ", r.stdout)
    r = run("rules", "lint", "--format", "json", path)
    assert r.exit_code == 3
    doc = json.loads(r.stdout)
    assert [(p["code"], p["line"]) for p in doc["problems"]] == [("JK006", line)]
    assert doc["problems"][0]["hint"]


def test_lint_missing_path_is_usage_error(tmp_path):
    r = run("rules", "lint", tmp_path / "nope")
    assert r.exit_code == 2


# ----------------------------------------------------------------------------- lab rule directories

@pytest.fixture
def vcf() -> Path:
    if not REALDATA_VCF.is_file():
        pytest.skip(f"{REALDATA_VCF} not available")
    return REALDATA_VCF


def test_lab_new_rule(vcf):
    d = LAB / "new_rule"
    assert run("rules", "lint", d).exit_code == 0
    r = run("rules", "test", d)
    assert r.exit_code == 0, r.output
    assert re.search(r"PASS +lab-jak2-v617l positive\[0\]", r.stdout)
    assert re.search(r"TODO +lab-jak2-v617l positive\[2\]", r.stdout)  # a known gap never fails
    assert "jak2-v617f positive" not in r.stdout  # only the given directory's rules are run
    listed = json.loads(run("rules", "list", "--rules", d, "--format", "json").stdout)
    assert "lab-jak2-v617l" in {x["id"] for x in listed["rules"]}
    assert listed["ruleset"]["version"] == "jakcli-bundled@2026.11.1+lab-new@2026.1.0"
    c = run("classify", "--rules", d, "--format", "json", vcf)
    assert c.exit_code == 0, c.stderr
    report = json.loads(c.stdout)
    assert report["ruleset"]["version"].endswith("+lab-new@2026.1.0")
    assert [f["rule_id"] for s in report["samples"] for f in s["findings"]] == ["jak2-v617f"]


def test_lab_override(vcf):
    d = LAB / "override"
    assert run("rules", "lint", d).exit_code == 0
    r = run("rules", "test", d)
    assert r.exit_code == 0, r.output
    assert re.search(r"TODO-PASSES jak2-v617f positive\[2\]", r.stdout)
    assert "todo now passes" in r.stderr
    c = run("classify", "--rules", d, "--format", "json", vcf)
    assert c.exit_code == 0, c.stderr
    findings = [f for s in json.loads(c.stdout)["samples"] for f in s["findings"]]
    assert [(f["rule_id"], f["rule_version"]) for f in findings] == [("jak2-v617f", 2)]
    shown = run("rules", "show", "jak2-v617f", "--rules", d)
    assert shown.exit_code == 0
    assert shown.stdout.startswith(f"# {d / 'jak2-v617f.yaml'}")
    assert "overrides: true" in shown.stdout


def test_lab_accidental_clash(vcf):
    d = LAB / "clash"
    bundled = bundled_rules_dir() / "jak2-v617f.yaml"
    c = run("classify", "--rules", d, vcf)
    assert c.exit_code == 3
    assert str(d / "jak2-v617f.yaml") in c.stderr and str(bundled) in c.stderr
    assert c.stdout == ""
    r = run("rules", "lint", d)
    assert r.exit_code == 3
    found = problems(r.stdout)
    assert [p["code"] for p in found] == ["JK004"]
    assert found[0]["path"] == str(d / "jak2-v617f.yaml") and str(bundled) in found[0]["msg"]
    assert int(found[0]["line"]) == line_of(d / "jak2-v617f.yaml", "id: jak2-v617f")
    assert run("rules", "test", d).exit_code == 3


# ----------------------------------------------------------------------------- list / show

def test_rules_list_table_and_json():
    r = run("rules", "list")
    assert r.exit_code == 0
    first, header = r.stdout.splitlines()[:2]
    assert re.match(r"# ruleset jakcli-bundled@\S+ sha256:[0-9a-f]{64}$", first)
    assert header.split() == ["id", "version", "gene", "input", "origin", "classification", "title"]
    assert any(ln.startswith("jak2-v617f ") for ln in r.stdout.splitlines())
    doc = json.loads(run("rules", "list", "--format", "json").stdout)
    assert doc["ruleset"]["digest"].startswith("sha256:")
    ids = [x["id"] for x in doc["rules"]]
    assert ids == sorted(ids) and "jak2-v617f" in ids
    assert {"id", "version", "gene", "input", "origin", "classification", "title"} <= set(doc["rules"][0])


def test_rules_show():
    r = run("rules", "show", "jak2-v617f")
    assert r.exit_code == 0
    assert r.stdout.splitlines()[0] == f"# {bundled_rules_dir() / 'jak2-v617f.yaml'}"
    assert "id: jak2-v617f" in r.stdout
    bad = run("rules", "show", "no-such-rule")
    assert bad.exit_code == 2
    assert bad.stdout == ""
    assert len(bad.stderr.strip().splitlines()) == 1 and "no-such-rule" in bad.stderr


def test_rules_commands_have_help():
    for sub in ("lint", "test", "list", "show"):
        r = run("rules", sub, "--help")
        assert r.exit_code == 0 and len(r.stdout) > 80


def test_rules_docs_generate_and_check(tmp_path):
    from jakcli.cli import cli as _cli
    r = CliRunner()
    out = tmp_path / "docs"
    res = r.invoke(_cli, ["rules", "docs", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert (out / "index.md").is_file() and (out / "jak2-v617f.md").is_file()
    assert "9:5073770 G>T" in (out / "jak2-v617f.md").read_text()
    assert r.invoke(_cli, ["rules", "docs", "-o", str(out), "--check"]).exit_code == 0
    (out / "jak2-v617f.md").write_text("edited by hand\n")
    (out / "retired-rule.md").write_text("old\n")
    res = r.invoke(_cli, ["rules", "docs", "-o", str(out), "--check"])
    assert res.exit_code == 1
    assert "jak2-v617f.md" in res.output and "retired-rule.md" in res.output


def test_committed_rule_docs_are_current():
    from jakcli.cli import cli as _cli
    docs = REPO / "docs" / "rules"
    res = CliRunner().invoke(_cli, ["rules", "docs", "-o", str(docs), "--check"])
    assert res.exit_code == 0, res.output


def test_rules_test_fails_when_floor_raised(tmp_path):
    from jakcli.cli import cli as _cli
    copy = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), copy)
    path = copy / "jak2-v617f.yaml"
    path.write_text(path.read_text().replace("  vaf: 0.01\n", "  vaf: 0.02\n"))
    res = CliRunner().invoke(_cli, ["rules", "test", str(copy)])
    assert res.exit_code == 1
    fails = [ln for ln in res.output.splitlines() if ln.startswith("FAIL")]
    assert len(fails) == 1 and "jak2-v617f positive[3]" in fails[0] and "1 failed" in res.output


def test_rules_list_shows_catalogue_counts_per_gene_and_source():
    r = run("rules", "list")
    lines = r.stdout.splitlines()
    assert any(re.match(r"# catalogue \S+ sha256:[0-9a-f]{64}: \d+ entries", ln) for ln in lines)
    assert any(ln.startswith("#   JAK2: ") and "docm" in ln for ln in lines)
    doc = json.loads(run("rules", "list", "--format", "json").stdout)
    assert doc["catalogue"]["entries"] > 0 and doc["catalogue"]["digest"].startswith("sha256:")
    assert {"gene", "source", "classification", "entries"} <= set(doc["catalogue"]["counts"][0])


def test_rules_list_says_how_many_catalogue_classes_each_basis_decided():
    from jakcli.ruleset.catalogue import load_catalogue

    bases = Counter(e.class_basis for e in load_catalogue().entries)
    doc = json.loads(run("rules", "list", "--format", "json").stdout)
    assert doc["catalogue"]["class_basis"] == dict(bases)
    assert sum(doc["catalogue"]["class_basis"].values()) == doc["catalogue"]["entries"]
    line = next(ln for ln in run("rules", "list").stdout.splitlines() if ln.startswith("# class decided by: "))
    assert all(f"{b} {n}" in line for b, n in bases.items())
