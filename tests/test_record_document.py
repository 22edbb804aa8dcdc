"""A record's document (`/doc/project/{ref}`) is its whole named graph: the project, its accountability
groups, its charter assessments (`{iri}#assessment-...`), and what the build derived (the principles it
addresses, the profile the document follows)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from accountability_fixture import PROJECT, REF, accountability_root
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from airegister.publication import layout
from airegister.publish.build import run_build
from airegister.settings import Settings
from airegister.web.app import create_app
from airegister.web.server.asgi_call import get, started


@pytest.fixture(scope="module")
def build(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = accountability_root(repo_root, tmp_path_factory.mktemp("root"))
    dist = tmp_path_factory.mktemp("dist")
    run_build(Settings(root=root), dist)
    built = layout.current_build(dist)
    assert built is not None
    return built


def _named_graph(build: Path) -> Graph:
    """The fixture record's named graph in the published TriG dump."""
    dataset = Dataset()
    dataset.parse(build / layout.DUMPS / "projects.trig", format="trig")
    for graph in dataset.graphs():
        if (PROJECT, None, None) in graph:
            found = Graph()
            for triple in graph:
                found.add(triple)
            return found
    raise AssertionError("the fixture record is in no named graph")


def test_a_record_document_is_its_named_graph_with_assessments_and_profile(build: Path) -> None:
    async def document() -> bytes:
        app = create_app(Settings(dist=build.parent.parent), build=build)
        async with started(app):
            status, headers, body = await get(app, f"/doc/project/{REF}.ttl")
        assert status == 200 and headers["content-type"].startswith("text/turtle")
        return body

    served = Graph().parse(data=asyncio.run(document()), format="turtle")
    expected = _named_graph(build)
    assessments = {s for s in expected.subjects() if isinstance(s, URIRef) and str(s).startswith(f"{PROJECT}#")}
    assert assessments, "the fixture has charter assessments"
    assert assessments <= set(served.subjects()), "the document holds the record's assessments"
    assert isomorphic(served, expected), "the document is the record's named graph, derived triples included"
