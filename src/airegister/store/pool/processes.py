"""A class of query worker processes: their slots, their timeouts and kills, their spare and replacements.

The embedded store (store/oxigraph.py) keeps one such pool for ordinary queries, whose workers have no
network (network.py), and, when SERVICE endpoints are allowed, a small one whose worker has it.
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

from airegister.store.pool import fork_server, network, worker
from airegister.store.pool.channel import Channel, WorkerGone
from airegister.store.pool.worker_process import Slot, WorkerProcess
from airegister.store.protocol import QueryFailure

log = logging.getLogger(__name__)
_LEAST_TIME = 0.05  # seconds: less left of a query's time is not worth a slot
Reply = tuple[str, str, bytes]  # (status, media type or message, body), as worker.evaluate gives it


def _overtime(timeout: float) -> QueryFailure:
    return QueryFailure("timeout", f"the query ran longer than {timeout:g} s and was stopped", {"timeout": timeout})


class _RunAgain(Exception):
    """The query's process was killed for another slot's query: it runs again on another slot."""


class ProcessPool:
    """Worker processes over `store_path`, answering up to `size` queries at once.

    Queries run in worker processes of `threads` threads each, a query slot per thread. Threads of one
    process share the store's caches, but also its GIL, which pyoxigraph holds for a long time while it
    writes a large CONSTRUCT answer: a lookup on a sibling thread would wait as long. Hence one thread per
    process by default. A query past its timeout has its process killed, which frees its CPU at once; a
    spare process (if the pool keeps one), which has opened the store already (slow on a large build),
    takes its place at once, queries that were running on the killed process's other slots run again
    there within their own time, and a new spare is started. A query that runs longer than `demote_after`
    seconds has its thread moved to the idle class (see cpu_class), so lookups keep their latency while a
    heavy query runs; the thread is restored (or, where the server may not do that, its slot handed to a
    fresh thread of the same process) once it answers. Measurements: docs/performance.md.

    `isolated` workers leave the network as they start (network.py).
    """

    def __init__(
        self,
        store_path: str,
        build_id: str,
        size: int,
        threads: int = 1,
        demote_after: float = 0.05,
        isolated: bool = True,
        spare: bool = True,
    ) -> None:
        self.store_path = store_path
        self.build_id = build_id
        self.size = max(1, size)
        self.threads = max(1, threads)
        self.demote_after = demote_after
        self.isolated = isolated
        self.keeps_spare = spare
        self._idle: deque[Slot] = deque()
        self._waiters: deque[asyncio.Future[Slot]] = deque()
        self._processes: set[WorkerProcess] = set()  # those whose slots take queries
        self._spare: WorkerProcess | None = None  # store open, slots idle: takes the place of a killed process
        self._executor = ThreadPoolExecutor(max_workers=self.size + 2, thread_name_prefix="sparql")
        self._closed = False
        self._background: set[asyncio.Future[None]] = set()

    @property
    def worker_pids(self) -> list[int]:
        """The worker processes serving queries now, the spare aside (for operators and tests)."""
        return sorted(item.process.pid for item in self._processes if item.process.pid)

    @property
    def spare_pid(self) -> int | None:
        return self._spare.process.pid if self._spare is not None else None

    @property
    def network(self) -> str:
        """What the workers said of their network: network.ISOLATED or NETWORKED when all said so, or else
        the reason one of them gave for keeping the network."""
        states = {item.network for item in [*self._processes, *([self._spare] if self._spare else [])]}
        expected = network.ISOLATED if self.isolated else network.NETWORKED
        return next((state for state in sorted(states) if state != expected), expected)

    def _start_process(self, slots: int) -> tuple[BaseProcess, list[socket.socket]]:
        pairs = [fork_server.CONTEXT.Pipe() for _ in range(slots)]
        process = fork_server.CONTEXT.Process(
            target=worker.serve, args=([child for _, child in pairs], self.store_path, self.isolated), daemon=True
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
        """A slot's thread says it has the store open, its thread id, and its process's network."""
        try:
            status, reason, said = await slot.channel.next_reply()
        except WorkerGone:
            status, reason = "failed", "the query worker stopped while opening the store"
        if status != "ready":
            raise QueryFailure("unavailable", f"build {self.build_id}: {reason}")
        slot.thread_id = int(reason)
        slot.owner.network = said.decode()
        others = {item.network for item in self._processes if item is not slot.owner}
        if self.isolated and slot.owner.network != network.ISOLATED and network.ISOLATED in others:
            # The start-up line said the gate is on: a worker that lost it since (a namespace limit reached)
            # must not pass unnoticed.
            log.error("a query worker runs with the network, unlike the others: %s", slot.owner.network)

    async def _stop(self, process: WorkerProcess) -> None:
        """Channels close here, on the loop: closing a uvloop transport from the executor is undefined behaviour
        (the likely cause of a server that died silently at start-up in CI)."""
        self._processes.discard(process)
        for slot in process.slots:
            slot.channel.close()
        await asyncio.get_running_loop().run_in_executor(self._executor, process.end)

    async def start(self) -> None:
        whole, rest = divmod(self.size, self.threads)
        counts = [self.threads] * whole + [rest] * (rest > 0)
        spares = counts[:1] if self.keeps_spare else []
        spawned = await asyncio.gather(*(self._spawn(slots) for slots in [*counts, *spares]), return_exceptions=True)
        processes = [item for item in spawned if isinstance(item, WorkerProcess)]
        failures = [item for item in spawned if isinstance(item, BaseException)]
        if failures:  # every attempt has ended, so none is left opening the store behind the failure
            await asyncio.gather(*(self._stop(item) for item in processes))
            raise failures[0]
        if self.keeps_spare:
            self._spare = processes.pop()
        for item in processes:
            self._activate(item)

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
        """A new process, tried again (1 s, 2 s, ... 30 s apart) until one starts or the pool is closed."""
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

    async def answer(self, message: dict[str, object], started: float, timeout: float) -> Reply:
        """The worker's reply to one query, within `timeout` seconds of `started` (time.monotonic)."""
        while True:
            try:
                return await self._run(message, started + timeout, timeout)
            except _RunAgain:
                continue

    async def _run(self, message: dict[str, object], deadline: float, timeout: float) -> Reply:
        """One attempt on one slot, within what is left of the query's time."""
        if self._closed:
            raise QueryFailure("unavailable", "the server is stopping")
        if deadline - time.monotonic() < _LEAST_TIME:  # a run again with its time all but spent: no slot for it
            raise _overtime(timeout)
        busy = await self._acquire(deadline - time.monotonic())
        demotion = asyncio.get_running_loop().call_later(self.demote_after, busy.demote)
        try:
            async with asyncio.timeout(max(0.001, deadline - time.monotonic())):
                reply: Reply = await busy.channel.ask(message)
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
        # Replacements under way finish first, and then stop what they started, seeing the pool closed.
        while pending := [task for task in self._background if not task.done()]:
            await asyncio.gather(*pending, return_exceptions=True)
        spare, self._spare = self._spare, None
        await asyncio.gather(*(self._stop(item) for item in [*self._processes, *([spare] if spare else [])]))
        self._executor.shutdown(wait=False, cancel_futures=True)
