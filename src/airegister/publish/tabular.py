"""The projects as one CSV (a row per project) with CSVW metadata that maps the columns back to RDF.

Label columns (in one language, with fallbacks) are for people and are not mapped back; the IRI and
literal columns next to them are. CSVW's URI templates cannot expand a list, so a column that may hold
several IRIs is published as a space-separated list of `xsd:anyURI` values. Profile 2's columns come after
profile 1's, whose names and order reusers depend on: facts held in a group's blank node, the charter
assessments (a column pair per principle of the charter, so a new principle is a new column) and the
deployers' KBO/BCE numbers are not mapped back (CSVW describes one step from the row's subject only);
their `dc:description` says where each comes from.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, SKOS
from rdflib.term import Node

from airegister.content.groups import group
from airegister.content.load import Content
from airegister.publication.layout import DUMPS
from airegister.publish.datasets import DatasetSpec
from airegister.publish.derived import current_assessments
from airegister.publish.writer import Writer
from airegister.rdf.languages import LANGUAGES, Labels, local_name
from airegister.rdf.namespaces import ADMS, AI, DPV, EU_AIACT, TECH, Base
from airegister.rdf.ordering import natural
from airegister.rdf.syntaxes import CSV_FILE, CSVW_FILE

LIST_SEPARATOR = " "
LABEL_SEPARATOR = " | "
PROFILE2_KINDS = ("status", "status_iri", "identifiers", "withheld")  # columns read beyond the project's triples


@dataclass(frozen=True)
class Column:
    name: str
    title: str
    predicate: URIRef | None = None
    kind: str = "literal"  # literal | iri | iris | labels | status | status_iri | identifiers | withheld
    lang: str | None = None
    datatype: str = "string"
    group: URIRef | None = None  # the group property whose blank node holds `predicate` (profile 2)
    description: str = ""  # what the CSVW metadata says of a column it does not map back


@dataclass(frozen=True)
class Register:
    """What a row needs from outside its dataset: the charter's principles and the organisations' numbers."""

    principles: tuple[tuple[URIRef, str], ...] = ()  # (principle, its English label), in the charter's order
    identifiers: dict[URIRef, str] = field(default_factory=dict)  # organisation -> KBO/BCE number

    @classmethod
    def of(cls, content: Content, labels: Labels) -> Register:
        everything = content.dataset  # the union of every file's graph
        charter = content.base.thing("charter")
        principles = sorted(
            (p for p in everything.subjects(SKOS.inScheme, charter) if isinstance(p, URIRef)), key=natural
        )
        numbers: dict[URIRef, str] = {}
        for organisation in everything.objects(None, TECH.hasDeployer):
            found = [str(n) for n in everything.objects(organisation, DCTERMS.identifier) if isinstance(n, Literal)]
            if isinstance(organisation, URIRef) and found:
                numbers[organisation] = min(found)  # the smallest of two (the shapes forbid them), on every run
        return cls(tuple((p, labels.label(p, "en")) for p in principles), numbers)


def accountability_columns(base: Base, register: Register) -> list[Column]:
    """Profile 2's columns: a few flat facts of the accountability groups, and the charter assessments."""
    ns = base.ns

    def of(prefix: str) -> URIRef:
        return group(base, prefix).prop

    columns: list[Column] = []
    for name, title, prefix, predicate in (
        ("decision_role", "Decision role", "purpose", ns.decisionRole),
        ("high_risk_category", "AI Act high-risk category (Annex I or III)", "ai_act", ns.highRiskCategory),
        ("registration_status", "AI Act registration status of the deployer", "ai_act", ns.registrationStatus),
    ):
        columns.append(Column(name, title, predicate, "labels", group=of(prefix)))
        columns.append(Column(f"{name}_iri", f"{title} (IRI)", predicate, "iri", group=of(prefix)))
    columns.append(
        Column(
            "eu_database_entry",
            "Provider's entry in the EU database",
            ns.providerDatabaseEntry,
            "iri",
            group=of("ai_act"),
        )
    )
    for name, title, prefix, predicate in (
        ("solely_automated_decision", "Decides without human intervention", "purpose", ns.solelyAutomatedDecision),
        ("personal_data", "Processes personal data", "data", ns.processesPersonalData),
        ("special_categories", "Processes special categories of data", "data", ns.processesSpecialCategories),
        ("dpia_done", "Data-protection impact assessment done", "dpia", ns.performed),
        ("fria_done", "Fundamental-rights impact assessment (Article 27) done", "fria", ns.performed),
        ("bias_tested", "Tested for bias", "bias", ns.performed),
        ("human_alternative", "A human alternative exists", "rights", ns.humanAlternative),
    ):
        columns.append(Column(name, title, predicate, datatype="boolean", group=of(prefix)))
    columns.append(
        Column(
            "withheld",
            "Groups of facts withheld (their properties)",
            ns.withheldBecause,
            "withheld",
            datatype="anyURI",
            description="The properties of the record's groups of facts that carry ns:withheldBecause: an empty "
            "cell of such a group reads 'withheld', not 'not stated'.",
        )
    )
    columns.append(
        Column(
            "deployer_identifier",
            "Deploying organisation: KBO/BCE number",
            DCTERMS.identifier,
            "identifiers",
            description="The KBO/BCE numbers (dct:identifier) of the deploying organisations that have one, "
            "space-separated, in the order of the deployer_iri column (by IRI).",
        )
    )
    for principle, label in register.principles:
        ref = local_name(str(principle))
        title = f"Charter principle {ref}, current assessment"  # the label changes without renaming the column
        named = f"Principle {ref} of the charter: {label}."
        where = (
            f"{named} The status (dpv:hasStatus) of the project's current assessment against <{principle}>: of "
            "its dpv:hasAssessment whose dct:subject is that principle, the one with the latest dct:date (one "
            "without a date is the oldest). Empty when the project is not assessed against it."
        )
        columns.append(Column(f"charter_{ref}", title, principle, "status", description=named))
        columns.append(Column(f"charter_{ref}_iri", f"{title} (IRI)", principle, "status_iri", description=where))
    return columns


def project_columns(base: Base, register: Register | None = None) -> list[Column]:
    """The CSV's columns, in order (profile 1's, then profile 2's)."""
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
        ("principles", "Charter principles addressed", base.ns.addressesPrinciple, True),
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
    return columns + accountability_columns(base, register or Register())


def _period(graph: Graph, project: Node, which: URIRef) -> str:
    """The smallest date of every period the project names (one, unless the record holds two)."""
    values = [str(v) for period in graph.objects(project, DCTERMS.temporal) for v in graph.objects(period, which)]
    return min(values, default="")


def _current_status(graph: Graph, project: URIRef, principle: URIRef) -> Node | None:
    """The status of the project's current assessment against `principle` (publish/derived.py says which)."""
    assessment = current_assessments(graph, project).get(principle)
    statuses = sorted(graph.objects(assessment, DPV.hasStatus), key=str) if assessment is not None else []
    return statuses[0] if statuses else None


def _sorted(graph: Graph, subjects: Sequence[Node], predicate: URIRef) -> list[Node]:
    """The values of `predicate` on `subjects` in a cell's order (by their text): the deployer_iri column's
    deployers and deployer_identifier's numbers follow it, so the numbers come in the deployers' order."""
    return sorted((v for s in subjects for v in graph.objects(s, predicate)), key=str)


def _values(graph: Graph, project: URIRef, column: Column) -> list[Node]:
    assert column.predicate is not None
    subjects = list(graph.objects(project, column.group)) if column.group is not None else [project]
    return _sorted(graph, subjects, column.predicate)


def _profile2_cell(graph: Graph, project: URIRef, column: Column, labels: Labels, lang: str, register: Register) -> str:
    assert column.predicate is not None
    if column.kind in ("status", "status_iri"):
        status = _current_status(graph, project, column.predicate)
        if status is None:
            return ""
        return str(status) if column.kind == "status_iri" else labels.label(status, lang)
    if column.kind == "identifiers":
        deployers = _sorted(graph, [project], TECH.hasDeployer)
        numbers = (register.identifiers.get(d) for d in deployers if isinstance(d, URIRef))
        return LIST_SEPARATOR.join(n for n in numbers if n)  # in the deployer_iri column's order
    groups = {p for p, node in graph.predicate_objects(project) if (node, column.predicate, None) in graph}
    return LIST_SEPARATOR.join(sorted(str(g) for g in groups))


def _cell(graph: Graph, project: URIRef, column: Column, labels: Labels, lang: str, register: Register) -> str:
    if column.name == "iri":
        return str(project)
    if column.name in ("start", "end"):
        return _period(graph, project, DCAT.startDate if column.name == "start" else DCAT.endDate)
    if column.kind in PROFILE2_KINDS:
        return _profile2_cell(graph, project, column, labels, lang, register)
    values = _values(graph, project, column)
    if column.kind == "labels":
        texts = [str(v) if isinstance(v, Literal) else labels.label(v, lang) for v in values]
        return LABEL_SEPARATOR.join(sorted(texts))
    if column.kind in ("iri", "iris"):
        return LIST_SEPARATOR.join(str(v) for v in values if isinstance(v, URIRef))
    if column.lang:
        values = [v for v in values if isinstance(v, Literal) and v.language == column.lang]
    return str(values[0]) if values else ""


def projects_csv(
    graph: Graph, project_class: URIRef, labels: Labels, lang: str, base: Base, register: Register | None = None
) -> bytes:
    register = register or Register()
    columns = project_columns(base, register)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.title for c in columns])
    for project in sorted(s for s in graph.subjects(RDF.type, project_class) if isinstance(s, URIRef)):
        writer.writerow([_cell(graph, project, c, labels, lang, register) for c in columns])
    return buffer.getvalue().encode("utf-8")


def _labels_description(lang: str) -> str:
    return f"Labels in '{lang}' (falling back to {', '.join(LANGUAGES)}) of the IRIs next column."


def _unmapped(column: Column, lang: str) -> dict[str, object]:
    """The CSVW entry of a profile-2 column: shown, described, not turned back into triples."""
    entry: dict[str, object] = {"suppressOutput": True}
    if column.kind in ("labels", "status"):
        entry["dc:description"] = " ".join(filter(None, (column.description, _labels_description(lang))))
    elif column.group is not None:
        entry["dc:description"] = (
            f"The value of <{column.predicate}> on the node the project's <{column.group}> points to (a group of "
            "facts); empty when not stated, or withheld when the group is listed in the withheld column."
        )
    else:
        entry["dc:description"] = column.description
    if column.kind in ("iri", "status_iri"):
        entry["datatype"] = "anyURI"
    elif column.datatype == "boolean":
        entry["datatype"] = {"base": "boolean", "format": "true|false"}  # how a cell writes true and false
    elif column.datatype != "string":
        entry["datatype"] = column.datatype
    if column.kind in ("withheld", "identifiers"):
        entry["separator"] = LIST_SEPARATOR
    return entry


def csvw_metadata(
    csv_name: str, title: str, project_class: URIRef, lang: str, base: Base, register: Register | None = None
) -> bytes:
    """CSVW table metadata: which columns become which triples, so the CSV reads back as RDF."""
    described: list[dict[str, object]] = []
    for column in project_columns(base, register):
        entry: dict[str, object] = {"name": column.name, "titles": column.title}
        if column.group is not None or column.kind in PROFILE2_KINDS:
            entry.update(_unmapped(column, lang))
        elif column.name == "iri" or column.kind == "labels":
            entry["suppressOutput"] = True
            if column.kind == "labels" and column.name not in ("start", "end", "keywords"):
                entry["dc:description"] = _labels_description(lang)
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
    register = Register.of(content, labels)
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
        data = projects_csv(graph, project_class, labels, lang, content.base, register)
        writer.dump(spec.name, f"{DUMPS}/{csv_name}", data, CSV_FILE)
        metadata = csvw_metadata(
            csv_name, f"{spec.name}: one row per project", project_class, lang, content.base, register
        )
        writer.dump(spec.name, f"{DUMPS}/{csv_name}-metadata.{CSVW_FILE.extension}", metadata, CSVW_FILE)
    return count
