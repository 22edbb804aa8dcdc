"""Serve under the public URL's path prefix whether or not a proxy strips it.

With AIREGISTER_PUBLIC_URL=https://example.org/register/, every link the app makes starts with
/register/; a proxy may pass such requests on as they are or strip the prefix first. Both work.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send


class PathPrefix:
    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self.prefix = prefix  # '' or '/register': PublicUrls.prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.prefix and scope["type"] == "http":
            path: str = scope["path"]
            if path == self.prefix or path.startswith(self.prefix + "/"):
                scope = dict(scope)
                scope["path"] = path[len(self.prefix) :] or "/"
                raw = scope.get("raw_path")
                if isinstance(raw, bytes) and raw.startswith(self.prefix.encode()):
                    scope["raw_path"] = raw[len(self.prefix) :] or b"/"
        await self.app(scope, receive, send)
