"""Linked Data for people and machines: /id -> 303 -> /doc, conneg, validators, Link, CORS, pages, escaping.

Everything runs against the real server (uvicorn) over a real build: `served` for the shipped content,
and a second build of a copy of the content root with one hostile record, served under a path prefix.
"""

from __future__ import annotations

import json
import re
import shutil
import warnings
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from html_page import path_of
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD
from server import free_port, running_server

BASE = "https://w3id.org/be-ai-register/"
PROJECT = "project/pstw-1806"
FORMATS = {  # Accept -> (extension, Content-Type, rdflib format)
    "text/turtle": ("ttl", "text/turtle; charset=utf-8", "turtle"),
    "application/ld+json": ("jsonld", "application/ld+json", "json-ld"),
    "application/rdf+xml": ("rdf", "application/rdf+xml", "xml"),
    "application/n-triples": ("nt", "application/n-triples", "nt"),
}
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
HOSTILE = "<script>alert(1)</script> \"double\" 'single' & </script><b>bold</b>"


def get(url: str, **headers: str) -> httpx.Response:
    return httpx.get(url, headers=headers, timeout=30)


def parsed(response: httpx.Response, rdflib_format: str) -> Graph:
    with warnings.catch_warnings():  # rdflib's own JSON-LD parser uses its deprecated ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        return Graph().parse(data=response.content, format=rdflib_format, publicID=str(response.url))


# ---------------------------------------------------------------- conneg


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/turtle; charset=utf-8"),  # machines that send nothing get Turtle
        ("*/*", "text/turtle; charset=utf-8"),
        (BROWSER, "text/html; charset=utf-8"),  # browsers prefer HTML
        ("text/html", "text/html; charset=utf-8"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml;q=0.5, text/turtle;q=0.9", "text/turtle; charset=utf-8"),
        ("application/rdf+xml, text/html;q=0.5", "application/rdf+xml"),
        ("application/*", "application/ld+json"),
        ("text/*", "text/turtle; charset=utf-8"),
        ("text/turtle;q=0, */*;q=0.1", "application/ld+json"),
        ("application/n-triples", "application/n-triples"),
    ],
)
def test_doc_negotiates(served: str, accept: str | None, expected: str) -> None:
    headers = {} if accept is None else {"Accept": accept}
    response = httpx.get(f"{served}doc/{PROJECT}", headers=headers, timeout=30)
    assert response.status_code == 200
    assert response.headers["content-type"] == expected
    assert "Accept" in response.headers["vary"]


def test_not_acceptable_lists_the_offers(served: str) -> None:
    response = get(f"{served}doc/{PROJECT}", Accept="image/png")
    assert response.status_code == 406
    assert set(response.json()["offered"]) >= {"text/turtle", "application/ld+json", "text/html"}
    assert get(f"{served}doc/{PROJECT}?format=docx").status_code == 406


@pytest.mark.parametrize("accept", list(FORMATS))
def test_extensions_and_format_parameter_override_accept(served: str, accept: str) -> None:
    extension, content_type, rdflib_format = FORMATS[accept]
    for url in (f"{served}doc/{PROJECT}.{extension}", f"{served}doc/{PROJECT}?format={extension}"):
        response = get(url, Accept="text/html")
        assert response.status_code == 200, url
        assert response.headers["content-type"] == content_type
        assert (URIRef(f"{BASE}id/{PROJECT}"), RDF.type, None) in parsed(response, rdflib_format)
    assert get(f"{served}doc/{PROJECT}.html").headers["content-type"].startswith("text/html")


# ---------------------------------------------------------------- 303


@pytest.mark.parametrize(
    "path",
    [PROJECT, "organisation/public-sector-tech-watch", "phase/production", "phase", "cofog/01.3", "charter",
     "charter/p1"],
)  # fmt: skip
def test_every_kind_of_iri_resolves_by_303_in_each_format(served: str, path: str) -> None:
    iri = URIRef(f"{BASE}id/{path}")
    for accept, (extension, content_type, rdflib_format) in FORMATS.items():
        response = get(f"{served}id/{path}", Accept=accept)
        assert response.status_code == 303
        assert response.headers["location"] == f"{path_of(served)}doc/{path}.{extension}"
        followed = httpx.get(f"{served}id/{path}", headers={"Accept": accept}, follow_redirects=True, timeout=30)
        assert followed.status_code == 200
        assert followed.headers["content-type"] == content_type
        assert (iri, None, None) in parsed(followed, rdflib_format)
    page = httpx.get(f"{served}id/{path}", headers={"Accept": BROWSER}, follow_redirects=True, timeout=30)
    assert page.history[0].headers["location"] == f"{path_of(served)}doc/{path}"
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert f'value="{iri}"' in page.text  # the canonical IRI, to copy


def test_unknown_things_are_404_for_people_and_machines(served: str) -> None:
    page = get(f"{served}doc/project/no-such-project", Accept=BROWSER)
    assert page.status_code == 404
    assert "/doc/project/no-such-project" in page.text
    site = path_of(served)
    assert f'href="{site}projects?q=no-such-project"' in page.text
    assert f'href="{site}sparql"' in page.text and f'href="{site}projects"' in page.text
    machine = get(f"{served}id/project/no-such-project", Accept="application/json")
    assert machine.status_code == 404
    assert machine.json()["error"] == "not-found"
    assert machine.headers["access-control-allow-origin"] == "*"
    assert get(f"{served}doc/project/no-such-project.ttl").status_code == 404
    assert get(f"{served}doc/project/%3Cx%3E").status_code == 404  # nothing unsafe reaches a query


# ---------------------------------------------------------------- validators, Link, CORS


def test_etag_and_last_modified_give_304(served: str) -> None:
    url = f"{served}doc/{PROJECT}.ttl"
    first = get(url)
    tag, modified = first.headers["etag"], first.headers["last-modified"]
    assert get(url, **{"If-None-Match": tag}).status_code == 304
    assert get(url, **{"If-Modified-Since": modified}).status_code == 304
    assert get(url, **{"If-None-Match": '"other"'}).status_code == 200
    assert get(url, **{"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status_code == 200
    assert get(f"{served}doc/{PROJECT}.nt").headers["etag"] != tag  # one tag per representation
    html_en = get(f"{served}doc/{PROJECT}?lang=en", Accept=BROWSER).headers["etag"]
    html_fr = get(f"{served}doc/{PROJECT}?lang=fr", Accept=BROWSER).headers["etag"]
    assert len({tag, html_en, html_fr}) == 3  # and per language of the page


def test_link_headers_alternates_and_cors(served: str) -> None:
    response = get(f"{served}doc/{PROJECT}.jsonld")
    link = response.headers["link"]
    assert f'<{path_of(served)}doc/{PROJECT}.ttl>; rel="alternate"; type="text/turtle"' in link
    assert f'<{path_of(served)}doc/{PROJECT}>; rel="canonical"' in link
    assert f'<{BASE}id/{PROJECT}>; rel="describes"' in link
    assert response.headers["access-control-allow-origin"] == "*"
    assert "Link" in response.headers["access-control-expose-headers"]
    page = get(f"{served}doc/{PROJECT}", Accept=BROWSER)
    assert f'<link rel="alternate" type="text/turtle" href="{path_of(served)}doc/{PROJECT}.ttl">' in page.text
    assert "content-security-policy" in page.headers


# ---------------------------------------------------------------- documents that are not /doc


def test_catalog_defaults_to_rdf_for_harvesters(served: str) -> None:
    for headers in ({}, {"Accept": "*/*"}):
        response = httpx.get(f"{served}catalog", headers=headers, timeout=30)
        assert response.headers["content-type"] == "text/turtle; charset=utf-8"
        assert response.content.startswith(b"@prefix")
    assert httpx.head(f"{served}catalog", timeout=30).status_code == 200  # ckanext-dcat sends HEAD first
    assert get(f"{served}catalog", Accept=BROWSER).headers["content-type"].startswith("text/html")
    assert get(f"{served}catalog.rdf").content.lstrip().startswith(b"<?xml")
    assert (URIRef(f"{BASE}catalog"), None, None) in parsed(get(f"{served}catalog.nt"), "nt")
    dataset = get(f"{served}dataset/projects.ttl")
    assert (URIRef(f"{BASE}dataset/projects"), DCTERMS.title, None) in parsed(dataset, "turtle")
    assert get(f"{served}dataset/nothing", Accept=BROWSER).status_code == 404


def test_vocabulary_and_shapes(served: str) -> None:
    vocabulary = parsed(get(f"{served}ns.ttl"), "turtle")
    assert (URIRef(f"{BASE}ns#AIProject"), None, None) in vocabulary
    page = get(f"{served}ns?lang=nl", Accept=BROWSER).text
    assert 'id="AIProject"' in page and "Klassen" in page and "AI-project" in page
    shapes = get(f"{served}shapes", Accept="text/turtle")
    assert shapes.status_code == 200
    assert any(str(s).startswith(f"{BASE}shapes#") for s in parsed(shapes, "turtle").subjects())
    assert get(f"{served}shapes", Accept=BROWSER).status_code == 200


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "Permanent identifier"), ("fr", "Identifiant permanent"), ("nl", "Permanente identificator"),
     ("de", "Dauerhafte Kennung")],
)  # fmt: skip
def test_pages_speak_four_languages(served: str, lang: str, expected: str) -> None:
    for path in (f"doc/{PROJECT}", "charter", "doc/phase/production", "doc/organisation/public-sector-tech-watch"):
        page = get(f"{served}{path}", Accept=BROWSER, **{"Accept-Language": lang})
        assert page.status_code == 200
        assert f'<html lang="{lang}">' in page.text
        assert expected in page.text
    missing = get(f"{served}doc/project/none?lang={lang}", Accept=BROWSER)
    assert missing.status_code == 404 and f'<html lang="{lang}">' in missing.text


# ---------------------------------------------------------------- a hostile record, under a path prefix

NS = Namespace(f"{BASE}ns#")
DPV = Namespace("https://w3id.org/dpv#")
EVIL = "be-2026-0001"


@pytest.fixture(scope="module")
def hostile_root(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped root with one record whose texts try to break out of HTML and JSON-LD."""
    root = tmp_path_factory.mktemp("root")
    for name in ("ontology", "shapes", "data", "queries"):
        shutil.copytree(repo_root / name, root / name)
    graph = Graph().parse(repo_root / "data" / "projects" / "pstw-1806.ttl")
    old, new = URIRef(f"{BASE}id/project/pstw-1806"), URIRef(f"{BASE}id/project/{EVIL}")
    record = Graph()
    for prefix, namespace in graph.namespaces():
        record.bind(prefix, namespace)
    for s, p, o in graph:
        if p in (DCTERMS.title, DCTERMS.description, DCTERMS.identifier):
            continue
        record.add((new if s == old else s, p, o))
    record.add((new, DCTERMS.identifier, Literal(EVIL)))
    record.add((new, DCTERMS.title, Literal(HOSTILE, lang="en")))
    record.add((new, DCTERMS.description, Literal(HOSTILE + " & more", lang="en")))
    # Profile 2: a dated charter assessment, partly addressed, from which the build derives the principle.
    principle = URIRef(f"{BASE}id/charter/p1")
    assessment = URIRef(f"{new}#assessment-p1-2026-01-15")
    record.add((new, DPV.hasAssessment, assessment))
    record.add((assessment, RDF.type, DPV.Assessment))
    record.add((assessment, DCTERMS.subject, principle))
    record.add((assessment, DCTERMS.date, Literal("2026-01-15", datatype=XSD.date)))
    record.add((assessment, DPV.hasStatus, URIRef(f"{BASE}id/assessment-status/partly-addressed")))
    record.add((assessment, DCTERMS.description, Literal("A human answers </script> on request.", lang="en")))
    record.serialize(root / "data" / "projects" / f"{EVIL}.ttl", format="turtle")
    return root


@pytest.fixture(scope="module")
def prefixed(hostile_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The hostile build served at http://127.0.0.1:{port}/register/."""
    from airegister.publish.build import run_build
    from airegister.settings import Settings

    dist = tmp_path_factory.mktemp("dist-prefixed")
    port = free_port()
    run_build(Settings(root=hostile_root, public_url=f"http://127.0.0.1:{port}/register/"), dist)
    with running_server(dist, env={"AIREGISTER_ROOT": str(hostile_root)}, port=port, prefix="register/") as url:
        yield url


def test_hostile_texts_are_escaped_in_html_and_json_ld(prefixed: str) -> None:
    page = get(f"{prefixed}doc/project/{EVIL}", Accept=BROWSER).text
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, flags=re.S)
    assert len(blocks) == 1  # the only </script> in the page closes the JSON-LD itself
    assert "<" not in blocks[0] and ">" not in blocks[0] and "&" not in blocks[0]
    data = json.loads(blocks[0])
    assert data["name"] == HOSTILE and data["@type"] == "SoftwareApplication"
    assert data["provider"][0]["name"]
    assert data["url"] == f"{prefixed}doc/project/{EVIL}"


def test_the_charter_lists_projects_addressing_each_principle(prefixed: str) -> None:
    charter = get(f"{prefixed}charter?lang=fr", Accept=BROWSER).text
    assert f'href="{path_of(prefixed)}doc/project/{EVIL}"' in charter
    assert "Partiellement pris en compte" in charter  # the assessment's status, in the reader's language
    principle = get(f"{prefixed}doc/charter/p1", Accept=BROWSER).text
    assert f'href="{path_of(prefixed)}doc/project/{EVIL}"' in principle
    assert "A human answers &lt;/script&gt; on request." in principle


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "action") and value:
                self.links.append(value)


MINE = ("doc/", "doc?", "id/", "ns", "shapes", "charter", "catalog", "dataset/")


def test_crawl_under_a_prefix_finds_no_broken_link(prefixed: str) -> None:
    """Follow every link of the resource pages: none is broken, none leaves the prefix on this host."""
    host = urlsplit(prefixed).netloc
    todo = [f"{prefixed}{p}" for p in (f"doc/project/{EVIL}", "charter", "catalog", "ns", "shapes", "doc/cofog")]
    seen: set[str] = set()
    pages = 0
    with httpx.Client(headers={"Accept": BROWSER}, timeout=30) as client:
        while todo and pages < 400:
            url = todo.pop()
            if url in seen:
                continue
            seen.add(url)
            response = client.get(url)
            assert response.status_code < 400, f"{url} answered {response.status_code}"
            inside = url[len(prefixed) :]
            html = response.headers["content-type"].startswith("text/html")
            if not html or not inside.startswith(MINE) or "lang=" in inside:  # other languages: same links
                continue
            pages += 1
            parser = _Links()
            parser.feed(response.text)
            for link in parser.links:
                absolute = urljoin(url, link).split("#", 1)[0]
                if urlsplit(absolute).netloc != host:
                    continue
                assert absolute.startswith(prefixed), f"{url} links outside the prefix: {link}"
                todo.append(absolute)
    assert pages > 20
