"""The SPARQL 1.1 Protocol endpoint as clients meet it: negotiation, refusals, timeouts, real clients."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from process_tree import (
    cpu_seconds,
    descendants,
    environment_of,
    query_workers,
    server_pid_of,
    server_processes,
    thread_classes,
)
from rdflib import Graph, URIRef

PROJECT = "https://w3id.org/be-ai-register/ns#AIProject"
COUNT_PROJECTS = f"SELECT (COUNT(?p) AS ?n) WHERE {{ ?p a <{PROJECT}> }}"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def call(
    url: str, params: dict[str, str] | list[tuple[str, str]] | None = None, *, data: bytes | None = None,
    headers: dict[str, str] | None = None, method: str | None = None,
) -> tuple[int, dict[str, str], bytes]:  # fmt: skip
    query = "?" + urllib.parse.urlencode(params) if params else ""
    request = urllib.request.Request(url + query, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def sparql(served: str) -> str:
    return served + "sparql"


def count_of(body: bytes) -> int:
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_get_post_form_and_post_direct_agree(served: str) -> None:
    _, _, by_get = call(sparql(served), {"query": COUNT_PROJECTS})
    form = urllib.parse.urlencode({"query": COUNT_PROJECTS}).encode()
    _, _, by_form = call(sparql(served), data=form, headers={"Content-Type": "application/x-www-form-urlencoded"})
    _, _, direct = call(
        sparql(served), data=COUNT_PROJECTS.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert count_of(by_get) == count_of(by_form) == count_of(direct) >= 79


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/sparql-results+json"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("text/*", "text/csv"),
    ],
)
def test_select_results_are_negotiated(served: str, accept: str | None, expected: str) -> None:
    status, headers, _ = call(sparql(served), {"query": COUNT_PROJECTS}, headers={"Accept": accept} if accept else {})
    assert status == 200
    assert headers["content-type"].split(";")[0] == expected
    assert headers["vary"] == "Accept" and headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/n-quads", "application/n-quads"),
    ],
)
def test_construct_results_are_negotiated(served: str, accept: str | None, expected: str) -> None:
    query = f"CONSTRUCT {{ ?p a <{PROJECT}> }} WHERE {{ ?p a <{PROJECT}> }}"
    status, headers, body = call(sparql(served), {"query": query}, headers={"Accept": accept} if accept else {})
    assert status == 200 and headers["content-type"].split(";")[0] == expected
    fmt = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
           "application/rdf+xml": "xml", "application/n-quads": "nquads"}[expected]  # fmt: skip
    assert len(Graph().parse(data=body, format=fmt)) >= 79


def test_format_parameter_overrides_accept(served: str) -> None:
    status, headers, body = call(
        sparql(served), {"query": COUNT_PROJECTS, "format": "csv"}, headers={"Accept": "application/json"}
    )
    assert status == 200 and headers["content-type"].startswith("text/csv") and body.startswith(b"n\r\n")


def test_unacceptable_type_is_406_listing_the_offers(served: str) -> None:
    status, headers, body = call(sparql(served), {"query": COUNT_PROJECTS}, headers={"Accept": "image/png"})
    assert status == 406
    assert "application/sparql-results+json" in json.loads(body)["offered"]
    assert headers["access-control-allow-origin"] == "*"


def test_syntax_error_is_400_with_position(served: str) -> None:
    status, headers, body = call(sparql(served), {"query": "SELECT * WHERE { ?s ?p }"})
    problem = json.loads(body)
    assert status == 400 and problem["error"] == "syntax-error"
    assert problem["line"] == 1 and problem["column"] > 1
    assert headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize(
    ("data", "content_type", "params"),
    [
        (None, None, {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}),
        (b"update=DROP+ALL", "application/x-www-form-urlencoded", None),
        (b"INSERT DATA { <urn:a> <urn:b> <urn:c> }", "application/sparql-update", None),
        (None, None, {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}),
    ],
)
def test_updates_are_refused_as_read_only(
    served: str, data: bytes | None, content_type: str | None, params: dict[str, str] | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    status, _, body = call(sparql(served), params, data=data, headers=headers)
    assert status == 403
    assert json.loads(body)["error"] == "read-only" and "read-only" in json.loads(body)["message"]


def test_too_long_query_is_413(served: str) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (64 * 1024)
    status, _, body = call(sparql(served), data=query.encode(), headers={"Content-Type": "application/sparql-query"})
    assert status == 413 and "65536" in json.loads(body)["message"]


def test_wrong_media_type_is_415(served: str) -> None:
    status, _, body = call(sparql(served), data=b'{"query": "ASK {}"}', headers={"Content-Type": "application/json"})
    assert status == 415 and "application/sparql-query" in json.loads(body)["message"]


def test_repeated_query_parameter_is_400(served: str) -> None:
    status, _, _ = call(sparql(served), [("query", "ASK {}"), ("query", "ASK {}")])
    assert status == 400


@pytest.mark.parametrize("timeout", ["soon", "nan", "inf", "-1", "0"])
def test_bad_timeout_parameter_is_400(served: str, timeout: str) -> None:
    status, _, body = call(sparql(served), {"query": "ASK {}", "timeout": timeout})
    assert status == 400 and "timeout" in json.loads(body)["message"]


def test_a_timeout_under_a_second_is_taken_as_one_second(served: str) -> None:
    """Stopping a query costs a worker process: a client may not make the server do that every millisecond."""
    status, _, body = call(sparql(served), {"query": COUNT_PROJECTS + " # tiny timeout", "timeout": "0.0001"})
    assert status == 200 and count_of(body) >= 79


def test_service_is_refused_without_allowlist(served: str) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    status, _, body = call(sparql(served), {"query": query})
    assert status == 403 and json.loads(body)["error"] == "service-refused"


def test_default_graph_uri_restricts_the_dataset(served: str, published: Path) -> None:
    charter = "https://w3id.org/be-ai-register/graph/data/charter.ttl"
    _, _, everything = call(sparql(served), {"query": COUNT_PROJECTS})
    _, _, charter_only = call(sparql(served), [("query", COUNT_PROJECTS), ("default-graph-uri", charter)])
    assert count_of(everything) >= 79 and count_of(charter_only) == 0


def test_cors_preflight(served: str) -> None:
    status, headers, _ = call(sparql(served), method="OPTIONS", headers={"Origin": "https://example.org"})
    assert status == 204 and headers["access-control-allow-origin"] == "*"
    assert "POST" in headers["access-control-allow-methods"]


def test_service_description_on_bare_get(served: str) -> None:
    status, headers, body = call(sparql(served), headers={"Accept": "text/turtle"})
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=body, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = URIRef(sparql(served))
    assert (endpoint, URIRef(sd + "endpoint"), endpoint) in graph
    names = {str(o) for o in graph.objects(None, URIRef(sd + "name"))}
    assert "https://w3id.org/be-ai-register/graph/data/charter.ttl" in names


def test_sparqlwrapper_client(served: str) -> None:
    from SPARQLWrapper import JSON, POST, TURTLE, XML, SPARQLWrapper

    client = SPARQLWrapper(sparql(served))
    client.setQuery(COUNT_PROJECTS)
    client.setReturnFormat(JSON)
    assert int(client.query().convert()["results"]["bindings"][0]["n"]["value"]) >= 79
    client.setReturnFormat(XML)
    client.setMethod(POST)
    assert client.query().convert().getElementsByTagName("literal")
    client.setQuery(f"CONSTRUCT {{ ?p a <{PROJECT}> }} WHERE {{ ?p a <{PROJECT}> }}")
    client.setReturnFormat(TURTLE)
    assert len(Graph().parse(data=client.query().convert(), format="turtle")) >= 79


def test_rdflib_sparqlstore_client(served: str) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(sparql(served), returnFormat="json"))
    rows = list(graph.query(f"SELECT ?p WHERE {{ ?p a <{PROJECT}> }} LIMIT 5"))
    assert len(rows) == 5
    assert graph.query("ASK { ?s ?p ?o }").askAnswer is True


def test_runaway_query_is_stopped_and_lookups_go_on(published: Path) -> None:
    """A cartesian product hits the timeout: 503, its worker is killed, a lookup meanwhile is answered."""
    from server import running_server

    with running_server(published, env={"AIREGISTER_QUERY_TIMEOUT": "4"}) as url:
        server_pid = server_pid_of(url)
        before = descendants(server_pid)
        heavy: dict[str, object] = {}

        def run_heavy() -> None:
            heavy["result"] = call(url + "sparql", {"query": HEAVY})
            heavy["done"] = time.monotonic()

        thread = threading.Thread(target=run_heavy)
        thread.start()
        time.sleep(0.5)
        classes = thread_classes(query_workers(server_pid))
        assert list(classes.values()).count("idle") == 1, f"one thread runs the long query as idle work: {classes}"
        assert list(classes.values()).count("batch") >= 3, f"the other query threads are batch work: {classes}"
        assert set(thread_classes(server_processes(server_pid)).values()) == {"normal"}, "the server keeps its priority"
        lookups_done = []
        for _ in range(10):
            status, _, body = call(url + "sparql", {"query": f"ASK {{ ?p a <{PROJECT}> }}"})
            assert status == 200 and json.loads(body)["boolean"] is True
            lookups_done.append(time.monotonic())
        thread.join(timeout=60)
        status, _, body = heavy["result"]  # type: ignore[misc]
        assert status == 503 and json.loads(body)["error"] == "timeout"
        assert max(lookups_done) < heavy["done"], "lookups were answered while the heavy query ran"
        time.sleep(1.0)
        after = descendants(server_pid)
        killed = before - after
        assert len(killed) == 1, "the worker that ran the runaway query was stopped"
        assert len(after) == len(before), "a fresh worker replaced it"
        start = {pid: cpu_seconds(pid) for pid in after}
        time.sleep(1.0)
        busy = sum(cpu_seconds(pid) - start[pid] for pid in after)
        assert busy < 0.5, f"the workers still burn CPU after the timeout ({busy:.2f} s in 1 s)"


def test_a_slow_query_that_finishes_leaves_every_worker_at_normal_priority(published: Path) -> None:
    """Past `slow_query` a query thread is demoted; once it answers, it is restored (or replaced where it can't be)."""
    from server import running_server

    slow = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d a <{PROJECT}> }}"
    with running_server(published, env={"AIREGISTER_SLOW_QUERY": "0.01", "AIREGISTER_WORKERS": "2"}) as url:
        server_pid = server_pid_of(url)
        before = sorted(thread_classes(query_workers(server_pid)).values())
        assert "batch" in before and "idle" not in before
        status, _, body = call(url + "sparql", {"query": slow})
        assert status == 200 and count_of(body) > 79 * 1000
        deadline = time.monotonic() + 10
        while True:
            classes = thread_classes(query_workers(server_pid))
            if sorted(classes.values()) == before:
                break
            assert time.monotonic() < deadline, f"query threads left demoted: {classes}, before: {before}"
            time.sleep(0.1)
        status, _, body = call(url + "sparql", {"query": COUNT_PROJECTS})
        assert status == 200 and count_of(body) >= 79


def test_a_server_that_may_not_raise_priorities_renews_the_slow_querys_thread(published: Path) -> None:
    """Without CAP_SYS_NICE a thread cannot leave the idle class: it hands its slot to a fresh thread of the
    same process, so no process is started or stopped and the store stays open."""
    from server import running_server

    slow = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d a <{PROJECT}> }}"
    env = {"AIREGISTER_SLOW_QUERY": "0.01"}
    with running_server(published, env=env, may_raise_priority=False) as url:
        server_pid = server_pid_of(url)
        before = query_workers(server_pid)
        threads_before = set(thread_classes(before))
        classes_before = sorted(thread_classes(before).values())
        status, _, body = call(url + "sparql", {"query": slow})
        assert status == 200 and count_of(body) > 79 * 1000
        deadline = time.monotonic() + 10
        while True:
            classes = thread_classes(before)
            if sorted(classes.values()) == classes_before and set(classes) != threads_before:
                break
            assert time.monotonic() < deadline, f"the demoted thread was not renewed: {classes}, {classes_before}"
            time.sleep(0.1)
        assert query_workers(server_pid) == before, "no process was started or stopped"
        assert len(threads_before - set(classes)) == 1, "one thread (the demoted one) ended, a fresh one took over"
        for n in range(8):  # every slot answers, the distinct texts get past the answer cache
            status, _, body = call(url + "sparql", {"query": COUNT_PROJECTS + f" # {n}"})
            assert status == 200 and count_of(body) >= 79


def test_a_worker_killed_from_outside_is_replaced_and_no_query_fails(published: Path) -> None:
    """An idle worker that dies (out of memory, a kill) is never handed a query; a fresh one takes its place."""
    import signal

    from server import running_server

    with running_server(published, env={"AIREGISTER_WORKERS": "2"}) as url:
        server_pid = server_pid_of(url)
        workers = query_workers(server_pid)
        assert len(workers) == 4, "each of the two server processes: its share of the 2 workers, and a spare"
        before = len(descendants(server_pid))
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.5)
        for n in range(6):  # distinct texts: the answer cache must not hide the pool
            status, _, body = call(url + "sparql", {"query": COUNT_PROJECTS + f" # {n}"})
            assert status == 200, body
            assert count_of(body) >= 79
        deadline = time.monotonic() + 10
        while len(descendants(server_pid)) != before or descendants(server_pid) & workers:
            assert time.monotonic() < deadline, "the killed workers were not replaced"
            time.sleep(0.1)


def test_a_server_left_running_across_publications_keeps_its_build(published: Path, tmp_path: Path) -> None:
    """Publishing prunes old builds, but not the one a running server serves: its dumps still download, and
    a worker stopped at its timeout is still replaced (the new spare opens the same store); once the server
    has stopped, the next publication prunes it."""
    import shutil

    from server import running_server

    from airegister.publication import layout

    original = layout.current_build(published)
    assert original is not None
    dist = tmp_path / "dist"
    shutil.copytree(original, dist / "builds" / original.name)
    (dist / "current").symlink_to(Path("builds") / original.name)

    def publish_another(name: str) -> None:
        partial = layout.start_partial(dist)
        (partial / "manifest.json").write_text("{}", "utf-8")
        layout.publish(dist, partial, name)

    with running_server(dist, env={"AIREGISTER_WORKERS": "2", "AIREGISTER_QUERY_TIMEOUT": "2"}) as url:
        server_pid = server_pid_of(url)
        before = len(descendants(server_pid))
        for number in range(layout.KEEP + 1):
            publish_another(f"newer{number}")
        builds = sorted(path.name for path in (dist / "builds").iterdir())
        assert original.name in builds and len(builds) == layout.KEEP + 1, builds
        assert call(url + "dumps/all.nq")[0] == 200
        status, _, body = call(url + "sparql", {"query": HEAVY})
        assert status == 503 and json.loads(body)["error"] == "timeout"
        deadline = time.monotonic() + 20
        while len(descendants(server_pid)) != before:
            assert time.monotonic() < deadline, "the worker stopped at its timeout was not replaced"
            time.sleep(0.1)
        status, _, body = call(url + "sparql", {"query": COUNT_PROJECTS + " # after"})
        assert status == 200 and count_of(body) >= 79
    publish_another("newest")
    assert not (dist / "builds" / original.name).exists(), "a build no server serves is pruned"


@pytest.mark.parametrize(("operators", "workers"), [("", "100"), ("glibc.malloc.tcache_count=7", "7")])
def test_query_workers_start_with_a_larger_malloc_cache_unless_the_operator_set_one(
    published: Path, operators: str, workers: str
) -> None:
    """glibc's per-thread cache is enlarged for the workers and the server processes, which answer lookups
    too (about a tenth more uncached lookups/s in paired runs); an operator's own setting wins."""
    from server import running_server

    with running_server(published, env={"GLIBC_TUNABLES": operators}) as url:  # "": none, whatever CI sets
        server_pid = server_pid_of(url)
        pids = query_workers(server_pid) | server_processes(server_pid)
        assert len(pids) >= 6, "two server processes, their workers and spares are running"
        for pid in pids:
            assert environment_of(pid)["GLIBC_TUNABLES"] == f"glibc.malloc.tcache_count={workers}"
        assert call(url + "sparql", {"query": COUNT_PROJECTS})[0] == 200


def test_regression_worker_takes_queries_only_once_its_store_is_open(published: Path, tmp_path: Path) -> None:
    """A fresh worker was handed lookups while it was still opening a large store, and held them up.

    Workers now say when their store is open; one that cannot open it stops the server at start-up with
    the reason, instead of failing the first queries.
    """
    import shutil

    from server import free_port

    broken = tmp_path / "dist"
    build = (published / "current").resolve()
    shutil.copytree(build, broken / "builds" / build.name, symlinks=True)
    (broken / "current").symlink_to(Path("builds") / build.name)
    (broken / "builds" / build.name / "store" / "CURRENT").unlink()
    command = [sys.executable, "-m", "airegister.cli", "serve", "--dist", str(broken), "--port", str(free_port())]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "cannot open the store" in done.stdout + done.stderr


def test_remote_store_answers_through_another_endpoint(published: Path, served: str) -> None:
    """AIREGISTER_STORE pointing at any SPARQL endpoint (here: another running instance) works the same."""
    from server import running_server

    with running_server(published, env={"AIREGISTER_STORE": sparql(served)}) as front:
        status, headers, body = call(front + "sparql", {"query": COUNT_PROJECTS})
        assert status == 200 and headers["content-type"].startswith("application/sparql-results+json")
        _, _, direct = call(sparql(served), {"query": COUNT_PROJECTS})
        assert count_of(body) == count_of(direct)
        status, _, problem = call(front + "sparql", {"query": "SELECT * WHERE { ?s ?p }"})
        assert status == 400 and json.loads(problem)["error"] == "syntax-error"


def test_service_to_an_allowlisted_endpoint_is_answered(published: Path) -> None:
    """AIREGISTER_SERVICE_ALLOWLIST opens SERVICE to the endpoints it names (here: the server itself)."""
    from server import free_port, running_server

    port = free_port()
    endpoint = f"http://127.0.0.1:{port}/sparql"
    env = {"AIREGISTER_SERVICE_ALLOWLIST": json.dumps([endpoint]), "AIREGISTER_WORKERS": "3"}
    with running_server(published, env=env, port=port) as url:
        federated = f"SELECT ?n WHERE {{ SERVICE <{endpoint}> {{ {COUNT_PROJECTS} }} }}"
        status, _, body = call(url + "sparql", {"query": federated})
        assert status == 200, body
        assert count_of(body) >= 79
        elsewhere = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
        assert call(url + "sparql", {"query": elsewhere})[0] == 403


def test_regression_large_answer_after_uvloop_made_the_pipe_non_blocking(served: str) -> None:
    """uvloop leaves a watched pipe non-blocking; reading a multi-chunk answer then failed with 500."""
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    status, _, body = call(sparql(served), {"query": query}, headers={"Accept": "application/n-triples"})
    assert status == 200 and len(body) > 256 * 1024  # several pipe buffers' worth
    assert len(Graph().parse(data=body, format="nt")) == len(body.strip().split(b"\n"))


# Each was answered 500 with the engine's words ("ValueError: Invalid IRI code point ' '", "... No scheme found").
MALFORMED_GRAPH_IRIS = [
    "a b",
    "http://example.org/\\",
    "<http://example.org/g>",
    'http://example.org/"',
    "example.org/g",
]


def _in_each_form(url: str, form: str, query: str, extra: list[tuple[str, str]]) -> tuple[int, dict[str, str], bytes]:
    """A request of the SPARQL 1.1 Protocol, as a GET, a POST of a form or a POST of the query itself."""
    if form == "GET":
        return call(url, [("query", query), *extra])
    if form == "POST form":
        form_body = urllib.parse.urlencode([("query", query), *extra]).encode()
        return call(url, data=form_body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    return call(url, extra, data=query.encode(), headers={"Content-Type": "application/sparql-query"})


@pytest.mark.parametrize("form", ["GET", "POST form", "POST direct"])
@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
@pytest.mark.parametrize("iri", MALFORMED_GRAPH_IRIS)
def test_regression_a_malformed_graph_iri_is_400_in_our_words_not_500(
    served: str, form: str, parameter: str, iri: str
) -> None:
    status, headers, body = _in_each_form(sparql(served), form, COUNT_PROJECTS, [(parameter, iri)])
    problem = json.loads(body)
    assert status == 400, problem
    assert problem["message"].startswith(f"{parameter} must be an absolute IRI"), problem
    assert "Error" not in problem["message"] and "Invalid IRI" not in problem["message"]
    assert headers["access-control-allow-origin"] == "*"


def test_regression_a_function_the_engine_lacks_is_400_without_an_exception_name(served: str) -> None:
    """The worker sent back `RuntimeError: The custom function <...> is not supported`, as a 500."""
    query = "SELECT (<http://example.org/no-such-function>(1) AS ?x) {}"
    status, _, body = call(sparql(served), {"query": query})
    problem = json.loads(body)
    assert status == 400 and problem["error"] == "query-refused"
    assert "<http://example.org/no-such-function>" in problem["message"]
    assert "Error" not in problem["message"]


def test_regression_a_failed_evaluation_names_no_exception() -> None:
    """`evaluate` answered `f"{type(error).__name__}: {error}"`, which the handler passed on to the client."""
    import pyoxigraph

    from airegister.store.pool.worker import evaluate

    message = {
        "query": "ASK { ?s ?p ?o }",
        "media_type": "application/sparql-results+json",
        "default_graphs": ("a b",),  # past the protocol's check, as an in-process lookup or another caller may be
        "named_graphs": (),
        "union_default_graph": False,
        "base_iri": None,
    }
    status, words, _ = evaluate(pyoxigraph.Store(), message)
    assert status == "refused"  # the client's mistake, said in our words
    assert "Error" not in words and "Invalid IRI" not in words


def test_regression_thousands_of_nested_brackets_are_400_and_stop_no_worker(served: str) -> None:
    """The engine's parser recursed once per bracket until its stack overflowed: the worker died, the client
    got a 500, and so did every other query that worker held."""
    for query in ("SELECT * " + "{" * 5000 + "}" * 5000, "SELECT (" + "(" * 5000 + "1" + ")" * 5000 + " AS ?x) {}"):
        status, _, body = call(
            sparql(served), data=query.encode(), headers={"Content-Type": "application/sparql-query"}
        )
        assert status == 400 and json.loads(body)["error"] == "too-deep"
    assert call(sparql(served), {"query": "SELECT * " + "{" * 20 + "}" * 20})[0] == 200


def test_regression_a_long_chain_of_one_operator_is_answered_and_stops_no_worker(served: str) -> None:
    """`1+1+...` or UNION after UNION within the longest query accepted is not nested in the text, so the
    depth check lets it through; the engine then recursed once per link and overflowed a worker thread's
    8 MiB stack: the worker died and the client got a 500."""
    ones = "+".join(["1"] * 10_000)
    unions = " UNION ".join(["{ ?s <urn:none> ?o }"] * 2_300)
    binds = " ".join(f"BIND({i} AS ?v{i})" for i in range(3_000))
    for query in (f"SELECT ({ones} AS ?x) {{}}", f"SELECT * {{ {unions} }}", f"SELECT * {{ {binds} }}"):
        assert len(query.encode()) < 64 * 1024
        status, _, body = call(
            sparql(served), data=query.encode(), headers={"Content-Type": "application/sparql-query"}
        )
        assert status == 200, body[:300]
