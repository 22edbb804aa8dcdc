"""Which queries the server evaluates in its own process, where no timeout can stop them: only those whose
cost is bounded by one subject's quads. rdflib's full SPARQL parser is the judge of what a text means."""

from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import URIRef, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from airegister.rdf.sparql_text import inspect_query, is_subject_lookup

S = "<https://w3id.org/be-ai-register/id/project/p1>"
LOOKUPS = [
    f"SELECT ?p ?o WHERE {{ {S} ?p ?o }}",
    f"select * {{ {S} ?p ?o . }} limit 10 offset 5",
    f"SELECT ?p ?o WHERE {{ {S} ?p ?o }}\n# 12345",
    f"# a comment first\nSELECT DISTINCT ?o WHERE {{ {S} <http://purl.org/dc/terms/title> ?o }} OFFSET 2 LIMIT 1",
    "PREFIX ex: <http://example.org/> PREFIX : <http://example.org/x#> BASE <http://example.org/b/>\n"
    "ASK { ex:s a ex:C }",
    f"SELECT REDUCED ?p WHERE {{ {S} ?p <https://w3id.org/be-ai-register/ns#AIProject> }}",
    "PREFIX dct: <http://purl.org/dc/terms/> SELECT ?t { <p1> dct:title ?t }",
    "PREFIX dct: <http://purl.org/dc/terms/> PREFIX ex: <http://example.org/> ASK { ex:p1 dct:title ex:t }",
]
NOT_LOOKUPS = [
    "SELECT ?p ?o WHERE { ?s ?p ?o }",  # no fixed subject: the whole store
    "SELECT ?s WHERE { ?s ?p <http://example.org/o> }",  # a fixed object is not bounded by one subject
    f"SELECT ?o WHERE {{ {S} <http://example.org/p>* ?o }}",  # paths reach past the subject
    f"PREFIX ex: <http://example.org/> SELECT ?o WHERE {{ {S} ex:p* ?o }}",
    f"PREFIX ex: <http://example.org/> SELECT ?o WHERE {{ {S} ex:p/ex:q ?o }}",
    f"SELECT ?o WHERE {{ {S} <http://example.org/p>/<http://example.org/q> ?o }}",
    f"SELECT ?o WHERE {{ {S} ^<http://example.org/p> ?o }}",
    f"SELECT ?o WHERE {{ {S} ?p ?o . ?o ?q ?r }}",
    f"SELECT ?o WHERE {{ {S} ?p ?o ; ?q ?r }}",
    f"SELECT ?o WHERE {{ {S} ?p ?o FILTER(?o) }}",
    f"SELECT ?o WHERE {{ {S} ?p ?o OPTIONAL {{ ?o ?q ?r }} }}",
    f"SELECT ?o WHERE {{ {S} ?p 'x' }}",
    f"SELECT ?o FROM <http://example.org/g> WHERE {{ {S} ?p ?o }}",
    f"SELECT (COUNT(*) AS ?n) WHERE {{ {S} ?p ?o }}",
    f"SELECT ?o WHERE {{ {S} ?p ?o }} ORDER BY ?o",
    f"SELECT ?o WHERE {{ {S} ?p ?o }} VALUES ?x {{ 1 }}",
    f"CONSTRUCT {{ {S} ?p ?o }} WHERE {{ {S} ?p ?o }}",
    f"DESCRIBE {S}",
    "SELECT ?o WHERE { _:b ?p ?o }",
    f"SELECT ?o WHERE {{ {{ {S} ?p ?o }} }}",
    f"SELECT ?o WHERE {{ GRAPH ?g {{ {S} ?p ?o }} }}",
    f"SELECT ?o WHERE {{ SERVICE <http://example.org/sparql> {{ {S} ?p ?o }} }}",
    f"SELECT ?o WHERE {{ {S} ?p ?o }} # }}\n . ?o ?q ?r }}",
    f"SELECT ?o WHERE {{ {S} ?p ?o }} LIMIT 1 SELECT",
    "",
    "ASK {",
    "PREFIX",
]


def bounded_by_one_subject(text: str) -> bool:
    """By rdflib's parse: one triple pattern with a fixed subject and a plain predicate, nothing else but a
    projection, DISTINCT, REDUCED, LIMIT and OFFSET."""
    allowed = {"SelectQuery", "AskQuery", "Project", "BGP", "Slice", "Distinct", "Reduced"}
    patterns: list[tuple[object, object, object]] = []
    # SPARQL ends a comment at CR too (pyoxigraph does); rdflib reads on to LF, so it is shown LF.
    pending: list[object] = [prepareQuery(text.replace("\r", "\n")).algebra]
    while pending:
        node = pending.pop()
        if isinstance(node, CompValue):
            if node.name not in allowed:
                return False
            if node.name == "BGP":
                patterns.extend(node["triples"])
            pending.extend(value for key, value in node.items() if key != "triples")
        elif isinstance(node, list | tuple):
            pending.extend(node)
    if len(patterns) != 1:
        return False
    subject, predicate, _ = patterns[0]
    return isinstance(subject, URIRef) and isinstance(predicate, URIRef | Variable)


@pytest.mark.parametrize("text", LOOKUPS)
def test_one_pattern_with_a_fixed_subject_is_a_lookup(text: str) -> None:
    assert bounded_by_one_subject(text), "the example itself is what the test claims"
    assert is_subject_lookup(text)


@pytest.mark.parametrize("text", NOT_LOOKUPS)
def test_anything_more_goes_to_the_workers(text: str) -> None:
    assert not is_subject_lookup(text)


def _judged(text: str) -> bool | None:
    """rdflib's verdict, or None for a text that is not SPARQL (the engine refuses it, at no cost)."""
    try:
        return bounded_by_one_subject(text)
    except Exception:  # rdflib's parse errors have several types
        return None


def test_no_mutation_of_a_lookup_is_taken_for_one_unless_it_still_is_one() -> None:
    """Pieces that widen a query (paths, patterns, filters, groups) spliced in or glued on at random: whatever
    the recogniser accepts, rdflib must find to be a one-subject pattern, or no SPARQL at all."""
    pieces = ["*", "/", "^", "|", "+", "?x", ". ?x ?y ?z", "; ?q ?r", ", ?r", "{", "}", "(", ")", "FILTER(true)",
              "OPTIONAL { ?x ?y ?z }", "UNION", "GRAPH ?g", "'lit'", "a", "<http://example.org/q>", "ex:q", "#",
              "\n", "\r", "# \r", "LIMIT 5", "ORDER BY ?o", "GROUP BY ?o", "VALUES ?v { 1 }", "DISTINCT",
              "SELECT"]  # fmt: skip
    generator = random.Random(20261129)
    accepted = 0
    for _ in range(5000):
        words = generator.choice(LOOKUPS).split(" ")
        for _ in range(generator.randint(1, 3)):
            piece, at = generator.choice(pieces), generator.randrange(len(words))
            if generator.random() < 0.5:
                words.insert(at, piece)
            else:  # glued on: `ex:p*`, `<p>/`, `?o}`
                words[at] += piece
        text = " ".join(words)
        if is_subject_lookup(text):
            accepted += 1
            assert _judged(text) is not False, text
    assert accepted > 100, "the mutations also produced lookups, so acceptance was exercised"


def test_every_w3c_test_query_the_recogniser_accepts_is_a_one_subject_pattern(reference: Path) -> None:
    queries = sorted((reference / "w3c-sparql11").rglob("*.rq"))
    assert len(queries) > 200
    for path in queries:
        text = path.read_text("utf-8", errors="replace")
        if is_subject_lookup(text):
            assert _judged(text) is not False, path.name


def test_regression_a_carriage_return_ends_a_comment() -> None:
    """SPARQL ends a comment at CR as at LF; the lexer read on to the next LF, so what followed a CR was
    hidden: two more patterns were evaluated in the server process as a 'lookup' (a cartesian product, no
    timeout), and a SERVICE call or FROM there escaped the allowlist and the dataset rules."""
    hidden_patterns = f"SELECT * WHERE {{ {S} ?p ?o # \r . ?a ?b ?c . ?d ?e ?f # \n }}"
    store = pyoxigraph.Store()
    for number in range(3):
        store.add(pyoxigraph.Quad(pyoxigraph.NamedNode(S[1:-1]), pyoxigraph.NamedNode(f"http://example.org/p{number}"),
                                  pyoxigraph.Literal(str(number))))  # fmt: skip
    assert len(list(store.query(hidden_patterns))) == 3**3, "pyoxigraph evaluates three patterns"
    assert not is_subject_lookup(hidden_patterns)
    hidden_service = "SELECT * WHERE { # x\r SERVICE <http://example.org/sparql> { ?s ?p ?o } # \n }"
    assert inspect_query(hidden_service).services == ("<http://example.org/sparql>",)
    assert inspect_query("SELECT * # x\r FROM <http://example.org/g> WHERE { ?s ?p ?o }").has_dataset_clause
    assert inspect_query("SELECT ?s WHERE { ?s ?p 'a\r' }").services == ()  # a CR ends a short string too


@pytest.mark.parametrize(
    "hiding",
    [
        "?s ex:p ex:a#x '''\nSERVICE <http://example.org/sparql> { ?a ?b ?c }\n#'''\n",  # a comment right after
        "?s ex:p [ ex:q ex:a]SERVICE <http://example.org/sparql> { ?a ?b ?c }",  # a bracket right after
    ],
    ids=["comment", "bracket"],
)
def test_regression_a_prefixed_name_no_longer_swallows_the_syntax_after_it(hiding: str) -> None:
    """The lexer read a prefixed name's local part up to the next space or one of `{}()<>;,.`, so `#` and
    `]` became part of the name: a comment opened a string that was not there, and both hid a SERVICE the
    engine parses (and calls) from the allow-list check."""
    query = f"PREFIX ex: <http://example.org/>\nSELECT * {{ {hiding} }}"
    pyoxigraph.Store().query(query)  # the engine reads it as a valid query (the empty store calls nothing)
    assert inspect_query(query).services == ("<http://example.org/sparql>",)


def test_regression_nesting_is_measured_by_brackets_not_by_names() -> None:
    """`ex:o0]` was one token, so flat blank nodes after one another added up to a depth of hundreds (a
    400 for a valid query), and `ex:p[ex:p[...` nested thousands deep measured 1."""
    flat = " ".join(f"?s ex:p [ ex:q ex:o{number}] ." for number in range(200))
    assert inspect_query(f"PREFIX ex: <http://example.org/>\nSELECT * {{ {flat} }}").depth == 2
    deep = "ex:p[" * 300 + "ex:p 1" + "]" * 300
    assert inspect_query(f"PREFIX ex: <http://example.org/>\nSELECT * {{ ?s {deep} }}").depth == 301
    assert inspect_query(r"SELECT * { ?s ex:a.b ex:c\(d\# . }").depth == 1  # '.', escapes: still one name each
