"""Public URLs of what the build publishes, all made from the one public-URL setting."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PublicUrls:
    """Builds absolute URLs under the public URL (which may carry a path prefix)."""

    root: str

    def __post_init__(self) -> None:
        if not self.root.endswith("/"):
            object.__setattr__(self, "root", self.root + "/")

    def page(self, path: str) -> str:
        return self.root + path.lstrip("/")
