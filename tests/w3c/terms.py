"""RDF terms as the W3C comparison rules see them, and parsers that keep every lexical form as written.

rdflib's parsers rewrite literals (`"01"^^xsd:integer` becomes `"1"`), which would hide exactly the
differences a conformance test must see; these readers keep the text. Term equality follows RDF 1.1: a
simple literal is an `xsd:string`, and language tags compare case-insensitively.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from typing import Literal as Kind

import pyoxigraph

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RS = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SRX = "{http://www.w3.org/2005/sparql-results#}"


@dataclass(frozen=True, order=True)
class Term:
    kind: Kind["iri", "bnode", "literal"]
    value: str
    datatype: str = ""  # literals only: xsd:string for simple literals, rdf:langString with a language
    language: str = ""  # lower-cased

    @staticmethod
    def literal(value: str, datatype: str | None = None, language: str | None = None) -> Term:
        if language:
            return Term("literal", value, LANG_STRING, language.lower())
        return Term("literal", value, datatype or XSD_STRING)

    def __str__(self) -> str:
        if self.kind == "iri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        text = json.dumps(self.value, ensure_ascii=False)
        if self.language:
            return f"{text}@{self.language}"
        return text if self.datatype == XSD_STRING else f"{text}^^<{self.datatype}>"


Row = dict[str, Term]


@dataclass(frozen=True)
class Solutions:
    variables: tuple[str, ...]
    rows: tuple[Row, ...]


Answer = Solutions | bool


# --- SPARQL results: XML, JSON, TSV, and the old rs:ResultSet graphs -----------------------------------------


def parse_srx(data: bytes) -> Answer:
    root = ET.fromstring(data)
    boolean = root.find(f"{SRX}boolean")
    if boolean is not None:
        return (boolean.text or "").strip() == "true"
    variables = tuple(v.attrib["name"] for v in root.iter(f"{SRX}variable"))
    rows = []
    for result in root.iter(f"{SRX}result"):
        row: Row = {}
        for binding in result.findall(f"{SRX}binding"):
            row[binding.attrib["name"]] = _srx_term(binding[0])
        rows.append(row)
    return Solutions(variables, tuple(rows))


def _srx_term(node: ET.Element) -> Term:
    tag = node.tag.removeprefix(SRX)
    text = node.text or ""
    if tag == "uri":
        return Term("iri", text.strip())
    if tag == "bnode":
        return Term("bnode", text.strip())
    if tag == "literal":
        language = node.attrib.get("{http://www.w3.org/XML/1998/namespace}lang")
        return Term.literal(text, node.attrib.get("datatype"), language)
    raise ValueError(f"unknown SPARQL XML results term <{tag}>")


def parse_srj(data: bytes) -> Answer:
    document = json.loads(data)
    if "boolean" in document:
        return bool(document["boolean"])
    variables = tuple(document.get("head", {}).get("vars", ()))
    rows = tuple(
        {name: _srj_term(value) for name, value in binding.items()} for binding in document["results"]["bindings"]
    )
    return Solutions(variables, rows)


def _srj_term(value: dict[str, str]) -> Term:
    kind = value["type"]
    if kind == "uri":
        return Term("iri", value["value"])
    if kind == "bnode":
        return Term("bnode", value["value"])
    if kind in ("literal", "typed-literal"):
        return Term.literal(value["value"], value.get("datatype"), value.get("xml:lang"))
    raise ValueError(f"unknown SPARQL JSON results term type {kind!r}")


_TSV_TERM = re.compile(
    r"""<(?P<iri>[^>]*)>
      | _:(?P<bnode>\S+)
      | "(?P<string>(?:[^"\\]|\\.)*)"(?:@(?P<lang>[A-Za-z0-9-]+)|\^\^<(?P<datatype>[^>]*)>)?
      | (?P<boolean>true|false)
      | (?P<double>[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+)
      | (?P<decimal>[+-]?\d*\.\d+)
      | (?P<integer>[+-]?\d+)""",
    re.VERBOSE,
)
_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "uU":
            return chr(int(code[1:], 16))
        return _ESCAPES[code]

    return re.sub(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[tbnrf\"'\\])", one, text)


def _tsv_term(cell: str) -> Term:
    match = _TSV_TERM.fullmatch(cell)
    if match is None:
        raise ValueError(f"not an RDF term in TSV: {cell!r}")
    if match["iri"] is not None:
        return Term("iri", match["iri"])
    if match["bnode"] is not None:
        return Term("bnode", match["bnode"])
    if match["string"] is not None:
        return Term.literal(_unescape(match["string"]), match["datatype"], match["lang"])
    for kind in ("boolean", "double", "decimal", "integer"):
        if match[kind] is not None:
            return Term.literal(match[kind], XSD + kind)
    raise AssertionError(cell)


def parse_tsv(data: bytes) -> Solutions:
    lines = data.decode("utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    header = [name.removeprefix("?") for name in lines[0].rstrip("\r").split("\t")] if lines else []
    rows = []
    for line in lines[1:]:
        cells = line.rstrip("\r").split("\t")
        rows.append({name: _tsv_term(cell) for name, cell in zip(header, cells, strict=True) if cell != ""})
    return Solutions(tuple(h for h in header if h), tuple(rows))


def parse_csv(data: bytes) -> tuple[list[str], list[list[str]]]:
    """CSV results are text without types: a header and rows of strings."""
    table = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    return (table[0], table[1:]) if table else ([], [])


# --- graphs --------------------------------------------------------------------------------------------------

Triple = tuple[Term, Term, Term]
_RDF_FORMATS = {
    ".ttl": pyoxigraph.RdfFormat.TURTLE,
    ".nt": pyoxigraph.RdfFormat.N_TRIPLES,
    ".rdf": pyoxigraph.RdfFormat.RDF_XML,
}


def rdf_format(suffix: str) -> pyoxigraph.RdfFormat:
    return _RDF_FORMATS[suffix]


def _from_ox(term: object) -> Term:
    if isinstance(term, pyoxigraph.NamedNode):
        return Term("iri", term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, pyoxigraph.Literal):
        return Term.literal(term.value, term.datatype.value, term.language)
    raise ValueError(f"unsupported term {term!r}")


def parse_graph(data: bytes, fmt: pyoxigraph.RdfFormat, base_iri: str | None = None) -> list[Triple]:
    """A graph as written (pyoxigraph's parsers keep lexical forms; only its store canonicalises)."""
    return [
        (_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object))
        for t in pyoxigraph.parse(data, format=fmt, base_iri=base_iri)
    ]


def result_set_graph(triples: list[Triple]) -> Solutions | None:
    """Read the old DAWG `rs:ResultSet` vocabulary; None when the graph is not a result set."""
    by_subject: dict[Term, list[tuple[Term, Term]]] = {}
    for s, p, o in triples:
        by_subject.setdefault(s, []).append((p, o))
    sets = [s for s, pos in by_subject.items() if (Term("iri", RDF_TYPE), Term("iri", RS + "ResultSet")) in pos]
    if not sets:
        return None

    def values(subject: Term, predicate: str) -> list[Term]:
        return [o for p, o in by_subject.get(subject, []) if p == Term("iri", RS + predicate)]

    variables = tuple(v.value for v in values(sets[0], "resultVariable"))
    solutions = []
    for solution in values(sets[0], "solution"):
        row = {}
        for binding in values(solution, "binding"):
            row[values(binding, "variable")[0].value] = values(binding, "value")[0]
        index = values(solution, "index")
        solutions.append((int(index[0].value) if index else 0, row))
    return Solutions(variables, tuple(row for _, row in sorted(solutions, key=lambda item: item[0])))


# --- the store's canonical forms ------------------------------------------------------------------------------


@cache
def canonical(term: Term) -> Term:
    """The literal's lexical form as the store keeps it: Oxigraph canonicalises literals on load
    ("1.0"^^xsd:decimal is stored as "1", "3.0E4"^^xsd:double as "30000"). Comparing canonical forms on
    both sides is value equality within one datatype. A literal whose *datatype* the store changes
    (xsd:int and xsd:negativeInteger become xsd:integer) is left as it is: that difference still counts."""
    if term.kind != "literal":
        return term
    if term.language:
        literal = pyoxigraph.Literal(term.value, language=term.language)
    else:
        literal = pyoxigraph.Literal(term.value, datatype=pyoxigraph.NamedNode(term.datatype))
    store = pyoxigraph.Store()
    node = pyoxigraph.NamedNode("urn:x-w3c-tests:s")
    store.add(pyoxigraph.Quad(node, node, literal))
    (quad,) = list(store)
    stored = _from_ox(quad.object)
    return stored if stored.datatype == term.datatype else term
