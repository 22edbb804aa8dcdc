"""The Charter sheet: one row per project, principle and date, to and from the charter assessments.

An assessment is the hash IRI `<{project IRI}#assessment-{principle ref}-{date}>` in the project's own
file (docs/data-model.md), so a row's project, principle and date name it: a row that names an existing
assessment updates it, any other row adds one. Deleting a row deletes nothing (earlier assessments are
history); an assessment is removed in the project's file.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from airegister.importers.spreadsheet.apply import apply_row, current, parse_cell
from airegister.importers.spreadsheet.columns import Column
from airegister.importers.spreadsheet.model import SheetModel
from airegister.importers.spreadsheet.read import Sheet
from airegister.importers.spreadsheet.report import Outcome
from airegister.importers.spreadsheet.rows import check_mandatory, close_to, where
from airegister.importers.spreadsheet.targets import Place, Target, Targets
from airegister.importers.spreadsheet.values import format_cell
from airegister.rdf.namespaces import DPV
from airegister.rdf.ordering import natural


def assessment_iri(project: URIRef, principle: URIRef, date: Node) -> URIRef:
    return URIRef(f"{project}#assessment-{str(principle).rsplit('/', 1)[-1]}-{date}")


def assessments(model: SheetModel, project: URIRef) -> list[URIRef]:
    """The project's charter assessments named as the model says (others are left to the shapes)."""
    prefix = f"{project}#assessment-"
    found = [a for a in model.graph.objects(project, DPV.hasAssessment) if str(a).startswith(prefix)]
    return sorted((a for a in found if isinstance(a, URIRef)), key=lambda a: natural(str(a)))


def charter_rows(model: SheetModel, lang: str) -> list[list[str]]:
    """One row per assessment, projects in identifier order, then principle and date."""
    rows = []
    for project, ref in model.projects():
        for assessment in assessments(model, project):
            cells = [
                format_cell(column, current(model.graph, assessment, column), model.values.get(column.key), lang)
                for column in model.columns
            ]
            pairs = zip(model.columns, cells, strict=True)
            rows.append([ref if column.key == "project" else cell for column, cell in pairs])
    return rows


def import_charter(
    sheet: Sheet,
    model: SheetModel,
    columns: dict[int, Column],
    lang: str,
    records: dict[str, tuple[URIRef, Path]],
    targets: Targets,
    outcome: Outcome,
) -> None:
    """Apply every Charter row to its project's file (a copy in `targets`)."""
    number_of = {c.key: n for n, c in columns.items()}
    seen: dict[tuple[str, Node, Node], int] = {}
    for number, cells in sheet.rows:
        texts = {columns[n].key: (n, cells.get(n, "")) for n in columns if (number, n) not in sheet.bad_cells}
        ref = texts.get("project", (0, ""))[1].strip()
        if not ref or ref not in records:
            sheet.problem(
                number,
                number_of["project"],
                ref,
                f"no project has the identifier {ref!r}{close_to(ref, records)}" if ref else "the row names no project",
                "write an identifier from the Projects sheet (a new project gets one when the Projects sheet is "
                "imported; add its Charter rows after that)",
            )
            continue
        project, path = records[ref]
        target = targets.of_file(path, ref)
        target.rows.add((sheet.name, number))  # the file is written only if this row is good too
        key = _key(sheet, model, texts, number, lang)
        if key is None:
            continue
        principle, date = key
        if (ref, principle, date) in seen:
            sheet.problem(
                number,
                number_of["date"],
                str(date),
                f"the row repeats row {seen[(ref, principle, date)]}: the same project, principle and date",
                "keep one row per project, principle and date; an update is a new row with the date it was made",
            )
            continue
        seen[(ref, principle, date)] = number
        iri = assessment_iri(project, principle, date)
        _apply(sheet, model, columns, texts, number, lang, (project, iri), target, targets, outcome)


def _key(
    sheet: Sheet, model: SheetModel, texts: dict[str, tuple[int, str]], row: int, lang: str
) -> tuple[URIRef, Literal] | None:
    """The row's principle and date (what names the assessment), or None after saying what is wrong."""
    found: list[Node] = []
    for key in ("principle", "date"):
        column = model.column(key)
        number, text = texts.get(key, (0, ""))
        terms, errors = parse_cell(model, column, text, lang)
        for error in errors:
            sheet.problem(row, number, text, error.message, error.allowed)
        if not terms and not errors:
            header = model.header(column, lang)
            sheet.problem(row, number, "", f"the row has no {header.lower()}", f"fill in {header!r}")
        if len(terms) != 1 or errors:
            return None
        found.append(next(iter(terms)))
    principle, date = found
    assert isinstance(principle, URIRef) and isinstance(date, Literal)
    return principle, date


def _apply(
    sheet: Sheet,
    model: SheetModel,
    columns: dict[int, Column],
    texts: dict[str, tuple[int, str]],
    row: int,
    lang: str,
    names: tuple[URIRef, URIRef],
    target: Target,
    targets: Targets,
    outcome: Outcome,
) -> None:
    project, iri = names
    new = (project, DPV.hasAssessment, iri) not in target.graph
    result = apply_row(model, target.graph, iri, texts, lang)
    for p in result.problems:
        sheet.problem(row, p.column, p.value, p.message, p.allowed)
    if result.problems or not check_mandatory(sheet, model, target.graph, iri, columns, row):
        return  # the row is bad, so its file is not written; an unlinked new assessment is not validated either
    if new:
        target.graph.add((project, DPV.hasAssessment, iri))
        target.graph.add((iri, RDF.type, DPV.Assessment))
    targets.place(iri, Place(sheet.name, row))
    targets.place(project, Place(sheet.name, row, warnings=False))
    if result.changes or new:
        label = f"{target.label}{str(iri).removeprefix(str(project))}"
        outcome.record(label, where(sheet, row), result.changes, new)
        target.changed_by(label, sheet.name, row)
