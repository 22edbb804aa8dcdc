"""The curators' spreadsheet: export, edit, import back; only what was edited changes."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, XSD

from airegister.cli import main
from airegister.rdf.namespaces import ADMS, AI, VCARD

B = "https://w3id.org/be-ai-register/"
PROJECT = B + "id/project/"


def content_copy(repo_root: Path, target: Path) -> Path:
    """A content root of our own, so imports can write to it."""
    for name in ("ontology", "shapes", "data"):
        shutil.copytree(repo_root / name, target / name)
    return target


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "data").rglob("*")) if p.is_file()}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


@pytest.fixture
def root(repo_root: Path, tmp_path: Path) -> Path:
    return content_copy(repo_root, tmp_path / "root")


@pytest.fixture(scope="module")
def exported(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped register as an English workbook."""
    path = tmp_path_factory.mktemp("export") / "register.xlsx"
    assert main(["export", "spreadsheet", str(path), "--root", str(repo_root)]) == 0
    return path


def projects_sheet(path: Path) -> tuple[object, Worksheet, dict[str, int]]:
    book = load_workbook(path)
    sheet = book.worksheets[0]
    header = {str(c.value): int(c.column) for c in sheet[1] if c.value}
    return book, sheet, header


def row_of(sheet: Worksheet, ref: str) -> int:
    return next(int(c.row) for c in sheet["A"] if c.value == ref)


def triples(path: Path) -> set[tuple[object, object, object]]:
    """A file's triples, blank nodes replaced by a marker (what a record says, not how nodes are named)."""
    graph = Graph().parse(path)
    return {tuple("_" if isinstance(t, BNode) else t for t in triple) for triple in graph}  # type: ignore[misc]


def test_round_trip_xlsx_changes_nothing(
    root: Path, exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(root)
    code, out = run(capsys, "import", "spreadsheet", str(exported), "--root", str(root))
    assert code == 0, out
    assert "wrote 0 file(s); 0 error(s)" in out
    assert snapshot(root) == before


@pytest.mark.parametrize(("lang", "delimiter", "bom"), [("fr", ";", True), ("nl", ",", False)])
def test_round_trip_csv_in_other_languages_and_separators(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, delimiter: str, bom: bool
) -> None:
    path = tmp_path / "register.csv"
    code, _ = run(capsys, "export", "spreadsheet", str(path), "--root", str(root), "--lang", lang)
    assert code == 0
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    if delimiter == ",":  # as another tool would save it: commas, no BOM
        import csv
        import io

        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
        buffer = io.StringIO(newline="")
        csv.writer(buffer).writerows(rows)
        path.write_bytes(buffer.getvalue().encode("utf-8"))
    before = snapshot(root)
    code, out = run(capsys, "import", "spreadsheet", str(path), "--root", str(root))
    assert code == 0, out
    assert snapshot(root) == before


def test_edited_cells_change_exactly_those_facts(
    root: Path, exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book, sheet, col = projects_sheet(exported)
    r = row_of(sheet, "pstw-10")
    sheet.cell(r, col["Phase"]).value = "Arrêté"  # a French label in an English sheet
    sheet.cell(r, col["AI technique"]).value += " | https://w3id.org/dpv/ai#BayesianEstimation"  # type: ignore[operator]
    sheet.cell(r, col["Title (fr)"]).value = "Caméras et téléphone au volant"
    sheet.cell(r, col["Keyword (nl)"]).value = "camera | verkeersveiligheid"
    sheet.cell(r, col["Cross-border"]).value = True  # Excel's own boolean
    edited = tmp_path / "edited.xlsx"
    book.save(edited)  # type: ignore[attr-defined]
    before = snapshot(root)
    old = triples(root / "data/projects/pstw-10.ttl")

    code, out = run(capsys, "import", "spreadsheet", str(edited), "--root", str(root))

    assert code == 0, out
    after = snapshot(root)
    assert {k for k in before if before[k] != after[k]} == {"data/projects/pstw-10.ttl"}
    new = triples(root / "data/projects/pstw-10.ttl")
    s = URIRef(PROJECT + "pstw-10")
    ns = B + "ns#"
    assert old - new == {
        (s, ADMS.status, URIRef(B + "id/phase/pilot")),
        (s, URIRef(ns + "crossBorder"), Literal(False)),
    }
    assert new - old == {
        (s, ADMS.status, URIRef(B + "id/phase/stopped")),
        (s, AI.hasTechnique, AI.BayesianEstimation),
        (s, DCTERMS.title, Literal("Caméras et téléphone au volant", lang="fr")),
        (s, DCAT.keyword, Literal("camera", lang="nl")),
        (s, DCAT.keyword, Literal("verkeersveiligheid", lang="nl")),
        (s, URIRef(ns + "crossBorder"), Literal(True)),
    }
    assert "~ Phase: 'Pilot' -> 'Stopped'" in out


def test_blank_node_fields_keep_what_the_sheet_does_not_change(
    root: Path, exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book, sheet, col = projects_sheet(exported)
    r = row_of(sheet, "pstw-10")
    sheet.cell(r, col["End date"]).value = dt.datetime(2022, 3, 15)  # Excel turned the text into a date
    sheet.cell(r, col["Contact email"]).value = "ai@vias.be"
    sheet.delete_cols(col["Keyword (en)"])  # a column the sheet no longer has is kept as it is
    edited = tmp_path / "edited.xlsx"
    book.save(edited)  # type: ignore[attr-defined]
    code, out = run(capsys, "import", "spreadsheet", str(edited), "--root", str(root))
    assert code == 0, out
    graph = Graph().parse(root / "data/projects/pstw-10.ttl")
    s = URIRef(PROJECT + "pstw-10")
    period = graph.value(s, DCTERMS.temporal)
    assert graph.value(period, DCAT.startDate) == Literal("2019", datatype=XSD.gYear)
    assert graph.value(period, DCAT.endDate) == Literal("2022-03-15", datatype=XSD.date)
    contact = graph.value(s, DCAT.contactPoint)
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:ai@vias.be")
    assert (contact, None, VCARD.Kind) in graph
    # untouched fields the template has no column for, and the column that was deleted
    assert graph.value(s, ADMS.identifier) is not None
    assert graph.value(s, DCTERMS.bibliographicCitation) is not None


def test_new_rows_get_the_next_identifier_and_dry_run_writes_nothing(
    root: Path, exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    year = dt.date.today().year
    (root / "data/projects" / f"be-{year}-0007.ttl").write_text(
        (root / "data/projects/pstw-10.ttl").read_text().replace("pstw-10", f"be-{year}-0007")
    )
    book, sheet, col = projects_sheet(exported)
    for offset, title in enumerate(("Tax chatbot", "Parking sensors")):
        r = sheet.max_row + 1
        sheet.cell(r, col["Title (en)"]).value = title
        sheet.cell(r, col["Deployer"]).value = "VDAB"
        sheet.cell(r, col["Phase"]).value = "pilot" if offset else "Idea"
        sheet.cell(r, col["Start date"]).value = 2025  # Excel made the year a number
    edited = tmp_path / "new.xlsx"
    book.save(edited)  # type: ignore[attr-defined]
    before = snapshot(root)

    code, out = run(capsys, "import", "spreadsheet", str(edited), "--root", str(root), "--dry-run")
    assert code == 0, out
    assert snapshot(root) == before
    assert f"be-{year}-0008 (row 81, new project):" in out
    assert "+ Title (en): 'Tax chatbot'" in out
    assert "would write 2 file(s)" in out

    code, out = run(capsys, "import", "spreadsheet", str(edited), "--root", str(root))
    assert code == 0, out
    graph = Graph().parse(root / "data/projects" / f"be-{year}-0009.ttl")
    s = URIRef(PROJECT + f"be-{year}-0009")
    assert graph.value(s, DCTERMS.identifier) == Literal(f"be-{year}-0009")
    assert graph.value(s, ADMS.status) == URIRef(B + "id/phase/pilot")
    assert graph.value(graph.value(s, DCTERMS.temporal), DCAT.startDate) == Literal("2025", datatype=XSD.gYear)
    assert run(capsys, "validate", "--root", str(root))[0] == 0


def test_partial_writes_the_good_rows(
    root: Path, exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book, sheet, col = projects_sheet(exported)
    sheet.cell(row_of(sheet, "pstw-10"), col["Phase"]).value = "Stopped"
    sheet.cell(row_of(sheet, "pstw-11"), col["Phase"]).value = "Finished"
    bad = row_of(sheet, "pstw-11")
    edited = tmp_path / "partial.xlsx"
    book.save(edited)  # type: ignore[attr-defined]
    before = snapshot(root)
    code, out = run(capsys, "import", "spreadsheet", str(edited), "--root", str(root))
    assert code == 1 and snapshot(root) == before, out
    code, out = run(capsys, "import", "spreadsheet", str(edited), "--root", str(root), "--partial")
    assert code == 1
    after = snapshot(root)
    assert {k for k in before if before[k] != after[k]} == {"data/projects/pstw-10.ttl"}
    assert f"rows not imported: 'Projects' row {bad}" in out


def test_shacl_findings_are_placed_on_rows_and_columns(
    root: Path, exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book, sheet, col = projects_sheet(exported)
    r = row_of(sheet, "pstw-10")
    sheet.cell(r, col["End date"]).value = "2018"  # before the start date: only the shapes know
    edited = tmp_path / "order.xlsx"
    book.save(edited)  # type: ignore[attr-defined]
    before = snapshot(root)
    code, out = run(capsys, "import", "spreadsheet", str(edited), "--root", str(root))
    assert code == 1 and snapshot(root) == before
    errors = [line for line in out.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: order.xlsx, sheet 'Projects', row {r}, column O 'End date': The end date 2018 is before the start "
        "date 2019. -- Correct whichever date is wrong; the end date must not be earlier than the "
        "start date."
    ]
