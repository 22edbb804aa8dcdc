"""The engine's failures that are the client's mistake stay the client's: "refused", said in our words.

`evaluate` (store/pool/worker.py) tells a client's mistake from a fault of ours by the exception's class
(ValueError) and, for the engine's RuntimeErrors, by their wording. A pyoxigraph release that rewords one
of those messages would silently turn a 400 into a 500: here every pattern meets the engine's real message.
"""

from __future__ import annotations

import re
from typing import Any

import pyoxigraph
import pytest

from airegister.store.pool import worker

EXCEPTION_NAME = re.compile(r"\b[A-Z]\w*(?:Error|Exception|Iteration)\b|Traceback")
XSD_INTEGER = "<http://www.w3.org/2001/XMLSchema#integer>"

# One query per wording the worker reads (`_REFUSALS`), named after the engine's words it must meet.
ENGINE_WORDINGS = {
    "The custom function <...> is not supported": "SELECT (<urn:no-such-function>(1) AS ?x) {}",
    "The custom function <...> requires": f"SELECT ({XSD_INTEGER}(1, 2) AS ?x) {{}}",
    "The variable encoding the service name is unbound": "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }",
    '"x" is not a valid service name': 'SELECT * { VALUES ?e { "x" } LATERAL { SERVICE ?e { ?s ?p ?o } } }',
}
# Alternatives no query can reach with this engine, and why: the check below fails once one can.
UNREACHABLE = {
    r"service <[^>]*> is not supported": (
        "pyoxigraph is built with its HTTP client, which takes every SERVICE IRI (and fails on its own terms); "
        "the engine says 'not supported' only without one"
    ),
}
# What the engine cannot read among a request's values: it raises ValueError, whatever its words.
UNREADABLE_VALUES: dict[str, dict[str, Any]] = {
    "a default graph that is no IRI": {"default_graphs": ("a b",)},
    "a named graph that is no IRI": {"named_graphs": ("a b",)},
    "a graph IRI with a lone surrogate": {"default_graphs": ("http://example.org/\ud800",)},
    "a base that is no IRI": {"base_iri": "http://example.org/ a"},
    "a query with a lone surrogate": {"query": 'ASK { FILTER("\ud800") }'},
}


def message(**overrides: Any) -> dict[str, Any]:
    """A query as the server sends it to a worker (see handler.py and oxigraph.py)."""
    return {
        "query": "ASK { ?s ?p ?o }",
        "media_type": "application/sparql-results+json",
        "default_graphs": (),
        "named_graphs": (),
        "union_default_graph": False,
        "base_iri": None,
        "federated": False,
        **overrides,
    }


def engine_words(query: str) -> str:
    """What the engine itself says of `query`: the message `evaluate` classifies."""
    with pytest.raises(Exception) as raised:
        worker.execute(pyoxigraph.Store(), message(query=query))
    return str(raised.value)


def alternatives() -> list[str]:
    """Every wording `evaluate` reads as a client's mistake, each alternative of a pattern on its own."""
    return [alternative for pattern, _ in worker._REFUSALS for alternative in pattern.split("|")]


@pytest.mark.parametrize("query", ENGINE_WORDINGS.values(), ids=ENGINE_WORDINGS.keys())
def test_an_engine_refusal_of_the_query_is_the_clients_in_our_words(query: str) -> None:
    said = engine_words(query)
    status, words, body = worker.evaluate(pyoxigraph.Store(), message(query=query))
    assert status == "refused", f"the engine said {said!r}: no pattern of the worker's knows these words any more"
    assert words and body == b""
    assert not EXCEPTION_NAME.search(words) and said not in words


@pytest.mark.parametrize("overrides", UNREADABLE_VALUES.values(), ids=UNREADABLE_VALUES.keys())
def test_a_value_the_engine_cannot_read_is_the_clients_in_our_words(overrides: dict[str, Any]) -> None:
    status, words, _ = worker.evaluate(pyoxigraph.Store(), message(**overrides))
    assert status == "refused"
    assert not EXCEPTION_NAME.search(words) and "Invalid IRI" not in words


def test_every_wording_the_worker_reads_is_met_by_a_real_engine_message() -> None:
    """A pattern without a query here (a new one, or one reworded in the worker) is a refusal nobody checks."""
    said = [engine_words(query) for query in ENGINE_WORDINGS.values()]
    unmet = [a for a in alternatives() if a not in UNREACHABLE and not any(re.search(a, s) for s in said)]
    assert not unmet, f"no query of ENGINE_WORDINGS makes the engine say {unmet}: add one"
    assert set(UNREACHABLE) <= set(alternatives()), "UNREACHABLE names a wording the worker no longer reads"


def test_the_unreachable_wordings_are_still_unreachable() -> None:
    """Should the engine start to say them (a build without its HTTP client), they need a query above."""
    for query in ("SELECT * { SERVICE <urn:example:endpoint> { ?s ?p ?o } }",
                  "SELECT * { SERVICE <ftp://example.org/sparql> { ?s ?p ?o } }"):  # fmt: skip
        said = engine_words(query)
        assert not any(re.search(alternative, said) for alternative in UNREACHABLE), said
