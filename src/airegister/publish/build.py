"""`airegister build`: validate, then write a complete new publication and switch to it atomically.

Every file is byte-stable (the same input gives the same bytes), and nothing reaches `current` unless
every step succeeded. `run_build` is the order of the steps; the modules it calls write the files.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from airegister import __version__
from airegister.content.load import SHAPES_DIR, SOURCE_ONLY_SHAPES, Content, load, rdf_files
from airegister.content.validation import Report, validate_content
from airegister.publication import layout
from airegister.publication.manifest import Manifest
from airegister.publication.urls import PublicUrls
from airegister.publish.catalog import CATALOG_PREFIXES, add_coverage, build_catalog
from airegister.publish.datasets import DatasetSpec, catalog_graph, dataset_specs, unpublished_files
from airegister.publish.derived import derive
from airegister.publish.dumps import latest_modified, store_source, vocabularies, write_dataset, years_covered
from airegister.publish.files import PublishedFile
from airegister.publish.site_index import build_site_index
from airegister.publish.store_load import load_store
from airegister.publish.tabular import write_tables
from airegister.publish.void import build_void
from airegister.publish.writer import Writer, json_bytes
from airegister.rdf.languages import Labels
from airegister.rdf.namespaces import STANDARD_PREFIXES, VOID
from airegister.rdf.stable import jsonld_context, serialize_graph, sorted_graph
from airegister.rdf.syntaxes import JSONLD, TURTLE
from airegister.settings import Settings

Triple = tuple[Node, Node, Node]
QUERIES_DIR = "queries"  # the content root's example queries


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

    def manifest(self, settings: Settings) -> Manifest:
        return Manifest(
            build_id=self.build_id,
            engine=__version__,
            base_iri=settings.base_iri,
            public_url=settings.public_url,
            projects=self.projects,
            triples=self.triples,
            largest_subject=self.largest_subject,
            files=tuple(f.manifest_entry() for f in self.files),
        )


def _shapes(content: Content) -> list[Path]:
    """The shapes validation read (every RDF file under shapes/): hashed into the build id."""
    return list(rdf_files(content.root / SHAPES_DIR))


def _published_shapes(content: Content) -> list[Path]:
    """The shapes served at /shapes: all but those about source files only (shapes/source-only/), which
    forbid facts the build itself adds, so the published data meets the published shapes."""
    return [p for p in _shapes(content) if SOURCE_ONLY_SHAPES not in p.relative_to(content.root / SHAPES_DIR).parts]


def _queries(content: Content) -> list[Path]:
    return sorted((content.root / QUERIES_DIR).glob("*.rq"))


def build_id_of(content: Content, settings: Settings, lang: str) -> str:
    """A hash of everything the output depends on: engine version, settings and every source file."""
    digest = hashlib.sha256()
    for part in (__version__, settings.base_iri, settings.public_url, lang):
        digest.update(part.encode("utf-8") + b"\0")
    for path in sorted([*content.files.values(), *_shapes(content), *_queries(content)]):
        digest.update(content.relative(path).encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


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
    progress("deriving the charter principles and the records' profile")
    derive(content, specs)  # into the records' graphs: every file below is written with them
    build_id = build_id_of(content, settings, lang)
    unpublished = [content.relative(p) for p in unpublished_files(content, specs)]
    partial = layout.start_partial(out)
    try:
        writer = Writer(partial)
        triples, projects, largest_subject = _write(writer, content, specs, settings, lang, progress)
        result = BuildResult(build_id, partial, writer.files, triples, projects, 0.0, unpublished, largest_subject)
        writer.write(layout.MANIFEST, result.manifest(settings).to_json())  # last: its presence means complete
        result.folder = layout.publish(out, partial, build_id)
    except BaseException:
        layout.abandon(partial)
        raise
    result.seconds = time.perf_counter() - started
    progress(f"published build {result.folder.name}")
    return result


def _write(
    writer: Writer,
    content: Content,
    specs: list[DatasetSpec],
    settings: Settings,
    lang: str,
    progress: Callable[[str], None],
) -> tuple[dict[str, int], int, int]:
    """Every file of the build but its manifest; returns the triples of each dataset, the projects in the
    CSVs and the most quads one subject has in the store."""
    prefixes = {**STANDARD_PREFIXES, "ns": str(settings.base.ns)}
    triples_of: dict[str, list[Triple]] = {}
    for spec in specs:
        progress(f"writing dataset {spec.name} ({len(spec.graphs)} files)")
        triples_of[spec.name] = write_dataset(writer, content, spec, prefixes)
    writer.write(f"{layout.DUMPS}/context.{JSONLD.extension}", json_bytes(jsonld_context(prefixes)))
    for example in _queries(content):
        writer.write(f"{layout.QUERIES}/{example.name}", example.read_bytes())  # the query page's examples
    for shape in _published_shapes(content):
        relative = shape.relative_to(content.root / SHAPES_DIR).as_posix()
        writer.write(f"{layout.SHAPES}/{relative}", shape.read_bytes())  # served at /shapes
    everything = content.union()  # read by the CSV labels and the catalog's code facts: merged once
    projects = write_tables(writer, content, specs, lang, Labels(everything))
    writer.write(layout.SITE_INDEX, build_site_index(content))
    progress("writing catalog and VoID")
    _write_catalog(writer, content, specs, triples_of, everything, settings, prefixes)
    _write_void(writer, specs, triples_of, settings, prefixes)
    progress("loading the store")
    largest_subject = load_store(writer.folder / layout.STORE, writer.folder / store_source(specs))
    return {name: len(t) for name, t in triples_of.items()}, projects, largest_subject


def _write_catalog(
    writer: Writer,
    content: Content,
    specs: list[DatasetSpec],
    triples_of: dict[str, list[Triple]],
    everything: Graph,
    settings: Settings,
    prefixes: dict[str, str],
) -> None:
    """The DCAT-AP catalog in Turtle, RDF/XML and JSON-LD; datasets are dated by their records."""
    description = catalog_graph(content)
    issued = description.value(URIRef(f"{settings.base.catalog}#defaults"), DCTERMS.issued)
    modified: dict[str, date] = {}
    coverage: dict[str, tuple[str, str]] = {}
    for spec in specs:
        years = years_covered(triples_of[spec.name])
        if years is not None:
            coverage[spec.name] = years
        latest = latest_modified(triples_of[spec.name])
        if latest is None and isinstance(issued, Literal):
            latest = issued.toPython()
        if isinstance(latest, date):
            modified[spec.name] = latest
    urls = PublicUrls(settings.public_url)
    catalog = build_catalog(
        description, everything, specs, writer.files, modified, urls, settings.base.catalog, str(settings.base.ns)
    )
    add_coverage(catalog, specs, coverage)
    prefixes = {**prefixes, **CATALOG_PREFIXES}
    for syntax in layout.CATALOG_SYNTAXES:
        data = serialize_graph(sorted_graph(catalog, prefixes), syntax, prefixes)
        writer.write(f"{layout.CATALOG}.{syntax.extension}", data)


def _write_void(
    writer: Writer,
    specs: list[DatasetSpec],
    triples_of: dict[str, list[Triple]],
    settings: Settings,
    prefixes: dict[str, str],
) -> None:
    urls = PublicUrls(settings.public_url)
    void = build_void(specs, triples_of, writer.files, urls, f"{settings.base.iri}id/", vocabularies(triples_of))
    graph = sorted_graph(void, {**prefixes, "void": str(VOID)})
    writer.write(layout.VOID, serialize_graph(graph, TURTLE, prefixes))
