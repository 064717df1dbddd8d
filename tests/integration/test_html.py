"""HTML reports: rendered by the real CLI, opened in Debian's headless chromium, looked at as a reader would.

The browser tests skip (with the reason) when /usr/bin/chromedriver is missing; .ci/run installs it.
The string-level tests at the top run everywhere.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from jakcli.writers.html import LEVEL_TITLES, render_cohort_html, render_html

from support import jakcli_subprocess, rec, write_vcf

CHROMEDRIVER = Path("/usr/bin/chromedriver")
COHORT = "sample_data/cohort_grch38.vcf.gz"
HOSTILE = "<script>alert(1)</script>"
HOSTILE_IMG = '"><img src=x onerror=alert(2)>'
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def json_report(*args) -> dict:
    proc = jakcli_subprocess("classify", *args, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def per_sample(report: dict) -> list[dict]:
    """Split a multi-sample report the way ``jakcli batch`` writes one report per sample."""
    return [dict(report, samples=[s]) for s in report["samples"]]


@pytest.fixture(scope="module")
def cohort_report() -> dict:
    return json_report(COHORT)


@pytest.fixture
def hostile_vcf(tmp_path) -> Path:
    """Two samples whose names are markup, in a file whose name is markup too."""
    return write_vcf(tmp_path / "in<b>put.vcf", [rec("chr9", 5073770, "G", "T", "0/1:60,40:100", "0/1:50,50:100")],
                     samples=(HOSTILE, HOSTILE_IMG))


# ----------------------------------------------------------------------------- without a browser

def test_input_values_are_escaped_everywhere(cohort_report):
    report = json.loads(json.dumps(cohort_report))
    s = report["samples"][0]
    s["sample"] = HOSTILE
    f = s["findings"][0]
    f.update(gene="<i>G</i>", alteration=HOSTILE_IMG, notes=["<u>note</u>"], references=["<a href=x>r</a>"],
             therapies=[{"drug": "<b>d</b>", "status": "<s>", "indication": "</td><script>x()</script>"}])
    s["risk"]["not_assessed"].append("<em>SV</em>")
    report["warnings"] = ["<marquee>w</marquee>"]
    report["inputs"][0]["path"] = "</footer><script>y()</script>.vcf"
    page = render_html(report, command=["jakcli", "classify", "<x>.vcf"])
    cohort = render_cohort_html([report])
    for html in (page, cohort):
        for tag in ("<i>G", "<img", "<u>", "<a href=x", "<b>d", "<s>", "<em>", "<marquee", "<x>"):
            assert tag not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in page  # a single report needs no script at all
    assert cohort.count("<script") == 1


def test_page_is_self_contained(cohort_report):
    for html in (render_html(cohort_report), render_cohort_html(per_sample(cohort_report))):
        csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
        assert csp and "default-src &#39;none&#39;" in csp[1]
        assert not re.search(r"\bsrc=|@import|url\(|<link(?![^>]*href=\"data:)", html)
        for href in re.findall(r'href="([^"]*)"', html):
            assert href.startswith(("#", "data:", "https://pubmed.ncbi.nlm.nih.gov/", "https://doi.org/",
                                    "https://clinicaltrials.gov/")), href


def test_references_become_links(cohort_report):
    report = json.loads(json.dumps(cohort_report))
    report["samples"][0]["findings"][0]["references"] = ["PMID:15781101", "DOI:10.1038/leu.2013.382",
                                                         "NCT01234567", "Smith 2020"]
    html = render_html(report)
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/15781101/"' in html
    assert 'href="https://doi.org/10.1038/leu.2013.382"' in html
    assert 'href="https://clinicaltrials.gov/study/NCT01234567"' in html
    assert "Smith 2020" in html and 'href="Smith' not in html


def test_command_and_generated_in_footer_only_when_given(cohort_report):
    bare = render_html(cohort_report, generated="2030-01-02 03:04 UTC")
    assert "<dt>Command</dt>" not in bare and "2030-01-02 03:04 UTC" in bare
    with_cmd = render_html(dict(cohort_report, command=["jakcli", "classify", "a b.vcf"]))
    assert "<dt>Command</dt>" in with_cmd and "jakcli classify &#39;a b.vcf&#39;" in with_cmd


def test_rearrangement_shows_its_evidence_and_calls_not_reported(cohort_report):
    report = json.loads(json.dumps(cohort_report))
    report["samples"] = [report["samples"][0]]
    rna = {"evidence": "RNA", "caller": "arriba", "file": "/data/PT-01/fusions.tsv", "line": 7,
           "breakpoint5": "chr14:105863198", "breakpoint3": "chrX:1213001", "supporting_reads": 14,
           "confidence": "high"}
    dna = {"evidence": "DNA", "caller": "manta", "file": "sv.vcf.gz", "record": "record 3", "svtype": "BND",
           "breakends": "chr14:105863198(left)--chrX:1213001(right)", "supporting_reads": 9, "filter": "MinQUAL"}
    report["samples"][0]["findings"].append(
        {"rule_id": "crlf2-igh-rearrangement", "rule_version": 1, "gene": "CRLF2",
         "alteration": "IGH::CRLF2 rearrangement", "origin": "somatic", "classification": "oncogenic",
         "chrom": "chrX", "pos": 1213001, "ref": None, "alt": None, "vaf": None, "depth": None, "alt_reads": 23,
         "genotype": ".", "filter": "PASS", "references": ["PMID:19838194"], "therapies": [], "notes": [],
         "evidence": [rna, dna]})
    report["samples"][0]["rearrangements_not_reported"] = [
        {"rule_id": "crlf2-p2ry8-fusion", "fusion": "P2RY8--CRLF2", "status": "below_floor",
         "reason": "1 supporting reads < evidence floor 2", "evidence": dict(rna, line=8, supporting_reads=1)}]
    html = render_html(report)
    assert ("RNA arriba \u00b7 14 reads \u00b7 chr14:105863198 \u2192 chrX:1213001 \u00b7 confidence high "
            "\u00b7 fusions.tsv line 7") in html
    assert "DNA manta \u00b7 9 reads \u00b7 chr14:105863198(left)--chrX:1213001(right) \u00b7 BND" in html
    assert "FILTER MinQUAL" in html and "23 reads" in html
    assert "P2RY8--CRLF2 (crlf2-p2ry8-fusion, below floor): 1 supporting reads &lt; evidence floor 2" in html
    assert "chrX:1213001 None" not in html and "without a VAF" not in html
    cohort = render_cohort_html([report])
    assert ">IGH::CRLF2 rearrangement (n/a)<" in cohort
    assert cohort.count('class="dot"') == sum(1 for f in report["samples"][0]["findings"] if f["vaf"] is not None)


def test_cohort_of_nothing_and_mixed_rule_sets(cohort_report):
    empty = render_cohort_html([])
    assert "0 samples" in empty and "No findings in these samples." in empty
    other = json.loads(json.dumps(cohort_report))
    other["ruleset"]["digest"] = "sha256:" + "0" * 64
    mixed = render_cohort_html([cohort_report, other])
    assert "made with different rule sets" in mixed


# ----------------------------------------------------------------------------- in a real browser

@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not CHROMEDRIVER.is_file():
        pytest.skip(f"{CHROMEDRIVER} not found: install Debian's chromium and chromium-driver (CI does)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install '.[test]')")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1366,900",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


def open_page(driver, path: Path):
    driver.get_log("browser")  # drain what an earlier page logged
    driver.get(path.resolve().as_uri())
    return driver


def severe_console(driver) -> list:
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def screenshot(driver, tmp_path: Path, name: str, element=None) -> Path:
    """Save a PNG, check it is a real picture, and copy it to $JAKCLI_SCREENSHOT_DIR when set."""
    path = tmp_path / f"{name}.png"
    if element is not None:
        driver.execute_script("arguments[0].scrollIntoView()", element)
        element.screenshot(str(path))
    else:
        driver.save_screenshot(str(path))
    data = path.read_bytes()
    assert data.startswith(PNG_MAGIC)
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width > 200 and height > 100 and len(data) > 10_000, (width, height, len(data))
    if os.environ.get("JAKCLI_SCREENSHOT_DIR"):
        target = Path(os.environ["JAKCLI_SCREENSHOT_DIR"])
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target / path.name)
    return path


def no_alert(driver) -> bool:
    from selenium.common.exceptions import NoAlertPresentException

    try:
        driver.switch_to.alert
    except NoAlertPresentException:
        return True
    return False


def test_classify_html_in_browser(browser, tmp_path, cohort_report, run_jakcli):
    from selenium.webdriver.common.by import By

    out = tmp_path / "report.html"
    proc = run_jakcli("classify", COHORT, "--format", "html", "-o", out)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    d = open_page(browser, out)

    sections = d.find_elements(By.CSS_SELECTOR, "section.sample")
    assert len(sections) == len(cohort_report["samples"])
    for section, sample in zip(sections, cohort_report["samples"]):
        assert section.find_element(By.CSS_SELECTOR, ".sample-name").text == sample["sample"]
        banner = section.find_element(By.CSS_SELECTOR, ".banner")
        assert banner.is_displayed() and banner.size["height"] > 40
        risk = sample["risk"]
        assert banner.find_element(By.CSS_SELECTOR, ".level-title").text == LEVEL_TITLES[risk["level"]]
        assert LEVEL_TITLES[risk["worst_case_level"]] in banner.find_element(By.CSS_SELECTOR, ".worst").text
        for missing in risk["not_assessed"]:
            assert missing in banner.text
        rows = section.find_elements(By.CSS_SELECTOR, "tr.finding")
        assert len(rows) == len(sample["findings"])
        for row, f in zip(rows, sample["findings"]):
            assert f["gene"] in row.text and f"{f['rule_id']}@{f['rule_version']}" in row.text
            assert f"{f['vaf'] * 100:.1f}%" in row.text and f"depth {f['depth']}" in row.text
        refs = {a.get_attribute("href") for a in section.find_elements(By.CSS_SELECTOR, ".rule-card a")}
        for ref in {r for f in sample["findings"] for r in f["references"] if r.startswith("PMID:")}:
            assert f"https://pubmed.ncbi.nlm.nih.gov/{ref[5:]}/" in refs

    footer = d.find_element(By.CSS_SELECTOR, "footer.provenance").text
    assert cohort_report["ruleset"]["digest"] in footer and cohort_report["jakcli_version"] in footer
    assert all(i["sha256"] in footer for i in cohort_report["inputs"])
    assert d.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert severe_console(d) == []
    screenshot(d, tmp_path, "classify-report")
    screenshot(d, tmp_path, "classify-sample", sections[0])


def test_hostile_names_show_as_text_and_run_nothing(browser, tmp_path, hostile_vcf, run_jakcli):
    from selenium.webdriver.common.by import By

    out = tmp_path / "hostile.html"
    proc = run_jakcli("classify", hostile_vcf, "--format", "html", "-o", out)
    assert proc.returncode == 0, proc.stderr
    d = open_page(browser, out)
    assert no_alert(d)
    names = [e.text for e in d.find_elements(By.CSS_SELECTOR, ".sample-name")]
    assert names == [HOSTILE, HOSTILE_IMG]
    assert d.execute_script("return document.scripts.length + document.images.length") == 0
    assert d.find_elements(By.CSS_SELECTOR, "main b, footer b") == []
    assert hostile_vcf.name in d.find_element(By.CSS_SELECTOR, "footer.provenance").text
    assert severe_console(d) == []
    screenshot(d, tmp_path, "hostile-sample", d.find_element(By.CSS_SELECTOR, "section.sample"))


def cohort_page(tmp_path: Path, reports: list[dict]) -> Path:
    out = tmp_path / "cohort.html"
    out.write_text(render_cohort_html(reports, command=["jakcli", "batch", "manifest.tsv", "--html"]),
                   encoding="utf-8")
    return out


def visible_names(d) -> list[str]:
    from selenium.webdriver.common.by import By

    return [r.find_element(By.CSS_SELECTOR, "td").text
            for r in d.find_elements(By.CSS_SELECTOR, "#cohort-table tbody tr") if r.is_displayed()]


def test_cohort_page_charts_sort_and_filter(browser, tmp_path, cohort_report, hostile_vcf):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    reports = per_sample(cohort_report) + per_sample(json_report(hostile_vcf))
    samples = [s for r in reports for s in r["samples"]]
    d = open_page(browser, cohort_page(tmp_path, reports))
    assert no_alert(d)
    assert d.execute_script("return document.scripts.length") == 1

    for chart in ("chart-levels", "chart-genes", "chart-vaf"):
        size = d.find_element(By.ID, chart).size
        assert size["width"] > 200 and size["height"] > 50, (chart, size)
    with_vaf = sum(1 for s in samples for f in s["findings"] if f["vaf"] is not None)
    assert len(d.find_elements(By.CSS_SELECTOR, "#chart-vaf circle.dot")) == with_vaf
    bars = d.find_elements(By.CSS_SELECTOR, "#chart-levels rect.bar")
    drawn = [b for b in bars if float(b.get_attribute("width")) > 0]
    assert len(drawn) == len({s["risk"]["level"] for s in samples})

    names = [s["sample"] for s in samples]
    assert visible_names(d) == names
    header = {b.text: b for b in d.find_elements(By.CSS_SELECTOR, "#cohort-table thead button")}
    header["Sample"].click()
    assert visible_names(d) == sorted(names, key=str.lower)
    header["Sample"].click()
    assert visible_names(d) == sorted(names, key=str.lower, reverse=True)
    header["Max VAF"].click()
    top = max(samples, key=lambda s: max((f["vaf"] for f in s["findings"] if f["vaf"] is not None), default=-1))
    assert visible_names(d)[0] == top["sample"]
    header["Risk"].click()
    first_level = [s["risk"]["level"] for s in samples if s["sample"] == visible_names(d)[0]][0]
    assert first_level == max((s["risk"]["level"] for s in samples),
                              key=["not-assessable", "none-detected", "informational", "intermediate", "high"].index)

    box = d.find_element(By.ID, "cohort-filter")
    box.send_keys("JAK3")
    expected = [s["sample"] for s in samples
                if "jak3" in s["sample"].lower() or any(f["gene"] == "JAK3" for f in s["findings"])]
    assert sorted(visible_names(d)) == sorted(expected) and expected
    assert d.find_element(By.ID, "cohort-count").text == f"{len(expected)} of {len(samples)} samples shown"
    erase = (Keys.CONTROL, "a", Keys.NULL, Keys.BACKSPACE)  # typed, so the page sees input events (clear() sends none)
    box.send_keys(*erase, "<script>")
    assert visible_names(d) == [HOSTILE]
    box.send_keys(*erase)
    assert len(visible_names(d)) == len(samples)
    Select(d.find_element(By.ID, "cohort-level")).select_by_value("informational")
    expected = [s["sample"] for s in samples if s["risk"]["level"] == "informational"]
    assert sorted(visible_names(d)) == sorted(expected) and expected

    assert d.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert severe_console(d) == []
    screenshot(d, tmp_path, "cohort-table", d.find_element(By.CSS_SELECTOR, "section.summary"))
    d.execute_script("window.scrollTo(0, 0)")
    screenshot(d, tmp_path, "cohort")


def test_print_layout_starts_each_sample_on_a_page(browser, tmp_path, cohort_report):
    out = tmp_path / "report.html"
    out.write_text(render_html(cohort_report), encoding="utf-8")
    d = open_page(browser, out)
    pdf = base64.b64decode(d.print_page())
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages >= len(cohort_report["samples"]), pages
    (tmp_path / "report.pdf").write_bytes(pdf)
    if os.environ.get("JAKCLI_SCREENSHOT_DIR"):
        shutil.copy(tmp_path / "report.pdf", Path(os.environ["JAKCLI_SCREENSHOT_DIR"]) / "report-print.pdf")
