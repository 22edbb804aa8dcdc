"""The documents stay true: the README's settings table matches `Settings` (one row per field, no other row, the
defaults it states), and docs/architecture.md's module map names every module and package, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from airegister.settings import Settings

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
ARCHITECTURE = REPO / "docs" / "architecture.md"
PACKAGE = REPO / "src" / "airegister"
ROW = re.compile(r"^\|\s*`AIREGISTER_(?P<name>[A-Z0-9_]+)`\s*\|\s*`(?P<default>[^`]*)`\s*\|")


def section(path: Path, heading: str) -> str:
    """The text under `## heading`, up to the next second-level heading."""
    return path.read_text(encoding="utf-8").split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]


def settings_table() -> dict[str, str]:
    """Field name -> documented default, from the rows of the README's "Settings" section."""
    rows: dict[str, str] = {}
    for line in section(README, "Settings").splitlines():
        if line.startswith("|") and "AIREGISTER_" in line:
            match = ROW.match(line)
            assert match, f"a settings row must read | `AIREGISTER_NAME` | `default` | meaning |: {line}"
            name = match["name"].lower()
            assert name not in rows, f"AIREGISTER_{match['name']} is listed twice"
            rows[name] = match["default"]
    return rows


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented(name: str) -> None:
    assert name in settings_table(), f"AIREGISTER_{name.upper()} is missing from the README's settings table"


def test_the_table_lists_only_settings() -> None:
    assert set(settings_table()) <= set(Settings.model_fields)


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_the_documented_default_is_the_default(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Setting the variable to the documented default changes nothing."""
    documented = settings_table().get(name)
    assert documented is not None, f"AIREGISTER_{name.upper()} is missing from the README's settings table"
    monkeypatch.setenv(f"AIREGISTER_{name.upper()}", documented)
    assert getattr(Settings(), name) == Settings.model_fields[name].get_default(call_default_factory=True)


def module_map() -> set[str]:
    """Paths relative to src/airegister/ named by the map's tree (two spaces of indent a level; folders end in /)."""
    tree = section(ARCHITECTURE, "Module map").split("```text\n", 1)[1].split("```", 1)[0]
    lines = tree.splitlines()
    assert lines[0] == "airegister/", "the map starts at airegister/"
    folders: list[str] = []
    named: set[str] = set()
    for line in lines[1:]:
        indent = len(line) - len(line.lstrip(" "))
        assert indent % 2 == 0 and 2 <= indent <= 2 * (len(folders) + 1), f"misplaced in the map: {line!r}"
        del folders[indent // 2 - 1 :]
        name = line.split()[0]
        named.add("/".join([*folders, name.rstrip("/")]))
        if name.endswith("/"):
            folders.append(name.rstrip("/"))
    return named


def test_the_module_map_names_every_module_and_package() -> None:
    modules = {str(path.relative_to(PACKAGE).with_suffix("")) for path in PACKAGE.rglob("*.py")}
    packages = {name.removesuffix("/__init__") for name in modules if name.endswith("__init__") and "/" in name}
    expected = {name + ".py" for name in modules if not name.endswith("__init__")} | packages
    missing = sorted(expected - module_map())
    assert not missing, f"missing from docs/architecture.md's module map: {missing}"


def test_the_module_map_names_only_what_exists() -> None:
    stale = sorted(name for name in module_map() if not (PACKAGE / name).exists())
    assert not stale, f"docs/architecture.md's module map names what src/airegister/ does not hold: {stale}"


DOCUMENTS = [README, *sorted((REPO / "docs").glob("*.md"))]
LINK = re.compile(r"\]\((?!https?:|mailto:|#)(?P<target>[^)#\s]+)")
MODULE = re.compile(r"`(?P<path>[\w/]+\.py)`")


def module_exists(path: str) -> bool:
    """A module named by its path from the repository or from src/airegister/, or by a bare file name that
    only one module has (an old name such as `routes.py` must not pass because another package has one)."""
    if "/" not in path:
        return len(list(PACKAGE.rglob(path))) == 1 or (REPO / path).exists()
    return (REPO / path).exists() or (PACKAGE / path).exists()


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_links_and_modules_in_the_documents_exist(document: Path) -> None:
    text = document.read_text(encoding="utf-8")
    links = {match["target"] for match in LINK.finditer(text) if not (document.parent / match["target"]).exists()}
    modules = {match["path"] for match in MODULE.finditer(text) if not module_exists(match["path"])}
    missing = sorted(links | modules)
    assert not missing, f"{document.name} names files that do not exist: {missing}"
