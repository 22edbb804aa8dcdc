"""Reading a SPARQL 1.1 Protocol request (GET, POST form, POST direct) into one shape, or refusing it."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

from airegister.rdf.sparql_text import QueryShape, inspect_query
from airegister.rdf.syntaxes import GRAPH_FORMATS, RESULTS_CSV, RESULTS_JSON, RESULTS_TSV, RESULTS_XML
from airegister.web.http.conneg import negotiate
from airegister.web.http.errors import HttpProblem

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
HTML = "text/html"

# Offers in order of preference, then aliases clients send that mean the same thing.
SOLUTION_OFFERS = (RESULTS_JSON, RESULTS_XML, RESULTS_CSV, RESULTS_TSV, HTML)
GRAPH_OFFERS = (*GRAPH_FORMATS, HTML)
ALIASES = {
    "application/json": RESULTS_JSON,
    "application/xml": RESULTS_XML,
    "text/xml": RESULTS_XML,
}
GRAPH_ALIASES = {
    "application/json": "application/ld+json",
    "application/xml": "application/rdf+xml",
    "text/xml": "application/rdf+xml",
    "text/plain": "application/n-triples",
}
FORMAT_NAMES = {
    "json": RESULTS_JSON, "srj": RESULTS_JSON, "xml": RESULTS_XML, "srx": RESULTS_XML, "csv": RESULTS_CSV,
    "tsv": RESULTS_TSV, "html": HTML, "turtle": "text/turtle", "ttl": "text/turtle", "nt": "application/n-triples",
    "ntriples": "application/n-triples", "jsonld": "application/ld+json", "json-ld": "application/ld+json",
    "rdf": "application/rdf+xml", "rdfxml": "application/rdf+xml", "nq": "application/n-quads",
    "nquads": "application/n-quads", "trig": "application/trig",
}  # fmt: skip


@dataclass(frozen=True)
class ProtocolRequest:
    query: str
    shape: QueryShape
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    format: str | None
    timeout: float | None


def _single(params: list[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in params if k == name]
    if len(values) > 1:
        raise HttpProblem(400, f"the '{name}' parameter was given {len(values)} times; give it once")
    return values[0] if values else None


def parse_params(params: list[tuple[str, str]], body_query: str | None, max_bytes: int) -> ProtocolRequest | None:
    """Build the request from query-string/form parameters (and a direct POST body); None if no query."""
    if any(k == "update" for k, _ in params):
        raise read_only()
    query = _single(params, "query")
    if body_query is not None:
        if query is not None:
            raise HttpProblem(400, "a query was sent both in the body and as the 'query' parameter; send one")
        query = body_query
    if query is None:
        return None
    if len(query.encode("utf-8")) > max_bytes:
        raise HttpProblem(
            413, f"the query is longer than {max_bytes} bytes, the limit of this endpoint", kind="too-large"
        )
    shape = inspect_query(query)
    if shape.looks_like_update:
        raise read_only()
    timeout_text = _single(params, "timeout")
    timeout = None
    if timeout_text is not None:
        try:
            timeout = float(timeout_text)
        except ValueError:
            raise HttpProblem(400, f"timeout must be a number of seconds, not {timeout_text!r}") from None
        if not math.isfinite(timeout) or timeout <= 0:
            raise HttpProblem(400, f"timeout must be a positive number of seconds, not {timeout_text!r}")
    return ProtocolRequest(
        query=query,
        shape=shape,
        default_graphs=tuple(v for k, v in params if k == "default-graph-uri"),
        named_graphs=tuple(v for k, v in params if k == "named-graph-uri"),
        format=_single(params, "format"),
        timeout=timeout,
    )


def read_only() -> HttpProblem:
    return HttpProblem(
        403,
        "this endpoint is read-only: SPARQL Update requests are refused; download the dumps to change data locally",
        kind="read-only",
    )


def parse_post(
    content_type: str, body: bytes, query_string: list[tuple[str, str]], max_bytes: int
) -> ProtocolRequest | None:
    media_type = content_type.split(";", 1)[0].strip().lower()
    if len(body) > max_bytes * 4:
        raise HttpProblem(413, f"the request body is longer than {max_bytes * 4} bytes", kind="too-large")
    if media_type == FORM:
        try:
            form = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except UnicodeDecodeError:
            raise HttpProblem(400, "the form body is not valid UTF-8") from None
        return parse_params(query_string + form, None, max_bytes)
    if media_type == SPARQL_QUERY:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise HttpProblem(400, "the query is not valid UTF-8") from None
        return parse_params(query_string, text, max_bytes)
    if media_type == SPARQL_UPDATE:
        raise read_only()
    raise HttpProblem(
        415,
        f"POST a query as {FORM} (query=...) or as {SPARQL_QUERY}; {media_type or 'no Content-Type'} is not accepted",
        kind="unsupported-media-type",
    )


def choose_format(request: ProtocolRequest, accept: str | None) -> str:
    """The media type of the answer: `format` parameter first, then Accept; raises 406 with the offers."""
    graph = request.shape.returns_graph
    offers = GRAPH_OFFERS if graph else SOLUTION_OFFERS
    aliases = GRAPH_ALIASES if graph else ALIASES
    if request.format:
        wanted = FORMAT_NAMES.get(request.format.lower(), request.format.lower())
        wanted = aliases.get(wanted, wanted)
        if wanted in offers:
            return wanted
        raise not_acceptable(offers, f"format={request.format}")
    chosen = negotiate(accept, [*offers, *aliases])
    if chosen is None:
        raise not_acceptable(offers, f"Accept: {accept}")
    return aliases.get(chosen, chosen)


def not_acceptable(offers: tuple[str, ...], asked: str) -> HttpProblem:
    problem = HttpProblem(
        406, f"cannot answer {asked}; this answer is offered as: {', '.join(offers)}", kind="not-acceptable"
    )
    problem.extra["offered"] = list(offers)
    return problem


_POSITION = re.compile(r"error at (\d+):(\d+)")


def syntax_problem(message: str) -> HttpProblem:
    problem = HttpProblem(400, f"the query is not valid SPARQL 1.1: {message}", kind="syntax-error")
    match = _POSITION.search(message)
    if match:
        problem.extra.update(line=int(match.group(1)), column=int(match.group(2)))
    return problem
