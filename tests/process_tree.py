"""The real server's processes, read from /proc: which answer HTTP, which evaluate queries, in what state.

`airegister serve` runs a supervisor, its server processes (spawned, each with a fork server) and the
query workers (children of a fork server); with `--processes 1` the supervisor answers HTTP itself.
"""

from __future__ import annotations

import contextlib
import os
import urllib.parse
from pathlib import Path


def descendants(server_pid: int) -> set[int]:
    """Every process below the server (workers come from fork servers, so look deeper than children)."""
    pids: set[int] = set()
    pending = [server_pid]
    while pending:
        parent = pending.pop()
        children = _children(parent)
        pending.extend(children - pids)
        pids.update(children)
    return pids


def _children(pid: int) -> set[int]:
    """The processes `pid` started, over all its threads (a thread may end while we read)."""
    children: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            children.update(int(child) for child in (task / "children").read_text().split())
    return children


def alive(pid: int) -> bool:
    """Running: a zombie (ended, not yet reaped by its parent or by init) is not."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def command_of(pid: int) -> bytes:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    return b""


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def ancestors(pid: int) -> set[int]:
    found: set[int] = set()
    with contextlib.suppress(OSError):  # a process that ended meanwhile
        while pid > 1:
            pid = parent_of(pid)
            found.add(pid)
    return found


def server_processes(server_pid: int) -> set[int]:
    """The processes that answer HTTP: the supervisor's spawned children, or the server itself."""
    spawned = {pid for pid in _children(server_pid) if b"spawn_main" in command_of(pid)}
    return spawned or {server_pid}


def query_workers(server_pid: int) -> set[int]:
    """The query workers: children of a fork server (which is itself a child of a server process)."""
    workers = set()
    for pid in descendants(server_pid):
        with contextlib.suppress(OSError):
            if b"forkserver" in command_of(pid) and b"forkserver" in command_of(parent_of(pid)):
                workers.add(pid)
    return workers


POLICIES = {0: "normal", 3: "batch", 5: "idle"}  # Linux scheduling policies (sched(7))


def thread_classes(pids: set[int]) -> dict[int, str]:
    """The scheduling class of every thread of these processes, by thread id (a query slot is a thread)."""
    classes = {}
    for pid in pids:
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError):  # a thread that ended meanwhile
                fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
                nice, policy = int(fields[16]), int(fields[38])
                classes[int(task.name)] = POLICIES.get(policy, str(policy)) + ("" if nice == 0 else f" nice {nice}")
    return classes


def environment_of(pid: int) -> dict[str, str]:
    entries = Path(f"/proc/{pid}/environ").read_bytes().decode("utf-8", "replace").split("\0")
    return dict(entry.split("=", 1) for entry in entries if "=" in entry)


def server_pid_of(url: str) -> int:
    port = urllib.parse.urlparse(url).port
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in command and str(port).encode() in command:
            return int(entry.name)
    raise AssertionError(f"no server process found for {url}")
