"""SHACL validation of the loaded content, turned into findings a curator can act on.

pySHACL reports focus nodes and shapes; a curator needs the file to open, the record (IRI and title),
the field by its label, what is wrong and how to fix it. The field label and the fix come from the
shape itself (`sh:name`, `sh:description`), so the words live in shapes/ next to the rule.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, SKOS
from rdflib.term import Node

from airegister.content.load import Content, ParseProblem
from airegister.content.shacl import CHUNK_RECORDS, run_pyshacl, validate_parallel
from airegister.rdf.languages import best_literal

SEVERITY_NAMES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


@dataclass(frozen=True)
class Finding:
    """One SHACL result, located and worded for a curator."""

    severity: str
    file: str | None
    line: int | None
    record: str
    record_title: str | None
    field: str
    path: str | None
    message: str
    fix: str | None
    value: str | None
    shape: str | None


@dataclass
class Report:
    """Everything `validate` found, ready to be printed or serialised."""

    findings: list[Finding] = field(default_factory=list)
    parse_problems: list[ParseProblem] = field(default_factory=list)
    seconds: float = 0.0
    records: int = 0
    triples: int = 0

    @property
    def violations(self) -> int:
        return sum(1 for f in self.findings if f.severity == "violation")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity != "violation")

    def restricted_to(self, files: set[str]) -> Report:
        """The same report with only the findings in `files` (paths relative to the content root)."""
        kept = [f for f in self.findings if f.file in files]
        return Report(kept, self.parse_problems, self.seconds, self.records, self.triples)

    def violations_only(self) -> Report:
        """What blocks publication, without the warnings (the build's failure report)."""
        kept = [f for f in self.findings if f.severity == "violation"]
        return Report(kept, self.parse_problems, self.seconds, self.records, self.triples)

    @property
    def exit_code(self) -> int:
        """0 conforms (warnings allowed), 1 violations, 2 the content could not be read."""
        if self.parse_problems:
            return 2
        return 1 if self.violations else 0


class _Locator:
    """Finds, for a focus node, the record it belongs to and the file and line that define it."""

    def __init__(self, content: Content, data: Graph, changed: Mapping[Path, Graph]) -> None:
        self.content = content
        self.data = data
        self.changed = changed
        self._texts: dict[Path, list[str]] = {}

    def record_of(self, node: Node) -> Node:
        """Climb from a blank node (a period, a contact point) to the named record that holds it."""
        seen: set[Node] = set()
        while isinstance(node, BNode) and node not in seen:
            seen.add(node)
            parent = next(iter(self.data.subjects(None, node)), None)
            if parent is None:
                break
            node = parent
        return node

    def file_of(self, record: Node) -> Path | None:
        """The file that types the record (else any file that describes it): one index lookup each."""
        for predicate in (RDF.type, None):
            for path, changed in self.changed.items():
                if (record, predicate, None) in changed:
                    return path
            for _s, _p, _o, graph in self.content.dataset.quads((record, predicate, None, None)):
                name = getattr(graph, "identifier", graph)
                if name in self.content.files:
                    return self.content.files[name]  # type: ignore[index]
        return None

    def line_of(self, path: Path, record: Node) -> int | None:
        if not isinstance(record, URIRef):
            return None
        if path not in self._texts:
            try:
                self._texts[path] = path.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                self._texts[path] = []
        needle = f"<{record}>"
        for number, text in enumerate(self._texts[path], start=1):
            if needle in text:
                return number
        return None


def _field_label(shapes: Graph, data: Graph, shape: Node | None, path: Node | None) -> str:
    label = best_literal(shapes, shape, (SH.name,)) if shape is not None else None
    if label is None and path is not None:
        label = best_literal(data, path, (RDFS.label, SKOS.prefLabel))
    if label is None and path is not None:
        label = data.namespace_manager.normalizeUri(path) if isinstance(path, URIRef) else str(path)
    return label or "record"


def findings_from(
    results: Graph, shapes: Graph, data: Graph, content: Content, changed: Mapping[Path, Graph] | None = None
) -> list[Finding]:
    """Turn pySHACL's results graph into findings, sorted by file, record and field."""
    locator = _Locator(content, data, changed or {})
    findings: list[Finding] = []
    # Top-level results only: a result's sh:detail results explain it and are not findings of their own.
    for result in set(results.objects(None, SH.result)):
        focus = results.value(result, SH.focusNode)
        shape = results.value(result, SH.sourceShape)
        path = results.value(result, SH.resultPath)
        severity = SEVERITY_NAMES.get(URIRef(str(results.value(result, SH.resultSeverity))), "violation")
        value = results.value(result, SH.value)
        message = best_literal(results, result, (SH.resultMessage,)) or "does not conform"
        record = locator.record_of(focus) if focus is not None else URIRef("")
        path_of_file = locator.file_of(record)
        title = best_literal(data, record, (DCTERMS.title, SKOS.prefLabel, RDFS.label))
        findings.append(
            Finding(
                severity=severity,
                file=content.relative(path_of_file) if path_of_file else None,
                line=locator.line_of(path_of_file, record) if path_of_file else None,
                record=str(record) if isinstance(record, URIRef) else "(unnamed node)",
                record_title=title,
                field=_field_label(shapes, data, shape, path),
                path=data.namespace_manager.normalizeUri(path) if isinstance(path, URIRef) else None,
                message=message,
                fix=best_literal(shapes, shape, (SH.description,)) if shape is not None else None,
                value=_shown_value(value, focus),
                shape=str(shape) if isinstance(shape, URIRef) else None,
            )
        )
    # One finding per shape, record, value and message: a shape with several constraints (a datatype and a
    # pattern) reports one wrong value once.
    unique = set(findings)
    return sorted(unique, key=lambda f: (f.file or "~", f.record, f.severity != "violation", f.field, f.message))


def _shown_value(value: Node | None, focus: Node | None) -> str | None:
    """The offending value as a curator can find it: not the record itself (a rule across its fields
    names the record already) and not a blank node's label, which appears in no file."""
    if value is None or value == focus or isinstance(value, BNode):
        return None
    return str(value)


def validate_content(
    content: Content, chunk_records: int = CHUNK_RECORDS, changed: Mapping[Path, Graph] | None = None
) -> Report:
    """Validate every content graph against shapes/; parse problems stop before SHACL runs.

    With `changed`, validate the content as it would be with those files (loaded or new) holding the
    graphs given, without touching `content`: the records they type are checked, with the rest of the
    register around them (what an importer needs to know before it writes anything).
    """
    started = time.perf_counter()
    report = Report(parse_problems=list(content.problems))
    if report.parse_problems:
        report.seconds = time.perf_counter() - started
        return report
    data = content.union(changed)
    for prefix, namespace in content.shapes.namespaces():
        data.bind(prefix, namespace, override=False)
    if changed is None:
        results = validate_parallel(content, data, chunk_records=chunk_records)
    else:
        results = _validate_records(data, content.shapes, changed.values())
    report.findings = findings_from(results, content.shapes, data, content, changed)
    report.records = len(set(data.subjects(RDF.type, content.base.ns.AIProject)))
    report.triples = len(data)
    report.seconds = time.perf_counter() - started
    return report


def _validate_records(data: Graph, shapes: Graph, graphs: Iterable[Graph]) -> Graph:
    """The results of validating only the records (IRIs) that `graphs` type, in `data`."""
    focus = sorted({str(s) for graph in graphs for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)})
    return run_pyshacl(data, shapes, focus) if focus else Graph()
