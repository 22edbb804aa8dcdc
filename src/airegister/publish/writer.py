"""Writing into a build folder that is not published yet, remembering every download for the catalog."""

from __future__ import annotations

import json
from pathlib import Path

from airegister.publish.files import PublishedFile, describe
from airegister.rdf.stable import gzip_bytes
from airegister.rdf.syntaxes import FileKind, Syntax

GZIP_THRESHOLD = 1 << 20  # dumps of a MiB or more also get a .gz


def json_bytes(payload: object) -> bytes:
    """Stable, readable JSON: sorted keys, two-space indent, a final newline."""
    return (json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


class Writer:
    """Writes files into the partial build folder; `dump` also records the file as a download."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: list[PublishedFile] = []

    def write(self, path: str, data: bytes) -> None:
        target = self.folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    def dump(self, dataset: str, path: str, data: bytes, kind: Syntax | FileKind) -> None:
        """A download of `dataset`, with a gzip copy beside it when it is large."""
        self.write(path, data)
        self.files.append(describe(dataset, path, data, kind))
        if len(data) >= GZIP_THRESHOLD:
            packed = gzip_bytes(data)
            self.write(path + ".gz", packed)
            self.files.append(describe(dataset, path + ".gz", packed, kind, compressed=True))
