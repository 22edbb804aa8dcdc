"""The embedded store: pyoxigraph over the build's on-disk store, queried by a pool of worker processes.

Answers are cached in memory: a build never changes, so an answer is a pure function of the build id
and the request. A query past its timeout has its worker process killed (its CPU is freed at once) and
a fresh process takes its place, while the other processes go on serving.

One kind of query, a lookup of one subject's quads, is answered in the server process instead (see
inline_lookups.py).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import socket
import time
from collections import deque
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.process import BaseProcess
from pathlib import Path

from airegister.store.answer_cache import AnswerCache
from airegister.store.inline_lookups import LookupsHere
from airegister.store.pool import fork_server, worker
from airegister.store.pool.channel import Channel, WorkerGone
from airegister.store.pool.worker_process import Slot, WorkerProcess
from airegister.store.protocol import QueryAnswer, QueryFailure, QueryRequest

log = logging.getLogger(__name__)
_LEAST_TIME = 0.05  # seconds: less left of a query's time is not worth a slot


def _overtime(timeout: float) -> QueryFailure:
    return QueryFailure("timeout", f"the query ran longer than {timeout:g} s and was stopped", {"timeout": timeout})


class _RunAgain(Exception):
    """The query's process was killed for another slot's query: it runs again on another slot."""


class EmbeddedStore:
    """The Store over `{build}/store`, answering up to `size` queries at once.

    Queries run in worker processes of `threads` threads each, a query slot per thread. Threads of one
    process share the store's caches, but also its GIL, which pyoxigraph holds for a long time while it
    writes a large CONSTRUCT answer: a lookup on a sibling thread would wait as long. Hence one thread per
    process by default. A query past its timeout has its process killed, which frees its CPU at once; a
    spare process, which has opened the store already (slow on a large build), takes its place at once,
    queries that were running on the killed process's other slots run again there within their own time,
    and a new spare is started. A query that runs longer than `demote_after` seconds has its thread moved
    to the idle class (see cpu_class), so lookups keep their latency while a heavy query runs; the thread
    is restored (or, where the server may not do that, its slot handed to a fresh thread of the same
    process) once it answers. Measurements: docs/performance.md.
    """

    def __init__(
        self,
        build: Path,
        size: int = 2,
        cache_bytes: int = 64 << 20,
        demote_after: float = 0.05,
        threads: int = 1,
        inline_limit: int = 1000,
    ) -> None:
        self.build = build
        self.build_id = build.name
        self.store_path = str(build / "store")
        self.size = max(1, size)
        self.threads = max(1, threads)
        self.demote_after = demote_after
        self.cache = AnswerCache(cache_bytes, max_entry=max(1, cache_bytes // 16))
        self._idle: deque[Slot] = deque()
        self._waiters: deque[asyncio.Future[Slot]] = deque()
        self._processes: set[WorkerProcess] = set()  # those whose slots take queries
        self._spare: WorkerProcess | None = None  # store open, slots idle: takes the place of a killed process
        self._executor = ThreadPoolExecutor(max_workers=self.size + 2, thread_name_prefix="sparql")
        self._closed = False
        self._background: set[asyncio.Future[None]] = set()
        self.here = LookupsHere(build, inline_limit)

    @property
    def worker_pids(self) -> list[int]:
        """The worker processes serving queries now, the spare aside (for operators and tests)."""
        return sorted(item.process.pid for item in self._processes if item.process.pid)

    @property
    def spare_pid(self) -> int | None:
        return self._spare.process.pid if self._spare is not None else None

    def _start_process(self, slots: int) -> tuple[BaseProcess, list[socket.socket]]:
        pairs = [fork_server.CONTEXT.Pipe() for _ in range(slots)]
        process = fork_server.CONTEXT.Process(
            target=worker.serve, args=([child for _, child in pairs], self.store_path), daemon=True
        )
        process.start()
        sockets = []
        for parent, child in pairs:
            child.close()
            sockets.append(socket.socket(fileno=os.dup(parent.fileno())))
            parent.close()
        return process, sockets

    async def _spawn(self, slots: int) -> WorkerProcess:
        """A process with `slots` slots, each taking queries only once it has the store open."""
        fork_server.ensure_running()  # here, on the loop's thread: it may change the environment
        process, sockets = await asyncio.get_running_loop().run_in_executor(self._executor, self._start_process, slots)
        spawned = WorkerProcess(process, size=slots)
        try:
            for sock in sockets:
                spawned.slots.append(Slot(spawned, await Channel.open(sock)))
            for slot in spawned.slots:
                await self._ready(slot)
        except BaseException:
            for sock in sockets[len(spawned.slots) :]:
                sock.close()
            await asyncio.shield(self._stop(spawned))
            raise
        for slot in spawned.slots:
            slot.channel.on_lost = functools.partial(self._lost, spawned)
        return spawned

    def _lost(self, process: WorkerProcess) -> None:
        """A worker that died by itself (killed from outside, out of memory) is replaced now, not when a query
        comes to its slot; a query it was running learns of it through its channel (see `_run`)."""
        if self._closed:
            return
        if process is self._spare:
            self._spare = None
            self._in_background(self._replace(process, 0))
            self._in_background(self._stand_by(process.size))
        else:
            self._kill(process)

    async def _ready(self, slot: Slot) -> None:
        """A slot's thread says it has the store open, and its thread id."""
        try:
            status, reason, _ = await slot.channel.next_reply()
        except WorkerGone:
            status, reason = "failed", "the query worker stopped while opening the store"
        if status != "ready":
            raise QueryFailure("unavailable", f"build {self.build_id}: {reason}")
        slot.thread_id = int(reason)

    async def _stop(self, process: WorkerProcess) -> None:
        """Channels close here, on the loop: closing a uvloop transport from the executor is undefined behaviour
        (the likely cause of a server that died silently at start-up in CI)."""
        self._processes.discard(process)
        for slot in process.slots:
            slot.channel.close()
        await asyncio.get_running_loop().run_in_executor(self._executor, process.end)

    async def start(self) -> None:
        if not Path(self.store_path).is_dir():
            raise FileNotFoundError(f"no store in build {self.build_id}: run `airegister build` first")
        whole, rest = divmod(self.size, self.threads)
        counts = [self.threads] * whole + [rest] * (rest > 0)
        opening = asyncio.get_running_loop().run_in_executor(self._executor, self.here.open)
        spawned = await asyncio.gather(*(self._spawn(slots) for slots in [*counts, counts[0]]), return_exceptions=True)
        await opening
        processes = [item for item in spawned if isinstance(item, WorkerProcess)]
        failures = [item for item in spawned if isinstance(item, BaseException)]
        if failures:  # every attempt has ended, so none is left opening the store behind the failure
            await asyncio.gather(*(self._stop(item) for item in processes))
            raise failures[0]
        *active, self._spare = processes
        for item in active:
            self._activate(item)

    @property
    def answers_lookups_inline(self) -> bool:
        return self.here.active

    def _activate(self, process: WorkerProcess) -> None:
        self._processes.add(process)
        for slot in process.slots:
            self._release(slot)

    def _release(self, slot: Slot) -> None:
        if slot.channel.closed:
            self._kill(slot.owner)
            return
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(slot)
                return
        self._idle.append(slot)

    async def _acquire(self, timeout: float) -> Slot:
        while self._idle:
            idle = self._idle.popleft()
            if not idle.channel.closed:
                return idle
            self._kill(idle.owner)  # it died while idle (killed from outside, out of memory): replace it
        waiter: asyncio.Future[Slot] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            async with asyncio.timeout(timeout):
                return await waiter
        except (TimeoutError, asyncio.CancelledError) as stopped:
            if waiter.done() and not waiter.cancelled():
                self._release(waiter.result())  # handed over just as the wait ended
            if isinstance(stopped, asyncio.CancelledError):
                raise
            raise QueryFailure("timeout", f"no query worker became free within {timeout:.3g} s") from None

    def _kill(self, process: WorkerProcess, deliberate: bool = False) -> None:
        """Stop a process and start a fresh one in its place; its slots' waiting queries see WorkerGone.

        Only a process the server kills on purpose (a timeout, a cancelled query) has its other queries run
        again: one that died by itself may have been brought down by one of them.
        """
        if process not in self._processes:
            return  # already being replaced
        process.killed = deliberate
        self._processes.discard(process)
        for slot in process.slots:
            slot.channel.close()
        spare = self._spare
        if spare is None or spare.size != process.size:
            self._in_background(self._replace(process, process.size))
            return
        self._spare = None
        self._activate(spare)
        self._in_background(self._replace(process, 0))
        self._in_background(self._stand_by(spare.size))

    async def _renew(self, slot: Slot) -> None:
        """A thread that may not leave the idle class hands its slot to a fresh thread of its process."""
        try:
            slot.channel.tell(worker.RENEW)
            async with asyncio.timeout(10):
                await self._ready(slot)
        except (QueryFailure, WorkerGone, TimeoutError):
            self._kill(slot.owner)
            return
        slot.demoted = False
        self._release(slot)

    def _in_background(self, work: Coroutine[object, object, None]) -> None:
        self._background = {task for task in self._background if not task.done()}
        self._background.add(asyncio.ensure_future(work))

    async def _replace(self, dead: WorkerProcess, slots: int) -> None:
        await self._stop(dead)
        if slots and (fresh := await self._respawn(slots, "a query worker")):
            self._activate(fresh)

    async def _stand_by(self, slots: int) -> None:
        """A new spare, after the last one took a killed process's place."""
        spare = await self._respawn(slots, "a spare query worker")
        if spare is not None and self._spare is not None:
            await self._stop(spare)
        elif spare is not None:
            self._spare = spare

    async def _respawn(self, slots: int, what: str) -> WorkerProcess | None:
        """A new process, tried again (1 s, 2 s, ... 30 s apart) until one starts or the store is closed."""
        pause = 1.0
        while not self._closed:
            try:
                fresh = await self._spawn(slots)
            except Exception as error:  # logged; the pool must not shrink for good
                log.error("could not start %s (trying again in %g s): %s", what, pause, error)
                await asyncio.sleep(pause)
                pause = min(30.0, pause * 2)
                continue
            if self._closed:
                await self._stop(fresh)
                return None
            return fresh
        return None

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
        message: dict[str, object] = {
            "query": request.query,
            "media_type": request.media_type,
            "default_graphs": request.default_graphs,
            "named_graphs": request.named_graphs,
            "union_default_graph": request.union_default_graph,
            "base_iri": request.base_iri,
        }
        if (here := self.here.store_for(request)) is not None:
            status, first, body = worker.evaluate(here, message)  # bounded: see the module's docstring
        else:
            status, first, body = await self._pooled(message, started, request.timeout)
        if status == "syntax":
            raise QueryFailure("syntax", first)
        if status != "ok":
            raise QueryFailure("failed", first)
        answer = QueryAnswer(first, body, seconds=time.monotonic() - started)
        self.cache.put(key, answer)
        return answer

    async def _pooled(self, message: dict[str, object], started: float, timeout: float) -> tuple[str, str, bytes]:
        while True:
            try:
                return await self._run(message, started + timeout, timeout)
            except _RunAgain:
                continue

    async def _run(self, message: dict[str, object], deadline: float, timeout: float) -> tuple[str, str, bytes]:
        """One attempt on one slot, within what is left of the query's time."""
        if self._closed:
            raise QueryFailure("unavailable", "the server is stopping")
        if deadline - time.monotonic() < _LEAST_TIME:  # a run again with its time all but spent: no slot for it
            raise _overtime(timeout)
        busy = await self._acquire(deadline - time.monotonic())
        demotion = asyncio.get_running_loop().call_later(self.demote_after, busy.demote)
        try:
            async with asyncio.timeout(max(0.001, deadline - time.monotonic())):
                reply: tuple[str, str, bytes] = await busy.channel.ask(message)
        except TimeoutError:
            self._kill(busy.owner, deliberate=True)
            raise _overtime(timeout) from None
        except WorkerGone:
            if busy.owner.killed:
                raise _RunAgain from None
            self._kill(busy.owner)
            raise QueryFailure("failed", "the query worker stopped unexpectedly; please retry") from None
        except asyncio.CancelledError:
            self._kill(busy.owner, deliberate=True)  # nobody will read its answer: stop the work, keep the slot
            raise
        finally:
            demotion.cancel()
        if busy.demoted and not busy.restore():
            self._in_background(self._renew(busy))
        else:
            self._release(busy)
        return reply

    async def close(self) -> None:
        self._closed = True
        self.here.close()
        # Replacements under way finish first, and then stop what they started, seeing the store closed.
        while pending := [task for task in self._background if not task.done()]:
            await asyncio.gather(*pending, return_exceptions=True)
        spare, self._spare = self._spare, None
        await asyncio.gather(*(self._stop(item) for item in [*self._processes, *([spare] if spare else [])]))
        self._executor.shutdown(wait=False, cancel_futures=True)
