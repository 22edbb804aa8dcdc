"""What a SPARQL request is, read from its text without evaluating it.

The server must know a query's form (to negotiate a result format) and which SERVICE endpoints it
calls (to refuse them) before it hands the query to a worker. A small lexer that skips comments,
strings and IRIs is enough for both and costs microseconds, where a full parse would not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph

_IRI_CHARACTER = r'[^<>"{}|^`\\\x00-\x20]'  # what SPARQL's IRIREF allows between < and >
_SAFE_IRI = re.compile(rf"{_IRI_CHARACTER}+")
# A prefixed name's local part (SPARQL's PN_LOCAL): letters, digits, '_', '-', ':', '%' escapes, '\'
# escapes, and '.' but not last. Nothing else: a '[', '#' or quote right after it is syntax (a blank node,
# a comment, a string) that the lexer must see, or a SERVICE could hide behind it.
_LOCAL_CHARACTER = r"[\w\-:\u00b7\u0300-\u036f\u203f\u2040]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?\#@%]"
_LOCAL_PART = rf"(?:{_LOCAL_CHARACTER}|\.(?={_LOCAL_CHARACTER}))*"
_TOKENS = re.compile(
    r"""
    (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
  | (?P<iri><"""
    + _IRI_CHARACTER
    + r"""*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\ufffd]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*(?::"""
    + _LOCAL_PART
    + r""")?)
  | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)
FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH", "USING"}
)


def safe_iri(iri: str) -> bool:
    """Whether an IRI can be written between < and > in a query without ending early or changing its meaning,
    and the engine reads it as an absolute IRI (its own parser: a bad percent escape, say, made the query a
    syntax error). The pages write IRIs from data and URLs into the queries they make."""
    if _SAFE_IRI.fullmatch(iri) is None:
        return False
    try:
        pyoxigraph.NamedNode(iri)
    except ValueError:
        return False
    return True


MAX_VALUES = 2000  # subjects written into one query: a page's worth


def subjects_query(iris: Iterable[str], predicates: Iterable[str], construct: bool = False) -> str | None:
    """The triples of these subjects with these predicates, as one query (SELECT rows of ?s ?p ?o, or a
    CONSTRUCT); None when no IRI can be written into a query. The pages ask it for labels and types."""
    safe = sorted({iri for iri in iris if safe_iri(iri)})[:MAX_VALUES]
    if not safe:
        return None
    values = " ".join(f"<{iri}>" for iri in safe)
    wanted = " ".join(f"<{p}>" for p in predicates)
    head = "CONSTRUCT { ?s ?p ?o }" if construct else "SELECT ?s ?p ?o"
    return f"{head} WHERE {{ VALUES ?s {{ {values} }} VALUES ?p {{ {wanted} }} ?s ?p ?o }}"


@dataclass(frozen=True)
class QueryShape:
    """The facts about a request text that routing needs."""

    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE; None when the text has none of them
    services: tuple[str, ...]  # IRIs after SERVICE (SERVICE SILENT included); "?var" for a variable
    looks_like_update: bool
    has_dataset_clause: bool = False  # FROM / FROM NAMED: the query picks its own dataset
    depth: int = 0  # the deepest nesting of (), {} and [] outside strings, comments and IRIs

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


def inspect_query(text: str) -> QueryShape:
    form: str | None = None
    services: list[str] = []
    update = False
    dataset_clause = False
    expect_service = False
    depth = deepest = 0
    for match in _TOKENS.finditer(text):
        kind = match.lastgroup
        value = match.group()
        if kind in ("comment", "string"):
            continue
        if kind == "other":
            if value in "({[":
                depth += 1
                deepest = max(deepest, depth)
            elif value in ")}]":
                depth -= 1
        if expect_service:
            if kind == "word" and value.upper() == "SILENT":
                continue
            services.append(value)
            expect_service = False
            continue
        if kind != "word":
            continue
        upper = value.upper()
        if upper == "SERVICE":
            expect_service = True
        elif form is None and upper in FORMS:
            form = upper
        elif upper == "FROM":
            dataset_clause = True
        elif form is None and upper in UPDATE_WORDS:
            update = True
    return QueryShape(
        form=form,
        services=tuple(services),
        looks_like_update=update and form is None,
        has_dataset_clause=dataset_clause,
        depth=deepest,
    )


_PREFIXED = re.compile(r"[A-Za-z][A-Za-z0-9_\-]*:[A-Za-z0-9_][A-Za-z0-9_\-]*")  # no path operators, no dots
_NAMESPACE = re.compile(r"[A-Za-z][A-Za-z0-9_\-]*:")


def is_subject_lookup(text: str) -> bool:
    """Whether the query is one triple pattern with a fixed subject: `SELECT ?p ?o WHERE { <s> ?p ?o }`.

    Such a query reads at most the quads of one subject, so its cost is bounded by the build's largest
    subject (see store/inline_lookups.py). Only a plain subset is recognised: prefixes, SELECT of variables or *
    (DISTINCT, REDUCED) or ASK, one pattern of IRIs, prefixed names and variables, LIMIT and OFFSET.
    Whatever else (a path, a second pattern, a literal, a FILTER) answers False; a text that is accepted
    but not valid SPARQL is refused by the engine as usual.
    """
    tokens = [(match.lastgroup, match.group()) for match in _TOKENS.finditer(text) if match.lastgroup != "comment"]
    words = [value.upper() if kind == "word" else value for kind, value in tokens]
    kinds = [kind for kind, _ in tokens]
    at = 0
    while at < len(words) and words[at] in ("PREFIX", "BASE"):
        namespace = (
            words[at] == "BASE"
            or words[at + 1 : at + 2] == [":"]
            or bool(at + 1 < len(tokens) and _NAMESPACE.fullmatch(tokens[at + 1][1]))
        )
        at += 2 if words[at] == "BASE" else 3
        if not namespace or at > len(kinds) or kinds[at - 1] != "iri":
            return False
    if words[at : at + 1] == ["SELECT"]:
        at += 2 if words[at + 1 : at + 2] in (["DISTINCT"], ["REDUCED"]) else 1
        if words[at : at + 1] == ["*"]:
            at += 1
        elif at < len(kinds) and kinds[at] == "var":
            while at < len(kinds) and kinds[at] == "var":
                at += 1
        else:
            return False
    elif words[at : at + 1] == ["ASK"]:
        at += 1
    else:
        return False
    at += words[at : at + 1] == ["WHERE"]
    if words[at : at + 1] != ["{"] or len(tokens) < at + 5:
        return False
    subject, predicate, value = tokens[at + 1 : at + 4]
    if not (_fixed(subject) and (predicate in (("word", "a"),) or _term(predicate)) and _term(value)):
        return False
    at += 4
    at += words[at : at + 1] == ["."]
    if words[at : at + 1] != ["}"]:
        return False
    at += 1
    while words[at : at + 1] in (["LIMIT"], ["OFFSET"]) and words[at + 1 : at + 2] != [] and words[at + 1].isdigit():
        at += 2
        while at < len(words) and words[at].isdigit():  # the lexer reads a number a digit at a time
            at += 1
    return at == len(tokens)


def _fixed(token: tuple[str | None, str]) -> bool:
    kind, value = token
    return kind == "iri" or (kind == "word" and _PREFIXED.fullmatch(value) is not None)


def _term(token: tuple[str | None, str]) -> bool:
    return token[0] == "var" or _fixed(token)
