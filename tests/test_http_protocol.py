"""How responses leave the server: one TCP segment for a small answer, large files whole."""

from __future__ import annotations

import socket
import struct
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
