"""What a build publishes, file by file: the facts the catalog states about each download."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

FILE_TYPE_LABELS = {
    "RDF_TURTLE": "Turtle",
    "RDF_N_TRIPLES": "N-Triples",
    "RDF_N_QUADS": "N-Quads (one named graph per source file)",
    "RDF_TRIG": "TriG (one named graph per source file)",
    "JSON_LD": "JSON-LD",
    "RDF_XML": "RDF/XML",
    "CSV": "CSV (one row per project)",
    "JSON": "CSVW metadata (maps the CSV back to RDF)",
}


@dataclass(frozen=True)
class PublishedFile:
    """One file of the build: where it sits, what it holds and its size and checksum."""

    dataset: str  # the dataset's short name ("projects"), or "" for files outside any dataset
    path: str  # relative to the build folder, e.g. "dumps/projects.ttl"
    media_type: str
    file_type: str  # EU file-type code, e.g. "RDF_TURTLE"
    size: int
    sha256: str
    compressed: bool = False

    @property
    def file_type_label(self) -> str:
        return FILE_TYPE_LABELS.get(self.file_type, self.file_type)

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


def describe(
    dataset: str, path: str, data: bytes, media_type: str, file_type: str, compressed: bool = False
) -> PublishedFile:
    return PublishedFile(dataset, path, media_type, file_type, len(data), hashlib.sha256(data).hexdigest(), compressed)
