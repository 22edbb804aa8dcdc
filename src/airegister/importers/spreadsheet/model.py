"""The column table bound to one content root: headers in four languages, allowed values, requirements.

Everything language- or content-dependent about a column is computed here once from the loaded content
(field labels from ontology/, allowed values from the schemes and vocabularies, requirements from
shapes/), so export, import and the documentation sheet agree by construction.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from airegister.content.load import Content
from airegister.importers.concepts import ORGANISATION_TYPES, normalise
from airegister.importers.spreadsheet import columns as col
from airegister.importers.spreadsheet.columns import COLUMN_ORDER, Column, Kind
from airegister.importers.spreadsheet.values import ValueSet, class_members
from airegister.rdf.languages import by_language, pick_text
from airegister.rdf.namespaces import Base


@dataclass
class SheetModel:
    """The columns, with what the content root says about each."""

    base: Base
    graph: Graph  # the union of the content (labels, schemes, organisations, records)
    shapes: Graph
    columns: tuple[Column, ...]
    values: dict[str, ValueSet]
    organisations: ValueSet
    headers: dict[str, dict[str, str]]  # column key -> language -> header
    requirements: dict[str, str]  # column key -> mandatory, recommended or optional (from the shapes)
    field_names: dict[str, set[str]]  # column key -> sh:name of the shapes on its path (or its group's)

    @classmethod
    def from_content(cls, content: Content, columns: tuple[Column, ...] | None = None) -> SheetModel:
        columns = col.columns(content.base) if columns is None else columns
        graph = content.union()
        organisations = ValueSet.build(graph, {o for t in ORGANISATION_TYPES for o in _typed(graph, t)})
        values: dict[str, ValueSet] = {}
        for column in columns:
            if column.kind is Kind.ORGANISATION:
                values[column.key] = organisations
            elif column.kind is Kind.CONCEPT:
                values[column.key] = ValueSet.build(graph, _members(graph, content.base, column))
        headers = {c.key: {lang: _header(graph, c, lang) for lang in COLUMN_ORDER} for c in columns}
        project_shapes = col.project_property_shapes(content.shapes, content.base.ns.AIProject)
        requirements = {c.key: col.requirement(content.shapes, project_shapes, c) for c in columns}
        names = {c.key: col.shape_names(content.shapes, project_shapes, c) for c in columns}
        return cls(content.base, graph, content.shapes, columns, values, organisations, headers, requirements, names)

    def header(self, column: Column, lang: str) -> str:
        return self.headers[column.key][lang]

    def name(self, column: Column) -> str:
        """How messages name the column ('Phase', 'AI technique')."""
        return repr(self.header(column, "en"))

    def find_header(self, text: str) -> Column | None:
        """The column a header names: its key or its header in any language (case and spaces ignored)."""
        wanted = normalise(text)
        for column in self.columns:
            if wanted == column.key or wanted in {normalise(h) for h in self.headers[column.key].values()}:
                return column
        return None

    def closest_headers(self, text: str, lang: str) -> list[str]:
        by_key = {normalise(h): self.header(c, lang) for c in self.columns for h in self.headers[c.key].values()}
        return list(dict.fromkeys(by_key[k] for k in difflib.get_close_matches(normalise(text), list(by_key), n=2)))

    def requirement(self, column: Column) -> str:
        return self.requirements[column.key]

    def mandatory_groups(self) -> list[tuple[Column, ...]]:
        """Mandatory fields as groups of columns (one title column of four is enough)."""
        groups: dict[tuple[URIRef, ...], list[Column]] = {}
        for column in self.columns:
            if column.kind is not Kind.IDENTIFIER and self.requirement(column) == "mandatory":
                groups.setdefault(column.path, []).append(column)
        return [tuple(g) for g in groups.values()]

    def columns_named(self, field: str) -> list[Column]:
        """The columns a validation finding's field (a shape's sh:name) refers to."""
        return [c for c in self.columns if field in self.field_names[c.key]]


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


def _header(graph: Graph, column: Column, lang: str) -> str:
    """The column's header: its own label, else the property's rdfs:label, with the language for text columns."""
    text = column.labels.get(lang)
    if text is None:
        text = pick_text(by_language(graph.objects(column.prop, RDFS.label)), lang) or column.key
        text = text[:1].upper() + text[1:]
    return f"{text} ({column.lang})" if column.lang else text
