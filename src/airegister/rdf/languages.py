"""The register's languages, and the rules for choosing among language-tagged texts.

- Language: the reader's language, then en, fr, nl, de, then untagged, then any other tag
  (alphabetically), so something is always shown, in the language nearest the reader's. Tags are
  compared in lower case (BCP 47 tags are case-insensitive); of two texts with one tag, the smaller.
- A label (`Labels`, `merged`): language by language, the first of `LABEL_PREDICATES` that has a text in
  it, so a French reader gets a French `rdfs:label` rather than an English `skos:prefLabel`. An IRI with
  no label shows its last path segment.
- A text (`first_text`, e.g. a record's title or a field's fix): the first property that has a text at
  all, in the language nearest the reader's; a later property is a fallback, not a translation.
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


def smallest_by_tag(pairs: Iterable[tuple[str | None, str]]) -> dict[str, str]:
    """(tag, text) pairs keyed by lower-cased tag ("" for none), the smallest text of a tag kept."""
    texts: dict[str, str] = {}
    for tag, text in pairs:
        key = (tag or "").lower()
        if key not in texts or text < texts[key]:
            texts[key] = text
    return texts


def by_language(values: Iterable[Node]) -> dict[str, str]:
    """The literals among `values`, keyed by their lower-cased language tag; one text a tag."""
    return smallest_by_tag((v.language, str(v)) for v in values if isinstance(v, Literal))


def merged(per_predicate: Iterable[Mapping[str, str]]) -> dict[str, str]:
    """Texts by language from several predicates, earliest first: per language, the earliest that has one."""
    texts: dict[str, str] = {}
    for found in reversed(list(per_predicate)):
        texts.update(found)
    return texts


def local_name(iri: str) -> str:
    """What an unlabelled IRI shows: its last path segment or fragment."""
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or iri


def first_text(graph: Graph, subject: Node, predicates: Iterable[URIRef], lang: str = "en") -> tuple[str, str] | None:
    """(text, tag) of the first predicate that has a text, in the language nearest `lang`."""
    for predicate in predicates:
        found = pick(by_language(graph.objects(subject, predicate)), lang)
        if found is not None:
            return found
    return None


def best_literal(graph: Graph, subject: Node, predicates: Iterable[URIRef], lang: str = "en") -> str | None:
    found = first_text(graph, subject, predicates, lang)
    return found[0] if found else None


class Labels:
    """Labels of every node of a graph by language, read once; `label` picks by the rule above."""

    def __init__(self, graph: Graph, predicates: Iterable[URIRef] = LABEL_PREDICATES) -> None:
        values: dict[Node, dict[URIRef, list[Node]]] = {}
        order = tuple(predicates)
        for predicate in order:
            for subject, value in graph.subject_objects(predicate):
                values.setdefault(subject, {}).setdefault(predicate, []).append(value)
        self._labels = {
            subject: merged(by_language(found.get(p, ())) for p in order) for subject, found in values.items()
        }

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
