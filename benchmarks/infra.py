"""Benchmark plumbing: tools installed on demand, servers in their own process groups, measured subprocesses."""

from __future__ import annotations

import atexit
import contextlib
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench-out"
PEERS_VENV = OUT / "peers-venv"
PEER_PACKAGES = ("oxigraph", "rdflib-endpoint", "uvicorn")


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def ensure_apt(command: str, package: str) -> str:
    """The path of `command`, installing the Debian `package` first when it is missing (apt-get update on failure)."""
    found = shutil.which(command)
    if found:
        return found
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", package]
    log(f"installing {package}: {shlex.join(install)}")
    if subprocess.run(install, env=env, stdout=subprocess.DEVNULL).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, stdout=subprocess.DEVNULL, check=True)
        subprocess.run(install, env=env, stdout=subprocess.DEVNULL, check=True)
    found = shutil.which(command)
    if not found:
        raise RuntimeError(f"{package} was installed but `{command}` is not on PATH")
    return found


def ensure_peers_venv() -> Path:
    """The peers' venv (oxigraph CLI, rdflib-endpoint, uvicorn), separate from the project's; created when missing."""
    python = PEERS_VENV / "bin" / "python"
    probe = [str(python), "-c", "import rdflib_endpoint, uvicorn"]
    ready = (PEERS_VENV / "bin" / "oxigraph").exists() and python.exists()
    if ready and subprocess.run(probe, capture_output=True).returncode == 0:
        return PEERS_VENV
    log(f"creating {PEERS_VENV} with {', '.join(PEER_PACKAGES)}")
    subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, *PEER_PACKAGES], check=True)
    subprocess.run(probe, check=True)
    return PEERS_VENV


def peer_versions() -> dict[str, str]:
    python = PEERS_VENV / "bin" / "python"
    names = "('oxigraph', 'rdflib-endpoint', 'rdflib')"
    code = f"import importlib.metadata as m; print(' '.join(m.version(p) for p in {names}))"
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return {"oxigraph": out[0], "rdflib-endpoint": out[1], "rdflib": out[2]}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _kill_group(process: subprocess.Popen[bytes], grace: float = 5.0) -> None:
    """SIGTERM the process group, SIGKILL it after `grace` seconds."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # stragglers of the group (worker processes) too
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=grace)


_RUNNING: set[Server] = set()


@dataclass(eq=False)
class Server:
    """A server started in its own session (so its whole process group can be stopped), logging to a file."""

    name: str
    command: list[str]
    port: int
    log_path: Path
    ready_says: str | None = None  # ready only once its log says this (ours: every server process started)
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log(f"starting {self.name}: {shlex.join(self.command)}")
        with self.log_path.open("wb") as sink:
            self.process = subprocess.Popen(
                self.command, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
            )
        _RUNNING.add(self)
        return self

    def wait_ready(self, path: str, timeout: float) -> None:
        """Poll GET `path` until it answers below 500; fails if the process exits or `timeout` passes."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see {self.log_path}:\n{self.log_tail()}")
            if self.ready_says and self.ready_says not in self.log_tail(lines=1000):
                time.sleep(0.5)
                continue
            try:
                with urllib.request.urlopen(self.base + path, timeout=5) as response:
                    if response.status < 500:
                        return
            except urllib.error.HTTPError as error:
                if error.code < 500:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{self.name} was not ready after {timeout:.0f} s; see {self.log_path}")

    def log_tail(self, lines: int = 15) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def stop(self) -> None:
        if self in _RUNNING and self.process is not None:
            _kill_group(self.process)
            log(f"stopped {self.name}")
        _RUNNING.discard(self)


def stop_all() -> None:
    for server in list(_RUNNING):
        server.stop()


def _on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds through the finally blocks that stop the servers


def install_cleanup() -> None:
    atexit.register(stop_all)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _on_signal)


@dataclass
class Measured:
    command: list[str]
    returncode: int | None  # None: killed at the time limit
    seconds: float
    peak_rss_mb: float
    output: str


def run_measured(command: list[str], timeout: float, log_path: Path) -> Measured:
    """Run `command` to completion (or kill its group after `timeout` s): wall time and the child's peak RSS (wait4)."""
    log(f"running: {shlex.join(command)}")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    timed_out = threading.Event()
    with log_path.open("wb") as sink:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
        _RUNNING_MEASURED.add(process)

        def kill() -> None:
            timed_out.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
            _RUNNING_MEASURED.discard(process)
            if process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    output = log_path.read_text(errors="replace")
    return Measured(
        command, None if timed_out.is_set() else process.returncode, seconds, usage.ru_maxrss / 1024, output
    )


_RUNNING_MEASURED: set[subprocess.Popen[bytes]] = set()


def _kill_measured() -> None:
    for process in list(_RUNNING_MEASURED):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


atexit.register(_kill_measured)
