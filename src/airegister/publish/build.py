"""`airegister build`: validate, then write a complete new publication and switch to it atomically.

Dumps are written from the parsed sources (not from the store, which canonicalises literals), every
serialisation is byte-stable, and nothing reaches `current` unless every step succeeded.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyoxigraph
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD
from rdflib.term import Node

from airegister import __version__
from airegister.content.load import Content, load
from airegister.content.validation import Report, validate_content
from airegister.publication import layout
from airegister.publication.urls import PublicUrls
from airegister.publish.catalog import add_coverage, build_catalog
from airegister.publish.datasets import DatasetSpec, catalog_graph, dataset_specs, unpublished_files
from airegister.publish.files import PublishedFile, describe
from airegister.publish.site_index import build_site_index
from airegister.publish.tabular import csvw_metadata, projects_csv
from airegister.publish.void import build_void
from airegister.rdf.languages import Labels
from airegister.rdf.namespaces import STANDARD_PREFIXES
from airegister.rdf.stable import gzip_bytes, jsonld_context, serialize_dataset, serialize_graph, sorted_graph
from airegister.rdf.syntaxes import CSV_MEDIA_TYPE, CSVW_MEDIA_TYPE, JSONLD, NQUADS, RDFXML, SYNTAXES, TURTLE
from airegister.settings import Settings

GZIP_THRESHOLD = 1 << 20  # dumps of a MiB or more also get a .gz
DUMPS = "dumps"
Triple = tuple[Node, Node, Node]


class BuildFailed(Exception):
    """The build stopped; `report` is set when validation was the reason."""

    def __init__(self, message: str, report: Report | None = None) -> None:
        super().__init__(message)
        self.report = report


@dataclass
class BuildResult:
    build_id: str
    folder: Path
    files: list[PublishedFile]
    triples: dict[str, int]
    projects: int
    seconds: float
    unpublished: list[str] = field(default_factory=list)
    largest_subject: int = 0  # the most quads one subject has in the store

    def summary(self) -> dict[str, object]:
        return {
            "build_id": self.build_id,
            "folder": str(self.folder),
            "projects": self.projects,
            "triples": self.triples,
            "files": len(self.files),
            "bytes": sum(f.size for f in self.files),
            "seconds": round(self.seconds, 2),
            "unpublished": self.unpublished,
        }


def build_id_of(content: Content, settings: Settings, lang: str) -> str:
    """A hash of everything the output depends on: engine version, settings and every source file."""
    digest = hashlib.sha256()
    for part in (__version__, settings.base_iri, settings.public_url, lang):
        digest.update(part.encode("utf-8") + b"\0")
    shapes = sorted((content.root / "shapes").rglob("*.ttl")) + sorted((content.root / "queries").glob("*.rq"))
    for path in sorted([*content.files.values(), *shapes]):
        digest.update(content.relative(path).encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _years_covered(triples: list[Triple]) -> tuple[str, str] | None:
    """The first and last year that the dataset's start and end dates name (its temporal coverage)."""
    years = sorted(
        str(value)[:4]
        for _, predicate, value in triples
        if predicate in (DCAT.startDate, DCAT.endDate) and isinstance(value, Literal) and str(value)[:4].isdigit()
    )
    return (years[0], years[-1]) if years else None


def _latest_modified(triples: list[Triple]) -> date | None:
    latest: date | None = None
    for _, predicate, value in triples:
        if predicate == DCTERMS.modified and isinstance(value, Literal) and value.datatype in (XSD.date, XSD.dateTime):
            python = value.toPython()
            day = python.date() if hasattr(python, "date") and callable(python.date) else python
            if isinstance(day, date) and (latest is None or day > latest):
                latest = day
    return latest


class _Writer:
    """Writes files into the partial build folder and remembers what it wrote for the catalog."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: list[PublishedFile] = []

    def write(self, path: str, data: bytes) -> None:
        target = self.folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    def dump(self, dataset: str, path: str, data: bytes, media_type: str, file_type: str) -> None:
        self.write(path, data)
        self.files.append(describe(dataset, path, data, media_type, file_type))
        if len(data) >= GZIP_THRESHOLD:
            packed = gzip_bytes(data)
            self.write(path + ".gz", packed)
            self.files.append(describe(dataset, path + ".gz", packed, media_type, file_type, compressed=True))


def run_build(
    settings: Settings, out: Path, lang: str = "en", progress: Callable[[str], None] = lambda _: None
) -> BuildResult:
    """Validate and build; raises BuildFailed (nothing written, `current` untouched) on any problem."""
    started = time.perf_counter()
    progress("loading content")
    content = load(settings.root, settings.base)
    progress("validating")
    report = validate_content(content)
    if report.exit_code != 0:
        raise BuildFailed("validation failed: nothing was published", report)
    specs = dataset_specs(content)
    build_id = build_id_of(content, settings, lang)
    prefixes = {**STANDARD_PREFIXES, "ns": str(settings.base.ns)}
    urls = PublicUrls(settings.public_url)
    partial = layout.start_partial(out)
    try:
        writer = _Writer(partial)
        triples_of: dict[str, list[Triple]] = {}
        modified: dict[str, date] = {}
        coverage: dict[str, tuple[str, str]] = {}
        issued = catalog_graph(content).value(URIRef(f"{settings.base.catalog}#defaults"), DCTERMS.issued)
        for spec in specs:
            progress(f"writing dataset {spec.name} ({len(spec.graphs)} files)")
            triples_of[spec.name] = _write_dataset(writer, content, spec, prefixes)
            years = _years_covered(triples_of[spec.name])
            if years is not None:
                coverage[spec.name] = years
            latest = _latest_modified(triples_of[spec.name])
            if latest is None and isinstance(issued, Literal):
                latest = issued.toPython()
            if isinstance(latest, date):
                modified[spec.name] = latest
        writer.write(f"{DUMPS}/context.jsonld", _json(jsonld_context(prefixes)))
        for example in sorted((content.root / "queries").glob("*.rq")):
            writer.write(f"queries/{example.name}", example.read_bytes())  # the query page's examples
        for shape in sorted((content.root / "shapes").glob("*.ttl")):
            writer.write(f"shapes/{shape.name}", shape.read_bytes())  # served at /shapes
        everything = content.union()  # read by the CSV labels and the catalog's code facts: merged once
        projects = _write_tables(writer, content, specs, lang, Labels(everything))
        writer.write("site-index.json", build_site_index(content))  # what the site's pages read (web/site.py)
        progress("writing catalog and VoID")
        description = catalog_graph(content)
        catalog = build_catalog(
            description,
            everything,
            specs,
            writer.files,
            modified,
            urls,
            settings.base.catalog,
            str(settings.base.ns),
        )
        add_coverage(catalog, specs, coverage)
        for syntax in (TURTLE, RDFXML, JSONLD):
            writer.write(
                f"catalog.{syntax.extension}", serialize_graph(sorted_graph(catalog, prefixes), syntax, prefixes)
            )
        vocabularies = _vocabularies(triples_of)
        void = build_void(specs, triples_of, writer.files, urls, f"{settings.base.iri}id/", vocabularies)
        writer.write(
            "void.ttl",
            serialize_graph(sorted_graph(void, {**prefixes, "void": "http://rdfs.org/ns/void#"}), TURTLE, prefixes),
        )
        progress("loading the store")
        largest_subject = _write_store(partial, writer.folder / DUMPS / f"{_all_name(specs)}.{NQUADS.extension}")
        result = BuildResult(
            build_id=build_id,
            folder=partial,
            files=writer.files,
            triples={name: len(t) for name, t in triples_of.items()},
            projects=projects,
            seconds=0.0,
            unpublished=[content.relative(p) for p in unpublished_files(content, specs)],
            largest_subject=largest_subject,
        )
        writer.write("manifest.json", _json(_manifest(result, settings)))
        result.folder = layout.publish(out, partial, build_id)
    except BaseException:
        layout.abandon(partial)
        raise
    result.seconds = time.perf_counter() - started
    progress(f"published build {result.folder.name}")
    return result


def _json(payload: object) -> bytes:
    return (json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _write_dataset(writer: _Writer, content: Content, spec: DatasetSpec, prefixes: dict[str, str]) -> list[Triple]:
    graphs = {name: content.dataset.graph(name) for name in spec.graphs}
    merged: set[Triple] = set()
    for graph in graphs.values():
        merged.update(graph)
    ordered = sorted_graph(merged, prefixes)
    for syntax in SYNTAXES:
        path = f"{DUMPS}/{spec.name}.{syntax.extension}"
        if syntax.quads:
            data = serialize_dataset(graphs, syntax, prefixes)
        else:
            data = serialize_graph(ordered, syntax, prefixes)
        writer.dump(spec.name, path, data, syntax.media_type, syntax.file_type)
    return list(ordered)


def _write_tables(writer: _Writer, content: Content, specs: list[DatasetSpec], lang: str, labels: Labels) -> int:
    """A CSV (with CSVW metadata) for each basic dataset holding projects; returns the project count."""
    project_class = content.base.ns.AIProject
    count = 0
    for spec in specs:
        if spec.composite:
            continue
        graph = Graph()
        for name in spec.graphs:
            for triple in content.dataset.graph(name):
                graph.add(triple)
        projects = len(set(graph.subjects(RDF.type, project_class)))
        if not projects:
            continue
        count += projects
        csv_name = f"{spec.name}.csv"
        data = projects_csv(graph, project_class, labels, lang, str(content.base.ns))
        writer.dump(spec.name, f"{DUMPS}/{csv_name}", data, CSV_MEDIA_TYPE, "CSV")
        title = f"{spec.name}: one row per project"
        metadata = csvw_metadata(csv_name, title, project_class, lang, str(content.base.ns))
        writer.dump(spec.name, f"{DUMPS}/{csv_name}-metadata.json", metadata, CSVW_MEDIA_TYPE, "JSON")
    return count


def _vocabularies(triples_of: dict[str, list[Triple]]) -> list[str]:
    namespaces: set[str] = set()
    for triples in triples_of.values():
        for _, predicate, value in triples:
            for term in (predicate, value) if predicate == RDF.type else (predicate,):
                text = str(term)
                cut = max(text.rfind("#"), text.rfind("/"))
                if isinstance(term, URIRef) and cut > 0:
                    namespaces.add(text[: cut + 1])
    return sorted(namespaces)


def _all_name(specs: list[DatasetSpec]) -> str:
    """The dataset the store is loaded from: the composite one covering the most files."""
    return max(specs, key=lambda s: (len(s.graphs), s.composite)).name


# The most quads one subject has, in any graph: the worst case of a one-pattern lookup (see EmbeddedStore).
_LARGEST_SUBJECT = """SELECT (MAX(?n) AS ?most) WHERE {
  SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } } GROUP BY ?s
}"""


def _write_store(folder: Path, nquads: Path) -> int:
    """Load the store; returns the most quads one subject has (about 2 s at 50,000 projects)."""
    store = pyoxigraph.Store(str(folder / "store"))
    store.bulk_load(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS)
    store.flush()
    solutions = store.query(_LARGEST_SUBJECT)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    most = next(solutions)["most"]
    del solutions, store
    return int(most.value) if most is not None else 0


def _manifest(result: BuildResult, settings: Settings) -> dict[str, object]:
    return {
        "build_id": result.build_id,
        "engine": __version__,
        "base_iri": settings.base_iri,
        "public_url": settings.public_url,
        "projects": result.projects,
        "triples": result.triples,
        "largest_subject": result.largest_subject,
        "files": [
            {"path": f.path, "dataset": f.dataset, "media_type": f.media_type, "bytes": f.size, "sha256": f.sha256}
            for f in sorted(result.files, key=lambda f: f.path)
        ],
    }
