"""uvicorn's HTTP protocol, sending each response in one write, with SPARQL lookups answered first.

uvicorn writes a response's status line and headers, then its body, each as soon as the app hands it
over; with TCP_NODELAY each write leaves as a segment of its own and wakes the client twice. Here the
writes made in one turn of the event loop are joined and sent at the end of that turn (or at once past
64 KiB, so a long stream never piles up in memory).

A `GET /sparql` goes to the current build's `SparqlHandler` before any ASGI machinery (scope copies,
middleware, message dicts), which is most of the server's CPU per uncached lookup beyond the query
itself. uvicorn still parses the request, keeps the connection alive and orders pipelined requests; a
request the handler leaves to the application goes on to it with the handler's reading and the build
it was read with in its scope (switching.py pins each request to one build).

uvicorn has no public hook for this: the shortcut overrides `HttpToolsProtocol._start_asgi_task` and
writes through `RequestResponseCycle`'s fields, which is why uvicorn is pinned to one version and
tests/test_uvicorn_interface.py fails when that interface changes.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, cast

from starlette.types import Scope
from uvicorn._types import ASGI3Application
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol, RequestResponseCycle

from airegister.web.http.cors import with_cors
from airegister.web.server.switching import BuildSwitch, Served
from airegister.web.sparql.handler import Deferred, defer

log = logging.getLogger(__name__)

FLUSH_AT = 64 * 1024


class _JoinedWrites:
    """Stands in for the connection's transport: buffers `write`, passes everything else through."""

    def __init__(self, transport: asyncio.Transport) -> None:
        self._transport = transport
        self._loop = asyncio.get_running_loop()
        self._parts: list[bytes] = []
        self._size = 0

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self._parts:
            self._loop.call_soon(self.flush)
        self._parts.append(bytes(data))
        self._size += len(data)
        if self._size >= FLUSH_AT:
            self.flush()

    def flush(self) -> None:
        if not self._parts:
            return
        data = b"".join(self._parts)
        self._parts.clear()
        self._size = 0
        if not self._transport.is_closing():
            self._transport.write(data)

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class JoinedWritesProtocol(HttpToolsProtocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(cast(asyncio.Transport, _JoinedWrites(transport)))
        self.switch = _switch_of(self.app)

    def _start_asgi_task(self, cycle: RequestResponseCycle, app: ASGI3Application) -> None:
        served = self.switch.current if self.switch is not None else None
        if served is None or cycle.scope["method"] != "GET" or not served.handler.handles(cast(Scope, cycle.scope)):
            super()._start_asgi_task(cycle, app)
            return
        served.hold()  # now, not when the task starts: a reload meanwhile must not close this build
        task = self.loop.create_task(self._answer_fast(cycle, app, served))
        task.add_done_callback(self.tasks.discard)
        self.tasks.add(task)

    async def _answer_fast(self, cycle: RequestResponseCycle, app: ASGI3Application, served: Served) -> None:
        try:
            await self._answer_pinned(cycle, app, served)
        finally:
            served.release()

    async def _answer_pinned(self, cycle: RequestResponseCycle, app: ASGI3Application, served: Served) -> None:
        """A request answered by one build without the ASGI machinery, or handed on to the app with the
        handler's reading and that build."""
        scope = cast(Scope, cycle.scope)
        try:
            answer = await served.handler.answer(scope)
        except Exception:  # as uvicorn does for an app that fails: log it, answer 500, say nothing more
            log.exception("the SPARQL fast path failed")
            answer = 500, with_cors([(b"content-type", b"text/plain; charset=utf-8")]), b"Internal Server Error"
            cycle.keep_alive = False
        if isinstance(answer, Deferred):
            defer(scope, answer)
            served.pin(scope)
            await cycle.run_asgi(app)
            return
        if cycle.flow.write_paused and not cycle.disconnected:
            await cycle.flow.drain()  # the client has not yet read an earlier answer on this connection
        if cycle.disconnected:
            return
        status, headers, body = answer
        head = [STATUS_LINE[status]]
        for name, value in [*cycle.default_headers, *headers, served.stamp]:
            head += [name, b": ", value, b"\r\n"]
        if not cycle.keep_alive:
            head.append(b"connection: close\r\n")
        if not any(name == b"content-length" for name, _ in headers):
            head.append(b"content-length: %d\r\n" % len(body))
        head += [b"\r\n", body]
        cycle.response_started = cycle.response_complete = True
        self.transport.write(b"".join(head))
        cycle.message_event.set()
        if not cycle.keep_alive:
            self.transport.close()
        cycle.on_response()


def _switch_of(app: object) -> BuildSwitch | None:
    """The server's build switch, below the wrappers uvicorn may add (proxy headers; an app made by a factory)."""
    while app is not None:
        if isinstance(app, BuildSwitch):
            return app
        app = getattr(app, "app", None)
    return None
