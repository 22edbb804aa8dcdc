"""The /sparql route: what the handler leaves to the application, which is what people see.

`SparqlHandler` (handler.py) has read, negotiated, checked and run the request before the route; the
route renders its `Deferred`: the query page (with the results, or with a 400's message beside the
query), or the error page for any other refusal. An app without `FastSparql` in front still works:
the route then asks the handler itself.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from airegister.web.context import AppContext
from airegister.web.http.errors import HttpProblem, problem_response
from airegister.web.sparql.handler import Deferred, SparqlHandler, deferred_of

HtmlRenderer = Callable[[Request, Deferred], Awaitable[Response]]


async def sparql_endpoint(request: Request, context: AppContext, render_html: HtmlRenderer | None = None) -> Response:
    outcome = deferred_of(request.scope) or await SparqlHandler(context).answer(request.scope, await request.body())
    if not isinstance(outcome, Deferred):
        status, headers, body = outcome
        response = Response(body, status_code=status)
        response.raw_headers = headers
        return response
    problem = outcome.problem
    if problem is not None and (problem.status != 400 or render_html is None):
        return problem_response(problem, request)
    if render_html is None:
        return problem_response(HttpProblem(406, "no HTML rendering is available here", kind="not-acceptable"), request)
    return await render_html(request, outcome)
