"""The spreadsheet and the shapes agree: every value a drop-down offers passes validation on its field, and
a finding of profile 2's rules reaches the curator as a fix in the sheet's own words.

Works on the shipped content plus the fictional accountability fixture (tests/fixtures/accountability/).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from accountability_fixture import PROJECT_FILE, REF, accountability_root
from openpyxl import load_workbook
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from test_spreadsheet_accountability import offered, sheet_of

from airegister.cli import main
from airegister.content.load import load
from airegister.content.validation import validate_content
from airegister.importers.spreadsheet.columns import Kind, shape_path
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
