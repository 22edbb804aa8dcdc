"""The register's languages, and the one rule for choosing a text or a label among language-tagged values.

Order of preference: the reader's language, then en, fr, nl, de, then untagged, then any other tag
(alphabetically), so something is always shown, in the language nearest the reader's. Language tags
are compared in lower case (BCP 47 tags are case-insensitive). Labels come from the first of
`LABEL_PREDICATES` that has one; an IRI with no label shows its last path segment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDFS, SKOS
from rdflib.term import Node

LANGUAGES = ("en", "fr", "nl", "de")  # the site's languages; the first is the default
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "nl": "Nederlands", "de": "Deutsch"}
FALLBACK = (*LANGUAGES, "")
LABEL_PREDICATES = (SKOS.prefLabel, RDFS.label, DCTERMS.title, FOAF.name)  # earlier predicates win


@cache
def preference(lang: str) -> tuple[str, ...]:
    """The language tags to try, best first, for a reader of `lang`."""
    return tuple(dict.fromkeys((lang.lower(), *FALLBACK)))


def pick(texts: Mapping[str, str], lang: str) -> tuple[str, str] | None:
    """(text, its language tag) nearest the reader's language; None when there is no text at all."""
    for candidate in preference(lang):
        if candidate in texts:
            return texts[candidate], candidate
    if texts:
        first = sorted(texts)[0]
        return texts[first], first
    return None


def pick_text(texts: Mapping[str, str], lang: str, default: str = "") -> str:
    found = pick(texts, lang)
    return found[0] if found else default


def by_language(values: Iterable[Node]) -> dict[str, str]:
    """The literals among `values`, keyed by their lower-cased language tag ("" for none); one text a tag."""
    texts: dict[str, str] = {}
    for value in sorted((v for v in values if isinstance(v, Literal)), key=str):
        texts.setdefault((value.language or "").lower(), str(value))
    return texts


def local_name(iri: str) -> str:
    """What an unlabelled IRI shows: its last path segment or fragment."""
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or iri


def best_literal(graph: Graph, subject: Node, predicates: Iterable[URIRef], lang: str = "en") -> str | None:
    """The value of the first predicate that has one, in the language nearest `lang`."""
    for predicate in predicates:
        found = pick(by_language(graph.objects(subject, predicate)), lang)
        if found is not None:
            return found[0]
    return None


class Labels:
    """Labels of every node of a graph by language, read once; `label` picks by the rule above."""

    def __init__(self, graph: Graph, predicates: Iterable[URIRef] = LABEL_PREDICATES) -> None:
        self._labels: dict[Node, dict[str, str]] = {}
        for predicate in reversed(tuple(predicates)):  # earlier predicates win
            found: dict[Node, dict[str, str]] = {}
            for subject, value in graph.subject_objects(predicate):
                if isinstance(value, Literal):
                    texts, lang, text = found.setdefault(subject, {}), (value.language or "").lower(), str(value)
                    if lang not in texts or text < texts[lang]:  # the smallest, as `by_language` keeps
                        texts[lang] = text
            for subject, texts in found.items():
                self._labels.setdefault(subject, {}).update(texts)

    def texts(self, node: Node) -> dict[str, str]:
        return self._labels.get(node, {})

    def find(self, node: Node, lang: str = "en") -> tuple[str, str] | None:
        """(label, its language tag), or None when the graph labels the node in no language."""
        return pick(self.texts(node), lang)

    def label(self, node: Node, lang: str = "en") -> str:
        found = self.find(node, lang)
        if found is not None:
            return found[0]
        return local_name(str(node)) if isinstance(node, URIRef) else str(node)
