"""Load generation: wrk driven by a Lua script (a random path per request, bounded in requests and time),
and a background client that keeps one heavy query running."""

from __future__ import annotations

import http.client
import json
import re
import shlex
import subprocess
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from infra import log

LUA = r"""
-- Written by benchmarks/load.py. Paths come from a file, one a line; each request picks one at random.
-- Each thread stops after max_requests requests (the run is also bounded by wrk's -d duration).
-- With bust = true, a random SPARQL comment ("\n# n") is appended so that no two queries are equal (no cache hit).
local paths_file, accept, max_requests, bust = "%(paths)s", "%(accept)s", %(max_requests)d, %(bust)s
local counter = 1
local threads = {}

function setup(thread)
  thread:set("tid", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  paths = {}
  for line in io.lines(paths_file) do paths[#paths + 1] = line end
  math.randomseed(%(seed)d + tid)
  sent = 0
  wrk.headers["Accept"] = accept
end

function request()
  sent = sent + 1
  if sent >= max_requests then wrk.thread:stop() end
  local path = paths[math.random(#paths)]
  if bust then path = path .. "%%0A%%23" .. math.random(1000000000) end
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p90_us": %%d, "p99_us": %%d, "max_us": %%d, ' ..
    '"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


@dataclass
class LoadResult:
    label: str
    command: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: int  # connect/read/write errors and non-2xx/3xx answers
    timeouts: int
    capped: bool = False  # stopped by the request cap before the duration: req/s is understated

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def wrk_version(wrk: str) -> str:
    done = subprocess.run([wrk, "-v"], capture_output=True, text=True)
    text = (done.stdout + done.stderr).strip().splitlines()
    return text[0] if text else "wrk (unknown version)"


def run_wrk(
    wrk: str,
    base: str,
    paths: list[str],
    workdir: Path,
    label: str,
    *,
    accept: str,
    seconds: float,
    connections: int = 8,
    threads: int = 2,
    max_requests: int = 200_000,
    timeout_s: float = 5.0,
    seed: int = 1,
    bust_cache: bool = False,
) -> LoadResult:
    """One wrk run against `base`, each request a GET of a path drawn at random from `paths`."""
    workdir.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", label)
    paths_file = workdir / f"{stem}.paths"
    paths_file.write_text("\n".join(paths) + "\n")
    script = workdir / f"{stem}.lua"
    per_thread = max(1, max_requests // threads)
    values = {
        "paths": str(paths_file),
        "accept": accept,
        "max_requests": per_thread,
        "seed": seed,
        "bust": "true" if bust_cache else "false",
    }
    script.write_text(LUA % values)
    command = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds:g}s",
        f"--timeout={timeout_s:g}s",
        "-s",
        str(script),
        base,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + timeout_s + 30)
    (workdir / f"{stem}.out").write_text(done.stdout + done.stderr)
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no summary for {label}:\n{done.stdout}\n{done.stderr}")
    data = json.loads(line.removeprefix("WRKJSON "))
    duration = data["duration_us"] / 1e6 or seconds
    result = LoadResult(
        label=label,
        command=shlex.join(command),
        requests=data["requests"],
        seconds=round(duration, 2),
        rps=round(data["requests"] / duration, 1),
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        errors=data["connect"] + data["read"] + data["write"] + data["status"],
        timeouts=data["timeout"],
        capped=data["requests"] >= 0.98 * per_thread * threads,
    )
    if result.capped:
        log(f"WARNING {label}: hit the request cap ({max_requests:,}); its req/s is understated")
    log(
        f"{label}: {result.rps:.0f} req/s, p50 {result.p50_ms:.2f} ms, p99 {result.p99_ms:.2f} ms, "
        f"{result.errors} errors, {result.timeouts} timeouts"
    )
    return result


class HeavyClient(threading.Thread):
    """Sends one heavy GET after another (each bounded by `request_timeout`) until stopped."""

    def __init__(self, port: int, path: str, request_timeout: float) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.path = path
        self.request_timeout = request_timeout
        self.stopping = threading.Event()
        self.outcomes: Counter[str] = Counter()
        self.durations: list[float] = []
        self.sent = 0

    def run(self) -> None:
        while not self.stopping.is_set():
            started = time.monotonic()
            self.sent += 1
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.request_timeout)
            try:
                connection.request("GET", self.path, headers={"Accept": "application/sparql-results+json"})
                response = connection.getresponse()
                response.read()
                self.outcomes[str(response.status)] += 1
            except TimeoutError:
                self.outcomes["client timeout"] += 1
            except OSError as error:
                self.outcomes[type(error).__name__] += 1
                self.stopping.wait(0.2)
            finally:
                connection.close()
            self.durations.append(time.monotonic() - started)

    def stop(self) -> dict[str, object]:
        self.stopping.set()
        return {
            "sent": self.sent,
            "answered": dict(self.outcomes),
            "seconds": [round(d, 2) for d in self.durations],
        }
