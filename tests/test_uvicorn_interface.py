"""The private part of uvicorn the SPARQL shortcut relies on (web/server/uvicorn_protocol.py) is still there.

uvicorn offers no public hook below ASGI, so the shortcut overrides `HttpToolsProtocol._start_asgi_task`
and writes answers through `RequestResponseCycle`'s fields. uvicorn is pinned to one version; these tests
fail when that pin and the installed version differ, or when an upgrade changes what the shortcut uses,
and drive the shortcut through a real uvicorn protocol object with a fake connection.
"""

from __future__ import annotations

import asyncio
import importlib.metadata
import inspect
import json
import re
import tomllib
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
import uvicorn
import uvicorn._types
from uvicorn.protocols.http.flow_control import FlowControl
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol, RequestResponseCycle
from uvicorn.server import ServerState

from airegister.publication.urls import PublicUrls
from airegister.rdf.syntaxes import RESULTS_JSON
from airegister.settings import Settings
from airegister.store.protocol import QueryAnswer, QueryRequest, Store
from airegister.web.context import AppContext
from airegister.web.server.switching import BuildSwitch, Served
from airegister.web.server.uvicorn_protocol import JoinedWritesProtocol
from airegister.web.sparql.handler import Deferred, SparqlHandler, deferred_of

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def pinned_uvicorn() -> str:
    dependencies = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]
    [pin] = [re.fullmatch(r"uvicorn(\[[\w,]+\])?==([\w.]+)", d.split(";")[0].strip()) for d in dependencies
             if d.startswith("uvicorn")]  # fmt: skip
    assert pin is not None, "uvicorn is pinned to one version (==)"
    return pin.group(2)


def test_the_installed_uvicorn_is_the_pinned_one() -> None:
    assert importlib.metadata.version("uvicorn") == uvicorn.__version__ == pinned_uvicorn()


def test_the_protocol_starts_each_request_through_start_asgi_task() -> None:
    parameters = list(inspect.signature(HttpToolsProtocol._start_asgi_task).parameters)
    assert parameters == ["self", "cycle", "app"]
    for caller in (HttpToolsProtocol.on_headers_complete, HttpToolsProtocol.on_response_complete):
        assert "self._start_asgi_task(" in inspect.getsource(caller), f"{caller.__name__} starts requests"


def test_a_cycle_has_the_fields_the_shortcut_writes_through() -> None:
    async def make() -> RequestResponseCycle:
        transport = FakeTransport()
        return RequestResponseCycle(
            scope=cast(Any, {"type": "http"}),
            transport=transport,
            flow=FlowControl(transport),
            logger=cast(Any, None),
            access_logger=cast(Any, None),
            access_log=False,
            default_headers=[(b"server", b"x")],
            message_event=asyncio.Event(),
            expect_100_continue=False,
            keep_alive=True,
            on_response=lambda: None,
        )

    cycle = asyncio.run(make())
    assert isinstance(cycle.flow, FlowControl) and cycle.flow.write_paused is False
    assert inspect.iscoroutinefunction(cycle.flow.drain)
    assert cycle.keep_alive is True and cycle.disconnected is False
    assert cycle.response_started is False and cycle.response_complete is False
    assert isinstance(cycle.message_event, asyncio.Event)
    assert cycle.default_headers == [(b"server", b"x")] and callable(cycle.on_response)
    assert cycle.scope == {"type": "http"} and inspect.iscoroutinefunction(cycle.run_asgi)


def test_status_lines_and_types() -> None:
    assert STATUS_LINE[200] == b"HTTP/1.1 200 OK\r\n" and STATUS_LINE[503].startswith(b"HTTP/1.1 503 ")
    assert hasattr(uvicorn._types, "ASGI3Application")


class FakeTransport(asyncio.Transport):
    """A connection that records what is written to it."""

    def __init__(self) -> None:
        super().__init__()
        self.written = bytearray()
        self.closed = False

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", 50000)}.get(name, default)

    def write(self, data: Any) -> None:
        self.written += data

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


class AskStore:
    """Answers every query `true`, and remembers them."""

    build_id = "build-1"

    def __init__(self) -> None:
        self.asked: list[QueryRequest] = []

    async def query(self, request: QueryRequest) -> QueryAnswer:
        self.asked.append(request)
        return QueryAnswer(request.media_type, b'{"head":{},"boolean":true}')


class Application:
    """An ASGI app carrying a SPARQL handler, as web/app.py's does; it records the scopes it gets."""

    def __init__(self, handler: SparqlHandler) -> None:
        self.state = SimpleNamespace(sparql_handler=handler)
        self.scopes: list[dict[str, Any]] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        self.scopes.append(scope)
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"3")]})
        await send({"type": "http.response.body", "body": b"app"})


def _application(store: AskStore, settings: Settings) -> Application:
    context = AppContext(settings, cast(Store, store), PublicUrls(settings.public_url), Path("."))
    return Application(SparqlHandler(context))


def exchange(requests: bytes, switch_to: Application | None = None) -> tuple[bytes, Application, AskStore]:
    """Send raw requests through `JoinedWritesProtocol` over a fake connection; what came back. With
    `switch_to`, the server moves to that application (build-2) while the first query runs."""
    store = AskStore()
    settings = Settings(public_url="http://localhost:8000/")
    application = _application(store, settings)

    async def run() -> bytes:
        switch = BuildSwitch(settings, cast(Any, application), Path("build-1"))
        if switch_to is not None:
            asked = store.query

            async def query_then_switch(request: QueryRequest) -> QueryAnswer:
                switch.current = Served(cast(Any, switch_to), Path("build-2"))
                return await asked(request)

            store.query = query_then_switch  # type: ignore[method-assign]
        config = uvicorn.Config(switch, log_level="warning", lifespan="off")
        protocol = JoinedWritesProtocol(config, ServerState(), {}, _loop=asyncio.get_running_loop())
        transport = FakeTransport()
        protocol.connection_made(transport)
        protocol.data_received(requests)
        for _ in range(100):
            await asyncio.sleep(0)
        protocol.connection_lost(None)
        return bytes(transport.written)

    return asyncio.run(run()), application, store


def test_a_lookup_is_answered_below_the_application() -> None:
    written, application, store = exchange(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n\r\n")
    head, _, body = written.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\n") and b"\r\nx-build: build-1" in head
    assert json.loads(body) == {"head": {}, "boolean": True}
    assert application.scopes == [] and [r.media_type for r in store.asked] == [RESULTS_JSON]


@pytest.mark.parametrize(
    ("request_line", "expected"),
    [
        (b"GET /sparql?query=ASK%7B%7D", "page"),  # a browser: the query ran, the page is the app's
        (b"GET /sparql", "form"),  # no query: the empty form
        (b"GET /sparql?query=ASK%7B%7D&timeout=soon", "problem"),  # refused: a person's error
    ],
)
def test_a_request_for_a_person_reaches_the_application_read(request_line: bytes, expected: str) -> None:
    browser = b"Accept: text/html,application/xhtml+xml,*/*;q=0.8\r\n"
    written, application, _ = exchange(request_line + b" HTTP/1.1\r\nHost: x\r\n" + browser + b"\r\n")
    assert written.startswith(b"HTTP/1.1 200 OK\r\n") and written.endswith(b"app")
    [scope] = application.scopes
    deferred = deferred_of(scope)
    assert isinstance(deferred, Deferred)
    shown = "problem" if deferred.problem else "page" if deferred.answer is not None else "form"
    assert shown == expected


def test_a_page_read_by_one_build_is_made_by_that_build_when_the_server_moved_meanwhile() -> None:
    """The HTTP protocol reads a person's query with the build current then; if a SIGHUP moves the server
    before the page is made, the page must still be that build's (its query ran there)."""
    later = _application(AskStore(), Settings(public_url="http://localhost:8000/"))
    browser = b"Accept: text/html\r\n"
    written, application, _ = exchange(
        b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n" + browser + b"\r\n", later
    )
    head = written.partition(b"\r\n\r\n")[0]
    assert len(application.scopes) == 1 and later.scopes == []
    assert b"\r\nx-build: build-1" in head and b"build-2" not in head


def test_pipelined_requests_answer_in_order_and_a_closing_one_closes() -> None:
    lookup = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n\r\n"
    other = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
    closing = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    written, _, _ = exchange(lookup + other + closing)
    bodies = [part.split(b"\r\n\r\n", 1)[1][:3] for part in written.split(b"HTTP/1.1 200 OK\r\n")[1:]]
    assert bodies == [b'{"h', b"app", b'{"h']
    assert written.count(b"connection: close\r\n") == 1
