"""How responses leave the server: one TCP segment for a small answer, large files whole."""

from __future__ import annotations

import asyncio
import json
import socket
import struct
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

# struct tcp_info (linux/tcp.h): tcpi_data_segs_in, the segments that carried data, sits at byte 152.
DATA_SEGS_IN = 152


def data_segments_of_response(url: str, path: str) -> tuple[int, bytes]:
    """Send one GET on a fresh connection; the data segments the answer took, and the answer."""
    parts = urllib.parse.urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: */*\r\n\r\n".encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += sock.recv(65536)
        head, _, body = answer.partition(b"\r\n\r\n")
        length = int(next(line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:"))[15:])
        while len(body) < length:
            body += sock.recv(65536)
        info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 256)
    if len(info) < DATA_SEGS_IN + 4:
        pytest.skip("this kernel's tcp_info has no data segment count (Linux 4.6 or later has)")
    return struct.unpack_from("<I", info, DATA_SEGS_IN)[0], body


@pytest.mark.parametrize("path", ["/healthz", "/sparql?query=ASK%20%7B%7D"])
def test_a_small_answer_leaves_in_one_segment(served: str, path: str) -> None:
    """Headers and body in one write: the client is woken once, not twice (a fifth more cached lookups/s)."""
    data_segments, body = data_segments_of_response(served, path)
    assert body
    assert data_segments == 1


def test_a_large_download_arrives_whole(served: str, published: Path) -> None:
    """Writes are joined only up to 64 KiB at a time; a multi-megabyte dump still arrives byte for byte."""
    dump = (published / "current" / "dumps" / "all.nq").read_bytes()
    assert len(dump) > 1 << 20
    with urllib.request.urlopen(served + "dumps/all.nq", timeout=60) as response:
        assert response.read() == dump


def test_an_upgrade_header_gets_the_plain_http_answer(served: str) -> None:
    """Nothing here speaks WebSocket: a client (or proxy) that asks to upgrade gets the page, not a bare 403."""
    headers = {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    }
    request = urllib.request.Request(served + "healthz", headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        assert b'"status":"ok"' in response.read()


def read_response(sock: socket.socket, pending: bytearray) -> tuple[int, dict[str, str], bytes]:
    """One response off a connection (every answer here carries Content-Length); `pending` keeps the rest."""
    while b"\r\n\r\n" not in pending:
        chunk = sock.recv(65536)
        assert chunk, f"the connection closed before a whole response: {bytes(pending)!r}"
        pending += chunk
    head, _, rest = bytes(pending).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
    length = int(headers["content-length"])
    while len(rest) < length:
        chunk = sock.recv(65536)
        assert chunk, "the connection closed in the middle of a body"
        rest += chunk
    pending[:] = rest[length:]
    return int(lines[0].split()[1]), headers, rest[:length]


def test_pipelined_lookups_and_pages_come_back_in_order(served: str) -> None:
    """Lookups answered by the fast path and requests the application answers share one connection in order."""
    parts = urllib.parse.urlsplit(served)
    ask = urllib.parse.quote("ASK { ?s ?p ?o }")
    requests = [
        f"/sparql?query={ask}",  # fast path
        "/healthz",  # the application
        f"/sparql?query={urllib.parse.quote('ASK {')}",  # fast path, a syntax error
        "/sparql",  # the service description, for a machine: the fast path too
        f"/sparql?query={ask}&format=csv",  # fast path again, another format
    ]
    wire = "".join(
        f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: application/sparql-results+json, text/turtle\r\n\r\n"
        for path in requests
    )
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(wire.encode())
        pending = bytearray()
        answers = [read_response(sock, pending) for _ in requests]
    statuses = [status for status, _, _ in answers]
    types = [headers["content-type"].split(";")[0] for _, headers, _ in answers]
    assert statuses == [200, 200, 400, 200, 200]
    results = "application/sparql-results+json"
    assert types == [results, "application/json", "application/json", "text/turtle", "text/csv"]
    assert b'"boolean":true' in answers[0][2] and b'"status":"ok"' in answers[1][2]
    assert b"syntax" in answers[2][2]
    assert b"Service" in answers[3][2] and b"endpoint" in answers[3][2]
    assert all(headers["access-control-allow-origin"] == "*" for _, headers, _ in answers[2:3] + answers[4:])


def test_a_lookup_asked_to_close_the_connection_closes_it(served: str) -> None:
    parts = urllib.parse.urlsplit(served)
    ask = urllib.parse.quote("ASK { ?s ?p ?o }")
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(f"GET /sparql?query={ask} HTTP/1.1\r\nHost: {parts.netloc}\r\nConnection: close\r\n\r\n".encode())
        pending = bytearray()
        status, headers, body = read_response(sock, pending)
        assert status == 200 and headers["connection"] == "close" and b"boolean" in body
        assert sock.recv(100) == b"" and not pending, "the server closed the connection after the answer"


def test_the_server_and_the_application_give_the_same_lookup_answer(served: str, published: Path) -> None:
    """The server answers lookups below the framework; the app (`serve --get`, in-process) through it: same bytes."""
    from airegister.settings import Settings
    from airegister.web.server.asgi_call import get, started
    from airegister.web.server.serving import one_process_app

    queries = [
        ("ASK { ?s ?p ?o }", "application/sparql-results+json"),
        ("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 3", "text/csv"),
        ("CONSTRUCT WHERE { ?s a ?o } LIMIT 2", "application/n-triples"),
        ("SELECT * WHERE { ?s ?p }", "application/sparql-results+json"),  # a syntax error
    ]
    targets = ["/sparql?" + urllib.parse.urlencode({"query": query}) for query, _ in queries]
    pairs = list(zip(targets, queries, strict=True))
    app = one_process_app(Settings(dist=published, public_url=served))

    async def in_process() -> list[tuple[int, dict[str, str], bytes]]:
        async with started(app):
            return [await get(app, target, {"Accept": accept}) for target, (_, accept) in pairs]

    compared = ("content-type", "content-length", "access-control-allow-origin", "vary", "x-build")
    for (target, (query, accept)), (status, headers, body) in zip(pairs, asyncio.run(in_process()), strict=True):
        request = urllib.request.Request(served.rstrip("/") + target, headers={"Accept": accept})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                over_http = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            over_http = error.code, error.headers, error.read()
        assert (over_http[0], over_http[2]) == (status, body), query
        assert {name: over_http[1].get(name) for name in compared} == {name: headers.get(name) for name in compared}


def test_serve_get_prints_one_answer_and_nothing_else(published: Path) -> None:
    """`airegister serve --get PATH` answers one request in-process: the body on stdout, no warning."""
    command = [sys.executable, "-m", "airegister.cli", "serve", "--dist", str(published), "--get", "/healthz"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] == "ok"
    assert done.stderr == ""
    missing = subprocess.run([*command[:-1], "/no-such-page"], capture_output=True, text=True, timeout=120)
    assert missing.returncode == 1
