"""The dependency rules (the `[tool.importlinter]` contracts in pyproject.toml) hold, and each one can fail.

A check that cannot fail proves nothing, so every contract is also run against a copy of the package with one
forbidden import added, and must report that import.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "pyproject.toml"
PACKAGE = REPO / "src" / "airegister"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# contract id -> the modules added to the copy (path under airegister/ -> source) and what the report must say.
PROBES: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {
    "web-not-build": (
        {"web/probe.py": "import airegister.publish.build\n"},
        ("airegister.web.probe -> airegister.publish.build",),
    ),
    "publish-not-web": (
        {"publish/probe.py": "import airegister.web.app\n"},
        ("airegister.publish.probe -> airegister.web.app",),
    ),
    "store-alone": (
        {"store/probe.py": "import airegister.content.load\n"},
        ("airegister.store.probe -> airegister.content.load",),
    ),
    "rdf-bottom": (
        {"rdf/probe.py": "import airegister.settings\n"},
        ("airegister.rdf.probe -> airegister.settings",),
    ),
    "publication-on-rdf": (
        {"publication/probe.py": "from airegister import __version__\n"},
        ("airegister.publication.probe -> airegister",),
    ),
    "stages": (
        {"store/probe.py": "import airegister.importers\n"},
        ("airegister.store.probe -> airegister.importers",),
    ),
    "no-cycles": (
        {"probe_a.py": "import airegister.probe_b\n", "probe_b.py": "import airegister.probe_a\n"},
        ("No cycles are allowed in airegister.", "probe_"),
    ),
}


def contracts() -> dict[str, str]:
    """Contract id -> name, as pyproject.toml declares them."""
    declared = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]
    return {contract["id"]: contract["name"] for contract in declared}


def lint_imports(*contract_ids: str, package_parent: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `lint-imports` on our config; with `package_parent`, on the airegister package found there."""
    env = dict(os.environ)
    if package_parent is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(package_parent), env.get("PYTHONPATH")]))
    selection = [arg for contract_id in contract_ids for arg in ("--contract", contract_id)]
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", *selection, str(CONFIG)],
        cwd=package_parent or REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_contract_has_a_probe() -> None:
    assert set(contracts()) == set(PROBES)


def test_the_dependency_rules_hold() -> None:
    result = lint_imports()
    if result.returncode != 0:
        pytest.fail(result.stdout + result.stderr, pytrace=False)


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding a copy of the airegister package, for the probes to break."""
    parent = tmp_path_factory.mktemp("copy")
    shutil.copytree(PACKAGE, parent / "airegister", ignore=shutil.ignore_patterns("__pycache__"))
    return parent


@pytest.fixture
def probed(package_copy: Path, request: pytest.FixtureRequest) -> Iterator[Path]:
    """The copy with the probe modules of one contract added (removed afterwards)."""
    modules, _ = PROBES[request.param]
    paths = [package_copy / "airegister" / relative for relative in modules]
    for path, source in zip(paths, modules.values(), strict=True):
        path.write_text(source, encoding="utf-8")
    yield package_copy
    for path in paths:
        path.unlink()


@pytest.mark.parametrize("probed", sorted(PROBES), indirect=True)
def test_a_forbidden_import_breaks_its_contract(probed: Path, request: pytest.FixtureRequest) -> None:
    contract_id = request.node.callspec.params["probed"]
    result = lint_imports(contract_id, package_parent=probed)
    report = result.stdout + result.stderr
    assert result.returncode == 1, report
    assert f"{contracts()[contract_id]} BROKEN" in " ".join(report.split()), report
    for expected in PROBES[contract_id][1]:
        assert expected in report, report


def test_no_command_builds_its_own_base() -> None:
    """The identity base is a setting: a module that makes a `Base` of the default mints under it whatever
    AIREGISTER_BASE_IRI says (an importer once did). `Base` takes its IRI (mypy holds every call to that);
    only Settings names the default."""
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in sorted(PACKAGE.rglob("*.py"))
        if "DEFAULT_BASE" in path.read_text("utf-8") and path.name not in ("namespaces.py", "settings.py")
    ]
    assert offenders == []
