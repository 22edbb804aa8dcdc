"""What the pool keeps of each worker process and of each of its query slots (a thread and its channel)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess

from airegister.store.pool import cpu_class
from airegister.store.pool.channel import Channel


@dataclass(eq=False)
class WorkerProcess:
    """A worker process; each of its threads is a query slot with its own channel."""

    process: BaseProcess
    size: int  # slots it was started with: a spare takes the place of a process of its own size
    slots: list[Slot] = field(default_factory=list)
    killed: bool = False  # on purpose, by the server: queries that were running on its other slots run again
    network: str = ""  # what its slots said of its network when ready (see network.py)

    def end(self) -> None:
        """Kill and reap; it blocks, so it runs off the loop (the channels are closed on the loop first)."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)


@dataclass(eq=False)
class Slot:
    owner: WorkerProcess
    channel: Channel
    thread_id: int = 0  # the native id of the worker thread that runs this slot's queries
    demoted: bool = False

    def demote(self) -> None:
        """A long query then only takes the CPU that quick queries leave idle (see cpu_class)."""
        with contextlib.suppress(OSError):
            cpu_class.make_slow(self._thread())
            self.demoted = True

    def restore(self) -> bool:
        """Back to the normal class; unprivileged servers may not do that, so the slot is replaced."""
        try:
            cpu_class.make_quick(self._thread())
        except OSError:
            return False
        self.demoted = False
        return True

    def _thread(self) -> int:
        """Never 0, which would name the server's own event-loop thread."""
        assert self.thread_id > 0, "a ready slot has told its thread id"
        return self.thread_id
