"""Conditional requests, one rule for every route (RFC 9110 section 13): ETag and Last-Modified in,
304 out.

If-None-Match is compared weakly (`W/"x"` matches `"x"`; `*` matches any current representation), and when
it is present If-Modified-Since is ignored. A build never changes, so every validator we send is derived
from the build: the tag carries the build id, the date is when the build was written.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import formatdate, parsedate_to_datetime
from functools import cache
from pathlib import Path

from starlette.datastructures import Headers
from starlette.responses import Response

CACHE_CONTROL = "public, max-age=300"


def _opaque(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def etag_matches(if_none_match: str, tag: str) -> bool:
    """Whether an If-None-Match header names `tag` (weak comparison) or is `*`."""
    wanted = _opaque(tag)
    return any(candidate == "*" or _opaque(candidate) == wanted for candidate in if_none_match.split(","))


def not_modified(headers: Headers, tag: str, modified: float | None = None) -> bool:
    """Whether the client's copy is current: If-None-Match first, else If-Modified-Since."""
    match = headers.get("if-none-match")
    if match is not None:
        return etag_matches(match, tag)
    since = headers.get("if-modified-since")
    if since and modified is not None:
        try:
            when = parsedate_to_datetime(since)
        except (TypeError, ValueError, IndexError):
            return False
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return when >= datetime.fromtimestamp(int(modified), UTC)
    return False


def http_date(seconds: float) -> str:
    return formatdate(int(seconds), usegmt=True)


@cache
def build_written(build: Path) -> float:
    """When the build was written (its manifest), in seconds: the Last-Modified of what it serves."""
    written = build / "manifest.json"
    return float(int((written if written.is_file() else build).stat().st_mtime))


def validators(tag: str, modified: float | None, cache_control: str = CACHE_CONTROL) -> dict[str, str]:
    headers = {"ETag": tag, "Cache-Control": cache_control}
    if modified is not None:
        headers["Last-Modified"] = http_date(modified)
    return headers


def not_modified_response(headers: dict[str, str]) -> Response:
    """The 304 answer: the validators and the other headers of the full answer, no body."""
    return Response(status_code=304, headers=headers)
