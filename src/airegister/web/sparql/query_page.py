"""The SPARQL query page for people: a form, example queries, results as a labelled table, downloads.

The handler (handler.py) runs the query and leaves this page the raw answer (SPARQL JSON for SELECT
and ASK, Turtle for CONSTRUCT and DESCRIBE) with the request as it read it, so people and machines get
the same evaluation and the request is read once. The page works without JavaScript: examples are
plain links, the form submits by GET so its URL is a permalink. Labels come from one extra query over
the IRIs shown, in the reader's language with fallbacks.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

import jinja2
import pyoxigraph
from starlette.requests import Request
from starlette.responses import Response

from airegister.rdf.namespaces import STANDARD_PREFIXES
from airegister.rdf.syntaxes import RESULTS_FORMATS, RESULTS_JSON, SYNTAXES
from airegister.store.protocol import QueryFailure, QueryRequest
from airegister.web.context import AppContext
from airegister.web.http.static import asset_url
from airegister.web.i18n import LANGUAGES, choose_language, ui_strings
from airegister.web.page import render_page, site_variables, templates_environment
from airegister.web.sparql.endpoint import HtmlRenderer
from airegister.web.sparql.examples import Example, load_examples
from airegister.web.sparql.handler import Deferred
from airegister.web.sparql.protocol import ProtocolRequest, Submitted
from airegister.web.sparql.terms import Cell, Cells, Term, json_term, label_query, labels_of, oxigraph_term

log = logging.getLogger(__name__)

MAX_ROWS = 1000  # rows shown in the page; the downloads carry all of them
LABEL_TIMEOUT = 5.0
# (format parameter, label, media type) of every download offered, per kind of answer: the syntax table's rows.
SOLUTION_DOWNLOADS = tuple((f.key, f.label, f.media_type) for f in RESULTS_FORMATS)
GRAPH_DOWNLOADS = tuple((s.key, s.label, s.media_type) for s in SYNTAXES)
PROTOCOL_PARAMS = ("default-graph-uri", "named-graph-uri", "timeout")  # kept in the permalink

_PREFIX_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*(?<!\.)$")


@dataclass
class Result:
    """One answer, ready to show."""

    kind: str  # select, ask, graph
    columns: list[str]
    rows: list[list[Cell | None]]
    count: int
    boolean: bool | None = None


class QueryPage:
    """Renders /sparql for browsers; one instance per app, holding what never changes within a build."""

    def __init__(
        self, context: AppContext, environment: jinja2.Environment | None = None, examples: Iterable[Example] = ()
    ) -> None:
        self.context = context
        self.env = environment or templates_environment()
        self.base = context.settings.base_iri
        self.examples = list(examples) or load_examples(context.build / "queries")
        self._prefixes: dict[str, str] | None = None

    async def render(self, request: Request, deferred: Deferred) -> Response:
        lang = choose_language(request)
        t = ui_strings(lang)
        submitted, parsed, error = deferred.submitted, deferred.parsed, deferred.problem
        params = submitted.as_sent()
        query = parsed.query if parsed else submitted.first("query")
        prefixes = await self.prefixes()
        result = caption = None
        if parsed is not None and deferred.answer is not None:
            result = await self._result(parsed, deferred.answer, lang, prefixes)
            caption = self._caption(result, deferred.elapsed, t, lang)
        endpoint = self.context.urls.page("sparql")
        lang_param = _lang_param(submitted)
        permalink = shared = downloads = None
        if query is not None and error is None and result is not None:
            protocol = [(k, v) for k, v in params if k in PROTOCOL_PARAMS]
            asked = urlencode([("query", query), *protocol])
            permalink = f"{endpoint}?{asked}"
            shared = f"{self.context.public.page('sparql')}?{asked}"  # the text to copy works anywhere
            offered = GRAPH_DOWNLOADS if result.kind == "graph" else SOLUTION_DOWNLOADS
            downloads = [
                {"label": label, "media_type": media, "href": f"{permalink}&{urlencode([('format', name)])}"}
                for name, label, media in offered
            ]
        variables = {
            **site_variables(self.context, lang, "sparql", params),
            "action": endpoint,
            "query": query if query is not None else self.default_query(prefixes),
            "error": error.message if error is not None else None,
            "timeout": submitted.first("timeout") or f"{self.context.settings.query_timeout:g}",
            "max_timeout": f"{self.context.settings.query_timeout:g}",
            "formats": {"solutions": SOLUTION_DOWNLOADS, "graphs": GRAPH_DOWNLOADS},
            "examples": [
                {
                    "title": e.title,
                    "description": e.description,
                    "href": f"{endpoint}?{urlencode([('query', e.text), *lang_param])}",
                }
                for e in self.examples
            ],
            "prefixes": sorted(prefixes.items()),
            "result": result,
            "caption": caption,
            "lang_param": lang_param,
            "permalink": permalink,
            "permalink_text": shared,
            "downloads": downloads,
            "js_url": asset_url(self.context.urls, "sparql.js"),
        }
        status = error.status if error is not None else 200
        return render_page(request, self.env, "sparql.html", variables, status=status)

    def default_query(self, prefixes: Mapping[str, str]) -> str:
        return (
            f"PREFIX dct: <{prefixes['dct']}>\nPREFIX ns: <{prefixes['ns']}>\n\n"
            "SELECT ?project ?title\nWHERE {\n  ?project a ns:AIProject ;\n           dct:title ?title .\n}\n"
            "ORDER BY ?title\nLIMIT 20\n"
        )

    async def prefixes(self) -> dict[str, str]:
        """The standard prefixes, ours (`ns:`), and one per kind of thing we mint (`phase:`, `project:`...).

        The kinds are read from the data, not hard-coded, and asked once: a build never changes.
        """
        if self._prefixes is None:
            found = {**STANDARD_PREFIXES, "ns": f"{self.base}ns#"}
            root = f"{self.base}id/"
            query = (
                "SELECT DISTINCT ?kind WHERE { ?s ?p ?o . FILTER(isIRI(?s) && STRSTARTS(STR(?s), "
                f'"{root}")) BIND(STRBEFORE(STRAFTER(STR(?s), "{root}"), "/") AS ?kind) }}'
            )
            try:
                kinds = [row["kind"].value for row in await self._select(query) if "kind" in row]
            except QueryFailure as failure:
                log.warning("could not list the kinds of things for prefixes: %s", failure)
                kinds = []
            for name in sorted(kinds):
                if _PREFIX_NAME.match(name) and name not in found:
                    found[name] = f"{root}{name}/"
            self._prefixes = found
        return self._prefixes

    async def _select(self, query: str) -> list[dict[str, Term]]:
        timeout = min(LABEL_TIMEOUT, self.context.settings.query_timeout)
        answer = await self.context.store.query(QueryRequest(query, RESULTS_JSON, timeout=timeout))
        bindings = json.loads(answer.body)["results"]["bindings"]
        return [{name: json_term(value) for name, value in row.items()} for row in bindings]

    async def _result(self, parsed: ProtocolRequest, answer: bytes, lang: str, prefixes: dict[str, str]) -> Result:
        terms: list[list[Term | None]]
        if parsed.shape.returns_graph:
            triples = pyoxigraph.parse(answer, format=pyoxigraph.RdfFormat.TURTLE)
            terms = [[oxigraph_term(q.subject), oxigraph_term(q.predicate), oxigraph_term(q.object)]
                     for q in triples]  # fmt: skip
            kind, columns, count = "graph", ["subject", "predicate", "object"], len(terms)
        else:
            data = json.loads(answer)
            if "boolean" in data:
                return Result("ask", [], [], 1, bool(data["boolean"]))
            columns = list(data["head"].get("vars", []))
            bindings = data["results"]["bindings"]
            count = len(bindings)
            terms = [[json_term(row[v]) if v in row else None for v in columns] for row in bindings[:MAX_ROWS]]
            kind = "select"
        terms = terms[:MAX_ROWS]
        iris = {term.value for row in terms for term in row if term is not None and term.kind == "iri"}
        cells = Cells(await self._labels(iris, lang), prefixes, self.context.links.href)
        rows = [[cells.cell(term) if term else None for term in row] for row in terms]
        return Result(kind, columns, rows, count)

    async def _labels(self, iris: set[str], lang: str) -> dict[str, tuple[str, str]]:
        query = label_query(iris)
        if query is None:
            return {}
        try:
            return labels_of(await self._select(query), lang)
        except QueryFailure as failure:
            log.warning("labels could not be read: %s", failure)
            return {}

    def _caption(self, result: Result, elapsed: float | None, t: Mapping[str, str], lang: str) -> str:
        count = t["triples" if result.kind == "graph" else "rows"].format(count=result.count)
        if elapsed is None:
            return count
        seconds = f"{elapsed:.3f}" if lang == "en" else f"{elapsed:.3f}".replace(".", ",")
        return f"{count} {t['seconds'].format(seconds=seconds)}"


def _lang_param(submitted: Submitted) -> list[tuple[str, str]]:
    lang = (submitted.first("lang") or "").lower()
    return [("lang", lang)] if lang in LANGUAGES else []


def make_renderer(context: AppContext, environment: jinja2.Environment | None = None) -> HtmlRenderer:
    """The `render_html` hook of `sparql_endpoint` for this app."""
    page = QueryPage(context, environment)
    return page.render
