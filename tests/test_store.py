"""The embedded store's worker pool, driven on an asyncio loop in debug mode, which checks thread use."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from process_tree import alive
from waiting import eventually

from airegister.store.oxigraph import EmbeddedStore
from airegister.store.pool.fork_server import malloc_tuning
from airegister.store.protocol import QueryFailure, QueryRequest

RESULTS_JSON = "application/sparql-results+json"
PROJECT = "https://w3id.org/be-ai-register/ns#AIProject"
COUNT_PROJECTS = f"SELECT (COUNT(?p) AS ?n) WHERE {{ ?p a <{PROJECT}> }}"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
# About two seconds on the shipped content: still running when a runaway beside it is stopped at 1 s.
LONG = "SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d a <{}> . VALUES ?k {{ {} }} }}".format(
    PROJECT, " ".join(str(k) for k in range(30))
)


def test_regression_worker_channel_is_closed_on_the_event_loop_thread(published: Path) -> None:
    """Replacing a worker closed its socket's transport from an executor thread; uvloop may crash on that.

    A worker killed at its timeout must be replaced, and the next query answered, with asyncio's debug
    checks on: they raise on any loop call made from another thread.
    """
    build = (published / "current").resolve()

    async def scenario() -> tuple[str, bytes, bool]:
        store = EmbeddedStore(build, size=1)
        await store.start()
        try:
            [first] = store.worker_pids
            with pytest.raises(QueryFailure) as stopped:
                await store.query(QueryRequest(HEAVY, RESULTS_JSON, timeout=0.5))
            answer = await store.query(QueryRequest(COUNT_PROJECTS, RESULTS_JSON, timeout=30))
            await eventually(lambda: not alive(first))  # the spare answered at once; the killed one is reaped behind it
            return stopped.value.kind, answer.body, alive(first)
        finally:
            await store.close()

    kind, body, first_alive = asyncio.run(scenario(), debug=True)
    assert kind == "timeout"
    assert b'"n"' in body, "another worker answered the next query"
    assert not first_alive, "the worker that ran past its timeout was killed"


def test_a_store_that_cannot_open_fails_start_with_the_reason_and_leaves_no_worker(
    published: Path, tmp_path: Path
) -> None:
    """All workers are awaited, and the ones that did open are stopped, before start-up reports the failure."""
    build = tmp_path / (published / "current").resolve().name
    shutil.copytree((published / "current").resolve(), build, symlinks=True)
    (build / "store" / "CURRENT").unlink()

    async def scenario() -> tuple[QueryFailure, list[int]]:
        store = EmbeddedStore(build, size=3)
        with pytest.raises(QueryFailure) as failed:
            await store.start()
        pids = store.worker_pids
        await store.close()
        return failed.value, pids

    failure, left = asyncio.run(scenario(), debug=True)
    assert failure.kind == "unavailable"
    assert "cannot open the store" in failure.message and "CURRENT" in failure.message
    assert left == [], "no worker is left running after a failed start"


def test_a_query_sharing_a_process_with_a_runaway_one_is_run_again_and_answered(published: Path) -> None:
    """Two slots, one process: the runaway query's process is killed at its timeout, and the other query,
    still running on the sibling slot, runs again on the fresh process instead of failing."""
    build = (published / "current").resolve()

    async def count(store: EmbeddedStore, query: str) -> int:
        answer = await store.query(QueryRequest(query, RESULTS_JSON, timeout=60))
        return int(json.loads(answer.body)["results"]["bindings"][0]["n"]["value"])

    async def scenario() -> tuple[list[int], list[int], str, int, float, int]:
        store = EmbeddedStore(build, size=2, threads=2)
        await store.start()
        try:
            before = store.worker_pids
            runaway = asyncio.ensure_future(store.query(QueryRequest(HEAVY, RESULTS_JSON, timeout=1.0)))
            await asyncio.sleep(0.3)
            started = time.monotonic()
            sibling = await count(store, LONG)
            took = time.monotonic() - started
            with pytest.raises(QueryFailure) as stopped:
                await runaway
            expected = await count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c }") * await count(
                store, f"SELECT (COUNT(?p) AS ?n) WHERE {{ ?p a <{PROJECT}> }}"
            )
            return before, store.worker_pids, stopped.value.kind, sibling, took, expected * 30
        finally:
            await store.close()

    before, after, kind, sibling, took, expected = asyncio.run(scenario(), debug=True)
    assert len(before) == 1 and len(after) == 1 and before != after, "the one process was killed and replaced"
    assert kind == "timeout"
    assert took > 0.7, "the sibling query was still running when its process was killed"
    assert sibling == expected, "the sibling query, run again, gave the whole answer"


def test_queries_on_a_process_that_dies_by_itself_fail_and_are_not_run_again(published: Path) -> None:
    """A process killed from outside (out of memory, say) may have been brought down by one of its queries:
    its queries fail with a message asking to retry, they are not run again behind the client's back, and
    a fresh process serves the next query."""
    build = (published / "current").resolve()

    async def scenario() -> tuple[list[object], list[int], list[int], bytes]:
        store = EmbeddedStore(build, size=2, threads=2)
        await store.start()
        try:
            before = store.worker_pids
            running = [
                asyncio.ensure_future(store.query(QueryRequest(LONG + f" # {n}", RESULTS_JSON, timeout=60)))
                for n in range(2)
            ]
            await asyncio.sleep(0.5)
            os.kill(before[0], signal.SIGKILL)
            outcomes = await asyncio.gather(*running, return_exceptions=True)
            answer = await store.query(QueryRequest(COUNT_PROJECTS, RESULTS_JSON, timeout=30))
            return outcomes, before, store.worker_pids, answer.body
        finally:
            await store.close()

    outcomes, before, after, body = asyncio.run(scenario(), debug=True)
    assert all(isinstance(outcome, QueryFailure) and outcome.kind == "failed" for outcome in outcomes), outcomes
    assert all("please retry" in str(outcome) for outcome in outcomes)
    assert len(after) == 1 and after != before and b'"n"' in body


def test_a_spare_process_takes_the_place_of_one_killed_at_its_timeout(published: Path) -> None:
    """Opening the store takes about a second on a large register: a spare process that has it open already
    takes the killed one's queries at once, and a new spare is started behind it."""
    build = (published / "current").resolve()

    async def scenario() -> tuple[list[int], int | None, list[int], int | None, bytes]:
        store = EmbeddedStore(build, size=4, threads=4)
        await store.start()
        try:
            active, spare = store.worker_pids, store.spare_pid
            with pytest.raises(QueryFailure):
                await store.query(QueryRequest(HEAVY, RESULTS_JSON, timeout=0.5))
            serving = store.worker_pids  # right after the timeout, before anything else could start
            answer = await store.query(QueryRequest(COUNT_PROJECTS, RESULTS_JSON, timeout=30))
            await eventually(lambda: store.spare_pid is not None)
            return active, spare, serving, store.spare_pid, answer.body
        finally:
            await store.close()

    active, spare, serving, new_spare, body = asyncio.run(scenario(), debug=True)
    assert len(active) == 1 and spare is not None and spare not in active
    assert serving == [spare], "the spare took the killed process's place at once"
    assert b'"n"' in body
    assert new_spare is not None and new_spare not in (spare, *active), "a new spare stands by"


def test_an_operators_other_malloc_tunables_reach_the_workers_beside_ours() -> None:
    """Only the per-thread cache is ours to set; whatever else the operator tunes is kept, theirs first."""
    assert malloc_tuning("glibc.malloc.arena_max=2") == "glibc.malloc.arena_max=2:glibc.malloc.tcache_count=100"
    assert malloc_tuning("glibc.malloc.tcache_count=7:glibc.malloc.arena_max=2") == (
        "glibc.malloc.tcache_count=7:glibc.malloc.arena_max=2"
    )
    assert malloc_tuning(None) == malloc_tuning("") == "glibc.malloc.tcache_count=100"


def _largest_subject(build: Path) -> int:
    largest = json.loads((build / "manifest.json").read_bytes())["largest_subject"]
    assert isinstance(largest, int) and largest > 0
    return largest


def _a_project(build: Path) -> str:
    with (build / "dumps" / "all.nq").open(encoding="utf-8") as dump:
        for line in dump:
            if f"<{PROJECT}>" in line and "#type>" in line:
                return line[1 : line.index(">")]
    raise AssertionError("no project in the dump")


def test_a_one_subject_lookup_is_answered_while_every_worker_is_busy(published: Path) -> None:
    """The only worker runs a runaway query; a lookup of one project's quads is answered in the server's own
    process meanwhile, while any other query waits for a worker."""
    build = (published / "current").resolve()
    lookup = f"SELECT ?p ?o WHERE {{ <{_a_project(build)}> ?p ?o }}"

    async def scenario() -> tuple[bool, int, bool, str]:
        store = EmbeddedStore(build, size=1)
        await store.start()
        try:
            runaway = asyncio.ensure_future(store.query(QueryRequest(HEAVY, RESULTS_JSON, timeout=3)))
            await asyncio.sleep(0.3)
            answer = await store.query(QueryRequest(lookup, RESULTS_JSON, timeout=30))
            runaway_running = not runaway.done()
            with pytest.raises(QueryFailure) as waited:  # a query that needs a worker finds none free
                await store.query(QueryRequest(COUNT_PROJECTS, RESULTS_JSON, timeout=1))
            with pytest.raises(QueryFailure):
                await runaway
            return (
                store.answers_lookups_inline,
                len(json.loads(answer.body)["results"]["bindings"]),
                runaway_running,
                (waited.value.kind),
            )
        finally:
            await store.close()

    here, rows, runaway_running, waited = asyncio.run(scenario(), debug=True)
    assert here and rows > 5 and runaway_running, "the lookup was answered while the worker was busy"
    assert waited == "timeout"


CASES = {
    "a subject past the limit": {"limit": -1},
    "a build whose manifest does not say": {"manifest": lambda manifest: manifest.pop("largest_subject")},
    "a manifest that is not an object": {"manifest": lambda manifest: manifest.clear(), "array": True},
    "a largest subject that is no number": {"manifest": lambda manifest: manifest.update(largest_subject=True)},
    "a timeout under a second": {"timeout": 0.5},
    "the same graph named a hundred times": {"graphs": 100},
}


@pytest.mark.parametrize("case", CASES)
def test_lookups_go_to_the_workers_when_their_cost_has_no_known_bound(
    published: Path, tmp_path: Path, case: str
) -> None:
    """A lookup is answered in the server process only where it cannot run long: otherwise it waits for a
    worker like any query (here the only one is busy, so it times out) and can be stopped there."""
    how: dict[str, Any] = CASES[case]
    source = (published / "current").resolve()
    build = tmp_path / source.name
    shutil.copytree(source, build, symlinks=True)
    largest = _largest_subject(build)
    manifest = json.loads((build / "manifest.json").read_bytes())
    if "manifest" in how:
        how["manifest"](manifest)
    (build / "manifest.json").write_text(json.dumps([] if how.get("array") else manifest), "utf-8")
    subject = _a_project(build)
    graph = "https://w3id.org/be-ai-register/graph/data/projects/"  # any graph IRI: it is never read here
    request = QueryRequest(
        f"SELECT ?p ?o WHERE {{ <{subject}> ?p ?o }}",
        RESULTS_JSON,
        default_graphs=(graph,) * how.get("graphs", 0),
        timeout=how.get("timeout", 1.0),
    )

    async def scenario() -> tuple[bool, str]:
        store = EmbeddedStore(build, size=1, inline_limit=largest + how.get("limit", 0))
        await store.start()
        try:
            runaway = asyncio.ensure_future(store.query(QueryRequest(HEAVY, RESULTS_JSON, timeout=3)))
            await asyncio.sleep(0.3)
            with pytest.raises(QueryFailure) as waited:
                await store.query(request)
            with pytest.raises(QueryFailure):
                await runaway
            return store.answers_lookups_inline, waited.value.kind
        finally:
            await store.close()

    here, kind = asyncio.run(scenario(), debug=True)
    assert kind == "timeout", "the lookup waited for the busy worker"
    assert here is (case in ("a timeout under a second", "the same graph named a hundred times"))


@pytest.mark.parametrize(
    "media_type",
    [RESULTS_JSON, "application/sparql-results+xml", "text/csv", "text/tab-separated-values"],
)
def test_a_lookup_answered_here_is_byte_for_byte_the_workers_answer(published: Path, media_type: str) -> None:
    build = (published / "current").resolve()
    subject = _a_project(build)
    queries = [
        f"SELECT ?p ?o WHERE {{ <{subject}> ?p ?o }}",
        f"PREFIX dct: <http://purl.org/dc/terms/> SELECT DISTINCT * {{ <{subject}> dct:title ?t }} LIMIT 2",
        f"ASK {{ <{subject}> a <{PROJECT}> }}",
        f"SELECT ?o WHERE {{ <{subject}> ex:p ?o }}",  # an undeclared prefix: refused the same way
    ]

    async def answers(inline_limit: int) -> tuple[bool, list[bytes | str]]:
        store = EmbeddedStore(build, size=1, inline_limit=inline_limit)
        await store.start()
        try:
            results: list[bytes | str] = []
            for query in queries:
                try:
                    results.append((await store.query(QueryRequest(query, media_type))).body)
                except QueryFailure as failure:
                    results.append(f"{failure.kind}: {failure.message}")
            return store.answers_lookups_inline, results
        finally:
            await store.close()

    here, inline = asyncio.run(answers(1000))
    pooled_here, pooled = asyncio.run(answers(0))
    assert here and not pooled_here
    assert inline == pooled
    assert isinstance(inline[0], bytes) and len(inline[0]) > 200
    assert isinstance(inline[-1], str) and inline[-1].startswith("syntax: ")


def test_a_worker_or_spare_that_dies_while_idle_is_replaced_at_once(published: Path) -> None:
    """Killed from outside (out of memory, an operator), an idle worker and the spare are replaced at once,
    before any query comes for them: a server process that gets no query for a while keeps a full pool."""
    build = (published / "current").resolve()

    async def scenario() -> tuple[list[int], int | None, list[int], int | None, bytes]:
        store = EmbeddedStore(build, size=1)
        await store.start()
        try:
            [active], spare = store.worker_pids, store.spare_pid
            assert spare is not None
            os.kill(active, signal.SIGKILL)
            os.kill(spare, signal.SIGKILL)
            await eventually(
                lambda: (
                    len(store.worker_pids) == 1
                    and active not in store.worker_pids
                    and store.spare_pid not in (None, spare)
                )
            )
            replaced = store.worker_pids, store.spare_pid  # before any query came
            answer = await store.query(QueryRequest(COUNT_PROJECTS, RESULTS_JSON, timeout=30))
            return [active], spare, *replaced, answer.body
        finally:
            await store.close()

    before, spare, after, new_spare, body = asyncio.run(scenario(), debug=True)
    assert len(after) == 1 and after != before and after != [spare], "a fresh worker serves"
    assert new_spare is not None and new_spare != spare and new_spare not in after, "a fresh spare stands by"
    assert b'"n"' in body
