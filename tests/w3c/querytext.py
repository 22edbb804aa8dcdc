"""Facts about a test's query text that the runner needs, read from its tokens (comments skipped)."""

from __future__ import annotations

import re

_LEXEME = re.compile(
    r"""\#[^\n]*|'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>"{}|^`\\\s]*>|[{}()]|[?$]\w+|\w+|\S""",
    re.DOTALL,
)


def lexemes(query: str) -> list[tuple[int, str]]:
    """The query's tokens with their brace depth; comments dropped."""
    depth, out = 0, []
    for match in _LEXEME.finditer(query):
        token = match.group()
        if token.startswith("#"):
            continue
        if token == "}":
            depth -= 1
        out.append((depth, token))
        if token == "{":
            depth += 1
    return out


def top_level_order(query: str) -> tuple[str, ...] | None:
    """The variables the outermost ORDER BY sorts on; None without one, () when it sorts on expressions."""
    tokens = lexemes(query)
    for i in range(len(tokens) - 1):
        depth, word = tokens[i]
        if depth == 0 and word.upper() == "ORDER" and tokens[i + 1][1].upper() == "BY":
            keys: list[str] = []
            j = i + 2
            while j < len(tokens) and tokens[j][1].upper() not in ("LIMIT", "OFFSET", "VALUES"):
                window = [t for _, t in tokens[j : j + 4]]
                if window[0].startswith(("?", "$")):
                    keys.append(window[0][1:])
                    j += 1
                elif (
                    len(window) == 4 and window[0].upper() in ("ASC", "DESC") and window[1] == "(" and window[3] == ")"
                ):
                    keys.append(window[2][1:])
                    j += 4
                else:
                    return ()
            return tuple(keys)
    return None


def has_dataset_clause(query: str) -> bool:
    """FROM or FROM NAMED in the query: it names its own dataset."""
    return any(word.upper() == "FROM" for _, word in lexemes(query))
