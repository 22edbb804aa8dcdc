"""The embedded store: pyoxigraph over the build's on-disk store, queried by a pool of worker processes.

Answers are cached in memory: a build never changes, so an answer is a pure function of the build id
and the request. A query past its timeout has its worker killed (its CPU is freed at once) and a
fresh worker takes its place, while the other workers go on serving.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import socket
import time
from collections import OrderedDict, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path

from airegister.store import worker
from airegister.store.channel import Channel, WorkerGone
from airegister.store.protocol import QueryAnswer, QueryFailure, QueryRequest

# Workers come from a fork server that has already imported pyoxigraph: starting one (at start-up, or
# to replace a worker killed at its timeout) then costs milliseconds, not a fresh interpreter.
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["airegister.store.worker"])
_LOWEST_PRIORITY = 19
log = logging.getLogger(__name__)


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    channel: Channel
    demoted: bool = False

    def end_process(self) -> None:
        """Kill and reap the process; it blocks, so it runs off the loop (after the channel is closed on it)."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)

    @property
    def pid(self) -> int:
        """Never 0 or None: setpriority(0) would change the server's own priority."""
        assert self.process.pid, "a started worker has a pid"
        return self.process.pid

    def demote(self) -> None:
        """Lowest CPU priority: a long query then only takes CPU that quick queries leave idle."""
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, self.pid, _LOWEST_PRIORITY)
            self.demoted = True

    def restore(self) -> bool:
        """Back to normal priority; unprivileged servers may not raise a priority, so the worker is replaced."""
        try:
            os.setpriority(os.PRIO_PROCESS, self.pid, 0)
        except OSError:
            return False
        self.demoted = False
        return True


class AnswerCache:
    """A byte-bounded LRU of answers; entries larger than `max_entry` are not kept."""

    def __init__(self, max_bytes: int, max_entry: int) -> None:
        self.max_bytes = max_bytes
        self.max_entry = max_entry
        self.used = 0
        self._entries: OrderedDict[tuple[object, ...], QueryAnswer] = OrderedDict()

    def get(self, key: tuple[object, ...]) -> QueryAnswer | None:
        answer = self._entries.get(key)
        if answer is not None:
            self._entries.move_to_end(key)
        return answer

    def put(self, key: tuple[object, ...], answer: QueryAnswer) -> None:
        size = len(answer.body)
        if size > self.max_entry or key in self._entries:
            return
        self._entries[key] = answer
        self.used += size
        while self.used > self.max_bytes and self._entries:
            _, evicted = self._entries.popitem(last=False)
            self.used -= len(evicted.body)


class EmbeddedStore:
    """The Store over `{build}/store`, with `size` worker processes.

    A query that runs longer than `demote_after` seconds has its worker dropped to the lowest CPU
    priority, so lookups keep their latency while a heavy query runs; the worker is restored (or, where
    the server may not raise priorities, replaced) once it answers.
    """

    def __init__(self, build: Path, size: int = 2, cache_bytes: int = 64 << 20, demote_after: float = 0.05) -> None:
        self.build = build
        self.build_id = build.name
        self.store_path = str(build / "store")
        self.size = max(1, size)
        self.demote_after = demote_after
        self.cache = AnswerCache(cache_bytes, max_entry=max(1, cache_bytes // 16))
        self._idle: deque[_Worker] = deque()
        self._waiters: deque[asyncio.Future[_Worker]] = deque()
        self._all: set[_Worker] = set()
        self._threads = ThreadPoolExecutor(max_workers=self.size + 2, thread_name_prefix="sparql")
        self._closed = False
        self._background: set[asyncio.Future[None]] = set()

    def _start_process(self) -> tuple[BaseProcess, socket.socket]:
        parent, child = _CONTEXT.Pipe()
        process = _CONTEXT.Process(target=worker.serve, args=(child, self.store_path), daemon=True)
        process.start()
        child.close()
        sock = socket.socket(fileno=os.dup(parent.fileno()))
        parent.close()
        return process, sock

    async def _spawn(self) -> _Worker:
        process, sock = await asyncio.get_running_loop().run_in_executor(self._threads, self._start_process)
        channel = await Channel.open(sock)
        spawned = _Worker(process, channel)
        self._all.add(spawned)
        try:
            status, reason, _ = await channel.next_reply()  # only a worker that has opened the store takes queries
        except WorkerGone:
            status, reason = "failed", "the query worker stopped while opening the store"
        if status != "ready":
            await self._stop(spawned)
            raise QueryFailure("unavailable", f"build {self.build_id}: {reason}")
        return spawned

    async def _stop(self, item: _Worker) -> None:
        """A transport belongs to its loop's thread: closing it from the executor crashed the server (uvloop)."""
        self._all.discard(item)
        item.channel.close()
        await asyncio.get_running_loop().run_in_executor(self._threads, item.end_process)

    async def start(self) -> None:
        if not Path(self.store_path).is_dir():
            raise FileNotFoundError(f"no store in build {self.build_id}: run `airegister build` first")
        spawned = await asyncio.gather(*(self._spawn() for _ in range(self.size)), return_exceptions=True)
        workers = [item for item in spawned if isinstance(item, _Worker)]
        failures = [item for item in spawned if isinstance(item, BaseException)]
        if failures:  # every attempt has ended, so none is left opening the store behind the failure
            await asyncio.gather(*(self._stop(item) for item in workers))
            raise failures[0]
        for item in workers:
            self._release(item)

    def _release(self, item: _Worker) -> None:
        if item.channel.closed:
            self._retire(item)
            return
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(item)
                return
        self._idle.append(item)

    async def _acquire(self, timeout: float) -> _Worker:
        while self._idle:
            idle = self._idle.popleft()
            if not idle.channel.closed:
                return idle
            self._retire(idle)  # it died while idle (killed from outside, out of memory): replace it
        waiter: asyncio.Future[_Worker] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            async with asyncio.timeout(timeout):
                return await waiter
        except (TimeoutError, asyncio.CancelledError) as stopped:
            if waiter.done() and not waiter.cancelled():
                self._release(waiter.result())  # handed over just as the wait ended
            if isinstance(stopped, asyncio.CancelledError):
                raise
            raise QueryFailure("timeout", f"no query worker became free within {timeout:g} s") from None

    def _retire(self, dead: _Worker) -> None:
        self._background = {task for task in self._background if not task.done()}
        self._background.add(asyncio.ensure_future(self._replace(dead)))

    async def _replace(self, dead: _Worker) -> None:
        await self._stop(dead)
        if self._closed:
            return
        try:
            self._release(await self._spawn())
        except QueryFailure as failure:
            log.error("could not replace a query worker: %s", failure)

    async def query(self, request: QueryRequest) -> QueryAnswer:
        key = (
            request.query,
            request.media_type,
            request.default_graphs,
            request.named_graphs,
            request.union_default_graph,
            request.base_iri,
        )
        cached = self.cache.get(key)
        if cached is not None:
            return QueryAnswer(cached.media_type, cached.body, cached=True)
        started = time.monotonic()
        busy = await self._acquire(request.timeout)
        message = {
            "query": request.query,
            "media_type": request.media_type,
            "default_graphs": request.default_graphs,
            "named_graphs": request.named_graphs,
            "union_default_graph": request.union_default_graph,
            "base_iri": request.base_iri,
        }
        remaining = max(0.001, request.timeout - (time.monotonic() - started))
        demotion = asyncio.get_running_loop().call_later(self.demote_after, busy.demote)
        try:
            async with asyncio.timeout(remaining):
                status, first, body = await busy.channel.ask(message)
        except TimeoutError:
            self._retire(busy)
            raise QueryFailure(
                "timeout",
                f"the query ran longer than {request.timeout:g} s and was stopped",
                {"timeout": request.timeout},
            ) from None
        except WorkerGone:
            self._retire(busy)
            raise QueryFailure("failed", "the query worker stopped unexpectedly; please retry") from None
        except asyncio.CancelledError:
            self._retire(busy)  # nobody will read its answer: stop the work rather than lose the worker
            raise
        finally:
            demotion.cancel()
        if busy.demoted and not busy.restore():
            self._retire(busy)
        else:
            self._release(busy)
        if status == "syntax":
            raise QueryFailure("syntax", first)
        if status != "ok":
            raise QueryFailure("failed", first)
        answer = QueryAnswer(first, body, seconds=time.monotonic() - started)
        self.cache.put(key, answer)
        return answer

    async def close(self) -> None:
        self._closed = True
        await asyncio.gather(*(self._stop(item) for item in list(self._all)))
        self._threads.shutdown(wait=False, cancel_futures=True)
