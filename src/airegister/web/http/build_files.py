"""Files of the served build (dumps, VoID, catalog), with validators so clients can revalidate cheaply."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from airegister.publication.layout import STORE
from airegister.rdf.syntaxes import served_media_type
from airegister.web.context import AppContext
from airegister.web.http.caching import entity_tag, revalidated, validators
from airegister.web.http.errors import HttpProblem
from airegister.web.http.named_files import file_in


def build_file(context: AppContext, folder: str, name: str, request: Request) -> Response:
    """The file `name` inside the build's `folder` ("" for the build's top); a name that leads out of that
    folder (`..%2F`, which the server decodes to `../`) is not found, so `/dumps/` serves dumps only."""
    root = context.build.resolve()
    path = file_in(root / folder, name)
    relative = f"{folder}/{name}" if folder else name
    if path is None or STORE in path.relative_to(root).parts:
        raise HttpProblem(
            404, f"/{relative} is not a file of this publication; the downloads page lists them", kind="not-found"
        )
    headers = validators(entity_tag(context.store.build_id, relative), path.stat().st_mtime)
    unchanged = revalidated(request.headers, headers)
    if unchanged is not None:
        return unchanged
    return FileResponse(path, media_type=served_media_type(path.suffix.removeprefix(".")), headers=headers)
