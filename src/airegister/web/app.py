"""The app factory: Settings and a Store in, a read-only ASGI application out.

Middleware, outermost first: `PathPrefix` (paths without the public URL's prefix), `Cors` (every answer,
errors included, and preflights), `FastSparql` (machines' SPARQL before routing), then the routes.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from airegister import __version__
from airegister.publication import layout
from airegister.publication.manifest import Manifest, ManifestUnreadable
from airegister.publication.urls import PublicUrls
from airegister.settings import Settings
from airegister.store.opening import open_store
from airegister.store.protocol import Store
from airegister.web.context import AppContext
from airegister.web.http import cors
from airegister.web.http.build_files import build_file
from airegister.web.http.caching import build_written, http_date
from airegister.web.http.errors import HttpProblem, problem_response
from airegister.web.http.path_prefix import PathPrefix
from airegister.web.http.static import static_file
from airegister.web.linked_data import routes as resources
from airegister.web.page import error_page, templates_environment
from airegister.web.site import routes as site
from airegister.web.sparql.endpoint import sparql_endpoint
from airegister.web.sparql.fast_path import FastSparql
from airegister.web.sparql.handler import SparqlHandler
from airegister.web.sparql.query_page import make_renderer

log = logging.getLogger(__name__)


def served_build(settings: Settings) -> Path:
    build = layout.current_build(settings.dist)
    if build is None:
        raise FileNotFoundError(f"nothing is published in {settings.dist}: run `airegister build` first")
    return build


def served_settings(settings: Settings, build: Path) -> Settings:
    """The settings for serving `build`: its base IRI and public URL where the operator set none.

    A build without a readable manifest (a store loaded by other means, such as the W3C suites') is
    served with the settings as given; its downloads page says the manifest is missing."""
    try:
        manifest = Manifest.load(build)
    except ManifestUnreadable:
        return settings
    return settings.serving(manifest.base_iri, manifest.public_url)


def create_app(settings: Settings, store: Store | None = None, build: Path | None = None) -> FastAPI:
    """The application over one build (the current one unless given); the store defaults to the embedded one."""
    build = build or served_build(settings)
    settings = served_settings(settings, build)
    store = store or open_store(settings, build)
    context = AppContext(settings=settings, store=store, public=PublicUrls(settings.public_url), build=build)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        with layout.serving(build):  # publishing a newer build then keeps this one
            await context.store.start()
            try:
                yield
            finally:
                await context.store.close()

    app = FastAPI(title="airegister", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=None)  # fmt: skip
    app.state.context = context
    handler = SparqlHandler(context)
    app.state.sparql_handler = handler  # the server's HTTP protocol answers machines' GETs with it
    app.add_middleware(FastSparql, handler=handler)  # the last added is the outermost
    app.add_middleware(cors.Cors)
    app.add_middleware(PathPrefix, prefix=context.urls.prefix)

    environment = templates_environment()
    render_sparql = make_renderer(context, environment)
    app.state.error_page = error_page(context, environment)

    @app.api_route("/sparql", methods=["GET", "POST"], include_in_schema=False)
    async def sparql(request: Request) -> Response:
        return await sparql_endpoint(request, handler, render_sparql)

    @app.get("/static/{name}", include_in_schema=False)
    async def static(name: str, request: Request) -> Response:
        return static_file(name, request)

    served = {"build": build.name, "built": http_date(build_written(build))}  # what a SIGHUP moves on from

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> Response:
        return JSONResponse({"status": "ok", **served})

    @app.get("/-/version", include_in_schema=False)
    async def version() -> Response:
        return JSONResponse({"airegister": __version__, **served})

    @app.get("/dumps/{name:path}", include_in_schema=False)
    async def dumps(name: str, request: Request) -> Response:
        return build_file(context, layout.DUMPS, name, request)

    @app.get("/.well-known/void", include_in_schema=False)
    async def void(request: Request) -> Response:
        return build_file(context, "", layout.VOID, request)

    resources.register(app, context, environment)  # /id, /doc, /ns, /shapes, /catalog, /charter
    site.register(app, context, environment)  # /, /projects, /downloads, /about

    @app.exception_handler(HttpProblem)
    async def on_problem(request: Request, problem: HttpProblem) -> Response:
        return problem_response(problem, request)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, error: StarletteHTTPException) -> Response:
        """Routes nobody registered, and methods a route does not allow, answer in our error shapes."""
        if error.status_code == 404:
            missing = HttpProblem(404, f"{request.url.path} is not a page of this site", kind="not-found")
            return problem_response(missing, request)
        problem = HttpProblem(
            error.status_code, str(error.detail), kind="bad-request", headers=dict(error.headers or {})
        )
        return problem_response(problem, request)

    @app.exception_handler(Exception)
    async def on_error(request: Request, error: Exception) -> Response:
        """Starlette answers this one outside every middleware, `Cors` included: hence its headers here."""
        log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
        problem = HttpProblem(500, "an internal error occurred; it has been logged", kind="internal-error")
        return problem_response(problem, request, cors.HEADERS)

    return app
