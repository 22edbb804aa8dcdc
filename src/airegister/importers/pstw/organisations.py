"""Resolving the organisations a source names, and minting the ones nobody has curated yet.

Names are matched against data/organisations.ttl (prefLabel, altLabel, hiddenLabel). An unknown name
becomes a new organisation carrying the normalised name as its hiddenLabel, so the next import finds
it; every organisation minted is reported, because a curator should merge or enrich it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from itertools import chain, count

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, SKOS

from airegister.importers.concepts import ConceptIndex, OrganisationIndex, normalise
from airegister.importers.report import Report
from airegister.rdf.namespaces import CV, Base

# PSTW organisation categories (facts about PSTW's taxonomy, compared in normalised form). A government
# body belongs to one country, so a name like "Ministry of Health" only matches an organisation of the
# row's country (or one without a country); companies and research bodies match across borders. The
# level of government itself comes from the level scheme's labels.
GOVERNMENT_CATEGORIES = frozenset(
    {"central-government", "central government", "regional government", "local government"}
)
PUBLIC_CATEGORIES = GOVERNMENT_CATEGORIES | {"european institution/agency"}
SLUG_LENGTH = 60


def slugify(name: str) -> str:
    """An ASCII IRI segment for a name: 'Ville de Liège (SPW)' -> 'ville-de-liege-spw'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if len(slug) > SLUG_LENGTH:
        slug = slug[:SLUG_LENGTH].rsplit("-", 1)[0]
    return slug or "organisation"


@dataclass
class OrganisationBook:
    """Looks organisations up by name and mints the missing ones into `created`."""

    base: Base
    index: OrganisationIndex
    concepts: ConceptIndex
    report: Report
    created: Graph = field(default_factory=Graph)

    def resolve(
        self, name: str, category: str, country: URIRef | None, line: int, pstw_id: str, column: str
    ) -> list[URIRef]:
        """The organisations a source cell names; mints one (and reports it) when none is known."""
        found = self.index.lookup(name)
        if found and country is not None:
            # Same-named bodies: those of the row's country win (so a re-run resolves as the first run did).
            local = [o for o in found if country in self.index.spatial.get(o, set())]
            if local:
                found = local
            elif normalise(category) in GOVERNMENT_CATEGORIES:
                found = [o for o in found if not self.index.spatial.get(o)]
        if found:
            return found
        return [self._mint(name, category, country, line, pstw_id, column)]

    def _mint(self, name: str, category: str, country: URIRef | None, line: int, pstw_id: str, column: str) -> URIRef:
        slug = slugify(name)
        # A same-named body elsewhere: qualify by country code first, then count.
        qualified = [f"{slug}-{country.rsplit('/', 1)[-1].lower()}"] if country is not None else []
        refs = chain([slug], qualified, (f"{slug}-{n}" for n in count(2)))
        iri = next(i for i in (self.base.thing("organisation", r) for r in refs) if i not in self.index.known)
        label = " ".join(name.split())
        g = self.created
        g.add((iri, RDF.type, ORG.Organization))
        g.add((iri, SKOS.prefLabel, Literal(label, lang="en")))
        g.add((iri, SKOS.hiddenLabel, Literal(normalise(name))))
        if normalise(category) in PUBLIC_CATEGORIES:
            g.add((iri, RDF.type, CV.PublicOrganisation))
        if category:
            level = self.concepts.lookup(self.base.thing("level"), category)
            if level is None:
                self.report.add(
                    line,
                    pstw_id,
                    "Responsible organisation category",
                    category,
                    f"no concept of the level scheme carries this label (organisation {iri} minted without level)",
                )
            else:
                g.add((iri, ORG.classification, level))
        if country is not None:
            g.add((iri, DCTERMS.spatial, country))
        self.index.add(iri, [label, normalise(name)], [country] if country is not None else [])
        self.report.organisations_created.append((str(iri), label))
        self.report.add(
            line, pstw_id, column, name, f"organisation not in the organisations file; minted {iri}", kind="notice"
        )
        return iri
