"""The four languages of the site: which one a reader gets, and the UI strings in it.

Choice order: `?lang=`, then the `lang` cookie (set when a reader picks a language), then
Accept-Language (parsed by `web/http/conneg.py`, as Accept is), then English. The languages themselves
are the register's (`rdf/languages.py`). Strings live in `strings/*.py`, one module per part of the site,
all merged here; a key missing in a language falls back to English.
"""

from __future__ import annotations

from functools import cache

from starlette.requests import Request

from airegister.rdf.languages import LANGUAGE_NAMES, LANGUAGES
from airegister.web.http.conneg import preferred_language
from airegister.web.i18n.strings import common, resources, site, sparql

__all__ = ["COOKIE", "LANGUAGES", "LANGUAGE_NAMES", "choose_language", "explicit_language", "ui_strings"]

COOKIE = "lang"
DEFAULT = LANGUAGES[0]
TABLES: tuple[dict[str, dict[str, str]], ...] = (common.STRINGS, sparql.STRINGS, resources.STRINGS, site.STRINGS)


@cache
def ui_strings(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for table in TABLES:
        merged.update(table.get(DEFAULT, {}))
    for table in TABLES:
        merged.update(table.get(lang, {}))
    return merged


def choose_language(request: Request) -> str:
    asked = request.query_params.get("lang", "").lower()
    if asked in LANGUAGES:
        return asked
    remembered = request.cookies.get(COOKIE, "").lower()
    if remembered in LANGUAGES:
        return remembered
    return preferred_language(request.headers.get("accept-language"), LANGUAGES) or DEFAULT


def explicit_language(request: Request) -> str | None:
    """The language the reader asked for in this URL, to remember in the cookie."""
    asked = request.query_params.get("lang", "").lower()
    return asked if asked in LANGUAGES else None
