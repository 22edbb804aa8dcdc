"""Every content file survives a round trip through Turtle, N-Triples and JSON-LD unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from airegister.content.load import rdf_files
from airegister.rdf.io import rdf_format

REPO = Path(__file__).resolve().parents[1]
SYNTAXES = ("turtle", "nt", "json-ld")


def content_files(root: Path) -> list[Path]:
    return [p for name in ("ontology", "shapes", "data") for p in rdf_files(root / name)]


def assert_round_trips(path: Path) -> None:
    original = Graph().parse(path, format=rdf_format(path))
    assert len(original) > 0, f"{path} is empty"
    for syntax in SYNTAXES:
        text = original.serialize(format=syntax)
        again = Graph().parse(data=text, format=syntax)
        assert isomorphic(original, again), f"{path} changed through {syntax}"


@pytest.mark.parametrize("path", content_files(REPO), ids=lambda p: p.relative_to(REPO).as_posix())
def test_shipped_file_round_trips(path: Path) -> None:
    assert_round_trips(path)


def test_shipped_content_is_there() -> None:
    files = content_files(REPO)
    assert any(p.parent.name == "projects" for p in files)
    assert any(p.parts[-2:] == ("data", "charter.ttl") for p in files)


def test_generated_files_round_trip(tmp_path: Path) -> None:
    """The generator's own Turtle writer produces files that survive every syntax too."""
    import subprocess
    import sys

    root = tmp_path / "generated"
    generator = REPO / "benchmarks" / "generate.py"
    subprocess.run([sys.executable, str(generator), "40", "--out", str(root), "--seed", "11", "--quiet"], check=True)
    generated = [*sorted((root / "data" / "projects").glob("gen-*.ttl")), root / "data" / "organisations-generated.ttl"]
    assert len(generated) == 41
    for path in generated:
        assert_round_trips(path)
