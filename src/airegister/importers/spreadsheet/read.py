"""Reading the data sheets (Projects, Charter, Organisations) from XLSX, or one sheet from CSV, keeping
where every cell came from.

Cells become text (Excel dates become ISO dates, whole numbers lose their '.0'); what cannot be read as
a plain value (a formula, merged cells, text that is not UTF-8) is reported where it is, so a curator
can find it, and never guessed at silently.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from airegister.importers.spreadsheet.report import Problem
from airegister.importers.spreadsheet.words import sheet_names

DATA_SHEETS = ("projects", "charter", "organisations")


@dataclass
class Sheet:
    """One sheet as text: header cells by column number, data rows by row number."""

    file: str
    name: str
    kind: str | None = None  # a DATA_SHEETS name; None for a CSV file until its headers say which
    header: dict[int, str] = field(default_factory=dict)  # column number (1-based) -> header text
    rows: list[tuple[int, dict[int, str]]] = field(default_factory=list)  # (row number, column -> text)
    problems: list[Problem] = field(default_factory=list)
    bad_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, column) already reported

    def problem(
        self,
        row: int | None,
        column: int | None,
        value: str | None,
        message: str,
        allowed: str | None = None,
        severity: str = "error",
    ) -> None:
        header = self.header.get(column) if column else None
        letter = get_column_letter(column) if column else None
        self.problems.append(Problem(self.file, self.name, row, letter, header, value, message, allowed, severity))
        if row is not None and column is not None and severity == "error":
            self.bad_cells.add((row, column))

    def bad_rows(self) -> set[int]:
        """Rows with an error; row 1 (the header) stands for the whole file."""
        rows = {p.row for p in self.problems if p.severity == "error" and p.row is not None}
        return rows | {row for row, _column in self.bad_cells}

    def file_errors(self) -> list[Problem]:
        """Errors no row can be blamed for alone (encoding, headers): they block every row."""
        return [p for p in self.problems if p.severity == "error" and (p.row is None or p.row == 1)]


def read_sheets(path: Path) -> list[Sheet]:
    """The data sheets of an .xlsx workbook (found by their name in any language; the first sheet is the
    Projects sheet when no sheet is named so), or the one sheet of a .csv file."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    return [_read_csv(path)]


def cell_text(value: object) -> str:
    """A cell's value as the text a curator sees."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(path: Path) -> list[Sheet]:
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        # openpyxl warns about Excel features it drops on reading (extensions, styles): none hold data.
        warnings.simplefilter("ignore", UserWarning)
        book = load_workbook(path, data_only=False)
    found = {kind: next((w for w in book.worksheets if w.title.strip().lower() in sheet_names(kind)), None)
             for kind in DATA_SHEETS}  # fmt: skip
    first = book.worksheets[0]
    if found["projects"] is None and first not in found.values():
        found["projects"] = first  # a workbook of one's own: its first sheet holds the projects
    return [_read_worksheet(ws, path.name, kind) for kind, ws in found.items() if ws is not None]


def _read_worksheet(ws: Worksheet, file: str, kind: str) -> Sheet:
    sheet = Sheet(file=file, name=ws.title, kind=kind)
    rows = list(ws.iter_rows())
    if not rows:
        return sheet
    for cell in rows[0]:
        text = cell_text(cell.value)
        if text:
            sheet.header[int(cell.column)] = text
    merged_at: dict[tuple[int, int], str] = {}
    for merged in ws.merged_cells.ranges:
        for row in range(merged.min_row, merged.max_row + 1):
            for column in range(merged.min_col, merged.max_col + 1):
                merged_at[(row, column)] = merged.coord
        sheet.problem(
            merged.min_row,
            merged.min_col,
            merged.coord,
            f"cells {merged.coord} are merged, so only the first one holds a value",
            "unmerge them and write the value in every cell it applies to",
        )
    for cells in rows[1:]:
        number = int(cells[0].row)
        values: dict[int, str] = {}
        for cell in cells:
            column = int(cell.column)
            if cell.data_type == "f":
                formula = str(getattr(cell.value, "text", cell.value))
                sheet.problem(
                    number,
                    column,
                    formula,
                    "the cell holds a formula; the register stores values",
                    "replace it by its value (copy the cell, then Paste Special > Values)",
                )
                values[column] = formula
            elif cell.value is not None:
                values[column] = cell_text(cell.value)
            elif (number, column) in merged_at:
                sheet.bad_cells.add((number, column))
        if any(values.values()) or any((number, c) in merged_at for c in sheet.header):
            sheet.rows.append((number, values))
    return sheet


def _read_csv(path: Path) -> Sheet:
    sheet = Sheet(file=path.name, name=path.name)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        text = data.decode("cp1252", errors="replace").removeprefix("\ufeff")
        sheet.problem(
            None,
            None,
            f"byte 0x{data[error.start]:02X} on line {line}",
            "the file is not UTF-8 text (it looks like Windows-1252, as Excel's plain 'CSV' writes it), so "
            "accented letters would be garbled; the rest of the file was checked as Windows-1252",
            "in Excel, Save As 'CSV UTF-8 (comma delimited) (*.csv)', or import the .xlsx workbook instead",
        )
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for index, record in enumerate(reader, start=1):
        cells = {column: value.strip() for column, value in enumerate(record, start=1)}
        if index == 1:
            sheet.header = {c: v for c, v in cells.items() if v}
        elif any(cells.values()):
            sheet.rows.append((index, cells))
    return sheet
