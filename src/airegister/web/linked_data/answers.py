"""The HTTP side of serving a resource: which representation, its validators and Link headers.

Rules (written down once, tested in tests/test_resources.py):
- An extension (`.ttl .jsonld .rdf .nt .html`) wins, then `?format=` (any name of the syntax in
  `rdf/syntaxes.py`, or `html`), then `Accept` through `conneg.negotiate` over REPRESENTATIONS (Turtle
  first, HTML last).
- So no `Accept` and `*/*` get Turtle (harvesters: ckanext-dcat sends none, data.gov.be `*/*`), and HTML
  only goes to clients that prefer text/html (browsers). Nothing acceptable: 406 listing the offers.
- `/id/...` answers 303 to the document URL of the negotiated representation (`.ttl` etc. for RDF, the
  bare `/doc/...` for HTML), so a cache or CDN that ignores `Vary` can never mix them up.
- ETag = build id + representation (+ page language) + a hash of the path; Last-Modified = when the
  build was written; conditional requests and CORS follow the rules every route shares (`web/http/`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

from airegister.publication.urls import PublicUrls
from airegister.web.http import caching
from airegister.web.http.conneg import negotiate
from airegister.web.http.errors import HttpProblem
from airegister.web.linked_data.documents import OFFERED, REPRESENTATIONS, Representation, named


def choose(request: Request, extension: Representation | None) -> Representation:
    """The representation to send, or a 406 problem that lists what is offered."""
    if extension is not None:
        return extension
    asked = request.query_params.get("format")
    if asked is not None:
        found = named(asked)
        if found is None:
            raise not_acceptable(f"?format={asked} is not offered")
        return found
    media_type = negotiate(request.headers.get("accept"), OFFERED)
    if media_type is None:
        raise not_acceptable(f"nothing offered matches Accept: {request.headers.get('accept')}")
    return next(r for r in REPRESENTATIONS if r.media_type == media_type)


def not_acceptable(why: str) -> HttpProblem:
    offers = ", ".join(f"{r.media_type} (.{r.extension})" for r in REPRESENTATIONS)
    problem = HttpProblem(406, f"{why}; offered: {offers}", kind="not-acceptable", headers={"Vary": "Accept"})
    problem.extra["offered"] = OFFERED
    return problem


def link_header(urls: PublicUrls, document: str, query: str, described: str | None) -> str:
    """Alternates of the document (each representation's URL), its canonical URL, and the thing it describes."""
    links = [f'<{urls.page(document)}{query}>; rel="canonical"']
    for representation in REPRESENTATIONS:
        href = f"{urls.page(document)}.{representation.extension}{query}"
        links.append(f'<{href}>; rel="alternate"; type="{representation.media_type}"')
    if described:
        links.append(f'<{described}>; rel="describes"')
    return ", ".join(links)


def alternates(urls: PublicUrls, document: str, query: str) -> list[dict[str, str]]:
    """The RDF alternates for base.html's <link rel=alternate> and the page's own list of formats."""
    return [
        {"type": r.media_type, "href": f"{urls.page(document)}.{r.extension}{query}", "label": r.extension}
        for r in REPRESENTATIONS
        if r.is_rdf
    ]


def validators(build: Path, build_id: str, path: str, variant: str) -> dict[str, str]:
    digest = hashlib.sha256(path.encode("utf-8")).hexdigest()[:16]
    return caching.validators(caching.entity_tag(build_id, variant, digest), caching.build_written(build))


def rdf_response(body: bytes, representation: Representation, headers: dict[str, str]) -> Response:
    return Response(body, headers={**headers, "Vary": "Accept", "Content-Type": representation.content_type})


def redirect(location: str, headers: dict[str, str]) -> Response:
    return Response(status_code=303, headers={**headers, "Location": location, "Vary": "Accept"})
