"""`manifest.json`: what a build holds, written last by the build and read by the server.

The manifest is the typed part of the build contract: its id, the engine that made it, the base IRI and
public URL it was made for, counts, the largest subject (which bounds a one-subject lookup, see
`store/inline_lookups.py`) and every file with its size and SHA-256.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from airegister.publication.layout import (
    CATALOG_SYNTAXES,
    MANIFEST,
    SITE_INDEX,
    STORE,
    VOID,
    catalog_file,
)


class ManifestUnreadable(Exception):
    """The build has no manifest, or one that is not ours: the build is incomplete or damaged.

    Its message names the build, never a path or a parser's words, since the server may show it."""


@dataclass(frozen=True)
class ManifestFile:
    path: str  # relative to the build folder, e.g. "dumps/projects.ttl"
    dataset: str  # the dataset's short name, or "" for files outside any dataset
    media_type: str
    bytes: int
    sha256: str


_FILE_FIELDS = tuple(ManifestFile.__dataclass_fields__)


def _file(entry: Any) -> ManifestFile:
    """One entry of the file list, checked: its path stays inside the build, its size is a count."""
    if not isinstance(entry, dict):
        raise TypeError("a file entry is not an object")
    fields = {name: entry[name] for name in _FILE_FIELDS}
    path, size = fields["path"], fields["bytes"]
    if not isinstance(path, str) or not path or "\0" in path or path.startswith("/") or ".." in path.split("/"):
        raise ValueError("a file's path is not a relative path inside the build")
    if type(size) is not int or size < 0:
        raise ValueError("a file's size is not a count of bytes")
    if not all(isinstance(fields[name], str) for name in ("dataset", "media_type", "sha256")):
        raise TypeError("a file's dataset, media type or checksum is not text")
    return ManifestFile(**fields)


@dataclass(frozen=True)
class Manifest:
    build_id: str
    engine: str
    base_iri: str
    public_url: str
    projects: int
    triples: dict[str, int]  # by dataset short name
    largest_subject: int | None  # None in builds made before it was recorded
    files: tuple[ManifestFile, ...] = field(default_factory=tuple)

    def to_json(self) -> bytes:
        data = asdict(self)
        data["files"] = [asdict(f) for f in sorted(self.files, key=lambda f: f.path)]
        return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, data: Any) -> Manifest:
        if not isinstance(data, dict) or not isinstance(data.get("files"), list):
            raise ManifestUnreadable("the manifest is not an object with a list of files")
        largest = data.get("largest_subject")
        triples = data.get("triples", {})
        if not isinstance(triples, dict):
            raise ManifestUnreadable("the manifest's triples are not counted by dataset")
        try:
            return cls(
                build_id=str(data["build_id"]),
                engine=str(data.get("engine", "")),
                base_iri=str(data.get("base_iri", "")),
                public_url=str(data.get("public_url", "")),
                projects=int(data.get("projects", 0)),
                triples={str(name): int(count) for name, count in triples.items()},
                largest_subject=largest if type(largest) is int else None,
                files=tuple(_file(f) for f in data["files"]),
            )
        except (KeyError, TypeError, ValueError):
            raise ManifestUnreadable("the manifest lacks a field or has one of the wrong type") from None

    @classmethod
    def load(cls, build: Path) -> Manifest:
        try:
            data = json.loads((build / MANIFEST).read_bytes())
        except (OSError, ValueError):
            raise ManifestUnreadable(f"the {MANIFEST} of build {build.name} cannot be read") from None
        return cls.from_json(data)


def damage(build: Path) -> str | None:
    """What makes `build` unfit to serve, in words for the operator (None: nothing found).

    It must have a readable manifest, every file the manifest lists at the size it records, the files the
    server reads outside the dumps, and a store. Checksums are left to the build that wrote them: reading
    every dump again would make a reload as slow as the dumps are large."""
    try:
        manifest = Manifest.load(build)
    except ManifestUnreadable as error:
        return str(error)
    for listed in manifest.files:
        try:
            size = (build / listed.path).stat().st_size
        except OSError:
            return f"{listed.path} is missing"
        if size != listed.bytes:
            return f"{listed.path} has {size} bytes where the manifest says {listed.bytes}"
    needed = [SITE_INDEX, VOID, *(catalog_file(build, s.extension).name for s in CATALOG_SYNTAXES)]
    for name in needed:
        if not (build / name).is_file():
            return f"{name} is missing"
    if not (build / STORE).is_dir():  # queries/ and shapes/ may be absent: a content root need not have them
        return "its store folder is missing"
    return None
