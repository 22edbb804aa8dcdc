"""Publishing again in tests: a copy of the shipped content whose one project title says which
publication it is, so a test can tell from an answer's body which build wrote it."""

from __future__ import annotations

import json
import re
import shutil
import urllib.request
from pathlib import Path

from airegister.publication import layout
from airegister.publish.build import run_build
from airegister.settings import Settings

PROJECT = "pstw-2226"
TITLE = "A new virtual assistant for the city of Kortrijk"
MARKED = re.compile(rf"{TITLE} \(publication (\d+)\)")


def content_root(repo_root: Path, target: Path) -> Path:
    """A content root of our own (ontology, shapes, data), to edit and build."""
    for name in ("ontology", "shapes", "data"):
        shutil.copytree(repo_root / name, target / name)
    return target


def publish(root: Path, dist: Path, number: int) -> Path:
    """Build the content with the project's title marked `number`; the new build folder."""
    record = root / "data" / "projects" / f"{PROJECT}.ttl"
    text = MARKED.sub(TITLE, record.read_text(encoding="utf-8"))
    record.write_text(text.replace(TITLE, f"{TITLE} (publication {number})"), encoding="utf-8")
    run_build(Settings(root=root), dist)
    build = layout.current_build(dist)
    assert build is not None
    return build


def publication_in(body: bytes) -> int | None:
    found = MARKED.search(body.decode("utf-8", "replace"))
    return int(found.group(1)) if found else None


def served_build(url: str) -> str:
    with urllib.request.urlopen(url + "healthz", timeout=10) as answer:
        return str(json.loads(answer.read())["build"])
