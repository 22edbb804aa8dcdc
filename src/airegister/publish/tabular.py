"""The projects as one CSV (a row per project) with CSVW metadata that maps the columns back to RDF.

Label columns (in one language, with fallbacks) are for people and are not mapped back; the IRI and
literal columns next to them are. CSVW's URI templates cannot expand a list, so a column that may hold
several IRIs is published as a space-separated list of `xsd:anyURI` values.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF
from rdflib.term import Node

from airegister.content.load import Content
from airegister.publication.layout import DUMPS
from airegister.publish.datasets import DatasetSpec
from airegister.publish.writer import Writer
from airegister.rdf.languages import LANGUAGES, Labels
from airegister.rdf.namespaces import ADMS, AI, EU_AIACT, TECH
from airegister.rdf.syntaxes import CSV_FILE, CSVW_FILE

LIST_SEPARATOR = " "
LABEL_SEPARATOR = " | "


@dataclass(frozen=True)
class Column:
    name: str
    title: str
    predicate: URIRef | None = None
    kind: str = "literal"  # literal | iri | iris | labels
    lang: str | None = None
    datatype: str = "string"


def project_columns(ns: str) -> list[Column]:
    """The CSV's columns, in order; `ns` is our vocabulary namespace."""
    columns = [Column("iri", "IRI", kind="iri"), Column("identifier", "Identifier", DCTERMS.identifier)]
    columns += [Column(f"title_{lang}", f"Title ({lang})", DCTERMS.title, lang=lang) for lang in LANGUAGES]
    columns += [
        Column(f"description_{lang}", f"Description ({lang})", DCTERMS.description, lang=lang) for lang in LANGUAGES
    ]
    for name, title, predicate, many in (
        ("deployer", "Deploying organisation", TECH.hasDeployer, True),
        ("phase", "Phase", ADMS.status, False),
        ("domain", "Policy domain (COFOG)", DCTERMS.subject, True),
        ("type", "Process and application type", DCTERMS.type, True),
        ("technique", "AI technique", AI.hasTechnique, True),
        ("capability", "AI capability", AI.hasCapability, True),
        ("risk_level", "AI Act risk level", EU_AIACT.hasRiskLevel, True),
        ("principles", "Charter principles addressed", URIRef(ns + "addressesPrinciple"), True),
    ):
        columns.append(Column(name, title, predicate, kind="labels"))
        columns.append(Column(f"{name}_iri", f"{title} (IRI)", predicate, kind="iris" if many else "iri"))
    columns += [
        Column("start", "Start", kind="labels"),
        Column("end", "End", kind="labels"),
        Column("keywords", "Keywords", DCAT.keyword, kind="labels"),
        Column("landing_page", "Web page", DCAT.landingPage, kind="iris"),
        Column("modified", "Record modified", DCTERMS.modified, datatype="date"),
    ]
    return columns


def _period(graph: Graph, project: Node, which: URIRef) -> str:
    for period in graph.objects(project, DCTERMS.temporal):
        value = graph.value(period, which)
        if value is not None:
            return str(value)
    return ""


def _cell(graph: Graph, project: URIRef, column: Column, labels: Labels, lang: str) -> str:
    if column.name == "iri":
        return str(project)
    if column.name in ("start", "end"):
        return _period(graph, project, DCAT.startDate if column.name == "start" else DCAT.endDate)
    assert column.predicate is not None
    values = sorted(graph.objects(project, column.predicate), key=str)
    if column.kind == "labels":
        texts = [str(v) if isinstance(v, Literal) else labels.label(v, lang) for v in values]
        return LABEL_SEPARATOR.join(sorted(texts))
    if column.kind in ("iri", "iris"):
        return LIST_SEPARATOR.join(str(v) for v in values if isinstance(v, URIRef))
    if column.lang:
        values = [v for v in values if isinstance(v, Literal) and v.language == column.lang]
    return str(values[0]) if values else ""


def projects_csv(graph: Graph, project_class: URIRef, labels: Labels, lang: str, ns: str) -> bytes:
    columns = project_columns(ns)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.title for c in columns])
    for project in sorted(s for s in graph.subjects(RDF.type, project_class) if isinstance(s, URIRef)):
        writer.writerow([_cell(graph, project, c, labels, lang) for c in columns])
    return buffer.getvalue().encode("utf-8")


def csvw_metadata(csv_name: str, title: str, project_class: URIRef, lang: str, ns: str) -> bytes:
    """CSVW table metadata: which columns become which triples, so the CSV reads back as RDF."""
    described: list[dict[str, object]] = []
    for column in project_columns(ns):
        entry: dict[str, object] = {"name": column.name, "titles": column.title}
        if column.name == "iri" or column.kind == "labels":
            entry["suppressOutput"] = True
            if column.kind == "labels" and column.name not in ("start", "end", "keywords"):
                entry["dc:description"] = (
                    f"Labels in '{lang}' (falling back to {', '.join(LANGUAGES)}) of the IRIs next column."
                )
        elif column.kind == "iri":
            entry["propertyUrl"] = str(column.predicate)
            entry["valueUrl"] = "{+" + column.name + "}"
        elif column.kind == "iris":
            entry.update(propertyUrl=str(column.predicate), datatype="anyURI", separator=LIST_SEPARATOR)
        else:
            entry.update(propertyUrl=str(column.predicate), datatype=column.datatype)
            if column.lang:
                entry["lang"] = column.lang
        described.append(entry)
    described.append(
        {"name": "record_type", "virtual": True, "propertyUrl": str(RDF.type), "valueUrl": str(project_class)}
    )
    metadata = {
        "@context": "http://www.w3.org/ns/csvw",
        "url": csv_name,
        "dc:title": title,
        "dialect": {"header": True, "encoding": "utf-8"},
        "tableSchema": {"columns": described, "primaryKey": "iri", "aboutUrl": "{+iri}"},
    }
    return (json.dumps(metadata, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_tables(writer: Writer, content: Content, specs: list[DatasetSpec], lang: str, labels: Labels) -> int:
    """A CSV (with CSVW metadata) for each basic dataset holding projects; returns the project count."""
    project_class = content.base.ns.AIProject
    ns = str(content.base.ns)
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
        csv_name = f"{spec.name}.{CSV_FILE.extension}"
        data = projects_csv(graph, project_class, labels, lang, ns)
        writer.dump(spec.name, f"{DUMPS}/{csv_name}", data, CSV_FILE)
        metadata = csvw_metadata(csv_name, f"{spec.name}: one row per project", project_class, lang, ns)
        writer.dump(spec.name, f"{DUMPS}/{csv_name}-metadata.{CSVW_FILE.extension}", metadata, CSVW_FILE)
    return count
