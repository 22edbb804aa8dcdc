"""The query worker: a separate process that owns a read-only view of the store.

Queries run here so that a runaway one can be stopped for real: the server kills the process, which
frees its CPU at once (pyoxigraph has no timeout of its own), and starts a fresh worker. A worker of the
ordinary class has no network either (see network.py).
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import select
import sys
import threading
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph

from airegister.rdf.syntaxes import GRAPH_FORMATS, RESULTS_JSON, SOLUTION_FORMATS, TURTLE
from airegister.store.pool import cpu_class, network


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


QUERY_STACK_BYTES = 128 << 20  # each slot thread's stack (see serve)
RENEW = "renew"  # from the server: hand this slot to a fresh thread (see _answer)


def serve(connections: list[Connection], store_path: str, isolated: bool = True) -> None:
    """Worker main: one thread per connection (a query slot), all over one store.

    This thread answers no query itself: it starts the slot threads, and a fresh one whenever a slot is
    handed over, so every slot thread starts in the normal scheduling class, whatever became of another.
    An `isolated` worker leaves the network before it starts any thread; every slot's ready message says
    whether it did (network.ISOLATED, or the reason), so the server knows rather than guesses.
    """
    state = network.isolate() if isolated else network.NETWORKED
    threading.Thread(target=_end_with_the_server, args=(connections,), daemon=True).start()
    # The engine parses and evaluates recursively: a long chain of operators (`1+1+...`, UNION after
    # UNION) within the longest query accepted overflowed the default 8 MiB and killed the worker. The
    # memory is reserved, and only touched by such a query.
    threading.stack_size(QUERY_STACK_BYTES)
    try:
        store = pyoxigraph.Store.read_only(store_path)
    except Exception as error:  # a missing or damaged store: the server reports it at start-up
        for connection in connections:
            with contextlib.suppress(OSError):  # the server may have stopped already
                connection.send(("failed", f"cannot open the store {store_path}: {error}", b""))
        return
    handover: queue.SimpleQueue[Connection | None] = queue.SimpleQueue()
    for connection in connections:
        threading.Thread(target=_answer, args=(store, connection, handover, state)).start()
    live = len(connections)
    while live:
        if (handed := handover.get()) is None:
            live -= 1
        else:
            threading.Thread(target=_answer, args=(store, handed, handover, state)).start()


def _end_with_the_server(connections: list[Connection]) -> None:
    """Exit as soon as the server closes a slot's connection or dies (SIGKILL, out of memory), even in the
    middle of a query, which nobody would read and no timeout would stop any more. Waiting for the hang-up
    alone (POLLRDHUP) never wakes on queries, so the slot threads read their connections undisturbed."""
    watch = select.poll()
    for connection in connections:
        watch.register(connection.fileno(), select.POLLRDHUP)
    watch.poll()
    os._exit(0)


def _answer(
    store: pyoxigraph.Store, connection: Connection, handover: queue.SimpleQueue[Connection | None], network_state: str
) -> None:
    """One slot: answer queries until the server closes the connection.

    A slow query's thread goes to the idle class; a server that may not bring it back (no CAP_SYS_NICE)
    sends RENEW instead, and this thread hands its connection to a fresh one, so the slot keeps its
    process and open store.
    """
    with contextlib.suppress(OSError):  # a nicety (see cpu_class), never a need
        cpu_class.make_quick(0)
    try:
        # Only a slot whose store is open takes queries; the server moves a slow query's thread by this id.
        connection.send(("ready", str(threading.get_native_id()), network_state.encode()))
        while (message := connection.recv()) is not None:
            if message == RENEW:
                handover.put(connection)
                return
            connection.send(evaluate(store, message))
    except (EOFError, OSError):  # the server closed this slot, or stopped
        pass
    except BaseException:  # a panic in the engine, say: the server must see the slot end, not wait for it
        connection.close()
        handover.put(None)
        raise
    handover.put(None)


def evaluate(store: pyoxigraph.Store, message: dict[str, Any]) -> tuple[str, str, bytes]:
    """(status, media type or message, body): what a slot sends back, also for lookups the server answers.

    The status says whose a failure is. The client's: "syntax" (the parser's message, with the position)
    and "refused" (our words). An allowed SERVICE endpoint's: "upstream" (our words). Ours: "failed", whose
    details go to the log, never to the client.
    """
    try:
        media_type, body = execute(store, message)
    except SyntaxError as error:
        return ("syntax", str(error), b"")
    except ValueError:  # an IRI of the request (a graph, the base) the engine cannot read; text it cannot encode
        return ("refused", "the request names a graph or base that is not a valid IRI, or holds invalid text", b"")
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # the store's files, the engine's evaluation errors, and its panics
        return _failure(error, bool(message.get("federated")))
    return ("ok", media_type, body)


def _failure(error: BaseException, federated: bool) -> tuple[str, str, bytes]:
    """Whose fault `error` is, in words fit for whoever will read them; the engine's own go to the log."""
    if isinstance(error, RuntimeError) and (refusal := _refusal(str(error))) is not None:
        return ("refused", refusal, b"")
    print(f"query worker: evaluation failed: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
    if federated and isinstance(error, (OSError, RuntimeError)):  # the remote endpoint's answer, or none
        return ("upstream", "a SERVICE endpoint it calls failed, or answered what could not be read", b"")
    if isinstance(error, OSError):  # the store's files
        return ("failed", "the store could not be read", b"")
    return ("failed", "the query could not be evaluated", b"")


# The engine's evaluation errors that a query's content causes, and how we say so (pyoxigraph raises them all
# as RuntimeError: its words are the only way to tell them from a fault of the store).
_REFUSALS = (
    (
        r"The custom function (<[^>]*>) is not supported",
        "the query calls {0}, a function this endpoint does not implement",
    ),
    (r"The custom function (<[^>]*>) requires", "the query calls {0} with a number of arguments it does not take"),
    (
        r"service name is unbound|not a valid service name|service <[^>]*> is not supported",
        "the query calls a SERVICE this endpoint cannot call",
    ),
)


def _refusal(engine_message: str) -> str | None:
    for pattern, wording in _REFUSALS:
        if (match := re.search(pattern, engine_message)) is not None:
            return wording.format(*(group[:200] for group in match.groups() if group is not None))
    return None
