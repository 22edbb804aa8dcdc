"""The hostile material of tests/fuzz_requests.py: query texts and their mutations, odd parameter and
header values, odd path segments. Nothing here holds a word the fuzz test looks for in answers (an
exception name, a path of the machine), so an answer that echoes a request never looks like a leak.
"""

from __future__ import annotations

import random

# ---------------------------------------------------------------- queries

BASE = "https://w3id.org/be-ai-register/"
QUERIES = (  # cheap on purpose: the fuzz hunts wrong answers, not slow ones
    "SELECT * WHERE { ?s ?p ?o } LIMIT 3",
    "ASK { ?s ?p ?o }",
    "ASK {}",
    f"SELECT ?p ?o WHERE {{ <{BASE}id/project/pstw-1806> ?p ?o }}",
    f"CONSTRUCT {{ <{BASE}id/project/pstw-1806> ?p ?o }} WHERE {{ <{BASE}id/project/pstw-1806> ?p ?o }}",
    f"DESCRIBE <{BASE}id/project/pstw-1806>",
    "PREFIX dct: <http://purl.org/dc/terms/> SELECT ?t WHERE { ?s dct:title ?t } LIMIT 5",
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a ?t } }",
    "SELECT ?x WHERE { VALUES ?x { 1 2 3 } } ORDER BY DESC(?x)",
    "SELECT (STRLEN('abc') AS ?n) (1/0 AS ?z) (REGEX('a', '(') AS ?r) (IRI('a b') AS ?i) {}",
    "SELECT * WHERE { ?s ?p ?o FILTER(LANG(?o) = 'fr') } LIMIT 2 OFFSET 1",
    "SELECT DISTINCT ?t WHERE { ?s a ?t } LIMIT 10",
    "CONSTRUCT WHERE { ?s a ?t } LIMIT 4",
    "SELECT * FROM <urn:x> FROM NAMED <urn:y> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT (<http://example.org/no-such-function>(1) AS ?x) {}",
    "BASE <http://example.org/> SELECT (<relative> AS ?x) {}",
    "SELECT ?x { BIND(<relative/iri> AS ?x) }",
    "SELECT * { ?s <http://example.org/p>+ ?o } LIMIT 1",
    "SELECT * { <<( <urn:a> <urn:b> <urn:c> )>> ?p ?o }",
    "SELECT (xsd:double('1e309') AS ?x) {}",
    "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> SELECT (xsd:dateTime('99999-01-01T00:00:00') AS ?x) {}",
    "SELECT (SUBSTR('abc', 99999999999999999999) AS ?x) (LANGMATCHES('en', '') AS ?y) {}",
)
HOSTILE_QUERIES = (  # refused before or by the engine, each in its own way
    "",
    " ",
    "SELECT",
    "SELECT * WHERE { ?s ?p ?o",
    "SELECT * WHERE ?s ?p ?o }",
    "}}}}{{{{",
    "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * { SERVICE SILENT <http://localhost/> { ?s ?p ?o } }",
    "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }",
    "SELECT * { #\rSERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * { SERVICE\t<http://127.0.0.1:9/> {} }",
    "SELECT * { service <file:///etc/passwd> {} }",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "CLEAR ALL",
    "PREFIX : <> SELECT * { :a :b :c }",
    "PREFIX a: <a b> SELECT * { a:x ?p ?o }",
    "PREFIX 1a: <urn:x> SELECT * {}",
    "PREFIX : <urn:x> PREFIX : <urn:y> SELECT * { :a ?p ?o }",
    "SELECT * { undeclared:x ?p ?o }",
    "BASE <not an iri> SELECT * {}",
    "SELECT * { <a\x00b> ?p ?o }",
    "SELECT '\x00' {}",
    "SELECT ?\u00e9t\u00e9 { BIND('\u202e\ufeff\U0001f916' AS ?\u00e9t\u00e9) }",
    "SELECT * { ?s ?p '''unterminated }",
    'SELECT * { ?s ?p "\\u0000\\uD800" }',
    'SELECT ("\\U0010FFFF" AS ?x) {}',
    "ASK { FILTER(1e309 > 0) }",
    "SELECT * WHERE { ?s ?p ?o } LIMIT 99999999999999999999999",
    "SELECT * WHERE { ?s ?p ?o } LIMIT -1",
    "SELECT * WHERE { ?s ?p ?o } OFFSET 18446744073709551616 LIMIT 1",
    "SELECT ?x ?x { VALUES ?x { 1 } }",
    "SELECT (1 AS ?x) (2 AS ?x) {}",
    "SELECT * { GRAPH <urn:none> { ?s ?p ?o } }",
    "DESCRIBE *",
    "CONSTRUCT { ?s ?p } WHERE { ?s ?p ?o }",
    "ASK { ?s ?p ?o } GROUP BY ?s",
    "SELECT ?s { ?s ?p ?o } GROUP BY ?o",
    "SELECT * {} VALUES ?x { 1 2 } VALUES ?y { 3 }",
    "SELECT * { ?s ?p ?o } ORDER BY",
    "JSON { } WHERE { }",
    "select * where { ?s ?p ?o } limit 1",
    "# only a comment",
    "\ufeffSELECT * {}",
)


def nested(rng: random.Random) -> str:
    """Groups, expressions or paths nested deeply: a recursive parser's stack is the target."""
    depth = rng.choice((10, 100, 500, 1000, 3000, 8000, 20000))
    opening, closing, middle = rng.choice((("{", "}", ""), ("(", ")", "1"), ("[", "]", "")))
    if opening == "(":
        return f"SELECT ({opening * depth}{middle}{closing * depth} AS ?x) {{}}"
    if opening == "[" and rng.random() < 0.5:  # no space: the bracket right after a prefixed name
        return f"PREFIX ex: <urn:> SELECT * {{ ?s ex:p{'[ex:q' * depth} 1{']' * depth} }}"
    if opening == "[":
        return f"SELECT * {{ ?s <urn:p> {'[ <urn:q> ' * depth}1{' ]' * depth} }}"
    balanced = rng.random() < 0.7
    return f"SELECT * {opening * depth}{closing * (depth if balanced else depth // 2)}"


# Chains of one operator, not nested in the text but parsed and evaluated recursively by the engine; each
# cheap to evaluate, so that what is tested is the parser's stack, not the time limit.
CHAIN_LINKS = ("1", "?o = 1", "{ ?s <urn:none> ?o }", "BIND(1 AS ?v{i})", "MINUS { ?s <urn:none> ?o }")
CHAIN_FORMS = (
    "SELECT ({} AS ?x) {{}}",
    "SELECT * {{ VALUES ?o {{ 1 }} FILTER({}) }}",
    "SELECT * {{ {} }}",
    "SELECT * {{ {} }}",
    "SELECT * {{ VALUES ?o {{ 1 }} {} }}",
)
CHAIN_JOINS = ("+", "||", " UNION ", " ", " ")


def chained(rng: random.Random) -> str:
    """A long chain of one operator (`1+1+...`, UNION after UNION), long enough to have overflowed the
    default stack of a worker thread."""
    shape = rng.randrange(len(CHAIN_LINKS))
    # `1+1+...` costs the engine time that grows faster than its length: past a few thousand characters it
    # could meet a request's 1 s timeout on a loaded machine (a 503), so its long form is left to
    # test_sparql's regression test.
    length = rng.choice((100, 1000, 5000) if shape == 0 else (100, 1000, 5000, 14_000))
    links, size, i = [], 0, 0
    while size < length:
        link = CHAIN_LINKS[shape].replace("{i}", str(i))
        links.append(link)
        size += len(link) + len(CHAIN_JOINS[shape])
        i += 1
    return CHAIN_FORMS[shape].format(CHAIN_JOINS[shape].join(links))


def huge(rng: random.Random) -> str:
    """A long text of some shape: many values, a long string, many variables or plain padding."""
    size = rng.choice((1000, 10_000, 60_000, 70_000, 300_000))
    shape = rng.randrange(4)
    if shape == 0:
        return "SELECT ?x { VALUES ?x { " + " ".join(str(i) for i in range(size // 6)) + " } } LIMIT 1"
    if shape == 1:
        return "SELECT ('" + "a" * size + "' AS ?x) {}"
    if shape == 2:
        return "SELECT " + " ".join(f"?v{i}" for i in range(size // 6)) + " {} LIMIT 1"
    return " " * size + "ASK {}"


HOSTILE_CHARACTERS = (
    "{", "}", "(", ")", "<", ">", '"', "'", "'''", "\\", "#", "\x00", "\r", "\n", "\t", "?", "$", ":", ";", ",",
    ".", "*", "^^", "@", "_:", "\u00e9", "\u202e", "\ufeff", "\U0001f916", "\u0000\u0000", "%", "+", "&", "=",
)  # fmt: skip


def mutated(rng: random.Random, text: str) -> str:
    """The text with a few local changes: a cut, a deletion, a repeat or an inserted odd character."""
    for _ in range(rng.randint(1, 3)):
        at = rng.randint(0, len(text))
        change = rng.randrange(4)
        if change == 0:
            text = text[:at]
        elif change == 1:
            text = text[:at] + text[at + rng.randint(1, 5) :]
        elif change == 2:
            text = text[:at] + text[at : at + rng.randint(1, 8)] * rng.randint(2, 4) + text[at:]
        else:
            text = text[:at] + rng.choice(HOSTILE_CHARACTERS) + text[at:]
    return text


def query_text(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.30:
        return rng.choice(QUERIES)
    if roll < 0.55:
        return rng.choice(HOSTILE_QUERIES)
    if roll < 0.85:
        return mutated(rng, rng.choice(QUERIES + HOSTILE_QUERIES))
    if roll < 0.91:
        return nested(rng)
    if roll < 0.95:
        return chained(rng)
    return huge(rng)


# ---------------------------------------------------------------- parameters

BAD_GRAPH_IRIS = (
    "a b", "nosch", "", " ", "http://a b/", "http://example.org/\\", "<http://example.org/>", 'http://x/"',
    "http://[::1", "http://example.org/%zz", "http://example.org/\x00", "urn:x\ny", "\u00e9:x", "http://",
    "http://example.org/{}", "http://example.org/|", "http://example.org/^", "http://example.org/`", "//x/y",
    "#frag", "?q", "file:///etc/passwd", "http://example.org/" + "x" * 5000, "http://\u00e9x.org/\u202e",
)  # fmt: skip
GOOD_GRAPH_IRIS = (f"{BASE}graph/charter", f"{BASE}graph/projects", "urn:x", "http://example.org/g")
TIMEOUTS = (
    "nan", "NaN", "-nan", "-1", "0", "-0", "0.0", "1e309", "-1e309", "inf", "-inf", "Infinity", "1e-309", "0.001",
    "1", "2", "30", "99999999999", "", " ", "abc", "1,5", "1_0", "0x10", "\u0661", "1" * 5000, "1e", "+", "5s",
)  # fmt: skip
FORMATS = ("json", "xml", "csv", "tsv", "ttl", "html", "text/turtle", "", "nope", "application/json", "*/*", "\x00")


# ---------------------------------------------------------------- headers

ACCEPTS = (
    "", "*/*", "*", "application/sparql-results+json", "text/html", "text/turtle", "application/json",
    "text/html;q=0", "*/*;q=0", "text/*;q=nan", "text/html;q=1e309", "application/*;q=-1", "a/b/c", ";;;", ",,,",
    "text/html, " * 300, "x/y;" + "p=1;" * 200, "text/csv;charset=\u00e9", "image/png", "*/html", "text/turtle;q=abc",
    "application/sparql-results+json;q=0.5, text/html;level=1;q=0.9", "\t", "application/ld+json;profile=x",
)  # fmt: skip
LANGUAGES = (
    "", "*", "xx", "en;q=nan", "fr;q=1e309", "nl;q=-1", "de-DE-x-private", "en-", "-", "\u00e9", ";q=1", "a" * 5000,
    "fr,nl;q=0.5,en;q=0.1", "zh-Hant-TW", ", ,", "en;q=0, *;q=0",
)  # fmt: skip
ETAGS = ("*", '"x"', 'W/"x"', '"', "W/", "garbage", '"' + "a" * 5000 + '"', ", ".join(['"t"'] * 500), 'W/"*"', "")
DATES = (
    "garbage", "Thu, 01 Jan 1970 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "-1", "0", "9" * 30,
    "Fri, 31 Dec 999999999999999999999 23:59:59 GMT", "Fri, 31 Dec 99999 23:59:59 GMT", "Mon, 32 Foo 2020 25:61:61",
    "Thu, 01 Jan 1970 00:00:00 +9999", "2024-01-01T00:00:00Z", "", "Sun, 06 Nov 1994 08:49:37 GMT",
)  # fmt: skip
RANGES = (
    "bytes=0-0", "bytes=-1", "bytes=5-1", "bytes=0-99999999999999999999", "bytes=a-b", "lines=1-2", "bytes=",
    "bytes=-0", "bytes=0-", "bytes=99999999-", ",".join(f"bytes={i}-{i}" for i in range(50)), "bytes=0-1,0-1",
    "bytes=1-2,3-4", "bytes=--1", "bytes=0-1, 5-", "bytes=" + "9" * 400 + "-",
)  # fmt: skip
CONTENT_TYPES = (
    "", "application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update",
    "application/x-www-form-urlencoded; charset=latin-1", "application/sparql-query;charset=utf-16", "text/plain",
    "multipart/form-data; boundary=x", "application/json", ";", "APPLICATION/SPARQL-QUERY", "\u00e9/\u00e9",
)  # fmt: skip
COOKIES = ("lang=xx", "lang=", "lang=\u00e9", "lang=fr; lang=nl", "=;=;", "a" * 4000, 'lang="fr"')


CONTROL = ("\x00", "\x01", "\x7f", "\t", "\u00ff", "\u2028")  # inside a header value


# ---------------------------------------------------------------- paths

SEGMENTS = (
    "%00", "%2F", "%2f", "..", "%2e%2e", "%2e%2e%2f", ".", "//", "%5C", "\\", "%0D%0A", "%FF", "%C0%80", "%C0%AF",
    "%E2%80%AE", "%F0%9F%A4%96", "%", "%%", "%zz", ";x=1", "~", ".ttl", ".xyz", ".html.ttl", "..%00", "store",
    "manifest.json", "%2e", "a" * 300, "b" * 5000, "%ED%A0%80", "%EF%BB%BF", "%20", "+", "'", '"', "<", ">",
    "c" * 300 + ".css", "d" * 300 + ".ttl", "%00.css", "..%2Fmanifest.json", "%2e%2e%2fstore%2f", "site.css%00",
)  # fmt: skip
RAW = ("\u00e9", "\xff", " ", "\x7f", "\x00", "#fragment")  # sent raw on the request line, as a client should not
TARGETS = ("*", "http://127.0.0.1/", "http://evil.example/sparql", "//", "?", "", "/?&&&", "/." * 500)
