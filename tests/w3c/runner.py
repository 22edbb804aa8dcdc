"""Running one query-evaluation test over HTTP against the served endpoint, and judging its answer."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from w3c.compare import compare_answers, compare_csv, compare_graphs
from w3c.loader import with_base
from w3c.manifest import QueryTest, SuiteFile
from w3c.querytext import has_dataset_clause, top_level_order
from w3c.terms import (
    Answer,
    Solutions,
    Triple,
    parse_csv,
    parse_graph,
    parse_srj,
    parse_srx,
    parse_tsv,
    rdf_format,
    result_set_graph,
)

RESULTS_JSON = "application/sparql-results+json"
RESULTS_TSV = "text/tab-separated-values"
RESULTS_CSV = "text/csv"
N_TRIPLES = "application/n-triples"


@dataclass(frozen=True)
class Outcome:
    name: str
    passed: bool
    reason: str = ""  # why it failed; for a pass that needed canonical literals, what differed strictly
    strict: bool = True  # passed under plain RDF term equality (no literal canonicalisation)


Expected = Answer | list[Triple] | tuple[list[str], list[list[str]]]


def _expected(result: SuiteFile) -> tuple[Expected, str]:
    """The expected answer and the media type to ask the server for."""
    data = result.path.read_bytes()
    suffix = result.path.suffix
    if suffix == ".srx":
        return parse_srx(data), RESULTS_JSON
    if suffix == ".srj":
        return parse_srj(data), RESULTS_JSON
    if suffix == ".tsv":
        return parse_tsv(data), RESULTS_TSV
    if suffix == ".csv":
        return parse_csv(data), RESULTS_CSV
    triples = parse_graph(data, rdf_format(suffix), base_iri=result.iri)
    solutions = result_set_graph(triples)
    return (solutions, RESULTS_JSON) if solutions is not None else (triples, N_TRIPLES)


def _parse_actual(media_type: str, body: bytes) -> Expected:
    if media_type == RESULTS_JSON:
        return parse_srj(body)
    if media_type == RESULTS_TSV:
        return parse_tsv(body)
    if media_type == RESULTS_CSV:
        return parse_csv(body)
    return parse_graph(body, rdf_format(".nt"))


def form_for(test: QueryTest) -> dict[str, str | list[str]]:
    """The form fields: the query with its base, and the test's dataset unless the query names its own."""
    query = with_base(test)
    fields: dict[str, str | list[str]] = {"query": query}
    if not has_dataset_clause(query):
        fields["default-graph-uri"] = [f.iri for f in test.data]
        fields["named-graph-uri"] = [f.iri for f in test.graph_data]
    return fields


def run_query_test(client: httpx.Client, test: QueryTest) -> Outcome:
    if test.kind in ("NegativeSyntaxTest11", "PositiveSyntaxTest11"):
        response = client.post("sparql", data={"query": with_base(test)}, headers={"Accept": "*/*"})
        want = 400 if test.kind == "NegativeSyntaxTest11" else 200
        if response.status_code == want:
            return Outcome(test.name, True)
        return Outcome(test.name, False, f"expected HTTP {want}, got {response.status_code}: {response.text[:300]}")
    if test.result is None:
        return Outcome(test.name, False, "the manifest gives no expected result")
    expected, accept = _expected(test.result)
    response = client.post("sparql", data=form_for(test), headers={"Accept": accept})
    if response.status_code != 200:
        return Outcome(test.name, False, f"HTTP {response.status_code}: {response.text[:300]}")
    media_type = response.headers.get("content-type", "").split(";", 1)[0].strip()
    if media_type != accept and not (accept == RESULTS_JSON and isinstance(expected, bool)):
        return Outcome(test.name, False, f"asked for {accept}, got Content-Type {media_type}")
    try:
        actual = _parse_actual(media_type, response.content)
    except ValueError as error:
        return Outcome(test.name, False, f"the {media_type} answer does not parse: {error}")
    return _judge(test, expected, actual)


def _judge(test: QueryTest, expected: Expected, actual: Expected) -> Outcome:
    if isinstance(expected, tuple):  # CSV: text, no canonicalisation possible
        if not isinstance(actual, tuple):
            return Outcome(test.name, False, "expected CSV")
        difference = compare_csv(expected, actual)
        return Outcome(test.name, difference is None, difference or "")
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return Outcome(test.name, False, "expected a graph, got solutions")
        strict = compare_graphs(expected, actual, canonical_terms=False)
        lenient = strict and compare_graphs(expected, actual, canonical_terms=True)
    else:
        if not isinstance(actual, Solutions | bool):
            return Outcome(test.name, False, "expected solutions, got a graph")
        order = top_level_order(test.query.path.read_text(encoding="utf-8"))
        strict = compare_answers(expected, actual, order, canonical_terms=False)
        lenient = strict and compare_answers(expected, actual, order, canonical_terms=True)
    if strict is None:
        return Outcome(test.name, True)
    if lenient is None:
        return Outcome(test.name, True, f"equal only after literal canonicalisation; strictly: {strict}", strict=False)
    return Outcome(test.name, False, lenient)
