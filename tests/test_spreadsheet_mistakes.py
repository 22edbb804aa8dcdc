"""A spreadsheet full of the mistakes curators make: one clear message each, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from rdflib import URIRef
from rdflib.namespace import SH
from test_spreadsheet import content_copy, projects_sheet, row_of, run, snapshot

from airegister.cli import main
from airegister.content.load import load
from airegister.importers.spreadsheet.columns import property_shapes, shape_path
from airegister.importers.spreadsheet.project_columns import columns, not_carried
from airegister.rdf.namespaces import DEFAULT_BASE, Base


@pytest.fixture
def root(repo_root: Path, tmp_path: Path) -> Path:
    return content_copy(repo_root, tmp_path / "root")


def errors(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("error:")]


def test_every_mistake_in_a_workbook_is_named_once(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = tmp_path / "register.xlsx"
    assert main(["export", "spreadsheet", str(exported), "--root", str(root)]) == 0
    book, sheet, col = projects_sheet(exported)
    phase, start, deployer = row_of(sheet, "pstw-10"), row_of(sheet, "pstw-11"), row_of(sheet, "pstw-12")
    formula, merged = row_of(sheet, "pstw-13"), row_of(sheet, "pstw-14")
    sheet.cell(phase, col["Phase"]).value = "Prodution"
    sheet.cell(start, col["Start date"]).value = "31/02/2024"
    sheet.cell(deployer, col["Deployer"]).value = "Ministry of Magic"
    sheet.cell(formula, col["Keyword (en)"]).value = "=A2&B2"
    letter = sheet.cell(merged, col["Keyword (en)"]).column_letter
    sheet.merge_cells(f"{letter}{merged}:{letter}{merged + 1}")
    extra = sheet.max_column + 1
    sheet.cell(1, extra).value = "Budget"
    sheet.cell(phase, extra).value = "120000"
    untitled = sheet.max_row + 1
    sheet.cell(untitled, col["Deployer"]).value = "VDAB"
    sheet.cell(untitled, col["Phase"]).value = "Idea"
    edited = tmp_path / "mistakes.xlsx"
    book.save(edited)  # type: ignore[attr-defined]
    before = snapshot(root)

    code, out = run(capsys, "import", "spreadsheet", str(edited), "--root", str(root), "--partial")

    assert code == 1
    assert snapshot(root) == before  # an unknown column blocks every row, even with --partial
    where = "error: mistakes.xlsx, sheet 'Projects', "
    assert sorted(errors(out)) == sorted(
        [
            f"{where}row 1, column {sheet.cell(1, extra).column_letter} 'Budget': 'Budget' is not a column of the "
            "register -- use a header from the columns sheet, or delete the column if it holds "
            "nothing to import",
            f"{where}row {phase}, column M 'Phase': 'Prodution' is not an allowed value of 'Phase'; did you mean "
            "'Production'? -- write one of: Development, Idea, Pilot, Production, Stopped",
            f"{where}row {start}, column N 'Start date': '31/02/2024' is not a date -- write YYYY, "
            "YYYY-MM or YYYY-MM-DD, e.g. 2024-02-29",
            f"{where}row {deployer}, column J 'Deployer': 'Ministry of Magic' is not an organisation of the register "
            "-- write a name from the organisations sheet; a new organisation must first be added to "
            "data/organisations.ttl",
            f"{where}row {formula}, column {letter} 'Keyword (en)': the cell holds a formula; the register stores "
            "values (found: =A2&B2) -- replace it by its value (copy the cell, then Paste Special > "
            "Values)",
            f"{where}row {merged}, column {letter} 'Keyword (en)': cells {letter}{merged}:{letter}{merged + 1} are "
            "merged, so only the first one holds a value -- unmerge them and write the value in "
            "every cell it applies to",
            f"{where}row {untitled}, column B 'Title (fr)': the project has no title, a mandatory field -- fill "
            "in 'Title (fr)' or 'Title (nl)' or 'Title (de)' or 'Title (en)'",
        ]
    )
    assert "nothing is written" in out


def test_windows_1252_csv_is_reported_with_how_to_resave(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "excel.csv"
    text = "Identifiant;Titre (fr);Organisation qui déploie;Phase\r\n;Prévision des files;VDAB;Idée\r\n"
    path.write_bytes(text.encode("cp1252"))
    before = snapshot(root)
    code, out = run(capsys, "import", "spreadsheet", str(path), "--root", str(root), "--partial")
    assert code == 1 and snapshot(root) == before
    assert errors(out) == [
        "error: excel.csv: the file is not UTF-8 text (it looks like Windows-1252, as Excel's plain 'CSV' writes "
        "it), so accented letters would be garbled; the rest of the file was checked as Windows-1252 (found: byte "
        "0xE9 on line 1) -- "
        "in Excel, Save As 'CSV UTF-8 (comma delimited) (*.csv)', or import the .xlsx workbook instead"
    ]


def test_close_values_are_suggested_from_labels_in_all_languages(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "new.csv"
    path.write_text("Identifier,Title (nl),Deployer,Phase\n,Slimme camera,VDAB,Ontwikeling\n", encoding="utf-8")
    code, out = run(capsys, "import", "spreadsheet", str(path), "--root", str(root), "--lang", "nl")
    assert code == 1
    assert "'Ontwikeling' is not an allowed value of 'Phase'; did you mean 'Ontwikkeling'?" in out


def test_columns_sheet_documents_every_column_and_agrees_with_the_shapes(repo_root: Path, tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    assert main(["export", "spreadsheet", str(path), "--root", str(repo_root), "--empty"]) == 0
    book = load_workbook(path)
    projects, documentation = book.worksheets[0], book["Columns"]
    headers = [c.value for c in projects[1]]
    assert projects.max_row == 1  # the empty template has headers only
    rows = [r for r in documentation.iter_rows(min_row=2) if r[0].value == "Projects"]  # the Projects sheet's
    documented = {str(r[2].value): (r[1].value, r[4].value) for r in rows}
    content = load(repo_root, Base(DEFAULT_BASE))
    table = columns(content.base)
    assert [documented[c.key][0] for c in table] == headers
    assert set(documented) == {c.key for c in table}

    # The shapes, read here independently: every field they constrain is a column or knowingly not carried,
    # and a column is mandatory exactly when a violation-level shape sets sh:minCount on its path.
    shapes = content.shapes
    project_shapes = [c.shape for c in property_shapes(shapes, content.base.ns.AIProject)]
    carried = {c.path for c in table}
    groups = {(c.path[0],) for c in table if len(c.path) > 1}
    for shape in project_shapes:
        path = shape_path(shapes, shape)
        if path is None:
            continue  # alternative paths (technique or capability) span two columns
        assert path in carried or path in groups or path[0] in not_carried(content.base), (shape, path)
    for column in table:
        mandatory = any(
            shape_path(shapes, s) == column.path
            and int(shapes.value(s, SH.minCount) or 0) >= 1
            and shapes.value(s, SH.severity) in (None, SH.Violation)
            for s in project_shapes
        )
        assert (documented[column.key][1] == "mandatory") == mandatory, column.key
    assert documented["title_fr"][1] == documented["deployer"][1] == documented["phase"][1] == "mandatory"


def test_drop_downs_and_reference_sheets(repo_root: Path, tmp_path: Path) -> None:
    path = tmp_path / "fr.xlsx"
    assert main(["export", "spreadsheet", str(path), "--root", str(repo_root), "--lang", "fr"]) == 0
    book = load_workbook(path)
    assert book.sheetnames == ["Projets", "Charte", "Organisations", "Colonnes", "Principes", "lists"]
    assert book["lists"].sheet_state == "hidden"
    projects = book["Projets"]
    by_range = {str(v.sqref): v for v in projects.data_validations.dataValidation}
    header = {c.value: c.column_letter for c in projects[1]}
    for name in ("Phase", "Technique d'IA", "Niveau de risque (règlement sur l'IA)"):
        validation = by_range[f"{header[name]}2:{header[name]}1000"]
        assert validation.type == "list" and validation.formula1.startswith("'lists'!$")
    charter = book["Charte"]
    principle = next(c.column_letter for c in charter[1] if c.value == "Principe")
    assert f"{principle}2:{principle}1000" in {str(v.sqref) for v in charter.data_validations.dataValidation}
    lists = book["lists"]
    phase_column = next(c.column_letter for c in lists[1] if c.value == "phase")
    assert {lists[f"{phase_column}{r}"].value for r in range(2, 7)} == {
        "Idée", "Développement", "Projet pilote", "En production", "Arrêté"
    }  # fmt: skip
    principles = [r[1].value for r in book["Principes"].iter_rows(min_row=2)]
    assert "Interaction humaine garantie" in principles
    organisations = {r[4].value for r in book["Organisations"].iter_rows(min_row=2)}
    assert URIRef("https://w3id.org/be-ai-register/id/organisation/vdab") in {URIRef(str(o)) for o in organisations}
