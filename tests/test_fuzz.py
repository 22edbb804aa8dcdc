"""No 5xx from a client's mistake: ten thousand hostile requests (tests/fuzz_requests.py) against the real server.

Every answer must be below 500 and show no Python exception name, stack trace, operating system's error or
path of this machine (`leaks`), and the server must still answer at the end. The requests reach every route,
as the app lists them, and come from a seed, printed with the counts, so a failure can be replayed:
`AIREGISTER_FUZZ_SEED=7 pytest tests/test_fuzz.py -s` (AIREGISTER_FUZZ_COUNT changes how many are sent).
"""

from __future__ import annotations

import html
import http.client
import json
import os
import random
import re
import sys
import sysconfig
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import markupsafe
import pytest
from fuzz_requests import EXAMPLES, FAMILIES, FuzzRequest, Routes, requests, route_paths
from server import running_server
from starlette.routing import Route

from airegister.settings import Settings
from airegister.web.app import create_app

SEED = int(os.environ.get("AIREGISTER_FUZZ_SEED", "13"))
COUNT = int(os.environ.get("AIREGISTER_FUZZ_COUNT", "10000"))
CONNECTIONS = 4  # keep-alive connections, a thread each
REPO = Path(__file__).resolve().parents[1]
# Each pattern starts with a literal or a class, which keeps it fast over megabytes of answers.
LEAKS = (
    re.compile(r"[A-Z]\w*(?:Error|Exception|Interrupt|Iteration)\b"),  # ValueError, KeyboardInterrupt, StopIteration
    re.compile(r'Traceback|File "[^"]*", line \d|, line \d+, in [\w<]|\[Errno \d+\]'),  # a trace, a line of one
)
OS_WORDS = ("embedded null byte", "file name too long", "no such file or directory", "permission denied",
            "not a directory", "is a directory", "too many levels of symbolic links")  # fmt: skip


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


def paths_of_this_machine(*more: Path) -> tuple[str, ...]:
    """Where this machine keeps things: the repository, Python's own and its packages, homes, temporary files."""
    homes = (os.path.expanduser("~"), "/root", "/home/")
    python = (sys.prefix, sys.base_prefix, sys.exec_prefix, "site-packages", *sysconfig.get_paths().values())
    found = {str(REPO), *homes, *python, tempfile.gettempdir(), "/tmp", *(str(p.resolve()) for p in more)}
    return tuple(sorted(p for p in found if not any(q != p and p.startswith(q) for q in found)))  # the shortest


def shown(text: str, machine_paths: tuple[str, ...]) -> list[str]:
    """What `text` shows that a client must never see: exception names, traces, the system's errors, paths.

    HTML entities (`File &#34;/x.py&#34;`) and JSON's escapes (`File \\"/x.py\\"`) are read first."""
    text = html.unescape(text).replace('\\"', '"').replace("\\/", "/")
    lowered = text.lower()
    named = [match.group() for pattern in LEAKS for match in pattern.finditer(text)]
    return named + [w for w in OS_WORDS if w in lowered] + [p for p in machine_paths if p in text]


def leaks(answer: Answer, machine_paths: tuple[str, ...]) -> list[str]:
    return shown(answer.head + answer.body.decode("utf-8", "replace"), machine_paths)


@dataclass
class Tally:
    statuses: Counter[int] = field(default_factory=Counter)  # 0: no answer
    failures: list[str] = field(default_factory=list)  # each with the request that caused it
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, request: FuzzRequest, answer: Answer | str, machine_paths: tuple[str, ...]) -> None:
        seen = [] if isinstance(answer, str) else leaks(answer, machine_paths)
        with self.lock:
            if isinstance(answer, str):
                self.statuses[0] += 1
                self.failures.append(f"{answer} to {request.describe()}")
                return
            self.statuses[answer.status] += 1
            if answer.status >= 500 or seen:
                status_line = answer.head.splitlines()[0]
                self.failures.append(f"{status_line} {seen} {answer.body[:300]!r} to {request.describe()}")


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
def app_routes(published: Path) -> list[Route]:
    """The routes of the app over `published`, built in-process; its store is never started (no worker, no server)."""
    found = create_app(Settings(dist=published)).routes
    others = [route for route in found if not isinstance(route, Route)]
    assert not others, f"a mount or a websocket needs paths of its own in the fuzz: {others}"
    return [route for route in found if isinstance(route, Route)]


@pytest.fixture(scope="module")
def routes(app_routes: list[Route]) -> Routes:
    return route_paths(route.path for route in app_routes)


@pytest.fixture(scope="module")
def fuzzed(published: Path) -> Iterator[str]:
    """A server of its own with a short query timeout, so a query the generator made slow by mistake ends soon."""
    with running_server(published, env={"AIREGISTER_QUERY_TIMEOUT": "5"}) as url:
        yield url


def test_hostile_requests_get_no_5xx_and_show_nothing_of_the_machine(
    fuzzed: str,
    published: Path,
    routes: Routes,
    capsys: pytest.CaptureFixture[str],
    record_property: Callable[[str, object], None],
) -> None:
    batch = list(requests(SEED, COUNT, routes))
    paths = paths_of_this_machine(published)
    echoed = [r for r in batch if shown(f"{r.target} {r.headers} {r.body.decode('utf-8', 'replace')}", paths)]
    assert not echoed, f"an answer that echoes these requests would look like a leak: {echoed[0].describe()}"
    tally = Tally()
    started = time.monotonic()
    threads = [
        threading.Thread(target=fire, args=(fuzzed, batch[i::CONNECTIONS], paths, tally)) for i in range(CONNECTIONS)
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


def test_the_requests_are_the_same_for_a_seed_and_come_from_every_family(
    routes: Routes, app_routes: list[Route]
) -> None:
    assert route_paths(route.path for route in reversed(app_routes)) == routes  # whatever the app's order
    first = list(requests(7, 1000, routes))
    assert first == list(requests(7, 1000, routes))
    assert first != list(requests(8, 1000, routes))
    assert {r.family for r in first} == {maker(random.Random(0), routes).family for _, maker in FAMILIES}


def test_the_requests_reach_every_route_of_the_app(app_routes: list[Route]) -> None:
    """A route with slots needs real values in fuzz_requests.EXAMPLES, each one a path of that route."""
    templates = {route.path: route for route in app_routes}
    unfilled = [t for t in templates if "{" in t and t not in EXAMPLES]
    assert not unfilled, f"add example paths for {unfilled} to EXAMPLES in tests/fuzz_requests.py"
    assert set(EXAMPLES) <= set(templates), (
        f"EXAMPLES names routes the app no longer has: {set(EXAMPLES) - set(templates)}"
    )
    for template, examples in EXAMPLES.items():
        route = templates[template]
        for example in examples:
            assert route.path_regex.fullmatch(example.split("?")[0]), f"{example} is no path of {template}"


# Each kind of leak, as Python, the system or a trace would word it: `leaks` must see every one, however escaped.
PLANTED = {
    "an exception's name": "ValueError: could not convert string to float",
    "StopIteration": "StopIteration",
    "OverflowError": "OverflowError: cannot convert float infinity to integer",
    "UnicodeDecodeError": "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff",
    "a trace": "Traceback (most recent call last):",
    "a trace's line": 'File "/srv/app/handler.py", line 3, in handle',
    "a trace's line, cut": 'handler.py", line 3, in <module>',
    "an OS error's number": "[Errno 36] could not open",
    "an OS error's words": "File name too long",
    "a missing file": "No such file or directory",
    "a NUL in a path": "embedded null byte",
    "Python's standard library": sysconfig.get_paths()["stdlib"] + "/json/decoder.py",
    "Python's installation": sys.base_prefix,
    "the environment": sys.prefix,
    "the packages": "/opt/lib/python3/site-packages/starlette/routing.py",
    "the home directory": os.path.expanduser("~") + "/.cache/x",
    "a home directory": "/home/someone/register",
    "the temporary directory": "/tmp",
    "the repository": str(REPO / "src" / "airegister" / "web" / "app.py"),
}


def real_answers(url: str) -> dict[str, Answer]:
    """Answers of the real server to client mistakes: two 400 problems in JSON, a 400 and a 404 page."""
    asked = {
        "a 400 problem (syntax)": FuzzRequest("sample", "GET", "/sparql?query=SELEC"),
        "a 400 problem (timeout)": FuzzRequest("sample", "GET", "/sparql?query=ASK%7B%7D&timeout=nan"),
        "a 400 page": FuzzRequest("sample", "GET", "/sparql?query=SELEC", (("Accept", "text/html"),)),
        "a 404 page": FuzzRequest("sample", "GET", "/nothing-here", (("Accept", "text/html"),)),
    }
    connection = RawConnection(urlsplit(url).hostname or "", urlsplit(url).port, timeout=30)
    try:
        return {name: send(connection, request) for name, request in asked.items()}
    finally:
        connection.close()


def planted(answer: Answer, leak: str) -> list[Answer]:
    """`answer` with `leak` where the server would put it: a header, the problem's message, the page's text."""
    head = answer.head + f"X-Detail: {leak}\n"
    if "application/json" in answer.head:
        problem = json.loads(answer.body)
        problem["message"] += f" ({leak})"
        bodies = [json.dumps(problem).encode()]
    else:
        bodies = [answer.body.replace(b"</main>", f"<p>{escaped}</p></main>".encode()) for escaped in
                  (markupsafe.escape(leak), html.escape(leak), html.escape(leak, quote=False))]  # fmt: skip
    return [Answer(answer.status, head, answer.body)] + [Answer(answer.status, answer.head, b) for b in bodies]


def test_the_leak_check_sees_every_kind_of_leak_and_none_in_real_answers(fuzzed: str, published: Path) -> None:
    paths = paths_of_this_machine(published)
    answers = real_answers(fuzzed)
    assert {answer.status for answer in answers.values()} == {400, 404}
    for name, answer in answers.items():
        assert not leaks(answer, paths), f"{name} is not a leak: {answer.body[:500]!r}"
    for kind, leak in PLANTED.items():
        for name, answer in answers.items():
            missed = [p for p in planted(answer, leak) if not leaks(p, paths)]
            assert not missed, f"{kind} ({leak!r}) in {name} was not seen: {missed[0].head} {missed[0].body[-300:]!r}"
