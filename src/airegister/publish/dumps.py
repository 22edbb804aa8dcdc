"""The dumps of each dataset, in every syntax of the table, and the facts the catalog and VoID read off them.

Dumps are written from the parsed sources (not from the store, which canonicalises literals); triple
syntaxes hold the dataset's files merged, quad syntaxes keep one named graph per source file.
"""

from __future__ import annotations

from datetime import date

from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD
from rdflib.term import Node

from airegister.content.load import Content
from airegister.publication.layout import DUMPS
from airegister.publish.datasets import DatasetSpec
from airegister.publish.writer import Writer
from airegister.rdf.stable import serialize_dataset, serialize_graph, sorted_graph
from airegister.rdf.syntaxes import NQUADS, SYNTAXES

Triple = tuple[Node, Node, Node]


def write_dataset(writer: Writer, content: Content, spec: DatasetSpec, prefixes: dict[str, str]) -> list[Triple]:
    """Every syntax of one dataset; returns its triples, merged and sorted."""
    graphs = {name: content.dataset.graph(name) for name in spec.graphs}
    merged: set[Triple] = set()
    for graph in graphs.values():
        merged.update(graph)
    ordered = sorted_graph(merged, prefixes)
    for syntax in SYNTAXES:
        if syntax.quads:
            data = serialize_dataset(graphs, syntax, prefixes)
        else:
            data = serialize_graph(ordered, syntax, prefixes)
        writer.dump(spec.name, f"{DUMPS}/{spec.name}.{syntax.extension}", data, syntax)
    return list(ordered)


def store_source(specs: list[DatasetSpec]) -> str:
    """The dump the store is loaded from (relative to the build): the N-Quads of the composite dataset
    covering the most files."""
    widest = max(specs, key=lambda s: (len(s.graphs), s.composite))
    return f"{DUMPS}/{widest.name}.{NQUADS.extension}"


def years_covered(triples: list[Triple]) -> tuple[str, str] | None:
    """The first and last year that the dataset's start and end dates name (its temporal coverage)."""
    years = sorted(
        str(value)[:4]
        for _, predicate, value in triples
        if predicate in (DCAT.startDate, DCAT.endDate) and isinstance(value, Literal) and str(value)[:4].isdigit()
    )
    return (years[0], years[-1]) if years else None


def latest_modified(triples: list[Triple]) -> date | None:
    latest: date | None = None
    for _, predicate, value in triples:
        if predicate == DCTERMS.modified and isinstance(value, Literal) and value.datatype in (XSD.date, XSD.dateTime):
            python = value.toPython()
            day = python.date() if hasattr(python, "date") and callable(python.date) else python
            if isinstance(day, date) and (latest is None or day > latest):
                latest = day
    return latest


def vocabularies(triples_of: dict[str, list[Triple]]) -> list[str]:
    """The namespaces of every predicate and class the dumps use (VoID's void:vocabulary)."""
    namespaces: set[str] = set()
    for triples in triples_of.values():
        for _, predicate, value in triples:
            for term in (predicate, value) if predicate == RDF.type else (predicate,):
                text = str(term)
                cut = max(text.rfind("#"), text.rfind("/"))
                if isinstance(term, URIRef) and cut > 0:
                    namespaces.add(text[: cut + 1])
    return sorted(namespaces)
