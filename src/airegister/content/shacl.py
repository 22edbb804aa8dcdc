"""Running pySHACL fast enough for a large register: split the work and use every core (and parse each
constraint once, see shacl_speedups.py).

Most records stand alone: a project file is referenced by no other file, while organisations, schemes
and vocabularies are referenced by many. So the content splits into *shared* files (referenced across
files, or typing nothing) and groups of *independent* files; files typing the same subject, or giving the
same dct:identifier, stay in one group, so uniqueness shapes still see every duplicate. Each chunk of
groups is validated in its own process together with all shared files; the first chunk also validates
the shared subjects, later chunks only their own records (pySHACL's focus nodes). The findings are those
of one big run for every shape whose focus nodes are named (all of ours), in a fraction of the time.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from multiprocessing import get_context

from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF
from rdflib.term import Node

from airegister.content import shacl_speedups
from airegister.content.load import Content
from airegister.rdf.syntaxes import NTRIPLES

CHUNK_RECORDS = 2000  # independent files per chunk: large enough to amortise the shared files


def run_pyshacl(data: Graph, shapes: Graph, focus: Sequence[str] | None = None, speedups: bool = True) -> Graph:
    """One pySHACL run (SHACL Core + SHACL-SPARQL, no inference); returns the results graph.

    The speed-ups (content/shacl_speedups.py) are on unless `speedups` is False, which tests use to show
    they change nothing but the time."""
    with shacl_speedups.applied() if speedups else nullcontext(), shacl_speedups.targets_only_focus():
        _conforms, results, _text = shacl_validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=False,
            allow_warnings=True,
            allow_infos=True,
            focus_nodes=list(focus) if focus else None,
        )
    assert isinstance(results, Graph)
    return results


@dataclass(frozen=True)
class Plan:
    shared: list[URIRef]  # graph names every chunk loads
    chunks: list[list[URIRef]]  # graph names of independent files, one list per chunk
    focus: list[list[str]]  # per chunk: the subjects its files type (IRIs only)


def plan(content: Content, chunk_records: int = CHUNK_RECORDS) -> Plan:
    """Split files into shared ones and chunks of independent ones (see the module docstring)."""
    graphs = sorted(content.files)
    owners: dict[Node, set[URIRef]] = {}  # subject -> the files that type it
    for subject, _p, _o, graph in content.dataset.quads((None, RDF.type, None, None)):
        name = getattr(graph, "identifier", graph)
        if isinstance(subject, URIRef) and name in content.files:
            owners.setdefault(subject, set()).add(name)  # type: ignore[arg-type]
    defines: dict[URIRef, set[URIRef]] = {g: set() for g in graphs}
    for subject, files in owners.items():
        for file in files:
            defines[file].add(subject)  # type: ignore[arg-type]
    shared = {g for g, subjects in defines.items() if not subjects}
    for _s, _p, obj, graph in content.dataset.quads((None, None, None, None)):
        referenced = owners.get(obj)
        if referenced and getattr(graph, "identifier", graph) not in referenced:
            shared.update(referenced)
    # Files that type the same subject are validated together: group them (union-find).
    parent = {g: g for g in graphs}

    def root(g: URIRef) -> URIRef:
        while parent[g] != g:
            parent[g] = parent[parent[g]]
            g = parent[g]
        return g

    def join(files: set[URIRef]) -> None:
        first, *rest = sorted(files)
        for other in rest:
            parent[root(other)] = root(first)

    for files in owners.values():
        join(files)
    # Records sharing a dct:identifier value go together too, so uniqueness shapes see both.
    by_identifier: dict[Node, set[URIRef]] = {}
    for subject, _p, value, graph in content.dataset.quads((None, DCTERMS.identifier, None, None)):
        name = getattr(graph, "identifier", graph)
        if isinstance(subject, URIRef) and name in content.files:
            by_identifier.setdefault(value, set()).add(name)  # type: ignore[arg-type]
    for files in by_identifier.values():
        join(files)
    groups: dict[URIRef, list[URIRef]] = {}
    for g in graphs:
        groups.setdefault(root(g), []).append(g)
    chunks: list[list[URIRef]] = [[]]
    for members in groups.values():
        if any(g in shared for g in members):
            shared.update(members)  # a group touching a shared file is shared as a whole
            continue
        if len(chunks[-1]) >= chunk_records:
            chunks.append([])
        chunks[-1].extend(members)
    focus = [sorted(str(s) for g in chunk for s in defines[g]) for chunk in chunks]
    return Plan(shared=sorted(shared), chunks=chunks, focus=focus)


def _graph_nt(content: Content, names: Sequence[URIRef]) -> bytes:
    merged = Graph()
    for name in names:
        for triple in content.dataset.graph(name):
            merged.add(triple)
    return merged.serialize(format=NTRIPLES.rdflib_format, encoding="utf-8")


def _validate_chunk(shapes_nt: bytes, shared_nt: bytes, chunk_nt: bytes, focus: list[str] | None) -> bytes:
    """Worker: validate one chunk (with the shared files) and return the results as N-Triples."""
    data = Graph()
    data.parse(data=shared_nt, format=NTRIPLES.rdflib_format)
    data.parse(data=chunk_nt, format=NTRIPLES.rdflib_format)
    shapes = Graph().parse(data=shapes_nt, format=NTRIPLES.rdflib_format)
    return run_pyshacl(data, shapes, focus).serialize(format=NTRIPLES.rdflib_format, encoding="utf-8")


def validate_parallel(
    content: Content, data: Graph, workers: int | None = None, chunk_records: int = CHUNK_RECORDS
) -> Graph:
    """The results graph of validating all content, chunked over worker processes when it is large."""
    layout = plan(content, chunk_records)
    if len(layout.chunks) <= 1:
        return run_pyshacl(data, content.shapes)
    shapes_nt = content.shapes.serialize(format=NTRIPLES.rdflib_format, encoding="utf-8")
    shared_nt = _graph_nt(content, layout.shared)
    results = Graph()
    count = max(1, min(workers or os.cpu_count() or 1, len(layout.chunks)))
    with ProcessPoolExecutor(max_workers=count, mp_context=get_context("spawn")) as pool:
        futures = [
            pool.submit(_validate_chunk, shapes_nt, shared_nt, _graph_nt(content, chunk), None if i == 0 else focus)
            for i, (chunk, focus) in enumerate(zip(layout.chunks, layout.focus, strict=True))
        ]
        for future in futures:
            results.parse(data=future.result(), format=NTRIPLES.rdflib_format)
    return results
