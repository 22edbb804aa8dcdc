"""What the build adds for profile 2 (docs/data-model.md, "Accountability (profile 2)"), on a build of the
shipped content plus the fictional fixture, a copy of it whose principle 1 is superseded, and a fifth charter
principle added to data/charter.ttl (issue #15 point 8: that one edit is all it takes).

- `ns:addressesPrinciple` is derived from the current assessments (latest date per principle, addressed or
  partly addressed); an older "addressed" superseded by a newer "not yet addressed" drops it.
- Each record's document names its project and the profile of the projects dataset.
- Every dump is the sources plus exactly these derived triples; the same bytes whatever the hash seed.
- The site index, the example queries and the shapes see the fifth principle without any other edit.
- The catalog still passes the official DCAT-AP 3.0.1 shapes and data.gov.be's.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from accountability_fixture import (
    DEPLOYER,
    DERIVED_PRINCIPLES,
    FIXTURE,
    ORGANISATIONS_FILE,
    PROJECT,
    PROJECT_FILE,
    REF,
    accountability_root,
)
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, RDF, SH, SKOS, XSD
from rdflib.term import Node

from airegister.content.load import load
from airegister.content.validation import validate_content
from airegister.publication import layout
from airegister.publish.build import run_build
from airegister.publish.datasets import dataset_specs
from airegister.rdf.namespaces import DEFAULT_BASE, DPV, Base
from airegister.rdf.syntaxes import SYNTAXES
from airegister.settings import Settings

B = DEFAULT_BASE
PROFILE = URIRef(f"{B}ns/profile/2")
ADDRESSES = URIRef(f"{B}ns#addressesPrinciple")
SUPERSEDED_REF = "be-2099-0002"
SUPERSEDED = URIRef(f"{B}id/project/{SUPERSEDED_REF}")
SUPERSEDED_FILE = f"data/projects/{SUPERSEDED_REF}.ttl"
FIFTH = URIRef(f"{B}id/charter/p5")
FIFTH_PRINCIPLE = f"""
# FICTIONAL fifth principle, for tests only.
<{FIFTH}> a skos:Concept ;
    skos:inScheme <{B}id/charter> ;
    skos:topConceptOf <{B}id/charter> ;
    skos:notation "P5" ;
    skos:prefLabel "Principe fictif cinq (test)"@fr, "Fictief beginsel vijf (test)"@nl,
        "Fiktiver Grundsatz fünf (Test)"@de, "Fictional principle five (test)"@en ;
    skos:definition "Un principe inventé pour les tests."@fr, "Een beginsel verzonnen voor de tests."@nl,
        "Ein für die Tests erfundener Grundsatz."@de, "A principle made up for the tests."@en .
"""


def principle(ref: str) -> URIRef:
    return URIRef(f"{B}id/charter/{ref}")


def status(ref: str) -> URIRef:
    return URIRef(f"{B}id/assessment-status/{ref}")


def assessment(project: URIRef, ref: str, date: str, code: str) -> list[tuple[Node, Node, Node]]:
    node = URIRef(f"{project}#assessment-{ref}-{date}")
    return [
        (project, DPV.hasAssessment, node),
        (node, RDF.type, DPV.Assessment),
        (node, DCTERMS.subject, principle(ref)),
        (node, DCTERMS.date, Literal(date, datatype=XSD.date)),
        (node, DPV.hasStatus, status(code)),
        (node, DCTERMS.description, Literal("FICTIONAL assessment for tests.", lang="en")),
    ]


def superseded_record() -> Graph:
    """The fixture under another name: principle 1 addressed in January, not yet addressed since February;
    principle 5 addressed. Its current principles are 2 and 5. Its FRIA has a summary but does not say
    it was done (ns:performed), which query 10 reads as done."""
    text = (FIXTURE / f"{REF}.ttl").read_text("utf-8").replace(REF, SUPERSEDED_REF)
    graph = Graph().parse(data=text, format="turtle")
    graph.remove((graph.value(SUPERSEDED, URIRef(f"{B}ns#fria")), URIRef(f"{B}ns#performed"), None))
    for triple in [
        *assessment(SUPERSEDED, "p1", "2026-02-01", "not-yet-addressed"),
        *assessment(SUPERSEDED, "p5", "2026-02-01", "addressed"),
    ]:
        graph.add(triple)
    return graph


EXPECTED_PRINCIPLES = {
    PROJECT: {principle(ref) for ref in DERIVED_PRINCIPLES},
    SUPERSEDED: {principle("p2"), FIFTH},
}


@pytest.fixture(scope="module")
def root(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = accountability_root(repo_root, tmp_path_factory.mktemp("accountability") / "root")
    with (root / "data" / "charter.ttl").open("a", encoding="utf-8") as charter:
        charter.write(FIFTH_PRINCIPLE)
    record = root / "data" / "projects" / f"{SUPERSEDED_REF}.ttl"
    record.write_text(superseded_record().serialize(format="turtle"), "utf-8")
    return root


@pytest.fixture(scope="module")
def built(root: Path) -> Path:
    dist = root.parent / "dist"
    run_build(Settings(root=root), dist)
    build = layout.current_build(dist)
    assert build is not None
    return build


@pytest.fixture(scope="module")
def everything(built: Path) -> Dataset:
    dataset = Dataset(default_union=True)
    dataset.parse(built / "dumps" / "all.nq", format="nquads")
    return dataset


def test_derived_principles_are_those_of_the_current_assessments(everything: Dataset) -> None:
    derived: dict[Node, set[Node]] = {}
    for project, _p, value, _g in everything.quads((None, ADDRESSES, None, None)):
        derived.setdefault(project, set()).add(value)
    assert derived == EXPECTED_PRINCIPLES  # the seed has no assessment, so no principle
    graph = URIRef(f"{B}graph/data/projects/{REF}.ttl")
    assert {p for _s, p, _o, _g in everything.quads((PROJECT, ADDRESSES, None, graph))} == {ADDRESSES}
    older = URIRef(f"{SUPERSEDED}#assessment-p1-2026-01-15")  # history stays, as published
    assert list(everything.quads((older, DPV.hasStatus, status("addressed"), None)))


def test_every_record_document_names_its_project_and_profile(root: Path, everything: Dataset) -> None:
    projects = set(everything.subjects(RDF.type, URIRef(f"{B}ns#AIProject")))
    assert len(projects) == len(list((root / "data" / "projects").glob("*.ttl")))
    for project in projects:
        document = URIRef(str(project).replace("/id/", "/doc/", 1))
        assert set(everything.objects(document, FOAF.primaryTopic)) == {project}
        assert set(everything.objects(document, DCTERMS.conformsTo)) == {PROFILE}


def expected_derived(source: Graph) -> set[tuple[Node, Node, Node]]:
    """What the build must add to one source file's graph, stated here, not computed by the build's code."""
    added: set[tuple[Node, Node, Node]] = set()
    for project in source.subjects(RDF.type, URIRef(f"{B}ns#AIProject")):
        assert isinstance(project, URIRef)
        document = URIRef(str(project).replace("/id/", "/doc/", 1))
        added |= {(document, FOAF.primaryTopic, project), (document, DCTERMS.conformsTo, PROFILE)}
        added |= {(project, ADDRESSES, p) for p in EXPECTED_PRINCIPLES.get(project, set())}
    return added


def test_every_dump_is_the_sources_plus_the_derived_triples(root: Path, built: Path) -> None:
    content = load(root, Base(B))  # the sources as parsed, before any build step
    for spec in dataset_specs(content):
        graphs: dict[URIRef, Graph] = {}
        for name in spec.graphs:
            graph = Graph()
            for triple in content.dataset.graph(name):
                graph.add(triple)
            for triple in expected_derived(graph):
                graph.add(triple)
            graphs[name] = graph
        merged = Graph()
        for graph in graphs.values():
            for triple in graph:
                merged.add(triple)
        for syntax in SYNTAXES:
            path = built / "dumps" / f"{spec.name}.{syntax.extension}"
            if syntax.quads:
                parsed = Dataset()
                parsed.parse(path, format=syntax.parse_format)
                assert {g.identifier for g in parsed.graphs() if len(g)} == set(graphs), path.name
                for name, graph in graphs.items():
                    assert isomorphic(parsed.graph(name), graph), f"{path.name}: <{name}> differs"
            else:
                assert isomorphic(Graph().parse(path, format=syntax.parse_format), merged), path.name
            packed = path.with_name(path.name + ".gz")
            if packed.exists():
                assert gzip.decompress(packed.read_bytes()) == path.read_bytes()


def test_the_build_is_byte_identical_whatever_the_hash_seed(root: Path, built: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    command = [sys.executable, "-m", "airegister.cli", "build", "--root", str(root), "--out", str(out), "--quiet"]
    env = {**os.environ, "PYTHONHASHSEED": "1" if os.environ.get("PYTHONHASHSEED") != "1" else "2"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    other = layout.current_build(out)
    assert other is not None and other.name == built.name

    def files(build: Path) -> dict[str, bytes]:
        return {
            p.relative_to(build).as_posix(): p.read_bytes()
            for p in sorted(build.rglob("*"))
            if p.is_file() and p.relative_to(build).parts[0] != layout.STORE
        }

    first, second = files(built), files(other)
    assert sorted(n for n in first.keys() | second.keys() if first.get(n) != second.get(n)) == []


def test_the_site_index_counts_the_derived_principles(built: Path) -> None:
    index = json.loads((built / "site-index.json").read_text("utf-8"))
    counts = index["counts"]["facets"]["principle"]
    assert counts == {
        str(principle("p1")): 1,
        str(principle("p2")): 2,
        str(principle("p3")): 0,
        str(principle("p4")): 0,
        str(FIFTH): 1,
    }
    entries = {entry["iri"]: set(entry["principle"]) for entry in index["projects"]}
    assert entries[str(SUPERSEDED)] == {str(principle("p2")), str(FIFTH)}
    assert index["labels"][str(FIFTH)]["en"] == "Fictional principle five (test)"


def test_the_catalog_names_the_profile_of_the_projects_dataset(built: Path) -> None:
    catalog = Graph().parse(built / "catalog.ttl", format="turtle")
    assert (URIRef(f"{B}dataset/projects"), DCTERMS.conformsTo, PROFILE) in catalog
    assert (PROFILE, RDF.type, DCTERMS.Standard) in catalog
    assert {t.language for t in catalog.objects(PROFILE, DCTERMS.title) if isinstance(t, Literal)} >= {
        "fr",
        "nl",
        "de",
        "en",
    }


def _violations(catalog: Graph, shapes: Graph) -> str:
    from pyshacl import validate

    _conforms, results, text = validate(catalog, shacl_graph=shapes, inference="none", allow_warnings=True)
    assert isinstance(results, Graph)
    nested = set(results.objects(None, SH.detail))  # details of a warning carry their own severity
    found = [r for r in results.subjects(SH.resultSeverity, SH.Violation) if r not in nested]
    return text if found else ""


def test_the_catalog_passes_dcat_ap_and_data_gov_be_shapes(built: Path, reference: Path) -> None:
    catalog = Graph().parse(built / "catalog.ttl", format="turtle")
    official = Graph()
    for name in ("shapes.ttl", "range.ttl", "shapes_recommended.ttl", "mdr-vocabularies.shape.ttl"):
        official.parse(reference / "dcat-ap-3.0.1" / name, format="turtle")
    assert _violations(catalog, official) == ""
    data_gov_be = Graph().parse(reference / "data-gov-be" / "dcat-ap-3.0.0-shapes.ttl", format="turtle")
    assert _violations(catalog, data_gov_be) == ""


def test_the_published_records_meet_the_published_shapes(root: Path, built: Path) -> None:
    """Regression: V18 (no ns:addressesPrinciple in a source record) was published at /shapes, so anyone
    validating the published data with them saw a violation on every record whose principles the build
    derived. The fixture's graphs as published in dumps/projects.trig, with what they refer to (charter,
    code lists, organisations: every other published graph), meet the build's shapes; the source-only rule
    still holds for the sources."""
    from airegister.content.shacl import run_pyshacl

    published = Dataset()
    published.parse(built / "dumps" / "projects.trig", format="trig")
    mine = {URIRef(f"{B}graph/{name}") for name in (PROJECT_FILE, ORGANISATIONS_FILE, SUPERSEDED_FILE)}
    everything = Dataset()
    everything.parse(built / "dumps" / "all.nq", format="nquads")
    data = Graph()
    for graph in everything.graphs():
        if graph.identifier not in mine:
            for triple in graph:
                data.add(triple)
    for name in mine:
        assert len(published.graph(name)), name
        for triple in published.graph(name):
            data.add(triple)
    assert (PROJECT, ADDRESSES, principle("p1")) in data  # the derived facts are there to be checked
    shapes = Graph()
    files = sorted(p for p in (built / layout.SHAPES).rglob("*") if p.is_file())
    for path in files:
        shapes.parse(path, format="turtle")
    results = run_pyshacl(data, shapes, focus=[str(PROJECT), str(SUPERSEDED), str(DEPLOYER)])
    violations = [
        (str(results.value(r, SH.focusNode)), str(results.value(r, SH.sourceShape)))
        for r in results.subjects(SH.resultSeverity, SH.Violation)
    ]
    assert violations == []
    assert "source-only" not in {part for path in files for part in path.relative_to(built).parts}
    source = load(root, Base(B)).shapes  # validation of the sources still reads the rule
    assert (None, SKOS.notation, Literal("V18")) in source


# --- the fifth principle: the shapes and the queries see it without any other edit ---


def test_the_shapes_accept_and_check_a_fifth_principle(root: Path) -> None:
    content = load(root, Base(B))
    assert validate_content(content).violations == 0  # the assessment of p5 validates
    record = superseded_record()
    fifth = URIRef(f"{SUPERSEDED}#assessment-p5-2026-02-01")
    record.remove((fifth, DPV.hasStatus, None))  # V15 sees an assessment of p5
    for triple in assessment(SUPERSEDED, "p6", "2026-02-01", "addressed"):
        record.add(triple)  # V2: p6 is no principle of the charter
    path = root / "data" / "projects" / f"{SUPERSEDED_REF}.ttl"
    report = validate_content(content, changed={path: record})
    shapes = content.shapes
    rules = {(str(shapes.value(URIRef(f.shape or ""), SKOS.notation)), f.value) for f in report.findings}
    assert {r for r in rules if r[0].startswith("V")} == {("V15", str(fifth)), ("V2", str(principle("p6")))}


@pytest.fixture(scope="module")
def client(built: Path) -> Iterator[httpx.Client]:
    from server import running_server

    with running_server(built.parents[1]) as url, httpx.Client(base_url=url, timeout=30) as session:
        yield session


def rows(client: httpx.Client, query: str) -> list[dict[str, str]]:
    response = client.get("sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]


def example(root: Path, number: str) -> str:
    return next((root / "queries").glob(f"{number}-*.rq")).read_text("utf-8")


def test_the_example_queries_see_a_fifth_principle(root: Path, client: httpx.Client) -> None:
    principles = {r["principle"]: int(r["projects"]) for r in rows(client, example(root, "03"))}
    assert principles[str(FIFTH)] == 1
    unassessed = {(r["principle"], r["project"]) for r in rows(client, example(root, "11"))}  # as shipped
    assert (str(FIFTH), str(PROJECT)) in unassessed and (str(FIFTH), str(SUPERSEDED)) not in unassessed
    counts = {r["organisation"]: r for r in rows(client, example(root, "12"))}
    # current: p1 addressed (0001) and not yet addressed (0002), p2 partly twice, p4 n/a twice, p5 addressed
    assert {k: int(v) for k, v in counts[str(DEPLOYER)].items() if k not in ("organisation", "organisationName")} == {
        "projects": 2,
        "assessedProjects": 2,
        "addressed": 2,
        "partlyAddressed": 2,
        "notYetAddressed": 1,
        "notApplicable": 2,
    }


def test_an_fria_with_a_summary_but_no_done_flag_is_done_in_query_10(root: Path, client: httpx.Client) -> None:
    """Regression: query 10 said "not stated" for an FRIA whose summary is published but not marked done."""
    states = {r["project"]: r["article27"] for r in rows(client, example(root, "10"))}
    assert states == {str(PROJECT): "done", str(SUPERSEDED): "done"}
