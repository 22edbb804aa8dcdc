"""A sheet's column table bound to one content root: headers in four languages, allowed values, requirements.

Everything language- or content-dependent about a column is computed here once from the loaded content
(field labels from ontology/, allowed values from the schemes and vocabularies, requirements from
shapes/), so export, import and the documentation sheet agree by construction.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from airegister.content.load import Content
from airegister.importers.concepts import ORGANISATION_TYPES, normalise
from airegister.importers.spreadsheet import columns as col
from airegister.importers.spreadsheet.columns import COLUMN_ORDER, Column, Kind, Table
from airegister.importers.spreadsheet.project_columns import projects_table
from airegister.importers.spreadsheet.tables import tables
from airegister.importers.spreadsheet.values import ValueSet, class_members
from airegister.rdf.languages import by_language, pick_text
from airegister.rdf.namespaces import Base
from airegister.rdf.ordering import natural


@dataclass
class SheetModel:
    """The columns of one sheet, with what the content root says about each."""

    base: Base
    table: Table
    graph: Graph  # the union of the content (labels, schemes, organisations, records)
    shapes: Graph
    values: dict[str, ValueSet]
    organisations: ValueSet
    headers: dict[str, dict[str, str]]  # column key -> language -> header
    requirements: dict[str, str]  # column key -> mandatory, recommended or optional (from the shapes)
    field_names: dict[str, set[str]]  # column key -> sh:name of the shapes on its path
    group_names: dict[str, set[str]]  # column key -> sh:name of the shapes on its blank-node field as a whole

    @classmethod
    def from_content(cls, content: Content, table: Table | None = None, graph: Graph | None = None) -> SheetModel:
        table = projects_table(content.base) if table is None else table
        graph = content.union() if graph is None else graph
        organisations = ValueSet.build(graph, {o for t in ORGANISATION_TYPES for o in _typed(graph, t)})
        shapes = col.property_shapes(content.shapes, table.target)
        required = col.nested_shapes(shapes, table.via) if table.via else shapes  # the shapes on a row's node
        values: dict[str, ValueSet] = {}
        for column in table.columns:
            if column.kind is Kind.ORGANISATION:
                values[column.key] = organisations
            elif column.kind is Kind.CONCEPT:
                listed = col.allowed_values(required, column)  # the shapes' list, when they have one, is the list
                members = _members(graph, content.base, column) if listed is None else listed
                values[column.key] = ValueSet.build(graph, members, column.numbered)
        headers = {c.key: {lang: _header(graph, c, lang) for lang in COLUMN_ORDER} for c in table.columns}
        requirements = {c.key: col.requirement(required, c) for c in table.columns}
        names = {c.key: col.shape_names(shapes, c, table.via) for c in table.columns}
        wholes = {c.key: col.shape_names(shapes, c, table.via, whole=True) for c in table.columns}
        return cls(
            content.base, table, graph, content.shapes, values, organisations, headers, requirements, names, wholes
        )

    @property
    def columns(self) -> tuple[Column, ...]:
        return self.table.columns

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def header(self, column: Column, lang: str) -> str:
        return self.headers[column.key][lang]

    def name(self, column: Column) -> str:
        """How messages name the column ('Phase', 'AI technique')."""
        return repr(self.header(column, "en"))

    def find_header(self, text: str) -> Column | None:
        """The column a header names: its key or its header in any language (case and spaces ignored)."""
        return self._by_header.get(normalise(text))

    @functools.cached_property
    def _by_header(self) -> dict[str, Column]:
        found: dict[str, Column] = {}
        for column in reversed(self.columns):  # the first column a text names wins
            found.update({normalise(h): column for h in self.headers[column.key].values()})
            found[column.key] = column
        return found

    def closest_headers(self, text: str, lang: str) -> list[str]:
        by_key = {normalise(h): self.header(c, lang) for c in self.columns for h in self.headers[c.key].values()}
        return list(dict.fromkeys(by_key[k] for k in difflib.get_close_matches(normalise(text), list(by_key), n=2)))

    def requirement(self, column: Column) -> str:
        return self.requirements[column.key]

    def mandatory_groups(self) -> list[tuple[Column, ...]]:
        """Mandatory fields as groups of columns (one title column of four is enough)."""
        groups: dict[tuple[URIRef, ...], list[Column]] = {}
        for column in self.columns:
            if column.kind not in (Kind.IDENTIFIER, Kind.REFERENCE) and self.requirement(column) == "mandatory":
                groups.setdefault(column.path, []).append(column)
        return [tuple(g) for g in groups.values()]

    def columns_named(self, field: str) -> list[Column]:
        """The columns a validation finding's field (a shape's sh:name) refers to: those on the shape's path,
        else every column of the blank-node field the shape is about."""
        exact = [c for c in self.columns if field in self.field_names[c.key]]
        return exact or [c for c in self.columns if field in self.group_names[c.key]]

    def projects(self) -> list[tuple[URIRef, str]]:
        """Every project record with its identifier, in identifier order (pstw-9 before pstw-10)."""
        found = [
            (r, str(self.graph.value(r, DCTERMS.identifier) or r))
            for r in set(self.graph.subjects(RDF.type, self.base.ns.AIProject))
            if isinstance(r, URIRef)
        ]
        return sorted(found, key=lambda pair: natural(pair[1]))


def models(content: Content) -> dict[str, SheetModel]:
    """A model for every data sheet, over one union of the content."""
    graph = content.union()
    return {table.name: SheetModel.from_content(content, table, graph) for table in tables(content.base)}


def _typed(graph: Graph, klass: URIRef) -> set[URIRef]:
    return {s for s in graph.subjects(RDF.type, klass) if isinstance(s, URIRef)}


def _members(graph: Graph, base: Base, column: Column) -> set[URIRef]:
    members: set[URIRef] = set()
    for scheme in column.schemes:
        iri = URIRef(scheme) if "://" in scheme else base.thing(scheme)
        for prop in (SKOS.inScheme, SKOS.topConceptOf):
            members |= {c for c in graph.subjects(prop, iri) if isinstance(c, URIRef)}
    for klass in column.classes:
        members |= class_members(graph, klass)
    return members


def _label(graph: Graph, prop: URIRef, lang: str, default: str) -> str:
    return pick_text(by_language(graph.objects(prop, RDFS.label)), lang) or default


def _after_colon(text: str, lang: str) -> str:
    """A field's label after its group's ('DPIA: date', 'DPIA: carried out'): lower case, as a label that is
    not a heading of its own, except German nouns and acronyms."""
    if lang == "de" or text[1:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def _header(graph: Graph, column: Column, lang: str) -> str:
    """The column's header: its own label, else the property's rdfs:label (after its group's label for
    the accountability groups), with the language for text columns."""
    text = column.labels.get(lang)
    if text is None:
        text = _label(graph, column.prop, lang, column.key)
        if column.titled and column.group is not None:
            text = f"{_label(graph, column.group, lang, column.key)}: {_after_colon(text, lang)}"
        text = text[:1].upper() + text[1:]
    return f"{text} ({column.lang})" if column.lang else text
