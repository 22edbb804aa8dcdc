"""How query threads share the CPU with the server's event loop.

On Linux a query thread runs as batch work (SCHED_BATCH): woken by a query, it does not preempt the
event loop, which goes on reading requests and handing them out (more lookups/s, docs/performance.md). A
query still running after `AIREGISTER_SLOW_QUERY` moves to the idle class (SCHED_IDLE): it only gets the
CPU nothing else wants, and a thread woken by a lookup takes the CPU from it at once. Elsewhere the
same is approximated with nice values (0 and 19).

Moving a thread out of the idle class needs CAP_SYS_NICE (or a raised RLIMIT_NICE): without it,
`make_quick` raises PermissionError and the thread hands its slot to a fresh one (see worker._answer).
"""

from __future__ import annotations

import os

_LOWEST_PRIORITY = 19


def make_quick(thread_id: int) -> None:
    """Normal class for `thread_id` (0: the calling thread); raises OSError where it may not be raised."""
    if hasattr(os, "SCHED_BATCH"):
        os.sched_setscheduler(thread_id, os.SCHED_BATCH, os.sched_param(0))
    else:
        os.setpriority(os.PRIO_PROCESS, thread_id, 0)


def make_slow(thread_id: int) -> None:
    """Idle class for `thread_id`: it runs only when nothing else wants the CPU."""
    if hasattr(os, "SCHED_IDLE"):
        os.sched_setscheduler(thread_id, os.SCHED_IDLE, os.sched_param(0))
    else:
        os.setpriority(os.PRIO_PROCESS, thread_id, _LOWEST_PRIORITY)
