"""Reading the W3C SPARQL 1.1 manifests (Turtle) into plain test descriptions.

Every IRI in the suite is given its W3C address (`http://www.w3.org/2009/sparql/docs/tests/data-sparql11/...`),
the base the expected results were written against: a data file is loaded into the named graph of that IRI,
and a query is evaluated with its own file's IRI as base, so `GRAPH <ng-01.ttl>` in a query and
`<singleton.ttl>` in an expected result both name the graph that holds that file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

SUITE_BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
DAWGT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")

# The query-evaluation suite: the directories of manifest-sparql11-query.ttl that are in the reference copy,
# and the two of manifest-sparql11-results.ttl (results formats). `cast` has no approved test.
QUERY_DIRECTORIES = (
    "aggregates", "bind", "bindings", "cast", "construct", "exists", "functions", "grouping", "negation",
    "project-expression", "property-path", "subquery", "csv-tsv-res", "json-res",
)  # fmt: skip
QUERY_TEST_TYPES = ("QueryEvaluationTest", "CSVResultFormatTest", "NegativeSyntaxTest11", "PositiveSyntaxTest11")


def suite_root(reference: Path) -> Path:
    """The `sparql11` folder of the reference copy of w3c/rdf-tests."""
    return reference / "w3c-sparql11" / "sparql" / "sparql11"


@dataclass(frozen=True)
class SuiteFile:
    """A file of the suite: where it is on disk and the IRI the suite gives it."""

    path: Path
    iri: str


@dataclass(frozen=True)
class QueryTest:
    name: str  # "<directory>/<local name>", e.g. "aggregates/agg01": the pytest id
    kind: str  # one of QUERY_TEST_TYPES
    title: str  # mf:name
    approved: bool
    query: SuiteFile
    data: tuple[SuiteFile, ...] = ()
    graph_data: tuple[SuiteFile, ...] = ()
    result: SuiteFile | None = None


@dataclass(frozen=True)
class HttpRequest:
    method: str
    path: str  # ht:absolutePath, still starting with /sparql/
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    expected_status: tuple[str, ...]  # "2xx", "3xx", "4xx", ...
    expected_format: str | None  # "boolean", "tabular", "RDF"
    expected_boolean: bool | None


@dataclass(frozen=True)
class ProtocolTest:
    name: str  # local name, e.g. "query_post_form"
    title: str
    approved: bool
    requests: tuple[HttpRequest, ...]
    graph_data: tuple[tuple[str, SuiteFile], ...] = field(default=())  # (graph IRI, file)

    @property
    def is_update(self) -> bool:
        """An update-protocol test: named update_* or bad_update*/bad_multiple_updates."""
        return "update" in self.name


def _file(root: Path, iri: Node | None) -> SuiteFile:
    if iri is None or not str(iri).startswith(SUITE_BASE):
        raise ValueError(f"{iri} is not a file of the suite")
    return SuiteFile(root / str(iri)[len(SUITE_BASE) :], str(iri))


def _manifest(root: Path, directory: str) -> tuple[Graph, list[URIRef]]:
    graph = Graph()
    graph.parse(root / directory / "manifest.ttl", format="turtle", publicID=f"{SUITE_BASE}{directory}/manifest.ttl")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    entries = graph.value(manifest, MF.entries)
    return graph, [URIRef(str(entry)) for entry in Collection(graph, entries)] if entries else []


def _approved(graph: Graph, entry: URIRef) -> bool:
    return graph.value(entry, DAWGT.approval) == DAWGT.Approved


def query_tests(reference: Path) -> list[QueryTest]:
    """Every entry of the query-evaluation manifests, approved or not, in manifest order."""
    root = suite_root(reference)
    tests: list[QueryTest] = []
    for directory in QUERY_DIRECTORIES:
        graph, entries = _manifest(root, directory)
        for entry in entries:
            kind = str(graph.value(entry, RDF.type)).rsplit("#", 1)[-1]
            if kind not in QUERY_TEST_TYPES:
                raise ValueError(f"{entry}: unknown test type {kind}")
            action = graph.value(entry, MF.action)
            data: tuple[SuiteFile, ...] = ()
            graph_data: tuple[SuiteFile, ...] = ()
            if isinstance(action, URIRef):  # syntax tests: the action is the query itself
                query = _file(root, action)
            else:
                query = _file(root, graph.value(action, QT.query))
                data = tuple(sorted((_file(root, d) for d in graph.objects(action, QT.data)), key=lambda f: f.iri))
                graph_data = tuple(
                    sorted((_file(root, d) for d in graph.objects(action, QT.graphData)), key=lambda f: f.iri)
                )
            result = graph.value(entry, MF.result)
            tests.append(
                QueryTest(
                    name=f"{directory}/{str(entry).rsplit('#', 1)[-1]}",
                    kind=kind,
                    title=str(graph.value(entry, MF.name) or ""),
                    approved=_approved(graph, entry),
                    query=query,
                    data=data,
                    graph_data=graph_data,
                    result=_file(root, result) if result is not None else None,
                )
            )
    return tests


def _items(graph: Graph, head: Node | None) -> list[Node]:
    return list(Collection(graph, head)) if isinstance(head, BNode | URIRef) else []


def _request(graph: Graph, node: Node) -> HttpRequest:
    headers = tuple(
        (str(graph.value(h, HT.fieldName)).lower(), str(graph.value(h, HT.fieldValue)))
        for h in _items(graph, graph.value(node, HT.headers))
    )
    body_node = graph.value(node, HT.body)
    body: bytes | None = None
    if body_node is not None:
        encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(body_node, CNT.chars)).encode(encoding)
    response = graph.value(node, HT.resp)
    statuses = sorted(str(s).rsplit("StatusCode", 1)[-1] for s in graph.objects(response, MF.expectedStatus))
    expected_format = graph.value(response, MF.expectedFormat)
    expected_boolean = graph.value(response, MF.expectedBoolean)
    return HttpRequest(
        method=str(graph.value(node, HT.methodName)),
        path=str(graph.value(node, HT.absolutePath)),
        headers=headers,
        body=body,
        expected_status=tuple(statuses),
        expected_format=str(expected_format) if expected_format is not None else None,
        expected_boolean=expected_boolean.toPython() if isinstance(expected_boolean, Literal) else None,
    )


def protocol_tests(reference: Path) -> list[ProtocolTest]:
    """The SPARQL 1.1 Protocol tests (HTTP-in-RDF), in manifest order."""
    root = suite_root(reference)
    graph, entries = _manifest(root, "protocol")
    tests = []
    for entry in entries:
        action = graph.value(entry, MF.action)
        requests = tuple(_request(graph, r) for r in _items(graph, graph.value(action, HT.requests)))
        graph_data = tuple(
            sorted(
                (str(graph.value(g, RDFS.label)), _file(root, URIRef(str(graph.value(g, UT.graph)))))
                for g in graph.objects(entry, UT.graphData)
            )
        )
        tests.append(
            ProtocolTest(
                name=str(entry).rsplit("#", 1)[-1],
                title=str(graph.value(entry, MF.name) or ""),
                approved=_approved(graph, entry),
                requests=requests,
                graph_data=graph_data,
            )
        )
    return tests
