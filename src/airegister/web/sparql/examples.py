"""The example queries of the query page, kept as files in the build's `queries/` folder."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_HEADER = re.compile(r"#\s*(title|description)\s*:\s*(.*)")


@dataclass(frozen=True)
class Example:
    """A query kept as a file: `# title:` and `# description:` lines, then SPARQL."""

    slug: str
    title: str
    description: str
    text: str


def load_examples(folder: Path) -> list[Example]:
    examples = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        header = {}
        for line in text.splitlines():
            match = _HEADER.match(line)
            if match is None:
                break
            header[match.group(1)] = match.group(2).strip()
        examples.append(Example(path.stem, header.get("title", path.stem), header.get("description", ""), text))
    return examples
