"""Requests to the application in-process, without a server: `serve --get` and tests use it.

Starlette's test client needs an HTTP client package of its own; an ASGI call is a dict and two
callables, so this asks the app directly, with its lifespan (the store's workers) around the requests.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message

Reply = tuple[int, dict[str, str], bytes]


@asynccontextmanager
async def started(app: ASGIApp) -> AsyncIterator[ASGIApp]:
    """The app between its start-up and its shutdown, driven by the ASGI lifespan messages as a server would
    (the build switch runs its build's application's lifespan inside its own)."""
    inbox: asyncio.Queue[Message] = asyncio.Queue()
    replies: asyncio.Queue[Message] = asyncio.Queue()
    scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}, "state": {}}
    running: asyncio.Future[None] = asyncio.ensure_future(app(scope, inbox.get, replies.put))
    await inbox.put({"type": "lifespan.startup"})
    reply = await replies.get()
    if reply["type"] != "lifespan.startup.complete":
        await running
        raise RuntimeError(reply.get("message", "the application did not start"))
    try:
        yield app
    finally:
        await inbox.put({"type": "lifespan.shutdown"})
        await replies.get()
        await running


async def get(app: ASGIApp, target: str, headers: dict[str, str] | None = None) -> Reply:
    """One GET of `target` (path and query string); the status, the headers (lower-cased) and the body."""
    parts = urlsplit(target)
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": parts.path or "/",
        "raw_path": (parts.path or "/").encode(),
        "query_string": parts.query.encode(),
        "root_path": "",
        "headers": [(b"host", b"localhost")]
        + [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in (headers or {}).items()],
        "client": ("127.0.0.1", 0),
        "server": ("localhost", 80),
        "state": {},
    }
    status = 0
    answer: dict[str, str] = {}
    body = bytearray()
    asked = False

    async def receive() -> Message:
        nonlocal asked
        if asked:
            return {"type": "http.disconnect"}
        asked = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
            answer.update((name.decode("latin-1"), value.decode("latin-1")) for name, value in message["headers"])
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    await app(scope, receive, send)
    return status, answer, bytes(body)
