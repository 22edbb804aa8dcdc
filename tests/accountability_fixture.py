"""The fictional accountability fixture: one project with every field of profile 2, four charter assessments,
and the organisations it names (tests/fixtures/accountability/). Every test of issue #15 uses this one copy,
so the contract in docs/data-model.md, the fixture and the code cannot drift apart.

    from accountability_fixture import accountability_root, PROJECT
    root = accountability_root(repo_root, tmp_path / "root")   # shipped content + the fixture

The fixture is fictional and lives in tests only; it is never copied into the shipped data/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from rdflib import Graph, URIRef

FIXTURE = Path(__file__).parent / "fixtures" / "accountability"
BASE = "https://w3id.org/be-ai-register/"
REF = "be-2099-0001"
PROJECT = URIRef(f"{BASE}id/project/{REF}")
DEPLOYER = URIRef(f"{BASE}id/organisation/fictional-benefits-office")
SUBMITTER = URIRef(f"{BASE}id/organisation/fictional-it-services")
PROJECT_FILE = f"data/projects/{REF}.ttl"
ORGANISATIONS_FILE = "data/organisations-accountability-fixture.ttl"  # matches the projects dataset's glob

# The principles the fixture assesses, and those the build must derive as addressed (current status
# addressed or partly addressed): p1 (assessed twice, latest addressed), p2 (partly), not p4 (not applicable).
ASSESSED = ("p1", "p2", "p4")
DERIVED_PRINCIPLES = ("p1", "p2")

_CONTENT = ("ontology", "shapes", "data", "queries")  # what a content root holds (queries/ when present)


def accountability_root(repo_root: Path, target: Path) -> Path:
    """A copy of the shipped content root at `target`, plus the fixture project and its organisations."""
    for name in _CONTENT:
        if (repo_root / name).is_dir():
            shutil.copytree(repo_root / name, target / name)
    shutil.copyfile(FIXTURE / f"{REF}.ttl", target / PROJECT_FILE)
    shutil.copyfile(FIXTURE / "organisations.ttl", target / ORGANISATIONS_FILE)
    return target


def fixture_graph() -> Graph:
    """The fixture's own triples (project, assessments, organisations), without the shipped content."""
    graph = Graph()
    graph.parse(FIXTURE / f"{REF}.ttl", format="turtle")
    graph.parse(FIXTURE / "organisations.ttl", format="turtle")
    return graph
