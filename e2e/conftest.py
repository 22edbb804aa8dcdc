"""Browser tests: one build of the shipped content, the real server, Debian's Chromium driven by Playwright.

Every page a test shows is screenshotted (full page) into `e2e-artifacts/`. Pages run under the site's own
Content-Security-Policy; a CSP violation, an uncaught script error or a failed stylesheet, script or image
fails the test that saw it. axe-core is evaluated into the page through the DevTools protocol, which the
page's CSP does not govern, so the pages are checked exactly as served.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, Playwright, Response, sync_playwright

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "e2e-artifacts"
AXE_SCRIPT = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path(os.environ.get("AIREGISTER_CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags Chromium keeps calling hosts this machine's closed network refuses.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SUBRESOURCES = {"stylesheet", "script", "image", "font"}
BLOCKING_IMPACTS = {"serious", "critical"}

sys.path.append(str(REPO / "tests"))  # tests/server.py: the real server on a free loopback port


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A publication folder (`dist`) holding one build of the shipped content."""
    from airegister.publish.build import run_build
    from airegister.settings import Settings

    dist = tmp_path_factory.mktemp("dist")
    run_build(Settings(root=REPO), dist)
    return dist


@pytest.fixture(scope="session")
def served(published: Path) -> Iterator[str]:
    """The real server (uvicorn on a free loopback port) over `published`; yields its base URL."""
    from server import running_server

    with running_server(published) as url:
        yield url


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless; each launch gets a new empty profile (Playwright's temporary user-data-dir)."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: `make e2e` installs Debian's chromium package")
    launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)
    yield launched
    launched.close()


@dataclass
class Visit:
    """One test's browser tab, with what went wrong in it and its numbered screenshots."""

    page: Page
    name: str
    base: str
    problems: list[str] = field(default_factory=list)
    shots: int = 0

    def url(self, path: str = "") -> str:
        """An absolute or root-relative URL (as the pages link) resolves as a browser would; a bare path
        ("projects") is taken under the server's base URL."""
        return urljoin(self.base, path)

    def goto(self, path: str, expect_status: int = 200) -> Response:
        """Open a page of the site and check the HTTP status the reader got."""
        response = self.page.goto(self.url(path))
        assert response is not None, f"no response for {path or '/'}"
        assert response.status == expect_status, f"{path or '/'} answered {response.status}, not {expect_status}"
        return response

    def shot(self, label: str = "") -> Path:
        """Save a full-page screenshot as e2e-artifacts/{test}.png, or {test}-{n}-{label}.png within a journey."""
        ARTIFACTS.mkdir(exist_ok=True)
        if label:
            self.shots += 1
            stem = f"{self.name}-{self.shots:02d}-{label}"
        else:
            stem = self.name
        path = ARTIFACTS / f"{stem}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def axe(self) -> list[dict[str, Any]]:
        """Run axe-core on the current page; returns its violations (all impacts)."""
        if not AXE_SCRIPT.is_file():
            pytest.fail(f"{AXE_SCRIPT} is missing: run `npm ci` in e2e/ (`make e2e` does)")
        if not self.page.evaluate("() => typeof window.axe === 'object'"):
            self.page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
        result: dict[str, Any] = self.page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        return list(result["violations"])

    def serious_violations(self) -> str:
        """axe-core's serious and critical violations on the current page, described; empty when none."""
        return describe_violations([v for v in self.axe() if v.get("impact") in BLOCKING_IMPACTS])

    def watch(self) -> None:
        """Record CSP violations, script errors and failed subresources as problems of this test."""

        def console(message: ConsoleMessage) -> None:
            if message.type == "error" and "Content Security Policy" in message.text:
                self.problems.append(f"CSP violation on {self.page.url}: {message.text}")

        def page_error(error: Error) -> None:
            self.problems.append(f"script error on {self.page.url}: {error.message}")

        def response(answer: Response) -> None:
            if answer.status >= 400 and answer.request.resource_type in SUBRESOURCES:
                self.problems.append(f"{answer.request.resource_type} {answer.url} answered {answer.status}")

        self.page.on("console", console)
        self.page.on("pageerror", page_error)
        self.page.on("response", response)


def _test_name(request: pytest.FixtureRequest) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")


@pytest.fixture
def visit(browser: Browser, served: str, request: pytest.FixtureRequest) -> Iterator[Visit]:
    """A fresh browser context (no cookies, English first, the site's CSP in force) and one tab in it."""
    context = browser.new_context(
        locale="en-US", accept_downloads=True, viewport={"width": 1280, "height": 900}, bypass_csp=False
    )
    context.set_default_timeout(15_000)
    tab = Visit(page=context.new_page(), name=_test_name(request), base=served)
    tab.watch()
    try:
        yield tab
        assert not tab.problems, "the browser reported problems:\n" + "\n".join(tab.problems)
    finally:
        if tab.shots == 0 and not tab.page.is_closed() and tab.page.url.startswith(served):
            tab.shot()  # the page a test ended on, when it took none itself (a failure, say)
        context.close()


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """Rule, impact, help and the offending nodes' targets, one block per violation."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            target = json.dumps(node["target"], ensure_ascii=False)
            summary = " ".join(str(node.get("failureSummary") or "").split())
            lines.append(f"    {target} {node['html'][:160]}" + (f"\n      {summary}" if summary else ""))
    return "\n".join(lines)
