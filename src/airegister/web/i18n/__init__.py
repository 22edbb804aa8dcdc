"""The four languages of the site: which one a reader gets, and the UI strings in it.

Choice order: `?lang=`, then the `lang` cookie (set when a reader picks a language), then
Accept-Language, then English. Strings live in `web/strings/*.py`, one module per part of the site;
a key missing in a language falls back to English.
"""

from __future__ import annotations

from functools import cache

from starlette.requests import Request

from airegister.web.i18n.strings import common, sparql

LANGUAGES = ("en", "fr", "nl", "de")
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "nl": "Nederlands", "de": "Deutsch"}
COOKIE = "lang"
_TABLES: tuple[dict[str, dict[str, str]], ...] = (common.STRINGS, sparql.STRINGS)


def register(table: dict[str, dict[str, str]]) -> None:
    """Add a part of the site's strings (a module's STRINGS) to what `ui_strings` returns."""
    global _TABLES
    if table not in _TABLES:
        _TABLES = (*_TABLES, table)
        ui_strings.cache_clear()


@cache
def ui_strings(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for table in _TABLES:
        merged.update(table.get("en", {}))
    for table in _TABLES:
        merged.update(table.get(lang, {}))
    return merged


def _accept_language(header: str) -> str | None:
    best, best_q = None, 0.0
    for position, item in enumerate(header.split(",")):
        tag, _, params = item.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if primary in LANGUAGES and q > 0 and q - position * 1e-6 > best_q:
            best, best_q = primary, q - position * 1e-6  # earlier wins among equals
    return best


def choose_language(request: Request) -> str:
    asked = request.query_params.get("lang", "").lower()
    if asked in LANGUAGES:
        return asked
    remembered = request.cookies.get(COOKIE, "").lower()
    if remembered in LANGUAGES:
        return remembered
    return _accept_language(request.headers.get("accept-language", "")) or "en"


def explicit_language(request: Request) -> str | None:
    """The language the reader asked for in this URL, to remember in the cookie."""
    asked = request.query_params.get("lang", "").lower()
    return asked if asked in LANGUAGES else None
