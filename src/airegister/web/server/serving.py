"""How `airegister serve` runs uvicorn: in this process, or in several processes sharing one socket.

CPython answers HTTP on one core at a time, and one-subject lookups are answered in the server process
(store/inline_lookups.py), so a server process per core answers more lookups, up to the cores there are
(docs/performance.md has the measurements). Each process has its own answer cache and its share of the
query workers. uvicorn's supervisor restarts a process that dies (over the same build, which the
supervisor keeps locked), and stops the server when one fails to start; a process whose supervisor is
killed stops itself, and one that does not stop when asked is killed once a query could have ended.
On SIGHUP the supervisor checks the build `dist/current` names, moves its lock there and passes the
signal on; each process then switches to that build itself (switching.py).
"""

from __future__ import annotations

import ctypes
import faulthandler
import functools
import math
import os
import signal
import socket
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors.multiprocess import Multiprocess

from airegister.publication import layout
from airegister.settings import BuildMismatch, Settings
from airegister.store.opening import network_isolation
from airegister.store.pool import fork_server
from airegister.web.app import create_app, served_build, served_settings
from airegister.web.server.switching import BuildSwitch, hold_reloads, refusal, say
from airegister.web.server.uvicorn_protocol import JoinedWritesProtocol

_PR_SET_PDEATHSIG = 1  # prctl(2)


def _uvicorn_options(settings: Settings) -> dict[str, Any]:
    return {
        "host": settings.host,
        "port": settings.port,
        "log_level": "warning",
        "access_log": False,
        "http": JoinedWritesProtocol,
        "ws": "none",  # nothing here speaks WebSocket: an Upgrade header gets plain HTTP
    }


def serve(settings: Settings) -> int:
    """Serve until stopped; returns the exit code (2: nothing published, 3: a process failed to start)."""
    faulthandler.enable()  # a crash in native code (event loop, store) leaves a trace on stderr, not silence
    hold_reloads()
    try:
        build = served_build(settings)
        published = served_settings(settings, build).public_url
        app = BuildSwitch(settings, create_app(settings, build=build), build) if settings.processes == 1 else None
    except (FileNotFoundError, BuildMismatch) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"serving {build} on http://{settings.host}:{settings.port}/ (Ctrl-C stops)", file=sys.stderr)
    print(network_isolation(settings), file=sys.stderr)
    if not settings.is_set("public_url") and not _listens_at(settings, published):
        print(
            f"warning: the build was made for {published}, but the server listens on {settings.host}:{settings.port}: "
            "pages work, but the catalog, the RDF and the service description point there; set "
            "AIREGISTER_PUBLIC_URL for both `build` and `serve` to where readers reach this server",
            file=sys.stderr,
        )
    if app is not None:
        _ReadyServer(uvicorn.Config(app, **_uvicorn_options(settings))).run()
        return 0
    # The server processes evaluate lookups too, so they get the workers' malloc tuning, read by glibc at exec.
    os.environ["GLIBC_TUNABLES"] = fork_server.malloc_tuning(os.environ.get("GLIBC_TUNABLES"))
    config = _processes_config(settings, build)
    supervisor = _Supervisor(config, [config.bind_socket()], settings, build)
    supervisor.run()
    return STARTUP_FAILURE if any(item.exitcode == STARTUP_FAILURE for item in supervisor.processes) else 0


_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _listens_at(settings: Settings, url: str) -> bool:
    """Whether `url` names the address and port this server listens on (loopback names count as one)."""
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    hosts = {parts.hostname, settings.host}
    return port == settings.port and (len(hosts) == 1 or hosts <= _LOOPBACK or settings.host in ("0.0.0.0", "::"))


def _say_ready(count: int) -> None:
    """For operators and tests: every server process has its store open and its workers started."""
    print(f"ready: {count} server process{'es' if count > 1 else ''}", file=sys.stderr, flush=True)


class _ReadyServer(uvicorn.Server):
    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            _say_ready(1)


class _Supervisor(Multiprocess):
    """uvicorn's supervisor, saying when all its processes have started (a first one answers before that),
    not waiting for ever for one that does not stop, and passing SIGHUP on instead of restarting them.

    It holds the lock on the build its processes serve, so that the build outlives a process's death."""

    def __init__(self, config: uvicorn.Config, sockets: list[socket.socket], settings: Settings, build: Path) -> None:
        super().__init__(config, sockets)
        self.settings = settings
        self.grace = settings.query_timeout + 5
        self.build = build
        self._held = ExitStack()
        self._held.enter_context(layout.serving(build))

    def run(self) -> None:
        with self._held:
            super().run()

    def handle_hup(self) -> None:
        """A process started from now on serves the new build; those running switch to it themselves."""
        target = layout.current_build(self.settings.dist)
        if target == self.build:
            say(f"build {self.build.name} is already served")
            return
        why = refusal(self.settings, target)
        if why is not None or target is None:
            say(f"reload refused: {why}; still serving build {self.build.name}")
            return
        held = ExitStack()
        held.enter_context(layout.serving(target))
        self._held.close()
        self._held, self.build = held, target
        self.config.app = _factory(self.settings, target)
        for item in self.processes:
            if item.pid is not None and item.process.is_alive():
                os.kill(item.pid, signal.SIGHUP)

    def join_all(self) -> None:
        """A process stuck in native code cannot run its SIGTERM handler: it is killed after the grace."""
        deadline = time.monotonic() + self.grace
        for item in self.processes:
            item.process.join(max(0.0, deadline - time.monotonic()))
            if item.process.is_alive():
                print(f"server process {item.pid} did not stop within {self.grace:g} s: killed", file=sys.stderr)
                item.kill()
                item.process.join()

    def init_processes(self) -> None:
        super().init_processes()
        starting = list(self.processes)
        while starting and not self.signal_queue:  # a Ctrl-C meanwhile is handled by the supervisor's loop
            starting = [item for item in starting if item.process.is_alive() and not item.is_ready(timeout=1)]
            if any(not item.process.is_alive() for item in self.processes):
                return  # the loop sees the failure and stops the server
            time.sleep(0.1)
        if not starting:
            _say_ready(len(self.processes))


def _processes_config(settings: Settings, build: Path) -> uvicorn.Config:
    """uvicorn's configuration for `settings.processes` processes, each with its share of the workers."""
    factory = _factory(settings, build)
    return uvicorn.Config(factory, factory=True, workers=settings.processes, **_uvicorn_options(settings))


def _factory(settings: Settings, build: Path) -> functools.partial[BuildSwitch]:
    """What a server process calls to make its application over `build`, with its share of the workers."""
    share = settings.model_copy(update={"workers": math.ceil(settings.workers / settings.processes)})
    return functools.partial(_app_in_child, share, build, os.getpid())


def _app_in_child(settings: Settings, build: Path, supervisor: int) -> BuildSwitch:
    """The app of one server process; the process ends with its supervisor, however that one ends.

    Any failure here stops the server (uvicorn's supervisor would start the process again and again)."""
    faulthandler.enable()
    hold_reloads()
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != supervisor:  # it was gone before the line above took effect
        raise SystemExit(STARTUP_FAILURE)
    try:
        return BuildSwitch(settings, create_app(settings, build=build), build)
    except Exception as error:
        print(f"error: a server process could not start: {error}", file=sys.stderr, flush=True)
        raise SystemExit(STARTUP_FAILURE) from None
