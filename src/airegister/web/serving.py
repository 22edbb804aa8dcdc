"""How `airegister serve` runs uvicorn: in this process, or in several processes sharing one socket.

CPython answers HTTP on one core at a time. Since one-subject lookups are answered in the server process
(see store/oxigraph.py), a second process on a 2-core machine answers about 1.5 times the lookups per
second of one (paired runs on 50,000 projects). Each process has its own answer cache and its share of
the query workers. uvicorn's supervisor restarts a process that dies, and stops the server when one
fails to start; a process whose supervisor is killed stops itself.
"""

from __future__ import annotations

import ctypes
import faulthandler
import functools
import math
import os
import signal
import sys
from typing import Any

import uvicorn
from fastapi import FastAPI
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors.multiprocess import Multiprocess

from airegister.settings import Settings
from airegister.store import fork_server
from airegister.web.app import create_app, served_build
from airegister.web.http_protocol import JoinedWritesProtocol

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
    try:
        build = served_build(settings)
        app = create_app(settings) if settings.processes == 1 else None
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"serving {build} on http://{settings.host}:{settings.port}/ (Ctrl-C stops)", file=sys.stderr)
    if app is not None:
        uvicorn.run(app, **_uvicorn_options(settings))
        return 0
    # The server processes evaluate lookups too, so they get the workers' malloc tuning, read by glibc at exec.
    os.environ["GLIBC_TUNABLES"] = fork_server.malloc_tuning(os.environ.get("GLIBC_TUNABLES"))
    config = processes_config(settings)
    supervisor = Multiprocess(config, sockets=[config.bind_socket()])
    supervisor.run()
    return STARTUP_FAILURE if any(item.exitcode == STARTUP_FAILURE for item in supervisor.processes) else 0


def processes_config(settings: Settings) -> uvicorn.Config:
    """uvicorn's configuration for `settings.processes` processes, each with its share of the workers."""
    share = settings.model_copy(update={"workers": math.ceil(settings.workers / settings.processes)})
    factory = functools.partial(_app_in_child, share, os.getpid())
    return uvicorn.Config(factory, factory=True, workers=settings.processes, **_uvicorn_options(settings))


def _app_in_child(settings: Settings, supervisor: int) -> FastAPI:
    """The app of one server process; the process ends with its supervisor, however that one ends."""
    faulthandler.enable()
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != supervisor:  # it was gone before the line above took effect
        raise SystemExit(STARTUP_FAILURE)
    return create_app(settings)
