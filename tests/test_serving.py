"""`airegister serve` runs two server processes on one port under a supervisor: each answers, one that dies
is replaced, and none outlives the supervisor."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

from process_tree import alive, ancestors, cpu_seconds, descendants, query_workers, server_pid_of, server_processes

LOOKUP = "SELECT ?p ?o WHERE { <https://w3id.org/be-ai-register/id/charter/p1> ?p ?o }"


def _listener(port: int) -> str | None:
    """The inode of the socket listening on the port, if any."""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1].endswith(f":{port:04X}") and fields[3] == "0A":  # 0A: LISTEN
            return fields[9]
    return None


def _holds_socket(pid: int, inode: str) -> bool:
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            if os.readlink(fd) == f"socket:[{inode}]":
                return True
        except OSError:
            continue
    return False


def _lookups_answer(url: str, count: int = 20) -> set[str]:
    """The builds that answered (`X-Build`): fresh connections and distinct texts reach every process,
    past the answer cache."""
    builds = set()
    for number in range(count):
        query = urllib.parse.quote(f"{LOOKUP} # {number}")
        with urllib.request.urlopen(f"{url}sparql?query={query}", timeout=30) as response:
            assert response.status == 200 and b'"bindings"' in response.read()
            builds.add(response.headers["x-build"])
    return builds


def _until(condition: Callable[[], bool], why: str, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, why
        time.sleep(0.1)


def test_two_server_processes_share_the_port_and_one_that_dies_is_replaced(published: Path) -> None:
    from server import running_server

    with running_server(published) as url:
        supervisor = server_pid_of(url)
        inode = _listener(urllib.parse.urlsplit(url).port or 0)
        assert inode is not None
        first = server_processes(supervisor)
        assert len(first) == 2 and all(_holds_socket(pid, inode) for pid in first)
        _lookups_answer(url)
        victim = min(first)
        theirs = {pid for pid in query_workers(supervisor) if victim in ancestors(pid)}
        assert theirs, "the server process has workers of its own"
        os.kill(victim, signal.SIGKILL)
        _lookups_answer(url)  # the other process answers meanwhile
        _until(lambda: len(server_processes(supervisor) - {victim}) == 2, "the dead server process was replaced")
        _until(lambda: not theirs & descendants(supervisor), "the dead process's workers ended with it")
        fresh = server_processes(supervisor) - first
        _until(lambda: all(_holds_socket(pid, inode) for pid in fresh), "the new process serves the same socket")
        _lookups_answer(url)


def test_no_process_outlives_a_supervisor_that_is_killed(published: Path) -> None:
    """SIGKILL leaves the supervisor no time to stop its processes: they stop themselves, workers and all,
    and the port is free again."""
    from server import running_server

    with running_server(published) as url:
        supervisor = server_pid_of(url)
        below = descendants(supervisor)
        assert len(query_workers(supervisor)) == 6, "two server processes, each with two workers and a spare"
        os.kill(supervisor, signal.SIGKILL)
        _until(lambda: not any(alive(pid) for pid in below), "every process below it ended")
        assert _listener(urllib.parse.urlsplit(url).port or 0) is None, "nothing listens on the port any more"


def test_a_server_process_killed_mid_query_takes_its_workers_with_it(published: Path) -> None:
    """A worker whose server process died would run its query on for nobody, past any timeout: it ends."""
    from server import running_server

    heavy = urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    with running_server(published) as url:
        supervisor = server_pid_of(url)
        workers = query_workers(supervisor)
        start = {pid: cpu_seconds(pid) for pid in workers}

        def ask() -> None:
            with contextlib.suppress(OSError):  # its server process is killed: the connection breaks
                urllib.request.urlopen(f"{url}sparql?query={heavy}", timeout=60).read()

        threading.Thread(target=ask, daemon=True).start()
        time.sleep(1.5)
        busy = max(workers, key=lambda pid: cpu_seconds(pid) - start[pid])
        assert cpu_seconds(busy) - start[busy] > 0.5, "one worker runs the heavy query"
        owner = next(pid for pid in server_processes(supervisor) if pid in ancestors(busy))
        os.kill(owner, signal.SIGKILL)
        _until(lambda: not alive(busy), "the busy worker ended with its server process", seconds=10)
        _until(lambda: len(server_processes(supervisor) - {owner}) == 2, "the server process was replaced")
        _lookups_answer(url)


def test_a_replaced_server_process_serves_the_same_build_after_a_newer_one_is_published(
    published: Path, tmp_path: Path
) -> None:
    """The build is resolved once, by the supervisor: a process started later does not switch to what
    `dist/current` points at by then (two builds on one port), and the supervisor keeps its build locked."""
    import shutil

    from server import running_server

    from airegister.publication import layout

    original = (published / "current").resolve()
    dist = tmp_path / "dist"
    shutil.copytree(original, dist / "builds" / original.name)
    (dist / "current").symlink_to(Path("builds") / original.name)
    with running_server(dist) as url:
        supervisor = server_pid_of(url)
        partial = layout.start_partial(dist)
        (partial / "manifest.json").write_text("{}", "utf-8")  # a newer build, with no store even
        layout.publish(dist, partial, "newer")
        before = server_processes(supervisor)
        victim = min(before)
        os.kill(victim, signal.SIGKILL)
        _until(lambda: len(server_processes(supervisor) - {victim}) == 2, "the dead server process was replaced")
        [fresh] = server_processes(supervisor) - {victim} - before
        _until(lambda: len({pid for pid in query_workers(supervisor) if fresh in ancestors(pid)}) == 3,
               "the new process has started its two workers and a spare over the build")  # fmt: skip
        assert _lookups_answer(url) == {original.name}


def test_a_server_process_that_does_not_stop_is_killed_once_a_query_could_have_ended(published: Path) -> None:
    """Stopping the server waits for its processes to finish what they answer, up to the query timeout (and a
    little): one that cannot stop (here: frozen; in life, stuck in native code) is killed, not waited for."""
    from server import running_server

    with running_server(published, env={"AIREGISTER_QUERY_TIMEOUT": "2"}) as url:
        supervisor = server_pid_of(url)
        below = descendants(supervisor)
        frozen = min(server_processes(supervisor))
        os.kill(frozen, signal.SIGSTOP)
        stopping = time.monotonic()
        os.kill(supervisor, signal.SIGTERM)
        _until(lambda: not alive(supervisor), "the server stopped", seconds=60)
        assert time.monotonic() - stopping > 5, "the frozen process had its grace (2 s + 5 s)"
        _until(lambda: not any(alive(pid) for pid in below), "every process below it ended")


def test_regression_server_processes_made_by_a_factory_answer_lookups_on_the_fast_path(published: Path) -> None:
    """The HTTP protocol looked for the fast path on uvicorn's `config.app`, which for the server processes
    is the factory, not the application: every lookup went through the framework, a fifth more CPU each."""
    import uvicorn

    from airegister.publication import layout
    from airegister.settings import Settings
    from airegister.web.app import create_app
    from airegister.web.server.switching import BuildSwitch
    from airegister.web.server.uvicorn_protocol import _switch_of

    settings = Settings(dist=published)
    build = layout.current_build(published)
    assert build is not None

    def factory() -> BuildSwitch:
        return BuildSwitch(settings, create_app(settings, build=build), build)

    config = uvicorn.Config(factory, factory=True)
    config.load()
    switch = _switch_of(config.loaded_app)
    assert isinstance(switch, BuildSwitch) and switch.current.handler.handles(
        {"type": "http", "method": "GET", "path": "/sparql"}
    )
