"""What a build publishes, file by file: the facts the catalog, VoID and the manifest state about each download."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from airegister.publication.manifest import ManifestFile
from airegister.rdf.syntaxes import FileKind, Syntax


@dataclass(frozen=True)
class PublishedFile:
    """One file of the build: where it sits, its format (a row of the syntax table), size and checksum."""

    dataset: str  # the dataset's short name ("projects"), or "" for files outside any dataset
    path: str  # relative to the build folder, e.g. "dumps/projects.ttl"
    kind: Syntax | FileKind  # of the content; a gzip file has its content's kind and `compressed`
    size: int
    sha256: str
    compressed: bool = False

    @property
    def media_type(self) -> str:
        return self.kind.media_type

    @property
    def file_type(self) -> str:
        """EU file-type code, e.g. "RDF_TURTLE"."""
        return self.kind.file_type

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    def manifest_entry(self) -> ManifestFile:
        return ManifestFile(self.path, self.dataset, self.media_type, self.size, self.sha256)


def describe(dataset: str, path: str, data: bytes, kind: Syntax | FileKind, compressed: bool = False) -> PublishedFile:
    return PublishedFile(dataset, path, kind, len(data), hashlib.sha256(data).hexdigest(), compressed)
