"""The terms of an answer as the query page shows them: decoded, labelled, linked and compacted.

A SELECT or ASK answer arrives as SPARQL JSON, a CONSTRUCT or DESCRIBE one as Turtle read by
pyoxigraph; both become `Term`s, then `Cell`s once labels are known. Labels follow the one rule of
rdf/languages (the first of `LABEL_PREDICATES` that has one, in the language nearest the reader's);
links follow the one link policy (web/links.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph

from airegister.rdf.languages import LABEL_PREDICATES, merged, pick, smallest_by_tag
from airegister.rdf.sparql_text import subjects_query

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_LOCAL_NAME = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")


@dataclass(frozen=True)
class Term:
    """An RDF term from either kind of answer, before labels are known."""

    kind: str  # iri, literal, bnode, triple
    value: str
    lang: str | None = None
    datatype: str | None = None


@dataclass(frozen=True)
class Cell:
    """What the template shows for one term."""

    kind: str
    text: str
    href: str | None = None
    title: str | None = None
    note: str | None = None  # the compact IRI under a label
    lang: str | None = None  # of the text
    tag: str | None = None  # @lang or the compact datatype
    tag_title: str | None = None


def json_term(data: Mapping[str, Any]) -> Term:
    """A term of a SPARQL JSON answer."""
    kind = data.get("type")
    if kind == "uri":
        return Term("iri", data["value"])
    if kind == "bnode":
        return Term("bnode", data["value"])
    if kind == "triple":
        parts = data["value"]
        text = " ".join(_plain(json_term(parts[k])) for k in ("subject", "predicate", "object"))
        return Term("triple", f"<< {text} >>")
    return Term("literal", data["value"], data.get("xml:lang"), data.get("datatype"))


def oxigraph_term(term: object) -> Term:
    """A term of a graph answer, as pyoxigraph reads it."""
    if isinstance(term, pyoxigraph.NamedNode):
        return Term("iri", term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, pyoxigraph.Literal):
        return Term("literal", term.value, term.language, term.datatype.value)
    return Term("triple", str(term))


def _plain(term: Term) -> str:
    return f"<{term.value}>" if term.kind == "iri" else term.value


def compact(iri: str, prefixes: Mapping[str, str]) -> str:
    """`prefix:local` with the longest namespace that leaves a valid local name, else `<iri>`."""
    best = None
    for name, namespace in prefixes.items():
        fits = iri.startswith(namespace) and _LOCAL_NAME.match(iri[len(namespace) :] or "_")
        if fits and (best is None or len(namespace) > len(prefixes[best])):
            best = name
    return f"{best}:{iri[len(prefixes[best]) :]}" if best is not None else f"<{iri}>"


def label_query(iris: Iterable[str]) -> str | None:
    """The query for the labels of these IRIs (those that can be written into a query), or None."""
    return subjects_query(iris, (str(p) for p in LABEL_PREDICATES))


def labels_of(rows: Iterable[Mapping[str, Term]], lang: str) -> dict[str, tuple[str, str]]:
    """IRI -> (label, its language tag), from the rows of `label_query`."""
    found: dict[str, dict[str, list[tuple[str | None, str]]]] = {}
    for row in rows:
        value = row["o"]
        if value.kind == "literal":
            found.setdefault(row["s"].value, {}).setdefault(row["p"].value, []).append((value.lang, value.value))
    labels = {}
    for iri, by_predicate in found.items():
        texts = merged(smallest_by_tag(by_predicate.get(str(p), ())) for p in LABEL_PREDICATES)
        chosen = pick(texts, lang)
        if chosen is not None:
            labels[iri] = chosen
    return labels


@dataclass
class Cells:
    """Makes the cells of one answer; blank nodes are numbered in the order they first appear."""

    labels: Mapping[str, tuple[str, str]]
    prefixes: Mapping[str, str]
    href: Callable[[str], str | None]
    blanks: dict[str, str] = field(default_factory=dict)

    def cell(self, term: Term) -> Cell:
        if term.kind == "iri":
            compacted = compact(term.value, self.prefixes)
            href = self.href(term.value)
            if term.value in self.labels:
                label, label_lang = self.labels[term.value]
                return Cell("iri", label, href, term.value, compacted, label_lang or None)
            return Cell("iri", compacted, href, term.value)
        if term.kind == "bnode":
            return Cell("bnode", self.blanks.setdefault(term.value, f"_:b{len(self.blanks)}"))
        if term.kind == "literal":
            if term.lang:
                return Cell("literal", term.value, lang=term.lang, tag=f"@{term.lang}")
            if term.datatype and term.datatype not in (XSD_STRING, RDF_LANGSTRING):
                return Cell("literal", term.value, tag=compact(term.datatype, self.prefixes), tag_title=term.datatype)
            return Cell("literal", term.value)
        return Cell(term.kind, term.value)
