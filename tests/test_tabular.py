"""projects.csv and its CSVW metadata: profile 2's columns after the old ones, described, deterministic."""

from __future__ import annotations

import csv
import functools
import http.server
import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from accountability_fixture import ORGANISATIONS_FILE, PROJECT, PROJECT_FILE, accountability_root
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from airegister.content.load import load
from airegister.publish.datasets import dataset_specs
from airegister.publish.derived import current_assessments
from airegister.publish.tabular import write_tables
from airegister.publish.writer import Writer
from airegister.rdf.languages import Labels
from airegister.rdf.namespaces import DEFAULT_BASE, Base

B = DEFAULT_BASE
STATUS = f"{B}id/assessment-status/"
# The header of profile 1, which reusers read by position and by name: it must not change.
PROFILE_1_COLUMNS = [
    "iri", "identifier", "title_en", "title_fr", "title_nl", "title_de",
    "description_en", "description_fr", "description_nl", "description_de",
    "deployer", "deployer_iri", "phase", "phase_iri", "domain", "domain_iri", "type", "type_iri",
    "technique", "technique_iri", "capability", "capability_iri", "risk_level", "risk_level_iri",
    "principles", "principles_iri", "start", "end", "keywords", "landing_page", "modified",
]  # fmt: skip


def write_csv(root: Path, out: Path) -> tuple[list[dict[str, str]], dict[str, object]]:
    """The build's projects.csv of a content root, rows keyed by column name, and its CSVW metadata."""
    content = load(root, Base(DEFAULT_BASE))
    write_tables(Writer(out), content, dataset_specs(content), "en", Labels(content.union()))
    metadata = json.loads((out / "dumps" / "projects.csv-metadata.json").read_text("utf-8"))
    names = [column["name"] for column in metadata["tableSchema"]["columns"] if not column.get("virtual")]
    reader = csv.reader(io.StringIO((out / "dumps" / "projects.csv").read_text("utf-8")))
    next(reader)
    return [dict(zip(names, row, strict=True)) for row in reader], metadata


def columns_of(metadata: dict[str, object]) -> dict[str, dict[str, object]]:
    schema = metadata["tableSchema"]
    assert isinstance(schema, dict)
    return {column["name"]: column for column in schema["columns"]}


@pytest.fixture(scope="module")
def fixture_root(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return accountability_root(repo_root, tmp_path_factory.mktemp("content") / "root")


@pytest.fixture(scope="module")
def table(fixture_root: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict[str, str]], dict]:  # type: ignore[type-arg]
    return write_csv(fixture_root, tmp_path_factory.mktemp("out"))


def test_the_old_columns_keep_their_names_and_places(table: tuple[list[dict[str, str]], dict]) -> None:  # type: ignore[type-arg]
    _, metadata = table
    names = list(columns_of(metadata))
    assert names[: len(PROFILE_1_COLUMNS)] == PROFILE_1_COLUMNS
    assert len(names) > len(PROFILE_1_COLUMNS) + 20


def test_the_fictional_row_carries_its_accountability_facts(table: tuple[list[dict[str, str]], dict]) -> None:  # type: ignore[type-arg]
    rows, _ = table
    (row,) = [r for r in rows if r["iri"] == str(PROJECT)]
    assert row["decision_role_iri"] == f"{B}id/decision-role/decision-support"
    assert row["decision_role"] == "Decision support"
    assert row["risk_level_iri"] == "https://w3id.org/dpv/legal/eu/aiact#RiskLevelHigh"
    assert row["high_risk_category_iri"] == f"{B}id/high-risk-category/annex-iii-5-a"
    assert row["registration_status_iri"] == f"{B}id/registration-status/registered"
    assert row["eu_database_entry"] == "https://example.org/eu-database/fictional-entry-0001"
    flags = ("personal_data", "dpia_done", "fria_done", "bias_tested", "human_alternative")
    assert {flag: row[flag] for flag in flags} == dict.fromkeys(flags, "true")
    assert row["solely_automated_decision"] == row["special_categories"] == "false"
    assert row["withheld"] == f"{B}ns#riskManagement"
    # principle 1 was assessed twice: the later assessment (addressed) is current; p3 is not assessed
    assert row["charter_p1_iri"] == STATUS + "addressed" and row["charter_p1"] == "Addressed"
    assert row["charter_p2_iri"] == STATUS + "partly-addressed"
    assert row["charter_p3_iri"] == "" and row["charter_p3"] == ""
    assert row["charter_p4_iri"] == STATUS + "not-applicable"
    assert row["deployer_identifier"] == ""  # the fictional office has no KBO number


def test_the_seed_rows_get_no_new_fact_but_the_deployers_kbo_number(
    table: tuple[list[dict[str, str]], dict],  # type: ignore[type-arg]
    repo_root: Path,
) -> None:
    rows, metadata = table
    new = [name for name in columns_of(metadata) if name not in PROFILE_1_COLUMNS and name != "record_type"]
    seed = [r for r in rows if r["iri"] != str(PROJECT)]
    assert len(seed) == 79
    for row in seed:
        assert {name: row[name] for name in new if row[name] and name != "deployer_identifier"} == {}, row["iri"]
    (bosa,) = [r for r in seed if r["identifier"] == "pstw-1806"]
    assert bosa["deployer_identifier"] == "0671.516.647"
    data = Graph()
    for path in (repo_root / "data").rglob("*.ttl"):
        data.parse(path, format="turtle")
    for row in seed:
        deployers = data.objects(URIRef(row["iri"]), URIRef("https://w3id.org/dpv/tech#hasDeployer"))
        numbers = sorted(str(n) for d in deployers for n in data.objects(d, DCTERMS.identifier))
        assert row["deployer_identifier"] == " ".join(numbers), row["iri"]


def test_each_new_column_is_titled_and_described(table: tuple[list[dict[str, str]], dict]) -> None:  # type: ignore[type-arg]
    _, metadata = table
    columns = columns_of(metadata)
    for name, column in columns.items():
        if name in PROFILE_1_COLUMNS or name == "record_type":
            continue
        assert column["titles"] and column["dc:description"], name
        assert column["suppressOutput"] is True, name  # two steps from the row's subject: not one CSVW triple
    assert columns["fria_done"]["datatype"] == {"base": "boolean", "format": "true|false"}
    assert "ns#fria" in str(columns["fria_done"]["dc:description"])
    assert "charter/p2" in str(columns["charter_p2_iri"]["dc:description"])


def test_the_csv_still_reads_back_through_its_csvw_metadata(fixture_root: Path, tmp_path: Path) -> None:
    """The new columns' datatypes hold for every cell, and they add no triple of their own."""
    import csvw_functions

    write_csv(fixture_root, tmp_path)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path / "dumps"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/projects.csv-metadata.json"
        ntriples = csvw_functions.create_rdf(csvw_functions.create_annotated_table_group(url), mode="minimal")
    finally:
        server.shutdown()
        server.server_close()
    graph = Graph().parse(data=ntriples, format="nt")
    assert len(set(graph.subjects(RDF.type, None))) == 80
    assert not {p for p in graph.predicates() if str(p).startswith(f"{B}ns#") and p != URIRef(f"{B}ns#AIProject")}
    assert str(graph.value(PROJECT, DCTERMS.identifier)) == "be-2099-0001"


def test_a_fifth_principle_in_the_charter_adds_a_column(repo_root: Path, tmp_path: Path) -> None:
    """Issue #15 point 8: adding principle 5 to data/charter.ttl is all it takes."""
    root = accountability_root(repo_root, tmp_path / "root")
    with (root / "data" / "charter.ttl").open("a", encoding="utf-8") as charter:
        charter.write(
            f"\n<{B}id/charter/p5> a <http://www.w3.org/2004/02/skos/core#Concept> ;\n"
            f"    <http://www.w3.org/2004/02/skos/core#inScheme> <{B}id/charter> ;\n"
            '    <http://www.w3.org/2004/02/skos/core#prefLabel> "Fifth principle (test only)"@en .\n'
        )
    with (root / "data" / "projects" / "be-2099-0001.ttl").open("a", encoding="utf-8") as record:
        assessment = f"<{PROJECT}#assessment-p5-2026-02-01>"
        record.write(
            f"\n<{PROJECT}> <https://w3id.org/dpv#hasAssessment> {assessment} .\n"
            f"{assessment} <http://purl.org/dc/terms/subject> <{B}id/charter/p5> ;\n"
            '    <http://purl.org/dc/terms/date> "2026-02-01"^^<http://www.w3.org/2001/XMLSchema#date> ;\n'
            f"    <https://w3id.org/dpv#hasStatus> <{STATUS}not-yet-addressed> .\n"
        )
    rows, metadata = write_csv(root, tmp_path / "out")
    names = list(columns_of(metadata))
    assert names[names.index("charter_p4_iri") + 1 : names.index("charter_p4_iri") + 3] == [
        "charter_p5",
        "charter_p5_iri",
    ]
    fifth = columns_of(metadata)["charter_p5"]
    assert fifth["titles"] == "Charter principle p5, current assessment"
    assert "Fifth principle (test only)" in str(fifth["dc:description"])
    (row,) = [r for r in rows if r["iri"] == str(PROJECT)]
    assert row["charter_p5_iri"] == STATUS + "not-yet-addressed"


def test_the_csv_is_the_same_bytes_whatever_the_hash_seed(fixture_root: Path, tmp_path: Path) -> None:
    script = (
        "import sys; from pathlib import Path; sys.path.insert(0, 'tests'); "
        "from test_tabular import write_csv; write_csv(Path(sys.argv[1]), Path(sys.argv[2]))"
    )
    outputs = []
    for seed in ("1", "2"):
        subprocess.run(
            [sys.executable, "-c", script, str(fixture_root), str(tmp_path / seed)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=Path(__file__).parents[1],
            check=True,
        )
        dumps = tmp_path / seed / "dumps"
        outputs.append([(dumps / name).read_bytes() for name in ("projects.csv", "projects.csv-metadata.json")])
    assert outputs[0] == outputs[1]


def append(root: Path, path: str, turtle: str) -> None:
    with (root / path).open("a", encoding="utf-8") as file:
        file.write("\n" + turtle)


def test_a_principle_label_was_in_its_column_title(repo_root: Path, tmp_path: Path) -> None:
    """A fix to a principle's label changes the column's description, never its title (reusers read titles)."""
    root = accountability_root(repo_root, tmp_path / "root")
    _, before = write_csv(root, tmp_path / "before")
    charter = root / "data" / "charter.ttl"
    graph = Graph().parse(charter, format="turtle")
    p1 = URIRef(f"{B}id/charter/p1")
    (old,) = [label for label in graph.objects(p1, SKOS.prefLabel) if label.language == "en"]  # type: ignore[attr-defined]
    graph.remove((p1, SKOS.prefLabel, old))
    graph.add((p1, SKOS.prefLabel, Literal("Relabelled first principle (test only)", lang="en")))
    graph.serialize(charter, format="turtle")
    _, after = write_csv(root, tmp_path / "after")
    titles = [column.get("titles") for column in columns_of(after).values()]
    assert titles == [column.get("titles") for column in columns_of(before).values()]
    assert columns_of(after)["charter_p1"]["titles"] == "Charter principle p1, current assessment"
    assert columns_of(after)["charter_p1_iri"]["titles"] == "Charter principle p1, current assessment (IRI)"
    for name in ("charter_p1", "charter_p1_iri"):
        assert str(old) in str(columns_of(before)[name]["dc:description"])
        assert "Relabelled first principle (test only)" in str(columns_of(after)[name]["dc:description"])
    with (tmp_path / "after" / "dumps" / "projects.csv").open(encoding="utf-8") as written:
        assert "Charter principle p1, current assessment" in written.readline()


def test_kbo_numbers_were_sorted_apart_from_their_deployers(repo_root: Path, tmp_path: Path) -> None:
    """With two deployers, the nth number is the nth deployer's of the deployer_iri column (was: numbers sorted)."""
    root = accountability_root(repo_root, tmp_path / "root")
    office, services = (f"{B}id/organisation/fictional-{name}" for name in ("benefits-office", "it-services"))
    identifier = "<http://purl.org/dc/terms/identifier>"
    append(
        root,
        ORGANISATIONS_FILE,
        f'<{office}> {identifier} "0999.999.999" .\n<{services}> {identifier} "0100.000.001" .\n',
    )
    append(root, PROJECT_FILE, f"<{PROJECT}> <https://w3id.org/dpv/tech#hasDeployer> <{services}> .\n")
    rows, _ = write_csv(root, tmp_path / "out")
    (row,) = [r for r in rows if r["iri"] == str(PROJECT)]
    assert row["deployer_iri"] == f"{office} {services}"
    assert row["deployer_identifier"] == "0999.999.999 0100.000.001"


def test_an_undated_assessment_was_taken_for_the_current_one(repo_root: Path, tmp_path: Path) -> None:
    """The CSV's current assessment is the build's (publish/derived.py): one without a date is the oldest."""
    root = accountability_root(repo_root, tmp_path / "root")
    undated = f"<{PROJECT}#assessment-p2-undated>"
    append(
        root,
        PROJECT_FILE,
        f"<{PROJECT}> <https://w3id.org/dpv#hasAssessment> {undated} .\n"
        f"{undated} <http://purl.org/dc/terms/subject> <{B}id/charter/p2> ;\n"
        f"    <https://w3id.org/dpv#hasStatus> <{STATUS}not-yet-addressed> .\n",
    )
    rows, _ = write_csv(root, tmp_path / "out")
    (row,) = [r for r in rows if r["iri"] == str(PROJECT)]
    assert row["charter_p2_iri"] == STATUS + "partly-addressed"  # the dated assessment of 2026-01-15
    content = load(root, Base(DEFAULT_BASE))
    graph = content.union()
    current = current_assessments(graph, PROJECT)[URIRef(f"{B}id/charter/p2")]
    assert str(graph.value(current, URIRef("https://w3id.org/dpv#hasStatus"))) == row["charter_p2_iri"]
