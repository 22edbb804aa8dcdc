"""The SPARQL query page for people, through the real server over a build of the shipped data.

Also runs every example query kept in queries/*.rq, so an example that breaks with the data fails here, and
the accountability examples over a build holding the fictional fixture, whose answers are known.
"""

from __future__ import annotations

import html
import io
import re
from collections import Counter
from collections.abc import Iterator
from csv import reader as csv_rows
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest
from html_page import Page, path_of
from rdflib import Graph, URIRef

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((REPO / "queries").glob("*.rq"))
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
PROJECTS_AND_DEPLOYERS = """
PREFIX ns: <https://w3id.org/be-ai-register/ns#>
PREFIX tech: <https://w3id.org/dpv/tech#>
SELECT ?project ?deployer WHERE { ?project a ns:AIProject ; tech:hasDeployer ?deployer } ORDER BY ?project LIMIT 5
"""
SCRIPT = "<script>alert(1)</script>"
ADMS_STATUS = URIRef("http://www.w3.org/ns/adms#status")
HAS_DEPLOYER = URIRef("https://w3id.org/dpv/tech#hasDeployer")
# Examples whose answer is empty on the shipped data, and why (they are checked on the fixture below).
EMPTY_ON_THE_SEED = {"10-high-risk-projects-and-article-27": "no seed record states an AI Act risk level"}


@pytest.fixture(scope="module")
def client(served: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=served, timeout=30) as session:
        yield session


def browse(client: httpx.Client, query: str, **params: str) -> httpx.Response:
    return client.get("sparql", params={"query": query, **params}, headers=HTML)


def title_line(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# title: "), f"{path.name}: the first line must be '# title: ...'"
    return first.removeprefix("# title: ").strip()


def test_there_are_example_queries_for_the_main_questions() -> None:
    assert len(EXAMPLES) >= 6
    forms = {re.search(r"^\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", p.read_text(), re.M | re.I).group(1).upper()  # type: ignore[union-attr]
             for p in EXAMPLES}  # fmt: skip
    assert {"SELECT", "CONSTRUCT"} <= forms


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_query_answers_on_the_shipped_data(client: httpx.Client, path: Path) -> None:
    title_line(path)
    query = path.read_text(encoding="utf-8")
    if re.search(r"^\s*(CONSTRUCT|DESCRIBE)\b", query, re.M | re.I):
        response = client.get("sparql", params={"query": query}, headers={"Accept": "text/turtle"})
        assert response.status_code == 200, response.text
        assert len(Graph().parse(data=response.text, format="turtle")) > 0
        return
    response = client.get("sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    answer = response.json()
    if "boolean" in answer:
        assert answer["boolean"] is True
    elif path.stem in EMPTY_ON_THE_SEED:
        assert answer["results"]["bindings"] == [], f"{path.name}: the seed changed; check it answers as expected"
    else:
        assert answer["results"]["bindings"], f"{path.name} matched nothing"


def test_a_browser_gets_the_form_with_prefixes_and_examples(client: httpx.Client, served: str) -> None:
    response = client.get("sparql", headers=HTML)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = Page(response.text)
    assert page.find("form", action=f"{path_of(served)}sparql", method="get")
    assert page.find("label", for_="query") and page.find("textarea", id="query", name="query")
    assert page.find("input", name="timeout", type="number") and page.find("select", name="format")
    assert page.find("main") and page.find("header") and page.find("footer")
    assert page.find("html", lang="en")
    assert "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>" in "".join(page.text)
    assert "PREFIX ns: <https://w3id.org/be-ai-register/ns#>" in "".join(page.text)
    links = {a["href"]: a for a in page.find("a")}
    for path in EXAMPLES:
        assert title_line(path) in page.text
        expected = path.read_text(encoding="utf-8")
        assert any(parse_qs(urlsplit(href).query).get("query") == [expected] for href in links), path.name


def test_a_query_from_a_browser_shows_a_labelled_linked_table(client: httpx.Client, served: str) -> None:
    answer = client.get("sparql", params={"query": PROJECTS_AND_DEPLOYERS}, headers={"Accept": "application/json"})
    first = answer.json()["results"]["bindings"][0]
    project = first["project"]["value"]
    titles = client.get(
        "sparql",
        params={
            "query": f'SELECT ?t WHERE {{ <{project}> <http://purl.org/dc/terms/title> ?t FILTER(LANG(?t)="en") }}'
        },
        headers={"Accept": "application/json"},
    ).json()["results"]["bindings"]

    response = browse(client, PROJECTS_AND_DEPLOYERS)
    assert response.status_code == 200
    page = Page(response.text)
    assert page.find("table") and page.find("th", scope="col")
    assert re.search(r"<caption[^>]*>5 rows in [0-9.]+ s</caption>", response.text)
    ours = project.replace("https://w3id.org/be-ai-register/id/", path_of(served) + "doc/")  # no 303
    link = page.find("a", href=ours)
    assert link and link[0]["title"] == project, "our IRIs link to their page, with the IRI as a tooltip"
    target = client.get(urljoin(served, ours), headers=HTML)
    title = " ".join(titles[0]["t"]["value"].split())
    assert target.status_code == 200 and title in Page(target.text).plain, "the link leads to the project's page"
    assert titles[0]["t"]["value"] in page.text, "the project is shown by its title"
    assert "project:" + project.rsplit("/", 1)[1] in page.text, "the compact IRI is shown under the label"


def downloads(page: Page) -> dict[str, str]:
    return {a["href"]: a["type"] for a in page.find("a") if "download" in a}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (PROJECTS_AND_DEPLOYERS, {"json", "xml", "csv", "tsv"}),
        ((REPO / "queries" / "07-one-project-as-rdf.rq").read_text(), {"ttl", "nt", "jsonld", "rdf", "nq", "trig"}),
    ],
    ids=["select", "construct"],
)
def test_every_download_link_answers_in_its_format(client: httpx.Client, query: str, expected: set[str]) -> None:
    offered = downloads(Page(browse(client, query).text))
    assert {parse_qs(urlsplit(href).query)["format"][0] for href in offered} == expected
    for href, media_type in offered.items():
        response = client.get(href, headers=HTML)  # the format parameter wins over a browser's Accept
        assert response.status_code == 200, href
        assert response.headers["content-type"].split(";")[0] == media_type
        assert parse_qs(urlsplit(href).query)["query"] == [query]


def test_a_construct_shows_its_triples_as_a_table(client: httpx.Client) -> None:
    response = browse(client, (REPO / "queries" / "07-one-project-as-rdf.rq").read_text())
    assert response.status_code == 200
    assert re.search(r"<caption[^>]*>\d+ triples", response.text)
    headers = re.findall(r'<th scope="col">([^<]+)</th>', response.text)
    assert headers == ["Subject", "Predicate", "Object"]


def test_an_ask_shows_yes_or_no(client: httpx.Client) -> None:
    response = browse(client, "ASK { ?s ?p ?o }")
    assert response.status_code == 200
    assert "<strong>Yes</strong>" in response.text


def test_the_permalink_reproduces_the_page(client: httpx.Client, served: str) -> None:
    first = browse(client, PROJECTS_AND_DEPLOYERS, timeout="20")
    [permalink] = [a["href"] for a in Page(first.text).find("a", rel="bookmark")]
    assert parse_qs(urlsplit(permalink).query) == {"query": [PROJECTS_AND_DEPLOYERS], "timeout": ["20"]}
    shown = re.search(r'rel="bookmark">([^<]*)</a>', first.text)
    assert shown and html.unescape(shown.group(1)) == urljoin(served, permalink), "the text to copy is absolute"
    again = client.get(permalink, headers=HTML)
    assert again.status_code == 200

    def table(text: str) -> str:
        return text[text.index("<tbody>") : text.index("</tbody>")]

    assert table(again.text) == table(first.text)


def test_a_long_answer_is_cut_in_the_page_but_not_in_the_downloads(client: httpx.Client) -> None:
    from airegister.web.sparql.query_page import MAX_ROWS

    query = f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT {MAX_ROWS + 5}"
    response = browse(client, query)
    assert response.status_code == 200
    assert f"The first {MAX_ROWS} are shown; download the results to get all {MAX_ROWS + 5}." in response.text
    assert response.text.count("<tr>") == MAX_ROWS + 1  # and the header row
    csv = [href for href in downloads(Page(response.text)) if href.endswith("format=csv")]
    assert len(list(csv_rows(io.StringIO(client.get(csv[0]).text)))) == MAX_ROWS + 5 + 1


def test_a_bad_query_shows_the_message_beside_the_form(client: httpx.Client) -> None:
    bad = "SELECT ?x WHERE { this is not sparql }"
    response = browse(client, bad)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    page = Page(response.text)
    assert page.find("div", role="alert", id="query-error")
    assert "not valid SPARQL" in response.text
    assert page.find("textarea", id="query", aria_invalid="true")
    assert f"{bad}</textarea>" in response.text


def test_a_bad_query_posted_from_a_form_comes_back_in_the_form(client: httpx.Client) -> None:
    response = client.post("sparql", data={"query": "ASK { ?s ?p }"}, headers=HTML)
    assert response.status_code == 400
    assert "ASK { ?s ?p }</textarea>" in response.text


def test_data_is_escaped_never_markup(client: httpx.Client) -> None:
    query = f'SELECT ?x ?y WHERE {{ BIND("{SCRIPT}" AS ?x) BIND(IRI("javascript:alert(1)") AS ?y) }}'
    response = browse(client, query)
    assert response.status_code == 200
    assert SCRIPT not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    page = Page(response.text)
    assert [a for t, a in page.tags if t == "script"] == [a for a in page.find("script") if a.get("src")]
    assert not any(a.get("href", "").lower().startswith("javascript:") for a in page.find("a"))


@pytest.mark.parametrize("path", ["sparql", "sparql?query=ASK%20%7B%7D", "sparql?query=oops"])
def test_security_headers_and_no_inline_script_or_foreign_asset(client: httpx.Client, served: str, path: str) -> None:
    response = client.get(path, headers=HTML)
    policy = response.headers["content-security-policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'self'" in script_src
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    page = Page(response.text)
    assets = [a["src"] for a in page.find("script")] + [a["href"] for a in page.find("link")]
    assets += [a["src"] for t, a in page.tags if t in ("img", "iframe", "source") and "src" in a]
    assert assets and all(urljoin(served, url).startswith(served) for url in assets), assets
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs), "no inline handlers"
    assert not any("style" in attrs for _, attrs in page.tags), "no inline styles (style-src 'self')"


def test_static_files_are_served_and_cacheable(client: httpx.Client, served: str) -> None:
    page = Page(client.get("sparql", headers=HTML).text)
    [css] = [a["href"] for a in page.find("link", rel="stylesheet")]
    [js] = [a["src"] for a in page.find("script")]
    for url, media_type in ((css, "text/css"), (js, "text/javascript")):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(media_type)
        assert "immutable" in response.headers["cache-control"]
        assert not re.search(r"https?://", response.text), "no asset from another host"
    assert client.get("static/..%2Fquery_page.py").status_code == 404
    assert client.get("static/nothing.css").status_code == 404


@pytest.mark.parametrize(
    ("params", "headers", "lang", "heading"),
    [
        ({"lang": "fr"}, {}, "fr", "Requête SPARQL"),
        ({}, {"Accept-Language": "nl-BE, nl;q=0.9, en;q=0.5"}, "nl", "SPARQL-query"),
        ({}, {"Accept-Language": "de;q=0.8, es"}, "de", "SPARQL-Abfrage"),
        ({"lang": "xx"}, {"Accept-Language": "ja"}, "en", "SPARQL query"),
    ],
)
def test_the_page_speaks_the_readers_language(
    client: httpx.Client, params: dict[str, str], headers: dict[str, str], lang: str, heading: str
) -> None:
    client.cookies.clear()  # a language picked in an earlier case is remembered in a cookie
    response = client.get("sparql", params=params, headers={**HTML, **headers})
    assert f'<html lang="{lang}">' in response.text
    assert f"<h1>{heading}</h1>" in response.text


def test_a_picked_language_is_remembered(client: httpx.Client) -> None:
    client.cookies.clear()
    picked = client.get("sparql", params={"lang": "de"}, headers=HTML)
    assert picked.cookies.get("lang") == "de"
    later = client.get("sparql", headers={**HTML, "Accept-Language": "fr"})
    assert '<html lang="de">' in later.text
    client.cookies.clear()


def test_machines_still_get_the_protocol_answers(client: httpx.Client) -> None:
    response = client.get("sparql", params={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"})
    assert response.json() == {"head": {}, "boolean": True}
    bare = client.get("sparql", headers={"Accept": "text/turtle"})
    assert bare.headers["content-type"].startswith("text/turtle")


def test_links_carry_the_public_path_prefix(published: Path) -> None:
    """Behind a proxy under /register/, every link, form and asset of the page points under that prefix."""
    from server import running_server

    public = "https://proxy.example/register/"
    with running_server(published, env={"AIREGISTER_PUBLIC_URL": public}) as url:
        text = httpx.get(f"{url}sparql", params={"query": PROJECTS_AND_DEPLOYERS}, headers=HTML, timeout=30).text
    page = Page(text)
    ours = [a["href"] for a in page.find("a") if "title" not in a and not a["href"].startswith("#")]  # not data
    targets = ours + [a["action"] for a in page.find("form")] + [a["src"] for a in page.find("script")]
    targets += [a["href"] for a in page.find("link")]
    assert targets and all(href.startswith(path_of(public)) for href in targets), targets
    linked = [a["href"] for a in page.find("a") if a.get("title", "").startswith("https://w3id.org/be-ai-register/")]
    assert linked and all(href.startswith(path_of(public) + "doc/") for href in linked)


def test_example_headers_are_read() -> None:
    from airegister.web.sparql.query_page import load_examples

    examples = load_examples(REPO / "queries")
    assert [e.slug for e in examples] == [p.stem for p in EXAMPLES]
    assert [e.title for e in examples] == [title_line(p) for p in EXAMPLES]
    assert all(e.description for e in examples)


# --- the accountability examples over a build of the shipped content plus the fictional fixture ---


@pytest.fixture(scope="module")
def fixture_client(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    from accountability_fixture import accountability_root
    from server import running_server

    from airegister.publish.build import run_build
    from airegister.settings import Settings

    root = accountability_root(repo_root, tmp_path_factory.mktemp("accountability") / "root")
    dist = root.parent / "dist"
    run_build(Settings(root=root), dist)
    with running_server(dist) as url, httpx.Client(base_url=url, timeout=30) as session:
        yield session


def answer(client: httpx.Client, query: str) -> list[dict[str, str]]:
    """The rows of a SELECT, each variable to its value (IRI, or a literal's lexical form)."""
    response = client.get("sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]


def example(number: str) -> str:
    return next(p for p in EXAMPLES if p.name.startswith(number + "-")).read_text(encoding="utf-8")


def test_high_risk_projects_and_their_article_27_status(fixture_client: httpx.Client) -> None:
    from accountability_fixture import PROJECT

    rows = answer(fixture_client, example("10"))
    assert [(r["project"], r["article27"], r["date"], r["summaryPublished"]) for r in rows] == [
        (str(PROJECT), "done", "2025-12-10", "true")
    ]


def seed_in_production() -> set[tuple[str, str]]:
    """(project, deploying organisation) of each shipped project in production: none is assessed yet."""
    graph = Graph()
    for path in (REPO / "data" / "projects").glob("*.ttl"):
        graph.parse(path, format="turtle")
    production = URIRef("https://w3id.org/be-ai-register/id/phase/production")
    return {(str(p), str(o)) for p in graph.subjects(ADMS_STATUS, production) for o in graph.objects(p, HAS_DEPLOYER)}


def test_projects_in_production_not_assessed_against_a_principle(fixture_client: httpx.Client) -> None:
    from accountability_fixture import PROJECT

    unassessed: dict[str, set[str]] = {}  # every principle of the charter, as the query lists them
    for row in answer(fixture_client, example("11")):
        unassessed.setdefault(row["principle"].rsplit("/", 1)[-1], set()).add(row["project"])
    seed = {project for project, _ in seed_in_production()}
    assert unassessed == {"p1": seed, "p2": seed, "p3": seed | {str(PROJECT)}, "p4": seed}  # fixture: p1, p2, p4


def test_assessments_per_organisation_count_the_current_ones(fixture_client: httpx.Client) -> None:
    from accountability_fixture import DEPLOYER

    rows = {r["organisation"]: r for r in answer(fixture_client, example("12"))}
    counts = {k: int(v) for k, v in rows[str(DEPLOYER)].items() if k not in ("organisation", "organisationName")}
    # p1 was not yet addressed in 2025 and is addressed since 2026: only the current assessment counts
    assert counts == {"projects": 1, "assessedProjects": 1, "addressed": 1, "partlyAddressed": 1,
                      "notYetAddressed": 0, "notApplicable": 1}  # fmt: skip
    assert all(int(r["assessedProjects"]) == 0 for o, r in rows.items() if o != str(DEPLOYER))


def test_gaps_per_organisation(fixture_client: httpx.Client) -> None:
    from accountability_fixture import DEPLOYER

    rows = {r["organisation"]: r for r in answer(fixture_client, example("13"))}
    gaps = [k for k in rows[str(DEPLOYER)] if k not in ("organisation", "organisationName", "projects")]
    assert len(gaps) == 6 and all(rows[str(DEPLOYER)][k] == "0" for k in gaps)  # the fixture has every fact
    unassessed = {o: int(r["inProductionWithoutCharterAssessment"]) for o, r in rows.items()}
    expected = Counter(organisation for _, organisation in seed_in_production())
    assert {o: n for o, n in unassessed.items() if n} == dict(expected)
