"""The embedded store: pyoxigraph over the build's on-disk store, queried by a pool of worker processes.

Answers are cached in memory: a build never changes, so an answer is a pure function of the build id
and the request. A query past its timeout has its worker killed (its CPU is freed at once) and a
fresh worker takes its place, while the other workers go on serving.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from airegister.store import worker
from airegister.store.protocol import QueryAnswer, QueryFailure, QueryRequest

# Workers come from a fork server that has already imported pyoxigraph: starting one (at start-up, or
# to replace a worker killed at its timeout) then costs milliseconds, not a fresh interpreter.
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["airegister.store.worker"])


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    connection: Connection

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.connection.close()


async def _readable(loop: asyncio.AbstractEventLoop, connection: Connection) -> None:
    """Wait, without a thread, until the worker has written its answer."""
    ready: asyncio.Future[None] = loop.create_future()

    def wake() -> None:
        if not ready.done():
            ready.set_result(None)

    fd = connection.fileno()
    loop.add_reader(fd, wake)
    try:
        await ready
    finally:
        loop.remove_reader(fd)
        os.set_blocking(fd, True)  # uvloop makes a watched descriptor non-blocking; recv() needs it blocking


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
    """The Store over `{build}/store`, with `size` worker processes."""

    def __init__(self, build: Path, size: int = 2, cache_bytes: int = 64 << 20) -> None:
        self.build = build
        self.build_id = build.name
        self.store_path = str(build / "store")
        self.size = max(1, size)
        self.cache = AnswerCache(cache_bytes, max_entry=max(1, cache_bytes // 16))
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._threads = ThreadPoolExecutor(max_workers=self.size + 2, thread_name_prefix="sparql")
        self._closed = False
        self._background: set[asyncio.Future[None]] = set()

    def _spawn(self) -> _Worker:
        parent, child = _CONTEXT.Pipe()
        process = _CONTEXT.Process(target=worker.serve, args=(child, self.store_path), daemon=True)
        process.start()
        child.close()
        spawned = _Worker(process, parent)
        self._all.add(spawned)
        return spawned

    async def start(self) -> None:
        if not Path(self.store_path).is_dir():
            raise FileNotFoundError(f"no store in build {self.build_id}: run `airegister build` first")
        loop = asyncio.get_running_loop()
        spawned = await asyncio.gather(*(loop.run_in_executor(self._threads, self._spawn) for _ in range(self.size)))
        for item in spawned:
            self._idle.put_nowait(item)

    async def _replace(self, dead: _Worker) -> None:
        self._background = {task for task in self._background if not task.done()}
        loop = asyncio.get_running_loop()
        self._all.discard(dead)
        await loop.run_in_executor(self._threads, dead.stop)
        if not self._closed:
            self._idle.put_nowait(await loop.run_in_executor(self._threads, self._spawn))

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
        loop = asyncio.get_running_loop()
        try:
            busy = await asyncio.wait_for(self._idle.get(), timeout=request.timeout)
        except TimeoutError:
            raise QueryFailure("timeout", f"no query worker became free within {request.timeout:g} s") from None
        message = {
            "query": request.query,
            "media_type": request.media_type,
            "default_graphs": request.default_graphs,
            "named_graphs": request.named_graphs,
            "union_default_graph": request.union_default_graph,
            "base_iri": request.base_iri,
        }
        remaining = max(0.001, request.timeout - (time.monotonic() - started))
        try:
            busy.connection.send(message)
            await asyncio.wait_for(_readable(loop, busy.connection), timeout=remaining)
            status, first, body = busy.connection.recv()  # the whole answer is waiting in the pipe
        except TimeoutError:
            self._background.add(asyncio.ensure_future(self._replace(busy)))
            raise QueryFailure(
                "timeout",
                f"the query ran longer than {request.timeout:g} s and was stopped",
                {"timeout": request.timeout},
            ) from None
        except (EOFError, OSError, BrokenPipeError):
            self._background.add(asyncio.ensure_future(self._replace(busy)))
            raise QueryFailure("failed", "the query worker stopped unexpectedly; please retry") from None
        self._idle.put_nowait(busy)
        if status == "syntax":
            raise QueryFailure("syntax", first)
        if status != "ok":
            raise QueryFailure("failed", first)
        answer = QueryAnswer(first, body, seconds=time.monotonic() - started)
        self.cache.put(key, answer)
        return answer

    async def close(self) -> None:
        self._closed = True
        for item in list(self._all):
            with contextlib.suppress(OSError):
                item.connection.send(None)
            item.stop()
        self._all.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)
