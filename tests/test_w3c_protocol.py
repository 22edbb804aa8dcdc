"""The W3C SPARQL 1.1 Protocol suite (protocol/manifest.ttl, HTTP-in-RDF) against the real, read-only server.

Query tests must pass as the manifest describes them; update tests must get the documented refusal
(HTTP 403, JSON error "read-only"); see tests/w3c/protocol.py for how each request is judged. The data the
dataset tests name (graphs on kasei.us) is loaded under those graph IRIs by the test loader: no network.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from w3c.known_failures import KNOWN_PROTOCOL_FAILURES
from w3c.names import PROTOCOL_TESTS
from w3c.protocol import run_protocol_test
from w3c.service import W3CServer, shared_server


@pytest.fixture(scope="session")
def w3c(reference: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[W3CServer]:
    with shared_server(reference, lambda: tmp_path_factory.mktemp("w3c")) as server:
        yield server


def test_protocol_names_match_manifest(w3c: W3CServer) -> None:
    assert tuple(w3c.protocol_tests) == PROTOCOL_TESTS, "tests/w3c/names.py no longer matches the manifest"
    assert all(t.approved for t in w3c.protocol_tests.values())


def _case(name: str) -> object:
    if name in KNOWN_PROTOCOL_FAILURES:
        mark = pytest.mark.xfail(strict=True, reason=KNOWN_PROTOCOL_FAILURES[name])
        return pytest.param(name, id=name, marks=mark)
    return pytest.param(name, id=name)


@pytest.mark.parametrize("name", [_case(name) for name in PROTOCOL_TESTS])
def test_w3c_protocol(name: str, w3c: W3CServer) -> None:
    test = w3c.protocol_tests[name]
    problems = run_protocol_test(w3c.client, test)
    assert not problems, f"{name} ({test.title}):\n" + "\n".join(problems)


# Protocol §2.1.4 beyond what the suite asks: the dataset of the protocol request *replaces* the query's
# (FROM / FROM NAMED), and like FROM without FROM NAMED, default-graph-uri alone leaves no named graphs.
KASEI = "http://kasei.us/2009/09/sparql/data/"
DATASET_CASES: dict[str, tuple[str, dict[str, str], bool]] = {
    "dataset_default_graph_only_has_no_named_graphs": (
        "ASK { GRAPH ?g { ?s ?p ?o } }", {"default-graph-uri": KASEI + "data1.rdf"}, False,
    ),
    "dataset_protocol_default_graph_replaces_from": (
        f"ASK FROM <{KASEI}data3.rdf> {{ ?s ?p ?o }}", {"named-graph-uri": KASEI + "data1.rdf"}, False,
    ),
    "dataset_protocol_named_graphs_replace_from_named": (
        f"ASK FROM NAMED <{KASEI}data3.rdf> {{ GRAPH ?g {{ ?s ?p ?o }} }}", {"default-graph-uri": KASEI + "data1.rdf"},
        False,
    ),
    "dataset_protocol_graphs_are_used": (
        f"ASK FROM <{KASEI}data3.rdf> {{ <{KASEI}data1.rdf> a ?t }}", {"default-graph-uri": KASEI + "data1.rdf"}, True,
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", [_case(name) for name in DATASET_CASES])
def test_protocol_dataset(name: str, w3c: W3CServer) -> None:
    query, params, expected = DATASET_CASES[name]
    response = w3c.client.get(
        "sparql", params={"query": query, **params}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["boolean"] is expected, (
        f"GET /sparql?{response.request.url.query.decode()} answered {response.text}"
    )
