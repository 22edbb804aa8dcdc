"""What every HTML page shares: the Jinja environment, base.html's variables, security headers.

Pages are rendered on the server and work without JavaScript; autoescaping is always on, so no value
from the data can become markup. Every link is made by `AppContext.urls`: root-relative under the path
prefix, so the site works behind a proxy and on whatever host and port it is reached.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from airegister.web.context import AppContext
from airegister.web.http.errors import ErrorPage, HttpProblem
from airegister.web.http.static import asset_url
from airegister.web.i18n import COOKIE, LANGUAGE_NAMES, LANGUAGES, choose_language, explicit_language, ui_strings

TEMPLATES = Path(__file__).parent / "templates"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
# (key in the UI strings, path under the public URL)
NAV = (
    ("nav_home", ""),
    ("nav_projects", "projects"),
    ("nav_charter", "charter"),
    ("nav_sparql", "sparql"),
    ("nav_downloads", "downloads"),
    ("nav_about", "about"),
)


def html_headers() -> dict[str, str]:
    """Headers of every HTML page: the security policy, and Vary since pages negotiate type and language."""
    return {**SECURITY_HEADERS, "Vary": "Accept, Accept-Language, Cookie"}


def templates_environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def site_variables(
    context: AppContext, lang: str, current: str, params: Iterable[tuple[str, str]] = ()
) -> dict[str, Any]:
    """What base.html needs: language, strings, navigation, language links (also hreflang), stylesheet."""
    t = ui_strings(lang)
    urls = context.urls
    kept = [(k, v) for k, v in params if k != "lang"]
    here = urls.page(current)
    section = current.split("/", 1)[0]
    return {
        "lang": lang,
        "t": t,
        "nav": [{"label": t[key], "href": urls.page(path), "current": path == section} for key, path in NAV],
        "languages": [
            {
                "code": code,
                "name": LANGUAGE_NAMES[code],
                "current": code == lang,
                "href": f"{here}?{urlencode([*kept, ('lang', code)])}",
            }
            for code in LANGUAGES
        ],
        "css_url": asset_url(urls, "site.css"),
        "home": urls.page(""),
        "build": context.store.build_id,
        "alternates": [],
    }


def render_page(
    request: Request,
    environment: jinja2.Environment,
    template: str,
    variables: Mapping[str, Any],
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """Render a page (see `html_response`)."""
    body = environment.get_template(template).render(variables)
    return html_response(request, body, {**html_headers(), **(headers or {})}, status)


def html_response(request: Request, body: str | bytes, headers: Mapping[str, str], status: int = 200) -> HTMLResponse:
    """An HTML page; remembers a language the reader picked with `?lang=` in a cookie."""
    response = HTMLResponse(body, status_code=status, headers=dict(headers))
    picked = explicit_language(request)
    if picked is not None:
        response.set_cookie(COOKIE, picked, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response


def error_page(context: AppContext, environment: jinja2.Environment) -> ErrorPage:
    """The error page for people: the base template in the reader's language, and where to go on.

    A 404 says in the reader's language what was not found (and offers to search for it when the route
    knows what to search for); any other error gives its status in their language and the problem's
    message, which is in English.
    """

    def render(request: Request, problem: HttpProblem, headers: dict[str, str]) -> Response:
        lang = choose_language(request)
        t = ui_strings(lang)
        urls = context.urls
        params = request.query_params.multi_items()
        if problem.status == 404:
            heading = t["error_not_found_title"]
        else:
            status = t["error_status_5xx" if problem.status >= 500 else "error_status_4xx"]
            heading = f"{t['error_title'].format(status=problem.status)}: {status}"
        kept = [(k, v) for k, v in params if k != "lang"]
        variables = {
            **site_variables(context, lang, request.url.path.lstrip("/"), params),
            "heading": heading,
            "not_found": problem.status == 404,
            "asked": request.url.path + ("?" + "&".join(f"{k}={v}" for k, v in kept) if kept else ""),
            "message": problem.message,
            "hint": problem.search,
            "search": f"{urls.page('projects')}?{urlencode({'q': problem.search})}" if problem.search else None,
            "projects": urls.page("projects"),
            "charter": urls.page("charter"),
            "sparql": urls.page("sparql"),
        }
        page_headers = {k: v for k, v in headers.items() if k.lower() != "vary"}  # the page's own Vary is wider
        return render_page(request, environment, "error.html", variables, status=problem.status, headers=page_headers)

    return render
