"""Load the content root (ontology/, shapes/, data/) into one Dataset, one named graph per file.

A file's graph name is `{base}graph/{path}`, so any triple can be traced back to the file a curator
edits. Parse errors are collected, not raised one at a time: a curator fixes them all in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from airegister.rdf.io import rdf_format
from airegister.rdf.namespaces import Base
from airegister.rdf.stable import stable_blank_nodes

CONTENT_DIRS = ("ontology", "data")
SHAPES_DIR = "shapes"
SOURCE_ONLY_SHAPES = "source-only"  # under shapes/: rules about source files, checked, never published

_LINE_PATTERNS = (
    re.compile(r"\bat line (\d+)", re.IGNORECASE),
    re.compile(r"\bline[: ]+(\d+)", re.IGNORECASE),
)


class ContentError(Exception):
    """The content root cannot be used at all (missing folders); the CLI turns it into exit code 2."""


@dataclass(frozen=True)
class ParseProblem:
    """A file that could not be parsed, with the line rdflib pointed at when it said one."""

    path: Path
    line: int | None
    message: str


@dataclass
class Content:
    """The loaded content: every file's triples in its own named graph, and the files that failed."""

    root: Path
    base: Base
    dataset: Dataset
    shapes: Graph
    files: dict[URIRef, Path] = field(default_factory=dict)
    problems: list[ParseProblem] = field(default_factory=list)

    def graph_of(self, path: Path) -> Graph:
        return self.dataset.graph(self.base.graph(self.relative(path)))

    def relative(self, path: Path) -> str:
        """A file's name in reports and graph names: relative to the root when inside it."""
        path = path.resolve()
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else path.as_posix()

    def union(self, replacing: Mapping[Path, Graph] | None = None) -> Graph:
        """All content triples (not the shapes) in one graph, as SHACL validation wants them.

        `replacing` gives some files (loaded or new) other triples, as an importer would write them;
        the loaded content itself is left as it is.
        """
        replaced = {path.resolve() for path in replacing or {}}
        union = Graph()
        for graph in self.dataset.graphs():
            path = self.files.get(graph.identifier)  # type: ignore[call-overload]
            if path is not None and (not replaced or path.resolve() not in replaced):
                for triple in graph:
                    union.add(triple)
        for graph in (replacing or {}).values():
            for triple in graph:
                union.add(triple)
        return union


def rdf_files(folder: Path) -> Iterator[Path]:
    """RDF files below a folder, in a stable order, skipping hidden files and editor leftovers."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith(".") and rdf_format(path):
            yield path


def _line_of(message: str) -> int | None:
    for pattern in _LINE_PATTERNS:
        match = pattern.search(message)
        if match:
            return int(match.group(1))
    return None


def parse_file(path: Path, into: Graph, salt: str | None = None, stable: bool = True) -> ParseProblem | None:
    """Parse one file into `into`; on failure return what went wrong and leave `into` untouched.

    `stable=False` keeps rdflib's blank-node labels: for files that are read but never published from
    their graph (the shapes, copied byte for byte), where canonical labelling is only a cost, and a
    large one for a file of many alike RDF lists (SHACL paths).
    """
    scratch = Graph()
    try:
        scratch.parse(path, format=rdf_format(path))
    except Exception as error:  # rdflib raises many exception types for bad syntax
        message = " ".join(str(error).split()) or type(error).__name__
        return ParseProblem(path=path, line=_line_of(message), message=message)
    for triple in stable_blank_nodes(scratch, salt if salt is not None else path.name) if stable else scratch:
        into.add(triple)
    return None


def load(root: Path, base: Base, extra: Iterable[Path] = ()) -> Content:
    """Load ontology/ and data/ (one named graph per file) and shapes/ (one graph) from `root`.

    `extra` names further record files or folders (the paths given to `validate`); they are loaded
    into their own named graphs too, named by their path relative to the root when they sit inside it.
    """
    root = root.resolve()
    missing = [name for name in (*CONTENT_DIRS, SHAPES_DIR) if not (root / name).is_dir()]
    if missing:
        raise ContentError(
            f"{root} is not a content root: it has no {', '.join(n + '/' for n in missing)} "
            "(use --root DIR to point at the folder holding ontology/, shapes/ and data/)"
        )
    content = Content(root=root, base=base, dataset=Dataset(default_union=True), shapes=Graph())
    paths: list[Path] = [p for name in CONTENT_DIRS for p in rdf_files(root / name)]
    for item in extra:
        item = item.resolve()
        if not item.exists():
            raise ContentError(f"{item}: no such file or folder")
        paths.extend(rdf_files(item) if item.is_dir() else [item])
    seen: set[Path] = set()
    for path in paths:
        if path in seen:
            continue
        seen.add(path)
        name = content.relative(path).lstrip("/")
        identifier = base.graph(name)
        problem = parse_file(path, content.dataset.graph(identifier), salt=name)
        content.files[identifier] = path
        if problem:
            content.problems.append(ParseProblem(Path(content.relative(path)), problem.line, problem.message))
    for path in rdf_files(root / SHAPES_DIR):
        problem = parse_file(path, content.shapes, stable=False)
        if problem:
            content.problems.append(ParseProblem(Path(content.relative(path)), problem.line, problem.message))
    return content
