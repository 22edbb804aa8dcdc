"""Find SKOS concepts and organisations by the labels source data uses.

Importers never carry their own label tables: a source label reaches a concept because a scheme in
`ontology/` or `data/` lists it as a prefLabel, altLabel, hiddenLabel or notation. Fixing a mapping is
then a content change a curator can make, and every importer matches labels the same way.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS, SKOS

from airegister.rdf.namespaces import CV

LABEL_PROPERTIES = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, SKOS.notation)
ORGANISATION_LABELS = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
ORGANISATION_TYPES = (ORG.Organization, CV.PublicOrganisation, ORG.FormalOrganization)

# Characters that are invisible but break equality (zero-width spaces, BOMs left inside cells).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def normalise(label: str) -> str:
    """The comparison form of a label: NFC, lower case, whitespace collapsed and stripped."""
    text = unicodedata.normalize("NFC", label).translate(_INVISIBLE)
    return " ".join(text.split()).lower()


def keys(label: str) -> list[str]:
    """The keys a label is indexed and looked up under: itself, and without a trailing '.'."""
    key = normalise(label)
    if not key:
        return []
    loose = key.rstrip(".").rstrip()
    return [key] if loose == key or not loose else [key, loose]


@dataclass
class _LabelMap:
    """Label keys to IRIs; exact keys win over the ones with the trailing '.' removed."""

    exact: dict[str, set[URIRef]] = field(default_factory=lambda: defaultdict(set))
    loose: dict[str, set[URIRef]] = field(default_factory=lambda: defaultdict(set))

    def add(self, label: str, iri: URIRef) -> None:
        for i, key in enumerate(keys(label)):
            (self.exact if i == 0 else self.loose)[key].add(iri)
            self.loose[key].add(iri)

    def find(self, label: str) -> list[URIRef]:
        for i, key in enumerate(keys(label)):
            found = self.exact.get(key) if i == 0 else None
            if found:
                return sorted(found)
            found = self.loose.get(key)
            if found:
                return sorted(found)
        return []


class ConceptIndex:
    """Concepts per scheme by label, their matches, broader concepts and types."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._labels: dict[URIRef, _LabelMap] = defaultdict(_LabelMap)
        for prop in (SKOS.inScheme, SKOS.topConceptOf):
            for concept, scheme in graph.subject_objects(prop):
                if isinstance(concept, URIRef) and isinstance(scheme, URIRef):
                    for label_prop in LABEL_PROPERTIES:
                        for label in graph.objects(concept, label_prop):
                            if isinstance(label, Literal):
                                self._labels[scheme].add(str(label), concept)

    @classmethod
    def from_graph(cls, graph: Graph) -> ConceptIndex:
        return cls(graph)

    def schemes(self) -> list[URIRef]:
        return sorted(self._labels)

    def lookup_all(self, scheme: URIRef, label: str) -> list[URIRef]:
        """Every concept of `scheme` carrying `label` (sorted, so callers are deterministic)."""
        labels = self._labels.get(scheme)
        return labels.find(label) if labels else []

    def lookup(self, scheme: URIRef, label: str) -> URIRef | None:
        """The one concept of `scheme` carrying `label`; None when there is none or the label is ambiguous."""
        found = self.lookup_all(scheme, label)
        return found[0] if len(found) == 1 else None

    def in_scheme(self, concept: URIRef, scheme: URIRef) -> bool:
        return (concept, SKOS.inScheme, scheme) in self.graph or (
            concept,
            SKOS.topConceptOf,
            scheme,
        ) in self.graph

    def matches(self, concept: URIRef, prop: URIRef) -> set[URIRef]:
        """Concepts linked to `concept` by a mapping property, in either direction (SKOS matches are symmetric)."""
        out = {o for o in self.graph.objects(concept, prop) if isinstance(o, URIRef)}
        out |= {s for s in self.graph.subjects(prop, concept) if isinstance(s, URIRef)}
        return out

    def lookup_via_match(self, target_scheme: URIRef, source_scheme: URIRef, label: str) -> URIRef | None:
        """Reach `target_scheme` through a crosswalk: find the source concept by label, then the target
        concept whose exactMatch (preferred) or closeMatch points to it."""
        source = self.lookup(source_scheme, label)
        if source is None:
            return None
        for prop in (SKOS.exactMatch, SKOS.closeMatch):
            found = sorted(c for c in self.matches(source, prop) if self.in_scheme(c, target_scheme))
            if len(found) == 1:
                return found[0]
        return None

    def broader(self, concept: URIRef) -> set[URIRef]:
        """Broader concepts, transitively (skos:broader and its inverse skos:narrower)."""
        seen: set[URIRef] = set()
        todo = [concept]
        while todo:
            current = todo.pop()
            ups = {o for o in self.graph.objects(current, SKOS.broader) if isinstance(o, URIRef)}
            ups |= {s for s in self.graph.subjects(SKOS.narrower, current) if isinstance(s, URIRef)}
            for up in ups - seen:
                seen.add(up)
                todo.append(up)
        return seen

    def is_a(self, concept: URIRef, klass: URIRef) -> bool:
        """Whether `concept` is an instance of `klass` as SHACL's sh:class sees it: rdf:type `klass` or
        a subclass of it (skos:broader is not instance-of, so it does not count)."""
        return any(
            klass in self.graph.transitive_objects(t, RDFS.subClassOf) for t in self.graph.objects(concept, RDF.type)
        )


class OrganisationIndex:
    """Organisations by prefLabel, altLabel and hiddenLabel; grows as an importer mints new ones."""

    def __init__(self, graph: Graph) -> None:
        self._labels = _LabelMap()
        self.known: set[URIRef] = set()
        self.spatial: dict[URIRef, set[URIRef]] = {}
        for klass in ORGANISATION_TYPES:
            for org in graph.subjects(RDF.type, klass):
                if isinstance(org, URIRef) and org not in self.known:
                    self.known.add(org)
                    self.spatial[org] = {o for o in graph.objects(org, DCTERMS.spatial) if isinstance(o, URIRef)}
                    for prop in ORGANISATION_LABELS:
                        for label in graph.objects(org, prop):
                            if isinstance(label, Literal):
                                self._labels.add(str(label), org)

    @classmethod
    def from_graph(cls, graph: Graph) -> OrganisationIndex:
        return cls(graph)

    def lookup(self, label: str) -> list[URIRef]:
        """Every organisation carrying `label`; a hiddenLabel shared by several organisations is how a
        source cell naming several bodies ("A & B") reaches all of them."""
        return self._labels.find(label)

    def add(self, org: URIRef, labels: Iterable[str], spatial: Iterable[URIRef] = ()) -> None:
        self.known.add(org)
        self.spatial[org] = set(spatial)
        for label in labels:
            self._labels.add(label, org)
