"""Byte-stable serialisation: the same triples always give the same bytes, whatever the hash seed.

rdflib writes in the order its store yields triples, and that order follows insertion; so graphs are
rebuilt in sorted order before they are written, and line-based syntaxes are sorted line by line.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from collections.abc import Iterable, Mapping

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

from airegister.rdf.syntaxes import JSONLD, NQUADS, NTRIPLES, Syntax

Triple = tuple[Node, Node, Node]


def _key(triple: Triple) -> tuple[str, str, str]:
    return (triple[0].n3(), triple[1].n3(), triple[2].n3())


def sorted_graph(triples: Iterable[Triple], prefixes: Mapping[str, str], identifier: URIRef | None = None) -> Graph:
    graph = Graph(identifier=identifier)
    for prefix, namespace in prefixes.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    for triple in sorted(triples, key=_key):
        graph.add(triple)
    return graph


def jsonld_context(prefixes: Mapping[str, str]) -> dict[str, object]:
    """The JSON-LD @context we publish: our prefixes as terms, nothing more magic."""
    return {"@context": {prefix: namespace for prefix, namespace in sorted(prefixes.items())}}


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted(line for line in data.split(b"\n") if line.strip())
    return b"\n".join(lines) + b"\n" if lines else b""


def serialize_graph(graph: Graph, syntax: Syntax, prefixes: Mapping[str, str]) -> bytes:
    """One merged graph in a triple syntax (Turtle, N-Triples, JSON-LD, RDF/XML)."""
    if syntax == NTRIPLES:
        return _sorted_lines(graph.serialize(format=syntax.rdflib_format, encoding="utf-8"))
    if syntax == JSONLD:
        context = jsonld_context(prefixes)["@context"]
        text = graph.serialize(format=syntax.rdflib_format, context=context, auto_compact=True, encoding="utf-8")
        return json.dumps(json.loads(text), ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8") + b"\n"
    return graph.serialize(format=syntax.rdflib_format, encoding="utf-8")


def serialize_dataset(graphs: Mapping[URIRef, Graph], syntax: Syntax, prefixes: Mapping[str, str]) -> bytes:
    """Named graphs kept (N-Quads, TriG); graphs are written in name order."""
    dataset = Dataset()
    for prefix, namespace in prefixes.items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    for name in sorted(graphs):
        target = dataset.graph(name)
        for triple in sorted(graphs[name], key=_key):
            target.add(triple)
    data = dataset.serialize(format=syntax.rdflib_format, encoding="utf-8")
    return _sorted_lines(data) if syntax == NQUADS else data


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
