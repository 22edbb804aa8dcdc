"""Profile 2 through the curators' spreadsheet: the accountability columns of the Projects sheet, the Charter
sheet (one row per project, principle and date) and the Organisations sheet's address and public contact.

The contract's column keys are read from docs/data-model.md, so the tables of the spreadsheet and of the
contract cannot drift apart; the fictional fixture (tests/fixtures/accountability/) carries every field.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from accountability_fixture import DEPLOYER, ORGANISATIONS_FILE, PROJECT, PROJECT_FILE, REF, accountability_root
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS, XSD
from test_spreadsheet import run, snapshot, triples

from airegister.cli import main
from airegister.content.groups import groups
from airegister.content.load import load
from airegister.importers.spreadsheet.accountability_columns import accountability_columns
from airegister.importers.spreadsheet.columns import COLUMN_ORDER, Column, Kind
from airegister.importers.spreadsheet.model import models
from airegister.rdf.namespaces import DEFAULT_BASE, DPV, STANDARD_PREFIXES, VCARD, Base

REPO = Path(__file__).resolve().parents[1]
B = DEFAULT_BASE
NS = B + "ns#"
PREFIXES = {**STANDARD_PREFIXES, "ns": NS}
SECTION = "## Accountability (profile 2)"
CHARTER_SUFFIX = "#assessment-"


# ------------------------------------------------------------------------------------------ the contract


def contract_tables() -> list[tuple[str, list[dict[str, str]]]]:
    """The tables of the contract's section as (subsection title, rows as header -> cell)."""
    text = (REPO / "docs" / "data-model.md").read_text(encoding="utf-8")
    assert SECTION in text, f"docs/data-model.md has no section {SECTION!r}"
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    tables: list[tuple[str, list[dict[str, str]]]] = []
    title, header = "", None
    for line in section.splitlines():
        if line.startswith("### "):
            title = line[4:]
        if not line.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
            tables.append((title, []))
        elif not set(line) <= {"|", "-", " ", ":"}:
            tables[-1][1].append(dict(zip(header, cells, strict=True)))
    return tables


Field = tuple[str, "tuple[URIRef, ...] | None", str, str]  # column key, RDF path, value kind, card.


def contract_columns() -> dict[str, list[Field]]:
    """Per sheet ('projects', 'organisations', 'charter'): every field row of the contract, declaration rows
    once per group (`{prefix}`), language texts once per language (`_*`)."""
    tables = contract_tables()
    groups = [(code(r["column prefix"]), path(r["group property (from the project)"])) for _t, rows in tables
              for r in rows if "column prefix" in r]  # fmt: skip
    assert len(groups) >= 10, "the contract's group table is missing"
    found: dict[str, list[Field]] = {}
    for title, rows in tables:
        for row in (r for r in rows if "column key" in r):
            sheet = "organisations" if "Organisation" in title else "charter" if "Charter" in title else "projects"
            key = code(row["column key"])
            steps = path(next(v for k, v in row.items() if k.startswith("RDF path")))
            card = next(v for k, v in row.items() if k.startswith("card."))
            for prefix, group in groups if "{prefix}" in key else [("", None)]:
                concrete = key.replace("{prefix}", prefix)
                full = None if steps is None else tuple(group[0] if s == URIRef("G") and group else s for s in steps)
                keys = [concrete[:-1] + lang for lang in COLUMN_ORDER] if concrete.endswith("_*") else [concrete]
                found.setdefault(sheet, []).extend((k, full, row["value kind"], card) for k in keys)
    return found


def code(cell: str) -> str:
    found = re.search(r"`([^`]+)`", cell)
    assert found, f"a cell of the contract without a `name`: {cell!r}"
    return found.group(1)


def path(cell: str) -> tuple[URIRef, ...] | None:
    if cell.startswith("("):
        return None
    steps = [s.strip() for s in code(cell).split("/")]
    return tuple(URIRef("G") if s == "G" else URIRef(PREFIXES[s.split(":")[0]] + s.split(":", 1)[1]) for s in steps)


def expected_kind(kind: str, card: str) -> tuple[set[Kind], bool]:
    """The column kinds a contract value kind allows, and whether the column takes several values."""
    multi = card.endswith("..n")
    if "language text" in kind:
        return {Kind.LANG_TEXT}, multi
    if "xsd:boolean" in kind:
        return {Kind.BOOLEAN}, multi
    if "xsd:date" in kind:
        return {Kind.DAY}, multi
    if "mailto:" in kind:
        return {Kind.EMAIL}, multi
    if "tel:" in kind:
        return {Kind.PHONE}, multi
    if "org:Organization" in kind:
        return {Kind.ORGANISATION}, multi
    if "code list" in kind or "concept" in kind or "one of" in kind:
        return {Kind.CONCEPT}, multi
    if "IRI" in kind:
        return {Kind.IRI}, multi
    if "the project" in kind:
        return {Kind.IDENTIFIER}, multi
    return {Kind.TEXT}, multi


# ------------------------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def pristine(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content plus the fictional fixture; tests that import work on a copy (`root`)."""
    return accountability_root(repo_root, tmp_path_factory.mktemp("accountability") / "root")


@pytest.fixture
def root(pristine: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(pristine, tmp_path / "root"))


@pytest.fixture(scope="module")
def workbook(pristine: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The register with the fixture, as an English workbook."""
    path = tmp_path_factory.mktemp("export") / "register.xlsx"
    assert main(["export", "spreadsheet", str(path), "--root", str(pristine)]) == 0
    return path


def sheet_of(book: object, name: str) -> tuple[Worksheet, dict[str, int]]:
    sheet = book[name]  # type: ignore[index]
    return sheet, {str(c.value): int(c.column) for c in sheet[1] if c.value}


def row_where(sheet: Worksheet, **cells: str) -> int:
    """The first row whose cells (by header) say what is given."""
    header = {str(c.value): int(c.column) for c in sheet[1] if c.value}
    for row in range(2, sheet.max_row + 1):
        if all(sheet.cell(row, header[h]).value == v for h, v in cells.items()):
            return row
    raise AssertionError(f"no row with {cells}")


def offered(book: object, sheet: Worksheet, column: int) -> set[str]:
    """What a column's drop-down offers: the cells of the hidden list its validation points to."""
    validation = next(
        v for v in sheet.data_validations.dataValidation if min(r.min_col for r in v.sqref.ranges) == column
    )
    start, end = re.findall(r"\$([A-Z]+)\$(\d+)", validation.formula1)
    return {book["lists"][f"{start[0]}{n}"].value for n in range(int(start[1]), int(end[1]) + 1)}  # type: ignore[index]


def errors(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("error:")]


def headers_of(pristine: Path) -> dict[str, dict[str, Column]]:
    """Per sheet, the column of each English header."""
    loaded = models(load(pristine, Base(DEFAULT_BASE)))
    return {name: {m.header(c, "en"): c for c in m.columns} for name, m in loaded.items()}


# ------------------------------------------------------------------------------------------ round trips


def test_the_fixture_round_trips_byte_identically(
    root: Path, workbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = load_workbook(workbook)
    charter, _ = sheet_of(book, "Charter")
    assert [r[0].value for r in charter.iter_rows(min_row=2)] == [REF] * 4  # the fixture's four assessments
    organisations, col = sheet_of(book, "Organisations")
    office = row_where(organisations, IRI=str(DEPLOYER))
    assert organisations.cell(office, col["Telephone"]).value == "+3220000000"
    projects, col = sheet_of(book, "Projects")
    assert projects.cell(row_where(projects, Identifier=REF), col["Human oversight: who oversees (en)"]).value == (
        "The benefits team leader (fictional)."
    )
    before = snapshot(root)
    code, out = run(capsys, "import", "spreadsheet", str(workbook), "--root", str(root))
    assert code == 0, out
    assert "wrote 0 file(s); 0 error(s)" in out
    assert snapshot(root) == before


def test_each_sheet_round_trips_as_csv_in_another_language(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(root)
    for sheet in ("projects", "charter", "organisations"):
        path = tmp_path / f"{sheet}.csv"
        code, out = run(
            capsys, "export", "spreadsheet", str(path), "--root", str(root), "--lang", "nl", "--sheet", sheet
        )
        assert code == 0, out
        code, out = run(capsys, "import", "spreadsheet", str(path), "--root", str(root))
        assert (code, errors(out)) == (0, []), out
        assert "wrote 0 file(s)" in out
    assert snapshot(root) == before
    assert "Beginsel" in (tmp_path / "charter.csv").read_text(encoding="utf-8-sig").splitlines()[0]


# ------------------------------------------------------------------------------------------ columns


def test_every_field_of_the_contract_has_a_column_on_its_path(pristine: Path) -> None:
    loaded = models(load(pristine, Base(DEFAULT_BASE)))
    contract = contract_columns()
    assert set(contract) == {"projects", "charter", "organisations"}
    wrong = []
    for sheet, fields in contract.items():
        table = loaded[sheet].table
        by_key = {c.key: c for c in table.columns}
        for key, steps, kind, card in fields:
            column = by_key.get(key)
            if column is None:
                wrong.append(f"{sheet}: no column {key!r}")
                continue
            kinds, multi = expected_kind(kind, card)
            if steps is not None and table.via + column.path != steps:
                wrong.append(f"{sheet}: {key} carries {table.via + column.path}, the contract says {steps}")
            if column.kind not in kinds or column.multi != multi:
                wrong.append(
                    f"{sheet}: {key} is {column.kind} (several: {column.multi}), the contract says {kind}, {card}"
                )
    assert not wrong, "\n".join(wrong)
    assert "principle" not in {c.key for c in loaded["projects"].columns}, "ns:addressesPrinciple is derived now"
    # no profile-2 column beyond the contract's (bias_date joined its tables in 77842df)
    extra = {c.key for c in accountability_columns(Base(DEFAULT_BASE))} - {k for k, *_ in contract["projects"]}
    assert extra == set()


def test_the_groups_table_is_the_contracts() -> None:
    """content/groups.py, read by the spreadsheet and the exports, names the contract's groups in its order."""
    table = [r for _t, rows in contract_tables() for r in rows if "column prefix" in r]
    contract = [(code(r["column prefix"]), path(r["group property (from the project)"]), path(r["node type"]))
                for r in table]  # fmt: skip
    ours = [(g.prefix, (g.prop,), (g.node_type,)) for g in groups(Base(DEFAULT_BASE))]
    assert ours == contract


def test_the_drop_downs_list_the_schemes_concepts(pristine: Path, workbook: Path) -> None:
    """Where a column names its schemes; test_spreadsheet_shapes checks every drop-down against the shapes."""
    book = load_workbook(workbook)
    by_name = headers_of(pristine)
    checked = set()
    for sheet_name, table in (("Projects", "projects"), ("Charter", "charter")):
        sheet, header = sheet_of(book, sheet_name)
        for text, number in header.items():
            column = by_name[table][text]
            ours = all("://" not in scheme for scheme in column.schemes)  # schemes of ontology/ and data/charter.ttl
            if column.kind is Kind.CONCEPT and column.schemes and ours and not column.open:
                expected = scheme_labels(pristine, column.schemes, numbered=column.numbered)
                assert offered(book, sheet, number) == expected, (sheet_name, text)
                checked.add(column.key)
    assert {"decision_role", "dpia_declared_by", "risks_withheld", "high_risk_category", "registration_status",
            "principle", "status"} <= checked  # fmt: skip
    charter, header = sheet_of(book, "Charter")
    assert "Fictional Benefits Office (test example)" in offered(book, charter, header["Assessed by"])


def scheme_labels(root: Path, schemes: tuple[str, ...], numbered: bool = False) -> set[str]:
    """The English labels of a scheme's concepts, read from its file (the charter's from data/charter.ttl);
    `numbered`: after the concept's notation."""
    labels = set()
    for scheme in schemes:
        source = root / ("data/charter.ttl" if scheme == "charter" else f"ontology/schemes/{scheme}.ttl")
        graph = Graph().parse(source)
        for concept in graph.subjects(SKOS.inScheme, URIRef(f"{B}id/{scheme}")):
            point = f"{graph.value(concept, SKOS.notation)} " if numbered else ""
            labels |= {point + str(x) for x in graph.objects(concept, SKOS.prefLabel) if x.language == "en"}  # type: ignore[attr-defined]
    return labels


# ------------------------------------------------------------------------------------------ the charter


FIFTH = """
<https://w3id.org/be-ai-register/id/charter/p5> a skos:Concept ;
    skos:inScheme <https://w3id.org/be-ai-register/id/charter> ;
    skos:topConceptOf <https://w3id.org/be-ai-register/id/charter> ;
    skos:notation "P5" ;
    skos:prefLabel "Principe fictif cinq (test)"@fr, "Fictief beginsel vijf (test)"@nl,
        "Fiktiver Grundsatz fünf (Test)"@de, "Fictional principle five (test)"@en .
"""


def test_a_fifth_principle_in_charter_ttl_is_offered_and_its_rows_import(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue #15 point 8: adding a principle to data/charter.ttl is the only edit it takes."""
    with (root / "data/charter.ttl").open("a", encoding="utf-8") as charter_file:
        charter_file.write(FIFTH)  # a fictional principle, for this test only
    path = tmp_path / "fr.xlsx"
    assert main(["export", "spreadsheet", str(path), "--root", str(root), "--lang", "fr"]) == 0
    book = load_workbook(path)
    charter, col = sheet_of(book, "Charte")
    principles = offered(book, charter, col["Principe"])
    assert "Principe fictif cinq (test)" in principles and len(principles) == 5
    assert "Principe fictif cinq (test)" in {r[1].value for r in book["Principes"].iter_rows(min_row=2)}
    row = charter.max_row + 1
    for header, value in (("Projet", REF), ("Principe", "Principe fictif cinq (test)"), ("Date", "2026-02-01"),
                          ("Statut", "Pris en compte"), ("Explication (fr)", "Raison fictive."),
                          ("Évalué par", "Office fictif des allocations (exemple de test)")):  # fmt: skip
        charter.cell(row, col[header]).value = value
    book.save(path)
    before = snapshot(root)

    code, out = run(capsys, "import", "spreadsheet", str(path), "--root", str(root))

    assert (code, errors(out)) == (0, []), out
    after = snapshot(root)
    assert {k for k in before if before[k] != after[k]} == {PROJECT_FILE}
    assessment = URIRef(f"{PROJECT}{CHARTER_SUFFIX}p5-2026-02-01")
    assert f"{REF}{CHARTER_SUFFIX}p5-2026-02-01 (sheet 'Charte', row {row}, new assessment):" in out
    graph = Graph().parse(root / PROJECT_FILE)
    assert set(graph.predicate_objects(assessment)) == {
        (RDF.type, DPV.Assessment),
        (DCTERMS.subject, URIRef(f"{B}id/charter/p5")),
        (DCTERMS.date, Literal("2026-02-01", datatype=XSD.date)),
        (DPV.hasStatus, URIRef(f"{B}id/assessment-status/addressed")),
        (DCTERMS.description, Literal("Raison fictive.", lang="fr")),
        (DCTERMS.creator, DEPLOYER),
    }
    assert (PROJECT, DPV.hasAssessment, assessment) in graph
    assert len(set(graph.objects(PROJECT, DPV.hasAssessment))) == 5  # the other four stay


def test_edits_on_every_sheet_change_exactly_those_facts(
    root: Path, workbook: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = load_workbook(workbook)
    projects, col = sheet_of(book, "Projects")
    r = row_where(projects, Identifier=REF)
    projects.cell(r, col["Data-protection impact assessment: date"]).value = "2025-12-01"
    projects.cell(r, col["Purpose (nl)"]).value = "Fictieve aanvragen rangschikken."  # a language it lacked
    projects.cell(r, col["Purpose and decision role: decision role"]).value = "Aide à la décision"  # a French label
    projects.cell(r, col["The public's rights: human alternative"]).value = "nee"
    projects.cell(r, col["Risks and mitigations: reason withheld (en)"]).value = None  # one language of two
    charter, col = sheet_of(book, "Charter")
    charter.cell(row_where(charter, Principle="Transparency of systems"), col["Status"]).value = "Addressed"
    row = charter.max_row + 1
    for header, value in (("Project", REF), ("Principle", "P3"), ("Date", "2026-02-02"),
                          ("Status", "Not yet addressed"),
                          ("Evidence (link)", "https://example.org/a | https://example.org/b")):  # fmt: skip
        charter.cell(row, col[header]).value = value
    organisations, col = sheet_of(book, "Organisations")
    office = row_where(organisations, IRI=str(DEPLOYER))
    organisations.cell(office, col["Telephone"]).value = "+32 2 111 22 33"
    organisations.cell(office, col["Locality (de)"]).value = "Brüssel"
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    before = snapshot(root)
    old_project, old_orgs = triples(root / PROJECT_FILE), triples(root / ORGANISATIONS_FILE)

    code, out = run(capsys, "import", "spreadsheet", str(edited), "--root", str(root))

    assert (code, errors(out)) == (0, []), out
    after = snapshot(root)
    assert {k for k in before if before[k] != after[k]} == {PROJECT_FILE, ORGANISATIONS_FILE}
    project, orgs = triples(root / PROJECT_FILE), triples(root / ORGANISATIONS_FILE)
    ns, status = (lambda name: URIRef(NS + name)), (lambda ref: URIRef(f"{B}id/assessment-status/{ref}"))
    p2, p3 = URIRef(f"{PROJECT}{CHARTER_SUFFIX}p2-2026-01-15"), URIRef(f"{PROJECT}{CHARTER_SUFFIX}p3-2026-02-02")
    note = "The fraud-detection thresholds are not published (fictional)."
    assert old_project - project == {
        ("_", DCTERMS.date, Literal("2025-11-30", datatype=XSD.date)),
        ("_", ns("humanAlternative"), Literal(True)),
        ("_", ns("withheldNote"), Literal(note, lang="en")),
        (p2, DPV.hasStatus, status("partly-addressed")),
    }
    assert project - old_project == {
        ("_", DCTERMS.date, Literal("2025-12-01", datatype=XSD.date)),
        ("_", DCTERMS.description, Literal("Fictieve aanvragen rangschikken.", lang="nl")),
        ("_", ns("humanAlternative"), Literal(False)),
        (p2, DPV.hasStatus, status("addressed")),
        (PROJECT, DPV.hasAssessment, p3),
        (p3, RDF.type, DPV.Assessment),
        (p3, DCTERMS.subject, URIRef(f"{B}id/charter/p3")),
        (p3, DCTERMS.date, Literal("2026-02-02", datatype=XSD.date)),
        (p3, DPV.hasStatus, status("not-yet-addressed")),
        (p3, FOAF.page, URIRef("https://example.org/a")),
        (p3, FOAF.page, URIRef("https://example.org/b")),
    }  # the decision role, given as a French label of the value it had, is unchanged
    assert old_orgs - orgs == {(DEPLOYER, VCARD.hasTelephone, URIRef("tel:+3220000000"))}
    assert orgs - old_orgs == {
        (DEPLOYER, VCARD.hasTelephone, URIRef("tel:+3221112233")),
        ("_", VCARD.locality, Literal("Brüssel", lang="de")),
    }


# ------------------------------------------------------------------------------------------ mistakes


def test_every_new_kind_of_mistake_is_named_by_sheet_row_column_and_fix(
    root: Path, workbook: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = load_workbook(workbook)
    projects, col = sheet_of(book, "Projects")
    p = {ref: row_where(projects, Identifier=ref) for ref in ("pstw-10", "pstw-11", "pstw-12", "pstw-13")}
    projects.cell(p["pstw-10"], col["Purpose and decision role: decision role"]).value = "Decides alone"
    projects.cell(p["pstw-11"], col["Data-protection impact assessment: date"]).value = "30/11/2025"
    projects.cell(p["pstw-12"], col["Contact email"]).value = "ai(at)example.org"
    projects.cell(p["pstw-13"], col["Data-protection impact assessment: document"]).value = "www.example.org/dpia"
    charter, col = sheet_of(book, "Charter")
    first = row_where(charter, Principle="Guaranteed human interaction", Date="2026-01-15")
    rows = {}
    for name, (project, principle, date, status) in {
        "repeat": (REF, "Guaranteed human interaction", "2026-01-15", "Addressed"),
        "unknown": ("be-2099-0002", "P2", "2026-01-15", "Addressed"),
        "date": (REF, "P3", "15/01/2026", "Addressed"),
        "status": (REF, "P3", "2026-01-16", "Done"),
        "no status": (REF, "P3", "2026-01-17", ""),
        "no reason": (REF, "P3", "2026-01-18", "Not applicable"),  # and no explanation (the shapes' rule)
    }.items():
        rows[name] = charter.max_row + 1
        for header, value in (("Project", project), ("Principle", principle), ("Date", date), ("Status", status)):
            charter.cell(rows[name], col[header]).value = value
    organisations, col = sheet_of(book, "Organisations")
    office = row_where(organisations, IRI=str(DEPLOYER))
    organisations.cell(office, col["Telephone"]).value = "02 000 00 00"
    organisations.cell(office, col["Name"]).value = "Office of Fiction"
    edited = tmp_path / "mistakes.xlsx"
    book.save(edited)
    before = snapshot(root)

    code, out = run(capsys, "import", "spreadsheet", str(edited), "--root", str(root))

    assert code == 1 and snapshot(root) == before
    letter = {h: c.column_letter for c in projects[1] for h in [c.value]}
    at = "error: mistakes.xlsx, sheet "
    assert sorted(errors(out)) == sorted(
        [
            f"{at}'Projects', row {p['pstw-10']}, column {letter['Purpose and decision role: decision role']} "
            "'Purpose and decision role: decision role': 'Decides alone' is not an allowed value of 'Purpose and "
            "decision role: decision role' -- write one of: Automatic decision, Decision support, No decision",
            f"{at}'Projects', row {p['pstw-11']}, column {letter['Data-protection impact assessment: date']} "
            "'Data-protection impact assessment: date': '30/11/2025' is not a date -- write YYYY-MM-DD, e.g. "
            "2026-01-15",
            f"{at}'Projects', row {p['pstw-12']}, column {letter['Contact email']} 'Contact email': "
            "'ai(at)example.org' is not an e-mail address -- write an address such as ai@example.be",
            f"{at}'Projects', row {p['pstw-13']}, column {letter['Data-protection impact assessment: document']} "
            "'Data-protection impact assessment: document': 'www.example.org/dpia' is not a web address -- write a "
            "full address starting with https://",
            f"{at}'Charter', row {rows['repeat']}, column C 'Date': the row repeats row {first}: the same project, "
            "principle and date (found: 2026-01-15) -- keep one row per project, principle and date; an update is "
            "a new row with the date it was made",
            f"{at}'Charter', row {rows['unknown']}, column A 'Project': no project has the identifier 'be-2099-0002'; "
            f"did you mean '{REF}'? -- write an identifier from the Projects sheet (a new project gets one when the "
            "Projects sheet is imported; add its Charter rows after that)",
            f"{at}'Charter', row {rows['date']}, column C 'Date': '15/01/2026' is not a date -- write YYYY-MM-DD, "
            "e.g. 2026-01-15",
            f"{at}'Charter', row {rows['status']}, column D 'Status': 'Done' is not an allowed value of 'Status' -- "
            "write one of: Addressed, Not applicable, Not yet addressed, Partly addressed",
            f"{at}'Charter', row {rows['no status']}, column D 'Status': the assessment has no status, a mandatory "
            "field -- fill in 'Status'",
            f"{at}'Charter', row {rows['no reason']}, column E 'Explanation (fr)': The assessment says principle P3 "
            "does not apply, without saying why. -- Say why the principle does not apply in 'Explanation' "
            "(fr/nl/de/en)",
            f"{at}'Organisations', row {office}, column {col_letter(organisations, 'Telephone')} 'Telephone': "
            "'02 000 00 00' is not a telephone number in international form -- write + and the country code, then "
            "the number without its leading 0, e.g. +32 2 000 00 00",
        ]
    )
    assert (
        f"warning: mistakes.xlsx, sheet 'Organisations', row {office}, column A 'Name': names, other names, levels "
        "and KBO numbers are not imported from the sheet; the change is ignored (found: Office of Fiction) -- edit "
        f"the organisation in {ORGANISATIONS_FILE}"
    ) in out


def test_a_withheld_note_without_a_reason_is_named_on_its_row_and_column(
    root: Path, workbook: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """V13 is the shapes' rule; the import places its finding on the row and on the reason's column."""
    book = load_workbook(workbook)
    projects, col = sheet_of(book, "Projects")
    row = row_where(projects, Identifier="pstw-14")
    projects.cell(row, col["Human oversight: reason withheld (en)"]).value = "Not published."  # and no reason
    edited = tmp_path / "withheld.xlsx"
    book.save(edited)
    before = snapshot(root)
    code, out = run(capsys, "import", "spreadsheet", str(edited), "--root", str(root))
    assert code == 1 and snapshot(root) == before
    reason = "Human oversight: withheld because"
    assert errors(out) == [
        f"error: withheld.xlsx, sheet 'Projects', row {row}, column {col_letter(projects, reason)} '{reason}': The "
        f"human oversight facts are withheld without a reason, or with the reason 'other' and no explanation. -- "
        f"Choose a reason in '{reason}' (explain 'other' in 'Human oversight: reason withheld' (fr/nl/de/en)), or "
        "empty both"
    ]


def col_letter(sheet: Worksheet, header: str) -> str:
    return next(str(c.column_letter) for c in sheet[1] if c.value == header)


def test_an_old_sheet_with_the_principle_column_is_pointed_to_the_charter_sheet(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Profile 1's `principle` column is gone (ns:addressesPrinciple is derived): a note on the column, and
    an error on each row that still fills it in, naming the Charter sheet; nothing is silently dropped."""
    path = tmp_path / "old.csv"
    path.write_text(
        "Identifier;Phase;Addresses principle\r\npstw-10;Pilot;Guaranteed human interaction\r\npstw-11;Pilot;\r\n",
        encoding="utf-8",
    )
    before = snapshot(root)
    code, out = run(capsys, "import", "spreadsheet", str(path), "--root", str(root))
    assert code == 1 and snapshot(root) == before
    assert errors(out) == [
        "error: old.csv, row 2, column C 'Addresses principle': a principle is no longer written on the Projects "
        "sheet (found: Guaranteed human interaction) -- record the assessment on the Charter sheet (one row per "
        "project, principle and date, with a status) and empty this cell"
    ]
    assert (
        "warning: old.csv, row 1, column C 'Addresses principle': the column 'Addresses principle' is no longer "
        "imported: the principles a project addresses are derived from the assessments on the Charter sheet"
    ) in out

    path.write_text("Identifier;Phase;principle\r\npstw-10;Pilot;\r\n", encoding="utf-8")  # emptied: a note only
    code, out = run(capsys, "import", "spreadsheet", str(path), "--root", str(root))
    assert (code, errors(out)) == (0, []), out
    assert "warning: old.csv, row 1, column C 'principle': the column 'principle' is no longer imported" in out
    assert snapshot(root) == before


def test_partial_leaves_out_a_project_file_one_of_whose_rows_is_bad(
    root: Path, workbook: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A project's file holds its Projects row and its Charter rows: written whole or not at all."""
    book = load_workbook(workbook)
    projects, col = sheet_of(book, "Projects")
    good, own = row_where(projects, Identifier="pstw-10"), row_where(projects, Identifier=REF)
    projects.cell(good, col["Phase"]).value = "Stopped"
    projects.cell(own, col["Phase"]).value = "Stopped"
    charter, col = sheet_of(book, "Charter")
    bad = charter.max_row + 1
    for header, value in (("Project", REF), ("Principle", "P3"), ("Date", "2026-13-01"), ("Status", "Addressed")):
        charter.cell(bad, col[header]).value = value
    edited = tmp_path / "partial.xlsx"
    book.save(edited)
    before = snapshot(root)

    code, out = run(capsys, "import", "spreadsheet", str(edited), "--root", str(root), "--partial")

    assert code == 1
    after = snapshot(root)
    assert {k for k in before if before[k] != after[k]} == {"data/projects/pstw-10.ttl"}
    assert f"rows not imported: 'Charter' row {bad}, 'Projects' row {own}" in out
    assert f"{REF} (row {own}" not in out  # its change is not reported as made
