"""`site-index.json`: the contract between the build that writes it and the pages that read it.

The build (`publish/site_index.py`) reduces every project to a small entry; the server
(`web/site/search.py`) loads it once per build. Both sides fold text and split it into search tokens
with the functions here, so a word found at build time is the word a reader types.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from airegister.publication.layout import SITE_INDEX

FORMAT_VERSION = 1
FACETS = ("phase", "org", "level", "domain", "principle", "technique", "capability", "risk")
_WORD = re.compile(r"\w+")


class IndexMissing(Exception):
    """The served build has no site index (built by an older engine): rebuild it."""


def fold(text: str) -> str:
    """Accent- and case-insensitive form: NFKD, combining marks dropped, casefolded."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def tokens(text: str) -> list[str]:
    """The search tokens of a text: folded words of two characters or more."""
    return [word for word in _WORD.findall(fold(text)) if len(word) > 1]


def encode(index: dict[str, object]) -> bytes:
    """Deterministic bytes (compact JSON, sorted keys, a final newline)."""
    data = json.dumps(index, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (data + "\n").encode("utf-8")


def read(build: Path) -> dict[str, Any]:
    path = build / SITE_INDEX
    if not path.is_file():
        raise IndexMissing(f"{build.name} has no {SITE_INDEX}; rebuild with `airegister build`")
    data: dict[str, Any] = json.loads(path.read_bytes())
    return data
