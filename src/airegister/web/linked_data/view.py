"""Turns RDF into what a resource page shows: fields with labels, values with links, nested blank nodes.

Labels and language-tagged texts are picked by the register's one rule (`rdf/languages.py`), so a page
always shows something, in the language closest to the reader's; the `lang` attribute of each text says
which language it really is in. Links follow the site's one link policy (`web/links.py`): the IRIs this
page's graph describes (a federal organisation, a DPV technique) get a page listing what the register says.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from airegister.rdf.languages import Labels, first_text, local_name, pick
from airegister.rdf.namespaces import ADMS, AI, DPV, EU_AIACT, TECH
from airegister.web.context import AppContext

# Display order of the fields we know; any other field follows, by its label.
ORDER = [
    DCTERMS.identifier, SKOS.notation, SKOS.prefLabel, SKOS.altLabel, SKOS.definition, TECH.hasDeployer,
    TECH.hasProvider, TECH.hasDeveloper, ADMS.status, DCTERMS.temporal, DCTERMS.subject, DCAT.theme, DCTERMS.type,
    AI.hasTechnique, AI.hasCapability, EU_AIACT.hasRiskLevel, DPV.hasHumanInvolvement, DPV.hasImpactAssessment,
    DPV.hasAssessment, SKOS.inScheme, SKOS.broader, SKOS.narrower, SKOS.exactMatch, SKOS.closeMatch,
    SKOS.relatedMatch, DCAT.keyword, DCAT.landingPage, DCAT.contactPoint, DCTERMS.spatial, DCTERMS.issued,
    DCTERMS.modified, DCTERMS.references, DCTERMS.source, PROV.wasDerivedFrom, ADMS.identifier,
]  # fmt: skip
HIDDEN = {RDF.type, SKOS.hiddenLabel}  # types are the subtitle; hidden labels are importers' match variants
# Labels for the standard terms our own files do not label (SKOS, RDFS, OWL, DCTERMS, DCAT): UI strings.
TERMS = {
    str(term): f"term_{str(term).rsplit('#', 1)[-1].rsplit('/', 1)[-1]}"
    for term in (
        SKOS.ConceptScheme, SKOS.Concept, SKOS.inScheme, SKOS.topConceptOf, SKOS.hasTopConcept, SKOS.broader,
        SKOS.narrower, SKOS.related, SKOS.exactMatch, SKOS.closeMatch, SKOS.relatedMatch, SKOS.broadMatch,
        SKOS.narrowMatch, SKOS.definition, SKOS.altLabel, SKOS.scopeNote, SKOS.editorialNote, RDFS.seeAlso,
        RDFS.domain, RDFS.range, RDFS.subClassOf, RDFS.subPropertyOf, DCTERMS.license, DCTERMS.publisher,
        DCTERMS.PeriodOfTime, DCTERMS.language, DCAT.dataset, DCAT.distribution, DCAT.Dataset, DCAT.Catalog,
    )
}  # fmt: skip
_RANK = {str(p): i for i, p in enumerate(ORDER)}


@dataclass
class Value:
    text: str
    href: str | None = None
    lang: str | None = None  # the language the text is in
    title: str | None = None  # the IRI, shown on hover
    fields: list[Field] = field(default_factory=list)  # a blank node's own fields


@dataclass
class Field:
    iri: str
    label: str
    lang: str | None
    values: list[Value]


class Viewer:
    """Everything needed to show terms to one reader: labels, types, links, language."""

    def __init__(
        self, context: AppContext, graph: Graph, lang: str, t: Mapping[str, str], field_labels: Graph | None = None
    ) -> None:
        self.links = context.links
        self.base = context.settings.base_iri
        self.lang = lang
        self.t = t
        self.graph = graph
        self._labels = Labels(graph)
        self._fields = Labels(field_labels if field_labels is not None else Graph(), (RDFS.label,))
        self.described = {str(s) for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)}

    def label(self, node: Node) -> tuple[str, str | None]:
        found = pick(self._fields.texts(node) or self._labels.texts(node), self.lang)
        if found is not None:
            return found[0], found[1] or None
        key = TERMS.get(str(node))
        if key is not None and key in self.t:
            return self.t[key], self.lang
        text = str(node)
        if text.startswith(self.base):
            text = local_name(text)
        return text.removeprefix("mailto:"), None

    def link(self, iri: str) -> str | None:
        """Where a link to this IRI goes for a reader of this site (`web/links.py`)."""
        return self.links.href(iri, self.described)

    def value(self, node: Node, graph: Graph, depth: int = 0) -> Value:
        if isinstance(node, Literal):
            if node.datatype == XSD.boolean:
                return Value(self.t["res_yes"] if node.toPython() is True else self.t["res_no"])
            return Value(str(node), lang=node.language)
        if isinstance(node, BNode):
            kinds = [self.label(k)[0] for k in sorted(graph.objects(node, RDF.type), key=str)]
            text = ", ".join(kinds) or self.t["res_details"]
            return Value(text, fields=self.fields(graph, node, depth + 1) if depth < 3 else [])
        text, lang = self.label(node)
        return Value(text, href=self.link(str(node)), lang=lang, title=str(node))

    def fields(self, graph: Graph, subject: Node, depth: int = 0, skip: Iterable[Node] = ()) -> list[Field]:
        """The subject's fields, in display order; language-tagged texts reduced to the best language."""
        skipped = {*HIDDEN, *skip}
        grouped: dict[Node, list[Node]] = {}
        for predicate, value in graph.predicate_objects(subject):
            if predicate not in skipped:
                grouped.setdefault(predicate, []).append(value)
        result = []
        for predicate, values in grouped.items():
            label, lang = self.label(predicate)
            label = label[:1].upper() + label[1:]  # vocabularies label properties in lower case
            shown = [self.value(v, graph, depth) for v in self.best_texts(values)]
            shown.sort(key=lambda v: (v.fields != [], v.text.lower()))
            result.append(Field(str(predicate), label, lang, shown))
        result.sort(key=lambda f: (_RANK.get(f.iri, len(_RANK)), f.label.lower()))
        return result

    def best_texts(self, values: list[Node]) -> list[Node]:
        """Untagged values all; of the language-tagged literals, only those in the best language present."""
        tagged = {v.language.lower() for v in values if isinstance(v, Literal) and v.language}
        best = pick({t: t for t in tagged}, self.lang)
        keep = best[0] if best else None
        return [v for v in values if not (isinstance(v, Literal) and v.language) or v.language.lower() == keep]

    def text(self, graph: Graph, subject: Node, *predicates: URIRef) -> Value | None:
        """The first of these properties that has a text, in the best language."""
        found = first_text(graph, subject, predicates, self.lang)
        return Value(found[0], lang=found[1] or None) if found is not None else None
