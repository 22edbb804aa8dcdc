"""The site's pages (home, project list and its CSV/JSON, downloads, about) through the real server.

Expected numbers come from SPARQL queries to the same server (the store, not the site index), so the
index is checked against an independent computation. A crafted content root adds one project with
accented titles in French, Dutch and German and a `<script>` in its title, for search and escaping.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from html_page import Page

from airegister.publication import layout
from airegister.web.i18n.strings.site import STRINGS

BASE = "https://w3id.org/be-ai-register/"
ID = BASE + "id/"
PREFIXES = f"""
PREFIX ns: <{BASE}ns#>
PREFIX adms: <http://www.w3.org/ns/adms#>
PREFIX tech: <https://w3id.org/dpv/tech#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
CRAFTED_REF = "be-2026-9999"
CRAFTED = f"""
@prefix adms: <http://www.w3.org/ns/adms#> .
@prefix airo: <https://w3id.org/airo#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix ns: <{BASE}ns#> .
@prefix tech: <https://w3id.org/dpv/tech#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<{ID}project/{CRAFTED_REF}> a ns:AIProject, airo:AISystem ;
    dct:identifier "{CRAFTED_REF}" ;
    dct:title "Détection précoce du décrochage à l'École <script>alert('x')</script>"@fr,
        "Vroegtijdige opsporing van schoolverlaters via coördinatie"@nl,
        "Früherkennung von Schulabbrüchen"@de,
        "Early detection of school drop-out"@en ;
    dct:description "Un modèle signale les élèves à risque."@fr, "A model flags pupils at risk."@en ;
    tech:hasDeployer <https://org.belgif.be/id/CbeRegisteredEntity/0671516647> ;
    adms:status <{ID}phase/pilot> ;
    dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "2024"^^xsd:gYear ] ;
    dct:subject <{ID}cofog/09> ;
    dcat:keyword "Zuverlässigkeit"@de ;
    dct:modified "2026-01-15"^^xsd:date .
"""
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def client(served: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=served, timeout=60) as session:
        yield session


def sparql(client: httpx.Client, query: str) -> list[dict[str, str]]:
    answer = client.get(
        "sparql", params={"query": PREFIXES + query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert answer.status_code == 200, answer.text
    return [{k: v["value"] for k, v in row.items()} for row in answer.json()["results"]["bindings"]]


def grouped(client: httpx.Client, pattern: str) -> dict[str, int]:
    rows = sparql(client, f"SELECT ?v (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a ns:AIProject . {pattern} }} GROUP BY ?v")
    return {row["v"]: int(row["n"]) for row in rows}


def table_counts(html: str, chart: str, facet: str) -> dict[str, int]:
    """{facet value IRI: count} from a chart's data table (rows with a count link to the filtered list)."""
    figure = html.split(f'id="chart-{chart}-heading"', 1)[1].split("</figure>", 1)[0]
    found = {}
    for href, value in re.findall(r'<a href="([^"]+)">[^<]*</a></th><td>([\d.,\u202f]+)</td>', figure):
        key = dict(parse_qsl(urlsplit(href.replace("&amp;", "&")).query))[facet]
        found[key if facet == "year" else ID + key] = int(re.sub(r"\D", "", value))
    return found


# -- home ---------------------------------------------------------------------------------------------


def test_home_counts_match_sparql(client: httpx.Client) -> None:
    html = client.get("", params={"lang": "en"}).text
    projects = int(sparql(client, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a ns:AIProject }")[0]["n"])
    orgs = sparql(client, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?p a ns:AIProject ; tech:hasDeployer ?o }")
    cards = re.findall(r'card-value">([^<]+)</span> <span class="card-label">([^<]+)<', html)
    values = {label: int(re.sub(r"\D", "", value)) for value, label in cards}
    assert values[STRINGS["en"]["count_projects"]] == projects
    assert values[STRINGS["en"]["count_organisations"]] == int(orgs[0]["n"])
    phases = grouped(client, "?p adms:status ?v")
    assert table_counts(html, "phase", "phase") == phases
    assert table_counts(html, "level", "level") == grouped(client, "?p tech:hasDeployer ?o . ?o org:classification ?v")
    divisions = grouped(client, f"?p dct:subject ?s . ?s skos:broader* ?v . ?v skos:topConceptOf <{ID}cofog>")
    assert table_counts(html, "domain", "domain") == divisions
    years = sparql(
        client,
        "SELECT ?y (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a ns:AIProject ; "
        "dct:temporal/<http://www.w3.org/ns/dcat#startDate> ?d "
        "BIND(SUBSTR(STR(?d), 1, 4) AS ?y) } GROUP BY ?y",
    )
    assert table_counts(html, "year", "year") == {row["y"]: int(row["n"]) for row in years}


def test_home_has_one_accessible_svg_per_chart(client: httpx.Client) -> None:
    html = client.get("", params={"lang": "en"}).text
    page = Page(html)
    charts = page.find("figure", **{"class": "chart"})
    svgs = page.find("svg")
    assert len(charts) == 5
    assert len(svgs) == 5
    ids = {a["id"] for _, a in page.tags if "id" in a}
    for svg in svgs:
        assert svg["role"] == "img"
        title, desc = svg["aria-labelledby"].split()
        assert title in ids and desc in ids
    assert html.count("<details") == 5 and html.count("<table") == 5
    assert "<script" not in html  # no inline script: the CSP forbids it and the page works without JS
    assert page.find("form", role="search", method="get")
    assert page.find("input", type="search", name="q")


def test_home_is_cached_with_an_etag(client: httpx.Client) -> None:
    first = client.get("", params={"lang": "nl"})
    assert first.headers["etag"]
    again = client.get("", params={"lang": "nl"}, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


# -- project list -------------------------------------------------------------------------------------


def selection(client: httpx.Client, **params: str) -> tuple[int, set[str], set[str], int]:
    """(JSON total, JSON IRIs, CSV IRIs, the count the HTML shows) for one selection."""
    data = client.get("projects.json", params=params).json()
    rows = list(csv.DictReader(io.StringIO(client.get("projects.csv", params=params).text)))
    html = client.get("projects", params={**params, "lang": "en"}).text
    shown = re.search(r'class="result-count">(\d+) project', html)
    return (
        data["total"],
        {i["iri"] for i in data["items"]},
        {r["iri"] for r in rows},
        int(shown.group(1)) if shown else -1,
    )


def test_facets_filter_like_sparql(client: httpx.Client) -> None:
    phases = grouped(client, "?p adms:status ?v")
    for phase in sorted(phases)[:3]:
        expected = {r["p"] for r in sparql(client, f"SELECT ?p WHERE {{ ?p a ns:AIProject ; adms:status <{phase}> }}")}
        total, from_json, from_csv, shown = selection(client, phase=phase.removeprefix(ID))
        assert total == shown == phases[phase] == len(expected)
        assert from_json == from_csv == expected
    levels = grouped(client, "?p tech:hasDeployer ?o . ?o org:classification ?v")
    level = max(levels, key=levels.__getitem__)
    phase = max(phases, key=phases.__getitem__)
    both = sparql(
        client,
        f"SELECT ?p WHERE {{ ?p a ns:AIProject ; adms:status <{phase}> ; "
        f"tech:hasDeployer/org:classification <{level}> }}",
    )
    total, from_json, _, _ = selection(client, phase=phase.removeprefix(ID), level=level.removeprefix(ID))
    assert from_json == {r["p"] for r in both} and total == len(both)
    two = sorted(phases)[:2]  # two values of one facet: either (OR)
    either = client.get("projects.json", params=[("phase", p.removeprefix(ID)) for p in two]).json()
    assert either["total"] == phases[two[0]] + phases[two[1]]


def test_facet_counts_match_sparql(client: httpx.Client) -> None:
    html = client.get("projects", params={"lang": "en"}).text
    phases = grouped(client, "?p adms:status ?v")
    for phase, count in phases.items():
        key = phase.removeprefix(ID).replace("/", "%2F")
        link = rf'phase={key}[^"]*" rel="nofollow">'
        assert re.search(link + rf'<span class="facet-label">[^<]+</span> <span class="count">{count}<', html)


def test_paging_links(client: httpx.Client) -> None:
    total = client.get("projects.json").json()["total"]
    pages = -(-total // 25)
    assert pages >= 2
    first = Page(client.get("projects").text)
    assert len([a for t, a in first.tags if t == "li" and a.get("class") == "project"]) == 25
    assert first.find("link", rel="next") and not first.find("link", rel="prev")
    assert first.find("a", rel="next")[0]["href"].endswith("page=2")
    last = Page(client.get("projects", params={"page": str(pages)}).text)
    assert last.find("link", rel="prev") and not last.find("link", rel="next")
    items = [a for t, a in last.tags if t == "li" and a.get("class") == "project"]
    assert len(items) == total - 25 * (pages - 1)
    links = [a["href"] for t, a in first.tags if t == "a" and "/doc/project/" in a.get("href", "")]
    assert len(links) == 25 and all(re.search(r"/doc/project/[\w.-]+$", href) for href in links)


def test_alternates_are_linked(client: httpx.Client) -> None:
    page = Page(client.get("projects", params={"phase": "phase/pilot", "q": "ai"}).text)
    csv_link = page.find("link", rel="alternate", type="text/csv")[0]["href"]
    json_link = page.find("link", rel="alternate", type="application/json")[0]["href"]
    for href in (csv_link, json_link):
        query = dict(parse_qsl(urlsplit(href).query))
        assert query == {"q": "ai", "phase": "phase/pilot"}
        assert page.find("a", href=href)
    answer = client.get(json_link)
    assert answer.headers["access-control-allow-origin"] == "*"


# -- downloads and about ------------------------------------------------------------------------------


def test_downloads_lists_every_file_of_the_manifest(client: httpx.Client, published: Path) -> None:
    build = layout.current_build(published)
    assert build is not None
    manifest = json.loads((build / "manifest.json").read_text())
    html = client.get("downloads").text
    page = Page(html)
    for entry in manifest["files"]:
        anchors = page.find("a", **{"data-path": entry["path"]})
        assert len(anchors) == 1, entry["path"]
        assert anchors[0]["href"].endswith("/" + entry["path"])
        row = html.split(f'data-path="{entry["path"]}"', 1)[1].split("</tr>", 1)[0]
        assert f'<data value="{entry["bytes"]}">' in row
        assert entry["sha256"] in row
    for target in ("catalog", ".well-known/void", "sparql"):
        assert any(a["href"].split("?")[0].endswith("/" + target) for t, a in page.tags if t == "a" and "href" in a)
    assert client.get(page.find("a", **{"data-path": manifest["files"][0]["path"]})[0]["href"]).status_code == 200


def test_about_has_licence_and_citation(client: httpx.Client) -> None:
    build = client.get("-/version").json()["build"]
    for lang in ("en", "fr", "nl", "de"):
        page = Page(client.get("about", params={"lang": lang}).text)
        assert page.find("a", rel="license", href="https://creativecommons.org/licenses/by/4.0/")
        assert "Public Sector Tech Watch" in page.plain and "CC BY 4.0" in page.plain
        citation = re.search(
            r'class="citation" id="citation">([^<]+)<', client.get("about", params={"lang": lang}).text
        )
        assert citation and build in citation.group(1) and re.search(r"\d{4}-\d{2}-\d{2}", citation.group(1))


# -- languages ----------------------------------------------------------------------------------------

PAGES = {"": "home_title", "projects": "projects_title", "downloads": "downloads_title", "about": "about_title"}


@pytest.mark.parametrize("lang", ["en", "fr", "nl", "de"])
def test_pages_in_four_languages(client: httpx.Client, lang: str) -> None:
    for path, key in PAGES.items():
        answer = client.get(path, params={"lang": lang})
        assert answer.status_code == 200
        page = Page(answer.text)
        assert page.find("html")[0]["lang"] == lang
        title = STRINGS[lang][key].replace("'", "&#39;")
        assert f"<h1>{title}</h1>" in answer.text
        assert {a["hreflang"] for a in page.find("link", rel="alternate") if "hreflang" in a} == {
            "en",
            "fr",
            "nl",
            "de",
        }
        assert answer.cookies.get("lang") == lang
    for key in STRINGS["en"]:
        assert all(key in STRINGS[other] for other in ("fr", "nl", "de")), key


# -- a crafted root: search in every language, escaping, a stable index -------------------------------


@pytest.fixture(scope="module")
def crafted_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("crafted-root")
    for folder in ("ontology", "shapes", "data", "queries"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder)
    (root / "data" / "projects" / f"{CRAFTED_REF}.ttl").write_text(CRAFTED, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def crafted(crafted_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    from server import running_server

    from airegister.publish.build import run_build
    from airegister.settings import Settings

    dist = tmp_path_factory.mktemp("crafted-dist")
    result = run_build(Settings(root=crafted_root), dist)
    with running_server(dist) as url:
        yield result.folder, url


@pytest.mark.parametrize(
    "typed",
    [
        "ecole",  # fr, without the accent
        "DECROCHAGE precoce",  # fr, two words, upper case
        "coordinatie",  # nl: coördinatie
        "SCHULABBRUCHEN",  # de: Schulabbrüchen
        "fruherkennung",  # de: Früherkennung
        "zuverlassigkeit",  # de keyword
        "élèves",  # fr description, with accents
        "ecole schulabbruchen",  # words from two languages of one project: AND
    ],
)
def test_search_is_accent_and_case_insensitive(crafted: tuple[Path, str], typed: str) -> None:
    _, url = crafted
    data = httpx.get(url + "projects.json", params={"q": typed}, timeout=30).json()
    assert f"{ID}project/{CRAFTED_REF}" in {item["iri"] for item in data["items"]}


def test_search_words_are_anded(crafted: tuple[Path, str]) -> None:
    _, url = crafted
    data = httpx.get(url + "projects.json", params={"q": "ecole zzzunknownword"}, timeout=30).json()
    assert data["total"] == 0
    html = httpx.get(url + "projects", params={"q": "ecole zzzunknownword", "lang": "en"}, timeout=30).text
    assert STRINGS["en"]["results_none"] in html


def test_titles_and_queries_are_escaped(crafted: tuple[Path, str]) -> None:
    _, url = crafted
    html = httpx.get(url + "projects", params={"q": "decrochage", "lang": "fr"}, timeout=30).text
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    typed = '"><script>alert(1)</script>'
    html = httpx.get(url + "projects", params={"q": typed}, timeout=30).text
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_site_index_is_byte_identical_across_builds(crafted: tuple[Path, str], crafted_root: Path) -> None:
    folder, _ = crafted
    built = (folder / "site-index.json").read_bytes()
    script = (
        "import hashlib, sys; from pathlib import Path; from airegister.content.load import load; "
        "from airegister.rdf.namespaces import DEFAULT_BASE, Base; "
        "from airegister.publish.site_index import build_site_index; "
        "sys.stdout.write(hashlib.sha256(build_site_index(load(Path(sys.argv[1]), Base(DEFAULT_BASE)))).hexdigest())"
    )
    environment = {**os.environ, "PYTHONHASHSEED": "12345"}  # another set order than this process
    again = subprocess.run(
        [sys.executable, "-c", script, str(crafted_root)], capture_output=True, check=True, env=environment
    )
    assert again.stdout.decode() == hashlib.sha256(built).hexdigest()
