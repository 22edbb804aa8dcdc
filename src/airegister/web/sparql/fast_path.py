"""The SPARQL handler as ASGI middleware: machines are answered before the framework's routing.

Lookups from notebooks and federated engines are most of the endpoint's traffic, and the framework's
routing and request objects cost more than the query itself. `FastSparql` reads a POST body once (no
further than the largest body accepted), hands the request to `SparqlHandler` and sends a machine's
answer itself; a request for a person goes on to the route with the handler's `Deferred` in its scope.
Under `airegister serve` a `GET /sparql` usually gets here already handled by the server's HTTP
protocol (web/server/uvicorn_protocol.py), and passes straight through.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from airegister.web.sparql.handler import Answer, Deferred, SparqlHandler, defer, deferred_of


class FastSparql:
    """`SparqlHandler` in front of the application, inside `PathPrefix` (it sees paths without the prefix)."""

    def __init__(self, app: ASGIApp, handler: SparqlHandler) -> None:
        self.app = app
        self.handler = handler

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.handler.handles(scope) or deferred_of(scope) is not None:
            await self.app(scope, receive, send)
            return
        body = await read_body(receive, self.handler.max_body) if scope["method"] == "POST" else b""
        outcome = await self.handler.answer(scope, body)
        if isinstance(outcome, Deferred):
            defer(scope, outcome)
            await self.app(scope, _replay(body, receive), send)
            return
        await send_answer(send, outcome)


async def read_body(receive: Receive, limit: int) -> bytes:
    """The request body, read no further than one byte past `limit` (enough to refuse it)."""
    body = bytearray()
    more = True
    while more and len(body) <= limit:
        message = await receive()
        if message["type"] != "http.request":
            break  # the client went away
        body += message.get("body", b"")
        more = message.get("more_body", False)
    return bytes(body)


def _replay(body: bytes, receive: Receive) -> Receive:
    """`receive` for the application: the body already read, then whatever comes next."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return replay


async def send_answer(send: Send, answer: Answer) -> None:
    status, headers, body = answer
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
