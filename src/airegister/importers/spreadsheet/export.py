"""`airegister export spreadsheet`: the register as sheets of rows, and the sheets that explain them.

The workbook is meant to be edited and imported back: values are written as text (so Excel does not
turn "2021-03" into a date), allowed values come as drop-down lists from a hidden sheet, and the columns
sheet documents every column of every data sheet from the same tables the import reads.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from rdflib.namespace import SKOS

from airegister.importers.spreadsheet.apply import current
from airegister.importers.spreadsheet.charter import charter_rows
from airegister.importers.spreadsheet.columns import SEPARATOR, Column, Kind
from airegister.importers.spreadsheet.model import SheetModel
from airegister.importers.spreadsheet.organisations import organisation_rows
from airegister.importers.spreadsheet.values import format_cell
from airegister.importers.spreadsheet.words import word
from airegister.rdf.io import write_atomic
from airegister.rdf.languages import by_language, pick_text
from airegister.rdf.ordering import natural

LISTS_SHEET = "lists"
VALIDATED_ROWS = 1000  # drop-downs reach this row at least, so new rows get them too
FORMATS = {
    Kind.PERIOD_DATE: "YYYY, YYYY-MM or YYYY-MM-DD",
    Kind.DATE: "YYYY-MM-DD",
    Kind.DAY: "YYYY-MM-DD",
    Kind.IRI: "https://...",
    Kind.EMAIL: "name@example.be",
    Kind.PHONE: "+32 2 000 00 00",
}
NARROW = (Kind.IDENTIFIER, Kind.BOOLEAN, Kind.PERIOD_DATE, Kind.DATE, Kind.DAY)


def project_rows(model: SheetModel, lang: str) -> list[list[str]]:
    """One row of cell texts per project record, in identifier order."""
    return [
        [format_cell(c, current(model.graph, r, c), model.values.get(c.key), lang) for c in model.columns]
        for r, _ref in model.projects()
    ]


def rows(model: SheetModel, lang: str) -> list[list[str]]:
    """The rows of any data sheet."""
    name = model.table.name
    return (
        charter_rows(model, lang)
        if name == "charter"
        else organisation_rows(model, lang)
        if name == "organisations"
        else project_rows(model, lang)
    )


def export_csv(model: SheetModel, path: Path, lang: str, empty: bool, delimiter: str) -> int:
    """One data sheet as CSV (a CSV file holds one sheet: the import recognises it by its headers)."""
    found = [] if empty else rows(model, lang)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([model.header(c, lang) for c in model.columns])
    writer.writerows(found)
    write_atomic(path, ("\ufeff" + buffer.getvalue()).encode("utf-8"))  # the BOM tells Excel it is UTF-8
    return len(found)


def export_xlsx(models: dict[str, SheetModel], path: Path, lang: str, empty: bool) -> int:
    """Every data sheet (Projects, Charter, Organisations), then Columns and Principles; the count of projects."""
    book = Workbook()
    first = book.active
    assert isinstance(first, Worksheet)
    book.remove(first)
    written: list[tuple[SheetModel, Worksheet, int]] = []
    for name, model in models.items():
        found = [] if empty and name != "organisations" else rows(model, lang)
        sheet = book.create_sheet(word(name, lang))
        _table(sheet, [model.header(c, lang) for c in model.columns], found)
        sheet.freeze_panes = "B2"
        for index, column in enumerate(model.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = 14 if column.kind in NARROW else 30
        written.append((model, sheet, len(found)))
    _columns_sheet(list(models.values()), book.create_sheet(word("columns", lang)), lang)
    _principles_sheet(models["charter"], book.create_sheet(word("principles", lang)), lang)
    lists = _Lists(book)
    for model, sheet, count in written:
        lists.add(model, sheet, lang, max(VALIDATED_ROWS, count + 100))
    buffer = io.BytesIO()
    book.save(buffer)
    write_atomic(path, buffer.getvalue())
    return next((count for model, _sheet, count in written if model.table.name == "projects"), 0)


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


def _columns_sheet(models: list[SheetModel], sheet: Worksheet, lang: str) -> None:
    keys = ("sheet", "column", "key", "meaning", "required", "format", "several", "allowed", "example")
    rows = []
    for model in models:
        for column in model.columns:
            values = model.values.get(column.key)
            labels = values.labels(lang) if values is not None and column.kind is Kind.CONCEPT else []
            example = column.example or (labels[0] if labels else "")
            several = f"{word('yes', lang)} ('{SEPARATOR.strip()}')" if column.multi else word("no", lang)
            rows.append(
                [
                    word(model.table.name, lang),
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
    for letter, width in zip("ABCDEFGHI", (14, 28, 18, 60, 14, 22, 16, 80, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _principles_sheet(model: SheetModel, sheet: Worksheet, lang: str) -> None:
    principles = model.values["principle"]
    rows = [
        [
            str(model.graph.value(p, SKOS.notation) or ""),
            principles.label(p, lang),
            pick_text(by_language(model.graph.objects(p, SKOS.definition)), lang),
            str(p),
        ]
        for p in sorted(principles.names, key=lambda p: natural(str(p)))
    ]
    _table(sheet, [word(k, lang) for k in ("code", "name", "definition", "iri")], rows)
    for letter, width in zip("ABCD", (8, 50, 90, 50), strict=True):
        sheet.column_dimensions[letter].width = width


class _Lists:
    """The hidden sheet of allowed values: one column per distinct list, shared by the columns offering it."""

    def __init__(self, book: Workbook) -> None:
        self.sheet = book.create_sheet(LISTS_SHEET)
        self.sheet.sheet_state = "hidden"
        self.ranges: dict[tuple[str, ...], str] = {}

    def source(self, key: str, labels: list[str]) -> str:
        if tuple(labels) not in self.ranges:
            used = len(self.ranges) + 1
            letter = get_column_letter(used)
            self.sheet.cell(row=1, column=used, value=key)
            for row, label in enumerate(labels, start=2):
                self.sheet.cell(row=row, column=used, value=label).data_type = "s"
            self.ranges[tuple(labels)] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(labels) + 1}"
        return self.ranges[tuple(labels)]

    def add(self, model: SheetModel, sheet: Worksheet, lang: str, last_row: int) -> None:
        """A list validation on every column with allowed values.

        Single-value columns refuse other text; multi-valued ones only offer the list (a cell holding
        'A | B' is not one of its entries, so Excel must let it through), as do open lists.
        """
        for index, column in enumerate(model.columns, start=1):
            if column.kind is Kind.BOOLEAN:
                labels = [word("yes", lang), word("no", lang)]
            elif column.kind in (Kind.CONCEPT, Kind.ORGANISATION):
                labels = model.values[column.key].labels(lang)
            else:
                continue
            if not labels:
                continue
            validation = DataValidation(type="list", formula1=self.source(column.key, labels), allow_blank=True)
            validation.showErrorMessage = not (column.multi or column.open)
            validation.error = f"{model.header(column, lang)}: {allowed_text(model, column, lang)}"[:255]
            validation.errorTitle = model.header(column, lang)[:32]
            sheet.add_data_validation(validation)
            target = get_column_letter(index)
            validation.add(f"{target}2:{target}{last_row}")
