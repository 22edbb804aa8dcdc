"""`airegister export ai-act`: each high-risk project's deployer registration (AI Act Annex VIII Section C).

One registration per project and deploying organisation (each deployer registers its own use), read from
the register as it is held, validated or not: fields named after Annex VIII Section C, the project's IRI,
title and risk level, and what is missing for a complete registration. docs/ai-act.md maps every field to
the data and says what "complete" means.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS
from rdflib.term import Node

from airegister.content.groups import group
from airegister.content.load import ContentError, load
from airegister.rdf.languages import LANGUAGES, by_language
from airegister.rdf.namespaces import EU_AIACT, TECH, VCARD, Base
from airegister.settings import Settings

SUFFIXES = (".json", ".csv")
LIST_SEPARATOR = " "  # joins `missing` and `withheld` in a CSV cell
# C.4: the summary of the findings (dct:abstract), then Article 27(1) (a)-(f), keyed as the fria_* columns.
FRIA_PARTS = (
    ("summary", None),
    ("a_processes", "friaProcesses"),
    ("b_period", "friaPeriodAndFrequency"),
    ("c_affected", "friaAffectedPersons"),
    ("d_risks", "friaRisksOfHarm"),
    ("e_oversight", "friaHumanOversight"),
    ("f_measures", "friaMeasures"),
)
# High-risk categories with neither an Article 27 assessment (Art. 27(1): Article 6(2) systems, except Annex III
# point 2) nor a deployer's entry in the EU database (Art. 49(3): Annex III, except point 2, registered nationally
# under Art. 49(5)): C.3 and C.4 are not required of them.
NO_FRIA_NOR_EU_ENTRY = ("annex-i", "annex-iii-2")
# Registration statuses under which the deployer has no EU-database entry to give: C.3 is not required.
NO_EU_ENTRY = ("not-required", "registered-nationally")
# The groups (content/groups.py prefixes) an exported field belongs to, whose withholding the field shows.
GROUPS = ("ai_act", "fria", "dpia")

Json = dict[str, object]


@dataclass(frozen=True)
class Registration:
    """One deployer's registration of one project."""

    project: URIRef
    fields: Json  # the registration's fields; a withheld one holds its group's marker
    missing: tuple[str, ...]  # what a complete registration needs and this one lacks
    withheld: tuple[str, ...]  # the fields that hold a marker
    withheld_groups: dict[str, Json]  # group prefix -> marker, for the groups some field is withheld by

    @property
    def complete(self) -> bool:
        return not self.missing

    def as_json(self) -> Json:
        return {**self.fields, "missing": list(self.missing), "withheld": list(self.withheld)}


Nodes = tuple[Node, ...]  # the nodes a field is read from: a group's nodes (none = not stated), or one subject


def _objects(graph: Graph, subjects: Nodes, predicate: URIRef) -> Iterator[Node]:
    """The values of `predicate` on every node of `subjects`: where the shapes allow one node and the register
    holds two, both are read, so the smallest value is written whatever order the graph lists them in."""
    for subject in subjects:
        yield from graph.objects(subject, predicate)


def _texts(graph: Graph, subjects: Nodes, predicate: URIRef) -> dict[str, str] | None:
    """The texts in the register's languages, in their order; None when there is none (not stated)."""
    found = by_language(_objects(graph, subjects, predicate))
    texts = {lang: found[lang] for lang in LANGUAGES if lang in found}
    return texts or None


def _iri(graph: Graph, subjects: Nodes, predicate: URIRef) -> str | None:
    """The smallest IRI value; a literal where an IRI belongs reads as not stated."""
    values = sorted(str(v) for v in _objects(graph, subjects, predicate) if isinstance(v, URIRef))
    return values[0] if values else None


def _plain(graph: Graph, subjects: Nodes, predicate: URIRef) -> str | None:
    values = sorted(str(v) for v in _objects(graph, subjects, predicate) if isinstance(v, Literal))
    return values[0] if values else None


def _boolean(graph: Graph, subjects: Nodes, predicate: URIRef) -> bool | None:
    value = _plain(graph, subjects, predicate)
    return {"true": True, "1": True, "false": False, "0": False}.get(value or "")


class _Reader:
    """Reads one project's registration fields from the union of the content's graphs."""

    def __init__(self, graph: Graph, base: Base) -> None:
        self.graph = graph
        self.base = base
        self.ns = base.ns

    def group(self, project: URIRef, prefix: str) -> Nodes:
        """Every node the project's group property points to (the shapes allow one; none = not stated)."""
        return tuple(self.graph.objects(project, group(self.base, prefix).prop))

    def withheld(self, group: Nodes) -> Json | None:
        """The marker a withheld group's absent fields hold: the reason's IRI and, where given, its words."""
        reason = _iri(self.graph, group, self.ns.withheldBecause)
        if reason is None:
            return None
        marker: Json = {"withheld": reason}
        note = _texts(self.graph, group, self.ns.withheldNote)
        if note:
            marker["note"] = note
        return marker

    def organisation(self, field: str, iri: str | None) -> Json:
        """C.1 (the deployer) or C.2 (who submits for it): IRI, KBO/BCE number, name, address, contact."""
        organisation: Nodes = (URIRef(iri),) if iri is not None else ()
        return {
            field: iri,
            f"{field}_identifier": _plain(self.graph, organisation, DCTERMS.identifier),
            f"{field}_name": _texts(self.graph, organisation, SKOS.prefLabel),
            f"{field}_address": self.address(organisation),
            f"{field}_contact": self.contact(organisation),
        }

    def address(self, organisation: Nodes) -> Json | None:
        nodes = tuple(_objects(self.graph, organisation, VCARD.hasAddress))
        if not nodes:
            return None
        return {
            "street": _texts(self.graph, nodes, VCARD["street-address"]),
            "postal_code": _plain(self.graph, nodes, VCARD["postal-code"]),
            "locality": _texts(self.graph, nodes, VCARD.locality),
            "country": _iri(self.graph, organisation, DCTERMS.spatial),
        }

    def contact(self, organisation: Nodes) -> Json | None:
        contact: Json = {
            "email": _iri(self.graph, organisation, VCARD.hasEmail),
            "url": _iri(self.graph, organisation, VCARD.hasURL),
            "telephone": _iri(self.graph, organisation, VCARD.hasTelephone),
        }
        return contact if any(contact.values()) else None

    def registration(self, project: URIRef, deployer: URIRef | None) -> Registration:
        graph, ns = self.graph, self.ns
        nodes = {prefix: self.group(project, prefix) for prefix in GROUPS}
        ai_act, fria, dpia = nodes["ai_act"], nodes["fria"], nodes["dpia"]
        markers = {prefix: self.withheld(node) for prefix, node in nodes.items()}
        used: dict[str, Json] = {}

        def held(value: object, group: str) -> object:
            """An absent value of a withheld group reads as the group's marker, not as not stated."""
            marker = markers[group]
            if value is not None or marker is None:
                return value
            used[group] = marker
            return marker

        fria_predicates = {key: ns[name] if name else DCTERMS.abstract for key, name in FRIA_PARTS}
        this: Nodes = (project,)
        fields: Json = {
            "project": str(project),
            "identifier": _plain(graph, this, DCTERMS.identifier),
            "title": _texts(graph, this, DCTERMS.title),
            "risk_level": _iri(graph, this, EU_AIACT.hasRiskLevel),
            "high_risk_category": held(_iri(graph, ai_act, ns.highRiskCategory), "ai_act"),
            "registration_status": held(_iri(graph, ai_act, ns.registrationStatus), "ai_act"),
            **self.organisation("c1_deployer", str(deployer) if deployer is not None else None),
            **self.organisation("c2_submitter", _iri(graph, ai_act, ns.registrationSubmitter)),
            "c3_provider_entry_url": held(_iri(graph, ai_act, ns.providerDatabaseEntry), "ai_act"),
            "c4_fria_summary": {key: held(_texts(graph, fria, p), "fria") for key, p in fria_predicates.items()},
            "c5_dpia_summary": held(_texts(graph, dpia, DCTERMS.abstract), "dpia"),
            "personal_data": _boolean(graph, self.group(project, "data"), ns.processesPersonalData),
        }
        fields["c2_submitter"] = held(fields["c2_submitter"], "ai_act")
        withheld = tuple(_withheld(fields))
        return Registration(project, fields, tuple(_missing(fields, self.base)), withheld, dict(sorted(used.items())))


def _is_withheld(value: object) -> bool:
    return isinstance(value, dict) and isinstance(value.get("withheld"), str)


def _withheld(fields: Json) -> Iterator[str]:
    """The names of the fields holding a marker (C.4's parts as `c4_fria_{part}`, as the CSV's columns)."""
    for name, value in fields.items():
        if _is_withheld(value):
            yield name
        elif name == "c4_fria_summary" and isinstance(value, dict):
            yield from (f"c4_fria_{key}" for key, part in value.items() if _is_withheld(part))


def _missing(fields: Json, base: Base) -> Iterator[str]:
    """What a complete registration needs and lacks: C.1, C.3 and C.4's summary where the AI Act asks for them,
    and C.5 where a DPIA applies.

    A withheld field is not missing. The Article 27 elements (a)-(f) are not required: Annex VIII C.4 asks
    for a summary of the assessment's findings only. Annex I and Annex III point 2 systems need neither C.3
    nor C.4, and a registration status `not-required` or `registered-nationally` needs no C.3
    (docs/ai-act.md, "Complete").
    """
    category, status = fields["high_risk_category"], fields["registration_status"]
    exempt = category in {str(base.thing("high-risk-category", ref)) for ref in NO_FRIA_NOR_EU_ENTRY}
    no_entry = exempt or status in {str(base.thing("registration-status", ref)) for ref in NO_EU_ENTRY}
    address = fields["c1_deployer_address"]
    fria = fields["c4_fria_summary"]
    required = {
        "c1_deployer_name": bool(fields["c1_deployer_name"]),
        "c1_deployer_address": isinstance(address, dict)
        and all(address[part] for part in ("street", "postal_code", "locality")),
        "c1_deployer_contact": bool(fields["c1_deployer_contact"]),
        "c3_provider_entry_url": no_entry or bool(fields["c3_provider_entry_url"]),
        "c4_fria_summary": exempt or (isinstance(fria, dict) and bool(fria["summary"])),
        "c5_dpia_summary": fields["personal_data"] is False or bool(fields["c5_dpia_summary"]),
    }
    return (name for name, present in required.items() if not present)


def registrations(content_graph: Graph, base: Base, everything: bool = False) -> list[Registration]:
    """The registrations of the high-risk projects (of every project with `everything`), by project IRI."""
    reader = _Reader(content_graph, base)
    found = []
    for project in sorted(p for p in content_graph.subjects(RDF.type, base.ns.AIProject) if isinstance(p, URIRef)):
        if not everything and (project, EU_AIACT.hasRiskLevel, EU_AIACT.RiskLevelHigh) not in content_graph:
            continue
        deployers = sorted(d for d in content_graph.objects(project, TECH.hasDeployer) if isinstance(d, URIRef))
        no_deployer: list[URIRef | None] = [None]  # still listed, with C.1 missing
        found += [reader.registration(project, deployer) for deployer in (deployers or no_deployer)]
    return found


# ---------------------------------------------------------------- files


def to_json(found: list[Registration], everything: bool) -> bytes:
    payload = {"scope": "all" if everything else "high-risk", "registrations": [r.as_json() for r in found]}
    return (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


Cell = Callable[[Registration], object]


def _at(*path: str) -> Cell:
    """A value inside the JSON's fields; a withheld one is an empty cell (the withheld columns say why)."""

    def cell(registration: Registration) -> object:
        value: object = registration.as_json()
        for key in path:
            if not isinstance(value, dict) or _is_withheld(value):
                return None
            value = value.get(key)
        return None if _is_withheld(value) else value

    return cell


def _marker(group: str, *path: str) -> Cell:
    def cell(registration: Registration) -> object:
        value: object = registration.withheld_groups.get(group)
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        return value

    return cell


def _languages(name: str, *path: str) -> list[tuple[str, Cell]]:
    return [(f"{name}_{lang}", _at(*path, lang)) for lang in LANGUAGES]


def _organisation_columns(field: str) -> list[tuple[str, Cell]]:
    columns = [(field, _at(field)), (f"{field}_identifier", _at(f"{field}_identifier"))]
    columns += _languages(f"{field}_name", f"{field}_name")
    columns += _languages(f"{field}_address_street", f"{field}_address", "street")
    columns.append((f"{field}_address_postal_code", _at(f"{field}_address", "postal_code")))
    columns += _languages(f"{field}_address_locality", f"{field}_address", "locality")
    columns.append((f"{field}_address_country", _at(f"{field}_address", "country")))
    return columns + [(f"{field}_contact_{key}", _at(f"{field}_contact", key)) for key in ("email", "url", "telephone")]


def csv_columns() -> list[tuple[str, Cell]]:
    """The CSV's columns: the JSON's fields flattened (a column per language; C.4 a column per part), and
    per group the reason a field of it is withheld."""
    columns = [("project", _at("project")), ("identifier", _at("identifier")), *_languages("title", "title")]
    columns += [(name, _at(name)) for name in ("risk_level", "high_risk_category", "registration_status")]
    columns += [*_organisation_columns("c1_deployer"), *_organisation_columns("c2_submitter")]
    columns.append(("c3_provider_entry_url", _at("c3_provider_entry_url")))
    for key, _ in FRIA_PARTS:
        columns += _languages(f"c4_fria_{key}", "c4_fria_summary", key)
    columns += [*_languages("c5_dpia_summary", "c5_dpia_summary"), ("personal_data", _at("personal_data"))]
    for prefix in GROUPS:
        columns.append((f"{prefix}_withheld", _marker(prefix, "withheld")))
        columns += [(f"{prefix}_withheld_note_{lang}", _marker(prefix, "note", lang)) for lang in LANGUAGES]
    return [*columns, ("missing", _at("missing")), ("withheld", _at("withheld"))]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return str(value)


def to_csv(found: list[Registration]) -> bytes:
    columns = csv_columns()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([name for name, _ in columns])
    for registration in found:
        writer.writerow([_text(cell(registration)) for _, cell in columns])
    return buffer.getvalue().encode("utf-8")


# ---------------------------------------------------------------- the command


def run(settings: Settings, path: Path, everything: bool, err: TextIO) -> int:
    """Write the export; 0 when every registration is complete, 1 when one is not, 2 when it cannot run."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        print(f"error: {path}: the AI Act export is written as .json or .csv (the file name says which)", file=err)
        return 2
    try:
        content = load(settings.root, settings.base)
    except ContentError as error:
        print(f"error: {error}", file=err)
        return 2
    if content.problems:  # a file that did not parse would silently drop its projects from the export
        for problem in content.problems:
            print(f"error: {content.relative(problem.path)}:{problem.line or '?'}: {problem.message}", file=err)
        return 2
    found = registrations(content.union(), settings.base, everything)
    data = to_csv(found) if suffix == ".csv" else to_json(found, everything)
    try:
        path.write_bytes(data)
    except OSError as error:
        print(f"error: cannot write {path}: {error.strerror or 'not writable'}", file=err)
        return 2
    incomplete = sum(not r.complete for r in found)
    projects = len({r.project for r in found})
    print(
        f"export ai-act: wrote {path}: {len(found)} registration(s) of {projects} "
        f"{'project' if everything else 'high-risk project'}(s), {len(found) - incomplete} complete, "
        f"{incomplete} incomplete",
        file=err,
    )
    return 1 if incomplete else 0
