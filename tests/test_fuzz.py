"""No 5xx from a client's mistake: ten thousand hostile requests (tests/fuzz_requests.py) against the real server.

Every answer must be below 500 and show no Python exception name, stack trace or path of this machine,
and the server must still answer at the end. The requests come from a seed, printed with the counts, so a
failure can be replayed: `AIREGISTER_FUZZ_SEED=7 pytest tests/test_fuzz.py -s` (AIREGISTER_FUZZ_COUNT
changes how many are sent).
"""

from __future__ import annotations

import http.client
import os
import random
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fuzz_requests import FAMILIES, FuzzRequest, requests
from server import running_server

SEED = int(os.environ.get("AIREGISTER_FUZZ_SEED", "13"))
COUNT = int(os.environ.get("AIREGISTER_FUZZ_COUNT", "10000"))
CONNECTIONS = 4  # keep-alive connections, a thread each
REPO = Path(__file__).resolve().parents[1]
EXCEPTION_NAME = re.compile(r"\b[A-Z]\w*(?:Error|Exception|Interrupt)\b|Traceback|\bFile \"[^\"]*\", line \d")


@dataclass(frozen=True)
class Answer:
    status: int
    head: str  # the status line and the headers
    body: bytes


class RawConnection(http.client.HTTPConnection):
    """A keep-alive connection that sends the request line as given, bytes no polite client would send included."""

    def _validate_path(self, url: str) -> None:
        pass

    def _encode_request(self, request: str) -> bytes:
        return request.encode("utf-8", "surrogateescape")


def send(connection: RawConnection, request: FuzzRequest) -> Answer:
    names = {name.lower() for name, _ in request.headers}
    connection.putrequest(request.method, request.target, skip_host="host" in names, skip_accept_encoding=True)
    for name, value in request.headers:
        connection.putheader(name, value.encode("utf-8"))
    framed = names & {"content-length", "transfer-encoding"}
    if not framed and (request.body or request.method in ("POST", "PUT", "PATCH")):
        connection.putheader("Content-Length", str(len(request.body)))
    connection.endheaders(request.body or None)
    response = connection.getresponse()
    body = response.read()
    head = f"{response.status} {response.reason}\n" + "".join(f"{k}: {v}\n" for k, v in response.getheaders())
    return Answer(response.status, head, body)


def leaks(answer: Answer, machine_paths: tuple[str, ...]) -> list[str]:
    """What the answer shows that a client must never see: exception names, traces, paths of this machine."""
    text = answer.head + answer.body.decode("utf-8", "replace")
    return [match.group() for match in EXCEPTION_NAME.finditer(text)] + [p for p in machine_paths if p in text]


@dataclass
class Tally:
    statuses: Counter[int] = field(default_factory=Counter)  # 0: no answer
    failures: list[str] = field(default_factory=list)  # each with the request that caused it
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, request: FuzzRequest, answer: Answer | str, machine_paths: tuple[str, ...]) -> None:
        with self.lock:
            if isinstance(answer, str):
                self.statuses[0] += 1
                self.failures.append(f"{answer} to {request.describe()}")
                return
            self.statuses[answer.status] += 1
            shown = leaks(answer, machine_paths)
            if answer.status >= 500 or shown:
                status_line = answer.head.splitlines()[0]
                self.failures.append(f"{status_line} {shown} {answer.body[:300]!r} to {request.describe()}")


def fire(url: str, batch: list[FuzzRequest], machine_paths: tuple[str, ...], tally: Tally) -> None:
    """Send `batch` in order on one keep-alive connection.

    A request that meets a connection the server has closed is sent once more on a fresh one, as HTTP
    clients do; only a request left without an answer on a fresh connection counts as unanswered.
    """
    parts = urlsplit(url)
    connection = RawConnection(parts.hostname or "", parts.port, timeout=60)
    for request in batch:
        answer: Answer | str = "not sent"
        for _ in range(2):
            try:
                answer = send(connection, request)
                break
            except (OSError, http.client.HTTPException) as error:
                answer = f"no answer ({error.__class__.__name__}: {error})"
                connection.close()  # the next request opens a fresh connection
        tally.add(request, answer, machine_paths)
    connection.close()


@pytest.fixture(scope="module")
def fuzzed(published: Path) -> Iterator[str]:
    """A server of its own with a short query timeout, so a query the generator made slow by mistake ends soon."""
    with running_server(published, env={"AIREGISTER_QUERY_TIMEOUT": "5"}) as url:
        yield url


def test_hostile_requests_get_no_5xx_and_show_nothing_of_the_machine(
    fuzzed: str, published: Path, capsys: pytest.CaptureFixture[str], record_property: Callable[[str, object], None]
) -> None:
    batch = list(requests(SEED, COUNT))
    machine_paths = (str(REPO), str(published.resolve()), "/tmp/", "/root/", "site-packages", sys.prefix)
    echoed = [r for r in batch if EXCEPTION_NAME.search(r.target) or any(p in r.target for p in machine_paths)]
    assert not echoed, "an answer that echoes these requests would look like a leak"
    tally = Tally()
    started = time.monotonic()
    threads = [
        threading.Thread(target=fire, args=(fuzzed, batch[i::CONNECTIONS], machine_paths, tally))
        for i in range(CONNECTIONS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    server_errors = sum(n for status, n in tally.statuses.items() if status >= 500)
    statuses = dict(sorted(tally.statuses.items()))
    summary = (
        f"fuzz: seed {SEED}: {len(batch)} requests in {elapsed:.1f} s, {server_errors} answered 5xx, "
        f"{tally.statuses[0]} unanswered, {len(tally.failures)} failures; by status {statuses}"
    )
    record_property("fuzz", summary)
    with capsys.disabled():
        print("\n" + summary)
        for failure in tally.failures[:30]:
            print("  " + failure)
    if tally.failures:
        pytest.fail(summary + "\n" + "\n".join(tally.failures[:10]), pytrace=False)
    health = RawConnection(urlsplit(fuzzed).hostname or "", urlsplit(fuzzed).port, timeout=10)
    try:
        assert send(health, FuzzRequest("health", "GET", "/healthz")).status == 200
    finally:
        health.close()


def test_the_requests_are_the_same_for_a_seed_and_come_from_every_family() -> None:
    first = list(requests(7, 1000))
    assert first == list(requests(7, 1000))
    assert first != list(requests(8, 1000))
    assert {r.family for r in first} == {maker(random.Random(0)).family for _, maker in FAMILIES}
