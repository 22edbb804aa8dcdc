"""The files an import changes: each a copy of a content file (or a new one) that rows are applied to.

Several rows may change one file (a project's row and its Charter rows, every row of the Organisations
sheet), so a file is written only when none of the rows that changed it has an error. Validation findings
are placed back on rows through the record each row changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from airegister.content.load import Content


@dataclass
class Target:
    """One file as the rows leave it."""

    path: Path
    graph: Graph
    label: str  # the project's identifier, or the file's name
    new: bool = False
    rows: set[tuple[str, int]] = field(default_factory=set)  # (sheet, row) of every row applied to it
    changes: list[str] = field(default_factory=list)  # the outcome's labels of the changes it holds
    edited: set[tuple[str, int]] = field(default_factory=set)  # (sheet, row) of the rows that changed it

    def changed_by(self, label: str, sheet: str, row: int) -> None:
        self.changes.append(label)
        self.edited.add((sheet, row))


@dataclass(frozen=True)
class Place:
    """Where findings about a record go: a sheet's row; `warnings` False keeps only violations (a project
    only a Charter row touched is not reported for its own gaps there)."""

    sheet: str
    row: int
    warnings: bool = True


@dataclass
class Targets:
    content: Content
    by_path: dict[Path, Target] = field(default_factory=dict)
    places: dict[URIRef, Place] = field(default_factory=dict)  # record IRI -> where its findings go

    def of_file(self, path: Path, label: str) -> Target:
        """The file's target: the one rows already changed, else a copy of the file as loaded."""
        key = path.resolve()
        if key not in self.by_path:
            graph = Graph()
            for triple in self.content.graph_of(path):
                graph.add(triple)
            self.by_path[key] = Target(path, graph, label)
        return self.by_path[key]

    def add_new(self, target: Target) -> None:
        self.by_path[target.path.resolve()] = target

    def place(self, record: URIRef, where: Place) -> None:
        if record not in self.places or (where.warnings and not self.places[record].warnings):
            self.places[record] = where

    def changed(self) -> list[Target]:
        return [t for t in self.by_path.values() if t.changes]
