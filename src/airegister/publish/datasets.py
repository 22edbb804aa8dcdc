"""Which content files make up which published dataset, as the curators' catalog file says.

The split lives in `data/catalog.ttl` (`ns:sourceFiles` glob patterns, `ns:includesDataset` for a
dataset made of others), so adding a dataset is an edit to content, not to code.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, RDF

from airegister.content.load import Content

CATALOG_FILE = "data/catalog.ttl"


class CatalogError(Exception):
    """The catalog description is missing or inconsistent; the build stops before writing anything."""


@dataclass(frozen=True)
class DatasetSpec:
    """One dataset: its IRI, short name (the last IRI segment, used in file names) and its graphs."""

    iri: URIRef
    name: str
    graphs: tuple[URIRef, ...]
    landing_path: str
    composite: bool = False  # made of other datasets (ns:includesDataset), like "all"


def catalog_graph(content: Content) -> Graph:
    path = content.root / CATALOG_FILE
    if not path.is_file():
        raise CatalogError(f"{CATALOG_FILE} is missing: it describes the catalog and its datasets")
    return content.graph_of(path)


def _matches(relative: str, patterns: list[str]) -> bool:
    # fnmatch's '*' also crosses '/', so "data/projects/*.ttl" covers sub-folders; '**' reads the same.
    return any(fnmatchcase(relative, pattern.replace("**/", "*").replace("**", "*")) for pattern in patterns)


def dataset_specs(content: Content) -> list[DatasetSpec]:
    """The datasets of the catalog, each with the named graphs (source files) it publishes, sorted by name."""
    graph = catalog_graph(content)
    ns = content.base.ns
    catalog_file = (content.root / CATALOG_FILE).resolve()
    files = {identifier: content.relative(path) for identifier, path in content.files.items() if path != catalog_file}
    direct: dict[URIRef, tuple[URIRef, ...]] = {}
    includes: dict[URIRef, list[URIRef]] = {}
    for dataset in sorted(s for s in graph.subjects(RDF.type, DCAT.Dataset) if isinstance(s, URIRef)):
        patterns = sorted(str(p) for p in graph.objects(dataset, ns.sourceFiles))
        direct[dataset] = tuple(sorted(g for g, rel in files.items() if _matches(rel, patterns)))
        includes[dataset] = sorted(o for o in graph.objects(dataset, ns.includesDataset) if isinstance(o, URIRef))
    specs = []
    for dataset, own in direct.items():
        members = set(own)
        for part in includes[dataset]:
            if part not in direct:
                raise CatalogError(f"{CATALOG_FILE}: <{dataset}> includes <{part}>, which is not a dcat:Dataset there")
            members.update(direct[part])
        if not members:
            raise CatalogError(f"{CATALOG_FILE}: <{dataset}> matches no content file; check its ns:sourceFiles")
        landing = graph.value(dataset, ns.landingPath)
        specs.append(
            DatasetSpec(
                iri=dataset,
                name=str(dataset).rstrip("/").rsplit("/", 1)[-1],
                graphs=tuple(sorted(members)),
                landing_path=str(landing) if landing is not None else "",
                composite=bool(includes[dataset]),
            )
        )
    if not specs:
        raise CatalogError(f"{CATALOG_FILE} declares no dcat:Dataset")
    return sorted(specs, key=lambda spec: spec.name)


def unpublished_files(content: Content, specs: list[DatasetSpec]) -> list[Path]:
    """Content files that no dataset publishes (reported by the build, so nothing is left out silently)."""
    published = {g for spec in specs for g in spec.graphs}
    catalog_file = (content.root / CATALOG_FILE).resolve()
    return sorted(p for g, p in content.files.items() if g not in published and p != catalog_file)
