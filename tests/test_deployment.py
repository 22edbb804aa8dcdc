"""Settings reach every command, and the site works wherever it listens (issue #13, points 1 and 2).

A register run by another body has its own identity base: every command must mint under it. A server
reached on another port than the build was made for must still serve working pages.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from html_page import Page
from server import free_port, running_server

from airegister.publication import layout
from airegister.rdf.namespaces import DEFAULT_BASE

OTHER_BASE = "https://example.org/reg/"


def cli(*argv: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """One `airegister` command in its own process, as an operator runs it (no setting but `env`'s)."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("AIREGISTER_")}
    return subprocess.run(
        [sys.executable, "-m", "airegister.cli", *argv],
        env={**environment, **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
        cwd=cwd,
    )


def files_naming(folder: Path, text: str, skip: str | None = None) -> list[str]:
    """The files under `folder` (gzip files read through) whose bytes contain `text`."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder)
        if skip is not None and skip in relative.parts:
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        if text.encode() in data:
            found.append(str(relative))
    return found


@pytest.fixture(scope="module")
def other_root(repo_root: Path, pstw_csv: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content moved under another base, its projects imported again from PSTW under it,
    and one project added from a curators' spreadsheet: every command told the base only by the setting."""
    root = tmp_path_factory.mktemp("other-base")
    for name in ("ontology", "shapes", "data"):
        for path in (repo_root / name).rglob("*"):
            if path.is_file() and "projects" not in path.relative_to(repo_root).parts:
                target = root / path.relative_to(repo_root)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(path.read_bytes().replace(DEFAULT_BASE.encode(), OTHER_BASE.encode()))
    (root / "data" / "projects").mkdir()
    env = {"AIREGISTER_BASE_IRI": OTHER_BASE}
    descriptions = root / "data" / "imports" / "pstw-descriptions.csv"
    imported = cli(
        "import", "pstw", str(pstw_csv), "--country", "Belgium", "--root", str(root), "--descriptions",
        str(descriptions), "--quiet", env=env,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    sheet = root.parent / f"{root.name}-new.csv"
    sheet.write_text("Identifier,Title (en),Deployer,Phase\n,Tax chatbot,VDAB,Idea\n", encoding="utf-8")
    added = cli("import", "spreadsheet", str(sheet), "--root", str(root), env=env)
    assert added.returncode == 0, added.stdout + added.stderr
    exported = cli("export", "spreadsheet", str(root.parent / f"{root.name}-all.csv"), "--root", str(root), env=env)
    assert exported.returncode == 0, exported.stderr
    return root


def test_commands_mint_under_the_configured_base_and_nothing_under_the_default(other_root: Path) -> None:
    projects = sorted((other_root / "data" / "projects").glob("*.ttl"))
    assert len(projects) == 80  # the 79 Belgian PSTW cases and the spreadsheet's new row
    new = [p for p in projects if p.name.startswith("be-")]
    assert len(new) == 1 and f"<{OTHER_BASE}id/project/{new[0].stem}>" in new[0].read_text("utf-8")
    assert files_naming(other_root, DEFAULT_BASE) == []
    exported = (other_root.parent / f"{other_root.name}-all.csv").read_text("utf-8-sig")
    assert DEFAULT_BASE not in exported
    assert "Tax chatbot" in exported


@pytest.fixture(scope="module")
def other_dist(other_root: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """Validated, built for a public URL on a free port and checked by `serve`, with every setting from the
    environment, no flag, run from a folder that is neither the root nor the publication."""
    dist = tmp_path_factory.mktemp("other-dist")
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    port = free_port()
    env = {
        "AIREGISTER_BASE_IRI": OTHER_BASE,
        "AIREGISTER_ROOT": str(other_root),
        "AIREGISTER_DIST": str(dist),
        "AIREGISTER_PUBLIC_URL": f"http://127.0.0.1:{port}/",
    }
    validated = cli("validate", env=env, cwd=elsewhere)
    assert validated.returncode == 0, validated.stdout[-3000:]
    built = cli("build", "--quiet", env=env, cwd=elsewhere)
    assert built.returncode == 0, built.stdout + built.stderr
    health = cli("serve", "--get", "/healthz", env=env, cwd=elsewhere)
    assert health.returncode == 0 and '"build"' in health.stdout, health.stdout + health.stderr
    assert list(elsewhere.iterdir()) == []
    return dist, port


def test_a_build_under_another_base_publishes_nothing_under_the_default(other_dist: tuple[Path, int]) -> None:
    build = layout.current_build(other_dist[0])
    assert build is not None
    assert files_naming(build, DEFAULT_BASE, skip=layout.STORE) == []
    assert files_naming(build, f"{OTHER_BASE}id/project/pstw-10", skip=layout.STORE)


def test_the_server_takes_the_builds_base_and_public_url(other_dist: tuple[Path, int]) -> None:
    """Served with no base or public URL set, on the build's port: IRIs, redirects and queries are the
    build's, and nothing is said about the address."""
    dist, port = other_dist
    output: list[str] = []
    with running_server(dist, port=port, told_its_url=False, output=output) as url:
        answer = _get(url + "id/project/pstw-10")
        assert answer.status == 303
        document = urljoin(url, answer.headers["Location"])
        assert document == url + "doc/project/pstw-10"
        page = _get(document)
        assert page.status == 200 and f"{OTHER_BASE}id/project/pstw-10" in page.text
        assert DEFAULT_BASE not in page.text
        query = f"SELECT (COUNT(?p) AS ?n) WHERE {{ ?p a <{OTHER_BASE}ns#AIProject> }}"
        counted = _get(url + "sparql?" + urllib.parse.urlencode({"query": query}), accept="text/csv")
        assert counted.text.split() == ["n", "80"]
        assert f"<{url}sparql>" in _get(url + "sparql", accept="text/turtle").text
    assert not [line for line in output if line.startswith("warning: ")], output


def test_a_base_set_against_the_builds_is_refused_at_start_up(other_dist: tuple[Path, int]) -> None:
    refused = cli("serve", "--dist", str(other_dist[0]), "--port", "0", env={"AIREGISTER_BASE_IRI": DEFAULT_BASE})
    assert refused.returncode == 2
    assert f"the build was made for the base IRI {OTHER_BASE}" in refused.stderr


# --- Links that work wherever the server listens --------------------------------------------------


class _Answer:
    def __init__(self, status: int, headers: Message, text: str) -> None:
        self.status, self.headers, self.text = status, headers, text


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _get(url: str, accept: str = "text/html") -> _Answer:
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with opener.open(request, timeout=30) as response:
            return _Answer(response.status, response.headers, response.read().decode("utf-8", "replace"))
    except urllib.error.HTTPError as error:
        return _Answer(error.code, error.headers, error.read().decode("utf-8", "replace"))


# A page of each kind; the catalog's pages link what the catalog names under the build's public URL.
PAGES = ("", "projects", "doc/project/pstw-10", "charter", "catalog", "dataset/all", "dataset/projects", "sparql",
         "downloads", "about", "ns")  # fmt: skip


def test_pages_links_and_redirects_work_on_a_port_the_build_was_not_made_for(published: Path) -> None:
    """The build was made for port 8000; the server runs elsewhere and is not told its public URL."""
    output: list[str] = []
    with running_server(published, told_its_url=False, output=output) as url:
        assert urlsplit(url).port != 8000
        home = Page(_get(url).text)
        stylesheets = [a["href"] for a in home.find("link", rel="stylesheet")]
        assert stylesheets
        internal = set()
        for page in PAGES:
            for _, attributes in Page(_get(url + page).text).tags:
                for name in ("href", "src", "action"):
                    target = attributes.get(name)
                    if target is None or target.startswith("#"):
                        continue
                    absolute = urljoin(url, target)
                    if urlsplit(absolute).hostname in ("127.0.0.1", "localhost"):
                        assert absolute.startswith(url), f"/{page}: {name}={target!r} leaves the server at {url}"
                        internal.add(absolute)
        assert len(internal) > 50
        for link in sorted(internal):
            answer = _get(link)
            assert answer.status in (200, 303), f"{link}: {answer.status}"
        css = _get(urljoin(url, stylesheets[0]), accept="text/css")
        assert css.status == 200 and "text/css" in css.headers["Content-Type"]

        redirect = _get(url + "id/project/pstw-10")
        assert redirect.status == 303
        followed = _get(urljoin(url, redirect.headers["Location"]))
        assert followed.status == 200 and "pstw-10" in followed.text

        # Where a standard needs an absolute URL, it is the one the build was made for, never the Host header.
        description = _get(url + "sparql", accept="text/turtle").text
        assert "http://127.0.0.1:8000/sparql" in description
    warnings = [line for line in output if line.startswith("warning: ")]
    assert any("the build was made for http://127.0.0.1:8000/" in line for line in warnings), output


@pytest.mark.parametrize(
    ("name", "value"),
    [("AIREGISTER_PORT", "abc"), ("AIREGISTER_PUBLIC_URL", "http://a b/"), ("AIREGISTER_BASE_IRI", "example.org/")],
)
def test_regression_a_setting_that_does_not_fit_is_one_line_not_a_traceback(name: str, value: str) -> None:
    """A value pydantic refused came out as its traceback; a public URL with a space went through and made
    every query fail as 'a base that is not a valid IRI' (the client was blamed)."""
    refused = cli("validate", env={name: value})
    assert refused.returncode == 2
    assert refused.stderr.startswith(f"error: the setting {name.removeprefix('AIREGISTER_')} ({name}"), refused.stderr
    assert repr(value) in refused.stderr and "Traceback" not in refused.stderr
