"""The server's end of a query worker's socket, driven by the event loop.

The worker speaks `multiprocessing.Connection` framing (a 4-byte big-endian length, or -1 and an 8-byte
one, then a pickle). Reading that framing here through a long-lived asyncio transport costs the server a
fraction of the CPU that watching the descriptor anew for every query (add_reader, remove_reader, making
it blocking again for `Connection.recv`) did; the figures are in docs/performance.md.
"""

from __future__ import annotations

import asyncio
import pickle
import socket
import struct
from collections import deque
from collections.abc import Callable
from typing import Any

_SHORT = struct.Struct("!i")
_LONG = struct.Struct("!Q")


def frame(message: object) -> bytes:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    if len(payload) > 0x7FFFFFFF:
        return _SHORT.pack(-1) + _LONG.pack(len(payload)) + payload
    return _SHORT.pack(len(payload)) + payload


class WorkerGone(Exception):
    """The worker closed its end: it died, or was killed."""


class Channel(asyncio.Protocol):
    """One request at a time: `ask` writes it, and the future resolves with the worker's reply."""

    def __init__(self) -> None:
        self.transport: asyncio.WriteTransport | None = None
        self._buffer = bytearray()
        self._waiting: asyncio.Future[Any] | None = None
        self._unclaimed: deque[object] = deque()  # replies that came before anyone waited for them
        self._closed = False
        self.on_lost: Callable[[], None] | None = None  # called when the worker ends it, not when we close it

    @classmethod
    async def open(cls, sock: socket.socket) -> Channel:
        loop = asyncio.get_running_loop()
        _, channel = await loop.create_unix_connection(cls, sock=sock)
        return channel

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's transports do not subclass asyncio's

    @property
    def closed(self) -> bool:
        return self._closed

    def ask(self, message: object) -> asyncio.Future[Any]:
        reply = self.next_reply()
        self.tell(message)
        return reply

    def tell(self, message: object) -> None:
        assert self.transport is not None
        self.transport.write(frame(message))

    def next_reply(self) -> asyncio.Future[Any]:
        reply: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        if self._unclaimed:
            reply.set_result(self._unclaimed.popleft())
        elif self._closed or self.transport is None:
            raise WorkerGone("the query worker is gone")
        else:
            self._waiting = reply
        return reply

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while True:
            reply = self._take_frame()
            if reply is None:
                return
            waiting, self._waiting = self._waiting, None
            if waiting is None:
                self._unclaimed.append(reply)
            elif not waiting.done():
                waiting.set_result(reply)

    def _take_frame(self) -> object | None:
        if len(self._buffer) < _SHORT.size:
            return None
        (size,) = _SHORT.unpack_from(self._buffer)
        start = _SHORT.size
        if size == -1:
            if len(self._buffer) < _SHORT.size + _LONG.size:
                return None
            (size,) = _LONG.unpack_from(self._buffer, _SHORT.size)
            start += _LONG.size
        if len(self._buffer) < start + size:
            return None
        with memoryview(self._buffer) as view:
            reply: object = pickle.loads(view[start : start + size])
        del self._buffer[: start + size]
        return reply

    def connection_lost(self, exc: Exception | None) -> None:
        by_the_worker = not self._closed
        self._closed = True
        waiting, self._waiting = self._waiting, None
        if waiting is not None and not waiting.done():
            waiting.set_exception(WorkerGone("the query worker stopped unexpectedly"))
        if by_the_worker and self.on_lost is not None:
            self.on_lost()

    def close(self) -> None:
        self._closed = True
        if self.transport is not None:
            self.transport.close()
