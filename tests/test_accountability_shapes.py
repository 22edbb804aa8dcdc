"""Profile 2's shapes (docs/data-model.md, "Accountability (profile 2)", Severities).

The fictional fixture validates without a finding; each violation V1-V20 fires on a minimal broken copy of
it and names the file, the record, the field and the fix; each warning W1-W12 fires where its gap is and
stays silent when the group is withheld; the seed still publishes, its gaps being warnings. Every broken
copy is a record of its own in one content root, so the whole register is validated once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from accountability_fixture import (
    DEPLOYER,
    FIXTURE,
    ORGANISATIONS_FILE,
    PROJECT_FILE,
    REF,
    SUBMITTER,
    accountability_root,
)
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, SKOS, XSD
from rdflib.term import Node

from airegister.content.load import load
from airegister.content.validation import Finding, Report, validate_content
from airegister.rdf.namespaces import DEFAULT_BASE, DPV, EU_AIACT, TECH, VCARD, Base

B = DEFAULT_BASE
NS = f"{B}ns#"
SHAPES = f"{B}shapes#"
CONTRACT = Path(__file__).resolve().parents[1] / "docs" / "data-model.md"
FOAF_PAGE = URIRef("http://xmlns.com/foaf/0.1/page")
CV_LEGAL = URIRef("http://data.europa.eu/m8g/hasLegalResource")
SEED_ORGANISATION = URIRef("https://org.belgif.be/id/CbeRegisteredEntity/0671516647")  # no address in data/


def ns(name: str) -> URIRef:
    return URIRef(NS + name)


def code(scheme: str, ref: str) -> URIRef:
    return URIRef(f"{B}id/{scheme}/{ref}")


# --- editing a copy of the fixture -------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    graph: Graph
    iri: URIRef  # the project, or the organisation of an organisation case

    def group(self, prop: str | URIRef) -> Node:
        node = self.graph.value(self.iri, prop if isinstance(prop, URIRef) else ns(prop))
        assert node is not None, prop
        return node

    def assessment(self, ref: str, date: str = "2026-01-15") -> URIRef:
        return URIRef(f"{self.iri}#assessment-{ref}-{date}")

    def set(self, subject: Node, prop: URIRef, *values: Node) -> None:
        self.graph.remove((subject, prop, None))
        for value in values:
            self.graph.add((subject, prop, value))

    def drop(self, node: Node) -> None:
        """Remove a node and every blank node it holds, and every link to it."""
        for _p, value in list(self.graph.predicate_objects(node)):
            if isinstance(value, BNode):
                self.drop(value)
        self.graph.remove((node, None, None))
        self.graph.remove((None, None, node))

    def rename(self, old: Node, new: Node) -> None:
        for triple in list(self.graph):
            if old in (triple[0], triple[2]):
                self.graph.remove(triple)
                self.graph.add(tuple(new if term == old else term for term in triple))  # type: ignore[arg-type]

    def not_high_risk(self, keep: str) -> None:
        """Minimal risk, with only the AI Act fact `keep` still saying high-risk (V7-V9)."""
        self.set(self.iri, EU_AIACT.hasRiskLevel, EU_AIACT.RiskLevelMinimal)
        ai_act = self.group("aiAct")
        if keep != "fria":
            self.drop(self.group("fria"))
        if keep != "category":
            self.set(ai_act, ns("highRiskCategory"))
        if keep != "registration":
            self.set(ai_act, ns("registrationStatus"), code("registration-status", "not-required"))

    def withhold(self, prop: str, reason: str = "security") -> None:
        self.graph.add((self.group(prop), ns("withheldBecause"), code("withheld-reason", reason)))


Edit = Callable[[Record], None]


@dataclass(frozen=True)
class Case:
    name: str
    rules: frozenset[str]  # the rule numbers the broken copy must raise, no more
    field: str  # the field a finding names (the shape's sh:name)
    edit: Edit
    organisation: bool = False  # an edit of the deploying organisation, not of the project

    @property
    def ref(self) -> str:
        return "be-2099-" + str(1000 + CASES.index(self))

    @property
    def file(self) -> str:
        if self.organisation:
            return f"data/organisations-{self.ref}.ttl"
        return f"data/projects/{self.ref}.ttl"

    def iri(self) -> URIRef:
        if self.organisation:
            return URIRef(f"{DEPLOYER}-{self.ref}")
        return URIRef(f"{B}id/project/{self.ref}")


def case(name: str, rules: str, field: str, edit: Edit, organisation: bool = False) -> Case:
    return Case(name, frozenset(rules.split()), field, edit, organisation)


def second_oversight(r: Record) -> None:
    node = BNode()
    r.graph.add((r.iri, ns("humanOversight"), node))
    r.graph.add((node, RDF.type, DPV.HumanOversight))


def retyped_dpia(r: Record) -> None:
    r.set(r.group("dpia"), RDF.type, DPV.HumanOversight)


def hleg_principle(r: Record) -> None:
    assessment = r.assessment("p2")
    r.set(assessment, DCTERMS.subject, URIRef(f"{B}id/hleg/transparency"))
    r.rename(assessment, r.assessment("transparency"))


def blank_assessment(r: Record) -> None:
    r.rename(r.assessment("p2"), BNode())


def twin_assessment(r: Record) -> None:
    twin = URIRef(f"{r.assessment('p2')}-bis")
    for p, o in list(r.graph.predicate_objects(r.assessment("p2"))):
        r.graph.add((twin, p, o))
    r.graph.add((r.iri, DPV.hasAssessment, twin))


def unknown_address(r: Record) -> None:
    node = BNode()
    r.graph.add((r.iri, VCARD.hasAddress, node))
    r.graph.add((node, RDF.type, VCARD.Address))
    r.graph.add((node, VCARD["postal-code"], Literal("1000")))


VIOLATIONS = [
    case("two oversight blocks", "V1", "human oversight", second_oversight),
    case("DPIA block of another type", "V1", "DPIA", retyped_dpia),
    case(
        "decision role from another list",
        "V2",
        "decision role",
        lambda r: r.set(r.group(TECH.hasIntendedUse), ns("decisionRole"), code("phase", "production")),
    ),
    case(
        "declarant from another list",
        "V2",
        "human oversight: who declared it",
        lambda r: r.set(r.group("humanOversight"), ns("declaredBy"), code("phase", "idea")),
    ),
    case(
        "withheld reason from another list",
        "V2",
        "risks and mitigations: withheld, reason",
        lambda r: r.set(r.group("riskManagement"), ns("withheldBecause"), code("declarant", "deployer")),
    ),
    case(
        "Annex category from another list",
        "V2",
        "Annex I/III category",
        lambda r: r.set(r.group("aiAct"), ns("highRiskCategory"), code("phase", "pilot")),
    ),
    case(
        "registration status from another list",
        "V2",
        "registration status",
        lambda r: r.set(r.group("aiAct"), ns("registrationStatus"), code("assessment-status", "addressed")),
    ),
    case(
        "DPV compliance status",
        "V2",
        "charter assessment: status",
        lambda r: r.set(r.assessment("p2"), DPV.hasStatus, DPV.Compliant),
    ),
    case("principle not of the charter", "V2", "charter assessment: principle", hleg_principle),
    case(
        "two risk levels",
        "V3",
        "AI Act risk level",
        lambda r: r.graph.add((r.iri, EU_AIACT.hasRiskLevel, EU_AIACT.RiskLevelMinimal)),
    ),
    case(
        "boolean as text",
        "V4",
        "decision without human intervention",
        lambda r: r.set(r.group(TECH.hasIntendedUse), ns("solelyAutomatedDecision"), Literal("no")),
    ),
    case(
        "DPIA date as a year",
        "V4",
        "DPIA date",
        lambda r: r.set(r.group("dpia"), DCTERMS.date, Literal("2025", datatype=XSD.gYear)),
    ),
    case(
        "confirmed twice",
        "V4",
        "human oversight: when last confirmed",
        lambda r: r.graph.add(
            (r.group("humanOversight"), ns("lastConfirmed"), Literal("2026-01-01", datatype=XSD.date))
        ),
    ),
    case(
        "text without language",
        "V5",
        "problem solved",
        lambda r: r.graph.add((r.group(TECH.hasIntendedUse), ns("problem"), Literal("Urgent claims waited."))),
    ),
    case(
        "two French texts",
        "V5",
        "FRIA (d) specific risks of harm",
        lambda r: r.graph.add((r.group("fria"), ns("friaRisksOfHarm"), Literal("Un autre risque.", lang="fr"))),
    ),
    case(
        "text in Spanish",
        "V5",
        "oversight: how",
        lambda r: r.graph.add((r.group("humanOversight"), ns("oversightMethod"), Literal("Revisión.", lang="es"))),
    ),
    case(
        "explanation without language",
        "V5",
        "charter assessment: explanation",
        lambda r: r.graph.add((r.assessment("p2"), DCTERMS.description, Literal("No tag."))),
    ),
    case(
        "DPIA link as text",
        "V6",
        "DPIA link",
        lambda r: r.set(r.group("dpia"), FOAF_PAGE, Literal("https://example.org/dpia.pdf")),
    ),
    case(
        "legal basis not a web address",
        "V6",
        "legal basis (link)",
        lambda r: r.set(r.iri, CV_LEGAL, URIRef("urn:example:act-12")),
    ),
    case("FRIA on a project not high-risk", "V7", "Article 27 assessment (FRIA)", lambda r: r.not_high_risk("fria")),
    case("category on a project not high-risk", "V8", "Annex I/III category", lambda r: r.not_high_risk("category")),
    case("registered, not high-risk", "V9", "registration status", lambda r: r.not_high_risk("registration")),
    case(
        "solely automated, decision support",
        "V10",
        "decision role",
        lambda r: r.set(r.group(TECH.hasIntendedUse), ns("solelyAutomatedDecision"), Literal(True)),
    ),
    case(
        "no personal data, with categories",
        "V11",
        "personal data processed",
        lambda r: r.set(r.group("dataProtection"), ns("processesPersonalData"), Literal(False)),
    ),
    case("DPIA not done, dated", "V12", "DPIA done", lambda r: r.set(r.group("dpia"), ns("performed"), Literal(False))),
    case(
        "withheld note without reason",
        "V13",
        "human oversight: withheld, reason",
        lambda r: r.graph.add((r.group("humanOversight"), ns("withheldNote"), Literal("Secret.", lang="en"))),
    ),
    case(
        "withheld for another reason, unexplained",
        "V13",
        "DPIA: withheld, reason",
        lambda r: r.withhold("dpia", "other"),
    ),
    case(
        "assessment misnamed",
        "V14",
        "charter assessment",
        lambda r: r.rename(r.assessment("p2"), URIRef(f"{r.iri}#p2")),
    ),
    case("assessment as a blank node", "V14", "charter assessment", blank_assessment),
    case("assessment without status", "V15", "charter assessment", lambda r: r.set(r.assessment("p2"), DPV.hasStatus)),
    case(
        "assessment with two dates",
        "V15",
        "charter assessment",
        lambda r: r.graph.add((r.assessment("p2"), DCTERMS.date, Literal("2026-01-16", datatype=XSD.date))),
    ),
    # Two assessments of one principle and date cannot both bear the name V14 asks for: V14 fires too.
    case("two assessments of one principle and date", "V14 V16", "charter assessment", twin_assessment),
    case(
        "not applicable, unexplained",
        "V17",
        "charter assessment: explanation",
        lambda r: r.set(r.assessment("p4"), DCTERMS.description),
    ),
    case(
        "principle written by hand",
        "V18",
        "charter principle",
        lambda r: r.graph.add((r.iri, ns("addressesPrinciple"), code("charter", "p1"))),
    ),
    case(
        "assessor unknown",
        "V19",
        "charter assessment: assessing organisation",
        lambda r: r.set(r.assessment("p2"), DCTERMS.creator, code("organisation", "nobody")),
    ),
    case(
        "submitter unknown",
        "V19",
        "registration submitted by",
        lambda r: r.set(r.group("aiAct"), ns("registrationSubmitter"), code("organisation", "nobody")),
    ),
    case("two addresses", "V20", "postal address", unknown_address, organisation=True),
    case(
        "address as text",
        "V20",
        "postal address",
        lambda r: r.set(r.iri, VCARD.hasAddress, Literal("Rue Imaginaire 1, 1000 Bruxelles")),
        organisation=True,
    ),
    case(
        "telephone as text",
        "V6",
        "public contact: telephone",
        lambda r: r.set(r.iri, VCARD.hasTelephone, Literal("+32 2 000 00 00")),
        organisation=True,
    ),
    case(
        "street without language",
        "V5",
        "postal address: street and number",
        lambda r: r.graph.add((r.group(VCARD.hasAddress), VCARD["street-address"], Literal("Rue 1"))),
        organisation=True,
    ),
]


@dataclass(frozen=True)
class Gap:
    rule: str
    edit: Edit
    group: str | None  # the group whose withholding silences the warning, if the gap is in one


def automated(r: Record) -> None:
    r.set(r.group(TECH.hasIntendedUse), ns("decisionRole"), code("decision-role", "automated-decision"))


def without_dpia(r: Record) -> None:
    r.drop(r.group("dpia"))
    node = BNode()  # the group stays, declared but empty (a gap) or withheld
    r.graph.add((r.iri, ns("dpia"), node))
    r.graph.add((node, RDF.type, DPV.DPIA))
    r.graph.add((node, ns("declaredBy"), code("declarant", "deployer")))
    r.graph.add((node, ns("lastConfirmed"), Literal("2026-01-15", datatype=XSD.date)))


def unassessed(r: Record) -> None:
    for assessment in list(r.graph.objects(r.iri, DPV.hasAssessment)):
        r.drop(assessment)


def deployed_by_an_office_without_locality(r: Record) -> None:
    """The deployer as a copy of the fixture's, whose address gives street and postal code but no locality."""
    office = URIRef(f"{DEPLOYER}-without-locality")
    organisations = Graph().parse(FIXTURE / "organisations.ttl", format="turtle")
    for _s, p, o in organisations.triples((DEPLOYER, None, None)):
        r.graph.add((office, p, o))
        if p == VCARD.hasAddress:
            for triple in organisations.triples((o, None, None)):
                if triple[1] != VCARD.locality:
                    r.graph.add(triple)
    r.set(r.iri, TECH.hasDeployer, office)


def gaps_in(*edits: Edit) -> Edit:
    def edit(r: Record) -> None:
        for one in edits:
            one(r)

    return edit


GAPS = [
    Gap("W1", lambda r: r.set(r.group("fria"), DCTERMS.abstract), "fria"),
    Gap("W2", without_dpia, "dpia"),
    Gap("W2", lambda r: r.set(r.group("dpia"), DCTERMS.abstract), "dpia"),  # done, but no summary for C.5
    Gap("W3", lambda r: r.set(r.group("aiAct"), ns("providerDatabaseEntry")), "aiAct"),
    Gap("W4", lambda r: r.set(r.group("aiAct"), ns("highRiskCategory")), "aiAct"),
    Gap(
        "W5",
        lambda r: r.set(r.group("aiAct"), ns("registrationStatus"), code("registration-status", "not-registered")),
        "aiAct",
    ),
    Gap("W6", gaps_in(automated, lambda r: r.set(r.group("humanOversight"), ns("oversightMethod"))), "humanOversight"),
    Gap("W7", gaps_in(automated, lambda r: r.set(r.group("publicRights"), ns("appealProcedure"))), "publicRights"),
    Gap("W8", unassessed, None),
    Gap("W9", lambda r: r.set(r.assessment("p2"), DCTERMS.description), None),
    Gap("W9", lambda r: r.set(r.assessment("p2"), DCTERMS.creator), None),
    Gap("W10", lambda r: r.set(r.group("humanOversight"), ns("declaredBy")), "humanOversight"),
    Gap("W10", lambda r: r.set(r.group("legalFramework"), ns("lastConfirmed")), "legalFramework"),
    Gap("W11", lambda r: r.set(r.iri, TECH.hasDeployer, SEED_ORGANISATION), None),
    Gap("W11", deployed_by_an_office_without_locality, None),
    # Profile 1's rule: a withheld AI Act group silences it, like every gap of a withheld group.
    Gap(
        "W12",
        gaps_in(
            lambda r: r.set(r.iri, EU_AIACT.hasRiskLevel),
            lambda r: r.drop(r.group("fria")),
            lambda r: r.set(r.group("aiAct"), ns("highRiskCategory")),
            lambda r: r.set(r.group("aiAct"), ns("registrationStatus")),
        ),
        "aiAct",
    ),
]


def _gap_cases() -> list[Case]:
    cases = []
    for number, gap in enumerate(GAPS):
        cases.append(case(f"{gap.rule} gap {number}", gap.rule, "", gap.edit))
        if gap.group is not None:
            group = gap.group
            cases.append(
                case(f"{gap.rule} withheld {number}", "", "", gaps_in(gap.edit, lambda r, g=group: r.withhold(g)))
            )
    return cases


GAP_CASES = _gap_cases()


def outside_article_27(category: str) -> Edit:
    """Annex I (Article 6(1)) or Annex III point 2: no FRIA (Article 27(1)) and no deployer registration in
    the EU database (Article 49(3), (5)), so W1, W3 and W5 do not ask for them."""

    def edit(r: Record) -> None:
        ai_act = r.group("aiAct")
        r.set(ai_act, ns("highRiskCategory"), code("high-risk-category", category))
        r.set(ai_act, ns("providerDatabaseEntry"))
        r.set(ai_act, ns("registrationStatus"), code("registration-status", "not-registered"))
        r.set(r.group("fria"), DCTERMS.abstract)

    return edit


def registration(status: str) -> Edit:
    """A registration status saying the deployer does not register in the EU database: W3 and W5 are silent."""

    def edit(r: Record) -> None:
        r.set(r.group("aiAct"), ns("providerDatabaseEntry"))
        r.set(r.group("aiAct"), ns("registrationStatus"), code("registration-status", status))

    return edit


OUT_OF_SCOPE = [
    case("Annex I", "", "", outside_article_27("annex-i")),
    case("Annex III point 2", "", "", outside_article_27("annex-iii-2")),
    case("registration not required", "", "", registration("not-required")),
    case("registered nationally", "", "", registration("registered-nationally")),
]


def without_contact(r: Record) -> None:
    r.drop(r.group(DCAT.contactPoint))


CONTACT_CASES = [
    case("no contact point", "", "contact point", without_contact),
    case("no contact point, rights withheld", "", "", gaps_in(without_contact, lambda r: r.withhold("publicRights"))),
]
CASES = [*VIOLATIONS, *GAP_CASES, *OUT_OF_SCOPE, *CONTACT_CASES]


def _record_file(root: Path, item: Case) -> None:
    """The fixture's project (or deploying organisation) under the case's own name, edited."""
    if item.organisation:
        text = (FIXTURE / "organisations.ttl").read_text("utf-8").replace(str(DEPLOYER), str(item.iri()))
        graph = Graph().parse(data=text, format="turtle")
        graph.remove((SUBMITTER, None, None))
        graph.remove((None, None, SUBMITTER))
    else:
        text = (FIXTURE / f"{REF}.ttl").read_text("utf-8").replace(REF, item.ref)
        graph = Graph().parse(data=text, format="turtle")
    item.edit(Record(graph, item.iri()))
    (root / item.file).write_text(graph.serialize(format="turtle"), "utf-8")


@pytest.fixture(scope="module")
def root(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = accountability_root(repo_root, tmp_path_factory.mktemp("accountability") / "root")
    for item in CASES:
        _record_file(root, item)
    return root


@pytest.fixture(scope="module")
def report(root: Path) -> Report:
    return validate_content(load(root, Base(B)))


@pytest.fixture(scope="module")
def rules(root: Path) -> dict[str, str]:
    """Shape IRI -> the contract's rule number (skos:notation)."""
    shapes = load(root, Base(B)).shapes
    return {str(s): str(n) for s, n in shapes.subject_objects(SKOS.notation) if str(s).startswith(SHAPES)}


def findings(report: Report, file: str, severity: str) -> list[Finding]:
    return [f for f in report.findings if f.file == file and f.severity == severity]


def test_the_fixture_has_no_finding(report: Report) -> None:
    assert [f for f in report.findings if f.file in (PROJECT_FILE, ORGANISATIONS_FILE)] == []


def test_the_shapes_implement_exactly_the_contracts_list(rules: dict[str, str]) -> None:
    section = CONTRACT.read_text("utf-8").split("## Accountability (profile 2)", 1)[1]
    listed = set(re.findall(r"^\| ([VW]\d+) \|", section, re.MULTILINE))
    assert listed == {f"V{n}" for n in range(1, 21)} | {f"W{n}" for n in range(1, 13)}
    assert set(rules.values()) == listed
    tested = {rule for item in VIOLATIONS for rule in item.rules} | {gap.rule for gap in GAPS}
    assert tested == listed


@pytest.mark.parametrize("item", VIOLATIONS, ids=lambda c: f"{'+'.join(sorted(c.rules))} {c.name}")
def test_violation_names_record_field_and_fix(item: Case, report: Report, rules: dict[str, str]) -> None:
    found = findings(report, item.file, "violation")
    assert {rules.get(f.shape or "") for f in found} == item.rules, [(f.shape, f.message) for f in found]
    assert {f.record for f in found} == {str(item.iri())}
    assert item.field in {f.field for f in found}
    for finding in found:
        assert finding.message and finding.fix and "{" not in finding.message


def test_messages_name_the_values(report: Report) -> None:
    """SPARQL-based rules say which role, principle and date are wrong, not a placeholder."""
    by_case = {c.name: findings(report, c.file, "violation") for c in VIOLATIONS}
    assert any("'Decision support'" in f.message for f in by_case["solely automated, decision support"])
    assert any("principle P2 on 2026-01-15" in f.message for f in by_case["two assessments of one principle and date"])
    assert any("principle P4 does not apply" in f.message for f in by_case["not applicable, unexplained"])


@pytest.mark.parametrize("item", [c for c in GAP_CASES if c.rules], ids=lambda c: c.name)
def test_warning_fires_where_the_gap_is(item: Case, report: Report, rules: dict[str, str]) -> None:
    assert findings(report, item.file, "violation") == [], "a gap never blocks publication"
    warned = findings(report, item.file, "warning")
    assert {rules.get(f.shape or "") for f in warned} == item.rules, [(f.shape, f.message) for f in warned]
    assert all(f.record == str(item.iri()) and f.fix for f in warned)


@pytest.mark.parametrize("item", [c for c in GAP_CASES if not c.rules], ids=lambda c: c.name)
def test_warning_is_silent_where_the_group_is_withheld(item: Case, report: Report) -> None:
    assert findings(report, item.file, "violation") == []
    assert findings(report, item.file, "warning") == []


def test_a_group_without_declaration_is_reported_on_the_declaration_columns(root: Path, report: Report) -> None:
    """Regression: W10's path was the group property alone, so the spreadsheet put the finding on the group's
    first column; each missing declaration field is now a finding on its own path and column."""
    from airegister.importers.spreadsheet.model import models

    sheet = models(load(root, Base(B)))["projects"]
    placed = set()
    for item in GAP_CASES:
        if item.rules == {"W10"}:
            for finding in findings(report, item.file, "warning"):
                placed |= {(finding.field, column.key) for column in sheet.columns_named(finding.field)}
    assert placed == {
        ("human oversight: who declared it", "oversight_declared_by"),
        ("legal framework: when last confirmed", "legal_confirmed"),
    }


@pytest.mark.parametrize("item", OUT_OF_SCOPE, ids=lambda c: c.name)
def test_no_fria_or_eu_database_gap_where_the_ai_act_asks_for_none(item: Case, report: Report) -> None:
    """W1 (Article 27(1)), W3 and W5 (Article 49(3)) skip Annex I and Annex III point 2 systems, and W3/W5 a
    use that need not be registered or is registered nationally; the same gaps fire for Annex III 5(a)."""
    assert findings(report, item.file, "violation") == []
    assert [(f.field, f.message) for f in findings(report, item.file, "warning")] == []


def test_the_contact_point_warning_is_silent_where_public_rights_are_withheld(report: Report) -> None:
    gap, withheld = CONTACT_CASES
    assert {f.field for f in findings(report, gap.file, "warning")} == {"contact point"}
    assert findings(report, withheld.file, "warning") == []


def test_the_seed_publishes_with_its_gaps_as_warnings(repo_root: Path, rules: dict[str, str]) -> None:
    seed = validate_content(load(repo_root, Base(B)))
    assert seed.violations == 0, [(f.file, f.message) for f in seed.findings if f.severity == "violation"]
    assert "W8" in {rules.get(f.shape or "") for f in seed.findings if f.severity == "warning"}


def test_chunked_validation_skipped_values_checked_through_other_shapes(root: Path, report: Report) -> None:
    """Regression: in every chunk but the first, pySHACL skipped the values a shape checks through another
    (sh:and, sh:or, sh:not: a concept's scheme, a date's form), so V2 and V15 passed and V9 fired wrongly."""
    chunked = validate_content(load(root, Base(B)), chunk_records=25)

    def key(f: Finding) -> tuple[object, ...]:
        return (f.severity, f.file, f.record, f.shape, f.message, f.value)

    assert sorted(map(key, chunked.findings)) == sorted(map(key, report.findings))
