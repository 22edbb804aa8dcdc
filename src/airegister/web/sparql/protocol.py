"""Reading a SPARQL 1.1 Protocol request (GET, POST form, POST direct) into one shape, or refusing it.

Reading is split in two so that a refused request can still be shown to the person who sent it:
`read_submission` keeps the parameters as sent and never raises; `parse_request` turns them into a
`ProtocolRequest` or raises the `HttpProblem` that says what is wrong.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from airegister.rdf.sparql_text import QueryShape, inspect_query, safe_iri
from airegister.rdf.syntaxes import (
    GRAPH_ALIASES,
    HTML_MEDIA_TYPE,
    RESULTS_FORMATS,
    SYNTAXES,
    results_format_named,
    syntax_named,
)
from airegister.web.http.conneg import negotiate
from airegister.web.http.errors import HttpProblem

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
HTML = HTML_MEDIA_TYPE

# Offers in order of preference (the syntax table's order), then the media types clients send for them.
SOLUTION_OFFERS = (*(f.media_type for f in RESULTS_FORMATS), HTML)
GRAPH_OFFERS = (*(s.media_type for s in SYNTAXES), HTML)
SOLUTION_ALIASES = {alias: f.media_type for f in RESULTS_FORMATS for alias in f.aliases}
# The query engine's parser recurses once per level of brackets: thousands of levels overflow its stack and
# stop the worker. No query written by a person or a tool comes near this.
MAX_NESTING = 128


@dataclass(frozen=True)
class ProtocolRequest:
    query: str
    shape: QueryShape
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    format: str | None
    timeout: float | None


@dataclass(slots=True)  # not frozen: made once a request, on the lookups' hot path
class Submitted:
    """A request's parameters as sent (query string, then form fields) and a direct POST's query text."""

    params: list[tuple[str, str]] = field(default_factory=list)
    body_query: str | None = None
    problem: HttpProblem | None = None  # what is wrong with the body, found while reading it

    def as_sent(self) -> list[tuple[str, str]]:
        """Every parameter, the direct query as `query`: what a form shows back."""
        return self.params if self.body_query is None else [*self.params, ("query", self.body_query)]

    def first(self, name: str) -> str | None:
        return next((value for key, value in self.as_sent() if key == name), None)


def max_body(max_query_bytes: int) -> int:
    """The longest request body read: a form encodes a query's bytes in up to three (`%XX`), plus the rest."""
    return max_query_bytes * 4


def read_submission(method: str, content_type: str, query_string: bytes, body: bytes, max_bytes: int) -> Submitted:
    """The request's parameters; a body that cannot be a query is kept as the submission's problem."""
    params = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    if method != "POST":
        return Submitted(params)
    media_type = content_type.split(";", 1)[0].strip().lower()
    if len(body) > max_body(max_bytes):
        return Submitted(params, problem=too_large(f"the request body is longer than {max_body(max_bytes)} bytes"))
    try:
        text = body.decode("utf-8")
        problem = None
    except UnicodeDecodeError:
        text = body.decode("utf-8", "replace")
        what = "form body" if media_type == FORM else "query"
        problem = HttpProblem(400, f"the {what} is not valid UTF-8")
    if media_type == FORM:
        return Submitted(params + parse_qsl(text, keep_blank_values=True), problem=problem)
    if media_type == SPARQL_QUERY:
        return Submitted(params, text, problem)
    if media_type == SPARQL_UPDATE:
        return Submitted(params, problem=read_only())
    return Submitted(
        params,
        problem=HttpProblem(
            415,
            f"POST a query as {FORM} (query=...) or as {SPARQL_QUERY}; "
            f"{media_type or 'no Content-Type'} is not accepted",
            kind="unsupported-media-type",
        ),
    )


def parse_request(submitted: Submitted, max_bytes: int) -> ProtocolRequest | None:
    """The request, or None when it has no query (the service description); raises what is refused."""
    if submitted.problem is not None:
        raise submitted.problem
    return parse_params(submitted.params, submitted.body_query, max_bytes)


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
        raise too_large(f"the query is longer than {max_bytes} bytes, the limit of this endpoint")
    shape = inspect_query(query)
    if shape.looks_like_update:
        raise read_only()
    if shape.depth > MAX_NESTING:
        raise HttpProblem(
            400,
            f"the query nests brackets {shape.depth} levels deep; this endpoint accepts at most {MAX_NESTING}",
            kind="too-deep",
        )
    timeout_text = _single(params, "timeout")
    timeout = None
    if timeout_text is not None:
        try:
            timeout = float(timeout_text)
        except ValueError:
            raise HttpProblem(400, f"timeout must be a number of seconds, not {_shown(timeout_text)}") from None
        if not math.isfinite(timeout) or timeout <= 0:
            raise HttpProblem(400, f"timeout must be a positive number of seconds, not {_shown(timeout_text)}")
    return ProtocolRequest(
        query=query,
        shape=shape,
        default_graphs=graph_iris(params, "default-graph-uri"),
        named_graphs=graph_iris(params, "named-graph-uri"),
        format=_single(params, "format"),
        timeout=timeout,
    )


def graph_iris(params: list[tuple[str, str]], name: str) -> tuple[str, ...]:
    """The IRIs of a dataset parameter; raises 400 for a value that is not an absolute IRI (RFC 3987)."""
    iris = tuple(value for key, value in params if key == name)
    for iri in iris:
        if not safe_iri(iri):  # what it accepts here, the engine accepts later
            raise HttpProblem(
                400,
                f"{name} must be an absolute IRI such as https://example.org/graph (a scheme, then no space, quote, "
                f"angle bracket or backslash unless percent-encoded), not {_shown(iri)}",
            )
    return iris


def _shown(value: str, limit: int = 200) -> str:
    return repr(value if len(value) <= limit else value[:limit] + "...")


def read_only() -> HttpProblem:
    return HttpProblem(
        403,
        "this endpoint is read-only: SPARQL Update requests are refused; download the dumps to change data locally",
        kind="read-only",
    )


def too_large(message: str) -> HttpProblem:
    return HttpProblem(413, message, kind="too-large")


def choose_format(request: ProtocolRequest, accept: str | None) -> str:
    """The media type of the answer: `format` parameter first, then Accept; raises 406 with the offers."""
    graph = request.shape.returns_graph
    offers = GRAPH_OFFERS if graph else SOLUTION_OFFERS
    aliases = GRAPH_ALIASES if graph else SOLUTION_ALIASES
    if request.format:
        wanted = _named(request.format, graph)
        if wanted is None:
            raise not_acceptable(offers, f"format={request.format}")
        return wanted
    chosen = negotiate(accept, [*offers, *aliases])
    if chosen is None:
        raise not_acceptable(offers, f"Accept: {accept}")
    return aliases.get(chosen, chosen)


def _named(name: str, graph: bool) -> str | None:
    """The media type a `format=` value names for this kind of answer: a name, a media type or an alias."""
    name = name.strip().lower()
    if name in ("html", HTML):
        return HTML
    if graph:
        syntax = syntax_named(name)
        return syntax.media_type if syntax is not None else GRAPH_ALIASES.get(name)
    results = results_format_named(name)
    return results.media_type if results is not None else SOLUTION_ALIASES.get(name)


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
