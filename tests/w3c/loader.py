"""The test-only loader: one build-like folder whose store holds every W3C test's data, one graph per file.

The real server then serves it unchanged; each test picks its own dataset with `default-graph-uri` and
`named-graph-uri`. The store's default graph stays empty, so a test that names only named graphs sees an
empty default graph, as the protocol says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph

from w3c.manifest import ProtocolTest, QueryTest, SuiteFile
from w3c.querytext import lexemes
from w3c.terms import rdf_format

BUILD_NAME = "w3c-sparql11.1"


def query_base(test: QueryTest) -> str:
    """The base IRI a test's query is evaluated against: its own file's IRI in the suite."""
    return test.query.iri


def with_base(test: QueryTest) -> str:
    """The query text, prefixed with `BASE <its IRI>` so relative IRIs resolve as the expected results assume."""
    return f"BASE <{query_base(test)}>\n" + test.query.path.read_text(encoding="utf-8")


def _from_targets(test: QueryTest) -> list[SuiteFile]:
    """Files of the suite that the query names in FROM / FROM NAMED: they must be in the store too."""
    tokens = [word for _, word in lexemes(test.query.path.read_text(encoding="utf-8"))]
    base = test.query.iri.rsplit("/", 1)[0] + "/"
    found = []
    for i, word in enumerate(tokens):
        if word.upper() != "FROM":
            continue
        target = tokens[i + 2] if i + 2 < len(tokens) and tokens[i + 1].upper() == "NAMED" else tokens[i + 1]
        match = re.fullmatch(r"<([^:>]*)>", target)  # relative IRIs only: absolute ones are not suite files
        if match:
            iri = base + match.group(1)
            found.append(SuiteFile(test.query.path.parent / match.group(1), iri))
    return found


def graphs_to_load(query_tests: Iterable[QueryTest], protocol_tests: Iterable[ProtocolTest]) -> dict[str, SuiteFile]:
    """Graph IRI -> the file that fills it: a query test's file under its own IRI, a protocol test's file
    under the graph IRI the test names (http://kasei.us/...), so nothing is fetched from the network."""
    graphs: dict[str, SuiteFile] = {}
    for test in query_tests:
        for file in (*test.data, *test.graph_data, *_from_targets(test)):
            graphs[file.iri] = file
    for protocol_test in protocol_tests:
        for graph_iri, file in protocol_test.graph_data:
            previous = graphs.setdefault(graph_iri, file)
            if previous != file:
                raise ValueError(f"graph {graph_iri} is given two different files: {previous.path} and {file.path}")
    return graphs


def build_store(folder: Path, graphs: dict[str, SuiteFile]) -> Path:
    """Write `{folder}/store` holding each file in its named graph, parsed against the file's suite IRI;
    returns the build folder."""
    folder.mkdir(parents=True, exist_ok=True)
    store = pyoxigraph.Store(str(folder / "store"))
    for graph_iri, file in sorted(graphs.items()):
        store.load(
            path=str(file.path),
            format=rdf_format(file.path.suffix),
            base_iri=file.iri,
            to_graph=pyoxigraph.NamedNode(graph_iri),
        )
    store.flush()
    del store
    return folder


def make_dist(dist: Path, graphs: dict[str, SuiteFile]) -> Path:
    """A publication folder as `airegister build` lays it out: builds/<name>/ and `current` pointing at it."""
    build_store(dist / "builds" / BUILD_NAME, graphs)
    (dist / "current").symlink_to(Path("builds") / BUILD_NAME)
    return dist
