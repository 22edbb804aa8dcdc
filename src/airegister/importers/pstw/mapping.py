"""Mapping one PSTW record to the project record of docs/data-model.md.

Which column feeds which property is the importer's knowledge of the PSTW format; which concept a
label means is content (the schemes' labels and crosswalks), looked up through `ConceptIndex`.
Anything that maps to nothing is reported with line, id, column and value.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, SKOS, XSD

from airegister.importers.concepts import ConceptIndex, normalise
from airegister.importers.pstw import read as col
from airegister.importers.pstw import values as val
from airegister.importers.pstw.organisations import OrganisationBook
from airegister.importers.pstw.read import Row
from airegister.importers.report import NOT_MODELLED, NOTICE, Report
from airegister.rdf.namespaces import ADMS, AI, AIRO, EU_COUNTRY, NUTS, TECH, Base

DATASET = URIRef("http://data.europa.eu/89h/e8e7bddd-8510-4936-9fa6-7e1b399cbd92")
CITATION = "Public Sector Tech Watch, European Commission Joint Research Centre, case {id} (CC BY 4.0)"
AI_TECHNOLOGY = "Artificial Intelligence"
# The columns mapped below; any other column's values are reported as not modelled.
HANDLED = frozenset(
    {
        col.ID, col.NAME, col.WEBSITE, col.DESCRIPTION, col.EXTENT, col.COUNTRY, col.NUTS,
        col.ORGANISATION, col.ORGANISATION_CATEGORY, col.COFOG_1, col.COFOG_2, col.STATUS, col.START,
        col.END, col.PROCESS_TYPE, col.APPLICATION_TYPE, col.CROSS_BORDER, col.CROSS_SECTOR,
        col.PRIMARY_TECHNOLOGY, col.INTERACTION, col.SOURCE, col.AI_DOMAIN, *col.AI_SUBDOMAINS,
        col.KEYWORDS, col.DATE_UPDATED, *col.BENEFIT_GROUPS,
        *(flag for flags in col.BENEFIT_GROUPS.values() for flag in flags),
    }
)  # fmt: skip


def project_ref(pstw_id: str) -> str | None:
    """`PSTW-1806` -> `pstw-1806` (data-model.md), None for an id of another shape."""
    prefix, _, number = pstw_id.strip().partition("-")
    return f"pstw-{int(number)}" if prefix.upper() == "PSTW" and number.isdigit() else None


@dataclass
class Mapper:
    base: Base
    concepts: ConceptIndex
    organisations: OrganisationBook
    countries: dict[str, val.Country]
    descriptions: dict[str, str] | None
    creator: URIRef
    report: Report

    def scheme(self, name: str) -> URIRef:
        return self.base.thing(name)

    def problem(self, row: Row, column: str, value: str, message: str, kind: str = "unmapped") -> None:
        self.report.add(row.line, row.pstw_id, column, value, message, kind)

    def concept(self, row: Row, column: str, scheme: str, value: str | None = None) -> URIRef | None:
        """The concept of `scheme` labelled by the cell (or `value`); reports a label that matches none."""
        label = row.get(column) if value is None else value
        if not label:
            return None
        found = self.concepts.lookup_all(self.scheme(scheme), label)
        if len(found) != 1:
            what = "no concept" if not found else f"{len(found)} concepts"
            self.problem(row, column, label, f"{what} of scheme '{scheme}' carries this label")
            return None
        return found[0]

    def map(self, row: Row, ref: str) -> Graph:
        g = Graph()
        p = self.base.thing("project", ref)
        ns = self.base.ns
        g.add((p, RDF.type, ns.AIProject))
        g.add((p, RDF.type, AIRO.AISystem))
        g.add((p, DCTERMS.identifier, Literal(ref)))
        self._texts(row, g, p)
        country = self._spatial(row, g, p)
        for org in self._deployers(row, country):
            g.add((p, TECH.hasDeployer, org))
        status = row.get(col.STATUS)
        if status:
            phase = self.concepts.lookup_via_match(self.scheme("phase"), self.scheme("pstw-status"), status)
            if phase is None:
                self.problem(row, col.STATUS, status, "no phase matches this PSTW status (pstw-status crosswalk)")
            else:
                g.add((p, ADMS.status, phase))
        self._period(row, g, p)
        self._cofog(row, g, p)
        for column, scheme, prop in (
            (col.PROCESS_TYPE, "process-type", DCTERMS.type),
            (col.APPLICATION_TYPE, "application-type", DCTERMS.type),
            (col.EXTENT, "extent", ns.geographicExtent),
            (col.INTERACTION, "interaction", ns.interaction),
        ):
            if (c := self.concept(row, column, scheme)) is not None:
                g.add((p, prop, c))
        self._ai(row, g, p)
        self._benefits(row, g, p)
        for column, prop in ((col.CROSS_BORDER, ns.crossBorder), (col.CROSS_SECTOR, ns.crossSector)):
            if row.get(column):
                flag = val.boolean(row.get(column))
                if flag is None:
                    self.problem(row, column, row.get(column), "expected Yes or No")
                else:
                    g.add((p, prop, Literal(flag)))
        for word in val.keywords(row.get(col.KEYWORDS)):
            g.add((p, DCAT.keyword, Literal(word, lang="en")))
        self._links(row, g, p)
        self._provenance(row, g, p)
        self._not_modelled(row)
        return g

    def _texts(self, row: Row, g: Graph, p: URIRef) -> None:
        title = " ".join(row.get(col.NAME).split())
        if title:
            g.add((p, DCTERMS.title, Literal(title, lang="en")))
        else:
            self.problem(row, col.NAME, "", "the record has no name, so no title")
        description = " ".join(row.get(col.DESCRIPTION).split())
        if self.descriptions is not None:
            ours = self.descriptions.get(normalise(row.pstw_id))
            if ours:
                description = ours
            else:
                self.problem(row, col.DESCRIPTION, description, "no description in --descriptions; PSTW's kept", NOTICE)
        if description:
            g.add((p, DCTERMS.description, Literal(description, lang="en")))

    def _spatial(self, row: Row, g: Graph, p: URIRef) -> URIRef | None:
        country: URIRef | None = None
        if name := row.get(col.COUNTRY):
            known = self.countries.get(normalise(name))
            if known is None:
                self.problem(row, col.COUNTRY, name, "country not in data/imports/pstw-countries.csv")
            else:
                country = EU_COUNTRY[known.iso3]
                g.add((p, DCTERMS.spatial, country))
        if code := row.get(col.NUTS):
            nuts = val.nuts_code(code, self.countries)
            if nuts is None:
                self.problem(row, col.NUTS, code, "not a NUTS code")
            else:
                g.add((p, DCTERMS.spatial, NUTS[nuts]))
        return country

    def _deployers(self, row: Row, country: URIRef | None) -> list[URIRef]:
        name = row.get(col.ORGANISATION)
        if not name:
            return []
        category = row.get(col.ORGANISATION_CATEGORY)
        return self.organisations.resolve(name, category, country, row.line, row.pstw_id, col.ORGANISATION)

    def _period(self, row: Row, g: Graph, p: URIRef) -> None:
        period = BNode()
        for column, prop in ((col.START, DCAT.startDate), (col.END, DCAT.endDate)):
            if raw := row.get(column):
                year = val.year(raw)
                if year is None:
                    self.problem(row, column, raw, "not a four-digit year")
                else:
                    g.add((period, prop, Literal(year, datatype=XSD.gYear)))
        if (period, None, None) in g:
            g.add((period, RDF.type, DCTERMS.PeriodOfTime))
            g.add((p, DCTERMS.temporal, period))

    def _cofog(self, row: Row, g: Graph, p: URIRef) -> None:
        division = self.concept(row, col.COFOG_1, "cofog")
        if division is not None:
            g.add((p, DCTERMS.subject, division))
        label = row.get(col.COFOG_2)
        if not label:
            return
        found = self.concepts.lookup_all(self.scheme("cofog"), label)
        if len(found) > 1 and division is not None:
            found = [c for c in found if division in self.concepts.broader(c)] or found
        if len(found) == 1:
            g.add((p, DCTERMS.subject, found[0]))
        else:
            what = "no concept" if not found else f"{len(found)} concepts"
            self.problem(row, col.COFOG_2, label, f"{what} of scheme 'cofog' carries this label")

    def _ai(self, row: Row, g: Graph, p: URIRef) -> None:
        for column in (col.AI_DOMAIN, *col.AI_SUBDOMAINS):
            concept = self.concept(row, column, "ai-watch")
            if concept is None:
                continue
            g.add((p, self.base.ns.aiClassification, concept))
            for prop in (SKOS.exactMatch, SKOS.closeMatch):
                for target in sorted(self.concepts.matches(concept, prop)):
                    if self.concepts.is_a(target, AI.Technique):
                        g.add((p, AI.hasTechnique, target))
                    elif self.concepts.is_a(target, AI.Capability):
                        g.add((p, AI.hasCapability, target))
                    else:
                        self.problem(
                            row, column, row.get(column),
                            f"{concept} matches {target}, which is neither an ai:Technique nor an ai:Capability "
                            "in the vocabularies, so it gives no ai:hasTechnique/ai:hasCapability",
                            NOTICE,
                        )  # fmt: skip

    def _benefits(self, row: Row, g: Graph, p: URIRef) -> None:
        for group, flags in col.BENEFIT_GROUPS.items():
            flagged = [flag for flag in flags if self._flag(row, flag)]
            if self._flag(row, group) and not flagged:
                flagged = [group]  # the group alone: say at least that much
            for column in flagged:
                concept = self.concept(row, column, "benefit", value=column)
                if concept is not None:
                    g.add((p, self.base.ns.expectedBenefit, concept))

    def _flag(self, row: Row, column: str) -> bool:
        value = row.get(column)
        if value and normalise(value) != "x":
            self.problem(row, column, value, "expected 'x' or an empty cell")
        return normalise(value) == "x"

    def _links(self, row: Row, g: Graph, p: URIRef) -> None:
        for token in row.get(col.WEBSITE).split():
            if val.is_http_iri(token):
                g.add((p, DCAT.landingPage, URIRef(token)))
            else:
                self.problem(row, col.WEBSITE, token, "not an absolute http(s) IRI")
        urls, rest = val.urls_in(row.get(col.SOURCE))
        for url in urls:
            if val.is_http_iri(url):
                g.add((p, DCTERMS.references, URIRef(url)))
            else:
                self.problem(row, col.SOURCE, url, "not an absolute http(s) IRI")
        if rest:
            self.problem(row, col.SOURCE, rest, "source text without a URL", NOT_MODELLED)

    def _provenance(self, row: Row, g: Graph, p: URIRef) -> None:
        identifier = BNode()
        g.add((p, ADMS.identifier, identifier))
        g.add((identifier, RDF.type, ADMS.Identifier))
        g.add((identifier, SKOS.notation, Literal(row.pstw_id)))
        g.add((identifier, DCTERMS.creator, self.creator))
        g.add((p, DCTERMS.source, DATASET))
        g.add((p, PROV.wasDerivedFrom, DATASET))
        g.add((p, DCTERMS.bibliographicCitation, Literal(CITATION.format(id=row.pstw_id), lang="en")))
        if raw := row.get(col.DATE_UPDATED):
            modified = val.date(raw)
            if modified is None:
                self.problem(row, col.DATE_UPDATED, raw, "not a valid dd/mm/yyyy date")
            else:
                g.add((p, DCTERMS.modified, Literal(modified, datatype=XSD.date)))

    def _not_modelled(self, row: Row) -> None:
        technology = row.get(col.PRIMARY_TECHNOLOGY)
        if technology and normalise(technology) != normalise(AI_TECHNOLOGY):
            self.problem(
                row, col.PRIMARY_TECHNOLOGY, technology, "not AI; imported because of --all-technologies", NOT_MODELLED
            )
        for column, value in row.cells.items():
            if column not in HANDLED and value.strip():
                self.problem(row, column, value.strip(), "the data model has no field for this column", NOT_MODELLED)
