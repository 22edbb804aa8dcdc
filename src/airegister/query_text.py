"""What a SPARQL request is, read from its text without evaluating it.

The server must know a query's form (to negotiate a result format) and which SERVICE endpoints it
calls (to refuse them) before it hands the query to a worker. A small lexer that skips comments,
strings and IRIs is enough for both and costs microseconds, where a full parse would not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKENS = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\ufffd]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*(?::[^\s{}()<>;,.]*)?)
  | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)
FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH", "USING"}
)


@dataclass(frozen=True)
class QueryShape:
    """The facts about a request text that routing needs."""

    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE; None when the text has none of them
    services: tuple[str, ...]  # IRIs after SERVICE (SERVICE SILENT included); "?var" for a variable
    looks_like_update: bool
    has_dataset_clause: bool = False  # FROM / FROM NAMED: the query picks its own dataset

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


def inspect_query(text: str) -> QueryShape:
    form: str | None = None
    services: list[str] = []
    update = False
    dataset_clause = False
    expect_service = False
    for match in _TOKENS.finditer(text):
        kind = match.lastgroup
        value = match.group()
        if kind in ("comment", "string"):
            continue
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
    )
