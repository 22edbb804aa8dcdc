"""Reading and writing the project's RDF files the same way everywhere.

Files written by the importers and the generator go through `write_turtle`, so one record always
serialises to the same bytes (stable prefixes, rdflib's sorted Turtle) and a crash mid-write never
leaves half a file behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rdflib import Graph

from airegister.rdf.namespaces import Base, bind_prefixes
from airegister.rdf.stable import stable_blank_nodes
from airegister.rdf.syntaxes import PARSERS_BY_SUFFIX, TURTLE


def rdf_format(path: Path) -> str | None:
    """The rdflib parser name for a file, by its suffix; None for files that are not RDF."""
    return PARSERS_BY_SUFFIX.get(path.suffix.lower())


def turtle_bytes(graph: Graph, base: Base) -> bytes:
    """Serialise a graph as Turtle with the project's prefixes bound."""
    out = Graph()
    bind_prefixes(out, base)
    # rdflib orders blank nodes by label, and parsing labels them at random: relabel from content first.
    for triple in stable_blank_nodes(graph, salt=""):
        out.add(triple)
    return out.serialize(format=TURTLE.rdflib_format, encoding="utf-8")


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file and a rename, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes files private; content files are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_turtle(graph: Graph, path: Path, base: Base) -> bool:
    """Write a graph as Turtle; returns False (and leaves the file alone) when the bytes are unchanged."""
    data = turtle_bytes(graph, base)
    if path.exists() and path.read_bytes() == data:
        return False
    write_atomic(path, data)
    return True
