"""Errors as clients see them: one JSON shape for machines, one HTML page for people, never a trace."""

from __future__ import annotations

import html
import json

from starlette.responses import Response

from airegister.web.http.conneg import negotiate


class HttpProblem(Exception):
    """A request we refuse, with the status and a message that says what is wrong and what to do."""

    def __init__(self, status: int, message: str, *, kind: str = "bad-request", headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.kind = kind
        self.headers = headers or {}
        self.extra: dict[str, object] = {}


def problem_response(problem: HttpProblem, accept: str | None, extra_headers: dict[str, str] | None = None) -> Response:
    headers = {**problem.headers, **(extra_headers or {})}
    if negotiate(accept, ["application/json", "text/html", "text/plain"]) == "text/html" and accept:
        kind, message = html.escape(problem.kind), html.escape(problem.message)
        body = (
            f"<!doctype html><html lang=en><meta charset=utf-8><title>Error {problem.status}</title>"
            f"<main><h1>{problem.status}: {kind}</h1><p>{message}</p></main></html>"
        )
        return Response(body, status_code=problem.status, media_type="text/html; charset=utf-8", headers=headers)
    payload = {"error": problem.kind, "status": problem.status, "message": problem.message, **problem.extra}
    return Response(
        json.dumps(payload, ensure_ascii=False),
        status_code=problem.status,
        media_type="application/json",
        headers=headers,
    )
