"""The curated variant catalogue: reproducible build, DoCM coverage in both builds, classes, loader errors."""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jakcli.ruleset.catalogue import Catalogue, lint_catalogue, load_catalogue
from jakcli.errors import EXIT_RULES, RuleError

ROOT = Path(__file__).resolve().parents[3]
CAT = ROOT / "rules" / "catalogue" / "catalogue.tsv"
DOCM = ROOT / "knowledge" / "sources" / "docm" / "docm_variants.panel.tsv"
PANEL = {"JAK1", "JAK2", "JAK3", "TYK2", "IL7R", "CRLF2", "MPL", "CALR", "SH2B3"}


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue(CAT)


def test_build_is_reproducible() -> None:
    res = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_catalogue.py"), "--check"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


def test_check_mode_fails_on_a_changed_file(tmp_path: Path) -> None:
    work = tmp_path / "repo"
    for d in ("scripts", "knowledge", "rules/catalogue"):
        shutil.copytree(ROOT / d, work / d)
    tsv = work / "rules" / "catalogue" / "catalogue.tsv"
    tsv.write_text(tsv.read_text().replace("likely-oncogenic", "oncogenic", 1))
    res = subprocess.run([sys.executable, str(work / "scripts" / "build_catalogue.py"), "--check"],
                         capture_output=True, text=True)
    assert res.returncode == 1 and "catalogue.tsv: differs" in res.stderr


def _docm_rows() -> list[dict[str, str]]:
    with DOCM.open() as fh:
        return [r for r in csv.DictReader(fh, delimiter="\t") if r["gene"] in PANEL]


def test_every_docm_panel_row_is_catalogued_in_both_builds(cat: Catalogue) -> None:
    rows = _docm_rows()
    assert len(rows) == 25 and len({(r["start"], r["variant"]) for r in rows}) == 23
    for r in rows:
        pc = r["amino_acid"].removeprefix("p.")
        hits = [e for e in cat.by_genomic("GRCh37", r["chromosome"], int(r["start"]))
                if e.protein_change == pc and e.grch37.alt == r["variant"]]
        assert len(hits) == 1, r
        e = hits[0]
        assert (e.grch37.chrom, e.grch37.pos, e.grch37.ref) == (r["chromosome"], int(r["start"]), r["read"])
        assert e.grch38 is not None and e.grch38_method != "" and not e.grch38_method.startswith("none")
        assert e in cat.by_genomic("GRCh38", "chr" + e.grch38.chrom, e.grch38.pos)
        assert "docm@c8d2a872" in e.sources


@pytest.mark.parametrize("ident,g37,g38", [
    ("JAK2-V617F-c1849G>T", ("9", 5073770, "G", "T"), ("9", 5073770, "G", "T")),
    ("MPL-W515L-c1544G>T", ("1", 43815009, "G", "T"), ("1", 43349338, "G", "T")),
    ("CRLF2-F232C-c695T>G", ("X", 1314966, "A", "C"), ("X", 1196852, "A", "C")),
    ("IL7R-S185C-c553A>T", ("5", 35873597, "A", "T"), ("5", 35873495, "A", "T")),
    ("JAK3-A572V-c1715C>T", ("19", 17948009, "G", "A"), ("19", 17837200, "G", "A")),
])
def test_known_positions_in_both_builds(cat: Catalogue, ident: str, g37: tuple, g38: tuple) -> None:
    """GRCh38 values independently derived in shared/reference/gene-models.md s2."""
    e = next(x for x in cat.entries if x.id == ident)
    assert (e.grch37.chrom, e.grch37.pos, e.grch37.ref, e.grch37.alt) == g37
    assert (e.grch38.chrom, e.grch38.pos, e.grch38.ref, e.grch38.alt) == g38
    if g37[1] != g38[1]:  # a GRCh37 position looked up as GRCh38 must not match
        assert e not in cat.by_genomic("GRCh38", g37[0], g37[1])


def test_crlf2_grch38_comes_from_the_inverse_chain(cat: Catalogue) -> None:
    e = next(x for x in cat.entries if x.id == "CRLF2-F232C-c695T>G")
    assert "liftover-chain-inverse" in e.grch38_method


def test_tyk2_polymorphisms_are_never_pathogenic(cat: Catalogue) -> None:
    for pos, alt in ((684, "S"), (1104, "A")):
        [e] = [x for x in cat.by_protein("TYK2", pos) if x.aa_alt == alt]
        assert e.classification == "polymorphism" and e.origin == "germline"
        assert e.germline_effect == "informational"
    i684s = next(x for x in cat.entries if x.protein_change == "I684S")
    assert (i684s.grch37.pos, i684s.hgvsc) == (10469975, "c.2051T>G")


def test_germline_entries_carry_condition_and_inheritance(cat: Catalogue) -> None:
    germ = [e for e in cat.entries if e.origin == "germline" and e.classification != "polymorphism"]
    assert len(germ) > 50
    assert all(e.inheritance and e.condition and e.germline_effect for e in germ)
    jak3 = [e for e in germ if e.gene == "JAK3"]
    assert jak3 and all(e.inheritance == "AR" for e in jak3)
    v617i = next(e for e in germ if e.protein_change == "V617I")
    assert v617i.germline_effect == "changes-mpn-interpretation" and v617i.inheritance == "AD"


def test_somatic_classes_and_counts(cat: Catalogue) -> None:
    v617f = next(e for e in cat.entries if e.id == "JAK2-V617F-c1849G>T")
    assert v617f.classification == "oncogenic" and v617f.origin == "somatic"
    r564l = next(e for e in cat.entries if e.protein_change == "R564L")
    assert r564l.classification == "likely-oncogenic"
    counts = cat.counts()
    assert counts[("JAK2", "docm", "oncogenic")] + counts[("JAK2", "docm", "likely-oncogenic")] == 7
    assert len(cat.digest) == 64 and cat.version == "1.2.0"


def _copy(tmp_path: Path) -> Path:
    d = tmp_path / "catalogue"
    shutil.copytree(CAT.parent, d)
    return d / "catalogue.tsv"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize("old,new,needle", [
    ("\tlikely-oncogenic\t", "\tprobably-bad\t", "classification 'probably-bad'"),
    ("\t5073770\tG\tT\t9\t", "\t5073770\tG\tX\t9\t", "REF/ALT must be ACGT"),
    ("\t9\t5073770\t", "\t9\tfive\t", "POS not a positive integer"),
])
def test_loader_rejects_a_broken_catalogue_in_one_line(tmp_path: Path, old: str, new: str, needle: str) -> None:
    tsv = _copy(tmp_path)
    _edit(tsv, old, new)
    with pytest.raises(RuleError) as err:
        load_catalogue(tsv)
    msg = str(err.value)
    assert needle in msg and "\n" not in msg and f"{tsv}:" in msg and err.value.exit_code == EXIT_RULES


def test_loader_rejects_a_hand_edit_via_the_digest(tmp_path: Path) -> None:
    tsv = _copy(tmp_path)
    _edit(tsv, "PMID:15781101", "PMID:15781102")
    with pytest.raises(RuleError, match="sha256 differs"):
        load_catalogue(tsv)


def test_a_catalogue_loaded_once_is_reread_when_it_changes(tmp_path: Path) -> None:
    """The per-process memo serves an unchanged file, never an edited one (same path and inode)."""
    tsv = _copy(tmp_path)
    first = load_catalogue(tsv)
    assert load_catalogue(tsv) is first
    _edit(tsv, "PMID:15781101", "PMID:15781102")  # same size: mtime/ctime tell it apart
    with pytest.raises(RuleError, match="sha256 differs"):
        load_catalogue(tsv)


def test_lint_reports_duplicates_and_pathogenic_polymorphism(tmp_path: Path) -> None:
    tsv = _copy(tmp_path)
    lines = tsv.read_text().splitlines(keepends=True)
    poly = next(l for l in lines if l.startswith("TYK2-I684S"))
    lines.append(poly.replace("\tgermline\tpolymorphism\t", "\tgermline\tpathogenic\t"))
    tsv.write_text("".join(lines))
    codes = {p.code for p in lint_catalogue(tsv)}
    assert {"JC005", "JC006", "JC007", "JC009"} <= codes
    assert lint_catalogue(CAT) == []


def test_pubmed_ids_are_never_read_out_of_other_identifiers():
    """CGI writes 'Clinvar:NM_004972.3(JAK2)' beside its PMIDs; 004972 is a transcript, not a PMID."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
    from catalogue_sources import _pmids

    text = "PMID:22818858__guideline__PMID: 21533163__Clinvar:NM_004972.3(JAK2):c.1849G>T(p.Val617Phe)"
    assert _pmids(text) == {"PMID:22818858", "PMID:21533163"}
    assert _pmids("15781101,19470474") == {"PMID:15781101", "PMID:19470474"}
    rows = (Path(__file__).resolve().parents[3] / "rules/catalogue/catalogue.tsv").read_text()
    assert "PMID:0" not in rows


def test_a_catalogue_is_parsed_once_per_process_until_its_bytes_change(tmp_path):
    from jakcli.ruleset.catalogue import default_path

    assert load_catalogue() is load_catalogue()  # batch: not parsed again for every file
    src = Path(default_path())
    tsv, side = tmp_path / "catalogue.tsv", tmp_path / "catalogue.yaml"
    shutil.copy(src, tsv)
    shutil.copy(src.with_suffix(".yaml"), side)
    first = load_catalogue(tsv)
    side.write_text(side.read_text().replace('version: "', 'version: "9', 1))
    second = load_catalogue(tsv)
    assert second is not first and second.version == "9" + first.version


def test_the_catalogue_is_loaded_once_per_process_and_again_when_its_bytes_change(tmp_path):
    import shutil

    from jakcli.ruleset.catalogue import default_path, load_catalogue

    assert load_catalogue() is load_catalogue()
    copy = tmp_path / "catalogue.tsv"
    shutil.copy(default_path(), copy)
    shutil.copy(default_path().with_suffix(".yaml"), copy.with_suffix(".yaml"))
    first = load_catalogue(copy)
    assert load_catalogue(copy) is first
    copy.write_text(copy.read_text() + "broken\trow\n")
    with pytest.raises(RuleError):
        load_catalogue(copy)  # changed bytes: loaded and validated again


def test_a_hand_written_sidecar_is_read_as_yaml(tmp_path: Path) -> None:
    """The generated sidecar is read without a YAML parser; any other spelling still goes through YAML."""
    tsv = _copy(tmp_path)
    side = tsv.with_suffix(".yaml")
    lines = side.read_text().splitlines()
    version = next(x for x in lines if x.startswith("version:"))
    sha = next(x for x in lines if x.startswith("sha256:"))
    rest = [x for x in lines if x not in (version, sha)]
    side.write_text("\n".join([sha, *rest, "version: '9.9.9'  # hand-written"]) + "\n")
    assert load_catalogue(tsv).version == "9.9.9"
    side.write_text("\n".join([sha.replace(sha[-4:], "0000"), version, *rest]) + "\n")
    with pytest.raises(RuleError, match="sha256 differs"):
        load_catalogue(tsv)
