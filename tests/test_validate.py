"""`airegister validate`: the shipped data conforms, each invalid example fails for its named reason,
and the report tells a curator where and how to fix a record."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from airegister.cli import main

SHAPES_NS = "https://w3id.org/be-ai-register/shapes#"
EXAMPLES = Path(__file__).parent / "examples"
INVALID = sorted((EXAMPLES / "invalid").glob("*.ttl"))
VALID = sorted((EXAMPLES / "valid").glob("*.ttl"))


def run_validate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["validate", *args])
    return code, capsys.readouterr().out


def expected_shape(path: Path) -> str:
    match = re.search(r"^# expect: shp:(\S+)", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert match, f"{path.name} must name the shape it violates in a '# expect: shp:...' line"
    return SHAPES_NS + match.group(1)


def test_shipped_data_conforms(repo_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_validate(capsys, "--root", str(repo_root))
    assert code == 0, out
    assert "conforms" in out


def test_examples_exist() -> None:
    assert len(VALID) >= 3 and len(INVALID) >= 15


def _typed_subjects(path: Path) -> set[object]:
    from rdflib import Graph
    from rdflib.namespace import RDF

    return set(Graph().parse(path, format="turtle").subjects(RDF.type, None))


@pytest.fixture(scope="session")
def violations_by_example(repo_root: Path) -> dict[Path, set[str]]:
    """The shapes each example violates, validated next to the shipped content like `validate FILE` does.

    Examples go through in a few batches rather than one run each (each run validates the whole
    register); files that describe the same subject never share a batch, so no example sees another.
    """
    from airegister.content.load import load
    from airegister.content.validation import validate_content
    from airegister.rdf.namespaces import DEFAULT_BASE, Base

    batches: list[tuple[list[Path], set[object]]] = []
    for path in [*VALID, *INVALID]:
        subjects = _typed_subjects(path)
        batch = next((b for b in batches if not b[1] & subjects), None)
        if batch is None:
            batches.append(([path], set(subjects)))
        else:
            batch[0].append(path)
            batch[1].update(subjects)
    verdicts: dict[Path, set[str]] = {}
    for paths, _subjects in batches:
        content = load(repo_root, Base(DEFAULT_BASE), extra=paths)
        report = validate_content(content)
        assert not report.parse_problems, report.parse_problems
        for path in paths:
            name = content.relative(path)
            verdicts[path] = {f.shape or "" for f in report.findings if f.severity == "violation" and f.file == name}
    return verdicts


@pytest.mark.parametrize("example", VALID, ids=lambda p: p.name)
def test_valid_example_conforms(example: Path, violations_by_example: dict[Path, set[str]]) -> None:
    assert violations_by_example[example] == set()


@pytest.mark.parametrize("example", INVALID, ids=lambda p: p.name)
def test_invalid_example_fails_with_named_shape(example: Path, violations_by_example: dict[Path, set[str]]) -> None:
    assert violations_by_example[example] == {expected_shape(example)}


def test_validate_command_on_one_invalid_example(repo_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    example = INVALID[0]
    code, out = run_validate(capsys, "--root", str(repo_root), "--format", "json", str(example))
    report = json.loads(out)
    assert code == 1
    assert {f["shape"] for f in report["findings"] if f["severity"] == "violation"} == {expected_shape(example)}


def test_report_names_file_record_field_and_fix(
    repo_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = tmp_path / "no-title.ttl"
    text = (EXAMPLES / "valid" / sorted(p.name for p in VALID)[0]).read_text(encoding="utf-8")
    record.write_text(re.sub(r"\bdct:title\b[^;]*;", "", text, count=1), encoding="utf-8")
    code, out = run_validate(capsys, "--root", str(repo_root), str(record))
    assert code == 1
    assert str(record) in out
    assert re.search(r"record <https://w3id\.org/be-ai-register/id/project/[^>]+>", out)
    assert re.search(r"VIOLATION: title: ", out)
    assert "fix: " in out


def test_parse_error_names_file_and_line(repo_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        '@prefix dct: <http://purl.org/dc/terms/> .\n\n<https://example.org/x> dct:title "open\n', "utf-8"
    )
    code, out = run_validate(capsys, "--root", str(repo_root), str(broken))
    assert code == 2
    assert re.search(rf"{re.escape(str(broken))}:\d+: ERROR: cannot parse", out)


def test_missing_content_root_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", "--root", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert "not a content root" in err and "--root" in err


def test_warnings_never_fail(repo_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    minimal = [p for p in VALID if "minimal" in p.name]
    assert minimal, "a minimal valid example (mandatory fields only) is expected"
    code, out = run_validate(capsys, "--root", str(repo_root), "--format", "json", str(minimal[0]))
    report = json.loads(out)
    assert report["warnings"] > 0 and code == 0


def test_console_script_exit_codes(repo_root: Path) -> None:
    invalid = subprocess.run(
        [sys.executable, "-m", "airegister.cli", "validate", "--root", str(repo_root), str(INVALID[0])],
        capture_output=True,
        text=True,
        check=False,
    )
    assert invalid.returncode == 1, invalid.stdout + invalid.stderr
    assert "VIOLATION" in invalid.stdout


def test_chunked_parallel_validation_finds_the_same_as_one_run(tmp_path: Path) -> None:
    """Large content is validated in chunks over processes; the findings must not change."""
    from airegister.content.load import load
    from airegister.content.validation import validate_content
    from airegister.rdf.namespaces import DEFAULT_BASE, Base

    root = tmp_path / "root"
    generator = Path(__file__).parents[1] / "benchmarks" / "generate.py"
    subprocess.run([sys.executable, str(generator), "60", "--out", str(root), "--seed", "3", "--quiet"], check=True)
    projects = sorted((root / "data" / "projects").glob("gen-*.ttl"))
    broken = {
        projects[5]: ("dct:title", "dct:alternative"),
        projects[41]: ("adms:status", "dct:conformsTo"),
        projects[50]: ('"gen-000051"', '"gen-000003"'),  # a duplicate identifier far from its twin
    }
    for path, (old, new) in broken.items():
        path.write_text(path.read_text("utf-8").replace(old, new, 1), "utf-8")
    content = load(root, Base(DEFAULT_BASE))
    whole = validate_content(content, chunk_records=10_000)
    chunked = validate_content(content, chunk_records=15)

    def key(f: object) -> tuple[object, ...]:
        return tuple(getattr(f, name) for name in ("severity", "file", "record", "shape", "message", "value"))

    shapes = {f.shape.rsplit("#", 1)[-1] for f in whole.findings if f.severity == "violation" and f.shape}
    assert {"Project-title", "Project-phase", "Project-identifier-unique", "Project-identifier-iri"} <= shapes
    assert sorted(map(key, chunked.findings)) == sorted(map(key, whole.findings))
