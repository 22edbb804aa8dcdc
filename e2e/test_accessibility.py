"""axe-core on every kind of page: any serious or critical violation fails, naming rule, help and elements.

Pages that hold data are reached the way a reader reaches them (the first project of the list, the first
organisation of that project, ...), so the tests follow the shipped content rather than fixed references.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import Visit


def link_on(visit: Visit, path: str, selector: str) -> str:
    """The href of the first element matching `selector` on the page at `path`."""
    visit.goto(path)
    links = visit.page.locator(selector)
    assert links.count() > 0, f"no link matching {selector!r} on {path or '/'}"
    href = links.first.get_attribute("href")
    assert href, f"the first {selector!r} on {path or '/'} has no href"
    return href


def first_project(visit: Visit) -> str:
    return link_on(visit, "projects", "ol.projects li.project h3 a")


def open_project(visit: Visit) -> None:
    visit.goto(first_project(visit))


def open_organisation(visit: Visit) -> None:
    visit.goto(link_on(visit, first_project(visit), "main a[href*='/doc/organisation/']"))


def open_concept(visit: Visit) -> None:
    visit.goto(link_on(visit, first_project(visit), "main a[href*='/doc/phase/']"))


def open_scheme(visit: Visit) -> None:
    concept = link_on(visit, first_project(visit), "main a[href*='/doc/phase/']")
    visit.goto(link_on(visit, concept, "main a[href$='/doc/phase']"))


def open_principle(visit: Visit) -> None:
    visit.goto(link_on(visit, "charter", "main a[href*='/doc/charter/']"))


def open_sparql_results(visit: Visit) -> None:
    visit.goto("sparql")
    visit.page.locator("ul.examples a").first.click()
    visit.page.locator("section.results table tbody tr").first.wait_for()


PAGES: dict[str, Callable[[Visit], object]] = {
    "home": lambda visit: visit.goto(""),
    "projects": lambda visit: visit.goto("projects"),
    "projects-filtered": lambda visit: visit.goto("projects?phase=phase%2Fproduction&q=data"),
    "project": open_project,
    "organisation": open_organisation,
    "concept": open_concept,
    "concept-scheme": open_scheme,
    "charter": lambda visit: visit.goto("charter"),
    "principle": open_principle,
    "sparql": lambda visit: visit.goto("sparql"),
    "sparql-results": open_sparql_results,
    "downloads": lambda visit: visit.goto("downloads"),
    "about": lambda visit: visit.goto("about"),
    "not-found-resource": lambda visit: visit.goto("doc/project/no-such-project", expect_status=404),
    "not-found-page": lambda visit: visit.goto("no-such-page", expect_status=404),
}


@pytest.mark.parametrize("kind", list(PAGES))
def test_page_has_no_serious_accessibility_violation(visit: Visit, kind: str) -> None:
    PAGES[kind](visit)
    visit.shot()
    report = visit.serious_violations()
    if report:
        pytest.fail(f"axe-core on {kind} ({visit.page.url[:100]}) found serious or critical violations:\n{report}")
