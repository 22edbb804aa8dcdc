"""Human labels of IRIs, in a chosen language with fallbacks, from whatever the content says about them."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDFS, SKOS
from rdflib.term import Node

LABEL_PREDICATES = (SKOS.prefLabel, RDFS.label, DCTERMS.title, FOAF.name)
FALLBACK = ("en", "fr", "nl", "de", "")


class Labels:
    """Looks up a label for an IRI: the asked language first, then en, fr, nl, de, then any."""

    def __init__(self, graph: Graph) -> None:
        self._labels: dict[Node, dict[str, str]] = {}
        for predicate in reversed(LABEL_PREDICATES):  # earlier predicates win
            for subject, value in graph.subject_objects(predicate):
                if isinstance(value, Literal):
                    self._labels.setdefault(subject, {})[value.language or ""] = str(value)

    def label(self, node: Node, lang: str = "en") -> str:
        by_lang = self._labels.get(node, {})
        for candidate in (lang, *FALLBACK):
            if candidate in by_lang:
                return by_lang[candidate]
        if by_lang:
            return by_lang[sorted(by_lang)[0]]
        text = str(node)
        return text.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1] if isinstance(node, URIRef) else text
