"""Files of the served build (dumps, VoID, catalog), with validators so clients can revalidate cheaply."""

from __future__ import annotations

from email.utils import formatdate

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from airegister.web.context import AppContext
from airegister.web.http.errors import HttpProblem

MEDIA_TYPES = {
    ".ttl": "text/turtle; charset=utf-8",
    ".nt": "application/n-triples",
    ".nq": "application/n-quads",
    ".trig": "application/trig",
    ".jsonld": "application/ld+json",
    ".rdf": "application/rdf+xml",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".gz": "application/gzip",
}


def build_file(context: AppContext, relative: str, request: Request) -> Response:
    store = context.store
    root = context.build.resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root) or not path.is_file() or "store" in path.relative_to(root).parts:
        raise HttpProblem(
            404, f"/{relative} is not a file of this publication; the downloads page lists them", kind="not-found"
        )
    etag = f'"{store.build_id}-{relative}"'
    stat = path.stat()
    headers = {
        "ETag": etag,
        "Last-Modified": formatdate(stat.st_mtime, usegmt=True),
        "Access-Control-Allow-Origin": "*",
        "Cache-Control": "public, max-age=300",
    }
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    media_type = MEDIA_TYPES.get(path.suffix, "application/octet-stream")
    return FileResponse(path, media_type=media_type, headers=headers)
