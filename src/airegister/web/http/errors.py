"""Errors as clients see them: one JSON problem shape for machines, one translated page for people.

Every refusal is an `HttpProblem` raised where the mistake is found; `problem_response` turns it into
the answer. A client that prefers HTML gets the site's error page (the base template, in the reader's
language) when the application has registered one; everyone else gets
`{"error": kind, "status": n, "message": ...}` plus any fields the problem adds. No trace, no path.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping

from starlette.requests import Request
from starlette.responses import Response

from airegister.rdf.syntaxes import HTML_MEDIA_TYPE
from airegister.web.http.conneg import negotiate

ErrorPage = Callable[[Request, "HttpProblem", dict[str, str]], Response]


class HttpProblem(Exception):
    """A request we refuse, with the status and a message that says what is wrong and what to do."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        kind: str = "bad-request",
        headers: dict[str, str] | None = None,
        search: str = "",
    ):
        super().__init__(message)
        self.status = status
        self.message = message
        self.kind = kind
        self.headers = headers or {}
        self.extra: dict[str, object] = {}  # more fields of the JSON shape
        self.search = search  # words the error page offers to search the projects for (not in the JSON)


def wants_html(accept: str | None) -> bool:
    """A person's browser: HTML preferred over JSON, and said so (no Accept header means a machine)."""
    return bool(accept) and negotiate(accept, ["application/json", HTML_MEDIA_TYPE, "text/plain"]) == HTML_MEDIA_TYPE


def problem_response(
    problem: HttpProblem, request: Request, extra_headers: Mapping[str, str] | None = None
) -> Response:
    headers = {**problem.headers, **(extra_headers or {})}
    if wants_html(request.headers.get("accept")):
        page: ErrorPage | None = getattr(request.app.state, "error_page", None) if "app" in request.scope else None
        if page is not None:
            return page(request, problem, headers)
    return json_problem(problem, headers)


def json_problem(problem: HttpProblem, headers: Mapping[str, str] | None = None) -> Response:
    payload = {"error": problem.kind, "status": problem.status, "message": problem.message, **problem.extra}
    return Response(
        json.dumps(payload, ensure_ascii=False),
        status_code=problem.status,
        media_type="application/json",
        headers=dict(headers or {}),
    )
