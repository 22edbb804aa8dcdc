"""`airegister build`: a complete, byte-stable publication whose catalog harvesters accept."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF

from airegister.content.load import load
from airegister.publication import layout
from airegister.publish.build import BuildFailed, run_build
from airegister.publish.datasets import dataset_specs
from airegister.publish.derived import derive
from airegister.rdf.namespaces import DEFAULT_BASE, SPDX, VCARD, Base
from airegister.rdf.syntaxes import SYNTAXES
from airegister.settings import Settings

FOUR_LANGUAGES = {"nl", "fr", "de", "en"}


@pytest.fixture(scope="module")
def built(published: Path) -> Path:
    current = layout.current_build(published)
    assert current is not None
    return current


@pytest.fixture(scope="module")
def catalog(built: Path) -> Graph:
    return Graph().parse(built / "catalog.ttl", format="turtle")


@pytest.fixture(scope="module")
def manifest(built: Path) -> dict[str, object]:
    return json.loads((built / "manifest.json").read_text("utf-8"))


def datasets_of(catalog: Graph) -> list[URIRef]:
    return sorted(d for d in catalog.subjects(RDF.type, DCAT.Dataset) if isinstance(d, URIRef))


def test_catalog_files_start_as_harvesters_sniff_them(built: Path) -> None:
    assert (built / "catalog.rdf").read_bytes().startswith(b"<?xml")
    assert (built / "catalog.ttl").read_bytes().startswith(b"@prefix")
    assert (built / "catalog.jsonld").read_bytes().lstrip().startswith(b"{")


def test_catalog_passes_the_official_dcat_ap_shapes(catalog: Graph, reference: Path) -> None:
    from pyshacl import validate

    shapes_dir = reference / "dcat-ap-3.0.1"
    shapes = Graph()
    for name in ("shapes.ttl", "range.ttl", "shapes_recommended.ttl", "mdr-vocabularies.shape.ttl"):
        shapes.parse(shapes_dir / name, format="turtle")
    _conforms, results, text = validate(catalog, shacl_graph=shapes, inference="none", allow_warnings=True)
    assert isinstance(results, Graph)
    SH = "http://www.w3.org/ns/shacl#"
    nested = set(results.objects(None, URIRef(SH + "detail")))  # details of a warning carry their own severity
    violations = [
        r for r in results.subjects(URIRef(SH + "resultSeverity"), URIRef(SH + "Violation")) if r not in nested
    ]
    assert not violations, text


def test_each_dataset_meets_data_gov_be_upload_rules(catalog: Graph) -> None:
    datasets = datasets_of(catalog)
    assert len(datasets) >= 4
    identifiers = [str(catalog.value(d, DCTERMS.identifier)) for d in datasets]
    assert len(set(identifiers)) == len(identifiers) and all(identifiers)
    for dataset in datasets:
        titles = {t.language for t in catalog.objects(dataset, DCTERMS.title) if isinstance(t, Literal)}
        assert titles >= FOUR_LANGUAGES, f"{dataset} lacks a title language"
        descriptions = {t.language for t in catalog.objects(dataset, DCTERMS.description) if isinstance(t, Literal)}
        assert descriptions >= FOUR_LANGUAGES
        contact = catalog.value(dataset, DCAT.contactPoint)
        assert contact is not None and catalog.value(contact, VCARD.fn) is not None
        assert str(catalog.value(contact, VCARD.hasEmail)).startswith("mailto:")
        assert isinstance(catalog.value(dataset, DCAT.landingPage), URIRef)
        for predicate in (DCTERMS.publisher, DCTERMS.license, DCAT.theme, DCTERMS.spatial, DCTERMS.accrualPeriodicity):
            values = list(catalog.objects(dataset, predicate))
            assert values and all(isinstance(v, URIRef) for v in values), f"{dataset} {predicate}"
        assert "org.belgif.be" in str(catalog.value(dataset, DCTERMS.publisher))
        publisher = catalog.value(dataset, DCTERMS.publisher)
        names = {n.language for n in catalog.objects(publisher, URIRef("http://xmlns.com/foaf/0.1/name"))}
        assert names >= FOUR_LANGUAGES


def test_sizes_and_checksums_match_the_files(catalog: Graph, built: Path) -> None:
    distributions = list(catalog.subjects(RDF.type, DCAT.Distribution))
    assert distributions
    for distribution in distributions:
        url = str(catalog.value(distribution, DCAT.downloadURL))
        path = built / url.split("/", 3)[3]
        data = path.read_bytes()
        assert int(catalog.value(distribution, DCAT.byteSize)) == len(data)
        checksum = catalog.value(distribution, SPDX.checksum)
        assert str(catalog.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()


def test_sparql_service_is_described(catalog: Graph) -> None:
    services = list(catalog.subjects(RDF.type, DCAT.DataService))
    assert len(services) == 1
    service = services[0]
    assert str(catalog.value(service, DCAT.endpointURL)).endswith("/sparql")
    assert catalog.value(service, DCAT.endpointDescription) is not None
    assert (service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")) in catalog
    assert set(catalog.objects(service, DCAT.servesDataset)) == set(datasets_of(catalog))


def expected_graphs(repo_root: Path) -> dict[str, dict[URIRef, Graph]]:
    """Each dataset's source graphs with what the build derives into them (tests/test_accountability_build.py
    checks the derived facts themselves)."""
    content = load(repo_root, Base(DEFAULT_BASE))
    specs = dataset_specs(content)
    derive(content, specs)
    return {spec.name: {g: content.dataset.graph(g) for g in spec.graphs} for spec in specs}


def merged(graphs: dict[URIRef, Graph]) -> Graph:
    out = Graph()
    for graph in graphs.values():
        for triple in graph:
            out.add(triple)
    return out


def test_every_dump_parses_back_to_the_dataset(built: Path, repo_root: Path) -> None:
    for name, graphs in expected_graphs(repo_root).items():
        expected = merged(graphs)
        for syntax in SYNTAXES:
            path = built / "dumps" / f"{name}.{syntax.extension}"
            if syntax.quads:
                parsed = Dataset()
                parsed.parse(path, format=syntax.parse_format)
                names = {g.identifier for g in parsed.graphs() if len(g)}
                assert names == set(graphs), f"{path.name}: named graphs differ"
                for graph_name, graph in graphs.items():
                    assert isomorphic(parsed.graph(graph_name), graph), f"{path.name}: <{graph_name}> differs"
            else:
                assert isomorphic(Graph().parse(path, format=syntax.parse_format), expected), path.name
            oxigraph = Graph()
            for quad in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.from_extension(syntax.extension)):
                oxigraph.add(tuple(_to_rdflib(t) for t in (quad.subject, quad.predicate, quad.object)))
            assert isomorphic(oxigraph, expected), f"{path.name} read by pyoxigraph differs"


def _to_rdflib(term: object) -> object:
    from rdflib import BNode

    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    assert isinstance(term, pyoxigraph.Literal)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
        return Literal(term.value)  # rdflib keeps simple literals untyped
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def test_gzip_variants_hold_the_same_bytes(built: Path) -> None:
    packed = sorted((built / "dumps").glob("*.gz"))
    assert packed, "the 'all' dumps are over 1 MiB and should have .gz variants"
    for path in packed:
        assert gzip.decompress(path.read_bytes()) == path.with_suffix("").read_bytes()


def test_void_counts_match_the_dumps(built: Path, repo_root: Path) -> None:
    void = Graph().parse(built / "void.ttl", format="turtle")
    triples = URIRef("http://rdfs.org/ns/void#triples")
    for name, graphs in expected_graphs(repo_root).items():
        dataset = next(
            d for d in void.subjects(RDF.type, URIRef("http://rdfs.org/ns/void#Dataset")) if str(d).endswith("/" + name)
        )
        assert int(void.value(dataset, triples)) == len(merged(graphs))
        assert void.value(dataset, URIRef("http://rdfs.org/ns/void#sparqlEndpoint")) is not None
        assert list(void.objects(dataset, URIRef("http://rdfs.org/ns/void#classPartition")))


def test_void_lists_no_csvw_metadata_as_a_dump(built: Path) -> None:
    """A VoID data dump is RDF: neither the CSV nor its CSVW metadata (JSON) is one."""
    void = Graph().parse(built / "void.ttl", format="turtle")
    listed = {str(url).rsplit("/", 1)[-1] for url in void.objects(None, URIRef("http://rdfs.org/ns/void#dataDump"))}
    assert (built / "dumps" / "projects.csv-metadata.json").is_file()
    assert "projects.csv-metadata.json" not in listed
    rdf = {syntax.extension for syntax in SYNTAXES}
    assert listed and {name.rsplit(".", 1)[-1] for name in listed} <= rdf, sorted(listed)


def test_store_holds_every_named_graph(built: Path, repo_root: Path) -> None:
    store = pyoxigraph.Store.read_only(str(built / "store"))
    content = load(repo_root, Base(DEFAULT_BASE))
    published = {g for spec in dataset_specs(content) for g in spec.graphs}
    in_store = {URIRef(g.value) for g in store.named_graphs()}
    assert in_store == published


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "store" not in p.relative_to(folder).parts
    }


def copy_root(repo_root: Path, target: Path) -> Path:
    for name in ("ontology", "shapes", "data"):
        shutil.copytree(repo_root / name, target / name)
    return target


def test_violation_publishes_nothing(repo_root: Path, tmp_path: Path) -> None:
    root = copy_root(repo_root, tmp_path / "root")
    dist = tmp_path / "dist"
    run_build(Settings(root=root), dist)
    before = layout.current_build(dist)
    record = next((root / "data" / "projects").glob("*.ttl"))
    record.write_text(record.read_text("utf-8").replace("dct:identifier", "dct:alternative", 1), "utf-8")
    with pytest.raises(BuildFailed) as failure:
        run_build(Settings(root=root), dist)
    assert failure.value.report is not None and failure.value.report.violations > 0
    assert layout.current_build(dist) == before
    assert not list((dist / "builds").glob(".partial-*"))


def test_crash_halfway_leaves_the_previous_build_served(repo_root: Path, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    run_build(Settings(root=repo_root), dist)
    before = layout.current_build(dist)
    assert before is not None
    snapshot = tree_bytes(before)
    command = [sys.executable, "-m", "airegister.cli", "build", "--root", str(repo_root), "--out", str(dist), "--quiet"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    killed = False
    while time.monotonic() < deadline and process.poll() is None:
        if any((p / "dumps").is_dir() and any((p / "dumps").iterdir()) for p in (dist / "builds").glob(".partial-*")):
            os.kill(process.pid, signal.SIGKILL)
            killed = True
            break
        time.sleep(0.005)
    process.wait()
    assert killed, "the build finished before it could be interrupted"
    assert layout.current_build(dist) == before
    assert tree_bytes(before) == snapshot
    run_build(Settings(root=repo_root), dist)
    assert not list((dist / "builds").glob(".partial-*")), "the next build cleans up what the crash left"


def test_build_command_json_summary(repo_root: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "airegister.cli", "build", "--root", str(repo_root), "--out", str(tmp_path), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["projects"] >= 79 and summary["files"] > 20


def test_csv_reads_back_through_its_csvw_metadata(built: Path, repo_root: Path) -> None:
    import functools
    import http.server
    import threading

    import csvw_functions

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(built / "dumps"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/projects.csv-metadata.json"
        table = csvw_functions.create_annotated_table_group(url)
        ntriples = csvw_functions.create_rdf(table, mode="minimal")
    finally:
        server.shutdown()
        server.server_close()
    from_csv = Graph()
    for s_, p_, o_ in Graph().parse(data=ntriples, format="nt"):
        plain = isinstance(o_, Literal) and o_.datatype == URIRef("http://www.w3.org/2001/XMLSchema#string")
        from_csv.add((s_, p_, Literal(str(o_)) if plain else o_))  # RDF 1.1: "x"^^xsd:string is "x"
    source = merged(expected_graphs(repo_root)["projects"])
    projects = set(source.subjects(RDF.type, URIRef("https://w3id.org/be-ai-register/ns#AIProject")))
    assert projects and set(from_csv.subjects(RDF.type, None)) == projects
    deployer = URIRef("https://w3id.org/dpv/tech#hasDeployer")
    for project in projects:
        for predicate in (DCTERMS.identifier, DCTERMS.title, DCTERMS.description, DCTERMS.modified):
            assert set(from_csv.objects(project, predicate)) == set(source.objects(project, predicate)), predicate
        assert from_csv.value(project, URIRef("http://www.w3.org/ns/adms#status")) == source.value(
            project, URIRef("http://www.w3.org/ns/adms#status")
        )
        assert {str(v) for v in from_csv.objects(project, deployer)} == {
            str(v) for v in source.objects(project, deployer)
        }


def test_manifest_records_the_most_quads_one_subject_has(built: Path, manifest: dict[str, object]) -> None:
    """The server answers one-subject lookups in its own process only up to this bound (see EmbeddedStore)."""
    from collections import Counter

    with (built / "dumps" / "all.nq").open("rb") as dump:
        subjects = Counter(quad.subject for quad in pyoxigraph.parse(dump, format=pyoxigraph.RdfFormat.N_QUADS))
    assert manifest["largest_subject"] == max(subjects.values())
    assert max(subjects.values()) > 10
