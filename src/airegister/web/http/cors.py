"""CORS, one rule for every route: anyone may read anything this server answers, errors included.

The register is public and read-only, and no answer depends on credentials (the language cookie only
picks the language of a page), so every response allows any origin and exposes the headers a Linked
Data client reads. A preflight (OPTIONS) on any path is answered here, before routing.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADERS: dict[str, str] = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Link, ETag, Last-Modified, Location, Retry-After, X-Build",
}
PREFLIGHT: dict[str, str] = {
    **HEADERS,
    "Access-Control-Allow-Methods": "GET, HEAD, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, Content-Type, If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}
RAW_HEADERS: list[tuple[bytes, bytes]] = [(k.lower().encode(), v.encode()) for k, v in HEADERS.items()]
_NAMES = {name for name, _ in RAW_HEADERS}


def with_cors(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Raw response headers with the CORS ones added (for answers written below the framework)."""
    return [*headers, *RAW_HEADERS]


class Cors:
    """ASGI middleware applying the rule to every HTTP response, and answering preflights."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS":
            headers = [(k.lower().encode(), v.encode()) for k, v in PREFLIGHT.items()]
            await send({"type": "http.response.start", "status": 204, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _NAMES]
                message = {**message, "headers": with_cors(kept)}
            await send(message)

        await self.app(scope, receive, send_with_cors)
