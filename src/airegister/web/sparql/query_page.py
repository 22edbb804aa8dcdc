"""The SPARQL query page for people: a form, example queries, results as a labelled table, downloads.

The endpoint (`sparql.py`) runs the query and hands this renderer the raw answer (SPARQL JSON for SELECT
and ASK, Turtle for CONSTRUCT and DESCRIBE), so people and machines get the same evaluation. The page
works without JavaScript: examples are plain links, the form submits by GET so its URL is a permalink.
Labels come from one extra query over the IRIs shown, in the reader's language with fallbacks.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import jinja2
import pyoxigraph
from starlette.requests import Request
from starlette.responses import Response

from airegister.rdf.languages import FALLBACK, LABEL_PREDICATES
from airegister.rdf.namespaces import STANDARD_PREFIXES
from airegister.rdf.syntaxes import (
    JSONLD,
    NQUADS,
    NTRIPLES,
    RDFXML,
    RESULTS_CSV,
    RESULTS_JSON,
    RESULTS_TSV,
    RESULTS_XML,
    TRIG,
    TURTLE,
)
from airegister.store.protocol import QueryFailure, QueryRequest
from airegister.web.context import AppContext
from airegister.web.http.static import asset_url
from airegister.web.i18n import LANGUAGES, choose_language, ui_strings
from airegister.web.page import render_page, site_variables, templates_environment
from airegister.web.sparql.endpoint import HtmlRenderer
from airegister.web.sparql.protocol import FORM, SPARQL_QUERY, ProtocolRequest

log = logging.getLogger(__name__)

MAX_ROWS = 1000  # rows shown in the page; the downloads carry all of them
MAX_LABELLED = 2000  # IRIs looked up for labels in one query
LABEL_TIMEOUT = 5.0
# (format parameter, label, media type) of every download offered, per kind of answer.
SOLUTION_DOWNLOADS = (
    ("json", "SPARQL JSON", RESULTS_JSON),
    ("xml", "SPARQL XML", RESULTS_XML),
    ("csv", "CSV", RESULTS_CSV),
    ("tsv", "TSV", RESULTS_TSV),
)
GRAPH_DOWNLOADS = (
    ("ttl", "Turtle", TURTLE.media_type),
    ("nt", "N-Triples", NTRIPLES.media_type),
    ("jsonld", "JSON-LD", JSONLD.media_type),
    ("rdf", "RDF/XML", RDFXML.media_type),
    ("nq", "N-Quads", NQUADS.media_type),
    ("trig", "TriG", TRIG.media_type),
)

_PREFIX_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*(?<!\.)$")
_LOCAL_NAME = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_SAFE_IRI = re.compile(r'^[^<>"{}|^`\\\x00-\x20]+$')
_LINKABLE = ("http://", "https://", "mailto:")


@dataclass(frozen=True)
class Example:
    """A query kept as a file: `# title:` and `# description:` lines, then SPARQL."""

    slug: str
    title: str
    description: str
    text: str


def load_examples(folder: Path) -> list[Example]:
    examples = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        header = {}
        for line in text.splitlines():
            match = re.match(r"#\s*(title|description)\s*:\s*(.*)", line)
            if match is None:
                break
            header[match.group(1)] = match.group(2).strip()
        examples.append(Example(path.stem, header.get("title", path.stem), header.get("description", ""), text))
    return examples


@dataclass(frozen=True)
class Term:
    """An RDF term from either kind of answer, before labels are known."""

    kind: str  # iri, literal, bnode, triple
    value: str
    lang: str | None = None
    datatype: str | None = None


@dataclass(frozen=True)
class Cell:
    """What the template shows for one term."""

    kind: str
    text: str
    href: str | None = None
    title: str | None = None
    note: str | None = None  # the compact IRI under a label
    lang: str | None = None  # of the text
    tag: str | None = None  # @lang or the compact datatype
    tag_title: str | None = None


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _json_term(data: Mapping[str, Any]) -> Term:
    kind = data.get("type")
    if kind == "uri":
        return Term("iri", data["value"])
    if kind == "bnode":
        return Term("bnode", data["value"])
    if kind == "triple":
        parts = data["value"]
        text = " ".join(_plain(_json_term(parts[k])) for k in ("subject", "predicate", "object"))
        return Term("triple", f"<< {text} >>")
    return Term("literal", data["value"], data.get("xml:lang"), data.get("datatype"))


def _oxigraph_term(term: object) -> Term:
    if isinstance(term, pyoxigraph.NamedNode):
        return Term("iri", term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, pyoxigraph.Literal):
        return Term("literal", term.value, term.language, term.datatype.value)
    return Term("triple", str(term))


def _plain(term: Term) -> str:
    return f"<{term.value}>" if term.kind == "iri" else term.value


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
        self, context: AppContext, environment: jinja2.Environment | None = None, examples: Sequence[Example] = ()
    ) -> None:
        self.context = context
        self.env = environment or templates_environment()
        self.base = context.settings.base_iri
        self.examples = list(examples) or load_examples(context.build / "queries")
        self._prefixes: dict[str, str] | None = None

    async def render(
        self, request: Request, parsed: ProtocolRequest | None, answer: bytes | None, error: str | None
    ) -> Response:
        lang = choose_language(request)
        t = ui_strings(lang)
        params = await _submitted(request)
        query = parsed.query if parsed else _first(params, "query")
        prefixes = await self.prefixes()
        result = caption = None
        if parsed is not None and answer is not None:
            started = getattr(request.state, "started", None)  # set by the route, if it times requests
            elapsed = time.perf_counter() - started if isinstance(started, float) else None
            result = await self._result(parsed, answer, lang, prefixes)
            caption = self._caption(result, elapsed, t, lang)
        protocol = [(k, v) for k, v in params if k in ("default-graph-uri", "named-graph-uri", "timeout")]
        endpoint = self.context.urls.page("sparql")
        permalink = downloads = None
        if query is not None and error is None and result is not None:
            permalink = f"{endpoint}?{urlencode([('query', query), *protocol])}"
            offered = GRAPH_DOWNLOADS if result.kind == "graph" else SOLUTION_DOWNLOADS
            downloads = [
                {"label": label, "media_type": media, "href": f"{permalink}&{urlencode([('format', name)])}"}
                for name, label, media in offered
            ]
        timeout = _first(params, "timeout") or f"{self.context.settings.query_timeout:g}"
        variables = {
            **self.site(lang, "sparql", params),
            "action": endpoint,
            "query": query if query is not None else self.default_query(prefixes),
            "error": error,
            "timeout": timeout,
            "max_timeout": f"{self.context.settings.query_timeout:g}",
            "formats": {"solutions": SOLUTION_DOWNLOADS, "graphs": GRAPH_DOWNLOADS},
            "examples": [
                {
                    "title": e.title,
                    "description": e.description,
                    "href": f"{endpoint}?{urlencode([('query', e.text), *_lang_param(request)])}",
                }
                for e in self.examples
            ],
            "prefixes": sorted(prefixes.items()),
            "result": result,
            "caption": caption,
            "lang_param": _lang_param(request),
            "permalink": permalink,
            "downloads": downloads,
            "js_url": asset_url(self.context.urls, "sparql.js"),
        }
        return render_page(request, self.env, "sparql.html", variables, status=400 if error else 200)

    def site(self, lang: str, current: str, params: Iterable[tuple[str, str]] = ()) -> dict[str, Any]:
        return site_variables(self.context, lang, current, params)

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
        return [{name: _json_term(value) for name, value in row.items()} for row in bindings]

    async def _result(self, parsed: ProtocolRequest, answer: bytes, lang: str, prefixes: dict[str, str]) -> Result:
        terms: list[list[Term | None]]
        if parsed.shape.returns_graph:
            triples = pyoxigraph.parse(answer, format=pyoxigraph.RdfFormat.TURTLE)
            terms = [[_oxigraph_term(q.subject), _oxigraph_term(q.predicate), _oxigraph_term(q.object)]
                     for q in triples]  # fmt: skip
            kind, columns, count = "graph", ["subject", "predicate", "object"], len(terms)
        else:
            data = json.loads(answer)
            if "boolean" in data:
                return Result("ask", [], [], 1, bool(data["boolean"]))
            columns = list(data["head"].get("vars", []))
            bindings = data["results"]["bindings"]
            count = len(bindings)
            terms = [[_json_term(row[v]) if v in row else None for v in columns] for row in bindings[:MAX_ROWS]]
            kind = "select"
        terms = terms[:MAX_ROWS]
        iris = {term.value for row in terms for term in row if term is not None and term.kind == "iri"}
        labels = await self._labels(iris, lang)
        blanks: dict[str, str] = {}
        rows = [[self._cell(term, labels, prefixes, blanks) if term else None for term in row] for row in terms]
        return Result(kind, columns, rows, count)

    async def _labels(self, iris: set[str], lang: str) -> dict[str, tuple[str, str]]:
        """IRI -> (label, its language), by predicate priority then language: lang, en, fr, nl, de, any."""
        safe = sorted(iri for iri in iris if _SAFE_IRI.match(iri))[:MAX_LABELLED]
        if not safe:
            return {}
        values = " ".join(f"<{iri}>" for iri in safe)
        predicates = " ".join(f"<{p}>" for p in LABEL_PREDICATES)
        query = f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} VALUES ?p {{ {predicates} }} ?s ?p ?o }}"
        try:
            rows = await self._select(query)
        except QueryFailure as failure:
            log.warning("labels could not be read: %s", failure)
            return {}
        rank = {str(p): i for i, p in enumerate(LABEL_PREDICATES)}
        found: dict[str, dict[str, tuple[int, str]]] = {}
        for row in rows:
            value = row["o"]
            if value.kind != "literal":
                continue
            by_lang = found.setdefault(row["s"].value, {})
            key, priority = (value.lang or "").lower(), rank[row["p"].value]
            if key not in by_lang or priority < by_lang[key][0]:
                by_lang[key] = (priority, value.value)
        labels = {}
        for iri, by_lang in found.items():
            choice = next((c for c in (lang, *FALLBACK) if c in by_lang), sorted(by_lang)[0])
            labels[iri] = (by_lang[choice][1], choice)
        return labels

    def _cell(self, term: Term, labels: Mapping[str, tuple[str, str]], prefixes: Mapping[str, str],
              blanks: dict[str, str]) -> Cell:  # fmt: skip
        if term.kind == "iri":
            compact = _compact(term.value, prefixes)
            href = self.link(term.value)
            if term.value in labels:
                label, label_lang = labels[term.value]
                return Cell("iri", label, href, term.value, compact, label_lang or None)
            return Cell("iri", compact, href, term.value)
        if term.kind == "bnode":
            return Cell("bnode", blanks.setdefault(term.value, f"_:b{len(blanks)}"))
        if term.kind == "literal":
            if term.lang:
                return Cell("literal", term.value, lang=term.lang, tag=f"@{term.lang}")
            if term.datatype and term.datatype not in (XSD_STRING, RDF_LANGSTRING):
                return Cell("literal", term.value, tag=_compact(term.datatype, prefixes), tag_title=term.datatype)
            return Cell("literal", term.value)
        return Cell(term.kind, term.value)

    def link(self, iri: str) -> str | None:
        """Our IRIs link to their page on this site (under the public URL); others link out if web-safe."""
        if iri.startswith(self.base):
            return self.context.urls.page(iri[len(self.base) :])
        return iri if iri.lower().startswith(_LINKABLE) else None

    def _caption(self, result: Result, elapsed: float | None, t: Mapping[str, str], lang: str) -> str:
        count = t["triples" if result.kind == "graph" else "rows"].format(count=result.count)
        if elapsed is None:
            return count
        seconds = f"{elapsed:.3f}" if lang == "en" else f"{elapsed:.3f}".replace(".", ",")
        return f"{count} {t['seconds'].format(seconds=seconds)}"


def _compact(iri: str, prefixes: Mapping[str, str]) -> str:
    best = None
    for name, namespace in prefixes.items():
        fits = iri.startswith(namespace) and _LOCAL_NAME.match(iri[len(namespace) :] or "_")
        if fits and (best is None or len(namespace) > len(prefixes[best])):
            best = name
    return f"{best}:{iri[len(prefixes[best]) :]}" if best is not None else f"<{iri}>"


async def _submitted(request: Request) -> list[tuple[str, str]]:
    """The parameters of the request as sent, so a refused query comes back into the form unchanged."""
    params = list(request.query_params.multi_items())
    if request.method == "POST":
        body = await request.body()  # starlette keeps the body the endpoint already read
        media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        text = body.decode("utf-8", "replace")
        if media_type == FORM:
            params += parse_qsl(text, keep_blank_values=True)
        elif media_type == SPARQL_QUERY:
            params.append(("query", text))
    return params


def _first(params: Sequence[tuple[str, str]], name: str) -> str | None:
    return next((v for k, v in params if k == name), None)


def _lang_param(request: Request) -> list[tuple[str, str]]:
    lang = request.query_params.get("lang", "").lower()
    return [("lang", lang)] if lang in LANGUAGES else []


def make_renderer(context: AppContext, environment: jinja2.Environment | None = None) -> HtmlRenderer:
    """The `render_html` hook of `sparql_endpoint` for this app."""
    return QueryPage(context, environment).render
