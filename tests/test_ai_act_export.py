"""`airegister export ai-act`: the deployers' registrations (AI Act Annex VIII Section C), what each lacks."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from accountability_fixture import DEPLOYER, PROJECT, PROJECT_FILE, SUBMITTER, accountability_root
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from airegister.cli import main

B = "https://w3id.org/be-ai-register/"
NS = f"{B}ns#"
EU_AIACT = "https://w3id.org/dpv/legal/eu/aiact#"
TECH_DEPLOYER = "https://w3id.org/dpv/tech#hasDeployer"
VCARD = "http://www.w3.org/2006/vcard/ns#"
FRIA_PARTS = ("summary", "a_processes", "b_period", "c_affected", "d_risks", "e_oversight", "f_measures")
# Which group's withholding covers which exported field (docs/ai-act.md).
GROUP_OF = {
    "high_risk_category": "ai_act",
    "registration_status": "ai_act",
    "c2_submitter": "ai_act",
    "c3_provider_entry_url": "ai_act",
    **{f"c4_fria_{part}": "fria" for part in FRIA_PARTS},
    "c5_dpia_summary": "dpia",
}


@pytest.fixture
def export(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str]]:
    """Runs the command line; returns the exit code and what it printed on stderr."""

    def run(root: Path, target: Path, *flags: str) -> tuple[int, str]:
        capsys.readouterr()
        code = main(["export", "ai-act", str(target), "--root", str(root), *flags])
        return code, capsys.readouterr().err

    return run


Export = Callable[..., tuple[int, str]]


def registrations(path: Path) -> list[dict[str, object]]:
    found = json.loads(path.read_text("utf-8"))["registrations"]
    assert isinstance(found, list)
    return found


def of_project(found: list[dict[str, object]], project: URIRef = PROJECT) -> dict[str, object]:
    (registration,) = [r for r in found if r["project"] == str(project)]
    return registration


def csv_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8"))))


def edit_project(root: Path, change: Callable[[Graph, BNode | URIRef], None]) -> None:
    """Change the fixture project's file in a content root of our own (given the graph and the project)."""
    path = root / PROJECT_FILE
    graph = Graph().parse(path, format="turtle")
    change(graph, PROJECT)
    graph.serialize(path, format="turtle")


def group(graph: Graph, project: BNode | URIRef, name: str) -> BNode:
    node = graph.value(project, URIRef(NS + name))
    assert isinstance(node, BNode)
    return node


@pytest.fixture
def root(repo_root: Path, tmp_path: Path) -> Path:
    return accountability_root(repo_root, tmp_path / "root")


def test_the_fictional_project_is_a_complete_registration(root: Path, tmp_path: Path, export: Export) -> None:
    code, stderr = export(root, tmp_path / "ai-act.json")
    assert code == 0, stderr
    assert stderr.count("\n") == 1 and "1 complete, 0 incomplete" in stderr
    found = registrations(tmp_path / "ai-act.json")
    assert [r["project"] for r in found] == [str(PROJECT)]  # the seed has no high-risk project
    registration = found[0]
    assert registration["missing"] == [] and registration["withheld"] == []
    assert registration["risk_level"] == EU_AIACT + "RiskLevelHigh"
    assert registration["c1_deployer"] == str(DEPLOYER)
    assert registration["c1_deployer_name"] == {
        "en": "Fictional Benefits Office (test example)",
        "fr": "Office fictif des allocations (exemple de test)",
        "nl": "Fictieve Uitkeringsdienst (testvoorbeeld)",
        "de": "Fiktives Leistungsamt (Testbeispiel)",
    }
    assert registration["c1_deployer_address"] == {
        "street": {"fr": "Rue Imaginaire 1", "nl": "Denkbeeldige Straat 1"},
        "postal_code": "1000",
        "locality": {"fr": "Bruxelles", "nl": "Brussel"},
        "country": "http://publications.europa.eu/resource/authority/country/BEL",
    }
    assert registration["c1_deployer_contact"] == {
        "email": "mailto:contact@example.org",
        "url": "https://example.org/fictional-benefits-office/contact",
        "telephone": "tel:+3220000000",
    }
    assert registration["c2_submitter"] == str(SUBMITTER)
    assert registration["c3_provider_entry_url"] == "https://example.org/eu-database/fictional-entry-0001"
    fria = registration["c4_fria_summary"]
    assert isinstance(fria, dict) and list(fria) == list(FRIA_PARTS)
    assert all(set(fria[part]) == {"en", "fr"} for part in FRIA_PARTS)
    assert fria["d_risks"]["en"] == "Delay for claims ranked too low."
    assert registration["c5_dpia_summary"] == {
        "en": "Low residual risk after pseudonymisation (fictional).",
        "fr": "Risque résiduel faible après pseudonymisation (fictif).",
    }


def test_without_its_article_27_summary_the_project_names_c4_fria_summary(
    root: Path, tmp_path: Path, export: Export
) -> None:
    edit_project(root, lambda g, p: g.remove((group(g, p, "fria"), DCTERMS.abstract, None)))
    for name in ("ai-act.json", "ai-act.csv"):
        code, stderr = export(root, tmp_path / name)
        assert code == 1, stderr
        assert "0 complete, 1 incomplete" in stderr
    assert of_project(registrations(tmp_path / "ai-act.json"))["missing"] == ["c4_fria_summary"]
    (row,) = csv_rows(tmp_path / "ai-act.csv")
    assert row["project"] == str(PROJECT) and row["missing"] == "c4_fria_summary"
    assert row["c4_fria_a_processes_en"] == "Sorting incoming benefit claims."  # the elements stay


@pytest.mark.parametrize(
    ("personal_data", "missing"), [(False, []), (True, ["c5_dpia_summary"]), (None, ["c5_dpia_summary"])]
)
def test_a_dpia_summary_is_required_unless_no_personal_data_is_processed(
    root: Path, tmp_path: Path, export: Export, personal_data: bool | None, missing: list[str]
) -> None:
    def change(graph: Graph, project: BNode | URIRef) -> None:
        graph.remove((group(graph, project, "dpia"), DCTERMS.abstract, None))
        data = group(graph, project, "dataProtection")
        graph.remove((data, URIRef(NS + "processesPersonalData"), None))
        if personal_data is not None:
            graph.add((data, URIRef(NS + "processesPersonalData"), Literal(personal_data)))
        if personal_data is False:  # no categories of personal data either, or the record contradicts itself
            graph.remove((data, URIRef(NS + "personalDataCategories"), None))

    edit_project(root, change)
    code, _ = export(root, tmp_path / "ai-act.json")
    assert code == (1 if missing else 0)
    registration = of_project(registrations(tmp_path / "ai-act.json"))
    assert registration["missing"] == missing
    assert registration["personal_data"] is personal_data


def test_a_withheld_group_is_not_missing_and_says_why(root: Path, tmp_path: Path, export: Export) -> None:
    reason = URIRef(f"{B}id/withheld-reason/ai-act-non-public")

    def change(graph: Graph, project: BNode | URIRef) -> None:
        ai_act = group(graph, project, "aiAct")
        for field in ("providerDatabaseEntry", "registrationSubmitter"):
            graph.remove((ai_act, URIRef(NS + field), None))
        graph.add((ai_act, URIRef(NS + "withheldBecause"), reason))
        graph.add((ai_act, URIRef(NS + "withheldNote"), Literal("Section non publique (fictif).", lang="fr")))

    edit_project(root, change)
    assert export(root, tmp_path / "ai-act.json")[0] == 0
    assert export(root, tmp_path / "ai-act.csv")[0] == 0
    registration = of_project(registrations(tmp_path / "ai-act.json"))
    marker = {"withheld": str(reason), "note": {"fr": "Section non publique (fictif)."}}
    assert registration["c3_provider_entry_url"] == marker and registration["c2_submitter"] == marker
    assert registration["withheld"] == ["c2_submitter", "c3_provider_entry_url"]
    assert registration["missing"] == []
    assert registration["high_risk_category"] == f"{B}id/high-risk-category/annex-iii-5-a"  # given: shown
    (row,) = csv_rows(tmp_path / "ai-act.csv")
    assert row["c3_provider_entry_url"] == "" and row["ai_act_withheld"] == str(reason)
    assert row["ai_act_withheld_note_fr"] == "Section non publique (fictif)." and row["fria_withheld"] == ""
    assert row["withheld"] == "c2_submitter c3_provider_entry_url"


def test_all_lists_every_seed_project_with_what_it_lacks_and_nothing_invented(
    repo_root: Path, tmp_path: Path, export: Export
) -> None:
    code, stderr = export(repo_root, tmp_path / "all.json", "--all")
    assert code == 1, stderr
    found = registrations(tmp_path / "all.json")
    seed = {f"{B}id/project/{path.stem}" for path in (repo_root / "data" / "projects").glob("*.ttl")}
    assert len(seed) == 79 and {r["project"] for r in found} == seed
    source = Graph()
    for path in (repo_root / "data").rglob("*.ttl"):
        source.parse(path, format="turtle")
    for registration in found:
        project = URIRef(str(registration["project"]))
        assert registration["c1_deployer"] in {str(d) for d in source.objects(project, URIRef(TECH_DEPLOYER))}
        for field in ("risk_level", "high_risk_category", "registration_status", "c2_submitter"):
            assert registration[field] is None, (project, field)
        for field in ("c3_provider_entry_url", "c5_dpia_summary", "personal_data"):
            assert registration[field] is None, (project, field)
        assert registration["c4_fria_summary"] == dict.fromkeys(FRIA_PARTS)
        assert {"c3_provider_entry_url", "c4_fria_summary", "c5_dpia_summary"} <= set(registration["missing"])
    # a project with two deployers is registered by each of them
    two = [r["c1_deployer"] for r in found if r["project"] == f"{B}id/project/pstw-5"]
    assert len(two) == 2 and len(set(two)) == 2
    assert f"{len(found)} registration(s) of 79 project(s)" in stderr


def expected_cells(registration: dict[str, object]) -> dict[str, str]:
    """The CSV cells the JSON registration implies: its leaves flattened, its markers in the group columns."""
    cells: dict[str, str] = {}

    def leaf(name: str, value: object) -> None:
        if isinstance(value, dict) and "withheld" in value and isinstance(value["withheld"], str):
            prefix = GROUP_OF[name]
            cells[f"{prefix}_withheld"] = value["withheld"]
            for lang, text in value.get("note", {}).items():  # type: ignore[union-attr]
                cells[f"{prefix}_withheld_note_{lang}"] = text
        elif isinstance(value, dict):
            for key, inner in value.items():
                leaf(f"{name}_{key}", inner)
        elif isinstance(value, list):
            cells[name] = " ".join(str(v) for v in value)
        elif isinstance(value, bool):
            cells[name] = "true" if value else "false"
        elif value is not None:
            cells[name] = str(value)

    for name, value in registration.items():
        if name == "c4_fria_summary" and isinstance(value, dict):
            for part, inner in value.items():
                leaf(f"c4_fria_{part}", inner)
        else:
            leaf(name, value)
    return {name: text for name, text in cells.items() if text}


def test_json_and_csv_carry_the_same_facts(root: Path, tmp_path: Path, export: Export) -> None:
    def withhold_the_dpia(graph: Graph, project: BNode | URIRef) -> None:
        dpia = group(graph, project, "dpia")
        graph.remove((dpia, DCTERMS.abstract, None))
        graph.add((dpia, URIRef(NS + "withheldBecause"), URIRef(f"{B}id/withheld-reason/security")))

    edit_project(root, withhold_the_dpia)
    for name in ("all.json", "all.csv"):
        assert export(root, tmp_path / name, "--all")[0] == 1
    found, rows = registrations(tmp_path / "all.json"), csv_rows(tmp_path / "all.csv")
    assert len(found) == len(rows) > 79
    for registration, row in zip(found, rows, strict=True):
        expected = expected_cells(registration)
        assert set(expected) <= set(row), set(expected) - set(row)
        assert {name: text for name, text in row.items() if text} == expected
    assert of_project(found)["withheld"] == ["c5_dpia_summary"]


def test_a_rerun_writes_the_same_bytes(root: Path, tmp_path: Path) -> None:
    """Two processes with different hash seeds (set and dict orders differ) write identical files."""
    for name in ("a.json", "a.csv"):
        outputs = []
        for seed in ("1", "2"):
            target = tmp_path / seed / name
            target.parent.mkdir(exist_ok=True)
            subprocess.run(
                [sys.executable, "-m", "airegister.cli", "export", "ai-act", str(target), "--all", "--root", str(root)],
                env={**os.environ, "PYTHONHASHSEED": seed},
                capture_output=True,
                check=False,
            )
            outputs.append(target.read_bytes())
        assert outputs[0] == outputs[1], name
    found = registrations(tmp_path / "1" / "a.json")
    assert [r["project"] for r in found] == sorted(r["project"] for r in found)  # type: ignore[type-var]


def export_in_processes(root: Path, target: Path, seeds: tuple[str, ...]) -> list[bytes]:
    """The export written by one process per hash seed (set and dict orders, blank-node labels differ)."""
    outputs = []
    for seed in seeds:
        path = target.parent / seed / target.name
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "airegister.cli", "export", "ai-act", str(path), "--root", str(root)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            check=False,
        )
        outputs.append(path.read_bytes())
    return outputs


def test_two_ai_act_nodes_gave_values_that_changed_with_the_hash_seed(root: Path, tmp_path: Path) -> None:
    """Content the shapes reject (three ns:aiAct nodes, two addresses) still gives the same bytes on every run,
    and each field is the smallest value the register holds (docs/ai-act.md)."""
    entries = ("https://example.org/eu-database/b-entry", "https://example.org/eu-database/a-entry")
    statuses = ("registered-non-public", "not-registered")

    def three_ai_act_nodes(graph: Graph, project: BNode | URIRef) -> None:
        for entry, status in zip(entries, statuses, strict=True):
            node = BNode()
            graph.add((project, URIRef(NS + "aiAct"), node))
            graph.add((node, URIRef(NS + "providerDatabaseEntry"), URIRef(entry)))
            graph.add((node, URIRef(NS + "registrationStatus"), URIRef(f"{B}id/registration-status/{status}")))

    edit_project(root, three_ai_act_nodes)
    organisations = root / "data" / "organisations-accountability-fixture.ttl"
    graph = Graph().parse(organisations, format="turtle")
    second = BNode()
    graph.add((DEPLOYER, URIRef(VCARD + "hasAddress"), second))
    graph.add((second, URIRef(VCARD + "postal-code"), Literal("1001")))
    graph.add((second, URIRef(VCARD + "locality"), Literal("Anvers", lang="fr")))
    graph.serialize(organisations, format="turtle")

    outputs = export_in_processes(root, tmp_path / "ai-act.json", ("1", "2", "3", "4"))
    assert all(output == outputs[0] for output in outputs)
    registration = of_project(json.loads(outputs[0])["registrations"])
    assert registration["c3_provider_entry_url"] == "https://example.org/eu-database/a-entry"
    assert registration["registration_status"] == f"{B}id/registration-status/not-registered"
    assert registration["c1_deployer_address"]["postal_code"] == "1000"  # type: ignore[index]
    assert registration["c1_deployer_address"]["locality"] == {"fr": "Anvers", "nl": "Brussel"}  # type: ignore[index]


@pytest.mark.parametrize(
    ("category", "status", "missing"),
    [
        ("annex-iii-5-a", "registered", ["c3_provider_entry_url", "c4_fria_summary"]),
        ("annex-i", "not-required", []),  # Art. 27(1) and 49(3) concern Annex III systems only
        ("annex-iii-2", "registered-nationally", []),  # critical infrastructure: no FRIA, registered nationally
        ("annex-iii-2", "registered", []),  # the category alone decides
        ("annex-iii-5-a", "not-required", ["c4_fria_summary"]),  # no entry to give, an assessment all the same
        ("annex-iii-5-a", "registered-nationally", ["c4_fria_summary"]),
    ],
)
def test_c3_and_c4_were_required_where_the_ai_act_asks_for_neither(
    root: Path, tmp_path: Path, export: Export, category: str, status: str, missing: list[str]
) -> None:
    def change(graph: Graph, project: BNode | URIRef) -> None:
        ai_act = group(graph, project, "aiAct")
        graph.remove((ai_act, URIRef(NS + "providerDatabaseEntry"), None))
        graph.set((ai_act, URIRef(NS + "highRiskCategory"), URIRef(f"{B}id/high-risk-category/{category}")))
        graph.set((ai_act, URIRef(NS + "registrationStatus"), URIRef(f"{B}id/registration-status/{status}")))
        graph.remove((group(graph, project, "fria"), DCTERMS.abstract, None))

    edit_project(root, change)
    code, stderr = export(root, tmp_path / "ai-act.json")
    assert code == (1 if missing else 0), stderr
    assert of_project(registrations(tmp_path / "ai-act.json"))["missing"] == missing


@pytest.mark.parametrize("name", ["ai-act.xlsx", "ai-act", "ai-act.json.txt"])
def test_a_file_that_is_neither_json_nor_csv_is_refused(
    repo_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    code = main(["export", "ai-act", str(tmp_path / name), "--root", str(repo_root)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and ".json or .csv" in err and "Traceback" not in err
    assert not (tmp_path / name).exists()


def test_a_file_that_does_not_parse_stops_the_export(root: Path, tmp_path: Path, export: Export) -> None:
    """Its projects would otherwise be silently left out of a list meant to be complete."""
    (root / "data" / "projects" / "broken.ttl").write_text("<a> <b> .\n", "utf-8")
    code, stderr = export(root, tmp_path / "ai-act.json")
    assert code == 2 and "data/projects/broken.ttl" in stderr
    assert not (tmp_path / "ai-act.json").exists()


def test_the_registration_reads_the_organisations_file_not_the_record(
    root: Path, tmp_path: Path, export: Export
) -> None:
    """C.1 follows the deployer's address and contact in the organisations file (Organisations sheet)."""
    organisations = root / "data" / "organisations-accountability-fixture.ttl"
    graph = Graph().parse(organisations, format="turtle")
    address = graph.value(DEPLOYER, URIRef("http://www.w3.org/2006/vcard/ns#hasAddress"))
    graph.remove((address, URIRef("http://www.w3.org/2006/vcard/ns#postal-code"), None))
    for contact in ("hasEmail", "hasURL", "hasTelephone"):
        graph.remove((DEPLOYER, URIRef("http://www.w3.org/2006/vcard/ns#" + contact), None))
    assert (address, RDF.type, None) in graph
    graph.serialize(organisations, format="turtle")
    assert export(root, tmp_path / "ai-act.json")[0] == 1
    assert of_project(registrations(tmp_path / "ai-act.json"))["missing"] == [
        "c1_deployer_address",
        "c1_deployer_contact",
    ]
