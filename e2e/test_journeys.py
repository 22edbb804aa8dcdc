"""A reader's journey through the site, in a real browser under the site's own Content-Security-Policy.

Home → search a word of a project's title → narrow by phase → open a project → switch to French (and keep
it on the next page) → run an example SPARQL query → download the projects as CSV. Each step is a test of
its own, starting in a fresh browser, so that one broken page does not hide the others; each asserts what a
reader sees, and screenshots every page it shows.
"""

from __future__ import annotations

import csv
import io
import re

from conftest import Visit
from playwright.sync_api import Locator, Route, expect

RESULT_TITLES = "ol.projects li.project h3 a"
CSV_COLUMNS = [
    "id",
    "iri",
    "page",
    "title",
    "phase",
    "org",
    "level",
    "domain",
    "principle",
    "technique",
    "capability",
    "risk",
    "start_year",
]


def number_in(locator: Locator) -> int:
    """The first whole number in an element's text (a result count such as "79 projects")."""
    text = locator.inner_text()
    found = re.search(r"\d[\d\s.,\u202f]*", text)
    assert found, f"no number in {text!r}"
    return int(re.sub(r"\D", "", found.group()))


def search_word(title: str) -> str:
    """The longest word of a title: the one a reader remembering the project would type."""
    words: list[str] = re.findall(r"[^\W\d_]{4,}", title)
    assert words, f"no word to search for in {title!r}"
    return max(words, key=len)


def test_search_from_home_finds_a_project_by_a_word_of_its_title(visit: Visit) -> None:
    visit.goto("projects")
    title = visit.page.locator(RESULT_TITLES).first.inner_text().strip()
    word = search_word(title)

    visit.goto("")
    page = visit.page
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("img", name=re.compile("phase", re.IGNORECASE)).first).to_be_visible()
    visit.shot("home")

    search = page.get_by_role("search")
    search.get_by_role("searchbox").fill(word)
    search.get_by_role("button").click()
    expect(page).to_have_url(re.compile(r"/projects\?(.*&)?q="))
    expect(page.locator(".result-count")).to_contain_text(word)
    expect(page.locator(RESULT_TITLES).first).to_be_visible()
    titles = [text.strip() for text in page.locator(RESULT_TITLES).all_inner_texts()]
    assert title in titles, f"searching {word!r} does not list {title!r} on its first page; it lists {titles}"
    visit.shot("search-results")


def test_a_phase_facet_narrows_the_list_and_opens_a_project(visit: Visit) -> None:
    visit.goto("projects")
    page = visit.page
    total = number_in(page.locator(".result-count"))
    facet = page.locator("#facet-phase a.facet-value").first
    expect(facet).to_be_visible()
    label = facet.locator(".facet-label").inner_text().strip()
    expected = number_in(facet.locator(".count"))
    visit.shot("list")

    facet.click()
    expect(page).to_have_url(re.compile(r"[?&]phase="))
    expect(page.locator("#facet-phase a.facet-value[aria-current='true']")).to_contain_text(label)
    assert number_in(page.locator(".result-count")) == expected < total
    phases = [text.strip() for text in page.locator("ol.projects li.project .phase").all_inner_texts()]
    assert phases, f"the {label!r} facet lists no project"
    assert set(phases) == {label}, f"the {label!r} facet lists projects in phases {sorted(set(phases))}"
    visit.shot("filtered")

    link = page.locator(RESULT_TITLES).first
    title = link.inner_text().strip()
    link.click()
    expect(page).to_have_url(re.compile(r"/doc/project/"))
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("main")).to_contain_text(label)
    expect(page.locator("main input.res-iri")).to_have_value(re.compile(r"^https?://.+/id/project/"))
    visit.shot("project")


def test_switching_to_french_is_remembered_on_the_next_page(visit: Visit) -> None:
    visit.goto("projects")
    page = visit.page
    page.locator(RESULT_TITLES).first.click()
    expect(page).to_have_url(re.compile(r"/doc/project/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("navigation", name="Language").get_by_role("link", name="Français").click()
    expect(page).to_have_url(re.compile(r"[?&]lang=fr"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("a.skip")).to_have_text("Aller au contenu")
    expect(page.get_by_role("navigation", name="Langue").get_by_role("link", name="Français")).to_have_attribute(
        "aria-current", "true"
    )
    visit.shot("project-fr")

    page.get_by_role("navigation", name="Principale").get_by_role("link", name="Projets").click()
    expect(page).to_have_url(re.compile(r"/projects$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_text("Projets")
    expect(page.get_by_role("heading", name="Filtres")).to_be_visible()
    visit.shot("projects-fr")


def test_an_example_sparql_query_shows_a_results_table(visit: Visit) -> None:
    visit.goto("sparql")
    page = visit.page
    example = page.locator("ul.examples a").first
    expect(example).to_be_visible()
    visit.shot("query-page")

    example.click()
    expect(page).to_have_url(re.compile(r"/sparql\?(.*&)?query="))
    expect(page.get_by_label("Query", exact=False).first).to_contain_text("SELECT")
    table = page.locator("section.results table")
    expect(table).to_be_visible()
    headers = [text.strip() for text in table.locator("thead th").all_inner_texts()]
    assert headers and all(h.startswith("?") for h in headers), f"result columns {headers}"
    rows = table.locator("tbody tr")
    expect(rows.first).to_be_visible()
    assert all(cell.strip() for cell in rows.first.locator("td").all_inner_texts()[:1]), "the first cell is empty"
    visit.shot("results")


def test_the_projects_csv_downloads_with_its_header_row(visit: Visit) -> None:
    visit.goto("projects")
    page = visit.page
    total = number_in(page.locator(".result-count"))
    visit.shot("list")

    with page.expect_download() as started:
        page.locator(".selection-downloads").get_by_role("link", name=re.compile("CSV")).click()
    download = started.value
    assert download.suggested_filename.endswith(".csv"), download.suggested_filename
    text = download.path().read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == CSV_COLUMNS, f"CSV header row {rows[0]}"
    assert len(rows) - 1 == total, f"the CSV has {len(rows) - 1} projects, the list shows {total}"
    assert all(row[0] and row[3] for row in rows[1:]), "a CSV row without id or title"


def test_the_sites_csp_blocks_an_inline_script_and_the_tests_notice(visit: Visit) -> None:
    """The journey runs under the served Content-Security-Policy: an injected inline script must not run."""
    page = visit.page

    def inject(route: Route) -> None:
        response = route.fetch()
        script = "<script>document.body.dataset.inline = 'ran'</script></body>"
        route.fulfill(response=response, body=response.text().replace("</body>", script))

    page.route(re.compile(r"/sparql$"), inject)
    visit.goto("sparql")
    assert page.locator("body").get_attribute("data-inline") is None, "an inline script ran: the CSP allows it"
    for _ in range(40):
        if visit.problems:
            break
        page.wait_for_timeout(50)
    assert any("Content Security Policy" in problem for problem in visit.problems), visit.problems
    visit.problems.clear()  # the violation was provoked on purpose
    visit.shot("sparql")
