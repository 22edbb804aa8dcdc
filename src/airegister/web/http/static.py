"""The site's own static assets (one stylesheet, one small script), served with long-lived cache headers.

Asset URLs carry a hash of the file's content (`site.css?v=…`), so a browser may keep a file for a year:
a changed file gets a new URL. The ETag is that hash (not the build's: the assets come with the engine).
Nothing is loaded from another host.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from airegister.publication.urls import PublicUrls
from airegister.web.http.caching import CACHE_CONTROL, entity_tag, revalidated, validators
from airegister.web.http.errors import HttpProblem
from airegister.web.http.named_files import file_in

STATIC = Path(__file__).parent.parent / "static"
MEDIA_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}
FOREVER = "public, max-age=31536000, immutable"
BRIEFLY = CACHE_CONTROL


@cache
def _version(name: str) -> str:
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]


def asset_url(urls: PublicUrls, name: str) -> str:
    """The public URL of a static file, versioned by its content so it can be cached for good."""
    return f"{urls.page('static/' + name)}?v={_version(name)}"


def static_file(name: str, request: Request) -> Response:
    """One file of `static/` by name (no sub-folders, so no path can escape the folder)."""
    path = STATIC / name
    if "/" in name or name.startswith(".") or path.suffix not in MEDIA_TYPES or file_in(STATIC, name) is None:
        raise HttpProblem(404, f"/static/{name} is not a file of this site", kind="not-found")
    version = _version(name)
    cache_control = FOREVER if request.query_params.get("v") == version else BRIEFLY
    headers = validators(entity_tag(version), path.stat().st_mtime, cache_control)
    headers["X-Content-Type-Options"] = "nosniff"
    unchanged = revalidated(request.headers, headers)
    if unchanged is not None:
        return unchanged
    return FileResponse(path, media_type=MEDIA_TYPES[path.suffix], headers=headers)
