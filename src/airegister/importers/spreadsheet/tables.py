"""The workbook's sheets that hold data: Projects, Charter and Organisations, each a table of columns.

Charter: one row per project, principle and date (docs/data-model.md, "Charter assessment"); its
principles are the concepts of the charter scheme in data/charter.ttl, so a principle added there is in
the drop-down and accepted on import without any other edit. Organisations: the names, level and KBO
number are shown for reference (they are edited in data/organisations.ttl), the address and public
contact columns are imported.
"""

from __future__ import annotations

import functools

from rdflib.namespace import DCTERMS, FOAF, ORG, SKOS

from airegister.importers.spreadsheet.columns import Column, Kind, Table, lang_columns
from airegister.importers.spreadsheet.project_columns import projects_table
from airegister.importers.spreadsheet.words import WORDS
from airegister.rdf.namespaces import DPV, VCARD, Base


def _labels(fr: str, nl: str, de: str, en: str) -> dict[str, str]:
    return {"fr": fr, "nl": nl, "de": de, "en": en}


def charter_table(base: Base) -> Table:
    columns = (
        Column("project", (), Kind.IDENTIFIER, "The identifier of the project assessed (see the Projects sheet).",
               labels=_labels("Projet", "Project", "Projekt", "Project"), example="be-2026-0001"),
        Column("principle", (DCTERMS.subject,), Kind.CONCEPT, "The principle of the charter assessed.",
               schemes=("charter",), labels=_labels("Principe", "Beginsel", "Grundsatz", "Principle")),
        Column("date", (DCTERMS.date,), Kind.DAY,
               "When the assessment was made; an update is a new row with its own date (earlier rows stay).",
               labels=_labels("Date", "Datum", "Datum", "Date"), example="2026-01-15"),
        Column("status", (DPV.hasStatus,), Kind.CONCEPT, "How far the project addresses the principle.",
               schemes=("assessment-status",), labels=_labels("Statut", "Status", "Status", "Status")),
        *lang_columns("explanation", (DCTERMS.description,),
                      "Why, in this language (required when the principle does not apply).",
                      "Every letter can also be answered by a person.",
                      labels=_labels("Explication", "Toelichting", "Erläuterung", "Explanation")),
        Column("evidence", (FOAF.page,), Kind.IRI, "Web pages that show it.", multi=True,
               labels=_labels("Preuve (lien)", "Bewijs (link)", "Nachweis (Link)", "Evidence (link)"),
               example="https://example.be/charter"),
        Column("assessor", (DCTERMS.creator,), Kind.ORGANISATION, "The organisation that made the assessment.",
               labels=_labels("Évalué par", "Beoordeeld door", "Bewertet von", "Assessed by")),
    )  # fmt: skip
    return Table("charter", columns, base.ns.AIProject, ("project", "principle", "date"), via=(DPV.hasAssessment,))


def organisations_table(base: Base) -> Table:
    address = VCARD.Address
    columns = (
        Column("name", (SKOS.prefLabel,), Kind.REFERENCE,
               "The organisation's name (edit it in data/organisations.ttl).", labels=WORDS["name"]),
        Column("other_names", (SKOS.altLabel,), Kind.REFERENCE, "Other names the import recognises.",
               labels=WORDS["other_names"]),
        Column("level", (ORG.classification,), Kind.REFERENCE, "The level of government.", labels=WORDS["level"]),
        Column("kbo", (DCTERMS.identifier,), Kind.REFERENCE, "The KBO/BCE number, for Belgian bodies.",
               labels=WORDS["kbo"]),
        Column("iri", (), Kind.IDENTIFIER, "The organisation's IRI: what finds the row's organisation.",
               labels=WORDS["iri"]),
        *lang_columns("address_street", (VCARD.hasAddress, VCARD["street-address"]),
                      "Street and number of the postal address, in this language.", "Rue de la Loi 16",
                      node_type=address),
        Column("address_postal_code", (VCARD.hasAddress, VCARD["postal-code"]), Kind.TEXT,
               "The postal code.", example="1000", node_type=address),
        *lang_columns("address_locality", (VCARD.hasAddress, VCARD.locality), "The locality, in this language.",
                      "Brussels", node_type=address),
        Column("contact_email", (VCARD.hasEmail,), Kind.EMAIL,
               "A functional mailbox for the public (AI Act Annex VIII C.1), never a person's address.",
               example="info@example.be"),
        Column("contact_url", (VCARD.hasURL,), Kind.IRI, "A web page or form for the public.",
               example="https://example.be/contact"),
        Column("contact_phone", (VCARD.hasTelephone,), Kind.PHONE,
               "A telephone number for the public, in international form.", example="+32 2 000 00 00"),
    )  # fmt: skip
    return Table("organisations", columns, ORG.Organization, ("iri",))


@functools.cache
def tables(base: Base) -> tuple[Table, ...]:
    """The data sheets, in the workbook's order."""
    return (projects_table(base), charter_table(base), organisations_table(base))
