"""The hot path: `GET /sparql?query=...` from a machine, answered below the web framework.

Lookups from notebooks and federated engines are most of the endpoint's traffic, and the framework's
routing and request objects cost more than the query itself. This ASGI layer answers such requests with
the same parsing, negotiation, checks and store as the full endpoint (`sparql.py`); anything else (POST,
a browser wanting HTML, a bare GET for the service description) goes on to the application.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Receive, Scope, Send

from airegister.web.context import AppContext
from airegister.web.errors import HttpProblem, problem_response
from airegister.web.sparql import CORS, check_services, run_query
from airegister.web.sparql_request import HTML, choose_format, parse_params


class FastSparql:
    def __init__(self, app: ASGIApp, context: AppContext) -> None:
        self.app = app
        self.context = context

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] != "/sparql":
            await self.app(scope, receive, send)
            return
        accept = None
        for name, value in scope["headers"]:
            if name == b"accept":
                accept = value.decode("latin-1")
        settings = self.context.settings
        try:
            params = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
            parsed = parse_params(params, None, settings.max_query_bytes)
            if parsed is None or choose_format(parsed, accept) == HTML:
                await self.app(scope, receive, send)  # the service description or the page for people
                return
            media_type = choose_format(parsed, accept)
            check_services(parsed, settings.service_allowlist)
            body = await run_query(self.context.store, parsed, media_type, self.context)
        except HttpProblem as problem:
            if problem.status == 400 and accept and "text/html" in accept:
                await self.app(scope, receive, send)  # the page shows the error next to the query
                return
            await problem_response(problem, accept, CORS)(scope, receive, send)
            return
        content_type = media_type + ("; charset=utf-8" if media_type.startswith("text/") else "")
        headers = [
            (b"content-type", content_type.encode("latin-1")),
            (b"content-length", str(len(body)).encode("latin-1")),
            (b"access-control-allow-origin", b"*"),
            (b"vary", b"Accept"),
            (b"x-build", self.context.store.build_id.encode("latin-1")),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
