"""`airegister import spreadsheet`: rows to record files, all checked before any file is written.

Order of work: read the sheet, map headers to columns, apply every row to a copy of its record, check
mandatory fields, then run the shapes on the changed records and place their findings back on rows and
columns. Only then, and only if no row (or, with --partial, only the good rows) has an error, files are
written. New rows get `be-{year}-{nnnn}`: the year of the import and the next number free that year.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from airegister.content.load import Content
from airegister.content.validation import validate_content
from airegister.importers.spreadsheet.apply import apply_row, current
from airegister.importers.spreadsheet.columns import COLUMN_ORDER, Column, Kind
from airegister.importers.spreadsheet.model import SheetModel
from airegister.importers.spreadsheet.read import Sheet
from airegister.importers.spreadsheet.report import Outcome
from airegister.rdf.namespaces import AIRO


@dataclass
class Target:
    """The record a row describes: where it lives and its graph as the row leaves it."""

    row: int
    ref: str
    iri: URIRef
    path: Path
    graph: Graph
    new: bool


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


def next_numbers(content: Content, out: Path, year: int) -> int:
    """The first free counter of `year` among identifiers and file names (`be-{year}-{nnnn}`)."""
    pattern = re.compile(rf"^be-{year}-(\d{{4}})$")
    used = [str(o) for o in content.union().objects(None, DCTERMS.identifier)]
    used += [p.stem for p in out.glob("*.ttl")] if out.is_dir() else []
    numbers = [int(m.group(1)) for m in map(pattern.match, used) if m]
    return max(numbers, default=0) + 1


def import_sheet(
    sheet: Sheet, content: Content, model: SheetModel, out: Path, lang: str | None, year: int | None = None
) -> tuple[Outcome, list[Target]]:
    """Everything an import would do, without writing: the outcome and the changed records."""
    outcome = Outcome(problems=list(sheet.problems))
    columns = _map_headers(sheet, model)
    lang = lang or sheet_lang(sheet, model, columns)
    records = existing_records(content, out)
    year = year or dt.date.today().year
    counter = next_numbers(content, out, year)
    targets: list[Target] = []
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
            close = [r for r in records if r.replace("-", "") == ref.lower().replace("-", "").replace(" ", "")]
            hint = f"; did you mean {close[0]!r}?" if close else ""
            sheet.problem(
                number,
                id_column,
                ref,
                f"no project has the identifier {ref!r}{hint}",
                "write an identifier from the register, or leave it empty for a new project",
            )
            continue
        if ref:
            seen[ref] = number
            iri, path = records[ref]
            graph = _copy(content.graph_of(path))
            target = Target(number, ref, iri, path, graph, new=False)
        else:
            ref = f"be-{year}-{counter:04d}"
            iri = model.base.thing("project", ref)
            graph = Graph()
            for klass in (model.base.ns.AIProject, AIRO.AISystem):
                graph.add((iri, RDF.type, klass))
            graph.add((iri, DCTERMS.identifier, Literal(ref)))
            target = Target(number, ref, iri, out / f"{ref}.ttl", graph, new=True)
        result = apply_row(model, target.graph, target.iri, texts, lang)
        for p in result.problems:
            sheet.problem(number, p.column, p.value, p.message, p.allowed)
        if result.problems or number in sheet.bad_rows():
            continue
        if not _mandatory(sheet, model, target, columns, number):
            continue
        if target.new:
            counter += 1
        if result.changes or target.new:
            outcome.changes[target.ref] = result.changes
            outcome.rows[target.ref] = number
            outcome.new += [target.ref] if target.new else []
            targets.append(target)
    _validate(sheet, content, model, targets, columns)
    outcome.problems = list(sheet.problems)
    return outcome, targets


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    return copy


def _map_headers(sheet: Sheet, model: SheetModel) -> dict[int, Column]:
    columns: dict[int, Column] = {}
    taken: dict[str, int] = {}
    for number, text in sorted(sheet.header.items()):
        column = model.find_header(text)
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
    if "identifier" not in taken:
        sheet.problem(
            1,
            None,
            None,
            "the sheet has no identifier column, so rows cannot be matched to projects",
            f"add a column {model.header(model.columns[0], 'en')!r}, empty on rows of new projects",
        )
    return columns


def _mandatory(sheet: Sheet, model: SheetModel, target: Target, columns: dict[int, Column], row: int) -> bool:
    """Mandatory fields (sh:minCount on the shapes) present after the row is applied; else one problem each."""
    ok = True
    for group in model.mandatory_groups():
        if any(current(target.graph, target.iri, c) for c in group):
            continue
        ok = False
        present = [n for n, c in columns.items() if c in group]
        field = min(model.field_names[group[0].key], default=model.name(group[0]))
        headers = " or ".join(repr(model.header(c, sheet_lang(sheet, model, columns))) for c in group)
        where = f"fill in {headers}" if present else f"add a column {headers} and fill it in"
        sheet.problem(row, present[0] if present else None, "", f"the project has no {field}, a mandatory field", where)
    return ok


def sheet_lang(sheet: Sheet, model: SheetModel, columns: dict[int, Column]) -> str:
    """The language the sheet's headers are in (for naming columns it lacks), English when unsure."""
    for lang in (lang for lang in COLUMN_ORDER if lang != "en"):
        if all(sheet.header[n] == model.header(c, lang) for n, c in columns.items()) and columns:
            return lang
    return "en"


def _validate(
    sheet: Sheet, content: Content, model: SheetModel, targets: list[Target], columns: dict[int, Column]
) -> None:
    """Run the shapes on the changed records (with the rest of the register around them) and put each
    violation on its row and column; warnings are kept as warnings."""
    if not targets:
        return
    report = validate_content(content, changed={t.path: t.graph for t in targets})
    rows = {str(t.iri): t.row for t in targets}
    for finding in report.findings:
        row = rows.get(finding.record)
        if row is None:
            continue
        named = model.columns_named(finding.field)
        present = [n for n, c in columns.items() if c in named]
        number = present[0] if present else None
        fix = finding.fix if finding.fix and "`" not in finding.fix and "<http" not in finding.fix else None
        message = finding.message if present else f"{finding.field}: {finding.message}"
        severity = "error" if finding.severity == "violation" else "warning"
        sheet.problem(row, number, finding.value, message, fix, severity)
