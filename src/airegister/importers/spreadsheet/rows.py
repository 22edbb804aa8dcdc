"""What every data sheet's import shares: headers to columns, the sheet's language, mandatory fields,
and naming a record a row points to that the register does not have."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from airegister.importers.concepts import normalise
from airegister.importers.spreadsheet.apply import current
from airegister.importers.spreadsheet.columns import COLUMN_ORDER, Column
from airegister.importers.spreadsheet.model import SheetModel
from airegister.importers.spreadsheet.read import Sheet
from airegister.rdf.languages import by_language

NOUNS = {"projects": "project", "charter": "assessment", "organisations": "organisation"}  # what a row is


def map_headers(sheet: Sheet, model: SheetModel, retired: dict[str, URIRef] | None = None) -> dict[int, Column]:
    """The column each header names; unknown and repeated headers are problems of the whole file.

    A column the register no longer imports (`retired`, by key) is a warning on the header; what the
    sheet's rows still hold in it is for the caller to refuse (`retired_columns`).
    """
    columns: dict[int, Column] = {}
    taken: dict[str, int] = {}
    for number, text in sorted(sheet.header.items()):
        column = model.find_header(text)
        if column is None and retired_key(model, text, retired or {}):
            continue
        if column is None:
            close = model.closest_headers(text, "en")
            hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            sheet.problem(
                1,
                number,
                text,
                f"{text!r} is not a column of the register{hint}",
                "use a header from the columns sheet, or delete the column if it holds nothing to import",
            )
        elif column.key in taken:
            sheet.problem(
                1,
                number,
                text,
                f"the column repeats column {sheet.header[taken[column.key]]!r}",
                "keep one column per field",
            )
        else:
            taken[column.key] = number
            columns[number] = column
    missing = [model.column(key) for key in model.table.keys if key not in taken]
    if missing:
        names = " and ".join(repr(model.header(c, "en")) for c in missing)
        sheet.problem(
            1,
            None,
            None,
            f"the sheet has no {names} column, so its rows cannot be matched to the register's records",
            f"add the column{'s' if len(missing) > 1 else ''} {names}"
            + (", empty on rows of new projects" if model.table.name == "projects" else ""),
        )
    return columns


def retired_key(model: SheetModel, text: str, retired: dict[str, URIRef]) -> str | None:
    """The key of the retired column a header names (its key, or its property's label in any language)."""
    wanted = normalise(text)
    for key, prop in retired.items():
        labels = by_language(model.graph.objects(prop, RDFS.label)).values()
        if wanted == key or wanted in {normalise(label) for label in labels}:
            return key
    return None


def sheet_lang(sheet: Sheet, model: SheetModel, columns: dict[int, Column]) -> str:
    """The language the sheet's headers are in (for naming columns it lacks), English when unsure."""
    for lang in (lang for lang in COLUMN_ORDER if lang != "en"):
        if all(sheet.header[n] == model.header(c, lang) for n, c in columns.items()) and columns:
            return lang
    return "en"


def check_mandatory(
    sheet: Sheet, model: SheetModel, graph: Graph, record: URIRef, columns: dict[int, Column], row: int
) -> bool:
    """Mandatory fields (sh:minCount on the shapes) present after the row is applied; else one problem each."""
    ok = True
    for group in model.mandatory_groups():
        if any(current(graph, record, c) for c in group):
            continue
        ok = False
        present = [n for n, c in columns.items() if c in group]
        names = model.field_names[group[0].key] if not model.table.via else set()  # nested shapes have no name
        field = min(names, default=model.header(group[0], "en").lower())
        headers = " or ".join(repr(model.header(c, sheet_lang(sheet, model, columns))) for c in group)
        where = f"fill in {headers}" if present else f"add a column {headers} and fill it in"
        noun = NOUNS.get(model.table.name, "record")
        sheet.problem(row, present[0] if present else None, "", f"the {noun} has no {field}, a mandatory field", where)
    return ok


def close_to(text: str, known: Iterable[str]) -> str:
    """'; did you mean ...?' for an identifier that looks like a known one (case, dashes, spaces)."""
    known = list(known)
    loose = {k.lower().replace("-", "").replace(" ", ""): k for k in known}
    exact = loose.get(text.lower().replace("-", "").replace(" ", ""))
    close = [exact] if exact else difflib.get_close_matches(text.lower(), known, n=1, cutoff=0.8)
    return f"; did you mean {close[0]!r}?" if close else ""


def where(sheet: Sheet, row: int) -> str:
    """How the outcome names a row: 'row 5' on the Projects sheet, "sheet 'Charter', row 5" elsewhere."""
    return f"row {row}" if sheet.kind == "projects" else f"sheet '{sheet.name}', row {row}"
