"""The SPARQL 1.1 Protocol endpoint: GET, POST form and POST direct; read-only; answers negotiated."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from airegister.rdf.syntaxes import GRAPH_FORMATS, RESULTS_JSON, TURTLE
from airegister.store.protocol import QueryFailure, QueryRequest, Store
from airegister.web.context import AppContext
from airegister.web.http.conneg import negotiate
from airegister.web.http.errors import HttpProblem, problem_response
from airegister.web.sparql.protocol import (
    HTML,
    ProtocolRequest,
    choose_format,
    parse_params,
    parse_post,
    syntax_problem,
)
from airegister.web.sparql.service_description import service_description

CORS = {"Access-Control-Allow-Origin": "*", "Vary": "Accept"}
PREFLIGHT = {
    **CORS,
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
    "Access-Control-Max-Age": "86400",
}
HtmlRenderer = Callable[[Request, ProtocolRequest | None, bytes | None, str | None], Awaitable[Response]]


async def sparql_endpoint(request: Request, context: AppContext, render_html: HtmlRenderer | None = None) -> Response:
    accept = request.headers.get("accept")
    try:
        if request.method == "OPTIONS":
            return Response(status_code=204, headers=PREFLIGHT)
        params = list(request.query_params.multi_items())
        if request.method == "POST":
            body = await request.body()
            parsed = parse_post(request.headers.get("content-type", ""), body, params, context.settings.max_query_bytes)
        else:
            parsed = parse_params(params, None, context.settings.max_query_bytes)
        if parsed is None:
            return await _describe_service(request, context, render_html)
        media_type = choose_format(parsed, accept)
        check_services(parsed, context.settings.service_allowlist)
        if media_type == HTML:
            if render_html is None:
                raise HttpProblem(406, "no HTML rendering is available here", kind="not-acceptable")
            raw_type = TURTLE.media_type if parsed.shape.returns_graph else RESULTS_JSON
            answer = await run_query(context.store, parsed, raw_type, context)
            return await render_html(request, parsed, answer, None)
        body_bytes = await run_query(context.store, parsed, media_type, context)
        content_type = media_type + ("; charset=utf-8" if media_type.startswith("text/") else "")
        return Response(body_bytes, media_type=content_type, headers={**CORS, "X-Build": context.store.build_id})
    except HttpProblem as problem:
        if render_html is not None and problem.status == 400 and negotiate(accept, ["application/json", HTML]) == HTML:
            parsed_for_page = None
            return await render_html(request, parsed_for_page, None, problem.message)
        return problem_response(problem, request, CORS)


# A query stopped at its timeout costs a worker process, whose replacement opens the store again (about a
# second on a large register): a shorter timeout would let one client make the server do that at will.
MIN_TIMEOUT = 1.0


async def run_query(store: Store, parsed: ProtocolRequest, media_type: str, context: AppContext) -> bytes:
    limit = context.settings.query_timeout
    timeout = min(max(parsed.timeout, MIN_TIMEOUT), limit) if parsed.timeout else limit
    explicit_dataset = bool(parsed.default_graphs or parsed.named_graphs or parsed.shape.has_dataset_clause)
    request = QueryRequest(
        query=parsed.query,
        media_type=media_type,
        default_graphs=parsed.default_graphs,
        named_graphs=parsed.named_graphs,
        union_default_graph=not explicit_dataset,
        base_iri=context.urls.page("sparql"),  # relative IRIs in a query resolve against the endpoint
        timeout=timeout,
    )
    try:
        answer = await store.query(request)
    except QueryFailure as failure:
        if failure.kind == "syntax":
            raise syntax_problem(failure.message) from None
        if failure.kind == "timeout":
            problem = HttpProblem(
                503,
                f"{failure.message}; simplify the query, add a LIMIT, or download the dumps for heavy analysis",
                kind="timeout",
                headers={"Retry-After": "5"},
            )
            problem.extra["timeout_seconds"] = timeout
            raise problem from None
        raise HttpProblem(500, f"the query could not be evaluated: {failure.message}", kind="query-failed") from None
    return answer.body


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


async def _describe_service(request: Request, context: AppContext, render_html: HtmlRenderer | None) -> Response:
    accept = request.headers.get("accept")
    offers = [*GRAPH_FORMATS, HTML] if render_html is not None else list(GRAPH_FORMATS)
    chosen = negotiate(accept, offers if accept and "text/html" in accept else [TURTLE.media_type, *offers])
    if chosen is None:
        raise HttpProblem(406, f"the service description is offered as: {', '.join(offers)}", kind="not-acceptable")
    if chosen == HTML and render_html is not None:
        return await render_html(request, None, None, None)
    graph = service_description(
        endpoint=context.urls.page("sparql"),
        dataset=context.settings.base.dataset("all"),
        void_url=context.urls.page(".well-known/void"),
        named_graphs=await context.named_graphs(),
        timeout=context.settings.query_timeout,
        max_query_bytes=context.settings.max_query_bytes,
    )
    fmt = {"application/ld+json": "json-ld", "application/rdf+xml": "pretty-xml", "application/n-triples": "nt",
           "text/turtle": "turtle", "application/n-quads": "nquads", "application/trig": "trig"}[chosen]  # fmt: skip
    body = graph.serialize(format=fmt, encoding="utf-8")
    return Response(body, media_type=chosen, headers=CORS)
