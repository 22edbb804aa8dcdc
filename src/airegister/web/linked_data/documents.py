"""Where a resource's RDF comes from, and how it is written in each representation we offer.

A description is the resource's own triples plus the blank nodes reachable from it, two levels deep
(period, identifier, contact point, assessments, an assessment's nested nodes): what a reader of one
record needs, and nothing that belongs to another record. Everything is read once per build and kept
in memory, since a build never changes.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from airegister.rdf.io import rdf_format
from airegister.rdf.languages import LABEL_PREDICATES
from airegister.rdf.namespaces import STANDARD_PREFIXES
from airegister.rdf.sparql_text import safe_iri, subjects_query
from airegister.rdf.stable import serialize_graph, sorted_graph
from airegister.rdf.syntaxes import (
    HTML_MEDIA_TYPE,
    JSONLD,
    NTRIPLES,
    RDFXML,
    RESULTS_JSON,
    TURTLE,
    Syntax,
    content_type,
    syntax_named,
)
from airegister.store.protocol import QueryRequest
from airegister.web.context import AppContext


@dataclass(frozen=True)
class Representation:
    """One way to answer for a resource: an RDF syntax of `rdf/syntaxes.py`, or the HTML page."""

    key: str  # its `?format=` name
    extension: str
    media_type: str
    content_type: str
    syntax: Syntax | None  # None: the HTML page

    @classmethod
    def of(cls, syntax: Syntax) -> Representation:
        return cls(syntax.key, syntax.extension, syntax.media_type, syntax.content_type, syntax)

    @property
    def is_rdf(self) -> bool:
        return self.syntax is not None


# Negotiation order: with no Accept header, or `*/*`, machines get Turtle (it starts with @prefix, which
# harvesters sniff); HTML only when the client prefers text/html, as browsers do.
TTL, JSON_LD, RDF_XML, NT = (Representation.of(s) for s in (TURTLE, JSONLD, RDFXML, NTRIPLES))
HTML = Representation("html", "html", HTML_MEDIA_TYPE, content_type(HTML_MEDIA_TYPE), None)
REPRESENTATIONS: tuple[Representation, ...] = (TTL, JSON_LD, RDF_XML, NT, HTML)
BY_EXTENSION = {r.extension: r for r in REPRESENTATIONS}
BY_SYNTAX = {r.syntax: r for r in REPRESENTATIONS if r.syntax is not None}
OFFERED = [r.media_type for r in REPRESENTATIONS]


def named(name: str) -> Representation | None:
    """The representation a `?format=` value names: any name of an offered syntax (`syntax_named`), or HTML."""
    if name.strip().lower() in (HTML.key, HTML.media_type):
        return HTML
    syntax = syntax_named(name)
    return BY_SYNTAX.get(syntax) if syntax is not None else None


_LABELS = tuple(str(p) for p in (*LABEL_PREDICATES, RDF.type))


def split_extension(path: str) -> tuple[str, Representation | None]:
    """`project/x.ttl` -> (`project/x`, Turtle); refs never end in one of our extensions."""
    stem, dot, extension = path.rpartition(".")
    if dot and "/" not in extension and extension in BY_EXTENSION:
        return stem, BY_EXTENSION[extension]
    return path, None


def prefixes_for(context: AppContext) -> dict[str, str]:
    base = context.settings.base_iri
    return {**STANDARD_PREFIXES, "ns": f"{base}ns#", "id": f"{base}id/"}


def serialize(graph: Graph, representation: Representation, prefixes: dict[str, str]) -> bytes:
    if representation.syntax is None:
        raise ValueError("HTML is rendered by a template, not serialised")
    return serialize_graph(sorted_graph(graph, prefixes), representation.syntax, prefixes)


class Bounded(OrderedDict[tuple[str, ...], Any]):
    """A small LRU, so that asking for many paths cannot grow the memory without bound."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def remember(self, key: tuple[str, ...], value: Any) -> Any:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)
        return value


class Descriptions:
    """Reads descriptions, labels and back-links from the store (once per build) and files of the build."""

    def __init__(self, context: AppContext) -> None:
        self.context = context
        self.graphs: Bounded = Bounded(4096)
        self.selects: Bounded = Bounded(4096)
        self._files: dict[str, Graph | None] = {}

    async def construct(self, query: str) -> Graph:
        answer = await self.context.store.query(
            QueryRequest(query, NTRIPLES.media_type, timeout=self.context.settings.query_timeout)
        )
        graph = Graph()
        if answer.body.strip():
            graph.parse(data=answer.body.decode("utf-8"), format=NTRIPLES.parse_format)
        return graph

    async def select(self, query: str) -> list[dict[str, dict[str, str]]]:
        """SPARQL JSON bindings of a SELECT, cached by its text."""
        cached = self.selects.get((query,))
        if cached is not None:
            return list(cached)
        answer = await self.context.store.query(
            QueryRequest(query, RESULTS_JSON, timeout=self.context.settings.query_timeout)
        )
        rows: list[dict[str, dict[str, str]]] = json.loads(answer.body)["results"]["bindings"]
        return list(self.selects.remember((query,), rows))

    async def describe(self, iri: str) -> Graph | None:
        """The description of one IRI from the store, or None when the store says nothing about it.

        It holds the IRI's own triples, those of its blank nodes (two levels: a group and its period or
        address), those of the resources named `{iri}#...` it links to (a project's charter assessments),
        and what the build says of its document (`doc/...`: the profile it follows)."""
        if not safe_iri(iri):
            return None
        cached = self.graphs.get(("describe", iri))
        if cached is not None:
            return cached if len(cached) else None
        id_root = f"{self.context.settings.base_iri}id/"
        document = f"{self.context.settings.base_iri}doc/{iri[len(id_root) :]}" if iri.startswith(id_root) else iri
        query = (
            f"CONSTRUCT {{ <{iri}> ?p ?o . ?b1 ?p1 ?o1 . ?b2 ?p2 ?o2 . ?h ?p3 ?o3 . <{document}> ?p4 ?o4 }} "
            f"WHERE {{ {{ <{iri}> ?p ?o }} "
            f"UNION {{ <{iri}> ?x ?b1 . FILTER(isBlank(?b1)) ?b1 ?p1 ?o1 }} "
            f"UNION {{ <{iri}> ?x ?y . FILTER(isBlank(?y)) ?y ?z ?b2 . FILTER(isBlank(?b2)) ?b2 ?p2 ?o2 }} "
            f'UNION {{ <{iri}> ?x ?h . FILTER(isIRI(?h) && STRSTARTS(STR(?h), "{iri}#")) ?h ?p3 ?o3 }} '
            f"UNION {{ <{document}> ?p4 ?o4 }} }}"
        )
        graph = await self.construct(query)
        if len(graph) or len(self.graphs) < self.graphs.size // 2:  # misses are kept only while there is room
            self.graphs.remember(("describe", iri), graph)
        return graph if len(graph) else None

    async def vocabulary(self) -> Graph:
        """Our vocabulary: every triple about `{base}ns` and its hash terms (and their blank nodes)."""
        cached = self.graphs.get(("vocabulary",))
        if cached is None:
            ns = f"{self.context.settings.base_iri}ns"
            query = (
                "CONSTRUCT { ?s ?p ?o . ?o ?p1 ?o1 } WHERE { ?s ?p ?o . "
                f'FILTER(isIRI(?s) && (STR(?s) = "{ns}" || STRSTARTS(STR(?s), "{ns}#"))) '
                "OPTIONAL { ?o ?p1 ?o1 FILTER(isBlank(?o)) } }"
            )
            cached = self.graphs.remember(("vocabulary",), await self.construct(query))
        return cached  # type: ignore[no-any-return]

    def build_graph(self, name: str, paths: Iterable[Path] | Callable[[], Iterable[Path]]) -> Graph | None:
        """A graph parsed from files (the catalog, the shapes), once; None when none of them exists."""
        if name not in self._files:
            graph: Graph | None = None
            for path in paths() if callable(paths) else paths:
                syntax = rdf_format(path)
                if path.is_file() and syntax is not None:
                    graph = graph if graph is not None else Graph()
                    graph.parse(path, format=syntax)
            self._files[name] = graph
        return self._files[name]

    async def field_labels(self) -> Graph:
        """The display labels of fields (ontology/field-labels.ttl), which win over the vocabularies' own."""
        cached = self.graphs.get(("field-labels",))
        if cached is None:
            source = f"{self.context.settings.base_iri}graph/ontology/field-labels.ttl"
            query = f"CONSTRUCT {{ ?p <{RDFS.label}> ?l }} WHERE {{ GRAPH <{source}> {{ ?p <{RDFS.label}> ?l }} }}"
            cached = self.graphs.remember(("field-labels",), await self.construct(query))
        return cached  # type: ignore[no-any-return]

    async def labels(self, nodes: Iterable[Node]) -> Graph:
        """Labels (every language) and types of the IRIs a page shows, as a graph for `Labels`."""
        query = subjects_query((str(n) for n in nodes if isinstance(n, URIRef)), _LABELS, construct=True)
        if query is None:
            return Graph()
        cached = self.graphs.get(("labels", query))
        if cached is None:
            cached = self.graphs.remember(("labels", query), await self.construct(query))
        return cached  # type: ignore[no-any-return]


def subgraph(graph: Graph, subject: Node, depth: int = 3) -> Graph:
    """The triples of `subject` in a parsed file, plus its blank nodes and its `#`/`/` sub-resources."""
    found = Graph()
    todo: list[tuple[Node, int]] = [(subject, 0)]
    seen: set[Node] = set()
    while todo:
        node, level = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for triple in graph.triples((node, None, None)):
            found.add(triple)
            value = triple[2]
            nested = isinstance(value, URIRef) and str(value).startswith((f"{subject}#", f"{subject}/"))
            if level < depth and (isinstance(value, BNode) or nested):
                todo.append((value, level + 1))
    return found
