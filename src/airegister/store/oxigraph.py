"""The embedded store: pyoxigraph over the build's on-disk store, queried by worker processes.

Answers are cached in memory: a build never changes, so an answer is a pure function of the build id
and the request. A query past its timeout has its worker process killed (its CPU is freed at once) and
a fresh process takes its place, while the other processes go on serving (pool/processes.py).

Queries go to one of two classes of worker. Ordinary queries run in workers without a route to the
network (pool/network.py): a SERVICE call that got past the handler's check reaches nothing. A query
the handler marked federated (its SERVICE endpoints are all allowed) runs in a small class of its own,
whose worker has the network; without allowed endpoints that class is never started.

One kind of query, a lookup of one subject's quads, is answered in the server process instead (see
inline_lookups.py); never a federated one.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from airegister.store.answer_cache import AnswerCache
from airegister.store.inline_lookups import LookupsHere
from airegister.store.pool import worker
from airegister.store.pool.processes import ProcessPool
from airegister.store.protocol import QueryAnswer, QueryFailure, QueryRequest

FEDERATED_SLOTS = 1  # queries calling allowed endpoints wait on others' servers, not on our CPU: one at a time


class EmbeddedStore:
    """The Store over `{build}/store`, answering up to `size` ordinary queries at once (see ProcessPool for
    `threads` and `demote_after`), and, with `federated`, one query calling allowed SERVICE endpoints."""

    def __init__(
        self,
        build: Path,
        size: int = 2,
        cache_bytes: int = 64 << 20,
        demote_after: float = 0.05,
        threads: int = 1,
        inline_limit: int = 1000,
        federated: bool = False,
    ) -> None:
        self.build = build
        self.build_id = build.name
        self.store_path = str(build / "store")
        self.cache = AnswerCache(cache_bytes, max_entry=max(1, cache_bytes // 16))
        self.pool = ProcessPool(self.store_path, self.build_id, size, threads, demote_after)
        self.federated_pool = (
            ProcessPool(self.store_path, self.build_id, FEDERATED_SLOTS, 1, demote_after, isolated=False, spare=False)
            if federated
            else None
        )
        self.here = LookupsHere(build, inline_limit)

    @property
    def worker_pids(self) -> list[int]:
        """The ordinary workers serving queries now, the spare aside (for operators and tests)."""
        return self.pool.worker_pids

    @property
    def spare_pid(self) -> int | None:
        return self.pool.spare_pid

    @property
    def answers_lookups_inline(self) -> bool:
        return self.here.active

    async def start(self) -> None:
        if not Path(self.store_path).is_dir():
            raise FileNotFoundError(f"no store in build {self.build_id}: run `airegister build` first")
        pools = [self.pool, *([self.federated_pool] if self.federated_pool else [])]
        opening = asyncio.get_running_loop().run_in_executor(None, self.here.open)
        started = await asyncio.gather(*(pool.start() for pool in pools), return_exceptions=True)
        await opening
        failures = [item for item in started if isinstance(item, BaseException)]
        if failures:  # a pool that did start is stopped: no worker is left running behind the failure
            await asyncio.gather(*(pool.close() for pool in pools))
            raise failures[0]

    async def query(self, request: QueryRequest) -> QueryAnswer:
        key = (
            request.query,
            request.media_type,
            request.default_graphs,
            request.named_graphs,
            request.union_default_graph,
            request.base_iri,
        )
        # A federated answer is the remote endpoint's, which changes (or failed once): never cached.
        cached = None if request.federated else self.cache.get(key)
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
            "federated": request.federated,
        }
        if request.federated:  # the workers without network answer it when no endpoint is allowed: it fails there
            status, first, body = await (self.federated_pool or self.pool).answer(message, started, request.timeout)
        elif (here := self.here.store_for(request)) is not None:
            status, first, body = worker.evaluate(here, message)  # bounded: see the module's docstring
        else:
            status, first, body = await self.pool.answer(message, started, request.timeout)
        if status in ("syntax", "refused", "upstream"):  # the client's mistakes, another server's (worker.evaluate)
            raise QueryFailure(status, first)
        if status != "ok":
            raise QueryFailure("failed", first)
        answer = QueryAnswer(first, body, seconds=time.monotonic() - started)
        if not request.federated:
            self.cache.put(key, answer)
        return answer

    async def close(self) -> None:
        self.here.close()
        await asyncio.gather(self.pool.close(), *([self.federated_pool.close()] if self.federated_pool else []))
