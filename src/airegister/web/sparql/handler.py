"""The SPARQL endpoint's one handler: every request to /sparql is read, negotiated and checked here, once.

The order is fixed: read the parameters; refuse what the protocol refuses (updates, size, encoding,
media type); no query means the service description; choose the answer's format (`format=` first,
then Accept); refuse SERVICE calls that are not allowed; run the query. Machines get the whole answer
as (status, raw headers, body). People are the application's to answer (the HTML query page, the
page of the service description, an error page or the form with the error beside the query): for
them the handler returns `Deferred`, which carries the request as read and, for the page, the query's
answer, so the application never reads the body or parses the query again.

Three entrances call `SparqlHandler.answer`: the server's HTTP protocol for `GET /sparql` (below the
framework: see web/server/uvicorn_protocol.py), the ASGI middleware `FastSparql` for every other way
of running the app, and the route when neither ran before it. A `Deferred` travels in the request's
scope (`scope["state"]`), where the route finds it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from airegister.rdf.syntaxes import BY_MEDIA_TYPE, RESULTS_JSON, SYNTAXES, TURTLE, content_type
from airegister.store.protocol import QueryFailure, QueryRequest
from airegister.web.context import AppContext
from airegister.web.http.conneg import negotiate
from airegister.web.http.cors import with_cors
from airegister.web.http.errors import HttpProblem, json_problem, wants_html
from airegister.web.sparql.protocol import (
    HTML,
    ProtocolRequest,
    Submitted,
    choose_format,
    max_body,
    parse_request,
    read_submission,
    syntax_problem,
)
from airegister.web.sparql.service_description import service_description

log = logging.getLogger(__name__)
Headers = list[tuple[bytes, bytes]]
Answer = tuple[int, Headers, bytes]
STATE_KEY = "sparql"  # where a Deferred waits in scope["state"]
DESCRIPTION_OFFERS = (*(s.media_type for s in SYNTAXES), HTML)
# A query stopped at its timeout costs a worker process, whose replacement opens the store again (slow on
# a large register): a shorter timeout would let one client make the server do that at will.
MIN_TIMEOUT = 1.0


@dataclass(frozen=True)
class Deferred:
    """A request the application answers for a person, as the handler read it."""

    submitted: Submitted
    parsed: ProtocolRequest | None = None  # None: no query, or one refused before it could be read
    answer: bytes | None = None  # the query's answer for the page: SPARQL JSON, or Turtle for a graph
    elapsed: float | None = None  # seconds the query took
    problem: HttpProblem | None = None  # a refusal, for the page (400: beside the query) or the error page


def defer(scope: MutableMapping[str, Any], deferred: Deferred) -> None:
    scope.setdefault("state", {})[STATE_KEY] = deferred


def deferred_of(scope: MutableMapping[str, Any]) -> Deferred | None:
    found = scope.get("state", {}).get(STATE_KEY)
    return found if isinstance(found, Deferred) else None


class SparqlHandler:
    """The protocol for one app; holds the service description, written once per format (a build never changes)."""

    def __init__(self, context: AppContext) -> None:
        self.context = context
        # A proxy may keep the public URL's prefix or strip it.
        self.paths = {"/sparql", context.urls.prefix + "/sparql"}
        self.max_body = max_body(context.settings.max_query_bytes)
        self._descriptions: dict[str, bytes] = {}
        self._fixed_headers: dict[str, Headers] = {}  # per media type: every header but the length

    def handles(self, scope: MutableMapping[str, Any]) -> bool:
        return scope["type"] == "http" and scope["method"] in ("GET", "POST") and scope["path"] in self.paths

    async def answer(self, scope: MutableMapping[str, Any], body: bytes = b"") -> Answer | Deferred:
        """The whole answer for a machine, or what the application needs to answer a person."""
        accept, sent_type = _accept_and_content_type(scope["headers"])
        max_bytes = self.context.settings.max_query_bytes
        submitted = read_submission(scope["method"], sent_type, scope["query_string"], body, max_bytes)
        parsed = None
        try:
            parsed = parse_request(submitted, max_bytes)
            if parsed is None:
                return await self._description(accept, submitted)
            media_type = choose_format(parsed, accept)
            check_services(parsed, self.context.settings.service_allowlist)
            if media_type == HTML:
                raw_type = TURTLE.media_type if parsed.shape.returns_graph else RESULTS_JSON
                started = time.perf_counter()
                answer = await self.run(parsed, raw_type)
                return Deferred(submitted, parsed, answer, time.perf_counter() - started)
            result = await self.run(parsed, media_type)
        except HttpProblem as problem:
            if wants_html(accept):
                return Deferred(submitted, parsed, problem=problem)
            response = json_problem(problem, {**problem.headers, "Vary": "Accept"})
            return response.status_code, with_cors(response.raw_headers), bytes(response.body)
        return 200, self._headers(media_type, result), result

    async def run(self, parsed: ProtocolRequest, media_type: str) -> bytes:
        """The query's answer in `media_type`; the store's refusals as the problems clients see."""
        limit = self.context.settings.query_timeout
        timeout = min(max(parsed.timeout, MIN_TIMEOUT), limit) if parsed.timeout else limit
        explicit_dataset = bool(parsed.default_graphs or parsed.named_graphs or parsed.shape.has_dataset_clause)
        request = QueryRequest(
            query=parsed.query,
            media_type=media_type,
            default_graphs=parsed.default_graphs,
            named_graphs=parsed.named_graphs,
            union_default_graph=not explicit_dataset,
            base_iri=self.context.public.page("sparql"),  # relative IRIs in a query resolve against the endpoint
            timeout=timeout,
            federated=bool(parsed.shape.services),  # all allowed (check_services): run where the network is
        )
        try:
            answer = await self.context.store.query(request)
        except QueryFailure as failure:
            raise _problem_of(failure, timeout) from None
        return answer.body

    async def _description(self, accept: str | None, submitted: Submitted) -> Answer | Deferred:
        chosen = negotiate(accept, DESCRIPTION_OFFERS)
        if chosen is None:
            offered = ", ".join(DESCRIPTION_OFFERS)
            raise HttpProblem(406, f"the service description is offered as: {offered}", kind="not-acceptable")
        if chosen == HTML:
            return Deferred(submitted)
        body = self._descriptions.get(chosen)
        if body is None:
            context = self.context
            graph = service_description(
                endpoint=context.public.page("sparql"),
                dataset=context.settings.base.dataset("all"),
                void_url=context.public.page(".well-known/void"),
                named_graphs=await context.named_graphs(),
                timeout=context.settings.query_timeout,
                max_query_bytes=context.settings.max_query_bytes,
            )
            body = self._descriptions[chosen] = graph.serialize(
                format=BY_MEDIA_TYPE[chosen].rdflib_format, encoding="utf-8"
            )
        return 200, self._headers(chosen, body), body

    def _headers(self, media_type: str, body: bytes) -> Headers:
        fixed = self._fixed_headers.get(media_type)
        if fixed is None:
            fixed = self._fixed_headers[media_type] = with_cors(
                [
                    (b"content-type", content_type(media_type).encode("latin-1")),
                    (b"vary", b"Accept"),
                ]
            )
        return [*fixed, (b"content-length", b"%d" % len(body))]


def check_services(parsed: ProtocolRequest, allowlist: tuple[str, ...]) -> None:
    for service in parsed.shape.services:
        endpoint = service[1:-1] if service.startswith("<") else service
        if endpoint not in allowlist:
            raise HttpProblem(
                403,
                f"SERVICE {service} is refused: federated queries may only call the endpoints this server allows "
                f"({', '.join(allowlist) or 'none are configured'})",
                kind="service-refused",
            )


def _problem_of(failure: QueryFailure, timeout: float) -> HttpProblem:
    """The store's failure as the client sees it: its own mistake with the store's message; a fault of ours in
    our words alone, the store's going to the log (they may hold paths and the engine's errors)."""
    if failure.kind == "syntax":
        return syntax_problem(failure.message)
    if failure.kind == "refused":
        return HttpProblem(400, f"the query could not be evaluated: {failure.message}", kind="query-refused")
    if failure.kind == "upstream":
        return HttpProblem(502, f"the query could not be evaluated: {failure.message}", kind="service-failed")
    if failure.kind == "timeout":
        problem = HttpProblem(
            503,
            f"{failure.message}; simplify the query, add a LIMIT, or download the dumps for heavy analysis",
            kind="timeout",
            headers={"Retry-After": "5"},
        )
        problem.extra["timeout_seconds"] = timeout
        return problem
    log.error("query %s: %s", failure.kind, failure.message)
    if failure.kind == "unavailable":
        message = "the query service is not available at the moment; retry shortly"
        return HttpProblem(503, message, kind="unavailable", headers={"Retry-After": "5"})
    message = "the query could not be evaluated because of a fault on this server; it has been logged, please retry"
    return HttpProblem(500, message, kind="query-failed")


def _accept_and_content_type(headers: list[tuple[bytes, bytes]]) -> tuple[str | None, str]:
    """The first Accept and Content-Type headers, as a framework's request object reads them."""
    accept = sent_type = None
    for name, value in headers:
        if name == b"accept" and accept is None:
            accept = value.decode("latin-1")
        elif name == b"content-type" and sent_type is None:
            sent_type = value.decode("latin-1")
    return accept, sent_type or ""
