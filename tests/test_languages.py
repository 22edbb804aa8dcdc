"""The language rules (rdf/languages.py): the reader's language, then en, fr, nl, de, untagged, any other;
one text a language, the smallest, whatever order the graph yields them in; a label is chosen language by
language across the label predicates, a text from the first property that has one."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from airegister.rdf.languages import LABEL_PREDICATES, Labels, best_literal, by_language, pick, preference
from airegister.web.sparql.terms import Term, labels_of

THING = URIRef("https://example.org/id/thing/a")


@pytest.mark.parametrize(
    ("texts", "lang", "expected"),
    [
        ({"en": "E", "fr": "F", "nl": "N", "de": "D"}, "nl", ("N", "nl")),
        ({"fr": "F", "de": "D"}, "nl", ("F", "fr")),
        ({"": "plain", "es": "ES"}, "de", ("plain", "")),
        ({"es": "ES", "it": "IT"}, "en", ("ES", "es")),
        ({"fr": "F"}, "FR", ("F", "fr")),
        ({}, "en", None),
    ],
)
def test_pick_follows_the_order_of_preference(texts: dict[str, str], lang: str, expected: object) -> None:
    assert pick(texts, lang) == expected


def test_the_readers_language_comes_first_once() -> None:
    assert preference("nl") == ("nl", "en", "fr", "de", "")
    assert preference("es") == ("es", "en", "fr", "nl", "de", "")


def test_one_text_a_language_the_smallest_whatever_the_order() -> None:
    values = [Literal("Sample", lang="en"), Literal("Example", lang="EN"), Literal("Exemple", lang="fr")]
    assert by_language(values) == by_language(reversed(values)) == {"en": "Example", "fr": "Exemple"}


def test_labels_and_best_literal_agree_on_a_subject_with_two_labels_in_one_language() -> None:
    """Where the two rules meet (the first predicate has the reader's language) they give one answer."""
    for order in (("Sample", "Example"), ("Example", "Sample")):
        graph = Graph()
        for text in order:
            graph.add((THING, SKOS.prefLabel, Literal(text, lang="en")))
        graph.add((THING, RDFS.label, Literal("A label", lang="en")))
        graph.add((THING, RDFS.label, Literal("Un libellé", lang="fr")))
        labels = Labels(graph)
        assert labels.label(THING, "en") == best_literal(graph, THING, (SKOS.prefLabel, RDFS.label)) == "Example"
        assert labels.find(THING, "fr") == ("Un libellé", "fr"), "a later predicate fills the languages of earlier"
    assert Labels(Graph()).label(THING) == "a", "an unlabelled IRI shows its last segment"


def test_a_label_is_chosen_language_by_language_and_a_text_from_the_first_property() -> None:
    graph = Graph()
    graph.add((THING, SKOS.prefLabel, Literal("Example", lang="en")))
    graph.add((THING, RDFS.label, Literal("Exemple", lang="fr")))
    assert Labels(graph).label(THING, "fr") == "Exemple", "a French reader gets the French rdfs:label"
    assert best_literal(graph, THING, (SKOS.prefLabel, RDFS.label), "fr") == "Example", "the first property wins"


def test_the_query_page_labels_as_the_pages_do_whatever_the_row_order() -> None:
    """Regression: the query page kept the first text of a language its rows gave, so the order decided."""
    graph = Graph()
    triples = [
        (SKOS.prefLabel, Literal("Sample", lang="en")),
        (SKOS.prefLabel, Literal("Example", lang="en")),
        (RDFS.label, Literal("Un libellé", lang="fr")),
        (RDFS.label, Literal("A label", lang="en")),
    ]
    rows = []
    for predicate, value in triples:
        graph.add((THING, predicate, value))
        rows.append(
            {
                "s": Term("iri", str(THING)),
                "p": Term("iri", str(predicate)),
                "o": Term("literal", str(value), value.language),
            }
        )
    assert {str(p) for p, _ in triples} <= {str(p) for p in LABEL_PREDICATES}
    for lang in ("en", "fr", "de"):
        expected = Labels(graph).find(THING, lang)
        assert labels_of(rows, lang)[str(THING)] == labels_of(list(reversed(rows)), lang)[str(THING)] == expected
