"""The spreadsheet's columns, in one table: export, import, the documentation sheet and the drop-downs all read it.

A column names the property path it carries, the kind of value a cell holds, and where allowed values
come from (concept schemes by their ref or IRI, classes whose instances are allowed). Whether a column
is mandatory is not written here: it is read from the shapes (sh:minCount on the project shapes), so
the spreadsheet and the validation cannot disagree. Fields the spreadsheet does not carry are listed in
NOT_CARRIED with the reason; an import never touches them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from enum import StrEnum

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, SH

from airegister.rdf.languages import LANGUAGES
from airegister.rdf.namespaces import ADMS, AI, CV, DPV, EU_AIACT, TECH, VCARD, Base

# The sheet's order of languages (text columns, --lang choices): Belgium's languages first, English last.
COLUMN_ORDER = tuple(sorted(LANGUAGES, key=lambda lang: lang == "en"))
SEPARATOR = " | "  # joins the values of a multi-valued cell


class Kind(StrEnum):
    IDENTIFIER = "identifier"  # dct:identifier; empty on a new row
    TEXT = "text"  # plain text
    LANG_TEXT = "text in one language"
    CONCEPT = "value from a list"
    ORGANISATION = "organisation"
    PERIOD_DATE = "year, year-month or date"
    DATE = "date"
    IRI = "web address"
    EMAIL = "e-mail address"
    BOOLEAN = "yes or no"


@dataclass(frozen=True)
class Column:
    """One column of the projects sheet."""

    key: str  # stable, language-neutral name; also accepted as a header
    path: tuple[URIRef, ...]  # property path from the record; two steps for grouped blank-node fields
    kind: Kind
    meaning: str  # one sentence for the documentation sheet (English; the ontology's comment when it has one)
    multi: bool = False  # several values, joined with SEPARATOR
    lang: str | None = None  # LANG_TEXT: the language this column holds
    schemes: tuple[str, ...] = ()  # CONCEPT: scheme refs under the base ("phase") or full IRIs
    classes: tuple[URIRef, ...] = ()  # CONCEPT: classes whose instances (transitively) are allowed
    open: bool = False  # CONCEPT: any IRI is accepted too (labels are only known for some)
    labels: dict[str, str] = field(default_factory=dict)  # header per language when the property's label is unclear
    example: str = ""

    @property
    def group(self) -> URIRef | None:
        """The blank-node field a two-step column belongs to (period, contact point)."""
        return self.path[0] if len(self.path) > 1 else None

    @property
    def prop(self) -> URIRef:
        return self.path[-1]


def _lang_columns(key: str, prop: URIRef, meaning: str, example: str, multi: bool = False) -> list[Column]:
    return [
        Column(
            f"{key}_{lang}",
            (prop,),
            Kind.LANG_TEXT,
            meaning,
            multi=multi,
            lang=lang,
            example=example if lang == "en" else "",
        )
        for lang in COLUMN_ORDER
    ]


@functools.cache
def columns(base: Base) -> tuple[Column, ...]:
    """The table for one identity base: our own properties (ns:) hang off it."""
    ns = base.ns
    return (
        Column("identifier", (DCTERMS.identifier,), Kind.IDENTIFIER,
               "The register's identifier of the project. Leave it empty on a new row: the import gives the project "
               "the next free be-{year}-{nnnn} (year of the import, four-digit counter).", example="be-2026-0001"),
        *_lang_columns("title", DCTERMS.title, "The project's name, in this language.", "Chatbot for tax questions"),
        *_lang_columns("description", DCTERMS.description, "What the system does, for whom, with which data.",
                       "Answers citizens' questions about their tax return."),
        Column("deployer", (TECH.hasDeployer,), Kind.ORGANISATION,
               "The public bodies that use the system (see the organisations sheet).", multi=True),
        Column("provider", (TECH.hasProvider,), Kind.ORGANISATION, "Who supplies the system.", multi=True),
        Column("developer", (TECH.hasDeveloper,), Kind.ORGANISATION, "Who builds the system.", multi=True),
        Column("phase", (ADMS.status,), Kind.CONCEPT, "Where the project is in its life cycle.", schemes=("phase",)),
        Column("start_date", (DCTERMS.temporal, DCAT.startDate), Kind.PERIOD_DATE, "When the project started.",
               labels={"fr": "Date de début", "nl": "Begindatum", "de": "Startdatum", "en": "Start date"},
               example="2021"),
        Column("end_date", (DCTERMS.temporal, DCAT.endDate), Kind.PERIOD_DATE,
               "When the project ended; empty while it runs.",
               labels={"fr": "Date de fin", "nl": "Einddatum", "de": "Enddatum", "en": "End date"}, example="2023-06"),
        Column("domain", (DCTERMS.subject,), Kind.CONCEPT, "The policy domains (COFOG) the project serves.",
               multi=True, schemes=("cofog",)),
        Column("type", (DCTERMS.type,), Kind.CONCEPT, "The kinds of public process and application.",
               multi=True, schemes=("process-type", "application-type")),
        Column("ai_classification", (ns.aiClassification,), Kind.CONCEPT, "The AI Watch domains and subdomains.",
               multi=True, schemes=("ai-watch",)),
        Column("technique", (AI.hasTechnique,), Kind.CONCEPT, "How the system works (DPV-AI techniques).",
               multi=True, classes=(AI.Technique,)),
        Column("capability", (AI.hasCapability,), Kind.CONCEPT, "What the system does (DPV-AI capabilities).",
               multi=True, classes=(AI.Capability,)),
        Column("risk_level", (EU_AIACT.hasRiskLevel,), Kind.CONCEPT, "The risk level under the EU AI Act.",
               multi=True, schemes=("risk-level",), classes=(EU_AIACT.RiskLevel,)),
        Column("human_involvement", (DPV.hasHumanInvolvement,), Kind.CONCEPT, "How people take part in decisions.",
               multi=True, classes=(DPV.HumanInvolvement,)),
        Column("principle", (ns.addressesPrinciple,), Kind.CONCEPT,
               "The principles of the federal AI charter the project addresses (see the principles sheet).",
               multi=True, schemes=("charter",)),
        Column("extent", (ns.geographicExtent,), Kind.CONCEPT, "The geographical scale of the project.",
               multi=True, schemes=("extent",)),
        Column("interaction", (ns.interaction,), Kind.CONCEPT, "Who the administration interacts with.",
               multi=True, schemes=("interaction",)),
        Column("benefit", (ns.expectedBenefit,), Kind.CONCEPT, "The benefits expected.", multi=True,
               schemes=("benefit",)),
        Column("cross_border", (ns.crossBorder,), Kind.BOOLEAN, "Whether the project crosses borders.", example="no"),
        Column("cross_sector", (ns.crossSector,), Kind.BOOLEAN, "Whether the project crosses sectors.", example="no"),
        Column("spatial", (DCTERMS.spatial,), Kind.CONCEPT, "Countries (by name) or regions (by NUTS web address).",
               multi=True, schemes=("http://publications.europa.eu/resource/authority/country",), open=True),
        Column("theme", (DCAT.theme,), Kind.CONCEPT, "EU data themes.", multi=True,
               schemes=("http://publications.europa.eu/resource/authority/data-theme",)),
        *_lang_columns("keyword", DCAT.keyword, "Keywords in this language.", "chatbot", multi=True),
        Column("landing_page", (DCAT.landingPage,), Kind.IRI, "The project's web page.", multi=True,
               example="https://example.be/project"),
        Column("references", (DCTERMS.references,), Kind.IRI, "Web pages about the project.", multi=True,
               example="https://example.be/news"),
        Column("legal_basis", (CV.hasLegalResource,), Kind.IRI, "The laws the project rests on (ELI addresses).",
               multi=True, example="http://data.europa.eu/eli/reg/2024/1689/oj"),
        Column("contact_name", (DCAT.contactPoint, VCARD.fn), Kind.TEXT, "The name of the contact point (a team).",
               labels={"fr": "Contact (nom)", "nl": "Contact (naam)", "de": "Kontakt (Name)", "en": "Contact name"},
               example="AI team"),
        Column("contact_email", (DCAT.contactPoint, VCARD.hasEmail), Kind.EMAIL,
               "A functional mailbox to write to, never a person's address.",
               labels={"fr": "Contact (e-mail)", "nl": "Contact (e-mail)", "de": "Kontakt (E-Mail)",
                       "en": "Contact email"},
               example="ai@example.be"),
        Column("issued", (DCTERMS.issued,), Kind.DATE, "When the record was first published.", example="2025-01-15"),
        Column("modified", (DCTERMS.modified,), Kind.DATE,
               "When the record was last changed (not updated by the import).",
               example="2025-10-20"),
    )  # fmt: skip


# Project fields the spreadsheet does not carry, and why; an import keeps them as they are.
NOT_CARRIED: dict[URIRef, str] = {
    RDF.type: "every record is an ns:AIProject and an airo:AISystem; the import sets this for new rows",
    ADMS.identifier: "identifiers in other registers (PSTW) come with their issuer; they are kept",
    DPV.hasAssessment: "charter assessments are structured (principle, status, evidence); edit them in the file",
    DPV.hasImpactAssessment: "impact assessments are structured; edit them in the file",
    DCTERMS.source: "provenance of imported records",
    PROV.wasDerivedFrom: "provenance of imported records",
    DCTERMS.bibliographicCitation: "attribution of imported records",
}

BLANK_GROUP_TYPES: dict[URIRef, URIRef] = {DCTERMS.temporal: DCTERMS.PeriodOfTime, DCAT.contactPoint: VCARD.Kind}


def shape_path(shapes: Graph, shape: URIRef | object) -> tuple[URIRef, ...] | None:
    """A property shape's sh:path as a tuple (one IRI, or an RDF list of IRIs); None for other paths."""
    path = shapes.value(shape, SH.path)  # type: ignore[arg-type]
    if isinstance(path, URIRef):
        return (path,)
    if path is not None and (path, RDF.first, None) in shapes:
        items = list(Collection(shapes, path))
        if all(isinstance(i, URIRef) for i in items):
            return tuple(i for i in items if isinstance(i, URIRef))
    return None


def project_property_shapes(shapes: Graph, target: URIRef) -> list[URIRef]:
    """The property shapes that apply to every project record (sh:property of shapes targeting the class)."""
    found: list[URIRef] = []
    for node in sorted(set(shapes.subjects(SH.targetClass, target)), key=str):
        for prop in shapes.objects(node, SH.property):
            if isinstance(prop, URIRef):
                found.append(prop)
    return found


def requirement(shapes: Graph, project_shapes: list[URIRef], column: Column) -> str:
    """'mandatory' (a violation when empty), 'recommended' (a warning) or 'optional', from sh:minCount."""
    levels = set()
    for shape in project_shapes:
        count = shapes.value(shape, SH.minCount)
        if shape_path(shapes, shape) == column.path and isinstance(count, Literal) and int(count) >= 1:
            severity = shapes.value(shape, SH.severity) or SH.Violation
            levels.add("mandatory" if severity == SH.Violation else "recommended")
    return "mandatory" if "mandatory" in levels else "recommended" if levels else "optional"


def shape_names(shapes: Graph, project_shapes: list[URIRef], column: Column) -> set[str]:
    """The sh:name of every project shape on the column's path, or on its blank-node field as a whole:
    how validation findings reach the column."""
    paths = {column.path, (column.group,)} if column.group else {column.path}
    return {
        str(name)
        for shape in project_shapes
        if shape_path(shapes, shape) in paths
        for name in shapes.objects(shape, SH.name)
    }
