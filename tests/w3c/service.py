"""One served build for every W3C test module: the loader's store behind the real server, started once.

Both test modules ask for it through a session fixture of their own; the first one starts the server and
the last one to finish stops it, so the suites share one build and one server process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from w3c.loader import graphs_to_load, make_dist
from w3c.manifest import ProtocolTest, QueryTest, protocol_tests, query_tests


@dataclass(frozen=True)
class W3CServer:
    url: str
    client: httpx.Client  # base_url is the server's root
    query_tests: dict[str, QueryTest]  # every entry of the query-evaluation manifests, by name
    protocol_tests: dict[str, ProtocolTest]


@dataclass
class _Shared:
    users: int = 0
    stack: ExitStack | None = None
    server: W3CServer | None = None


_SHARED = _Shared()


def _start(reference: Path, workdir: Path, stack: ExitStack) -> W3CServer:
    from server import running_server  # tests/server.py

    queries = {t.name: t for t in query_tests(reference)}
    protocols = {t.name: t for t in protocol_tests(reference)}
    dist = make_dist(workdir / "dist", graphs_to_load(queries.values(), protocols.values()))
    url = stack.enter_context(running_server(dist))
    client = stack.enter_context(httpx.Client(base_url=url, timeout=60.0))
    return W3CServer(url, client, queries, protocols)


@contextmanager
def shared_server(reference: Path, workdir: Callable[[], Path]) -> Iterator[W3CServer]:
    if _SHARED.server is None:
        stack = ExitStack()
        try:
            _SHARED.server = _start(reference, workdir(), stack)
        except BaseException:
            stack.close()
            raise
        _SHARED.stack = stack
    _SHARED.users += 1
    try:
        yield _SHARED.server
    finally:
        _SHARED.users -= 1
        if _SHARED.users == 0 and _SHARED.stack is not None:
            _SHARED.stack.close()
            _SHARED.stack, _SHARED.server = None, None
