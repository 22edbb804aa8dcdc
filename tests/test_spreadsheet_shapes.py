"""The spreadsheet and the shapes agree: every value a drop-down offers passes validation on its field, and
a finding of profile 2's rules reaches the curator as a fix in the sheet's own words.

Works on the shipped content plus the fictional accountability fixture (tests/fixtures/accountability/).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from accountability_fixture import PROJECT_FILE, REF, accountability_root
from openpyxl import load_workbook
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from test_spreadsheet import run
from test_spreadsheet_accountability import offered, row_where, sheet_of

from airegister.cli import main
from airegister.content.load import load
from airegister.content.validation import validate_content
from airegister.importers.spreadsheet.columns import COLUMN_ORDER, Kind, shape_path
from airegister.importers.spreadsheet.fixes import FIXES
from airegister.importers.spreadsheet.model import SheetModel, models
from airegister.rdf.namespaces import DEFAULT_BASE, Base


@pytest.fixture(scope="module")
def pristine(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return accountability_root(repo_root, tmp_path_factory.mktemp("shapes") / "root")


@pytest.fixture(scope="module")
def workbook(pristine: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "register.xlsx"
    assert main(["export", "spreadsheet", str(path), "--root", str(pristine)]) == 0
    return path


def _fixture_copy(text: str, number: int) -> tuple[URIRef, Graph]:
    """The fixture project under another identifier."""
    ref = f"be-2099-{number:04d}"
    return URIRef(f"{DEFAULT_BASE}id/project/{ref}"), Graph().parse(data=text.replace(REF, ref), format="turtle")


def _set(graph: Graph, project: URIRef, model: SheetModel, key: str, value: URIRef) -> None:
    """Put `value` in the field `key` of the project (of its first charter assessment for the Charter sheet)."""
    node = project
    column = model.column(key)
    for step in (*model.table.via, *column.path[:-1]):
        node = sorted(graph.objects(node, step))[0]  # type: ignore[assignment]
    graph.remove((node, column.prop, None))
    graph.add((node, column.prop, value))


Offer = tuple[SheetModel, str, tuple[URIRef, ...], list[URIRef]]  # model, column key, full path, values offered


def _offers(pristine: Path, workbook: Path, shapes: Graph) -> list[Offer]:
    """Every drop-down of the Projects and Charter sheets with the values it offers (read from the workbook);
    where the shapes list the values of its path (sh:in), it offers each of them."""
    loaded = models(load(pristine, Base(DEFAULT_BASE)))
    book = load_workbook(workbook)
    offers: list[Offer] = []
    for sheet_name, name in (("Projects", "projects"), ("Charter", "charter")):
        model = loaded[name]
        sheet, header = sheet_of(book, sheet_name)
        for column in model.columns:
            if column.kind not in (Kind.CONCEPT, Kind.ORGANISATION) or column.open:
                continue
            labels = offered(book, sheet, header[model.header(column, "en")])
            values = {label: model.values[column.key].find(label) for label in labels}
            assert all(len(v) == 1 for v in values.values()), (column.key, values)
            iris = {v[0] for v in values.values()}
            full = model.table.via + column.path
            listed = [
                set(Collection(shapes, items))
                for shape in shapes.subjects(SH["in"], None)
                if isinstance(shape, URIRef) and shape_path(shapes, shape) == full  # a rule, not a part of one
                for items in shapes.objects(shape, SH["in"])
            ]
            if listed:
                assert iris == set.intersection(*listed), column.key
            offers.append((model, column.key, full, sorted(iris)))
    return offers


def test_every_value_a_drop_down_offers_passes_the_shapes_on_its_field(pristine: Path, workbook: Path) -> None:
    """Regression: the risk-level drop-down offered DPV's nine AI Act levels; the shapes (V3) accept five."""
    content = load(pristine, Base(DEFAULT_BASE))
    offers = _offers(pristine, workbook, content.shapes)
    assert {"risk_level", "high_risk_category", "decision_role", "fria_declared_by", "ai_act_withheld",
            "registration_status", "registration_submitter", "principle", "status", "assessor"} <= {
            key for _m, key, _f, _v in offers}  # fmt: skip
    text = (pristine / PROJECT_FILE).read_text(encoding="utf-8")
    # Copy k of the fixture holds the k-th value of every drop-down (one validation, not one per value); the
    # risk level, which other fields' rules depend on, gets copies of its own (the others keep 'high').
    copies: dict[int, tuple[URIRef, Graph]] = {}
    cases: dict[tuple[str, tuple[URIRef, ...]], tuple[str, URIRef]] = {}
    for model, key, full, iris in offers:
        for k, iri in enumerate(iris):
            number = 2 + k + (500 if key == "risk_level" else 0)
            project, graph = copies.setdefault(number, _fixture_copy(text, number))
            _set(graph, project, model, key, iri)
            cases[(str(project), full)] = (key, iri)
    everything = Graph()
    for _project, graph in copies.values():
        everything += graph

    report = validate_content(content, changed={pristine / "data/projects/drop-downs.ttl": everything})

    refused = set()
    for finding in report.findings:
        if finding.severity != "violation" or not finding.shape:
            continue
        project = finding.record.split("#")[0]
        case = cases.get((project, shape_path(content.shapes, URIRef(finding.shape)) or ()))
        if case:
            refused.add((*case, finding.message))
    assert not refused, sorted(refused)


# ------------------------------------------------------------------------------------------ fixes


@pytest.fixture
def root(pristine: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(pristine, tmp_path / "root"))


def _import_edited(
    root: Path, workbook: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], cells: dict[str, object]
) -> tuple[int, str]:
    """Import the workbook with the fixture's Projects row edited (English header -> value)."""
    book = load_workbook(workbook)
    projects, col = sheet_of(book, "Projects")
    row = row_where(projects, Identifier=REF)
    for header, value in cells.items():
        projects.cell(row, col[header]).value = value
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    return run(capsys, "import", "spreadsheet", str(edited), "--root", str(root))


def _fix_of(out: str, column: str, start: str) -> str:
    """The fix ('-- ...') of the problem on `column` whose message starts with `start`."""
    line = next(line for line in out.splitlines() if f" {column!r}: {start}" in line)
    return line.split(" -- ", 1)[1]


def test_a_contradiction_s_fix_names_the_sheet_s_columns_not_turtle(
    root: Path, workbook: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression: V7-V12's fixes (written in Turtle in the shapes) read 'fill in or correct <column>'."""
    code, out = _import_edited(root, workbook, tmp_path, capsys, {
        "Risk level (AI Act)": "Risk Level - Minimal",  # the fixture's FRIA now contradicts it (V7)
        "Purpose and decision role: decision role": "Decision support",  # yet decides without a person (V10)
        "Purpose and decision role: decision without human intervention": "yes",
        "Data-protection impact assessment: carried out": "no",  # with a date (V12)
    })  # fmt: skip
    assert code == 1, out
    assert _fix_of(out, "Fundamental-rights impact assessment: carried out", "") == (
        "Set 'Risk level (AI Act)' to 'Risk Level - High' if the system is high-risk, else empty the "
        "'Fundamental-rights impact assessment: ...' columns"
    )
    assert _fix_of(out, "Purpose and decision role: decision role", "The project says it takes decisions") == (
        "Set 'Purpose and decision role: decision role' to 'Automatic decision', or set "
        "'Purpose and decision role: decision without human intervention' to no"
    )
    assert _fix_of(out, "Data-protection impact assessment: carried out", "") == (
        "Set 'Data-protection impact assessment: carried out' to yes if it was done, or empty "
        "'Data-protection impact assessment: date'"
    )


def test_a_gap_s_fix_names_the_sheet_s_columns(
    root: Path, workbook: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """W6 (an automatic decision without a word on human oversight) names the oversight columns."""
    empty: dict[str, object] = {
        f"Human oversight: {what} ({lang})": None
        for lang in COLUMN_ORDER
        for what in ("who oversees", "when oversight happens", "how oversight works")
    }
    decides = {"Purpose and decision role: decision role": "Automatic decision",
               "Purpose and decision role: decision without human intervention": "yes"}  # fmt: skip
    code, out = _import_edited(root, workbook, tmp_path, capsys, {**empty, **decides})
    assert code == 0, out
    assert _fix_of(out, "Human oversight: how oversight works (fr)", "The project decides automatically") == (
        "Say who can override or review, when and how in 'Human oversight: who oversees' (fr/nl/de/en), "
        "'Human oversight: when oversight happens' (fr/nl/de/en) and 'Human oversight: how oversight works' "
        "(fr/nl/de/en)"
    )


def test_every_fix_names_columns_the_sheets_have(pristine: Path) -> None:
    """A fix naming a column no sheet has would silently fall back to the generic words."""
    keys = {c.key for m in models(load(pristine, Base(DEFAULT_BASE))).values() for c in m.columns}
    named = {p.split("=")[0] for text in FIXES.values() for p in re.findall(r"\{([^{}]+)\}", text)}
    unknown = {k for k in named if k != "column" and not k.startswith("@") and k.removesuffix("*") + "en" not in keys
               and k not in keys}  # fmt: skip
    assert not unknown


def test_a_missing_declaration_is_reported_on_its_own_column(
    root: Path, workbook: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """W10 lands on {prefix}_declared_by / {prefix}_confirmed (it landed on the group's first column)."""
    emptied = {"Human oversight: declared by": None, "Legal framework: last confirmed": None}
    code, out = _import_edited(root, workbook, tmp_path, capsys, emptied)
    assert code == 0, out
    for header in emptied:
        warning = next(line for line in out.splitlines() if line.startswith("warning:") and f" {header!r}: " in line)
        assert warning.endswith(f"-- Fill in {header!r}: who declared the group's facts, and when they last "
                                "confirmed them"), warning  # fmt: skip


def test_the_annex_category_drop_down_lists_each_area_before_its_points(workbook: Path) -> None:
    """Regression: sorted by label without point numbers, Annex III's areas and points were mixed."""
    book = load_workbook(workbook)
    projects, col = sheet_of(book, "Projects")
    number = col["AI Act: high-risk category"]
    validation = next(
        v for v in projects.data_validations.dataValidation if min(r.min_col for r in v.sqref.ranges) == number
    )
    start, end = re.findall(r"\$([A-Z]+)\$(\d+)", validation.formula1)
    shown = [str(book["lists"][f"{start[0]}{n}"].value) for n in range(int(start[1]), int(end[1]) + 1)]
    points = [label.split(" ", 1)[0] for label in shown]
    assert points[:6] == ["I", "III.1", "III.1(a)", "III.1(b)", "III.1(c)", "III.2"], shown
    assert points[-3:] == ["III.8", "III.8(a)", "III.8(b)"], shown
