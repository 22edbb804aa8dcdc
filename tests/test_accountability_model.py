"""The profile-2 contract (docs/data-model.md, "Accountability (profile 2)") against its vocabulary and fixture.

The tables of the contract are read from the document itself: every path they name must have a value in the
fictional fixture, every term they mint must be defined in four languages, every code they list must be a
concept of its scheme. Editing the contract without the fixture or the vocabulary (or the other way round)
fails here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from accountability_fixture import ASSESSED, DEPLOYER, PROJECT, PROJECT_FILE, accountability_root, fixture_graph
from rdflib import RDF, RDFS, SKOS, Graph, URIRef
from rdflib.term import Node

from airegister.content.load import load
from airegister.rdf.namespaces import STANDARD_PREFIXES, Base

REPO = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/be-ai-register/"
NS = BASE + "ns#"
LANGS = {"fr", "nl", "de", "en"}
PREFIXES = {**STANDARD_PREFIXES, "ns": NS}
SECTION = "## Accountability (profile 2)"
# The reference files that define the reused terms, by prefix (the others, DCTERMS, DCAT, FOAF, vCard and the
# Core Vocabularies, are not in the reference material).
REFERENCE_FILES = {
    "dpv": "dpv-2.3_dpv.ttl",
    "ai": "dpv-2.3_ai_ai.ttl",
    "tech": "dpv-2.3_tech_tech.ttl",
    "eu-aiact": "dpv-2.3_legal_eu_aiact_eu-aiact.ttl",
}


@dataclass(frozen=True)
class Row:
    table: str  # "project", "organisation", "assessment", "declaration" or "group"
    cells: tuple[str, ...]

    @property
    def field(self) -> str:
        return self.cells[0]


def contract_rows() -> list[Row]:
    """Every row of the section's field tables, tagged by the table it belongs to (read from its header)."""
    text = (REPO / "docs" / "data-model.md").read_text(encoding="utf-8")
    assert SECTION in text, f"docs/data-model.md has no section {SECTION!r}"
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    rows: list[Row] = []
    table = None
    for line in section.splitlines():
        if not line.startswith("|"):
            table = None
            continue
        cells = tuple(c.strip() for c in line.strip().strip("|").split("|"))
        if table is None:  # a header row
            header = line
            table = (
                "group"
                if "group property" in header
                else "organisation"
                if "RDF path from the organisation" in header
                else "project"
                if "RDF path from the project" in header
                else "other"
            )
            continue
        if set(line) <= {"|", "-", " ", ":"} or table == "other":
            continue
        rows.append(Row(table, cells))
    return rows


def iri(name: str) -> URIRef:
    """A prefixed name of the contract (`ns:problem`) or a `B id/...` IRI, as an IRI."""
    if name.startswith("B "):
        return URIRef(BASE + name[2:])
    prefix, local = name.split(":", 1)
    assert prefix in PREFIXES, f"the contract uses an unknown prefix {prefix!r} in {name!r}"
    return URIRef(PREFIXES[prefix] + local)


def path_of(cell: str) -> tuple[URIRef, ...] | None:
    """The property path of a path cell (`G / ns:declaredBy` keeps the G), None for a row without one."""
    if cell.startswith("("):
        return None
    first = re.match(r"`([^`]+)`", cell)
    assert first, f"a path cell without a path: {cell!r}"
    steps = [s.strip() for s in first.group(1).split("/")]
    return tuple(URIRef("G") if s == "G" else iri(s) for s in steps)


def groups() -> dict[URIRef, URIRef]:
    """The group properties and the type of their nodes, from the group table."""
    found = {}
    for row in contract_rows():
        if row.table == "group":
            prop = re.search(r"`([^`]+)`", row.cells[1])
            kind = re.search(r"`([^`]+)`", row.cells[2])
            assert prop and kind, row
            found[iri(prop.group(1))] = iri(kind.group(1))
    assert len(found) >= 6, "the group table is missing or nearly empty"
    return found


def field_paths() -> list[tuple[str, str, tuple[URIRef, ...]]]:
    """(table, field, path) for every field row; declaration rows (`G / ...`) once per group."""
    out = []
    for row in contract_rows():
        if row.table in {"group", "other"}:
            continue
        path = path_of(row.cells[1])
        if path is None:
            continue
        if path[0] == URIRef("G"):
            out.extend(("declaration", row.field, (g, *path[1:])) for g in groups())
        else:
            out.append((row.table, row.field, path))
    return out


def short(graph: Graph, path: tuple[URIRef, ...]) -> str:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return " / ".join(graph.namespace_manager.normalizeUri(step) for step in path)


def values(graph: Graph, start: Node, path: tuple[URIRef, ...]) -> set[Node]:
    nodes = {start}
    for step in path:
        nodes = {o for n in nodes for o in graph.objects(n, step)}  # type: ignore[arg-type]
    return nodes


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    """The fixture as the loader reads it, inside a copy of the shipped content root."""
    root = accountability_root(REPO, tmp_path_factory.mktemp("accountability"))
    content = load(root, Base(BASE))
    assert not content.problems, [p.message for p in content.problems]
    return content.union()


def test_the_fixture_loads_into_the_project_file_graph_with_its_assessments(tmp_path: Path) -> None:
    content = load(accountability_root(REPO, tmp_path / "root"), Base(BASE))
    assert not content.problems
    own = content.dataset.graph(Base(BASE).graph(PROJECT_FILE))
    assert (PROJECT, RDF.type, iri("ns:AIProject")) in own
    assessments = set(own.objects(PROJECT, iri("dpv:hasAssessment")))
    assert len(assessments) == 4, "the fixture has four charter assessments, in the project's own file"
    for assessment in assessments:
        assert str(assessment).startswith(f"{PROJECT}#assessment-"), assessment
        assert (assessment, RDF.type, iri("dpv:Assessment")) in own
    principles = {str(own.value(a, iri("dct:subject"))).rsplit("/", 1)[-1] for a in assessments}
    assert principles == set(ASSESSED)


def test_every_field_of_the_contract_has_a_value_in_the_fixture(loaded: Graph) -> None:
    """Every field on its path; the declaration fields on every group, except the withheld state, which one
    group carries (a fixture with every group withheld would hide the fields the other tests need)."""
    missing = []
    withheld: dict[str, int] = {}
    for table, name, path in field_paths():
        start = DEPLOYER if table == "organisation" else PROJECT
        found = bool(values(loaded, start, path))
        if table == "declaration" and name.startswith("withheld"):
            withheld[name] = withheld.get(name, 0) + found
        elif not found:
            missing.append(f"{name}: {short(loaded, path)}")
    missing += [f"{name}: on no group node" for name, count in withheld.items() if not count]
    assert withheld, "the contract's declaration table has no withheld fields"
    assert not missing, "fields of the contract the fixture does not carry:\n" + "\n".join(missing)


def test_every_group_node_is_a_blank_node_of_the_contract_type(loaded: Graph) -> None:
    from rdflib import BNode

    for prop, kind in groups().items():
        nodes = list(loaded.objects(PROJECT, prop))
        assert len(nodes) == 1, f"{prop}: the fixture must have exactly one group node"
        assert isinstance(nodes[0], BNode), f"{prop}: group nodes are blank nodes"
        assert (nodes[0], RDF.type, kind) in loaded, f"{prop}: the node must be a {kind}"


def test_the_fixture_does_not_write_the_derived_principles(loaded: Graph) -> None:
    assert not list(loaded.objects(PROJECT, iri("ns:addressesPrinciple"))), "ns:addressesPrinciple is derived"


def test_the_fixture_says_it_is_fictional() -> None:
    graph = fixture_graph()
    for subject in (PROJECT, DEPLOYER):
        for prop in (iri("dct:title"), iri("skos:prefLabel")):
            for text in graph.objects(subject, prop):
                assert re.search(r"fictif|fictive|fictional|fictieve|fiktiv", str(text), re.IGNORECASE), text


def contract_terms() -> set[str]:
    """Every prefixed name and `B id/...` IRI in the section's field and group tables."""
    found: set[str] = set()
    for row in contract_rows():
        if row.table == "other":
            continue
        for cell in row.cells[1:]:
            for token in re.findall(r"`([^`]+)`", cell):
                for part in (p.strip() for p in token.split("/") if p.strip()):
                    if re.fullmatch(r"[a-z-]+:[A-Za-z][\w.-]*", part):
                        found.add(part)
                if token.startswith("B id/"):
                    found.add(token)
    return found


def test_every_minted_term_is_defined_in_four_languages() -> None:
    ontology = Graph().parse(REPO / "ontology" / "airegister.ttl")
    minted = sorted(t for t in contract_terms() if t.startswith("ns:"))
    assert len(minted) > 30
    for name in minted:
        term = iri(name)
        for prop in (RDFS.label, RDFS.comment):
            langs = {getattr(v, "language", None) for v in ontology.objects(term, prop)}
            assert langs >= LANGS, f"{name} lacks {prop} in {sorted(LANGS - langs)}"


def test_every_reused_property_has_display_labels_in_four_languages() -> None:
    labels = Graph().parse(REPO / "ontology" / "field-labels.ttl")
    for _table, name, path in field_paths():
        for step in path:
            if not str(step).startswith(NS):
                langs = {getattr(v, "language", None) for v in labels.objects(step, RDFS.label)}
                assert langs >= LANGS, f"{step} (field {name!r}) has no display label in {sorted(LANGS - langs)}"


def test_every_reused_term_exists_in_its_vocabulary(reference: Path) -> None:
    vocabularies = {prefix: Graph().parse(reference / "ai-vocabularies" / f) for prefix, f in REFERENCE_FILES.items()}
    for name in sorted(contract_terms()):
        prefix = name.split(":", 1)[0]
        if prefix in vocabularies:
            assert (iri(name), None, None) in vocabularies[prefix], f"{name} is not a term of {prefix}"


def test_every_code_the_contract_lists_is_a_concept_of_its_scheme() -> None:
    schemes = Graph()
    for path in (REPO / "ontology" / "schemes").glob("*.ttl"):
        schemes.parse(path)
    schemes.parse(REPO / "data" / "charter.ttl")
    checked = 0
    for row in contract_rows():
        for cell in row.cells[1:]:
            for scheme_ref, rest in re.findall(r"`B (id/[a-z-]+)`([^|]*)", cell):
                scheme = URIRef(BASE + scheme_ref)
                assert (scheme, RDF.type, SKOS.ConceptScheme) in schemes, f"{scheme} is not a concept scheme"
                for code in re.findall(r"`([a-z0-9-]+)`", rest.split("`B ", 1)[0]):
                    concept = URIRef(f"{scheme}/{code}")
                    assert (concept, SKOS.inScheme, scheme) in schemes, f"{code} is not a concept of {scheme}"
                    checked += 1
    assert checked > 20


def test_every_new_concept_has_labels_and_definitions_in_four_languages() -> None:
    for name in ("decision-role", "declarant", "withheld-reason", "assessment-status", "high-risk-category",
                 "registration-status"):  # fmt: skip
        graph = Graph().parse(REPO / "ontology" / "schemes" / f"{name}.ttl")
        concepts = set(graph.subjects(RDF.type, SKOS.Concept))
        assert concepts, name
        for concept in concepts:
            for prop in (SKOS.prefLabel, SKOS.definition):
                langs = {getattr(v, "language", None) for v in graph.objects(concept, prop)}
                assert langs >= LANGS, f"{concept} lacks {prop} in {sorted(LANGS - langs)}"


def test_annex_iii_points_sit_under_their_area_and_match_dpv() -> None:
    graph = Graph().parse(REPO / "ontology" / "schemes" / "high-risk-category.ttl")
    scheme = BASE + "id/high-risk-category/"
    points = [c for c in graph.subjects(RDF.type, SKOS.Concept) if re.search(r"annex-iii-\d-[a-e]$", str(c))]
    assert len(points) == 24  # Annex III: 3 + 4 + 2 + 4 + 5 + 4 + 2 points; area 2 has none
    for point in points:
        area, letter = str(point)[len(scheme) + len("annex-iii-") :].split("-")
        assert graph.value(point, SKOS.broader) == URIRef(f"{scheme}annex-iii-{area}")
        assert graph.value(point, SKOS.exactMatch) == iri(f"eu-aiact:HighRiskAISystem-AnnexIII-{area}-{letter}")
