"""The /sparql route: what the handler leaves to the application, which is what people see.

`SparqlHandler` (handler.py) has read, negotiated, checked and run the request before the route; the
route renders its `Deferred`: the query page (with the results, or with a 400's message beside the
query), or the error page for any other refusal. Only an app assembled without `FastSparql` reaches
the route unread; the same handler reads the request then.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from airegister.web.http.errors import problem_response
from airegister.web.sparql.handler import Deferred, SparqlHandler, deferred_of

HtmlRenderer = Callable[[Request, Deferred], Awaitable[Response]]


async def sparql_endpoint(request: Request, handler: SparqlHandler, render_html: HtmlRenderer) -> Response:
    """What the handler left to the application (read here by the same handler if nothing read it before)."""
    outcome = deferred_of(request.scope) or await handler.answer(request.scope, await request.body())
    if not isinstance(outcome, Deferred):
        status, headers, body = outcome
        response = Response(body, status_code=status)
        response.raw_headers = headers
        return response
    problem = outcome.problem
    if problem is not None and problem.status != 400:
        return problem_response(problem, request)
    return await render_html(request, outcome)
