"""Where query worker processes come from: a fork server that has imported pyoxigraph already.

Starting a worker (at start-up, or to replace one killed at its timeout) then costs milliseconds, not a
fresh interpreter. The fork server starts with the workers' malloc tuning in its environment, since
glibc reads it only when a program starts.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os

CONTEXT = multiprocessing.get_context("forkserver")
CONTEXT.set_forkserver_preload(["airegister.store.pool.hangup", "airegister.store.pool.worker"])

# glibc keeps 7 freed blocks of each size per thread; pyoxigraph allocates and frees hundreds of small
# blocks per query, so most of them took malloc's slow path. A larger per-thread cache buys lookups/s
# for a little memory per worker (docs/performance.md).
MALLOC_TUNING = "glibc.malloc.tcache_count=100"


def malloc_tuning(operators: str | None) -> str:
    """The workers' GLIBC_TUNABLES: the operator's own, with our per-thread cache unless they set one."""
    if operators and "glibc.malloc.tcache_count=" in operators:
        return operators
    return f"{operators}:{MALLOC_TUNING}" if operators else MALLOC_TUNING


_started_tuned = False


def ensure_running() -> None:
    """Start the fork server, if not yet running; the first start carries the workers' malloc tuning.

    That start changes this process's environment for a moment, so call this from the event loop's
    thread before any worker starts; later calls leave the environment alone (a fork server that died is
    started again untuned, by multiprocessing itself)."""
    global _started_tuned
    if _started_tuned:
        multiprocessing.forkserver.ensure_running()
        return
    before = os.environ.get("GLIBC_TUNABLES")
    os.environ["GLIBC_TUNABLES"] = malloc_tuning(before)
    try:
        multiprocessing.forkserver.ensure_running()
        _started_tuned = True
    finally:
        if before is None:
            del os.environ["GLIBC_TUNABLES"]
        else:
            os.environ["GLIBC_TUNABLES"] = before
