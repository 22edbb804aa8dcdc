"""Answers kept in memory: a build never changes, so an answer is a pure function of the request."""

from __future__ import annotations

from collections import OrderedDict

from airegister.store.protocol import QueryAnswer


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
