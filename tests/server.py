"""Run the real server (uvicorn, loopback, free port) in a subprocess for tests that speak HTTP."""

from __future__ import annotations

import ctypes
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

CAP_SYS_ADMIN = 21  # <linux/capability.h>: a network namespace of one's own
CAP_SYS_NICE = 23  # raising a thread's priority
_PR_CAPBSET_DROP = 24


def _without(capabilities: tuple[int, ...]) -> Callable[[], None] | None:
    """What the server runs before exec to drop `capabilities` from its bounding set: after exec, even
    root no longer has them. None when there is nothing to drop (a user other than root has none)."""
    if not capabilities or os.geteuid() != 0:
        return None

    def drop() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        for capability in capabilities:
            if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), f"prctl(PR_CAPBSET_DROP, {capability}) failed")

    return drop


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_server(
    dist: Path,
    env: dict[str, str] | None = None,
    startup: float = 60.0,
    port: int | None = None,
    prefix: str = "",
    may_raise_priority: bool = True,
    may_isolate_network: bool = True,
    told_its_url: bool = True,
    output: list[str] | None = None,
    started: list[subprocess.Popen[bytes]] | None = None,
) -> Iterator[str]:
    """Serve `dist` on 127.0.0.1 and yield the public URL; the server is stopped on exit, whatever happens.

    It is ready once it says so (every server process has started its workers; a first one answers before
    the others have) and answers `/healthz`.

    With `prefix` ("register/"), the public URL carries that path, as behind a proxy that keeps it.
    Without `may_raise_priority`, the server lacks CAP_SYS_NICE, as one not running as root does; without
    `may_isolate_network`, CAP_SYS_ADMIN, so its query workers cannot leave the network.
    Without `told_its_url`, AIREGISTER_PUBLIC_URL is not set: the server takes the build's. Its output
    (stdout and stderr, line by line) goes to `output` when given, and its process to `started` (to
    signal it).
    """
    port = port or free_port()
    url = f"http://127.0.0.1:{port}/{prefix}"
    environment = {**os.environ, "AIREGISTER_PUBLIC_URL": url, **(env or {})}
    if not told_its_url:
        del environment["AIREGISTER_PUBLIC_URL"]
    command = [sys.executable, "-m", "airegister.cli", "serve", "--dist", str(dist), "--port", str(port)]
    process = subprocess.Popen(
        command,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        preexec_fn=_without(
            ((CAP_SYS_NICE,) if not may_raise_priority else ()) + ((CAP_SYS_ADMIN,) if not may_isolate_network else ())
        ),
    )
    output = [] if output is None else output
    if started is not None:
        started.append(process)
    reader = threading.Thread(target=_collect, args=(process, output), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + startup
        while True:
            if process.poll() is not None:
                reader.join(timeout=5)
                raise RuntimeError(f"the server exited with {process.returncode}:\n{''.join(output)}")
            if any(line.startswith("ready: ") for line in output) and _healthy(url):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer on {url} within {startup:g} s")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=5)


def _collect(process: subprocess.Popen[bytes], output: list[str]) -> None:
    """The server's output, line by line, as it comes (its pipe must be read, or the server may block)."""
    assert process.stdout is not None
    for line in process.stdout:
        output.append(line.decode("utf-8", "replace"))
    process.stdout.close()


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "healthz", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False
