"""Cell text to RDF terms and back, one kind of column at a time.

Allowed values (concepts, organisations) are found by any of their labels in the four languages, their
notation or their IRI, compared in the normalised form the importers use (`concepts.normalise`); when a
value is not found, the closest labels (difflib over every normalised label) are offered instead.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from airegister.importers.concepts import normalise
from airegister.importers.spreadsheet.columns import SEPARATOR, Column, Kind
from airegister.importers.spreadsheet.words import FALSE_WORDS, TRUE_WORDS, word
from airegister.rdf.languages import LANGUAGES, by_language, preference
from airegister.rdf.ordering import natural

MATCH_LABELS = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, SKOS.notation, RDFS.label)
_YEAR = re.compile(r"^\d{4}$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
_EMAIL = re.compile(r"^[^@\s:]+@[^@\s]+\.[^@\s]+$")
_WEB = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_PHONE = re.compile(r"^\+[1-9]\d{6,14}$")  # E.164: a country code, then the number, without the leading 0
_PHONE_SEPARATORS = str.maketrans("", "", " .-/()\u00a0")


class CellError(ValueError):
    """What is wrong with one value of a cell, and what is allowed instead."""

    def __init__(self, message: str, allowed: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.allowed = allowed


@dataclass
class ValueSet:
    """The allowed values of a column: IRIs with their display labels, and every label they answer to."""

    names: dict[URIRef, dict[str, str]] = field(default_factory=dict)  # preferred label per language
    keys: dict[str, set[URIRef]] = field(default_factory=lambda: defaultdict(set))
    order: dict[URIRef, list[object]] = field(default_factory=dict)  # numbered values: their notation's order

    @classmethod
    def build(cls, graph: Graph, members: Iterable[URIRef], numbered: bool = False) -> ValueSet:
        """With `numbered`, a value's label starts with its notation ('III.5(a) ...') and values keep the
        notation's order (or their IRI's), so an area's points follow it."""
        values = cls()
        for iri in sorted(set(members)):
            values.names[iri] = {}
            for prop in (RDFS.label, SKOS.prefLabel):  # prefLabel wins for display
                texts = by_language(graph.objects(iri, prop))
                values.names[iri].update((lang, text) for lang, text in texts.items() if lang in LANGUAGES)
            for prop in MATCH_LABELS:
                for label in graph.objects(iri, prop):
                    if isinstance(label, Literal) and normalise(str(label)):
                        values.keys[normalise(str(label))].add(iri)
            notation = graph.value(iri, SKOS.notation) if numbered else None
            if numbered:
                values.order[iri] = natural(str(notation or iri))
            if notation is not None:
                values.names[iri] = {lang: f"{notation} {text}" for lang, text in values.names[iri].items()}
                for text in values.names[iri].values():
                    values.keys[normalise(text)].add(iri)
        return values

    def label(self, iri: URIRef, lang: str) -> str:
        """The label a cell shows, by the language rule; the IRI when no label names it alone."""
        names = self.names.get(iri, {})
        for candidate in preference(lang):
            text = names.get(candidate)
            if text and self.keys.get(normalise(text)) == {iri} and SEPARATOR.strip() not in text:
                return text
        return str(iri)

    def labels(self, lang: str) -> list[str]:
        """Every allowed value's label in `lang`, for drop-downs and the documentation sheet."""
        return [
            self.label(iri, lang)
            for iri in sorted(self.names, key=lambda i: (self.order.get(i, []), self.label(i, lang).lower()))
        ]

    def find(self, text: str) -> list[URIRef]:
        if text.startswith(("http://", "https://", "urn:")):
            return [URIRef(text)] if URIRef(text) in self.names else []
        return sorted(self.keys.get(normalise(text), set()))

    def closest(self, text: str, lang: str, count: int = 3) -> list[str]:
        """The allowed values whose labels (any language) are closest to `text`, shown in `lang`."""
        matches = difflib.get_close_matches(normalise(text), list(self.keys), n=count * 3, cutoff=0.6)
        shown: list[str] = []
        for key in matches:
            for iri in sorted(self.keys[key]):
                label = self.label(iri, lang)
                if label not in shown:
                    shown.append(label)
        return shown[:count]


def split(text: str, multi: bool) -> list[str]:
    """The values of a cell: one, or several separated by ' | ' (a bare '|' works too)."""
    if not multi:
        return [text.strip()] if text.strip() else []
    return [part.strip() for part in text.split("|") if part.strip()]


def parse_value(column: Column, text: str, values: ValueSet | None, what: str, lang: str) -> list[Node]:
    """One value of a cell as RDF terms (a label shared by several organisations names them all); raises
    CellError saying what to write instead."""
    return (
        _parse(column, text, values, what, lang)
        if column.kind is not Kind.ORGANISATION
        else _find(column, text, values, what, lang, several=True)
    )


def _parse(column: Column, text: str, values: ValueSet | None, what: str, lang: str) -> list[Node]:
    return (
        [_parse_one(column, text, values, what, lang)]
        if column.kind is not Kind.CONCEPT or (column.open and text.startswith(("http://", "https://")))
        else _find(column, text, values, what, lang, several=False)
    )


def _parse_one(column: Column, text: str, values: ValueSet | None, what: str, lang: str) -> Node:
    kind = column.kind
    if kind in (Kind.TEXT, Kind.IDENTIFIER):
        return Literal(text)
    if kind is Kind.LANG_TEXT:
        return Literal(text, lang=column.lang)
    if kind is Kind.BOOLEAN:
        if text.lower() in TRUE_WORDS | FALSE_WORDS:
            return Literal(text.lower() in TRUE_WORDS)
        raise CellError(f"{text!r} is not yes or no", f"write {word('yes', lang)} or {word('no', lang)}")
    if kind is Kind.PERIOD_DATE:
        return _period_date(text)
    if kind is Kind.DATE:
        return _date(text)
    if kind is Kind.DAY:
        return _day(text)
    if kind is Kind.EMAIL:
        address = text.removeprefix("mailto:")
        if not _EMAIL.match(address):
            raise CellError(f"{text!r} is not an e-mail address", "write an address such as ai@example.be")
        return URIRef(f"mailto:{address}")
    if kind is Kind.PHONE:
        return _phone(text)
    if kind is Kind.IRI or (column.open and text.startswith(("http://", "https://"))):
        if not _WEB.match(text):
            raise CellError(f"{text!r} is not a web address", "write a full address starting with https://")
        return URIRef(text)
    raise AssertionError(kind)


def _find(column: Column, text: str, values: ValueSet | None, what: str, lang: str, several: bool) -> list[Node]:
    assert values is not None, column.key
    found = values.find(text)
    if len(found) == 1 or (found and several):
        return list(found)
    if found:
        options = ", ".join(str(f) for f in found)
        raise CellError(f"{text!r} names several values of {what} ({options})", "write the IRI of the one you mean")
    _unknown(column, text, values, what, lang)
    raise AssertionError("unreachable")


def _unknown(column: Column, text: str, values: ValueSet, what: str, lang: str) -> None:
    close = values.closest(text, lang)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    if column.kind is Kind.ORGANISATION:
        raise CellError(
            f"{text!r} is not an organisation of the register{hint}",
            "write a name from the organisations sheet; a new organisation must first be added to "
            "data/organisations.ttl",
        )
    every = values.labels(lang)
    allowed = (
        f"write one of: {', '.join(every)}"
        if len(every) <= 12
        else f"write one of the {len(every)} values in the columns sheet"
    )
    raise CellError(f"{text!r} is not an allowed value of {what}{hint}", allowed)


def _period_date(text: str) -> Literal:
    if _YEAR.match(text):
        return Literal(text, datatype=XSD.gYear)
    month = _YEAR_MONTH.match(text)
    if month and 1 <= int(month.group(2)) <= 12:
        return Literal(text, datatype=XSD.gYearMonth)
    if _DAY.match(text) and _real_day(text):
        return Literal(text, datatype=XSD.date)
    raise CellError(f"{text!r} is not a date", "write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2024-02-29")


def _date(text: str) -> Literal:
    if _DAY.match(text) and _real_day(text):
        return Literal(text, datatype=XSD.date)
    if _DATETIME.match(text) and _real_day(text[:10]):
        return Literal(text, datatype=XSD.dateTime)
    raise CellError(f"{text!r} is not a date", "write YYYY-MM-DD, e.g. 2025-10-20")


def _day(text: str) -> Literal:
    if _DAY.match(text) and _real_day(text):
        return Literal(text, datatype=XSD.date)
    raise CellError(f"{text!r} is not a date", "write YYYY-MM-DD, e.g. 2026-01-15")


def _phone(text: str) -> URIRef:
    """A telephone number as a tel: IRI in international form; spaces, dots, dashes and slashes are dropped."""
    number = text.removeprefix("tel:").translate(_PHONE_SEPARATORS)
    if number.startswith("00"):
        number = "+" + number[2:]
    if not _PHONE.match(number):
        raise CellError(
            f"{text!r} is not a telephone number in international form",
            "write + and the country code, then the number without its leading 0, e.g. +32 2 000 00 00",
        )
    return URIRef(f"tel:{number}")


def _real_day(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def format_value(column: Column, term: Node, values: ValueSet | None, lang: str) -> str:
    """The text a cell shows for one value; the inverse of parse_value."""
    if column.kind is Kind.BOOLEAN and isinstance(term, Literal) and term.datatype == XSD.boolean:
        return word("yes" if term.toPython() is True else "no", lang)
    if column.kind is Kind.EMAIL and isinstance(term, URIRef):
        return str(term).removeprefix("mailto:")
    if column.kind is Kind.PHONE and isinstance(term, URIRef):
        return str(term).removeprefix("tel:")
    if values is not None and isinstance(term, URIRef):
        return values.label(term, lang) if term in values.names else str(term)
    return str(term)


def format_cell(column: Column, terms: Iterable[Node], values: ValueSet | None, lang: str) -> str:
    texts = sorted(format_value(column, t, values, lang) for t in terms)
    return SEPARATOR.join(texts)


def class_members(graph: Graph, klass: URIRef) -> set[URIRef]:
    """Instances of `klass` or of its subclasses, as sh:class sees them."""
    classes = set(graph.transitive_subjects(RDFS.subClassOf, klass))
    return {s for c in classes for s in graph.subjects(RDF.type, c) if isinstance(s, URIRef)}
