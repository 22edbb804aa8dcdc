"""The PSTW importer against the real export, the committed seed and a hand-made messy file."""

from __future__ import annotations

import argparse
import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS

from airegister.importers.concepts import ConceptIndex, OrganisationIndex, keys, normalise
from airegister.importers.pstw import command as pstw
from airegister.rdf.namespaces import DEFAULT_BASE, Base
from airegister.settings import Settings

B = "https://w3id.org/be-ai-register/"


def run_import(root: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    """Run the importer as the CLI does and return its JSON report."""
    parser = argparse.ArgumentParser()
    pstw.configure(parser)
    args = parser.parse_args([*argv, "--json", "--quiet"])
    assert pstw.run(args, Settings(root=root)) == 0
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return report


def copy_orgs(repo_root: Path, tmp_path: Path) -> Path:
    target = tmp_path / "organisations.ttl"
    shutil.copyfile(repo_root / "data" / "organisations.ttl", target)
    return target


def start_lines(path: Path) -> dict[str, int]:
    """Physical line of each record, found independently of the importer: records start with their id."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        text = handle.read()
    lines = text.replace("\r\n", "\n").split("\n")
    return {line.split(",", 1)[0]: n for n, line in enumerate(lines, 1) if line.startswith("PSTW-")}


def test_normalise_and_keys() -> None:
    assert normalise("  Pilot \u00a0") == "pilot"
    assert normalise("Predictive enforcement\nprocesses") == "predictive enforcement processes"
    assert normalise("Cafe\u0301") == "café"
    assert keys("General services.") == ["general services.", "general services"]
    assert keys("   ") == []


def test_crosswalk_reaches_phase(repo_root: Path) -> None:
    graph = pstw.load_content(repo_root, [repo_root / "data" / "projects"])
    index = ConceptIndex.from_graph(graph)
    base = Base(DEFAULT_BASE)
    phase, status = base.thing("phase"), base.thing("pstw-status")
    assert index.lookup_via_match(phase, status, "Implemented ") == base.thing("phase", "production")
    assert index.lookup_via_match(phase, status, "IN DEVELOPMENT") == base.thing("phase", "development")
    assert index.lookup_via_match(phase, status, "Paused") is None
    orgs = OrganisationIndex.from_graph(graph)
    vdab = base.thing("organisation", "vdab")
    for name in (
        "Vlaamse Dienst voor Arbeidsbemiddeling en Beroepsopleiding",
        "Flemish Employment and Vocational Training Service (VDAB)",
        "Flemish public employment service  (VDAB) ",
    ):
        assert orgs.lookup(name) == [vdab]


def test_belgium_reproduces_the_committed_seed(
    repo_root: Path, pstw_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    orgs = copy_orgs(repo_root, tmp_path)
    out = tmp_path / "projects"
    report = run_import(
        repo_root, capsys, str(pstw_csv), "--country", "Belgium", "--out", str(out), "--orgs-out", str(orgs),
        "--descriptions", str(repo_root / "data" / "imports" / "pstw-descriptions.csv"),
    )  # fmt: skip
    counts = report["counts"]
    assert counts["imported"] == 79
    assert counts["organisations_created"] == 0
    assert orgs.read_bytes() == (repo_root / "data" / "organisations.ttl").read_bytes()
    committed = sorted(p.name for p in (repo_root / "data" / "projects").glob("*.ttl"))
    assert sorted(p.name for p in out.glob("*.ttl")) == committed
    for name in committed:
        assert (out / name).read_bytes() == (repo_root / "data" / "projects" / name).read_bytes(), name


def test_seed_does_not_contain_pstw_descriptions(repo_root: Path, pstw_csv: Path) -> None:
    """No run of 8 words from a PSTW description is in data/, except runs that are also in a case's
    name or organisation (imported as title and organisation labels; a few descriptions repeat them)."""

    def grams(text: str) -> set[tuple[str, ...]]:
        words = "".join(c if c.isalnum() else " " for c in text.lower()).split()
        return {tuple(words[i : i + 8]) for i in range(len(words) - 7)}

    with pstw_csv.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    source = set().union(*(grams(r["Description"]) for r in rows))
    names = set().union(*(grams(r["Name"]) | grams(r["Responsible organisation"]) for r in rows))
    for path in sorted((repo_root / "data").rglob("*")):
        if path.is_file() and path.suffix in {".ttl", ".csv"}:
            leaked = (grams(path.read_text(encoding="utf-8")) & source) - names
            assert not leaked, f"{path}: {sorted(leaked)[:3]}"


def test_all_rows(repo_root: Path, pstw_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    orgs = copy_orgs(repo_root, tmp_path)
    out = tmp_path / "projects"
    report = run_import(repo_root, capsys, str(pstw_csv), "--out", str(out), "--orgs-out", str(orgs))
    with pstw_csv.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    ai_ids = {r["PSTW ID"] for r in rows if normalise(r["Primary Technology"]) == "artificial intelligence"}
    counts = report["counts"]
    assert counts["rows_read"] == len(rows) == 2291
    assert counts["imported"] == len(ai_ids)
    assert counts["skipped_non_ai"] == len(rows) - len(ai_ids)
    assert sorted(p.stem for p in out.glob("*.ttl")) == sorted(i.lower() for i in ai_ids)
    # Organisations were minted, reported and merged into the organisations file; the shipped one is untouched.
    assert counts["organisations_created"] > 0
    minted = Graph().parse(orgs)
    for org in report["organisations_created"]:
        assert (URIRef(org["iri"]), None, None) in minted
    assert len(minted) > len(Graph().parse(repo_root / "data" / "organisations.ttl"))
    # Unmapped values name the record's physical line, its id, the column and the value.
    lines = start_lines(pstw_csv)
    problems = report["problems"]
    assert counts["unmapped_by_column"], "a 2,291-row export always has values we cannot map"
    for problem in problems:
        if problem["pstw_id"] in lines:
            assert problem["line"] == lines[problem["pstw_id"]]
    nuts = [p for p in problems if p["column"] == "NUTS 2021" and p["value"] == "UE"]
    assert len(nuts) == 1 and nuts[0]["kind"] == "unmapped"


MESSY = (
    "\ufeffPSTW ID,Name,Website,Geographical coverage (country),NUTS 2021,Responsible organisation,"
    "Responsible organisation category, Status,Start Year,End Year,Primary Technology,Cross Border,"
    "AI Classification (I),AI Classification Subdomain (II) (main),AI Keywords,Source,Date updated,"
    "Cost-reduction,Funding source\r\n"
    'PSTW-9001,"Job  matching\nassistant ",https://example.org/jobs,belgium ,BE2,'
    "Flemish public employment service (VDAB),Regional Government,implemented ,2021,\u00a0,"
    'artificial intelligence,NO,Learning ,machine learning,"chatbot; Q&A",'
    '"Report (2020), see https://example.org/report.",20/10/2025,X,\r\n'
    "PSTW-9002,Paused pilot,www.example.be,Belgium,UE,Nowhere Agency,Local Government,Paused,20x1,,"
    "Artificial Intelligence,Maybe,,,,,31/02/2024,y,EU-funded project\r\n"
    "PSTW-9003,Ledger,,Belgium,BE,Nowhere Agency,Local Government,Pilot,2020,,Blockchain,No,,,,,,,\r\n"
    "PSTW-9004,Elsewhere,,France,FR,Ville,Local Government,Pilot,2020,,Artificial Intelligence,No,,,,,,,\r\n"
)


def messy_run(repo_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[dict[str, Any], Path, Path]:
    source = tmp_path / "messy.csv"
    source.write_bytes(MESSY.encode("utf-8"))
    out, orgs = tmp_path / "projects", tmp_path / "organisations.ttl"
    report = run_import(
        repo_root, capsys, str(source), "--country", " BELGIUM", "--out", str(out), "--orgs-out", str(orgs)
    )
    return report, out, orgs


def test_messy_csv(repo_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report, out, orgs = messy_run(repo_root, tmp_path, capsys)
    counts = report["counts"]
    assert (counts["rows_read"], counts["imported"]) == (4, 2)
    assert (counts["skipped_by_country"], counts["skipped_non_ai"]) == (1, 1)
    assert sorted(p.name for p in out.iterdir()) == ["pstw-9001.ttl", "pstw-9002.ttl"]

    got = Graph().parse(out / "pstw-9001.ttl")
    p = URIRef(B + "id/project/pstw-9001")
    expected = Graph().parse(
        format="turtle",
        data=f"""
        @prefix adms: <http://www.w3.org/ns/adms#> . @prefix ai: <https://w3id.org/dpv/ai#> .
        @prefix airo: <https://w3id.org/airo#> . @prefix dcat: <http://www.w3.org/ns/dcat#> .
        @prefix dct: <http://purl.org/dc/terms/> . @prefix ns: <{B}ns#> . @prefix id: <{B}id/> .
        @prefix prov: <http://www.w3.org/ns/prov#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix tech: <https://w3id.org/dpv/tech#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <{p}> a ns:AIProject, airo:AISystem ;
            dct:identifier "pstw-9001" ;
            dct:title "Job matching assistant"@en ;
            tech:hasDeployer <{B}id/organisation/vdab> ;
            adms:status <{B}id/phase/production> ;
            dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "2021"^^xsd:gYear ] ;
            ns:crossBorder false ;
            ns:aiClassification <{B}id/ai-watch/learning>, <{B}id/ai-watch/machine-learning> ;
            ai:hasTechnique ai:MachineLearning ;
            ns:expectedBenefit <{B}id/benefit/cost-reduction> ;
            dct:spatial <http://publications.europa.eu/resource/authority/country/BEL>,
                <http://data.europa.eu/nuts/code/BE2> ;
            dcat:keyword "chatbot"@en, "Q&A"@en ;
            dcat:landingPage <https://example.org/jobs> ;
            dct:references <https://example.org/report> ;
            adms:identifier [ a adms:Identifier ; skos:notation "PSTW-9001" ;
                dct:creator <{B}id/organisation/public-sector-tech-watch> ] ;
            dct:source <http://data.europa.eu/89h/e8e7bddd-8510-4936-9fa6-7e1b399cbd92> ;
            prov:wasDerivedFrom <http://data.europa.eu/89h/e8e7bddd-8510-4936-9fa6-7e1b399cbd92> ;
            dct:bibliographicCitation "Public Sector Tech Watch, European Commission Joint Research Centre, case PSTW-9001 (CC BY 4.0)"@en ;
            dct:modified "2025-10-20"^^xsd:date .
        """,  # noqa: E501
    )
    # The benefit concept's ref is the scheme author's: take it from the record, check it by label.
    benefit = next(iter(got.objects(p, URIRef(B + "ns#expectedBenefit"))))
    expected.remove((None, URIRef(B + "ns#expectedBenefit"), None))
    expected.add((p, URIRef(B + "ns#expectedBenefit"), benefit))
    index = ConceptIndex.from_graph(pstw.load_content(repo_root, [repo_root / "data" / "projects"]))
    assert index.lookup(Base(DEFAULT_BASE).thing("benefit"), "Cost-reduction") == benefit
    assert isomorphic(got, expected), got.serialize(format="turtle")

    # The second record keeps what it can, and every problem names line, column and value.
    second = Graph().parse(out / "pstw-9002.ttl")
    q = URIRef(B + "id/project/pstw-9002")
    assert (q, DCTERMS.title, Literal("Paused pilot", lang="en")) in second
    assert (q, DCTERMS.modified, None) not in second
    assert not list(second.objects(q, URIRef("http://www.w3.org/ns/dcat#landingPage")))
    found = {(p["line"], p["column"], p["value"], p["kind"]) for p in report["problems"] if p["pstw_id"] == "PSTW-9002"}
    for column, value in (
        ("Status", "Paused"),
        ("Date updated", "31/02/2024"),
        ("Website", "www.example.be"),
        ("NUTS 2021", "UE"),
        ("Start Year", "20x1"),
        ("Cross Border", "Maybe"),
        ("Cost-reduction", "y"),
    ):
        assert (4, column, value, "unmapped") in found, (column, value, found)
    assert (4, "Funding source", "EU-funded project", "not-modelled") in found
    assert (2, "Source", "Report (2020), see", "not-modelled") in {
        (p["line"], p["column"], p["value"], p["kind"]) for p in report["problems"]
    }
    # The unknown organisation is minted, reported and written to --orgs-out with its level and country.
    minted = [o for o in report["organisations_created"] if o["label"] == "Nowhere Agency"]
    assert minted == [{"iri": B + "id/organisation/nowhere-agency", "label": "Nowhere Agency"}]
    org_graph = Graph().parse(orgs)
    agency = URIRef(minted[0]["iri"])
    assert (q, URIRef("https://w3id.org/dpv/tech#hasDeployer"), agency) in second
    assert (agency, URIRef("http://www.w3.org/2004/02/skos/core#hiddenLabel"), Literal("nowhere agency")) in org_graph
    assert (agency, URIRef("http://www.w3.org/ns/org#classification"), URIRef(B + "id/level/local")) in org_graph


def test_rerun_changes_nothing(repo_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, out, orgs = messy_run(repo_root, tmp_path, capsys)
    assert first["counts"]["files_written"] == 2 and first["counts"]["organisations_created"] >= 1
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in [*out.iterdir(), orgs]}
    second, _, _ = messy_run(repo_root, tmp_path, capsys)
    assert second["counts"]["files_written"] == 0
    assert second["counts"]["files_unchanged"] == 2
    assert second["counts"]["organisations_created"] == 0
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in [*out.iterdir(), orgs]} == before


def test_rerun_resolves_same_named_organisations_like_the_first_run(
    repo_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression: a consortium row and a later government row of another country both named "City of
    X" minted two organisations; the re-run then gave the consortium row both as deployers."""
    source = tmp_path / "same-name.csv"
    source.write_text(
        "PSTW ID,Name,Geographical coverage (country),Responsible organisation,Responsible organisation category,"
        "Primary Technology\n"
        "PSTW-9101,A,European Union,City of Nowhere,Consortium,Artificial Intelligence\n"
        "PSTW-9102,B,Finland,City of Nowhere,Local Government,Artificial Intelligence\n",
        encoding="utf-8",
    )
    out, orgs = tmp_path / "projects", tmp_path / "organisations.ttl"
    argv = (str(source), "--out", str(out), "--orgs-out", str(orgs))
    first = run_import(repo_root, capsys, *argv)
    assert [o["iri"].rsplit("/", 1)[1] for o in first["organisations_created"]] == [
        "city-of-nowhere",
        "city-of-nowhere-fin",
    ]
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    second = run_import(repo_root, capsys, *argv)
    assert second["counts"]["files_written"] == 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
