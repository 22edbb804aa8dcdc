"""Conditional requests, one rule for every route (RFC 9110 section 13): ETag and Last-Modified in,
304 out.

If-None-Match is compared weakly (`W/"x"` matches `"x"`; `*` matches any current representation), and when
it is present If-Modified-Since is ignored; If-Modified-Since counts only where a Last-Modified is sent.
A build never changes, so every validator we send is derived from the build (the tag carries the build id,
the date is when the build or the file was written) or, for the site's own assets, from the file's content.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import formatdate, parsedate_to_datetime
from functools import cache
from pathlib import Path

from starlette.datastructures import Headers
from starlette.responses import Response

from airegister.publication.layout import MANIFEST

CACHE_CONTROL = "public, max-age=300"


def entity_tag(*parts: str) -> str:
    """A strong entity tag from its parts (`"build-variant-..."`): every route's tags have this form."""
    return '"' + "-".join(parts) + '"'


def _opaque(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def etag_matches(if_none_match: str, tag: str) -> bool:
    """Whether an If-None-Match header names `tag` (weak comparison) or is `*`."""
    wanted = _opaque(tag)
    return any(candidate.strip() == "*" or _opaque(candidate) == wanted for candidate in if_none_match.split(","))


def _date(value: str) -> datetime | None:
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):  # a year past what a date can hold: no date
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


def not_modified(headers: Headers, tag: str, modified: float | None = None) -> bool:
    """Whether the client's copy is current: If-None-Match first, else If-Modified-Since."""
    match = headers.get("if-none-match")
    if match is not None:
        return etag_matches(match, tag)
    since = headers.get("if-modified-since")
    if since and modified is not None:
        when = _date(since)
        return when is not None and when >= datetime.fromtimestamp(int(modified), UTC)
    return False


def http_date(seconds: float) -> str:
    return formatdate(int(seconds), usegmt=True)


@cache
def build_written(build: Path) -> float:
    """When the build was written (its manifest), in seconds: the Last-Modified of what it serves."""
    written = build / MANIFEST
    return float(int((written if written.is_file() else build).stat().st_mtime))


def validators(tag: str, modified: float | None, cache_control: str = CACHE_CONTROL) -> dict[str, str]:
    headers = {"ETag": tag, "Cache-Control": cache_control}
    if modified is not None:
        headers["Last-Modified"] = http_date(modified)
    return headers


def revalidated(request_headers: Headers, headers: Mapping[str, str]) -> Response | None:
    """The 304 to send instead of an answer with these headers when the client's copy is current, else None.

    The validators are read from the answer's own headers, so a route cannot send a Last-Modified that
    If-Modified-Since then ignores.
    """
    last_modified = headers.get("Last-Modified")
    written = _date(last_modified) if last_modified else None
    if not_modified(request_headers, headers["ETag"], written.timestamp() if written else None):
        return Response(status_code=304, headers=dict(headers))  # the full answer's headers, no body
    return None
