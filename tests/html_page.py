"""Reading an HTML page in tests: its start tags with attributes and its text, whatever the formatting."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit


class Page(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def find(self, tag: str, **wanted: str) -> list[dict[str, str]]:
        """Tags with these attribute values; `aria_current=...` means `aria-current`, `class_` `class`."""
        return [
            a
            for t, a in self.tags
            if t == tag and all(a.get(k.rstrip("_").replace("_", "-")) == v for k, v in wanted.items())
        ]

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


def path_of(url: str) -> str:
    """A served URL as the site's pages link to it: root-relative (`/register/doc/...`), working on any port."""
    return urlsplit(url).path
