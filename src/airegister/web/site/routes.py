"""The site's own pages: home (`/`), the project list (`/projects` and its CSV and JSON), `/downloads`, `/about`.

They read the build's site index (see `search.py`) and manifest, never the store, so they cost the same
on a register of 80 projects or of 50,000. A build never changes, so the pages that depend only on the
language (home, the unfiltered first page of the list, downloads, about) are rendered once per
(language, language-in-URL) and then served as bytes, with validators derived from the build.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

import jinja2
from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response

from airegister.publication.manifest import Manifest, ManifestUnreadable
from airegister.publication.site_index import IndexMissing
from airegister.web import i18n
from airegister.web.context import AppContext
from airegister.web.http.caching import entity_tag, revalidated
from airegister.web.http.errors import HttpProblem
from airegister.web.page import html_headers, html_response, site_variables
from airegister.web.site.search import FILTERS, Selection, SiteIndex
from airegister.web.site.views import Home, ListState, downloads, item, list_variables

MACHINE_HEADERS = {"Vary": "Accept-Language, Cookie"}
LangParams = tuple[tuple[str, str], ...]  # ("lang", code) when the reader picked a language in the URL
LIST_COLUMNS = ("phase", "org", "level", "domain", "principle", "technique", "capability", "risk")


class SitePages:
    """Holds what the pages share within one build: the loaded index, the manifest and rendered pages."""

    def __init__(self, context: AppContext, environment: jinja2.Environment) -> None:
        self.context = context
        self.env = environment
        self._index: SiteIndex | None = None
        self._manifest: Manifest | None = None
        self._pages: dict[tuple[str, str, bool], bytes] = {}
        self._orders: dict[str, dict[str, list[str]]] = {}

    @property
    def index(self) -> SiteIndex:
        if self._index is None:
            try:
                self._index = SiteIndex.load(self.context.build)
            except IndexMissing as missing:
                raise HttpProblem(503, str(missing), kind="unavailable") from None
        return self._index

    def all_orders(self, lang: str, with_zeros: bool = False) -> dict[str, list[str]]:
        """Facet values of the whole register in display order (charts keep zeros, facets do not)."""
        key = f"{lang}:{with_zeros}"
        if key not in self._orders:
            index = self.index
            self._orders[key] = {
                facet: index.sort_values(
                    facet, {v: n for v, n in index.all_counts[facet].items() if n or with_zeros}, lang
                )
                for facet in FILTERS
            }
        return self._orders[key]

    # -- responses --------------------------------------------------------------------------------

    def cached(self, request: Request, name: str, make: Callable[[str, LangParams], bytes]) -> Response:
        """A page that depends only on the language: rendered once, then served from memory with an ETag."""
        lang = i18n.choose_language(request)
        explicit = i18n.explicit_language(request) is not None
        lang_params = (("lang", lang),) if explicit else ()
        key = (name, lang, explicit)
        body = self._pages.get(key)
        if body is None:
            body = self._pages[key] = make(lang, lang_params)
        # Only the ETag, which carries the language: with no freshness (no Cache-Control, no Last-Modified) a
        # browser revalidates each time, so a language picked since on another page is never answered from cache.
        tag = entity_tag(self.context.store.build_id, name, lang + ("-l" if explicit else ""))
        headers = {**html_headers(), "ETag": tag, "Content-Language": lang}
        return revalidated(request.headers, headers) or html_response(request, body, headers)

    def render(self, template: str, variables: Mapping[str, Any]) -> bytes:
        return self.env.get_template(template).render(variables).encode("utf-8")

    def home(self, lang: str, lang_params: LangParams) -> bytes:
        index, urls = self.index, self.context.urls
        t = i18n.ui_strings(lang)
        order = self.all_orders(lang, with_zeros=True)
        home = Home(index, t, lang, urls, tuple(lang_params))
        variables = {
            **site_variables(self.context, lang, ""),
            "cards": home.headline(self.all_orders(lang)),
            "charts": home.charts(order),
            "action": urls.page("projects"),
            "hidden": list(lang_params),
            "links": self._links(lang_params),
        }
        return self.render("site_home.html", variables)

    def _links(self, lang_params: Sequence[tuple[str, str]]) -> dict[str, str]:
        suffix = f"?lang={lang_params[0][1]}" if lang_params else ""
        urls = self.context.urls
        return {
            "downloads": urls.page("downloads") + suffix,
            "sparql": urls.page("sparql") + suffix,
            "about": urls.page("about") + suffix,
            "catalog": urls.page("catalog"),
            "void": urls.page(".well-known/void"),
        }

    def state(self, request: Request) -> tuple[ListState, Selection, str]:
        index = self.index
        lang = i18n.choose_language(request)
        selection, text = index.parse(request.query_params.multi_items())
        try:
            page = max(1, int(request.query_params.get("page", "1")))
        except ValueError:
            page = 1
        more = request.query_params.get("more", "")
        explicit = i18n.explicit_language(request) is not None
        state = ListState(
            text=text.strip(),
            filters={facet: tuple(index.key(iri) for iri in iris) for facet, iris in selection.filters.items()},
            more=more if more in FILTERS else "",
            page=page,
            lang=(("lang", lang),) if explicit else (),
        )
        return state, selection, lang

    def projects(self, request: Request) -> Response:
        state, selection, lang = self.state(request)
        if state == ListState(lang=state.lang):  # the unfiltered first page: the same for everyone
            return self.cached(request, "projects", lambda lang, lang_params: self._list_page(state, selection, lang))
        headers = {**html_headers(), "Content-Language": lang}
        return html_response(request, self._list_page(state, selection, lang), headers)

    def _list_page(self, state: ListState, selection: Selection, lang: str) -> bytes:
        index, urls = self.index, self.context.urls
        result = index.select(selection, lang)
        if selection.everything:
            order = self.all_orders(lang)
        else:
            order = {f: index.sort_values(f, {v: n for v, n in result.counts[f].items() if n}, lang) for f in FILTERS}
        variables = list_variables(index, state, lang, urls, result.positions, result.counts, order)
        site = site_variables(self.context, lang, "projects", state.params())
        site["alternates"] = [
            {"type": "text/csv", "href": variables["csv_href"]},
            {"type": "application/json", "href": variables["json_href"]},
        ]
        return self.render("site_projects.html", {**site, **variables})

    def selection_rows(self, request: Request) -> tuple[str, list[dict[str, Any]]]:
        """The whole current selection (every page), for the CSV and JSON alternates."""
        _, selection, lang = self.state(request)
        index, urls = self.index, self.context.public  # a saved CSV or JSON file has no page to resolve links against
        rows = []
        for position in index.select(selection, lang).positions:
            project = index.projects[position]
            shown = item(index, project, lang, urls)
            row: dict[str, Any] = {"id": project["ref"], "iri": project["iri"], "page": shown["href"]}
            row["title"] = shown["title"]
            for facet in LIST_COLUMNS:
                row[facet] = [{"iri": v, "label": index.label(v, lang)} for v in project[facet]]
            row["start_year"] = project["year"]
            rows.append(row)
        return lang, rows

    def downloads(self, lang: str, lang_params: LangParams) -> bytes:
        if self._manifest is None:
            try:
                self._manifest = Manifest.load(self.context.build)
            except ManifestUnreadable as unreadable:
                raise HttpProblem(503, f"{unreadable}; rebuild with `airegister build`", kind="unavailable") from None
        variables = {
            **site_variables(self.context, lang, "downloads"),
            "groups": downloads(self._manifest, self.index, lang, self.context.urls),
            "links": self._links(lang_params),
        }
        return self.render("site_downloads.html", variables)

    def about(self, lang: str, lang_params: LangParams) -> bytes:
        index = self.index
        t = i18n.ui_strings(lang)
        day = index.modified or date.fromtimestamp(self.context.build.stat().st_mtime).isoformat()
        publisher = (index.publisher or {}).get(lang, "")
        citation = t["citation"].format(
            site=t["site_name"],
            build=self.context.store.build_id,
            date=day,
            publisher=publisher,
            url=self.context.public.page(""),
        )
        variables = {
            **site_variables(self.context, lang, "about"),
            "citation": citation.replace(" . ", " "),
            "links": self._links(lang_params),
        }
        return self.render("site_about.html", variables)


def _csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["id", "iri", "page", "title", *LIST_COLUMNS, "start_year"])
    for row in rows:
        values = [" | ".join(v["label"] for v in row[facet]) for facet in LIST_COLUMNS]
        year = "" if row["start_year"] is None else str(row["start_year"])
        writer.writerow([row["id"], row["iri"], row["page"], row["title"], *values, year])
    return out.getvalue().encode("utf-8")


def register(app: FastAPI, context: AppContext, environment: jinja2.Environment) -> None:
    """Add /, /projects (+ .csv, .json), /downloads and /about; the site index is loaded now if present."""
    pages = SitePages(context, environment)
    with contextlib.suppress(HttpProblem):  # an old build without the index: these pages answer 503
        _ = pages.index  # loaded at server start, so the first reader does not wait

    @app.get("/", include_in_schema=False)
    async def home(request: Request) -> Response:
        return pages.cached(request, "home", pages.home)

    @app.get("/projects", include_in_schema=False)
    async def projects(request: Request) -> Response:
        return pages.projects(request)

    @app.get("/projects.csv", include_in_schema=False)
    async def projects_csv(request: Request) -> Response:
        lang, rows = pages.selection_rows(request)
        headers = {
            **MACHINE_HEADERS,
            "Content-Language": lang,
            "Content-Disposition": 'inline; filename="projects.csv"',
        }
        return Response(_csv(rows), media_type="text/csv; charset=utf-8", headers=headers)

    @app.get("/projects.json", include_in_schema=False)
    async def projects_json(request: Request) -> Response:
        lang, rows = pages.selection_rows(request)
        body = json.dumps({"total": len(rows), "language": lang, "items": rows}, ensure_ascii=False)
        return Response(body, media_type="application/json", headers={**MACHINE_HEADERS, "Content-Language": lang})

    @app.get("/downloads", include_in_schema=False)
    async def downloads_page(request: Request) -> Response:
        return pages.cached(request, "downloads", pages.downloads)

    @app.get("/about", include_in_schema=False)
    async def about(request: Request) -> Response:
        return pages.cached(request, "about", pages.about)
