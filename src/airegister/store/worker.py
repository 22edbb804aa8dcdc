"""The query worker: a separate process that owns a read-only view of the store.

Queries run here so that a runaway one can be stopped for real: the server kills the process, which
frees its CPU at once (pyoxigraph has no timeout of its own), and starts a fresh worker.
"""

from __future__ import annotations

import contextlib
import threading
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph

from airegister.formats import GRAPH_FORMATS, RESULTS_JSON, SOLUTION_FORMATS, TURTLE
from airegister.store import cpu_class


def _graphs(iris: tuple[str, ...]) -> list[pyoxigraph.NamedNode]:
    return [pyoxigraph.NamedNode(iri) for iri in iris]


def execute(store: pyoxigraph.Store, message: dict[str, Any]) -> tuple[str, bytes]:
    """Evaluate one query and serialise its answer; returns (media type, body)."""
    options: dict[str, Any] = {}
    if message["default_graphs"] or message["named_graphs"]:
        # The protocol's dataset replaces the query's own and anything else (SPARQL 1.1 Protocol 2.1.4).
        options["default_graph"] = _graphs(message["default_graphs"])
        options["named_graphs"] = _graphs(message["named_graphs"])
    elif message["union_default_graph"]:
        options["use_default_graph_as_union"] = True
    if message["base_iri"]:
        options["base_iri"] = message["base_iri"]
    result = store.query(message["query"], **options)
    media_type: str = message["media_type"]
    if isinstance(result, pyoxigraph.QueryTriples):
        media_type = media_type if media_type in GRAPH_FORMATS else TURTLE.media_type
        body = result.serialize(format=getattr(pyoxigraph.RdfFormat, GRAPH_FORMATS[media_type]))
    else:
        media_type = media_type if media_type in SOLUTION_FORMATS else RESULTS_JSON
        body = result.serialize(format=getattr(pyoxigraph.QueryResultsFormat, SOLUTION_FORMATS[media_type]))
    return media_type, body or b""


def serve(connections: list[Connection], store_path: str) -> None:
    """Worker main: one thread per connection (a query slot), all over one store.

    Threads of one process share the store's caches: two slots per process answered lookups 10-15%
    faster than a process per slot on a 2-core machine. pyoxigraph releases the GIL while it evaluates.
    """
    try:
        store = pyoxigraph.Store.read_only(store_path)
    except Exception as error:  # a missing or damaged store: the server reports it at start-up
        for connection in connections:
            with contextlib.suppress(OSError):  # the server may have stopped already
                connection.send(("failed", f"cannot open the store {store_path}: {error}", b""))
        return
    # Every slot has a thread of its own, so a slot the server ends (see EmbeddedStore._retire) leaves none behind.
    slots = [threading.Thread(target=_answer, args=(store, connection)) for connection in connections]
    for thread in slots:
        thread.start()
    for thread in slots:
        thread.join()


def _answer(store: pyoxigraph.Store, connection: Connection) -> None:
    """One slot: answer queries until the server closes the connection."""
    with contextlib.suppress(OSError):  # a nicety (see cpu_class), never a need
        cpu_class.make_quick(0)
    try:
        # Only a slot whose store is open takes queries; the server lowers a slow query's thread by this id.
        connection.send(("ready", str(threading.get_native_id()), b""))
        while (message := connection.recv()) is not None:
            connection.send(_evaluate(store, message))
    except (EOFError, OSError):  # the server closed this slot, or stopped
        return


def _evaluate(store: pyoxigraph.Store, message: dict[str, Any]) -> tuple[str, str, bytes]:
    try:
        media_type, body = execute(store, message)
    except SyntaxError as error:
        return ("syntax", str(error), b"")
    except Exception as error:  # any evaluation failure goes back to the client, worded
        return ("failed", f"{type(error).__name__}: {error}", b"")
    return ("ok", media_type, body)
