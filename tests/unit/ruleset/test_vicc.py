"""ClinGen/CGC/VICC 2022 oncogenicity points (Horak et al., Genet Med 2022, PMID 35101336): the criteria
table, the class boundaries, the hotspot codes, the catalogue's scores and the lint checks JC010-JC012."""
from __future__ import annotations

import csv
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jakcli.engine.catalogue_match import CatalogueHit
from jakcli.ruleset import vicc
from jakcli.ruleset.catalogue import lint_catalogue, load_catalogue

ROOT = Path(__file__).resolve().parents[3]
CAT = ROOT / "rules" / "catalogue" / "catalogue.tsv"


def _scripts_module():
    spec = importlib.util.spec_from_file_location("catalogue_vicc", ROOT / "scripts" / "catalogue_vicc.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# Points per code as printed in the SOP's Tables 2 and 3 (PMC9081216).
SOP_POINTS = {"OVS1": 8, "OS1": 4, "OS2": 4, "OS3": 4, "OM1": 2, "OM2": 2, "OM3": 2, "OM4": 2,
              "OP1": 1, "OP2": 1, "OP3": 1, "OP4": 1, "SBVS1": -8, "SBS1": -4, "SBS2": -4, "SBP1": -1, "SBP2": -1}


def test_criteria_table_has_every_sop_code_with_its_points() -> None:
    table = vicc.criteria()
    assert {c: x.points for c, x in table.items()} == SOP_POINTS
    assert all(x.definition and x.bundled_source for x in table.values())
    assert {x.assessed for x in table.values()} <= {"assessed", "assessed-from-curation", "not-assessed",
                                                    "not-applicable"}


@pytest.mark.parametrize(("points", "cls"), [
    (10, "oncogenic"), (16, "oncogenic"), (9, "likely-oncogenic"), (6, "likely-oncogenic"),
    (5, "uncertain-significance"), (0, "uncertain-significance"), (-1, "likely-benign"),
    (-6, "likely-benign"), (-7, "benign"), (-12, "benign")])
def test_class_boundaries(points: int, cls: str) -> None:
    assert vicc.class_of(points) == cls


@pytest.mark.parametrize(("codes", "points", "cls"), [
    (("OS2", "OS3", "OM1"), 10, "oncogenic"),          # 4 + 4 + 2: the lowest oncogenic sum of this shape
    (("OS2", "OM1", "OP3"), 7, "likely-oncogenic"),
    (("OS3", "OP1"), 5, "uncertain-significance"),      # one point short of likely oncogenic
    (("OS2", "OM4"), 6, "likely-oncogenic"),
    (("OS3", "OM1", "OP1", "OP4"), 8, "likely-oncogenic"),
    (("OP3", "SBP1"), 0, "uncertain-significance"),
    (("SBS1", "SBP1", "SBP1"), -6, "likely-benign"),
    (("SBVS1", "OP3"), -7, "benign")])
def test_hand_worked_sums(codes: tuple[str, ...], points: int, cls: str) -> None:
    assert vicc.points_of(codes) == points and vicc.class_of(points) == cls


@pytest.mark.parametrize(("position", "change", "code"), [
    (50, 10, "OS3"), (1200, 900, "OS3"), (49, 10, "OM4"), (12, 10, "OM4"), (50, 9, "OP3"), (5, 0, "OP3")])
def test_hotspot_codes_follow_the_sample_counts(position: int, change: int, code: str) -> None:
    assert _scripts_module().hotspot_code(position, change) == code


def test_bundled_scores_only_use_codes_a_source_supports() -> None:
    cat = load_catalogue(CAT)
    somatic = [e for e in cat.entries if e.origin in ("somatic", "both")]  # both: a somatic class too
    assert somatic and all(e.vicc_points is not None for e in somatic)
    assert all(e.vicc_points is None and not e.vicc_codes for e in cat.entries if e.origin == "germline")
    used = {c for e in somatic for c in e.vicc_codes}
    assessed = {c for c, x in vicc.criteria().items() if x.assessed.startswith("assessed")}
    assert used <= assessed
    for e in somatic:
        assert e.vicc_points == vicc.points_of(e.vicc_codes) and e.vicc_class == vicc.class_of(e.vicc_points)


def test_stat3_d661v_hotspot_gives_op3_and_jak2_v617f_scores_only_its_curated_os2() -> None:
    by = {e.id: e for e in load_catalogue(CAT).entries}
    d661v = by["STAT3-D661V-c1982A>T"]
    assert d661v.vicc_codes == ("OP3",) and d661v.vicc_points == 1 and "n=5, V=3" in d661v.notes
    v617f = by["JAK2-V617F-c1849G>T"]
    # oncogenic by the catalogue convention; on bundled points only OS2 (knock-in mice, curated), no hotspot code
    assert v617f.classification == "oncogenic"
    assert (v617f.vicc_codes, v617f.vicc_points, v617f.vicc_class) == (("OS2",), 4, "uncertain-significance")
    assert CatalogueHit((v617f,), "protein").to_dict()["vicc"] == {
        "codes": ["OS2"], "points": 4, "class": "uncertain-significance",
        "sop": "ClinGen/CGC/VICC 2022 (Horak et al., PMID 35101336)"}
    germ = next(e for e in by.values() if e.origin == "germline")
    assert CatalogueHit((germ,), "protein").to_dict()["vicc"] is None


def _tampered(tmp_path: Path, edit) -> Path:
    work = tmp_path / "catalogue"
    shutil.copytree(CAT.parent, work)
    tsv = work / "catalogue.tsv"
    with tsv.open() as fh:
        rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    head = rows[0]
    row = next(r for r in rows[1:] if r[head.index("id")] == "STAT3-D661V-c1982A>T")
    edit(dict(zip(head, range(len(head)))), row)
    tsv.write_text("".join("\t".join(r) + "\n" for r in rows))
    return tsv


@pytest.mark.parametrize(("code", "edit"), [
    ("JC010", lambda i, r: r.__setitem__(i["vicc_codes"], "OP3;PM2")),
    ("JC011", lambda i, r: r.__setitem__(i["vicc_points"], "4")),
    ("JC012", lambda i, r: r.__setitem__(i["vicc_class"], "likely-oncogenic"))])
def test_lint_flags_codes_points_and_class_that_disagree(tmp_path: Path, code: str, edit) -> None:
    problems = lint_catalogue(_tampered(tmp_path, edit))
    assert code in {p.code for p in problems}, problems
    assert all(p.line == problems[0].line for p in problems if p.code == code)


def test_bundled_catalogue_lints_clean_of_vicc_problems() -> None:
    assert not [p for p in lint_catalogue(CAT) if p.code in {"JC010", "JC011", "JC012"}]


HEADER = "gene\tprotein_change\tcode\tcitations\tread_at\tcurator_note\n"
AT = "https://example.org/abstract"


def _scorer_with(tmp_path: Path, rows: str):
    cur = tmp_path / "curation"
    cur.mkdir()
    (cur / "vicc_evidence.tsv").write_text("# test rows\n" + HEADER + rows)
    return _scripts_module().Scorer(ROOT / "rules" / "catalogue", ROOT / "knowledge" / "sources", cur)


@pytest.mark.parametrize(("gene", "pos", "alt", "change", "row_code", "codes", "points", "cls"), [
    ("JAK2", 617, "F", "V617F", "OS2", "OS2", "4", "uncertain-significance"),     # OS2 alone: 4 points
    ("STAT3", 661, "V", "D661V", "OS2", "OS2;OP3", "5", "uncertain-significance"),  # + hotspot OP3
    ("JAK1", 0, "X", "Z0X", "OS2", "", "0", "uncertain-significance"),            # other change: no code
    ("JAK2", 617, "F", "V617F", "SBS2", "SBS2", "-4", "likely-benign")])
def test_a_functional_row_scores_its_code_and_class(tmp_path: Path, gene: str, pos: int, alt: str, change: str,
                                                      row_code: str, codes: str, points: str, cls: str) -> None:
    sc = _scorer_with(tmp_path, f"JAK2\tV617F\t{row_code}\tPMID:15793581\t{AT}\ttest row\n"
                                f"STAT3\tD661V\t{row_code}\tPMID:22591296\t{AT}\ttest row\n")
    got = sc.score(gene, pos, alt, change)
    assert (got["vicc_codes"], got["vicc_points"], got["vicc_class"]) == (codes.replace("OS2", row_code), points, cls)
    if codes:
        assert f"{row_code}:PMID:" in got["vicc_evidence"]


@pytest.mark.parametrize("row", [
    f"JAK2\tV617F\tOS3\tPMID:15793581\t{AT}\tnote\n",   # only OS2/SBS2/OM1 come from this table
    f"JAK2\tV617F\tOS2\tPMC123\t{AT}\tnote\n",          # PMID:n or DOI:10.x/y only
    f"JAK2\tV617F\tOS2\t15793581\t{AT}\tnote\n",        # a bare number is not a citation
    "JAK2\tV617F\tOS2\tPMID:15793581\t\tnote\n",        # where it was read must be said
    f"JAK2\tV617F\tOS2\tPMID:15793581\t{AT}\t\n"])      # what it showed must be said
def test_a_malformed_evidence_row_is_refused(tmp_path: Path, row: str) -> None:
    with pytest.raises(ValueError, match="vicc_evidence.tsv: JAK2 V617F"):
        _scorer_with(tmp_path, row)


def test_om1_replaces_a_weaker_hotspot_code_and_rows_for_one_code_merge(tmp_path: Path) -> None:
    sc = _scorer_with(tmp_path, f"STAT3\tD661V\tOM1\tPMID:22591296\t{AT}\tSH2 dimer interface\n"
                                f"STAT3\tD661V\tOS2\tPMID:22591296\t{AT}\tfirst study\n"
                                f"STAT3\tD661V\tOS2\tDOI:10.1182/blood-2012-01-1\t{AT}\tsecond study\n")
    got = sc.score("STAT3", 661, "V", "D661V")
    assert (got["vicc_codes"], got["vicc_points"], got["vicc_class"]) == ("OS2;OM1", "6", "likely-oncogenic")
    assert "OS2:PMID:22591296,DOI:10.1182/blood-2012-01-1" in got["vicc_evidence"]


def _build_with_row(tmp_path: Path, row: str, *args: str) -> tuple[Path, subprocess.CompletedProcess]:
    """A copy of the knowledge and build scripts, one evidence row appended, build_catalogue.py run."""
    work = tmp_path / "repo"
    for d in ("scripts", "knowledge", "rules/catalogue"):
        shutil.copytree(ROOT / d, work / d)
    ev = work / "knowledge" / "curation" / "vicc_evidence.tsv"
    ev.write_text(ev.read_text() + row)
    return work, subprocess.run([sys.executable, str(work / "scripts" / "build_catalogue.py"), *args],
                                capture_output=True, text=True)


def test_a_functional_row_for_an_unknown_protein_change_fails_the_build(tmp_path: Path) -> None:
    _, res = _build_with_row(tmp_path, f"JAK2\tV618F\tOS2\tPMID:15793581\t{AT}\ttypo of V617F\n", "--check")
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "no somatic catalogue entry for JAK2 V618F" in res.stderr


def _set(**values):
    def edit(i, r):
        for k, v in values.items():
            r[i[k]] = v
    return edit


# STAT3 D661V: curated oncogenic by its sources (source_classification oncogenic), 1 point (OP3).
@pytest.mark.parametrize(("edit", "flagged"), [
    # points equal to the sources' class, left beside it: the points must decide
    (_set(vicc_codes="OS2;OS3;OM1", vicc_points="10", vicc_class="oncogenic"), True),
    # the same, applied as the precedence says: clean
    (_set(vicc_codes="OS2;OS3;OM1", vicc_points="10", vicc_class="oncogenic", class_basis="vicc-2022"), False),
    # points below the sources' class (a lower bound) never lower it: source-curation is right ...
    (_set(vicc_codes="OS2;OM1", vicc_points="6", vicc_class="likely-oncogenic"), False),
    # ... and taking the lower points class is refused
    (_set(vicc_codes="OS2;OM1", vicc_points="6", vicc_class="likely-oncogenic", classification="likely-oncogenic",
          class_basis="vicc-2022"), True),
    # benign-side points on a curated driver: an unresolved contradiction, whatever the basis
    (_set(vicc_codes="SBS2;OP3", vicc_points="-3", vicc_class="likely-benign"), True),
    # 0-5 points cannot be the basis of a class
    (_set(class_basis="vicc-2022"), True),
    # sources likely oncogenic, points likely oncogenic: the points confirm it, so the basis is theirs
    (_set(source_classification="likely-oncogenic", classification="likely-oncogenic", vicc_codes="OS2;OM1",
          vicc_points="6", vicc_class="likely-oncogenic"), True)])
def test_lint_jc013_points_confirm_or_raise_a_somatic_class_never_lower_it(tmp_path: Path, edit, flagged: bool) -> None:
    every = lint_catalogue(_tampered(tmp_path, edit))
    problems = [p for p in every if p.code == "JC013"]
    assert bool(problems) is flagged, problems
    assert not [p for p in every if p.code == "JC004"]


def _row(origin: str, cls: str, points: int) -> dict:
    return {"id": "X-1", "origin": origin, "classification": cls, "vicc_points": str(points), "vicc_codes": "c",
            "vicc_class": vicc.class_of(points)}


@pytest.mark.parametrize(("row", "want"), [
    (_row("somatic", "oncogenic", 5), ("oncogenic", "source-curation", False)),          # not decisive
    (_row("somatic", "oncogenic", 7), ("oncogenic", "source-curation", True)),           # below: kept, listed
    (_row("somatic", "likely-oncogenic", 10), ("oncogenic", "vicc-2022", True)),         # above: raises it
    (_row("somatic", "likely-oncogenic", 6), ("likely-oncogenic", "vicc-2022", False)),  # equal: confirms it
    (_row("somatic", "oncogenic", 12), ("oncogenic", "vicc-2022", False)),
    (_row("both", "oncogenic", 12), ("oncogenic", "source-curation", False)),            # both: not re-scored
    (_row("germline", "pathogenic", 0) | {"vicc_class": ""}, ("pathogenic", "source-curation", False))])
def test_build_precedence_points_confirm_or_raise_never_lower(row: dict, want: tuple) -> None:
    cls, basis, clash, resolution = _scripts_module().decide(row)
    assert (cls, basis, clash is not None) == want
    assert bool(resolution) is (clash is not None)


@pytest.mark.parametrize("points", [-1, -4, -7])
def test_build_refuses_benign_points_on_a_curated_driver(points: int) -> None:
    with pytest.raises(ValueError, match="X-1: curated oncogenic by its sources but VICC 2022 points give"):
        _scripts_module().decide(_row("somatic", "oncogenic", points))


def test_a_benign_study_of_a_curated_driver_fails_the_build_naming_it(tmp_path: Path) -> None:
    _, res = _build_with_row(tmp_path, f"STAT3\tD661V\tSBS2\tPMID:22591296\t{AT}\ta made-up negative study\n",
                             "--check")
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "STAT3-D661V-c1982A>T: curated oncogenic by its sources but VICC 2022 points give likely-benign" in res.stderr


def test_an_entry_made_both_by_an_override_keeps_its_sources_class(tmp_path: Path) -> None:
    """MPL S505N (somatic driver and hereditary thrombocytosis allele): OM1 added to its OS2 would be
    6 points, below its oncogenic class, and in any case an entry of origin both is not re-scored."""
    work, res = _build_with_row(tmp_path, f"MPL\tS505N\tOM1\tPMID:14764528\t{AT}\ttest row\n")
    assert res.returncode == 0, res.stderr
    by = {e.id: e for e in load_catalogue(work / "rules" / "catalogue" / "catalogue.tsv").entries}
    e = by["MPL-S505N-c1514G>A"]
    assert (e.origin, e.classification, e.class_basis, e.vicc_points) == ("both", "oncogenic", "source-curation", 6)
    rows = (work / "rules" / "catalogue" / "conflicts.tsv").read_text().splitlines()
    assert not [r for r in rows if r.startswith("MPL-S505N") and "\tvicc-2022-vs-curation\t" in r]


def test_bundled_catalogue_follows_the_precedence() -> None:
    cat = load_catalogue(CAT)
    assert not [p for p in lint_catalogue(CAT) if p.code == "JC013"]
    rank = {"likely-oncogenic": 1, "oncogenic": 2}
    for e in cat.entries:
        decides = (e.origin == "somatic" and e.vicc_class in rank and rank[e.vicc_class] >= rank[e.source_classification])
        assert (e.class_basis == "vicc-2022") is decides, e.id
        assert e.classification == (e.vicc_class if decides else e.source_classification), e.id
    by = {e.id: e for e in cat.entries}
    assert (by["MPL-W515K-c1543_1544delinsAA"].class_basis, by["MPL-W515L-c1544G>T"].class_basis) == (
        "vicc-2022", "source-curation")  # 6 points: equal to W515K's likely-oncogenic, below W515L's oncogenic


@pytest.mark.parametrize(("ident", "codes", "points", "cls"), [
    ("MPL-W515L-c1544G>T", ("OS2", "OM1"), 6, "likely-oncogenic"),           # Ba/F3 scan + RWQFP motif residue
    ("MPL-W515F-c1544_1545delinsTT", ("OM1",), 2, "uncertain-significance"),  # motif residue, no study of W515F read
    ("CALR-L367TfsX46-c1099_1150del", ("OS2",), 4, "uncertain-significance"),  # curated frameshift: matched by its
    ("CALR-K385NfsX47-c1154_1155insTTGTC", ("OS2",), 4, "uncertain-significance"),  # protein_change spelling
    ("JAK2-K539L-c1615_1616delinsCT", (), 0, "uncertain-significance")])     # no study of K539L itself was read
def test_curated_myeloid_evidence_reaches_the_catalogue(ident: str, codes: tuple, points: int, cls: str) -> None:
    e = {x.id: x for x in load_catalogue(CAT).entries}[ident]
    assert (e.vicc_codes, e.vicc_points, e.vicc_class) == (codes, points, cls)
    assert all(f"{c}:" in e.notes for c in codes)  # each code's citations are shown with the entry


@pytest.mark.parametrize("ident", ["JAK2-V617I-c1849G>A", "MPL-S505N-c1514G>A"])  # germline; both
def test_only_a_somatic_entry_can_have_its_class_decided_by_points(tmp_path: Path, ident: str) -> None:
    work = tmp_path / "catalogue"
    shutil.copytree(CAT.parent, work)
    tsv = work / "catalogue.tsv"
    rows = [line.split("\t") for line in tsv.read_text().splitlines()]
    head = rows[0]
    (row,) = [r for r in rows if r[0] == ident]
    row[head.index("class_basis")] = "vicc-2022"
    tsv.write_text("".join("\t".join(r) + "\n" for r in rows))
    (p,) = [p for p in lint_catalogue(tsv) if p.code == "JC004"]
    assert p.line == rows.index(row) + 1 and "class_basis 'vicc-2022' not allowed for origin" in p.message


def test_a_catalogue_without_the_new_columns_says_how_to_add_them(tmp_path: Path) -> None:
    work = tmp_path / "catalogue"
    shutil.copytree(CAT.parent, work)
    tsv = work / "catalogue.tsv"
    tsv.write_text("".join("\t".join(line.split("\t")[:-2]) + "\n" for line in tsv.read_text().splitlines()))
    (p,) = [p for p in lint_catalogue(tsv) if p.code == "JC002"]
    assert "missing: class_basis, source_classification" in p.message
    assert "catalogue 1.2.0 added the last columns class_basis and source_classification" in p.hint


def test_os2_and_sbs2_on_one_change_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="JAK2 V617F: OS2 and SBS2 on one change contradict each other"):
        _scorer_with(tmp_path, f"JAK2\tV617F\tOS2\tPMID:15793581\t{AT}\tone study\n"
                               f"JAK2\tV617F\tSBS2\tPMID:15793582\t{AT}\tanother\n")
