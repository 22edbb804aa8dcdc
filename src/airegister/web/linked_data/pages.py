"""HTML pages for resources: one generic page (any resource's fields with labels, and what links to it),
specialised for projects (schema.org JSON-LD, PSTW case), concept schemes (their concepts; for the charter,
the projects addressing each principle), our vocabulary, and graphs of many subjects (the shapes).
Nothing here names a project, a scheme or a principle: what a page shows follows from the data's types.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, SH, SKOS
from rdflib.term import Node
from starlette.requests import Request
from starlette.responses import HTMLResponse

from airegister.rdf.namespaces import ADMS, DPV, TECH
from airegister.web.context import AppContext
from airegister.web.i18n import choose_language, ui_strings
from airegister.web.linked_data.answers import alternates
from airegister.web.linked_data.documents import Descriptions
from airegister.web.linked_data.view import Field, Value, Viewer
from airegister.web.page import render_page, site_variables

TITLES = (DCTERMS.title, SKOS.prefLabel, RDFS.label, FOAF.name)
LEADS = (DCTERMS.description, RDFS.comment)
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
MAX_LISTED = 500


@dataclass(frozen=True)
class Target:
    """A document: its path under the public URL (no extension), the IRI it describes, its kind."""

    document: str
    iri: str
    kind: str = "thing"  # thing, vocabulary, shapes
    query: str = ""  # `?iri=...` for documents about IRIs outside our base


def json_for_html(data: object) -> Markup:
    """JSON that cannot end a <script> element nor open markup: <, > and & become \\u escapes."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


class Pages:
    def __init__(self, context: AppContext, environment: jinja2.Environment, descriptions: Descriptions) -> None:
        self.context = context
        self.env = environment
        self.rdf = descriptions
        self.ns = f"{context.settings.base_iri}ns#"

    async def render(self, request: Request, target: Target, graph: Graph, headers: dict[str, str]) -> HTMLResponse:
        lang = choose_language(request)
        t = ui_strings(lang)
        subject = URIRef(target.iri)
        extra = Graph()
        variables: dict[str, Any] = {}
        template = "resource_page.html"
        if target.kind == "thing":
            backlinks = await self.rdf.select(
                f"SELECT ?s ?p WHERE {{ ?s ?p <{target.iri}> FILTER(isIRI(?s) && ?p != <{RDF.type}>) }} "
                f"ORDER BY ?p ?s LIMIT {MAX_LISTED * 4}"
            )
            extra += await self.rdf.construct(
                f"CONSTRUCT {{ ?x <{DPV.hasAssessment}> ?a . ?a ?p ?o }} WHERE {{ ?x <{DPV.hasAssessment}> ?a . "
                f"?a <{DCTERMS.subject}> <{target.iri}> ; ?p ?o }}"
            )
            schemes = (subject, RDF.type, SKOS.ConceptScheme) in graph
            if schemes:
                extra += await self.rdf.construct(
                    f"CONSTRUCT {{ ?c ?p ?o . ?x <{self.ns}addressesPrinciple> ?c . ?x <{DPV.hasAssessment}> ?a . "
                    f"?a ?ap ?ao }} WHERE {{ ?c <{SKOS.inScheme}> <{target.iri}> . {{ ?c ?p ?o FILTER(?p IN "
                    f"(<{SKOS.notation}>, <{SKOS.definition}>, <{SKOS.broader}>, <{SKOS.inScheme}>)) }} UNION "
                    f"{{ ?x <{self.ns}addressesPrinciple> ?c }} UNION {{ ?x <{DPV.hasAssessment}> ?a . "
                    f"?a <{DCTERMS.subject}> ?c ; ?ap ?ao }} }}"
                )
            for row in backlinks:
                extra.add((URIRef(row["s"]["value"]), URIRef(row["p"]["value"]), subject))
        labels = await self.rdf.labels({*graph.all_nodes(), *graph.predicates(), *extra.all_nodes()})
        viewer = Viewer(self.context, graph + extra + labels, lang, t, await self.rdf.field_labels())
        title = viewer.text(graph, subject, *TITLES) or Value(viewer.label(subject)[0])
        lead = viewer.text(graph, subject, *LEADS)
        skip = {p for p in (*TITLES, *LEADS) if viewer.text(graph, subject, p) in (title, lead)}
        if (subject, RDF.type, SKOS.ConceptScheme) in graph:
            skip.add(SKOS.hasTopConcept)  # the concept list shows them
        if target.kind == "vocabulary":
            template = "resource_vocabulary.html"
            variables = self.vocabulary(viewer, graph)
        elif target.kind == "shapes":
            template = "resource_graph.html"
            variables = {"subjects": self.subjects(viewer, graph, lambda s: str(s).startswith(f"{target.iri}#"))}
        else:
            variables = {"backlinks": self.backlinks(viewer, extra, subject)}
            variables["assessments"] = self.assessments(viewer, extra, subject)
            if (subject, RDF.type, SKOS.ConceptScheme) in graph:
                template = "resource_scheme.html"
                variables["concepts"] = self.concepts(viewer, extra, subject)
            if (subject, RDF.type, URIRef(self.ns + "AIProject")) in graph:
                template = "resource_project.html"
                variables.update(self.project(viewer, graph, subject, title, lead, target))
        current = request.url.path.lstrip("/")
        variables = {
            **site_variables(self.context, lang, current, request.query_params.multi_items()),
            **variables,
            "alternates": alternates(self.context.urls, target.document, target.query),
            "iri": target.iri,
            "title": title,
            "lead": lead,
            "types": [viewer.value(k, graph) for k in sorted(graph.objects(subject, RDF.type), key=str)],
            "fields": viewer.fields(graph, subject, skip=skip),
            "external": not target.iri.startswith(self.context.settings.base_iri),
        }
        return render_page(request, self.env, template, variables, headers=headers)

    def backlinks(self, viewer: Viewer, extra: Graph, subject: URIRef) -> list[dict[str, Any]]:
        """What links to the subject, by property: "Named as Deployer by: ...", narrower concepts, ..."""
        t = viewer.t
        headings: dict[Node, str] = {SKOS.broader: t["res_narrower"], SKOS.inScheme: t["res_in_scheme"]}
        hidden = {SKOS.topConceptOf, SKOS.inScheme} if (subject, RDF.type, SKOS.ConceptScheme) in viewer.graph else {}
        groups = []
        for predicate in sorted(set(extra.predicates(None, subject)), key=lambda p: viewer.label(p)[0].lower()):
            if predicate in hidden or predicate == DPV.hasAssessment:
                continue
            heading = headings.get(predicate) or t["res_referenced_as"].format(field=viewer.label(predicate)[0])
            values = sorted((viewer.value(s, extra) for s in extra.subjects(predicate, subject)), key=_by_text)
            groups.append({"heading": heading, "values": values[:MAX_LISTED], "more": max(0, len(values) - MAX_LISTED)})
        return groups

    def assessments(self, viewer: Viewer, extra: Graph, subject: Node) -> list[dict[str, Any]]:
        rows = []
        for project, node in extra.subject_objects(DPV.hasAssessment):
            if (node, DCTERMS.subject, subject) not in extra:
                continue
            status = extra.value(node, DPV.hasStatus)
            rows.append({
                "project": viewer.value(project, extra),
                "status": viewer.value(status, extra) if status is not None else None,
                "note": viewer.text(extra, node, DCTERMS.description),
            })  # fmt: skip
        return sorted(rows, key=lambda r: r["project"].text.lower())

    def concepts(self, viewer: Viewer, extra: Graph, scheme: URIRef) -> list[dict[str, Any]]:
        """The scheme's concepts, each under its broader one, with definition and the projects addressing it."""
        members = set(extra.subjects(SKOS.inScheme, scheme))
        rows = []
        for concept in members:
            broader = [b for b in extra.objects(concept, SKOS.broader) if b in members]
            notation = extra.value(concept, SKOS.notation)
            label = viewer.value(concept, extra)
            parent = viewer.label(broader[0])[0] if broader else label.text
            projects = sorted((viewer.value(p, extra) for p in extra.subjects(URIRef(self.ns + "addressesPrinciple"),
                                                                                 concept)), key=_by_text)  # fmt: skip
            rows.append({
                "sort": (str(extra.value(broader[0], SKOS.notation) or "") if broader else str(notation or ""),
                         parent.lower(), bool(broader), str(notation or ""), label.text.lower()),
                "concept": label,
                "notation": str(notation) if notation is not None else None,
                "narrower": bool(broader),
                "definition": viewer.text(extra, concept, SKOS.definition),
                "projects": projects,
                "assessments": self.assessments(viewer, extra, concept),
            })  # fmt: skip
        return sorted(rows, key=lambda r: r["sort"])

    def project(self, viewer: Viewer, graph: Graph, subject: URIRef, title: Value, lead: Value | None,
                target: Target) -> dict[str, Any]:  # fmt: skip
        """The PSTW case box and the schema.org description embedded for search engines."""
        cases = []
        for node in graph.objects(subject, ADMS.identifier):
            notation = graph.value(node, SKOS.notation)
            creator = graph.value(node, DCTERMS.creator)
            if notation is not None:
                by = viewer.value(creator, graph) if creator is not None else None
                cases.append({"notation": str(notation), "creator": by})
        sources = [viewer.value(v, graph) for p in (DCTERMS.source, DCTERMS.references)
                   for v in graph.objects(subject, p)]  # fmt: skip
        keywords = sorted(str(k) for k in viewer.best_texts(list(graph.objects(subject, DCAT.keyword))))
        deployers = [
            {"@type": "GovernmentOrganization", "@id": str(org), "name": viewer.label(org)[0]}
            for org in sorted(graph.objects(subject, TECH.hasDeployer), key=str)
        ]
        identifiers = [str(v) for v in graph.objects(subject, DCTERMS.identifier)] + [c["notation"] for c in cases]
        modified = graph.value(subject, DCTERMS.modified)
        schema: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "SoftwareApplication",
            "@id": target.iri,
            "name": title.text,
            "url": self.context.public.page(target.document),
            "identifier": identifiers,
            "keywords": keywords,
            "provider": deployers,
            "creator": deployers,
        }
        if lead is not None:
            schema["description"] = lead.text
        if isinstance(modified, Literal):
            schema["dateModified"] = str(modified)
        return {"cases": cases, "sources": sources, "schema_org": json_for_html(schema)}

    def vocabulary(self, viewer: Viewer, graph: Graph) -> dict[str, Any]:
        def is_class(s: URIRef) -> bool:
            return (s, RDF.type, OWL.Class) in graph or (s, RDF.type, RDFS.Class) in graph

        def is_property(s: URIRef) -> bool:
            return any((s, RDF.type, kind) in graph for kind in PROPERTY_TYPES)

        return {
            "classes": self.subjects(viewer, graph, lambda s: str(s).startswith(self.ns) and is_class(s)),
            "properties": self.subjects(viewer, graph, lambda s: str(s).startswith(self.ns) and is_property(s)),
        }

    def subjects(self, viewer: Viewer, graph: Graph, keep: Any) -> list[dict[str, Any]]:
        """Named subjects of a graph (terms, shapes) with their anchor, label, comment and fields."""
        found = []
        for subject in {s for s in graph.subjects() if isinstance(s, URIRef) and keep(s)}:
            fields: list[Field] = viewer.fields(graph, subject, skip=(RDFS.label, RDFS.comment, RDFS.isDefinedBy))
            found.append({
                "anchor": str(subject).rsplit("#", 1)[-1],
                "iri": str(subject),
                "label": viewer.text(graph, subject, RDFS.label, SH.name) or Value(str(subject).rsplit("#", 1)[-1]),
                "comment": viewer.text(graph, subject, RDFS.comment, SH.description),
                "types": [viewer.value(k, graph) for k in sorted(graph.objects(subject, RDF.type), key=str)],
                "fields": fields,
            })  # fmt: skip
        return sorted(found, key=lambda s: s["anchor"].lower())


def _by_text(value: Value) -> str:
    return value.text.lower()
