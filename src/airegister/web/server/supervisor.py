"""Several server processes under uvicorn's supervisor, and how a SIGHUP reaches them.

The supervisor chooses the build: on SIGHUP it checks the build `dist/current` names as a server process
would open it (`switching.refusal` with a trial), moves its lock there, writes its choice where every
server process reads it (`Chosen`, shared memory handed over at spawn), and signals each process once it
has started (a process still starting would die of a SIGHUP). A process started later, to replace one
that died, reads the same choice, so no process serves a build the supervisor did not check and lock.
"""

from __future__ import annotations

import ctypes
import faulthandler
import functools
import math
import multiprocessing
import os
import signal
import socket
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors.multiprocess import Multiprocess

from airegister.publication import layout
from airegister.settings import Settings
from airegister.web.app import create_app
from airegister.web.server import switching
from airegister.web.server.switching import BuildSwitch, hold_reloads, refusal, say

_PR_SET_PDEATHSIG = 1  # prctl(2)
_PATH_BYTES = 4096  # PATH_MAX


def say_ready(count: int) -> None:
    """For operators and tests: every server process has its store open and its workers started."""
    print(f"ready: {count} server process{'es' if count > 1 else ''}", file=sys.stderr, flush=True)


class Chosen:
    """The build the supervisor chose, in memory its server processes share (they are spawned with it)."""

    def __init__(self, build: Path) -> None:
        self._path = multiprocessing.get_context("spawn").Array(ctypes.c_char, _PATH_BYTES)
        self.set(build)

    def set(self, build: Path) -> None:
        encoded = os.fsencode(build)
        if len(encoded) >= _PATH_BYTES:
            raise ValueError(f"the build's path is longer than {_PATH_BYTES - 1} bytes")
        self._path.value = encoded

    def get(self) -> Path:
        return Path(os.fsdecode(self._path.value))


class Supervisor(Multiprocess):
    """uvicorn's supervisor, saying when all its processes have started (a first one answers before that),
    not waiting for ever for one that does not stop, and passing SIGHUP on instead of restarting them.

    It holds the lock on the build its processes serve, so that the build outlives a process's death."""

    def __init__(
        self, config: uvicorn.Config, sockets: list[socket.socket], settings: Settings, chosen: Chosen
    ) -> None:
        super().__init__(config, sockets)
        self.settings = settings
        self.grace = settings.query_timeout + 5
        self.chosen = chosen
        self.build = chosen.get()
        self._held = ExitStack()
        self._held.enter_context(layout.serving(self.build))
        self._unsignalled: set[int] = set()  # processes to tell of the new build once they have started
        if switching.reload_requested():  # a SIGHUP before uvicorn's handlers were in place
            self.signal_queue.append(signal.SIGHUP)

    def run(self) -> None:
        try:
            super().run()
        finally:
            self._held.close()  # the lock of the build served last

    def handle_hup(self) -> None:
        target = layout.current_build(self.settings.dist)
        if target == self.build:
            say(f"build {self.build.name} is already served", who="supervisor")
            return
        why = refusal(self.settings, target, trial=True)
        if why is not None or target is None:
            say(f"reload refused: {why}; still serving build {self.build.name}", who="supervisor")
            return
        held = ExitStack()
        held.enter_context(layout.serving(target))
        self._held.close()
        self._held, self.build = held, target
        self.chosen.set(target)
        self._unsignalled = {item.pid for item in self.processes if item.pid is not None}
        self._signal_started()

    def _signal_started(self) -> None:
        """SIGHUP to each process waiting for it that has started (one that died is replaced over the
        new build anyway)."""
        for item in self.processes:
            if item.pid in self._unsignalled and item.process.is_alive() and item.is_ready(timeout=1):
                os.kill(item.pid, signal.SIGHUP)
                self._unsignalled.discard(item.pid)
        self._unsignalled &= {item.pid for item in self.processes if item.process.is_alive()}

    def keep_subprocess_alive(self) -> None:
        super().keep_subprocess_alive()
        if self._unsignalled and not self.should_exit.is_set():
            self._signal_started()

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
        while starting and not self._stopping():  # a Ctrl-C meanwhile is handled by the supervisor's loop
            starting = [item for item in starting if item.process.is_alive() and not item.is_ready(timeout=1)]
            if any(not item.process.is_alive() for item in self.processes):
                return  # the loop sees the failure and stops the server
            time.sleep(0.1)
        if not starting:
            say_ready(len(self.processes))

    def _stopping(self) -> bool:
        return any(sig in (signal.SIGINT, signal.SIGTERM) for sig in self.signal_queue)


def factory(settings: Settings, chosen: Chosen) -> functools.partial[BuildSwitch]:
    """What a server process calls to make its application, with its share of the workers."""
    share = settings.model_copy(update={"workers": math.ceil(settings.workers / settings.processes)})
    return functools.partial(_app_in_child, share, chosen, os.getpid())


def _app_in_child(settings: Settings, chosen: Chosen, supervisor: int) -> BuildSwitch:
    """The app of one server process, over the build its supervisor chose; the process ends with its
    supervisor, however that one ends.

    Any failure here stops the server (uvicorn's supervisor would start the process again and again)."""
    faulthandler.enable()
    hold_reloads()
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != supervisor:  # it was gone before the line above took effect
        raise SystemExit(STARTUP_FAILURE)
    build = chosen.get()
    try:
        return BuildSwitch(settings, create_app(settings, build=build), build, chosen=chosen.get)
    except Exception as error:
        print(f"error: a server process could not start: {error}", file=sys.stderr, flush=True)
        raise SystemExit(STARTUP_FAILURE) from None
