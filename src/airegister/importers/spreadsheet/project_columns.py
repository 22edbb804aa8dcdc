"""The Projects sheet: one row per project, one column per field of the record (profile 1, then profile 2).

Fields the sheet does not carry are listed in NOT_CARRIED with the reason; an import never touches them.
A column an older sheet may still have but the register no longer imports is in RETIRED, with what
replaced it, so the import can say so instead of calling it unknown.
"""

from __future__ import annotations

import functools

from rdflib import URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF

from airegister.importers.spreadsheet.accountability_columns import accountability_columns
from airegister.importers.spreadsheet.columns import Column, Kind, Table, lang_columns
from airegister.rdf.namespaces import ADMS, AI, DPV, TECH, Base


@functools.cache
def columns(base: Base) -> tuple[Column, ...]:
    """The table for one identity base: our own properties (ns:) hang off it."""
    ns = base.ns
    period = DCTERMS.PeriodOfTime
    return (
        Column("identifier", (DCTERMS.identifier,), Kind.IDENTIFIER,
               "The register's identifier of the project. Leave it empty on a new row: the import gives the project "
               "the next free be-{year}-{nnnn} (year of the import, four-digit counter).", example="be-2026-0001"),
        *lang_columns("title", (DCTERMS.title,), "The project's name, in this language.", "Chatbot for tax questions"),
        *lang_columns("description", (DCTERMS.description,), "What the system does, for whom, with which data.",
                      "Answers citizens' questions about their tax return."),
        Column("deployer", (TECH.hasDeployer,), Kind.ORGANISATION,
               "The public bodies that use the system (see the organisations sheet).", multi=True),
        Column("provider", (TECH.hasProvider,), Kind.ORGANISATION, "Who supplies the system.", multi=True),
        Column("developer", (TECH.hasDeveloper,), Kind.ORGANISATION, "Who builds the system.", multi=True),
        Column("phase", (ADMS.status,), Kind.CONCEPT, "Where the project is in its life cycle.", schemes=("phase",)),
        Column("start_date", (DCTERMS.temporal, DCAT.startDate), Kind.PERIOD_DATE, "When the project started.",
               labels={"fr": "Date de début", "nl": "Begindatum", "de": "Startdatum", "en": "Start date"},
               example="2021", node_type=period),
        Column("end_date", (DCTERMS.temporal, DCAT.endDate), Kind.PERIOD_DATE,
               "When the project ended; empty while it runs.",
               labels={"fr": "Date de fin", "nl": "Einddatum", "de": "Enddatum", "en": "End date"}, example="2023-06",
               node_type=period),
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
        Column("human_involvement", (DPV.hasHumanInvolvement,), Kind.CONCEPT, "How people take part in decisions.",
               multi=True, classes=(DPV.HumanInvolvement,)),
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
        *lang_columns("keyword", (DCAT.keyword,), "Keywords in this language.", "chatbot", multi=True),
        Column("landing_page", (DCAT.landingPage,), Kind.IRI, "The project's web page.", multi=True,
               example="https://example.be/project"),
        Column("references", (DCTERMS.references,), Kind.IRI, "Web pages about the project.", multi=True,
               example="https://example.be/news"),
        *accountability_columns(base),
        Column("issued", (DCTERMS.issued,), Kind.DATE, "When the record was first published.", example="2025-01-15"),
        Column("modified", (DCTERMS.modified,), Kind.DATE,
               "When the record was last changed (not updated by the import).",
               example="2025-10-20"),
    )  # fmt: skip


def projects_table(base: Base) -> Table:
    return Table("projects", columns(base), base.ns.AIProject, ("identifier",))


def retired(base: Base) -> dict[str, URIRef]:
    """Columns of older sheets, by key, and the property whose labels were their headers."""
    return {"principle": base.ns.addressesPrinciple}


# Project fields the spreadsheet does not carry, and why; an import keeps them as they are.
NOT_CARRIED: dict[URIRef, str] = {
    RDF.type: "every record is an ns:AIProject and an airo:AISystem; the import sets this for new rows",
    ADMS.identifier: "identifiers in other registers (PSTW) come with their issuer; they are kept",
    DPV.hasAssessment: "charter assessments have a sheet of their own (Charter), one row per principle and date",
    DPV.hasImpactAssessment: "the DPIA and FRIA columns carry its two sub-properties (ns:dpia, ns:fria)",
    DCTERMS.source: "provenance of imported records",
    PROV.wasDerivedFrom: "provenance of imported records",
    DCTERMS.bibliographicCitation: "attribution of imported records",
}


def not_carried(base: Base) -> dict[URIRef, str]:
    """NOT_CARRIED, with the fields of our own vocabulary that the build derives."""
    return {**NOT_CARRIED, base.ns.addressesPrinciple: "derived by the build from the Charter sheet's assessments"}
