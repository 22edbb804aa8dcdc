"""Moving a running server process to a newer build, on SIGHUP, without a failed request.

`BuildSwitch` is the ASGI application uvicorn runs: it hands each request to the application of the
build that was current when the request arrived (`Served`), and that application answers all of it:
its pages, documents, ETags, caches and query workers belong to that build alone, so no answer mixes
two builds, and every answer says which one it came from (`X-Build`). On SIGHUP the process opens the
build `dist/current` names beside the one it serves, asks the new store one query, then switches; the
old build's application is closed, and its lock released (publication/layout.py), once its last
request has ended. A build that cannot be opened is refused, the reason is printed, and the current
build stays served.
"""

from __future__ import annotations

import asyncio
import functools
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import AsyncExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from fastapi import FastAPI
from starlette.types import Message, Receive, Scope, Send

from airegister.publication import layout
from airegister.publication.manifest import damage
from airegister.rdf.syntaxes import RESULTS_JSON
from airegister.settings import BuildMismatch, Settings
from airegister.store.opening import check_store
from airegister.store.protocol import QueryRequest
from airegister.web.app import create_app, served_settings
from airegister.web.site.search import SiteIndex
from airegister.web.sparql.handler import SparqlHandler

BUILD_HEADER = b"x-build"
_PIN = "served"  # where a request's Served waits in scope["state"] when it is handed on (the HTTP protocol)
_requested = False  # a SIGHUP arrived before the switch could take it (the process was still starting)


def hold_reloads() -> None:
    """From now until the switch has started, a SIGHUP is remembered instead of ending the process."""

    def remember(_signal: int, _frame: FrameType | None) -> None:
        global _requested
        _requested = True

    signal.signal(signal.SIGHUP, remember)


def reload_requested() -> bool:
    """Whether a SIGHUP came while `hold_reloads` held them."""
    return _requested


def say(line: str, who: str = "server process") -> None:
    """A line for the operator, naming the process (several server processes may serve one socket)."""
    print(f"{who} {os.getpid()}: {line}", file=sys.stderr, flush=True)


def refusal(settings: Settings, build: Path | None, trial: bool = False) -> str | None:
    """Why `build` cannot be served with `settings`, in a line for the operator; None when it can be tried.

    With `trial`, its site index is read and its store opened and asked one query, as a server process
    would: the supervisor's check, since it must not send its processes to a build they would refuse."""
    if build is None:
        return f"{settings.dist / layout.CURRENT} names no build"
    try:
        problem = damage(build)
        if problem is not None:
            return f"build {build.name} is damaged: {problem}"
        served_settings(settings, build)
        if trial:
            SiteIndex.load(build)
            check_store(settings, build)
    except BuildMismatch as error:
        return str(error)
    except Exception as error:  # whatever it is, the operator reads it and the build served stays
        return f"build {build.name} could not be opened: {error}"
    return None


@dataclass(eq=False)
class Served:
    """One build's application, and the requests it is answering."""

    app: FastAPI
    build: Path
    stack: AsyncExitStack = field(default_factory=AsyncExitStack)  # the application's lifespan
    in_flight: int = 0
    idle: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def handler(self) -> SparqlHandler:
        handler: SparqlHandler = self.app.state.sparql_handler
        return handler

    @property
    def stamp(self) -> tuple[bytes, bytes]:
        """The header by which every answer names its build."""
        return BUILD_HEADER, self.build.name.encode("latin-1")

    def hold(self) -> None:
        """Count a request this build answers, from the moment it is chosen: the build is closed only once
        none is left."""
        self.in_flight += 1
        self.idle.clear()

    def release(self) -> None:
        self.in_flight -= 1
        if not self.in_flight:
            self.idle.set()

    @contextmanager
    def pinned(self) -> Iterator[None]:
        self.hold()
        try:
            yield
        finally:
            self.release()

    def pin(self, scope: Scope) -> None:
        """Hand the request on to the application with this build chosen (see `BuildSwitch.__call__`)."""
        scope.setdefault("state", {})[_PIN] = self

    async def open(self) -> Served:
        await self.stack.enter_async_context(self.app.router.lifespan_context(self.app))
        return self

    async def answers(self) -> None:
        """One query through the new build's store: it opened and answers (raises otherwise)."""
        await self.app.state.context.store.query(QueryRequest("ASK {}", RESULTS_JSON))


class BuildSwitch:
    """The ASGI application of a server process: the current build's application, switched on SIGHUP."""

    def __init__(
        self, settings: Settings, first: FastAPI, build: Path, chosen: Callable[[], Path | None] | None = None
    ) -> None:
        self.settings = settings  # as the operator gave them: each build's application applies its manifest
        self.current = Served(first, build)
        # Which build a SIGHUP moves to: `dist/current`, or the one a supervisor chose for its processes.
        self.chosen = chosen or functools.partial(layout.current_build, settings.dist)
        self._reloading: asyncio.Lock | None = None
        self._closing = False
        self._tasks: set[asyncio.Task[None]] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        served = scope.get("state", {}).get(_PIN) or self.current
        stamp = served.stamp

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), stamp]}
            await send(message)

        with served.pinned():
            await served.app(scope, receive, stamped)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        await receive()  # lifespan.startup
        try:
            await self.current.open()
        except Exception as error:  # uvicorn prints the message and stops the process
            await send({"type": "lifespan.startup.failed", "message": f"the server could not start: {error}"})
            return
        self._reloading = asyncio.Lock()
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGHUP, self.reload_soon)
        if reload_requested():
            self.reload_soon()
        await send({"type": "lifespan.startup.complete"})
        await receive()  # lifespan.shutdown
        self._closing = True
        loop.remove_signal_handler(signal.SIGHUP)
        hold_reloads()  # not the default action, which would end the process half-way through closing
        while self._tasks:  # a reload under way, an old build closing (a reload may start a closing)
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.current.stack.aclose()
        await send({"type": "lifespan.shutdown.complete"})

    def reload_soon(self) -> None:
        self._spawn(self.reload())

    def _spawn(self, work: Any) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def reload(self) -> None:
        """Serve the build `dist/current` names, if it differs from the one served and can be opened."""
        assert self._reloading is not None
        async with self._reloading:  # SIGHUPs in a row: one reload after the other, each reading the choice
            old = self.current
            target = self.chosen()
            if self._closing:
                return
            if target == old.build:
                say(f"build {old.build.name} is already served")
                return
            why = refusal(self.settings, target)
            new: Served | None = None
            if why is None and target is not None:
                try:
                    # Made in a thread: reading a large build's site index would hold up the requests meanwhile.
                    app = await asyncio.to_thread(functools.partial(create_app, self.settings, build=target))
                    new = await Served(app, target).open()
                    await new.answers()
                except Exception as error:  # whatever stops it, the operator reads why; nothing changes
                    why = f"build {target.name} could not be opened: {error}"
                    if new is not None:
                        await new.stack.aclose()
                        new = None
            if new is None:
                say(f"reload refused: {why}; still serving build {old.build.name}")
                return
            self.current = new
            say(f"now serving build {new.build.name} (was {old.build.name})")
            self._spawn(self._retire(old))

    async def _retire(self, old: Served) -> None:
        """Close a build's application once its requests have ended, or once a query could no longer run."""
        grace = self.settings.query_timeout + 5
        try:
            async with asyncio.timeout(grace):
                while old.in_flight:
                    await old.idle.wait()
        except TimeoutError:
            say(f"build {old.build.name} still had {old.in_flight} request(s) after {grace:g} s; closed anyway")
        finally:
            await old.stack.aclose()
