"""The hot path: `GET /sparql?query=...` from a machine, answered below the web framework.

Lookups from notebooks and federated engines are most of the endpoint's traffic, and the framework's
routing and request objects cost more than the query itself. `SparqlFastPath` answers such requests with
the same parsing, negotiation, checks and store as the full endpoint (`sparql.py`); anything else (POST,
a browser wanting HTML, a bare GET for the service description) goes on to the application. The server's
HTTP protocol (`http_protocol.py`) calls it before any ASGI machinery; `FastSparql` is the same thing as
ASGI middleware, for every other way of running the app (tests, `serve --get`).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from airegister.web.context import AppContext
from airegister.web.http.errors import HttpProblem, json_problem, wants_html
from airegister.web.sparql.endpoint import CORS, check_services, run_query
from airegister.web.sparql.protocol import HTML, choose_format, parse_params

Headers = list[tuple[bytes, bytes]]
Answer = tuple[int, Headers, bytes]


class SparqlFastPath:
    def __init__(self, context: AppContext) -> None:
        self.context = context
        prefix = urlsplit(context.settings.public_url).path.rstrip("/")
        self.paths = {"/sparql", prefix + "/sparql"}  # a proxy may keep the public URL's prefix or strip it

    def handles(self, scope: Scope) -> bool:
        return scope["type"] == "http" and scope["method"] == "GET" and scope["path"] in self.paths

    async def answer(self, scope: Scope) -> Answer | None:
        """The whole response, or None when the application answers (the page, the service description)."""
        accept = None
        for name, value in scope["headers"]:
            if name == b"accept":
                accept = value.decode("latin-1")
        settings = self.context.settings
        try:
            params = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
            parsed = parse_params(params, None, settings.max_query_bytes)
            if parsed is None:
                return None  # the service description
            media_type = choose_format(parsed, accept)
            if media_type == HTML:
                return None
            check_services(parsed, settings.service_allowlist)
            body = await run_query(self.context.store, parsed, media_type, self.context)
        except HttpProblem as problem:
            if wants_html(accept):
                return None  # the application answers people: the query page, or the error page
            response = json_problem(problem, CORS)
            return response.status_code, response.raw_headers, bytes(response.body)
        content_type = media_type + ("; charset=utf-8" if media_type.startswith("text/") else "")
        headers = [
            (b"content-type", content_type.encode("latin-1")),
            (b"content-length", str(len(body)).encode("latin-1")),
            (b"access-control-allow-origin", b"*"),
            (b"vary", b"Accept"),
            (b"x-build", self.context.store.build_id.encode("latin-1")),
        ]
        return 200, headers, body


class FastSparql:
    """`SparqlFastPath` as ASGI middleware, inside `PathPrefix`."""

    def __init__(self, app: ASGIApp, context: AppContext) -> None:
        self.app = app
        self.fast = SparqlFastPath(context)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        answer = await self.fast.answer(scope) if self.fast.handles(scope) else None
        if answer is None:
            await self.app(scope, receive, send)
            return
        status, headers, body = answer
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
