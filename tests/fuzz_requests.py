"""Hostile HTTP requests for tests/test_fuzz.py, drawn from a seeded generator so a failure can be replayed.

`FAMILIES` (at the end) is the whole menu: each family is a weight and a function that makes one request
from the random generator and the app's routes. They share the ways of encoding a parameter and of spoiling
headers and paths (here) and the hostile values themselves (tests/fuzz_values.py).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import quote

from fuzz_values import (
    ACCEPTS,
    BAD_GRAPH_IRIS,
    CONTENT_TYPES,
    CONTROL,
    COOKIES,
    DATES,
    ETAGS,
    FORMATS,
    GOOD_GRAPH_IRIS,
    LANGUAGES,
    QUERIES,
    RANGES,
    RAW,
    SEGMENTS,
    TARGETS,
    TIMEOUTS,
    query_text,
)

Headers = tuple[tuple[str, str], ...]
Routes = tuple[str, ...]  # a path for each route of the app (route_paths)


@dataclass(frozen=True)
class FuzzRequest:
    family: str
    method: str
    target: str  # the request line's target, exactly as sent (latin-1, may hold what a client should not send)
    headers: Headers = ()
    body: bytes = b""

    def describe(self) -> str:
        shown = self.target if len(self.target) < 300 else self.target[:300] + "..."
        return f"[{self.family}] {self.method} {shown!r} headers={self.headers!r} body={self.body[:200]!r}"


# ---------------------------------------------------------------- what the server offers

# The routes come from the app itself (tests/test_fuzz.py lists its path templates): a route added later is
# fuzzed too. A template with slots needs real values, so that a request reaches what the route serves, and
# a route may want a query string: test_fuzz checks that every template with slots has examples here, and
# that each example is a path of its route.
EXAMPLES: dict[str, tuple[str, ...]] = {
    "/static/{name}": ("/static/site.css", "/static/sparql.js"),
    "/dumps/{name:path}": ("/dumps/all.ttl", "/dumps/projects.csv", "/dumps/all.nt.gz", "/dumps/"),
    "/id/{path:path}": ("/id/project/pstw-1806", "/id/organisation/stad-kortrijk"),
    "/doc/{path:path}": ("/doc/project/pstw-1806", "/doc/project/pstw-1806.ttl"),
    "/doc": ("/doc", "/doc?iri=https%3A%2F%2Fw3id.org%2Fdpv%23ActivityCompleted"),
    "/doc.{extension}": ("/doc.ttl?iri=https%3A%2F%2Fw3id.org%2Fbe-ai-register%2Fid%2Fproject%2Fpstw-1806",),
    "/dataset/{name}": ("/dataset/all", "/dataset/projects"),
    "/ns.{extension}": ("/ns.ttl", "/ns.html"),
    "/shapes.{extension}": ("/shapes.jsonld",),
    "/catalog.{extension}": ("/catalog.rdf",),
}
NEAR_MISSES = ("/query", "/search")  # what a client may guess: no route of ours
SMALL_FILES = ("/dumps/projects.csv", "/dumps/charter.ttl", "/static/site.css", "/.well-known/void")
SPARQL = "/sparql"


# ---------------------------------------------------------------- encodings, headers, paths


def encoded(rng: random.Random, value: str) -> str:
    """One way a client may encode a query-string or form value: well, loosely, or wrongly."""
    way = rng.randrange(10)
    if way < 4:
        return quote(value, safe="")
    if way < 6:
        return quote(value, safe="").replace("%20", "+")
    if way == 6:  # loosely: what browsers leave alone, the rest escaped
        return quote(value, safe="{}?*:/,'()!@$;=")
    if way == 7:  # a stray or broken escape somewhere
        at = rng.randint(0, len(value))
        return (
            quote(value[:at], safe="")
            + rng.choice(("%", "%zz", "%4", "%%", "%C0%AF", "%FF", "%ED%A0%80"))
            + quote(value[at:], safe="")
        )
    if way == 8:  # escaped twice
        return quote(quote(value, safe=""), safe="")
    return quote(value.encode("latin-1", "replace"), safe="")  # the wrong character set


def query_string(rng: random.Random, params: list[tuple[str, str]]) -> str:
    separator = "&" if rng.random() < 0.9 else rng.choice((";", "&&", "&amp;"))
    return separator.join(f"{name}={encoded(rng, value)}" for name, value in params)


def extra_params(rng: random.Random) -> list[tuple[str, str]]:
    params: list[tuple[str, str]] = []
    if rng.random() < 0.2:
        params.append(("default-graph-uri", rng.choice(GOOD_GRAPH_IRIS + BAD_GRAPH_IRIS)))
    if rng.random() < 0.15:
        params.append(("named-graph-uri", rng.choice(GOOD_GRAPH_IRIS + BAD_GRAPH_IRIS)))
    if rng.random() < 0.15:
        params.append(("timeout", rng.choice(TIMEOUTS)))
    if rng.random() < 0.15:
        params.append(("format", rng.choice(FORMATS)))
    if rng.random() < 0.05:
        params.append(rng.choice((("query", "ASK {}"), ("update", "CLEAR ALL"), ("", ""), ("lang", "xx"))))
    return params


def odd_headers(rng: random.Random) -> list[tuple[str, str]]:
    """One to three of the headers the server reads, each with an odd value."""
    pool: list[Callable[[], tuple[str, str]]] = [
        lambda: ("Accept", rng.choice(ACCEPTS)),
        lambda: ("Accept-Language", rng.choice(LANGUAGES)),
        lambda: ("If-None-Match", rng.choice(ETAGS)),
        lambda: ("If-Modified-Since", rng.choice(DATES)),
        lambda: ("Range", rng.choice(RANGES)),
        lambda: ("Content-Type", rng.choice(CONTENT_TYPES)),
        lambda: ("Cookie", rng.choice(COOKIES)),
        lambda: ("Origin", rng.choice(("null", "http://evil.example", "\u00e9"))),
        lambda: ("Host", rng.choice(("evil.example", "", "127.0.0.1:1", "a" * 300))),
        lambda: ("X-Forwarded-Prefix", rng.choice(("/x", "..", "\u00e9"))),
    ]
    chosen = [rng.choice(pool)() for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.1:
        name, value = chosen[0]
        chosen[0] = (name, value + rng.choice(CONTROL) + value)
    return chosen


def route_paths(templates: Iterable[str]) -> tuple[str, ...]:
    """A path for every route of the app (its templates), in one order whatever the order given."""
    paths: list[str] = []
    for template in sorted(set(templates)):
        # a template with slots but no examples (test_fuzz fails on it) is still sent, its slots filled
        paths.extend(EXAMPLES.get(template) or (re.sub(r"\{[^}]*\}", "x", template),))
    return (*paths, *NEAR_MISSES)


def odd_path(rng: random.Random, route: str) -> str:
    """A route spoilt: an odd segment added, inserted or put in place of its last, odd parameters, raw bytes."""
    roll = rng.random()
    segment = rng.choice(SEGMENTS)
    if roll < 0.4:
        return route.rstrip("/") + "/" + segment
    if roll < 0.5:
        return route + segment
    if roll < 0.6:  # the last segment replaced: a file name that is not one
        return route.rsplit("/", 1)[0] + "/" + segment
    if roll < 0.75:
        return "/" + "/".join(rng.choice(SEGMENTS) for _ in range(rng.randint(1, 6)))
    if roll < 0.85:
        at = rng.randint(1, len(route))
        return route[:at] + segment + route[at:]
    if roll < 0.95:
        names = rng.choices(("q", "page", "lang", "v", "format", "x"), k=3)
        return route + "?" + "&".join(f"{name}={segment}" for name in names)
    if roll < 0.98:
        return route + rng.choice(RAW)
    return rng.choice(TARGETS)


# ---------------------------------------------------------------- the families


def sparql_get(rng: random.Random, routes: Routes) -> FuzzRequest:
    params = [("query", query_text(rng)), *extra_params(rng)]
    rng.shuffle(params)
    headers = [("Accept", rng.choice(ACCEPTS))] if rng.random() < 0.5 else []
    return FuzzRequest("sparql GET", "GET", f"{SPARQL}?{query_string(rng, params)}", tuple(headers))


def sparql_form(rng: random.Random, routes: Routes) -> FuzzRequest:
    params = [("query", query_text(rng)), *extra_params(rng)]
    in_url = [p for p in params if p[0] != "query" and rng.random() < 0.3]
    in_body = [p for p in params if p not in in_url]
    target = SPARQL + (f"?{query_string(rng, in_url)}" if in_url else "")
    headers = [("Content-Type", "application/x-www-form-urlencoded")]
    if rng.random() < 0.5:
        headers.append(("Accept", rng.choice(ACCEPTS)))
    return FuzzRequest("sparql POST form", "POST", target, tuple(headers), query_string(rng, in_body).encode())


def sparql_direct(rng: random.Random, routes: Routes) -> FuzzRequest:
    params = extra_params(rng)
    target = SPARQL + (f"?{query_string(rng, params)}" if params else "")
    body = query_text(rng).encode("utf-8")
    if rng.random() < 0.1:
        body = body[: rng.randint(0, len(body))] + rng.choice((b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\x00"))
    headers = [("Content-Type", rng.choice(("application/sparql-query", "application/sparql-query; charset=utf-8")))]
    if rng.random() < 0.5:
        headers.append(("Accept", rng.choice(ACCEPTS)))
    return FuzzRequest("sparql POST direct", "POST", target, tuple(headers), body)


def sparql_odd_body(rng: random.Random, routes: Routes) -> FuzzRequest:
    """POSTs whose body or framing is wrong: odd media types, broken UTF-8, lengths that lie."""
    body = rng.choice((b"", b"query=ASK%20%7B%7D", b"ASK {}", b"\xff\xfe\x00A", b"query=%FF", b"update=CLEAR%20ALL",
                       b"x" * rng.choice((10, 300_000)), b"query=" + b"%41" * 90_000))  # fmt: skip
    headers = [("Content-Type", rng.choice(CONTENT_TYPES)), ("Connection", "close")]
    if rng.random() < 0.15:  # chunked framing, well or badly formed
        headers.append(("Transfer-Encoding", "chunked"))
        body = rng.choice(
            (b"6\r\nASK {}\r\n0\r\n\r\n", b"zz\r\nASK {}\r\n0\r\n\r\n", b"ffffffffffffffffff\r\n", b"0\r\n\r\n")
        )
    elif rng.random() < 0.1:
        headers.append(("Expect", rng.choice(("100-continue", "teapot"))))
    elif rng.random() < 0.3:  # a length that lies short, or is no number: the rest must not be read as a request
        headers.append(("Content-Length", rng.choice(("abc", "-1", "1e3", " 0", str(rng.randint(0, len(body) // 2))))))
    return FuzzRequest("sparql POST odd body", "POST", SPARQL, tuple(headers), body)


def graph_iris(rng: random.Random, routes: Routes) -> FuzzRequest:
    """A good query with malformed dataset IRIs, in each of the three protocol forms."""
    params = [("query", rng.choice(QUERIES[:4]))]
    for _ in range(rng.randint(1, 3)):
        params.append((rng.choice(("default-graph-uri", "named-graph-uri")), rng.choice(BAD_GRAPH_IRIS)))
    form = rng.randrange(3)
    if form == 0:
        return FuzzRequest("graph IRIs", "GET", f"{SPARQL}?{query_string(rng, params)}")
    if form == 1:
        body = query_string(rng, params).encode()
        return FuzzRequest("graph IRIs", "POST", SPARQL, (("Content-Type", "application/x-www-form-urlencoded"),), body)
    target = f"{SPARQL}?{query_string(rng, params[1:])}"
    return FuzzRequest(
        "graph IRIs", "POST", target, (("Content-Type", "application/sparql-query"),), params[0][1].encode()
    )


def timeouts(rng: random.Random, routes: Routes) -> FuzzRequest:
    params = [("query", rng.choice(QUERIES[:3])), ("timeout", rng.choice(TIMEOUTS))]
    if rng.random() < 0.1:
        params.append(("timeout", rng.choice(TIMEOUTS)))
    return FuzzRequest("timeouts", "GET", f"{SPARQL}?{query_string(rng, params)}")


def paths(rng: random.Random, routes: Routes) -> FuzzRequest:
    headers = [("Accept", rng.choice(ACCEPTS))] if rng.random() < 0.4 else []
    return FuzzRequest("paths", "GET", odd_path(rng, rng.choice(routes)), tuple(headers))


def page_params(rng: random.Random, routes: Routes) -> FuzzRequest:
    """The site's own parameters: search words, facets, pages, languages, versions."""
    names = ("q", "page", "lang", "more", "phase", "org", "level", "domain", "year", "v", "format", "risk")
    values = ("", "1e309", "-1", "0", "99999999999999999999", "1" * 5000, "\x00", "\u00e9t\u00e9", "a b",
              "<script>", "phase", "pilot", "%", "NaN", "project", "\U0001f916" * 50)  # fmt: skip
    params = [(rng.choice(names), rng.choice(values)) for _ in range(rng.randint(1, 6))]
    route = rng.choice(("/projects", "/projects.json", "/projects.csv", "/", "/downloads", "/about", "/search"))
    headers = [("Accept", rng.choice(ACCEPTS))] if rng.random() < 0.3 else []
    return FuzzRequest("page parameters", "GET", f"{route}?{query_string(rng, params)}", tuple(headers))


def headers(rng: random.Random, routes: Routes) -> FuzzRequest:
    route = rng.choice(routes if rng.random() < 0.5 else SMALL_FILES)
    if route.startswith("/dumps/all"):  # the large dumps: ranges and validators only, not every byte every time
        route = "/dumps/charter.ttl"
    return FuzzRequest("headers", "GET", route, tuple(odd_headers(rng)))


def methods(rng: random.Random, routes: Routes) -> FuzzRequest:
    method = rng.choice(("HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "FOO", "get", "POST"))
    route = rng.choice(routes)
    extra: list[tuple[str, str]] = []
    if method == "OPTIONS" and rng.random() < 0.6:  # a CORS preflight, sometimes an odd one
        extra = [("Origin", "http://example.org"), ("Access-Control-Request-Method", rng.choice(("GET", "PUT", "")))]
        extra.append(("Access-Control-Request-Headers", rng.choice(("content-type", "x-\u00e9", "a" * 2000, ""))))
    body = b"" if method in ("HEAD", "OPTIONS", "TRACE", "get") else rng.choice((b"", b"ASK {}", b"\x00" * 10))
    if body:
        extra.append(("Content-Type", rng.choice(CONTENT_TYPES)))
    return FuzzRequest("methods", method, route, tuple(extra), body)


FAMILIES: tuple[tuple[int, Callable[[random.Random, Routes], FuzzRequest]], ...] = (
    (14, sparql_get),
    (9, sparql_form),
    (9, sparql_direct),
    (4, sparql_odd_body),
    (8, graph_iris),
    (5, timeouts),
    (20, paths),
    (7, page_params),
    (14, headers),
    (10, methods),
)


def requests(seed: int, count: int, routes: Routes) -> Iterator[FuzzRequest]:
    """`count` requests, always the same ones for the same seed and routes."""
    rng = random.Random(seed)
    makers = [maker for _, maker in FAMILIES]
    weights = [weight for weight, _ in FAMILIES]
    for _ in range(count):
        yield rng.choices(makers, weights)[0](rng, routes)
