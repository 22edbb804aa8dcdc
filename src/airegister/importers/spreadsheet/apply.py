"""One row onto one record graph: replace the facts of the columns the sheet has, keep everything else.

A cell that still says what the record says (in any of the four languages, or as IRIs) changes nothing,
so an export imported back leaves every file byte-identical. Fields held in a blank node (the period,
the contact point, an accountability group, an address) are one value: the node is kept, only the facts
of the sheet's columns in it change, and it is dropped when nothing is left in it. The same code applies
a row of any sheet: the record is a project, a charter assessment or an organisation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from airegister.importers.spreadsheet.columns import COLUMN_ORDER, Column, Kind
from airegister.importers.spreadsheet.model import SheetModel
from airegister.importers.spreadsheet.report import Change
from airegister.importers.spreadsheet.values import CellError, format_cell, format_value, parse_value, split


@dataclass(frozen=True)
class CellProblem:
    column: int | None  # column number in the sheet
    value: str | None
    message: str
    allowed: str | None


@dataclass
class RowResult:
    changes: list[Change] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)


def current(graph: Graph, record: URIRef, column: Column) -> set[Node]:
    """The values the record has for a column (for a language column, only that language's)."""
    if not column.path:
        return set()
    subjects: Iterable[Node] = [record]
    if column.group is not None:
        subjects = list(graph.objects(record, column.group))
    return {o for s in subjects for o in graph.objects(s, column.prop) if holds(column, o)}


def holds(column: Column, term: Node) -> bool:
    """Whether a value of the column's property is the column's (a language column holds one language)."""
    return column.kind is not Kind.LANG_TEXT or (isinstance(term, Literal) and term.language == column.lang)


def parse_cell(model: SheetModel, column: Column, text: str, lang: str) -> tuple[set[Node], list[CellError]]:
    values = model.values.get(column.key)
    parts = split(text, column.multi or column.kind is Kind.ORGANISATION)
    terms: set[Node] = set()
    errors: list[CellError] = []
    for part in parts:
        try:
            terms.update(parse_value(column, part, values, model.name(column), lang))
        except CellError as error:
            errors.append(error)
    if not column.multi and len(terms) > 1 and not errors:
        errors.append(CellError(f"{text!r} holds {len(terms)} values; this column takes one", "write a single value"))
    return terms, errors


def unchanged_text(model: SheetModel, column: Column, text: str, existing: set[Node]) -> bool:
    """Whether the cell reads exactly as an export of the record would write it (in any language)."""
    values = model.values.get(column.key)
    return any(text == format_cell(column, existing, values, lang) for lang in COLUMN_ORDER)


def apply_row(
    model: SheetModel, graph: Graph, record: URIRef, cells: dict[str, tuple[int, str]], lang: str
) -> RowResult:
    """Change `graph` (a copy of the record's file) so the record says what the row's cells say.

    `cells` maps the key of every column the sheet has to (column number, text); columns the sheet does
    not have are left alone.
    """
    result = RowResult()
    wanted: dict[str, set[Node]] = {}
    for column in model.columns:
        if column.key not in cells or column.kind in (Kind.IDENTIFIER, Kind.REFERENCE):
            continue
        number, text = cells[column.key]
        existing = current(graph, record, column)
        if unchanged_text(model, column, text, existing):
            continue
        terms, errors = parse_cell(model, column, text, lang)
        for error in errors:
            result.problems.append(CellProblem(number, text, error.message, error.allowed))
        if not errors and terms != existing:
            wanted[column.key] = terms
            values = model.values.get(column.key)
            result.changes.append(
                Change(
                    model.header(column, lang),
                    sorted(format_value(column, t, values, lang) for t in existing - terms),
                    sorted(format_value(column, t, values, lang) for t in terms - existing),
                )
            )
    if result.problems:
        return result
    for column in model.columns:
        if column.key in wanted and column.group is None:
            for old in current(graph, record, column):
                graph.remove((record, column.prop, old))
            for term in wanted[column.key]:
                graph.add((record, column.prop, term))
    for group in {c.group for c in model.columns if c.key in wanted and c.group is not None}:
        assert group is not None
        _replace_group(model, graph, record, group, wanted)
    return result


def _replace_group(
    model: SheetModel, graph: Graph, record: URIRef, group: URIRef, wanted: dict[str, set[Node]]
) -> None:
    """Rewrite the blank-node field `group`: its other facts stay, the sheet's columns are replaced."""
    nodes = sorted(graph.objects(record, group), key=str)
    columns = [c for c in model.columns if c.group == group]
    for column in columns:
        if column.key in wanted:
            for old in nodes:
                for value in [o for o in graph.objects(old, column.prop) if holds(column, o)]:
                    graph.remove((old, column.prop, value))
    node: Node = nodes[0] if nodes else BNode()
    if not nodes:
        graph.add((record, group, node))
        node_type = next(c.node_type for c in columns if c.node_type is not None)
        graph.add((node, RDF.type, node_type))
    for column in columns:
        for term in wanted.get(column.key, set()):
            graph.add((node, column.prop, term))
    for each in nodes or [node]:
        if all(p == RDF.type for p in graph.predicates(each, None)):
            _drop(graph, record, group, each)


def _drop(graph: Graph, record: URIRef, group: URIRef, node: Node) -> None:
    """Unlink an emptied node, and delete it (with blank nodes below it) when it is blank."""
    graph.remove((record, group, node))
    todo = [node] if isinstance(node, BNode) else []
    while todo:
        current_node = todo.pop()
        for triple in list(graph.triples((current_node, None, None))):
            graph.remove(triple)
            if isinstance(triple[2], BNode):
                todo.append(triple[2])
