"""`airegister import spreadsheet`: rows to record files, all checked before any file is written.

Order of work: read the sheets, map headers to columns, apply every Projects row to a copy of its record's
file, then every Charter row to its project's file, then every Organisations row to the organisations'
file; check mandatory fields, then run the shapes on the changed files and place their findings back on
sheets, rows and columns. Only then, and only if no row (or, with --partial, only the good rows) has an
error, files are written. New rows get `be-{year}-{nnnn}`: the year of the import and the next number
free that year.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from airegister.content.load import Content
from airegister.content.validation import Finding, validate_content
from airegister.importers.spreadsheet.apply import apply_row
from airegister.importers.spreadsheet.charter import import_charter
from airegister.importers.spreadsheet.columns import Column, Kind
from airegister.importers.spreadsheet.fixes import sheet_fix
from airegister.importers.spreadsheet.model import SheetModel
from airegister.importers.spreadsheet.organisations import import_organisations
from airegister.importers.spreadsheet.project_columns import retired
from airegister.importers.spreadsheet.read import DATA_SHEETS, Sheet
from airegister.importers.spreadsheet.report import Outcome
from airegister.importers.spreadsheet.rows import check_mandatory, close_to, map_headers, retired_key, sheet_lang, where
from airegister.importers.spreadsheet.targets import Place, Target, Targets
from airegister.rdf.namespaces import AIRO


def existing_records(content: Content, out: Path) -> dict[str, tuple[URIRef, Path]]:
    """Project records in files under `out`, by identifier."""
    found: dict[str, tuple[URIRef, Path]] = {}
    for name, path in content.files.items():
        if not path.resolve().is_relative_to(out.resolve()):
            continue
        graph = content.dataset.graph(name)
        for record in graph.subjects(RDF.type, content.base.ns.AIProject):
            ref = graph.value(record, DCTERMS.identifier)
            if isinstance(record, URIRef) and ref is not None:
                found[str(ref)] = (record, path)
    return found


def next_numbers(graph: Graph, out: Path, year: int) -> int:
    """The first free counter of `year` among identifiers (in `graph`, the content) and file names
    (`be-{year}-{nnnn}`)."""
    pattern = re.compile(rf"^be-{year}-(\d{{4}})$")
    used = [str(o) for o in graph.objects(None, DCTERMS.identifier)]
    used += [p.stem for p in out.glob("*.ttl")] if out.is_dir() else []
    numbers = [int(m.group(1)) for m in map(pattern.match, used) if m]
    return max(numbers, default=0) + 1


def import_sheets(
    sheets: list[Sheet],
    content: Content,
    models: dict[str, SheetModel],
    out: Path,
    lang: str | None,
    year: int | None = None,
) -> tuple[Outcome, list[Target]]:
    """Everything an import would do, without writing: the outcome and the changed files."""
    outcome = Outcome()
    records = existing_records(content, out)
    targets = Targets(content)
    mapped: dict[str, tuple[Sheet, SheetModel, dict[int, Column]]] = {}
    for sheet in sheets:
        sheet.kind = sheet.kind or guess_kind(sheet, models)
    for sheet in sorted(sheets, key=lambda s: DATA_SHEETS.index(s.kind or "projects")):
        model = models[sheet.kind or "projects"]
        columns = map_headers(sheet, model, retired(content.base) if model.table.name == "projects" else None)
        mapped[sheet.name] = (sheet, model, columns)
        if any(p.row == 1 and p.column is None and p.severity == "error" for p in sheet.problems):
            continue  # no key column: no row can be matched
        row_lang = lang or sheet_lang(sheet, model, columns)
        if sheet.kind == "charter":
            import_charter(sheet, model, columns, row_lang, records, targets, outcome)
        elif sheet.kind == "organisations":
            import_organisations(sheet, model, columns, row_lang, targets, outcome)
        else:
            _retired_cells(sheet, model)
            _import_projects(sheet, model, columns, row_lang, records, targets, outcome, out, year)
    _validate(content, mapped, targets)
    outcome.problems = [p for sheet in sheets for p in sheet.problems]
    return outcome, targets.changed()


def guess_kind(sheet: Sheet, models: dict[str, SheetModel]) -> str:
    """A CSV file's sheet: the one whose columns its headers name most (Projects on a tie)."""
    score = {kind: sum(1 for h in sheet.header.values() if models[kind].find_header(h)) for kind in DATA_SHEETS}
    return max(DATA_SHEETS, key=lambda kind: (score[kind], kind == "projects"))


def _import_projects(
    sheet: Sheet,
    model: SheetModel,
    columns: dict[int, Column],
    lang: str,
    records: dict[str, tuple[URIRef, Path]],
    targets: Targets,
    outcome: Outcome,
    out: Path,
    year: int | None,
) -> None:
    year = year or dt.date.today().year
    counter = next_numbers(model.graph, out, year)
    seen: dict[str, int] = {}
    id_column = next((n for n, c in columns.items() if c.kind is Kind.IDENTIFIER), None)
    for number, cells in sheet.rows:
        texts = {columns[n].key: (n, cells.get(n, "")) for n in columns if (number, n) not in sheet.bad_cells}
        ref = cells.get(id_column, "").strip() if id_column else ""
        if ref in seen:
            sheet.problem(
                number, id_column, ref, f"the identifier is also on row {seen[ref]}", "keep one row per project"
            )
            continue
        if ref and ref not in records:
            sheet.problem(
                number,
                id_column,
                ref,
                f"no project has the identifier {ref!r}{close_to(ref, records)}",
                "write an identifier from the register, or leave it empty for a new project",
            )
            continue
        if ref:
            seen[ref] = number
            iri, path = records[ref]
            target = targets.of_file(path, ref)
        else:
            ref = f"be-{year}-{counter:04d}"
            iri = model.base.thing("project", ref)
            graph = Graph()
            for klass in (model.base.ns.AIProject, AIRO.AISystem):
                graph.add((iri, RDF.type, klass))
            graph.add((iri, DCTERMS.identifier, Literal(ref)))
            target = Target(out / f"{ref}.ttl", graph, ref, new=True)
        target.rows.add((sheet.name, number))
        result = apply_row(model, target.graph, iri, texts, lang)
        for p in result.problems:
            sheet.problem(number, p.column, p.value, p.message, p.allowed)
        if result.problems or number in sheet.bad_rows():
            continue
        if not check_mandatory(sheet, model, target.graph, iri, columns, number):
            continue
        if target.new:
            counter += 1
            targets.add_new(target)
        targets.place(iri, Place(sheet.name, number))
        if result.changes or target.new:
            outcome.record(ref, where(sheet, number), result.changes, target.new)
            target.changed_by(ref, sheet.name, number)


def _retired_cells(sheet: Sheet, model: SheetModel) -> None:
    """A column older sheets had (the charter principles): a note on its header, an error on every row that
    still fills it in, since what it said now lives on the Charter sheet."""
    for number, text in sheet.header.items():
        if model.find_header(text) is not None or not retired_key(model, text, retired(model.base)):
            continue
        charter = "the Charter sheet (one row per project, principle and date, with a status)"
        sheet.problem(
            1,
            number,
            text,
            f"the column {text!r} is no longer imported: the principles a project addresses are derived from the "
            f"assessments on {charter}",
            "delete the column",
            severity="warning",
        )
        for row, cells in sheet.rows:
            if cells.get(number, "").strip():
                sheet.problem(
                    row,
                    number,
                    cells[number],
                    "a principle is no longer written on the Projects sheet",
                    f"record the assessment on {charter} and empty this cell",
                )


def _validate(
    content: Content, mapped: dict[str, tuple[Sheet, SheetModel, dict[int, Column]]], targets: Targets
) -> None:
    """Run the shapes on the changed files (with the rest of the register around them) and put each
    violation on its sheet, row and column; warnings are kept as warnings."""
    changed = targets.changed()
    if not changed:
        return
    report = validate_content(content, changed={t.path: t.graph for t in changed})
    for finding in report.findings:
        about = URIRef(finding.value) if finding.value else None  # an assessment, for the checks made from its project
        place = targets.places.get(about) if about in targets.places else targets.places.get(URIRef(finding.record))
        if place is None or (finding.severity != "violation" and not place.warnings):
            continue
        sheet, model, columns = mapped[place.sheet]
        named = model.columns_named(finding.field)
        present = [n for n, c in columns.items() if c in named]
        number = present[0] if present else None
        fix = _fix(content, finding, sheet, model, columns, number)
        message = finding.message if present else f"{finding.field}: {finding.message}"
        severity = "error" if finding.severity == "violation" else "warning"
        value = None if about in targets.places else finding.value  # the row's own record is no value to show
        sheet.problem(place.row, number, value, message, fix, severity)


def _fix(
    content: Content, finding: Finding, sheet: Sheet, model: SheetModel, columns: dict[int, Column], number: int | None
) -> str | None:
    """The finding's fix in the sheet's words: its rule's fix of `fixes.FIXES`, else the shape's own when it
    has no Turtle in it, else 'fill in or correct' the column."""
    notation = content.shapes.value(URIRef(finding.shape), SKOS.notation) if finding.shape else None
    shown = {c.key: sheet.header[n] for n, c in columns.items()}
    column = columns.get(number) if number is not None else None
    fix = sheet_fix(str(notation) if notation else None, model, shown, column, sheet_lang(sheet, model, columns))
    if fix is None and finding.fix and "`" not in finding.fix and "<http" not in finding.fix:
        fix = finding.fix
    if fix is None and number is not None:
        fix = f"fill in or correct {sheet.header[number]!r}"
    return fix
