"""Waiting in tests for something the server does in the background (a worker replaced, a pool started)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def eventually(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    """Wait until `condition` holds or `seconds` pass; the caller asserts what it needs."""
    for _ in range(int(seconds * 10)):
        if condition():
            return
        await asyncio.sleep(0.1)
