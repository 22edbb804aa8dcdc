"""`airegister export spreadsheet`: the register as one row per project, and the sheets that explain it.

The workbook is meant to be edited and imported back: values are written as text (so Excel does not
turn "2021-03" into a date), allowed values come as drop-down lists from a hidden sheet, and the columns
sheet documents every column from the same table the import reads.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from rdflib import URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, SKOS

from airegister.importers.spreadsheet.apply import current
from airegister.importers.spreadsheet.columns import SEPARATOR, Column, Kind
from airegister.importers.spreadsheet.model import SheetModel
from airegister.importers.spreadsheet.words import word
from airegister.rdf.io import write_atomic
from airegister.rdf.languages import by_language, pick_text

LISTS_SHEET = "lists"
VALIDATED_ROWS = 1000  # drop-downs reach this row at least, so new rows get them too
FORMATS = {
    Kind.PERIOD_DATE: "YYYY, YYYY-MM or YYYY-MM-DD",
    Kind.DATE: "YYYY-MM-DD",
    Kind.IRI: "https://...",
    Kind.EMAIL: "name@example.be",
}


def natural(text: str) -> list[object]:
    """Sort key that puts pstw-9 before pstw-10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def project_rows(model: SheetModel, lang: str) -> list[list[str]]:
    """One row of cell texts per project record, in identifier order."""
    records = {r for r in model.graph.subjects(RDF.type, model.base.ns.AIProject) if isinstance(r, URIRef)}
    ordered = sorted(records, key=lambda r: natural(str(model.graph.value(r, DCTERMS.identifier) or r)))
    from airegister.importers.spreadsheet.values import format_cell

    return [
        [format_cell(c, current(model.graph, r, c), model.values.get(c.key), lang) for c in model.columns]
        for r in ordered
    ]


def export_csv(model: SheetModel, path: Path, lang: str, empty: bool, delimiter: str) -> int:
    rows = [] if empty else project_rows(model, lang)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([model.header(c, lang) for c in model.columns])
    writer.writerows(rows)
    write_atomic(path, ("\ufeff" + buffer.getvalue()).encode("utf-8"))  # the BOM tells Excel it is UTF-8
    return len(rows)


def export_xlsx(model: SheetModel, path: Path, lang: str, empty: bool) -> int:
    rows = [] if empty else project_rows(model, lang)
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = word("projects", lang)
    _table(sheet, [model.header(c, lang) for c in model.columns], rows)
    sheet.freeze_panes = "B2"
    for index, column in enumerate(model.columns, start=1):
        width = 14 if column.kind in (Kind.IDENTIFIER, Kind.BOOLEAN, Kind.PERIOD_DATE, Kind.DATE) else 30
        sheet.column_dimensions[get_column_letter(index)].width = width
    _columns_sheet(model, book.create_sheet(word("columns", lang)), lang)
    _organisations_sheet(model, book.create_sheet(word("organisations", lang)), lang)
    _principles_sheet(model, book.create_sheet(word("principles", lang)), lang)
    _drop_downs(model, book, sheet, lang, max(VALIDATED_ROWS, len(rows) + 100))
    buffer = io.BytesIO()
    book.save(buffer)
    write_atomic(path, buffer.getvalue())
    return len(rows)


def _table(sheet: Worksheet, header: list[str], rows: list[list[str]]) -> None:
    """Write a header and rows of text; text cells stay text, even when they start with '='."""
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, row in enumerate(rows, start=2):
        for index, text in enumerate(row, start=1):
            if text:
                cell = sheet.cell(row=number, column=index)
                cell.value = text
                cell.data_type = "s"
                cell.number_format = "@"


def allowed_text(model: SheetModel, column: Column, lang: str) -> str:
    """What the columns sheet says a cell may hold."""
    if column.kind is Kind.ORGANISATION:
        return f"{word('organisations', lang)} ({word('name', lang)}, {word('other_names', lang)}, {word('iri', lang)})"
    if column.kind is Kind.BOOLEAN:
        return f"{word('yes', lang)}{SEPARATOR}{word('no', lang)}"
    if column.kind is Kind.CONCEPT:
        labels = SEPARATOR.join(model.values[column.key].labels(lang))
        return labels + (f"{SEPARATOR}https://..." if column.open else "")
    return FORMATS.get(column.kind, "")


def _columns_sheet(model: SheetModel, sheet: Worksheet, lang: str) -> None:
    keys = ("column", "key", "meaning", "required", "format", "several", "allowed", "example")
    rows = []
    for column in model.columns:
        values = model.values.get(column.key)
        example = column.example or (values.labels(lang)[0] if values and column.kind is Kind.CONCEPT else "")
        several = f"{word('yes', lang)} ('{SEPARATOR.strip()}')" if column.multi else word("no", lang)
        rows.append(
            [
                model.header(column, lang),
                column.key,
                column.meaning,
                word(model.requirement(column), lang),
                column.kind.value,
                several,
                allowed_text(model, column, lang),
                example,
            ]
        )
    _table(sheet, [word(k, lang) for k in keys], rows)
    for letter, width in zip("ABCDEFGH", (28, 18, 60, 14, 22, 16, 80, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _literal(model: SheetModel, node: URIRef, prop: URIRef, lang: str) -> str:
    return pick_text(by_language(model.graph.objects(node, prop)), lang)


def _organisations_sheet(model: SheetModel, sheet: Worksheet, lang: str) -> None:
    names = model.organisations
    rows = []
    for org in sorted(names.names, key=lambda o: names.label(o, lang).lower()):
        others = sorted({str(o) for o in model.graph.objects(org, SKOS.altLabel)} | set(names.names[org].values()))
        level = model.graph.value(org, ORG.classification)
        rows.append(
            [
                names.label(org, lang),
                SEPARATOR.join(o for o in others if o != names.label(org, lang)),
                _literal(model, level, SKOS.prefLabel, lang) if isinstance(level, URIRef) else "",
                str(model.graph.value(org, DCTERMS.identifier) or ""),
                str(org),
            ]
        )
    _table(sheet, [word(k, lang) for k in ("name", "other_names", "level", "kbo", "iri")], rows)
    for letter, width in zip("ABCDE", (50, 60, 22, 16, 60), strict=True):
        sheet.column_dimensions[letter].width = width


def _principles_sheet(model: SheetModel, sheet: Worksheet, lang: str) -> None:
    principles = model.values["principle"]
    rows = [
        [
            str(model.graph.value(p, SKOS.notation) or ""),
            principles.label(p, lang),
            _literal(model, p, SKOS.definition, lang),
            str(p),
        ]
        for p in sorted(principles.names, key=lambda p: natural(str(p)))
    ]
    _table(sheet, [word(k, lang) for k in ("code", "name", "definition", "iri")], rows)
    for letter, width in zip("ABCD", (8, 50, 90, 50), strict=True):
        sheet.column_dimensions[letter].width = width


def _drop_downs(model: SheetModel, book: Workbook, sheet: Worksheet, lang: str, last_row: int) -> None:
    """One hidden column of labels per column with allowed values, and a list validation pointing to it.

    Single-value columns refuse other text; multi-valued ones only offer the list (a cell holding
    'A | B' is not one of its entries, so Excel must let it through).
    """
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    used = 0
    for index, column in enumerate(model.columns, start=1):
        if column.kind is Kind.BOOLEAN:
            labels = [word("yes", lang), word("no", lang)]
        elif column.kind in (Kind.CONCEPT, Kind.ORGANISATION):
            labels = model.values[column.key].labels(lang)
        else:
            continue
        used += 1
        letter = get_column_letter(used)
        lists.cell(row=1, column=used, value=column.key)
        for row, label in enumerate(labels, start=2):
            cell = lists.cell(row=row, column=used, value=label)
            cell.data_type = "s"
        source = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(labels) + 1}"
        validation = DataValidation(type="list", formula1=source, allow_blank=True)
        validation.showErrorMessage = not column.multi
        validation.error = f"{model.header(column, lang)}: {allowed_text(model, column, lang)}"[:255]
        validation.errorTitle = model.header(column, lang)[:32]
        sheet.add_data_validation(validation)
        target = get_column_letter(index)
        validation.add(f"{target}2:{target}{last_row}")
