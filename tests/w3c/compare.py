"""Comparing an answer with the expected one, as the W3C test rules say.

Solutions are a multiset, equal modulo a bijection between blank nodes; when the query's outermost
modifier is ORDER BY, the rows must also come in the order of the variables it sorts on (rows equal on
those keys may come in any order). Graphs are compared by isomorphism (rdflib.compare). Terms compare by
RDF term equality; `canonical=True` first maps both sides through the store's literal canonicalisation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.term import Node

from w3c.terms import XSD_STRING, Answer, Solutions, Term, Triple, canonical

Mapping = dict[str, str]


def _identity(term: Term) -> Term:
    return term


def _signature(row: Sequence[Term | None]) -> tuple[Term | None, ...]:
    """The row with every blank node blurred: rows that can match under some bijection share it."""
    return tuple(Term("bnode", "") if t is not None and t.kind == "bnode" else t for t in row)


def _extend(
    expected: Sequence[Term | None], actual: Sequence[Term | None], forward: Mapping, backward: Mapping
) -> list[tuple[str, str]] | None:
    added: list[tuple[str, str]] = []
    for e, a in zip(expected, actual, strict=True):
        if e is None or e.kind != "bnode":
            continue
        assert a is not None and a.kind == "bnode"
        known = forward.get(e.value)
        if known is None:
            if a.value in backward:
                break
            forward[e.value] = a.value
            backward[a.value] = e.value
            added.append((e.value, a.value))
        elif known != a.value:
            break
    else:
        return added
    for e_label, a_label in added:
        del forward[e_label], backward[a_label]
    return None


def match_rows(expected: list[tuple[Term | None, ...]], actual: list[tuple[Term | None, ...]]) -> str | None:
    """None if the two multisets of rows are equal modulo a blank-node bijection, else why not."""
    if len(expected) != len(actual):
        return f"expected {len(expected)} rows, got {len(actual)}"
    want, got = Counter(map(_signature, expected)), Counter(map(_signature, actual))
    if want != got:
        missing = list((want - got).elements())[:5]
        extra = list((got - want).elements())[:5]
        return f"missing rows {_show(missing)}; unexpected rows {_show(extra)}"
    if not any(t is not None and t.kind == "bnode" for row in expected for t in row):
        return None
    candidates = {sig: [a for a in actual if _signature(a) == sig] for sig in want}
    order = sorted(range(len(expected)), key=lambda i: len(candidates[_signature(expected[i])]))
    used = [False] * len(actual)
    index_of = {id(row): i for i, row in enumerate(actual)}
    forward: Mapping = {}
    backward: Mapping = {}

    def search(position: int) -> bool:
        if position == len(order):
            return True
        row = expected[order[position]]
        for candidate in candidates[_signature(row)]:
            slot = index_of[id(candidate)]
            if used[slot]:
                continue
            added = _extend(row, candidate, forward, backward)
            if added is None:
                continue
            used[slot] = True
            if search(position + 1):
                return True
            used[slot] = False
            for e_label, a_label in added:
                del forward[e_label], backward[a_label]
        return False

    if search(0):
        return None
    return (
        f"no bijection between the blank nodes of the expected and actual rows: expected {_show(expected[:6])}, "
        f"got {_show(actual[:6])}"
    )


def _show(rows: list[tuple[Term | None, ...]]) -> str:
    return "[" + ", ".join("(" + " ".join(str(t) if t else "UNDEF" for t in row) + ")" for row in rows) + "]"


def compare_answers(
    expected: Answer, actual: Answer, order_by: tuple[str, ...] | None, *, canonical_terms: bool
) -> str | None:
    """None when `actual` is the expected answer, else the difference in words."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        if expected is actual:
            return None
        return f"expected {_kind(expected)}, got {_kind(actual)}"
    if set(expected.variables) != set(actual.variables):
        return f"expected variables {sorted(expected.variables)}, got {sorted(actual.variables)}"
    fix: Callable[[Term], Term] = canonical if canonical_terms else _identity
    names = sorted(expected.variables)

    def rows(solutions: Solutions) -> list[tuple[Term | None, ...]]:
        return [tuple(fix(row[n]) if n in row else None for n in names) for row in solutions.rows]

    difference = match_rows(rows(expected), rows(actual))
    if difference is not None or not order_by:
        return difference
    keys = [names.index(v) for v in order_by if v in names]
    want = [_signature([row[k] for k in keys]) for row in rows(expected)]
    got = [_signature([row[k] for k in keys]) for row in rows(actual)]
    if want != got:
        keys_text = " ".join("?" + v for v in order_by)
        return f"rows not in ORDER BY {keys_text} order: expected {_show(want)}, got {_show(got)}"
    return None


def _kind(answer: Answer) -> str:
    return f"boolean {str(answer).lower()}" if isinstance(answer, bool) else f"{len(answer.rows)} solutions"


def _rdflib(term: Term) -> Node:
    if term.kind == "iri":
        return URIRef(term.value)
    if term.kind == "bnode":
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language, normalize=False)
    return Literal(term.value, datatype=None if term.datatype == XSD_STRING else URIRef(term.datatype), normalize=False)


def compare_graphs(expected: list[Triple], actual: list[Triple], *, canonical_terms: bool) -> str | None:
    fix: Callable[[Term], Term] = canonical if canonical_terms else _identity
    graphs = []
    for triples in (expected, actual):
        graph = Graph()
        for triple in triples:
            s, p, o = (_rdflib(fix(t)) for t in triple)
            graph.add((s, p, o))
        graphs.append(graph)
    if isomorphic(graphs[0], graphs[1]):
        return None
    return f"graphs are not isomorphic: expected {len(graphs[0])} triples, got {len(graphs[1])}"


def compare_csv(expected: tuple[list[str], list[list[str]]], actual: tuple[list[str], list[list[str]]]) -> str | None:
    """CSV is text without types: the same columns (in any order: SELECT * fixes none), the same rows in the
    same order, blank-node labels mapped one to one."""
    if sorted(expected[0]) != sorted(actual[0]) or len(set(actual[0])) != len(actual[0]):
        return f"expected columns {expected[0]}, got {actual[0]}"
    columns = [actual[0].index(name) for name in expected[0]]

    def cells(row: list[str]) -> tuple[Term, ...]:
        return tuple(Term("bnode", c[2:]) if c.startswith("_:") else Term("literal", c) for c in row)

    want = [cells(row) for row in expected[1]]
    got = [cells([row[i] for i in columns]) if len(row) == len(columns) else cells(row) for row in actual[1]]
    if len(want) != len(got):
        return f"expected {len(want)} rows, got {len(got)}"
    for number, (w, g) in enumerate(zip(want, got, strict=True), start=1):
        if _signature(w) != _signature(g):
            return f"row {number}: expected {[c.value for c in w]}, got {[c.value for c in g]}"
    return match_rows(list(want), list(got))
