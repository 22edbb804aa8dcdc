"""Byte-stable serialisation: the same triples always give the same bytes, whatever the hash seed.

rdflib's memory store keeps a graph's triples in a set, so a plain listing of a graph (what its
serialisers walk) follows Python's per-process hash seed; only lookups by subject follow insertion
order. So graphs are rebuilt in sorted order and listed subject by subject in sorted order
(`SortedGraph`); prefixes rdflib would invent (`ns1`, ...) are bound first, in sorted order; and what a
serialiser still takes from a set is put in order afterwards: lines of N-Triples and N-Quads, named
graphs of TriG, arrays of JSON-LD, namespace declarations of RDF/XML. "The same triples" includes
blank-node labels: rdflib invents new ones on every parse, which `stable_blank_nodes` replaces.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
from collections.abc import Generator, Iterable, Mapping
from typing import Any

from rdflib import RDF, BNode, Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.plugins.serializers.trig import TrigSerializer
from rdflib.term import Node

from airegister.rdf.syntaxes import JSONLD, NQUADS, NTRIPLES, RDFXML, TRIG, Syntax

Triple = tuple[Node, Node, Node]


def _key(triple: Triple) -> tuple[str, str, str]:
    return (triple[0].n3(), triple[1].n3(), triple[2].n3())


class SortedGraph(Graph):
    """A graph whose full listing (iteration, `subjects()`, serialisers) is sorted by subject.

    A subject's triples come in the order they were added, which `sorted_graph` makes sorted too.
    The sorted subjects are kept until the graph changes: a serialiser lists a graph several times.
    """

    _subjects: list[Node] | None = None

    def add(self, triple: Any) -> Any:
        self._subjects = None
        return super().add(triple)

    def addN(self, quads: Any) -> Any:
        self._subjects = None
        return super().addN(quads)

    def remove(self, triple: Any) -> Any:
        self._subjects = None
        return super().remove(triple)

    def triples(self, triple: Any) -> Generator[Any, None, None]:
        s, p, o = triple
        if s is None and p is None and o is None:
            return self._listing()
        return super().triples(triple)

    def _listing(self) -> Generator[Any, None, None]:
        if self._subjects is None:
            every = super().triples((None, None, None))
            self._subjects = sorted({s for s, _, _ in every}, key=lambda node: node.n3())
        for subject in self._subjects:
            yield from super().triples((subject, None, None))


def sorted_graph(
    triples: Iterable[Triple], prefixes: Mapping[str, str], identifier: URIRef | None = None
) -> SortedGraph:
    """The triples in a graph that lists them in one order whatever the hash seed, `prefixes` bound."""
    graph = SortedGraph(identifier=identifier)
    for prefix, namespace in prefixes.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    for triple in sorted(triples, key=_key):
        graph.add(triple)
    return graph


def _names_to_shorten(graph: Graph, classes: bool) -> set[Node]:
    """The predicates of `graph` (and, with `classes`, its classes): what a serialiser writes as prefix:name."""
    names: set[Node] = set()
    for (_, predicate, value), _contexts in graph.store.triples((None, None, None), context=graph):
        names.add(predicate)  # straight from the store: any order will do for a set
        if classes and predicate == RDF.type:
            names.add(value)
    return names


def _bind_generated_prefixes(target: Graph, names: Iterable[Node], strict: bool) -> None:
    """Bind now, in sorted order, the prefixes (`ns1`, ...) a serialiser would invent while walking a set."""
    manager = target.namespace_manager
    for name in sorted(str(n) for n in names if isinstance(n, URIRef)):
        # A name no prefix can shorten is left as it was: written in full, or refused as rdflib would.
        with contextlib.suppress(ValueError, KeyError):
            manager.compute_qname_strict(name) if strict else manager.compute_qname(name)


def jsonld_context(prefixes: Mapping[str, str]) -> dict[str, object]:
    """The JSON-LD @context we publish: our prefixes as terms, nothing more magic."""
    return {"@context": {prefix: namespace for prefix, namespace in sorted(prefixes.items())}}


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted(line for line in data.split(b"\n") if line.strip())
    return b"\n".join(lines) + b"\n" if lines else b""


def _json_order(item: Any) -> str:
    """Nodes by their @id (unique within an array), values by their JSON text."""
    node = item.get("@id") if isinstance(item, dict) else None
    if isinstance(node, str):
        return "0" + node
    return "1" + json.dumps(item, sort_keys=True)


def _sorted_arrays(value: Any, ordered: bool = False) -> Any:
    """JSON-LD with every array sorted but `@list`'s: rdflib lists nodes in the order of a set."""
    if isinstance(value, dict):
        return {key: _sorted_arrays(item, ordered=key == "@list") for key, item in value.items()}
    if isinstance(value, list):
        items = [_sorted_arrays(item) for item in value]
        return items if ordered or len(items) < 2 else sorted(items, key=_json_order)
    return value


def _sorted_xml_namespaces(data: bytes) -> bytes:
    """RDF/XML with its root's namespace declarations sorted (rdflib writes them in a set's order)."""
    end = data.find(b"\n>")  # the end of the root element's start tag
    if end < 0:
        return data
    lines = data[:end].split(b"\n")
    declarations = sorted(line for line in lines if line.lstrip().startswith(b"xmlns"))
    others = [line for line in lines if not line.lstrip().startswith(b"xmlns")]
    return b"\n".join(others + declarations) + data[end:]


def serialize_graph(graph: SortedGraph, syntax: Syntax, prefixes: Mapping[str, str]) -> bytes:
    """One merged graph in a triple syntax (Turtle, N-Triples, JSON-LD, RDF/XML).

    Turtle is written in the graph's sorted order, so the prefixes it invents are too; RDF/XML walks sets.
    """
    if syntax == NTRIPLES:
        return _sorted_lines(graph.serialize(format=syntax.rdflib_format, encoding="utf-8"))
    if syntax == JSONLD:
        context = jsonld_context(prefixes)["@context"]
        text = graph.serialize(format=syntax.rdflib_format, context=context, auto_compact=True, encoding="utf-8")
        document = _sorted_arrays(json.loads(text))
        return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8") + b"\n"
    if syntax != RDFXML:
        return graph.serialize(format=syntax.rdflib_format, encoding="utf-8")
    _bind_generated_prefixes(graph, _names_to_shorten(graph, classes=True), strict=True)
    return _sorted_xml_namespaces(graph.serialize(format=syntax.rdflib_format, encoding="utf-8"))


def serialize_dataset(graphs: Mapping[URIRef, Graph], syntax: Syntax, prefixes: Mapping[str, str]) -> bytes:
    """Named graphs kept (N-Quads, TriG); graphs are written in name order.

    Their triples need no sorting here: N-Quads lines are sorted, and TriG sorts subjects and predicates.
    """
    dataset = Dataset()
    for prefix, namespace in prefixes.items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    for name in sorted(graphs):
        target = dataset.graph(name)
        target += graphs[name]
    if syntax == NQUADS:
        return _sorted_lines(dataset.serialize(format=syntax.rdflib_format, encoding="utf-8"))
    if syntax != TRIG:
        raise ValueError(f"{syntax.label} does not keep named graphs")
    predicates = set().union(*(_names_to_shorten(graph, classes=False) for graph in graphs.values()))
    _bind_generated_prefixes(dataset, predicates, strict=False)
    serializer = TrigSerializer(dataset)
    serializer.contexts.sort(key=lambda graph: str(graph.identifier))  # rdflib lists them from a set
    out = io.BytesIO()
    serializer.serialize(out, encoding="utf-8")
    return out.getvalue()


def gzip_bytes(data: bytes) -> bytes:
    """gzip with no timestamp and no file name inside, so the archive is as stable as its content."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=6) as archive:
        archive.write(data)
    return buffer.getvalue()


def stable_blank_nodes(graph: Graph, salt: str) -> Graph:
    """Give blank nodes labels that depend only on the file's content and name.

    rdflib labels blank nodes at random on every parse; publishing byte-identical dumps from the same
    input needs the same labels each time. Canonical labels (RDF graph hashing) are salted with the
    file name so that equal structures in two files stay two nodes.
    """
    if not any(isinstance(node, BNode) for triple in graph for node in (triple[0], triple[2])):
        return graph
    canonical = to_canonical_graph(graph)
    prefix = hashlib.sha1(salt.encode("utf-8")).hexdigest()[:10]

    def relabel(node: Node) -> Node:
        return BNode(f"b{prefix}{node}") if isinstance(node, BNode) else node

    stable = Graph()
    for s, p, o in canonical:
        stable.add((relabel(s), p, relabel(o)))
    return stable
