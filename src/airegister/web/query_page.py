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
from starlette.responses import HTMLResponse, Response

from airegister.formats import (
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
from airegister.labels import FALLBACK, LABEL_PREDICATES
from airegister.namespaces import STANDARD_PREFIXES
from airegister.store.protocol import QueryFailure, QueryRequest
from airegister.web.context import AppContext
from airegister.web.sparql import HtmlRenderer
from airegister.web.sparql_request import FORM, SPARQL_QUERY, ProtocolRequest
from airegister.web.static_files import asset_url

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"
LANGUAGES = ("en", "fr", "nl", "de")
MAX_ROWS = 1000  # rows shown in the page; the downloads carry all of them
MAX_LABELLED = 2000  # IRIs looked up for labels in one query
LABEL_TIMEOUT = 5.0
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
# (key in STRINGS, path under the public URL); pages other than /sparql are served by later issues.
NAV = (
    ("nav_home", ""),
    ("nav_projects", "projects"),
    ("nav_charter", "charter"),
    ("nav_sparql", "sparql"),
    ("nav_downloads", "downloads"),
    ("nav_about", "about"),
)
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

# UI strings per language; a missing key falls back to English.
STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "site_name": "Belgian AI Register",
        "skip": "Skip to content",
        "nav_label": "Main",
        "nav_home": "Home",
        "nav_projects": "Projects",
        "nav_charter": "Charter",
        "nav_sparql": "SPARQL",
        "nav_downloads": "Downloads",
        "nav_about": "About",
        "language_label": "Language",
        "licence": "Data published under the Creative Commons Attribution 4.0 licence (CC BY 4.0).",
        "build": "Build {build}",
        "title": "SPARQL query",
        "intro": "Ask the register questions in SPARQL 1.1. Start from an example or write your own query: "
        "results show labels and link to each resource.",
        "query_label": "Query",
        "query_help": "SELECT, ASK, CONSTRUCT or DESCRIBE; the endpoint is read-only.",
        "shortcut": "Ctrl+Enter runs the query.",
        "timeout_label": "Timeout (seconds)",
        "timeout_help": "At most {max} seconds.",
        "format_label": "Answer format",
        "format_html": "Table in this page",
        "formats_solutions": "For SELECT and ASK",
        "formats_graphs": "For CONSTRUCT and DESCRIBE",
        "run": "Run query",
        "examples_heading": "Example queries",
        "examples_help": "Each link runs its query and shows it in the form.",
        "prefixes_heading": "Prefixes",
        "prefixes_help": "The prefixes the data uses; a query declares those it needs.",
        "results_heading": "Results",
        "rows": "{count} rows",
        "triples": "{count} triples",
        "seconds": "in {seconds} s",
        "truncated": "The first {shown} are shown; download the results to get all {count}.",
        "no_rows": "The query matched nothing.",
        "ask_label": "Answer",
        "yes": "Yes",
        "no": "No",
        "subject": "Subject",
        "predicate": "Predicate",
        "object": "Object",
        "downloads_heading": "Download these results",
        "permalink_heading": "Permalink",
        "permalink_help": "This address runs the query again: bookmark it or share it.",
        "error_heading": "The query could not be run",
    },
    "fr": {
        "site_name": "Registre belge de l'IA",
        "skip": "Aller au contenu",
        "nav_label": "Principale",
        "nav_home": "Accueil",
        "nav_projects": "Projets",
        "nav_charter": "Charte",
        "nav_sparql": "SPARQL",
        "nav_downloads": "Téléchargements",
        "nav_about": "À propos",
        "language_label": "Langue",
        "licence": "Données publiées sous licence Creative Commons Attribution 4.0 (CC BY 4.0).",
        "build": "Version {build}",
        "title": "Requête SPARQL",
        "intro": "Interrogez le registre en SPARQL 1.1. Partez d'un exemple ou écrivez votre requête : "
        "les résultats affichent les libellés et renvoient vers chaque ressource.",
        "query_label": "Requête",
        "query_help": "SELECT, ASK, CONSTRUCT ou DESCRIBE ; le point d'accès est en lecture seule.",
        "shortcut": "Ctrl+Entrée lance la requête.",
        "timeout_label": "Délai maximal (secondes)",
        "timeout_help": "Au plus {max} secondes.",
        "format_label": "Format de la réponse",
        "format_html": "Tableau dans cette page",
        "formats_solutions": "Pour SELECT et ASK",
        "formats_graphs": "Pour CONSTRUCT et DESCRIBE",
        "run": "Lancer la requête",
        "examples_heading": "Exemples de requêtes",
        "examples_help": "Chaque lien lance sa requête et l'affiche dans le formulaire.",
        "prefixes_heading": "Préfixes",
        "prefixes_help": "Les préfixes utilisés par les données ; une requête déclare ceux dont elle a besoin.",
        "results_heading": "Résultats",
        "rows": "{count} lignes",
        "triples": "{count} triplets",
        "seconds": "en {seconds} s",
        "truncated": "Les {shown} premières sont affichées ; téléchargez les résultats pour obtenir les {count}.",
        "no_rows": "La requête ne trouve rien.",
        "ask_label": "Réponse",
        "yes": "Oui",
        "no": "Non",
        "subject": "Sujet",
        "predicate": "Prédicat",
        "object": "Objet",
        "downloads_heading": "Télécharger ces résultats",
        "permalink_heading": "Lien permanent",
        "permalink_help": "Cette adresse relance la requête : ajoutez-la à vos favoris ou partagez-la.",
        "error_heading": "La requête n'a pas pu être exécutée",
    },
    "nl": {
        "site_name": "Belgisch AI-register",
        "skip": "Naar de inhoud",
        "nav_label": "Hoofdmenu",
        "nav_home": "Home",
        "nav_projects": "Projecten",
        "nav_charter": "Charter",
        "nav_sparql": "SPARQL",
        "nav_downloads": "Downloads",
        "nav_about": "Over",
        "language_label": "Taal",
        "licence": "Gegevens gepubliceerd onder de licentie Creative Commons Naamsvermelding 4.0 (CC BY 4.0).",
        "build": "Versie {build}",
        "title": "SPARQL-query",
        "intro": "Stel het register vragen in SPARQL 1.1. Begin bij een voorbeeld of schrijf je eigen query: "
        "de resultaten tonen labels en linken naar elke bron.",
        "query_label": "Query",
        "query_help": "SELECT, ASK, CONSTRUCT of DESCRIBE; het endpoint is alleen-lezen.",
        "shortcut": "Ctrl+Enter voert de query uit.",
        "timeout_label": "Time-out (seconden)",
        "timeout_help": "Hoogstens {max} seconden.",
        "format_label": "Formaat van het antwoord",
        "format_html": "Tabel op deze pagina",
        "formats_solutions": "Voor SELECT en ASK",
        "formats_graphs": "Voor CONSTRUCT en DESCRIBE",
        "run": "Query uitvoeren",
        "examples_heading": "Voorbeeldquery's",
        "examples_help": "Elke link voert zijn query uit en toont hem in het formulier.",
        "prefixes_heading": "Prefixen",
        "prefixes_help": "De prefixen die de gegevens gebruiken; een query declareert de prefixen die hij nodig heeft.",
        "results_heading": "Resultaten",
        "rows": "{count} rijen",
        "triples": "{count} triples",
        "seconds": "in {seconds} s",
        "truncated": "De eerste {shown} worden getoond; download de resultaten om alle {count} te krijgen.",
        "no_rows": "De query vindt niets.",
        "ask_label": "Antwoord",
        "yes": "Ja",
        "no": "Nee",
        "subject": "Subject",
        "predicate": "Predicaat",
        "object": "Object",
        "downloads_heading": "Deze resultaten downloaden",
        "permalink_heading": "Permalink",
        "permalink_help": "Dit adres voert de query opnieuw uit: bewaar of deel het.",
        "error_heading": "De query kon niet worden uitgevoerd",
    },
    "de": {
        "site_name": "Belgisches KI-Register",
        "skip": "Zum Inhalt",
        "nav_label": "Hauptmenü",
        "nav_home": "Start",
        "nav_projects": "Projekte",
        "nav_charter": "Charta",
        "nav_sparql": "SPARQL",
        "nav_downloads": "Downloads",
        "nav_about": "Über",
        "language_label": "Sprache",
        "licence": "Daten veröffentlicht unter der Lizenz Creative Commons Namensnennung 4.0 (CC BY 4.0).",
        "build": "Version {build}",
        "title": "SPARQL-Abfrage",
        "intro": "Befragen Sie das Register in SPARQL 1.1. Beginnen Sie mit einem Beispiel oder schreiben Sie "
        "Ihre eigene Abfrage: Die Ergebnisse zeigen Bezeichnungen und verlinken jede Ressource.",
        "query_label": "Abfrage",
        "query_help": "SELECT, ASK, CONSTRUCT oder DESCRIBE; der Endpunkt ist schreibgeschützt.",
        "shortcut": "Strg+Eingabe führt die Abfrage aus.",
        "timeout_label": "Zeitlimit (Sekunden)",
        "timeout_help": "Höchstens {max} Sekunden.",
        "format_label": "Format der Antwort",
        "format_html": "Tabelle auf dieser Seite",
        "formats_solutions": "Für SELECT und ASK",
        "formats_graphs": "Für CONSTRUCT und DESCRIBE",
        "run": "Abfrage ausführen",
        "examples_heading": "Beispielabfragen",
        "examples_help": "Jeder Link führt seine Abfrage aus und zeigt sie im Formular.",
        "prefixes_heading": "Präfixe",
        "prefixes_help": "Die Präfixe der Daten; eine Abfrage deklariert die, die sie braucht.",
        "results_heading": "Ergebnisse",
        "rows": "{count} Zeilen",
        "triples": "{count} Tripel",
        "seconds": "in {seconds} s",
        "truncated": "Die ersten {shown} werden angezeigt; laden Sie die Ergebnisse herunter, um alle {count} zu "
        "erhalten.",
        "no_rows": "Die Abfrage findet nichts.",
        "ask_label": "Antwort",
        "yes": "Ja",
        "no": "Nein",
        "subject": "Subjekt",
        "predicate": "Prädikat",
        "object": "Objekt",
        "downloads_heading": "Diese Ergebnisse herunterladen",
        "permalink_heading": "Permalink",
        "permalink_help": "Diese Adresse führt die Abfrage erneut aus: Speichern oder teilen Sie sie.",
        "error_heading": "Die Abfrage konnte nicht ausgeführt werden",
    },
}
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "nl": "Nederlands", "de": "Deutsch"}
_PREFIX_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*(?<!\.)$")
_LOCAL_NAME = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_SAFE_IRI = re.compile(r'^[^<>"{}|^`\\\x00-\x20]+$')
_LINKABLE = ("http://", "https://", "mailto:")


def strings(lang: str) -> dict[str, str]:
    return {**STRINGS["en"], **STRINGS.get(lang, {})}


def choose_language(request: Request) -> str:
    """`?lang=` if it names a language we have, else the best of Accept-Language, else English."""
    asked = request.query_params.get("lang", "").lower()
    if asked in LANGUAGES:
        return asked
    best, best_q = "en", 0.0
    for position, item in enumerate(request.headers.get("accept-language", "").split(",")):
        tag, _, params = item.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if primary in LANGUAGES and q > best_q and q > 0:
            best, best_q = primary, q - position * 1e-6  # earlier wins among equals
    return best


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
        t = strings(lang)
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
        body = self.env.get_template("sparql.html").render(variables)
        return HTMLResponse(body, status_code=400 if error else 200, headers=html_headers())

    def site(self, lang: str, current: str, params: Iterable[tuple[str, str]] = ()) -> dict[str, Any]:
        """What base.html needs: language, strings, navigation, language links, the stylesheet."""
        t = strings(lang)
        urls = self.context.urls
        kept = [(k, v) for k, v in params if k != "lang"]
        here = urls.page(current)
        return {
            "lang": lang,
            "t": t,
            "nav": [{"label": t[key], "href": urls.page(path), "current": path == current} for key, path in NAV],
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
            "build": self.context.store.build_id,
        }

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


def html_headers() -> dict[str, str]:
    """Headers of every HTML page: the security policy, and Vary since /sparql negotiates type and language."""
    return {**SECURITY_HEADERS, "Vary": "Accept, Accept-Language"}


def templates_environment() -> jinja2.Environment:
    """The site's Jinja environment: autoescaping always on, so data can never become markup."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def make_renderer(context: AppContext, environment: jinja2.Environment | None = None) -> HtmlRenderer:
    """The `render_html` hook of `sparql_endpoint` for this app."""
    return QueryPage(context, environment).render
