"""The Organisations sheet: every organisation of the register, its postal address and public contact.

Rows are found by the IRI column. The address and contact columns are imported into the file that
describes the organisation (data/organisations.ttl); the name, other names, level and KBO number are
shown so a curator knows the names the other sheets accept, and are edited in that file, not here: a
changed one is a warning, never a silent loss.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, SKOS

from airegister.content.load import Content
from airegister.importers.concepts import ORGANISATION_TYPES
from airegister.importers.spreadsheet.apply import apply_row, current
from airegister.importers.spreadsheet.columns import COLUMN_ORDER, SEPARATOR, Column, Kind
from airegister.importers.spreadsheet.model import SheetModel
from airegister.importers.spreadsheet.read import Sheet
from airegister.importers.spreadsheet.report import Outcome
from airegister.importers.spreadsheet.rows import check_mandatory, close_to, where
from airegister.importers.spreadsheet.targets import Place, Targets
from airegister.importers.spreadsheet.values import format_cell
from airegister.rdf.languages import by_language, pick_text


def reference_cells(model: SheetModel, org: URIRef, lang: str) -> dict[str, str]:
    """The cells shown for reference: name, other names, level of government, KBO number, IRI."""
    names = model.organisations
    name = names.label(org, lang)
    others = sorted({str(o) for o in model.graph.objects(org, SKOS.altLabel)} | set(names.names[org].values()))
    level = model.graph.value(org, ORG.classification)
    level_name = pick_text(by_language(model.graph.objects(level, SKOS.prefLabel)), lang) if level else ""
    return {
        "name": name,
        "other_names": SEPARATOR.join(o for o in others if o != name),
        "level": level_name,
        "kbo": str(model.graph.value(org, DCTERMS.identifier) or ""),
        "iri": str(org),
    }


def organisation_rows(model: SheetModel, lang: str) -> list[list[str]]:
    """One row per organisation, by name in `lang`."""
    names = model.organisations
    rows = []
    for org in sorted(names.names, key=lambda o: names.label(o, lang).lower()):
        shown = reference_cells(model, org, lang)
        rows.append(
            [
                shown[c.key]
                if c.key in shown
                else format_cell(c, current(model.graph, org, c), model.values.get(c.key), lang)
                for c in model.columns
            ]
        )
    return rows


def organisation_files(content: Content) -> dict[URIRef, Path]:
    """The file that types each organisation."""
    found: dict[URIRef, Path] = {}
    for name, path in content.files.items():
        graph = content.dataset.graph(name)
        for klass in ORGANISATION_TYPES:
            found.update((s, path) for s in graph.subjects(RDF.type, klass) if isinstance(s, URIRef))
    return found


def import_organisations(
    sheet: Sheet, model: SheetModel, columns: dict[int, Column], lang: str, targets: Targets, outcome: Outcome
) -> None:
    """Apply every Organisations row to the file that describes its organisation (a copy in `targets`)."""
    files = organisation_files(targets.content)
    number_of = {c.key: n for n, c in columns.items()}
    seen: dict[URIRef, int] = {}
    for number, cells in sheet.rows:
        texts = {columns[n].key: (n, cells.get(n, "")) for n in columns if (number, n) not in sheet.bad_cells}
        text = texts.get("iri", (0, ""))[1].strip()
        org = URIRef(text)
        if org not in files:
            sheet.problem(
                number,
                number_of["iri"],
                text,
                f"no organisation has the IRI {text!r}{close_to(text, map(str, files))}"
                if text
                else "the row has no IRI",
                "a new organisation is added to data/organisations.ttl first; then export the sheet again",
            )
            continue
        path = files[org]
        target = targets.of_file(path, targets.content.relative(path))
        target.rows.add((sheet.name, number))  # the file is written only if this row is good too
        if org in seen:
            sheet.problem(number, number_of["iri"], text, f"the IRI is also on row {seen[org]}", "keep one row each")
            continue
        seen[org] = number
        _reference_edits(sheet, model, texts, org, number, targets.content.relative(path))
        result = apply_row(model, target.graph, org, texts, lang)
        for p in result.problems:
            sheet.problem(number, p.column, p.value, p.message, p.allowed)
        if result.problems:
            continue
        targets.place(org, Place(sheet.name, number))
        if check_mandatory(sheet, model, target.graph, org, columns, number) and result.changes:
            label = model.organisations.label(org, lang)
            outcome.record(label, where(sheet, number), result.changes, False)
            target.changed_by(label, sheet.name, number)


def _reference_edits(
    sheet: Sheet, model: SheetModel, texts: dict[str, tuple[int, str]], org: URIRef, row: int, file: str
) -> None:
    """A warning for each name, level or KBO cell that no longer says what the register does."""
    shown = [reference_cells(model, org, lang) for lang in COLUMN_ORDER]
    for column in model.columns:
        if column.kind is Kind.REFERENCE and column.key in texts:
            number, text = texts[column.key]
            if all(text != cells[column.key] for cells in shown):
                sheet.problem(
                    row,
                    number,
                    text,
                    "names, other names, levels and KBO numbers are not imported from the sheet; the change is ignored",
                    f"edit the organisation in {file}",
                    severity="warning",
                )
