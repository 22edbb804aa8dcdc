"""SIGHUP moves a running server to the build `dist/current` names: queries under way end on the build they
started on, the old build is let go once they have, and a build that cannot be opened is refused."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from process_tree import descendants, server_processes
from publications import PROJECT, content_root, publication_in, publish, served_build
from server import running_server

from airegister.publication import layout

# About 11 s on the seed in one worker: every pair of quads, compared and counted, next to the marked title.
SLOW = (
    "SELECT ?title (COUNT(*) AS ?pairs) WHERE { GRAPH ?g { ?project <http://purl.org/dc/terms/title> ?title "
    f'FILTER(STRSTARTS(STR(?project), "https://w3id.org/be-ai-register/id/project/{PROJECT}")) }} '
    "GRAPH ?g1 { ?a ?b ?c } GRAPH ?g2 { ?d ?e ?f } FILTER(STRLEN(STR(?c)) >= STRLEN(STR(?f)) || true) } "
    "GROUP BY ?title"
)


@pytest.fixture(scope="module")
def root(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return content_root(repo_root, tmp_path_factory.mktemp("content"))


def until(condition: Callable[[], bool], what: str, seconds: float = 60, log: list[str] | None = None) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds:g} s: {what}" + ("\n" + "".join(log) if log else ""))
        time.sleep(0.1)


def held_by_a_server(build: Path) -> bool:
    """Whether a server holds `build`'s lock, so that publishing would not prune it."""
    folder = os.open(build, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(folder)
    return False


def point_current_at(dist: Path, build: Path) -> None:
    link = dist / ".current.test"
    link.unlink(missing_ok=True)
    link.symlink_to(Path(layout.BUILDS) / build.name)
    os.replace(link, dist / layout.CURRENT)


def said(output: list[str], text: str) -> int:
    return sum(text in line for line in list(output))


def test_a_query_running_at_sighup_finishes_on_the_old_build(root: Path, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    first = publish(root, dist, 1)
    output: list[str] = []
    started: list[subprocess.Popen[bytes]] = []
    env = {"AIREGISTER_QUERY_TIMEOUT": "120", "AIREGISTER_PROCESSES": "1"}
    with running_server(dist, env=env, output=output, started=started) as url:
        second = publish(root, dist, 2)
        assert served_build(url) == first.name, "a build alone does not move a running server"
        below_before = descendants(started[0].pid)
        answer: dict[str, object] = {}

        def ask() -> None:
            request = urllib.request.Request(
                url + "sparql?query=" + quote(SLOW), headers={"Accept": "application/sparql-results+json"}
            )
            with urllib.request.urlopen(request, timeout=120) as response:
                answer.update(status=response.status, build=response.headers["X-Build"], body=response.read())

        query = threading.Thread(target=ask)
        query.start()
        time.sleep(1.0)  # the query is under way in a worker
        assert query.is_alive()
        started[0].send_signal(signal.SIGHUP)
        until(lambda: served_build(url) == second.name, "the server serves the new build", log=output)
        assert query.is_alive(), "the query was still running when the new build was served"
        assert held_by_a_server(first), "the old build stays locked while a query runs on it"
        query.join(timeout=120)
        assert answer["status"] == 200 and answer["build"] == first.name
        assert publication_in(answer["body"]) == 1  # type: ignore[arg-type]
        until(lambda: not held_by_a_server(first), "the old build's lock is released once its query ended")
        assert held_by_a_server(second)
        below_after = descendants(started[0].pid)
        assert len(below_after) == len(below_before), "the new build has as many workers as the old had"
        assert below_after - below_before, "the new build's workers are new processes"
        with urllib.request.urlopen(url + f"doc/project/{PROJECT}.ttl", timeout=10) as page:
            assert page.headers["X-Build"] == second.name and second.name in page.headers["ETag"]
            assert publication_in(page.read()) == 2
    assert said(output, f"now serving build {second.name} (was {first.name})") == 1


def _drop_manifest(build: Path) -> str:
    (build / layout.MANIFEST).unlink()
    return f"the manifest.json of build {build.name} cannot be read"


def _cut_a_dump(build: Path) -> str:
    dump = build / layout.DUMPS / "all.nt"
    size = dump.stat().st_size
    with dump.open("r+b") as file:
        file.truncate(size // 2)
    return f"dumps/all.nt has {size // 2} bytes where the manifest says {size}"


def _mistype_the_manifest(build: Path) -> str:
    """Regression: a manifest that parses but lists a file path that is not text made the reload raise,
    and the supervisor then stopped answering signals."""
    manifest = json.loads((build / layout.MANIFEST).read_bytes())
    manifest["files"][0]["path"] = 5
    (build / layout.MANIFEST).write_text(json.dumps(manifest))
    return "the manifest lacks a field or has one of the wrong type"


def _empty_the_store(build: Path) -> str:
    shutil.rmtree(build / layout.STORE)
    (build / layout.STORE).mkdir()
    return f"build {build.name} could not be opened"


@pytest.mark.parametrize("processes", [1, 2])
def test_a_damaged_build_is_refused_and_the_previous_one_stays_served(
    root: Path, tmp_path: Path, processes: int
) -> None:
    dist = tmp_path / "dist"
    first = publish(root, dist, 1)
    output: list[str] = []
    started: list[subprocess.Popen[bytes]] = []
    env = {"AIREGISTER_PROCESSES": str(processes)}
    with running_server(dist, env=env, output=output, started=started) as url:
        for number, spoil in enumerate((_drop_manifest, _mistype_the_manifest, _cut_a_dump, _empty_the_store)):
            broken = dist / layout.BUILDS / f"{first.name}-broken-{number}"
            shutil.copytree(first, broken)
            reason = spoil(broken)
            point_current_at(dist, broken)
            refusals = said(output, "reload refused")
            started[0].send_signal(signal.SIGHUP)
            until(lambda n=refusals: said(output, "reload refused") > n, f"the refusal of {broken.name} is printed")
            until(lambda why=reason: said(output, why) > 0, f"the log says why {broken.name} is refused: {reason}")
            assert said(output, f"still serving build {first.name}")
            assert not said(output, f"now serving build {broken.name}")
            for _ in range(4 * processes):  # new connections, likely to reach every process
                assert served_build(url) == first.name
                with urllib.request.urlopen(url + f"doc/project/{PROJECT}.ttl", timeout=10) as page:
                    assert page.status == 200 and publication_in(page.read()) == 1
        if processes > 1:
            # Regression: the supervisor took the build its processes had refused, and the replacement of
            # a process that died then started over it, failed, and stopped the whole server.
            victim = min(server_processes(started[0].pid))
            os.kill(victim, signal.SIGKILL)
            until(lambda: victim not in server_processes(started[0].pid), "the dead process is replaced")
            until(lambda: len(server_processes(started[0].pid)) == processes, "its replacement runs")
            assert started[0].poll() is None, "the server still runs"
            for _ in range(4 * processes):
                assert served_build(url) == first.name
        second = publish(root, dist, 2)
        started[0].send_signal(signal.SIGHUP)
        until(lambda: said(output, f"now serving build {second.name}") == processes, "every process switched")
        for _ in range(2 * processes):
            assert served_build(url) == second.name
        with urllib.request.urlopen(url + "-/version", timeout=10) as version:
            assert json.loads(version.read())["build"] == second.name
        until(lambda: not held_by_a_server(first), "the first build is let go")
    assert not [line for line in output if "Traceback" in line]
