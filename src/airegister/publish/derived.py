"""Facts the build adds to the records after validation, derived from the sources and never written by hand.

- `ns:addressesPrinciple`: the charter assessments are the one source of truth. Per project and principle
  the assessment with the latest `dct:date` is the current one; the project addresses the principle when
  that one says addressed or partly addressed. An older "addressed" superseded by a newer "not yet
  addressed" no longer counts, and the older assessment stays in the record as history.
- The record's document, `{base}doc/project/{ref}`: `foaf:primaryTopic` the project and `dct:conformsTo` the
  profile its dataset names in data/catalog.ttl (the one home of the current profile).

Both go into the record's own named graph (its source file's), so the dumps, the store, the CSV and the
site index read them as part of the record (docs/data-model.md, "Accountability (profile 2)").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF
from rdflib.term import Node

from airegister.content.load import Content
from airegister.publish.datasets import DatasetSpec, catalog_graph
from airegister.rdf.namespaces import DPV, Base

Triple = tuple[Node, Node, Node]
ADDRESSING = ("addressed", "partly-addressed")  # assessment-status refs that make a principle addressed


def current_assessments(graph: Graph, project: Node) -> dict[Node, Node]:
    """Principle -> the project's current assessment of it (the one with the latest date)."""
    latest: dict[Node, tuple[str, Node]] = {}
    for assessment in graph.objects(project, DPV.hasAssessment):
        date = graph.value(assessment, DCTERMS.date)
        for principle in graph.objects(assessment, DCTERMS.subject):
            when = str(date) if isinstance(date, Literal) else ""
            if principle not in latest or when > latest[principle][0]:
                latest[principle] = (when, assessment)
    return {principle: assessment for principle, (_when, assessment) in latest.items()}


def addressed_principles(graph: Graph, project: Node, base: Base) -> list[Node]:
    """The principles whose current assessment says addressed or partly addressed, sorted."""
    addressing = {base.thing("assessment-status", ref) for ref in ADDRESSING}
    current = current_assessments(graph, project)
    return sorted((p for p, a in current.items() if graph.value(a, DPV.hasStatus) in addressing), key=str)


def _profiles(content: Content, specs: Iterable[DatasetSpec]) -> dict[URIRef, list[Node]]:
    """Named graph -> the profiles (dct:conformsTo) of the dataset publishing it, from data/catalog.ttl."""
    catalog = catalog_graph(content)
    profiles: dict[URIRef, list[Node]] = {}
    for spec in specs:
        if spec.composite:
            continue
        named = sorted(catalog.objects(spec.iri, DCTERMS.conformsTo), key=str)
        for graph in spec.graphs:
            profiles.setdefault(graph, []).extend(named)
    return profiles


def _records(content: Content) -> Iterator[tuple[URIRef, URIRef]]:
    """(project, the named graph of the file that types it), in a stable order."""
    found: set[tuple[URIRef, URIRef]] = set()
    for project, _p, _o, graph in content.dataset.quads((None, RDF.type, content.base.ns.AIProject, None)):
        name = getattr(graph, "identifier", graph)
        if isinstance(project, URIRef) and isinstance(name, URIRef) and name in content.files:
            found.add((project, name))
    yield from sorted(found)


def derive(content: Content, specs: Iterable[DatasetSpec]) -> int:
    """Add the derived facts to each record's named graph in `content`; returns how many triples."""
    base = content.base
    profiles = _profiles(content, specs)
    whole = content.dataset  # default_union: a record's assessments are read wherever they are
    added = 0
    for project, name in _records(content):
        graph = content.dataset.graph(name)
        triples: list[Triple] = [
            (project, base.ns.addressesPrinciple, p) for p in addressed_principles(whole, project, base)
        ]
        ref = whole.value(project, DCTERMS.identifier)
        if ref is not None:
            document = base.doc("project", str(ref))
            triples.append((document, FOAF.primaryTopic, project))
            triples.extend((document, DCTERMS.conformsTo, profile) for profile in profiles.get(name, []))
        for triple in triples:
            if triple not in graph:
                graph.add(triple)
                added += 1
    return added
