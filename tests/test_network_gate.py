"""The second gate for SERVICE: query workers without a route to the network (store/pool/network.py).

The handler's check of SERVICE endpoints is left out here on purpose: the queries go straight to the real
worker pool, as a query that got past the lexer would. A canary, a real HTTP listener on loopback,
counts every connection it accepts.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from server import running_server
from waiting import eventually

from airegister.store.oxigraph import EmbeddedStore
from airegister.store.pool import network
from airegister.store.protocol import QueryFailure, QueryRequest

RESULTS_JSON = "application/sparql-results+json"


class _Canary(ThreadingHTTPServer):
    """Counts the connections it accepts; answers any query with one row, `?who "canary"`."""

    daemon_threads = True
    block_on_close = False  # a request held open (the slow endpoint) must not hold up the test's end

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _CanaryAnswer)
        self.connections = 0
        self._count = threading.Lock()

    def process_request(self, request: object, client_address: object) -> None:
        with self._count:
            self.connections += 1
        super().process_request(request, client_address)  # type: ignore[arg-type]

    def endpoint(self, path: str = "sparql") -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/{path}"


class _CanaryAnswer(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer()

    def _answer(self) -> None:
        if self.path.startswith("/slow"):
            time.sleep(5)  # longer than the query's timeout
        if self.path.startswith("/broken"):
            self.send_error(500, "the canary is down")
            return
        body = json.dumps(
            {"head": {"vars": ["who"]}, "results": {"bindings": [{"who": {"type": "literal", "value": "canary"}}]}}
        ).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", RESULTS_JSON)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the worker that asked was killed meanwhile

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def canary() -> Iterator[_Canary]:
    listener = _Canary()
    threading.Thread(target=listener.serve_forever, daemon=True).start()
    try:
        yield listener
    finally:
        listener.shutdown()
        listener.server_close()


def calling(endpoint: str, silent: bool = False) -> str:
    return f"SELECT ?who WHERE {{ SERVICE {'SILENT ' if silent else ''}<{endpoint}> {{ ?who ?p ?o }} }}"


def gate_is_on(state: str) -> None:
    """Skip where the platform keeps the workers on the network (not root, no CAP_SYS_ADMIN, a seccomp
    profile); under CI, which runs as root, that is a failure."""
    if state == network.ISOLATED:
        return
    why = f"the network gate is off on this machine: {state}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(why)
    pytest.skip(why)


async def _outcome(store: EmbeddedStore, request: QueryRequest) -> str:
    try:
        answer = await store.query(request)
    except QueryFailure as failure:
        return failure.kind
    return answer.body.decode()


@pytest.mark.parametrize("allowed", [False, True], ids=["no endpoint allowed", "beside the networked worker"])
def test_a_service_call_that_got_past_the_check_never_reaches_the_network(published: Path, allowed: bool) -> None:
    """A SERVICE query the lexer missed is not marked federated: it runs in an ordinary worker, which has
    no route anywhere, even to this machine; so does one marked federated when no endpoint is allowed."""
    build = (published / "current").resolve()

    async def scenario(listener: _Canary) -> tuple[str, str, list[str]]:
        store = EmbeddedStore(build, size=1, federated=allowed)
        await store.start()
        try:
            requests = [
                QueryRequest(calling(listener.endpoint()), RESULTS_JSON, timeout=10),
                QueryRequest(calling(listener.endpoint(), silent=True), RESULTS_JSON, timeout=10),
            ]
            if not allowed:
                requests.append(QueryRequest(calling(listener.endpoint("f")), RESULTS_JSON, timeout=10, federated=True))
            outcomes = [await _outcome(store, request) for request in requests]
            return store.pool.network, await asyncio.to_thread(network.probe), outcomes
        finally:
            await store.close()

    with canary() as listener:
        state, probed, outcomes = asyncio.run(scenario(listener))
        reached = listener.connections
    assert probed == state, "the start-up line's probe and the workers say the same"
    gate_is_on(state)
    assert reached == 0, f"the canary was reached {reached} times"
    assert outcomes[0] == "failed" and "canary" not in outcomes[1], outcomes
    assert json.loads(outcomes[1])["results"]["bindings"] in ([], [{}]), "SERVICE SILENT answered without the call"


def test_regression_a_lookup_the_lexer_misread_never_runs_a_service_call_in_the_server_process(
    published: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One-subject lookups are answered in the server process, which has the network, and the lexer that
    finds them is the one that checks SERVICE: a flaw in it (simulated here, the test-only hook) must not
    send a SERVICE call out from there."""
    from airegister.store import inline_lookups

    monkeypatch.setattr(inline_lookups, "is_subject_lookup", lambda query: True)
    build = (published / "current").resolve()

    async def scenario(listener: _Canary) -> bool:
        store = EmbeddedStore(build, size=1)
        await store.start()
        try:
            assert store.answers_lookups_inline
            await _outcome(store, QueryRequest(calling(listener.endpoint(), silent=True), RESULTS_JSON, timeout=10))
            return store.pool.network == network.ISOLATED
        finally:
            await store.close()

    with canary() as listener:
        isolated = asyncio.run(scenario(listener))
        reached = listener.connections
    gate_is_on(network.ISOLATED if isolated else "the workers are not isolated")
    assert reached == 0, f"the canary was reached {reached} times, from the server process"


def test_an_allowed_service_query_runs_in_the_worker_that_has_the_network(published: Path) -> None:
    """The routing works, and the canary can see a call: a query marked federated reaches it."""
    build = (published / "current").resolve()

    async def scenario(listener: _Canary) -> tuple[str, str]:
        store = EmbeddedStore(build, size=1, federated=True)
        await store.start()
        try:
            assert store.federated_pool is not None
            answer = await _outcome(store, QueryRequest(calling(listener.endpoint()), RESULTS_JSON, federated=True))
            return answer, store.federated_pool.network
        finally:
            await store.close()

    with canary() as listener:
        answer, state = asyncio.run(scenario(listener))
        reached = listener.connections
    assert state == network.NETWORKED
    assert reached >= 1 and "canary" in answer, answer


def test_a_federated_query_past_its_timeout_has_its_worker_killed_and_replaced(published: Path) -> None:
    """The networked worker obeys the pool's rules: stopped at the query's timeout, and a fresh one answers next."""
    build = (published / "current").resolve()

    async def scenario(listener: _Canary) -> tuple[str, list[int], list[int], str]:
        store = EmbeddedStore(build, size=1, federated=True)
        await store.start()
        try:
            pool = store.federated_pool
            assert pool is not None
            before = pool.worker_pids
            slow = QueryRequest(calling(listener.endpoint("slow")), RESULTS_JSON, timeout=1, federated=True)
            stopped = await _outcome(store, slow)
            await eventually(lambda: bool(pool.worker_pids) and pool.worker_pids != before)
            after = pool.worker_pids
            answer = await _outcome(store, QueryRequest(calling(listener.endpoint()), RESULTS_JSON, federated=True))
            return stopped, before, after, answer
        finally:
            await store.close()

    with canary() as listener:
        stopped, before, after, answer = asyncio.run(scenario(listener))
    assert stopped == "timeout"
    assert len(before) == 1 and len(after) == 1 and before != after, "the networked worker was killed and replaced"
    assert "canary" in answer


def _startup_lines(dist: Path, may_isolate: bool) -> list[str]:
    """What `airegister serve` says until it is ready; then it is stopped."""
    output: list[str] = []
    env = {"AIREGISTER_PROCESSES": "1", "AIREGISTER_WORKERS": "1"}
    with running_server(dist, env=env, may_isolate_network=may_isolate, output=output):
        pass
    return [line.rstrip("\n") for line in output]


def test_serve_says_at_start_up_whether_query_workers_are_cut_off_from_the_network(published: Path) -> None:
    lines = _startup_lines(published, may_isolate=True)
    said = [line for line in lines if line.startswith("network isolation of query workers: ")]
    assert len(said) == 1, lines
    if network.probe() == network.ISOLATED:
        assert ": on (" in said[0] and "no SERVICE endpoint is allowed" in said[0]
    else:
        assert ": off, because " in said[0]
    assert any(line.startswith("ready: ") for line in lines), "the server started either way"


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can take CAP_SYS_ADMIN away from a server it starts")
def test_serve_without_the_privilege_says_the_layer_is_off_and_why_and_still_serves(published: Path) -> None:
    lines = _startup_lines(published, may_isolate=False)
    said = [line for line in lines if line.startswith("network isolation of query workers: ")]
    assert len(said) == 1, lines
    assert ": off, because the system refused them a network namespace" in said[0] and "CAP_SYS_ADMIN" in said[0]
    assert any(line.startswith("ready: ") for line in lines), "the workers run as without the gate"


def test_an_allowed_endpoint_that_fails_is_a_502_in_our_words(published: Path) -> None:
    """pyoxigraph reports a remote endpoint's failure as it reports a broken store (OSError, RuntimeError):
    the client got a 500 'fault on this server'. The allowed endpoint works too, end to end over HTTP."""
    with canary() as listener:
        broken, working = listener.endpoint("broken"), listener.endpoint()
        env = {"AIREGISTER_SERVICE_ALLOWLIST": json.dumps([broken, working])}
        with running_server(published, env=env) as url:
            answers = {}
            for endpoint in (broken, working):
                query = urllib.parse.urlencode({"query": calling(endpoint)})
                request = urllib.request.Request(f"{url}sparql?{query}", headers={"Accept": RESULTS_JSON})
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:
                        answers[endpoint] = (response.status, response.read().decode())
                except urllib.error.HTTPError as error:
                    answers[endpoint] = (error.code, error.read().decode())
    status, body = answers[broken]
    problem = json.loads(body)
    assert status == 502 and problem["error"] == "service-failed", body
    assert "Error" not in problem["message"] and "canary is down" not in problem["message"]
    assert answers[working][0] == 200 and "canary" in answers[working][1]
