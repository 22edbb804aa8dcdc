"""Linked Data for people and machines: `/id/...` (303), `/doc/...`, `/ns`, `/shapes`, `/catalog`, `/dataset/...`,
`/charter`, each negotiated between HTML, Turtle, JSON-LD, RDF/XML and N-Triples (rules in answers.py).

The IRI of a thing is always `{base_iri}id/...` (the identity base); its document is served at
`{public_url}doc/...` (the public URL, which may differ and carry a path prefix). Hash IRIs (`{base}ns#T`,
`{base}shapes#S`) are answered by their whole document. IRIs outside our base that the register describes
(federal organisations, DPV terms) have a document at `/doc?iri=...`. Answers are cached in memory per
(build, path, representation): a build never changes.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from urllib.parse import quote, urlencode

import jinja2
from fastapi import FastAPI
from rdflib import Graph, URIRef
from starlette.requests import Request
from starlette.responses import Response

from airegister.publication.layout import CATALOG, CATALOG_SYNTAXES, SHAPES, catalog_file
from airegister.rdf.sparql_text import safe_iri
from airegister.web.context import AppContext
from airegister.web.http.caching import revalidated
from airegister.web.http.errors import HttpProblem, problem_response
from airegister.web.i18n import choose_language
from airegister.web.linked_data.answers import choose, link_header, rdf_response, redirect, validators
from airegister.web.linked_data.documents import (
    BY_EXTENSION,
    HTML,
    Bounded,
    Descriptions,
    Representation,
    prefixes_for,
    serialize,
    split_extension,
    subgraph,
)
from airegister.web.linked_data.pages import Pages, Target

_PATH = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*(/[A-Za-z0-9][A-Za-z0-9._~-]*)?$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")
_FILE_SERVED = {syntax.extension for syntax in CATALOG_SYNTAXES}  # the catalog as the build wrote it
Loader = Callable[[], Awaitable[Graph | None]]
GET = ["GET", "HEAD"]


class Resources:
    def __init__(self, context: AppContext, environment: jinja2.Environment) -> None:
        self.context = context
        self.base = context.settings.base_iri
        self.rdf = Descriptions(context)
        self.pages = Pages(context, environment, self.rdf)
        self.prefixes = prefixes_for(context)
        self.bodies: Bounded = Bounded(4096)

    # ---------------------------------------------------------------- routes

    async def identify(self, request: Request, path: str) -> Response:
        """`/id/{type}/{ref}` (and schemes, the charter): 303 to the document in the negotiated format."""
        stem, extension = split_extension(path)
        if not _PATH.match(stem) or await self.rdf.describe(f"{self.base}id/{stem}") is None:
            return self.not_found(request, f"id/{path}", stem.rsplit("/", 1)[-1])
        representation = choose(request, extension)
        location = self.context.urls.page(f"doc/{stem}")
        if representation is not HTML:
            location += f".{representation.extension}"
        lang = [("lang", v) for v in request.query_params.getlist("lang")]
        return redirect(location + (f"?{urlencode(lang)}" if lang else ""), {})

    async def document(self, request: Request, path: str) -> Response:
        stem, extension = split_extension(path)
        if not _PATH.match(stem):
            return self.not_found(request, f"doc/{path}", stem.rsplit("/", 1)[-1])
        iri = f"{self.base}id/{stem}"
        return await self.respond(request, Target(f"doc/{stem}", iri), extension, lambda: self.rdf.describe(iri))

    async def elsewhere(self, request: Request, extension: Representation | None = None) -> Response:
        """`/doc?iri=...`: what the register says about an IRI it does not mint (an organisation, a term)."""
        iri = request.query_params.get("iri", "")
        if not iri or not safe_iri(iri) or not iri.startswith(("http://", "https://")):
            return self.not_found(request, "doc?iri=" + iri, "")
        target = Target("doc", iri, query=f"?iri={quote(iri, safe='')}")
        return await self.respond(request, target, extension, lambda: self.rdf.describe(iri))

    async def vocabulary(self, request: Request, extension: Representation | None = None) -> Response:
        async def load() -> Graph | None:
            graph = await self.rdf.vocabulary()
            return graph if len(graph) else None

        return await self.respond(request, Target("ns", f"{self.base}ns", kind="vocabulary"), extension, load)

    async def shapes(self, request: Request, extension: Representation | None = None) -> Response:
        async def load() -> Graph | None:
            return self.rdf.build_graph("shapes", lambda: sorted((self.context.build / SHAPES).rglob("*")))

        return await self.respond(request, Target("shapes", f"{self.base}shapes", kind="shapes"), extension, load)

    async def catalog(self, request: Request, extension: Representation | None = None) -> Response:
        async def load() -> Graph | None:
            return self.rdf.build_graph(CATALOG, [catalog_file(self.context.build)])

        return await self.respond(request, Target("catalog", f"{self.base}catalog", kind="catalog"), extension, load)

    async def dataset(self, request: Request, name: str) -> Response:
        stem, extension = split_extension(name)
        iri = f"{self.base}dataset/{stem}"

        async def load() -> Graph | None:
            catalog = self.rdf.build_graph(CATALOG, [catalog_file(self.context.build)])
            found = subgraph(catalog, URIRef(iri)) if catalog is not None and _NAME.match(stem) else Graph()
            return found if len(found) else None

        return await self.respond(request, Target(f"dataset/{stem}", iri, kind="dataset"), extension, load)

    # ---------------------------------------------------------------- answers

    async def respond(
        self, request: Request, target: Target, extension: Representation | None, load: Loader
    ) -> Response:
        graph = await load()  # first, so that a missing thing is a 404 whatever the Accept header
        if graph is None:
            return self.not_found(request, target.document + target.query, target.iri.rsplit("/", 1)[-1])
        representation = choose(request, extension)
        lang = choose_language(request) if representation is HTML else ""
        variant = representation.key + (f"-{lang}" if lang else "")
        headers = validators(self.context.build, self.context.store.build_id, target.document + target.query, variant)
        headers["Link"] = link_header(self.context.urls, target.document, target.query, target.iri)
        vary = "Accept" if representation.is_rdf else "Accept, Accept-Language, Cookie"
        unchanged = revalidated(request.headers, {**headers, "Vary": vary})
        if unchanged is not None:
            return unchanged
        if representation.is_rdf:
            key = (target.document + target.query, representation.key)
            body = self.bodies.get(key)
            if body is None:
                body = self.bodies.remember(key, self.body(target, graph, representation))
            return rdf_response(body, representation, headers)
        if target.kind in ("catalog", "dataset"):
            target = Target(target.document, target.iri, "thing", target.query)
            graph = subgraph(graph, URIRef(target.iri), depth=0 if target.document == "catalog" else 3)
        return await self.pages.render(request, target, graph, headers)

    def body(self, target: Target, graph: Graph, representation: Representation) -> bytes:
        if target.kind == "catalog" and representation.extension in _FILE_SERVED:
            return catalog_file(self.context.build, representation.extension).read_bytes()
        return serialize(graph, representation, self.prefixes)

    def not_found(self, request: Request, asked: str, hint: str) -> Response:
        """A 404 that helps: the error page offers to search the projects for `hint`; machines get the JSON."""
        message = f"/{asked} is not in this register; see {self.context.urls.page('sparql')}"
        problem = HttpProblem(404, message, kind="not-found", search=hint)
        return problem_response(problem, request, {"Vary": "Accept"})


def register(app: FastAPI, context: AppContext, environment: jinja2.Environment) -> None:
    """Add the Linked Data routes (see the module docstring) to the app."""
    service = Resources(context, environment)

    @app.api_route("/id/{path:path}", methods=GET, include_in_schema=False)
    async def identify(request: Request, path: str) -> Response:
        return await service.identify(request, path)

    @app.api_route("/doc/{path:path}", methods=GET, include_in_schema=False)
    async def document(request: Request, path: str) -> Response:
        return await service.document(request, path)

    @app.api_route("/charter", methods=GET, include_in_schema=False)
    async def charter(request: Request) -> Response:
        return await service.document(request, "charter")

    @app.api_route("/dataset/{name}", methods=GET, include_in_schema=False)
    async def dataset(request: Request, name: str) -> Response:
        return await service.dataset(request, name)

    for name, handler in (
        ("doc", service.elsewhere),
        ("ns", service.vocabulary),
        ("shapes", service.shapes),
        ("catalog", service.catalog),
    ):
        _document_routes(app, name, handler)


def _document_routes(app: FastAPI, name: str, handler: Callable[..., Awaitable[Response]]) -> None:
    """`/{name}` negotiated, and `/{name}.{extension}` for each representation."""

    async def negotiated(request: Request) -> Response:
        return await handler(request)

    async def with_extension(request: Request, extension: str) -> Response:
        representation = BY_EXTENSION.get(extension)
        if representation is None:
            raise HttpProblem(404, f"/{name}.{extension} is not a format offered here", kind="not-found")
        return await handler(request, representation)

    app.add_api_route(f"/{name}", negotiated, methods=GET, include_in_schema=False)
    app.add_api_route(f"/{name}.{{extension}}", with_extension, methods=GET, include_in_schema=False)
