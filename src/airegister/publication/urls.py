"""Public URLs of what the build publishes, all made from the one public-URL setting."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class PublicUrls:
    """Builds URLs under a root: the public URL (absolute, may carry a path prefix), or its path alone."""

    root: str

    def __post_init__(self) -> None:
        if not self.root.endswith("/"):
            object.__setattr__(self, "root", self.root + "/")

    def page(self, path: str) -> str:
        return self.root + path.lstrip("/")

    def rooted(self) -> PublicUrls:
        """The same URLs without scheme and host (`/register/doc/...`): links that work wherever the
        server is reached, whatever port it listens on, since the browser supplies the rest."""
        return PublicUrls(urlsplit(self.root).path or "/")

    @property
    def prefix(self) -> str:
        """The path prefix ('' or '/register'), which a proxy may keep or strip."""
        return urlsplit(self.root).path.rstrip("/")
