"""Parsing the literal values of a PSTW record: years, dates, booleans, URLs, keywords, countries.

Each parser returns None for a value it cannot read, so the caller reports it with row and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from airegister.importers.concepts import normalise

_YEAR = re.compile(r"^\d{4}$")
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
_IRI_FORBIDDEN = re.compile(r"[\s<>\"{}|\\^`\x00-\x1f\x7f]")
_NUTS = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")
_KEYWORD_SPLIT = re.compile(r"[,;\n]")
_CONNECTIVES = frozenset({"and", "en", "et", "und", "see", "source", "sources", "via"})


def year(value: str) -> str | None:
    """A four-digit year as the lexical form of an xsd:gYear."""
    return value if _YEAR.match(value) and 1900 <= int(value) <= 2100 else None


def date(value: str) -> str | None:
    """PSTW's dd/mm/yyyy as an ISO xsd:date lexical form; None when it is not a real date."""
    match = _DATE.match(value)
    if not match:
        return None
    day, month, year_ = (int(g) for g in match.groups())
    try:
        return dt.date(year_, month, day).isoformat()
    except ValueError:
        return None


def boolean(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(normalise(value))


def is_http_iri(value: str) -> bool:
    """An absolute http(s) IRI with a host and no character an IRI may not hold."""
    if _IRI_FORBIDDEN.search(value):
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises on a malformed port)
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)


def urls_in(text: str) -> tuple[list[str], str]:
    """The URLs in free text (trailing punctuation trimmed) and the text left once they are removed."""
    found = [m.rstrip(".,;:)]'’”") for m in _URL.findall(text)]
    rest = _URL.sub(" ", text)
    words = [w for w in re.findall(r"[^\W\d_]+", rest) if w.lower() not in _CONNECTIVES]
    return found, (" ".join(rest.split()) if words else "")


def keywords(value: str) -> list[str]:
    """Keywords separated by commas, semicolons or line breaks; duplicates (ignoring case) dropped."""
    out: list[str] = []
    seen: set[str] = set()
    for part in _KEYWORD_SPLIT.split(value):
        word = " ".join(part.split())
        if word and normalise(word) not in seen:
            seen.add(normalise(word))
            out.append(word)
    return out


@dataclass(frozen=True)
class Country:
    iso3: str
    nuts: str


def read_countries(path: Path) -> dict[str, Country]:
    """The country table (name -> ISO 3166 alpha-3 and NUTS country code), keyed by normalised name."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {normalise(r["name"]): Country(r["iso3"].strip(), r["nuts"].strip()) for r in csv.DictReader(handle)}


def nuts_code(value: str, countries: dict[str, Country]) -> str | None:
    """A NUTS code whose country part is one the NUTS classification covers."""
    code = value.strip().upper()
    prefixes = {c.nuts for c in countries.values() if c.nuts}
    return code if _NUTS.match(code) and code[:2] in prefixes else None
