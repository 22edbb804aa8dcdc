"""VoID descriptions: how big each dataset is and what it is made of, for crawlers and query planners."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from airegister.publication.urls import PublicUrls
from airegister.publish.datasets import DatasetSpec
from airegister.publish.files import PublishedFile
from airegister.rdf.namespaces import VOID
from airegister.rdf.syntaxes import Syntax


def _count(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def _slug(iri: Node) -> str:
    text = str(iri)
    return "".join(c if c.isalnum() else "-" for c in text.split("://", 1)[-1]).strip("-")


def describe_dataset(out: Graph, iri: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> None:
    """Counts and class/property partitions of one dataset, added to `out` under `iri`."""
    total = 0
    subjects: set[Node] = set()
    objects: set[Node] = set()
    entities: set[Node] = set()
    classes: Counter[Node] = Counter()
    properties: Counter[Node] = Counter()
    for s, p, o in triples:
        total += 1
        subjects.add(s)
        objects.add(o)
        properties[p] += 1
        if isinstance(s, URIRef):
            entities.add(s)
        if p == RDF.type:
            classes[o] += 1
    out.add((iri, RDF.type, VOID.Dataset))
    out.add((iri, VOID.triples, _count(total)))
    out.add((iri, VOID.entities, _count(len(entities))))
    out.add((iri, VOID.classes, _count(len(classes))))
    out.add((iri, VOID.properties, _count(len(properties))))
    out.add((iri, VOID.distinctSubjects, _count(len(subjects))))
    out.add((iri, VOID.distinctObjects, _count(len(objects))))
    for cls, count in sorted(classes.items()):
        part = URIRef(f"{iri}#class-{_slug(cls)}")
        out.add((iri, VOID.classPartition, part))
        out.add((part, VOID["class"], cls))
        out.add((part, VOID.entities, _count(count)))
    for prop, count in sorted(properties.items()):
        part = URIRef(f"{iri}#property-{_slug(prop)}")
        out.add((iri, VOID.propertyPartition, part))
        out.add((part, VOID.property, prop))
        out.add((part, VOID.triples, _count(count)))


def build_void(
    specs: list[DatasetSpec],
    triples_of: Mapping[str, list[tuple[Node, Node, Node]]],
    files: Iterable[PublishedFile],
    urls: PublicUrls,
    uri_space: str,
    vocabularies: Iterable[str],
) -> Graph:
    out = Graph()
    dumps: dict[str, list[PublishedFile]] = {}
    for published in files:
        dumps.setdefault(published.dataset, []).append(published)
    for spec in specs:
        describe_dataset(out, spec.iri, triples_of[spec.name])
        out.add((spec.iri, VOID.sparqlEndpoint, URIRef(urls.page("sparql"))))
        out.add((spec.iri, VOID.uriSpace, Literal(uri_space)))
        for published in sorted(dumps.get(spec.name, []), key=lambda f: f.path):
            if not published.compressed and isinstance(published.kind, Syntax):  # RDF only: no CSV, no CSVW
                out.add((spec.iri, VOID.dataDump, URIRef(urls.page(published.path))))
        for vocabulary in sorted(vocabularies):
            out.add((spec.iri, VOID.vocabulary, URIRef(vocabulary)))
    assert not any(isinstance(n, BNode) for t in out for n in t), "VoID must not use blank nodes"
    return out
