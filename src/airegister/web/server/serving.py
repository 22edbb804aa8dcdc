"""How `airegister serve` runs uvicorn: in this process, or in several processes sharing one socket.

CPython answers HTTP on one core at a time, and one-subject lookups are answered in the server process
(store/inline_lookups.py), so a server process per core answers more lookups, up to the cores there are
(docs/performance.md has the measurements). Each process has its own answer cache and its share of the
query workers. The supervisor (supervisor.py) restarts a process that dies, over the build it chose and
keeps locked, and stops the server when one fails to start; a process whose supervisor is killed stops
itself, and one that does not stop when asked is killed once a query could have ended. SIGHUP moves the
server to a newer build (supervisor.py, switching.py).
"""

from __future__ import annotations

import faulthandler
import os
import signal
import socket
import sys
from multiprocessing import resource_tracker
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import uvicorn
from uvicorn.config import STARTUP_FAILURE

from airegister.settings import BuildMismatch, Settings
from airegister.store.opening import network_isolation
from airegister.store.pool import fork_server
from airegister.web.app import create_app, served_build, served_settings
from airegister.web.server.supervisor import Chosen, Supervisor, factory, say_ready
from airegister.web.server.switching import BuildSwitch, hold_reloads
from airegister.web.server.uvicorn_protocol import JoinedWritesProtocol


def _uvicorn_options(settings: Settings) -> dict[str, Any]:
    return {
        "host": settings.host,
        "port": settings.port,
        "log_level": "warning",
        "access_log": False,
        "http": JoinedWritesProtocol,
        "ws": "none",  # nothing here speaks WebSocket: an Upgrade header gets plain HTTP
        "lifespan": "on",  # the switch's start-up opens the store: a failure there must stop the process
    }


def serve(settings: Settings) -> int:
    """Serve until stopped; returns the exit code (2: nothing published, 3: a process failed to start)."""
    faulthandler.enable()  # a crash in native code (event loop, store) leaves a trace on stderr, not silence
    # Python's resource tracker, a program of its own, keeps a signal that is ignored when it starts: a
    # SIGHUP to the whole process group (a closing terminal) then leaves it running.
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    resource_tracker.ensure_running()
    hold_reloads()
    try:
        build = served_build(settings)
        published = served_settings(settings, build).public_url
        app = one_process_app(settings, build) if settings.processes == 1 else None
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
    chosen = Chosen(build)
    options = _uvicorn_options(settings)
    config = uvicorn.Config(factory(settings, chosen), factory=True, workers=settings.processes, **options)
    supervisor = Supervisor(config, [config.bind_socket()], settings, chosen)
    supervisor.run()
    return STARTUP_FAILURE if any(item.exitcode == STARTUP_FAILURE for item in supervisor.processes) else 0


def one_process_app(settings: Settings, build: Path | None = None) -> BuildSwitch:
    """The application `serve` runs in one process (and `serve --get` asks): the current build's, switched
    on SIGHUP."""
    build = build or served_build(settings)
    return BuildSwitch(settings, create_app(settings, build=build), build)


_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _listens_at(settings: Settings, url: str) -> bool:
    """Whether `url` names the address and port this server listens on (loopback names count as one)."""
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    hosts = {parts.hostname, settings.host}
    return port == settings.port and (len(hosts) == 1 or hosts <= _LOOPBACK or settings.host in ("0.0.0.0", "::"))


class _ReadyServer(uvicorn.Server):
    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            say_ready(1)
