"""Shared fixtures: the repository's content root, and the one way to reach ../shared/reference."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))  # tests/server.py and other test helpers


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The shipped content root (ontology/, shapes/, data/ at the top of the repository)."""
    return REPO


@pytest.fixture(scope="session")
def reference() -> Path:
    """The shared reference material (official shapes, W3C suites, PSTW data).

    It lives outside the repository (`../shared/reference`, or $AIREGISTER_REFERENCE). A user's fresh
    clone does not have it, so tests that need it skip there; under CI its absence is a failure.
    """
    configured = os.environ.get("AIREGISTER_REFERENCE")
    path = Path(configured) if configured else REPO.parent / "shared" / "reference"
    if path.is_dir():
        return path
    why = (
        f"reference material not found at {path}: it lives in ../shared/reference beside the clone "
        "(or set AIREGISTER_REFERENCE)"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(why)
    pytest.skip(why)


@pytest.fixture(scope="session")
def pstw_csv(reference: Path) -> Path:
    """The Public Sector Tech Watch snapshot (2,291 cases)."""
    path = reference / "pstw" / "pstw-cases-2026-03-04.csv"
    if not path.is_file():
        pytest.fail(f"{path} is missing from the reference material")
    return path


@pytest.fixture(scope="session")
def published(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A publication folder (`dist`) holding one build of the shipped content."""
    from airegister.publish.build import run_build
    from airegister.settings import Settings

    dist = tmp_path_factory.mktemp("dist")
    run_build(Settings(root=repo_root), dist)
    return dist


@pytest.fixture(scope="session")
def served(published: Path) -> Iterator[str]:
    """The real server (uvicorn on a free loopback port) over `published`; yields its base URL."""
    from server import running_server

    with running_server(published) as url:
        yield url
