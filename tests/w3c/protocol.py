"""Running a SPARQL 1.1 Protocol test (HTTP-in-RDF) against the endpoint, which is read-only.

Query requests are judged as the manifest says: status class, result format, boolean. This endpoint
refuses SPARQL Update, as documented: a request it can tell is an update (an `update` parameter, or a
body of type application/sparql-update) must get HTTP 403 with the JSON error "read-only". Requests the
server cannot tell from a malformed query (no Content-Type, text/plain) must get the suite's 4xx. In an
update test, the follow-up query that checks the update's effect must then find that nothing changed:
it must answer the opposite of the boolean the manifest expects after a successful update.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

import httpx
import pyoxigraph

from w3c.manifest import HttpRequest, ProtocolTest
from w3c.terms import parse_csv, parse_srj, parse_srx, parse_tsv

ENDPOINT = "/sparql"  # the manifest's /sparql/ prefix is replaced by this endpoint's path
BOOLEAN_TYPES = {"application/sparql-results+json": parse_srj, "application/sparql-results+xml": parse_srx}
TABULAR_TYPES = {**BOOLEAN_TYPES, "text/csv": parse_csv, "text/tab-separated-values": parse_tsv}
RDF_TYPES = {
    "application/rdf+xml": pyoxigraph.RdfFormat.RDF_XML,
    "text/turtle": pyoxigraph.RdfFormat.TURTLE,
    "application/n-triples": pyoxigraph.RdfFormat.N_TRIPLES,
}


def _header(request: HttpRequest, name: str) -> str:
    return next((value for key, value in request.headers if key == name), "")


def is_update(request: HttpRequest) -> bool:
    """What the server can recognise as SPARQL Update: an `update` parameter or an update body."""
    media_type = _header(request, "content-type").split(";", 1)[0].strip().lower()
    if media_type == "application/sparql-update":
        return True
    fields = parse_qsl(urlsplit(request.path).query, keep_blank_values=True)
    if media_type == "application/x-www-form-urlencoded" and request.body is not None:
        fields += parse_qsl(request.body.decode("utf-8"), keep_blank_values=True)
    return any(name == "update" for name, _ in fields)


def send(client: httpx.Client, request: HttpRequest) -> httpx.Response:
    if not request.path.startswith("/sparql/"):
        raise ValueError(f"unexpected path {request.path}")
    path = ENDPOINT + request.path[len("/sparql/") :]
    return client.request(request.method, path.lstrip("/"), content=request.body, headers=dict(request.headers))


def _show(request: HttpRequest, response: httpx.Response) -> str:
    body = (request.body or b"")[:120]
    sent = f"{request.method} {request.path} {dict(request.headers)} {body!r}"
    return f"{sent} -> {response.status_code} {response.text[:200]!r}"


def _judge_query(request: HttpRequest, response: httpx.Response, expect_boolean: bool | None) -> str | None:
    status = f"{response.status_code // 100}xx"
    if status not in request.expected_status:
        return f"expected status {' or '.join(request.expected_status)}"
    media_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    answer: object = None
    if request.expected_format == "boolean" or expect_boolean is not None:
        if media_type not in BOOLEAN_TYPES:
            return f"expected SPARQL XML or JSON results for a boolean, got Content-Type {media_type!r}"
        answer = BOOLEAN_TYPES[media_type](response.content)
        if not isinstance(answer, bool):
            return "expected a boolean result"
    elif request.expected_format == "tabular":
        if media_type not in TABULAR_TYPES:
            return f"expected SPARQL results (XML, JSON, CSV, TSV), got Content-Type {media_type!r}"
        TABULAR_TYPES[media_type](response.content)
    elif request.expected_format == "RDF":
        if media_type not in RDF_TYPES:
            return f"expected RDF/XML, Turtle or N-Triples, got Content-Type {media_type!r}"
        list(pyoxigraph.parse(response.content, format=RDF_TYPES[media_type]))
    if expect_boolean is not None and answer is not expect_boolean:
        return f"expected the boolean {str(expect_boolean).lower()}"
    return None


def _judge_refusal(response: httpx.Response) -> str | None:
    if response.status_code != 403:
        return "expected the read-only refusal, HTTP 403"
    try:
        error = json.loads(response.content).get("error")
    except ValueError:
        error = None
    return None if error == "read-only" else 'expected a JSON body whose "error" is "read-only"'


def run_protocol_test(client: httpx.Client, test: ProtocolTest) -> list[str]:
    """Every problem found, one line each (request, expected, got); empty when the test passes."""
    problems = []
    refused = False
    for request in test.requests:
        response = send(client, request)
        if is_update(request):
            problem = _judge_refusal(response)
            refused = True
        elif refused:  # the check after an update: since the update was refused, nothing may have changed
            expected = None if request.expected_boolean is None else not request.expected_boolean
            problem = _judge_query(request, response, expected)
        else:
            problem = _judge_query(request, response, request.expected_boolean)
        if problem:
            problems.append(f"{problem}: {_show(request, response)}")
    return problems
