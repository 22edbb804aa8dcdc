"""The HTTP rules every route shares, checked on every kind of route of the real server over a real build.

CORS on every answer (errors included) and preflights answered; conditional requests with weak
If-None-Match comparison and If-Modified-Since wherever validators are sent; one translated error page
for people and one JSON shape for machines. Each rule lives in one place (web/http/), so a route that
stops using it fails here.
"""

from __future__ import annotations

import httpx
import pytest
from html_page import path_of

from airegister.web.http.caching import etag_matches
from airegister.web.http.conneg import preferred_language
from airegister.web.i18n.strings.common import STRINGS

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
PROJECT = "project/pstw-1806"
SPARQL_JSON = "application/sparql-results+json"

# path -> request headers: one of each kind of route
ROUTES = {
    "sparql?query=ASK%20%7B%7D": {"Accept": SPARQL_JSON},
    f"id/{PROJECT}": {"Accept": "text/turtle"},
    f"doc/{PROJECT}": {"Accept": "text/turtle"},
    f"doc/{PROJECT}.html": {"Accept": BROWSER},
    "dumps/projects.ttl": {},
    ".well-known/void": {},
    "catalog": {},
    "ns": {},
    "shapes": {"Accept": BROWSER},
    "": {"Accept": BROWSER},
    "projects": {"Accept": BROWSER},
    "static/site.css": {},
}
UNVALIDATED = {"sparql?query=ASK%20%7B%7D", f"id/{PROJECT}"}  # a query answer and a 303 carry no validators
VALIDATED = [path for path in ROUTES if path not in UNVALIDATED]
# The site's pages follow the reader's language cookie: only their ETag (which carries the language) validates
# them, and with no Last-Modified nor freshness a browser revalidates them every time.
UNDATED = {"", "projects"}
DATED = [path for path in VALIDATED if path not in UNDATED]

# path -> request headers of a 404 (people and machines), one per kind of route
MISSING = {
    "id/project/no-such-project": {},
    "doc/project/no-such-project": {},
    "dumps/no-such-file.ttl": {},
    "catalog.xyz": {},
    "no-such-page": {},
    "static/no-such-file.css": {},
}
# path -> Accept of a 406, on each kind of route that negotiates
UNACCEPTABLE = ["sparql?query=ASK%20%7B%7D", f"id/{PROJECT}", f"doc/{PROJECT}", "catalog"]


def get(url: str, headers: dict[str, str] | None = None, method: str = "GET") -> httpx.Response:
    return httpx.request(method, url, headers=headers or {}, timeout=30)


def assert_cors(response: httpx.Response) -> None:
    assert response.headers.get("access-control-allow-origin") == "*", response.headers
    assert "ETag" in response.headers.get("access-control-expose-headers", "")


# ---------------------------------------------------------------- CORS


@pytest.mark.parametrize("path", ROUTES)
def test_every_answer_allows_any_origin(served: str, path: str) -> None:
    response = get(served + path, ROUTES[path])
    assert response.status_code in (200, 303)
    assert_cors(response)


@pytest.mark.parametrize("path", MISSING)
@pytest.mark.parametrize("accept", [BROWSER, "application/json"])
def test_a_404_allows_any_origin(served: str, path: str, accept: str) -> None:
    response = get(served + path, {"Accept": accept})
    assert response.status_code == 404
    assert_cors(response)


@pytest.mark.parametrize("path", UNACCEPTABLE)
def test_a_406_allows_any_origin(served: str, path: str) -> None:
    response = get(served + path, {"Accept": "image/png"})
    assert response.status_code == 406
    assert_cors(response)


@pytest.mark.parametrize("path", [*ROUTES, *MISSING])
def test_preflight_is_answered_everywhere(served: str, path: str) -> None:
    preflight = {
        "Origin": "https://elsewhere.example",
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "If-None-Match",
    }
    response = get(served + path, preflight, method="OPTIONS")
    assert response.status_code == 204
    assert_cors(response)
    assert "GET" in response.headers["access-control-allow-methods"]
    allowed = response.headers["access-control-allow-headers"]
    assert "If-None-Match" in allowed and "Accept" in allowed
    assert response.content == b""


# ---------------------------------------------------------------- conditional requests


@pytest.mark.parametrize("path", ROUTES)
def test_validators_where_expected(served: str, path: str) -> None:
    response = get(served + path, ROUTES[path])
    if path in UNVALIDATED:
        assert "etag" not in response.headers
    else:
        assert response.headers["etag"].startswith('"')
    if path in DATED:
        assert response.headers["last-modified"].endswith(" GMT")
    if path in UNDATED:
        assert "last-modified" not in response.headers and "cache-control" not in response.headers
        since = get(served + path, {**ROUTES[path], "If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"})
        assert since.status_code == 200  # no Last-Modified sent: If-Modified-Since means nothing


@pytest.mark.parametrize("path", VALIDATED)
def test_a_weak_if_none_match_gets_304(served: str, path: str) -> None:
    headers = ROUTES[path]
    tag = get(served + path, headers).headers["etag"]
    for match in (f"W/{tag}", tag, f'"elsewhere", W/{tag}', "*"):
        again = get(served + path, {**headers, "If-None-Match": match})
        assert again.status_code == 304, match
        assert again.headers["etag"] == tag and again.content == b""
        assert_cors(again)
    changed = get(served + path, {**headers, "If-None-Match": 'W/"elsewhere", "other"'})
    assert changed.status_code == 200 and changed.headers["etag"] == tag


@pytest.mark.parametrize("path", DATED)
def test_if_modified_since_gets_304(served: str, path: str) -> None:
    headers = ROUTES[path]
    first = get(served + path, headers)
    modified = first.headers["last-modified"]
    assert get(served + path, {**headers, "If-Modified-Since": modified}).status_code == 304
    old = get(served + path, {**headers, "If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})
    assert old.status_code == 200
    assert get(served + path, {**headers, "If-Modified-Since": "yesterday"}).status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 section 13.2.2)
    both = get(served + path, {**headers, "If-None-Match": '"other"', "If-Modified-Since": modified})
    assert both.status_code == 200


@pytest.mark.parametrize(
    ("header", "tag", "expected"),
    [
        ('"a"', '"a"', True),
        ('W/"a"', '"a"', True),
        ('"a"', 'W/"a"', True),
        (' "b" , W/"a" ', '"a"', True),
        ("*", '"a"', True),
        ('"b"', '"a"', False),
        ('"a-b"', '"a"', False),
        ("", '"a"', False),
    ],
)
def test_weak_comparison(header: str, tag: str, expected: bool) -> None:
    assert etag_matches(header, tag) is expected


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize("path", MISSING)
@pytest.mark.parametrize(
    ("how", "lang"), [({"params": "lang=fr"}, "fr"), ({"Accept-Language": "nl-BE,en;q=0.5"}, "nl")]
)
def test_a_404_for_people_is_the_translated_error_page(served: str, path: str, how: dict[str, str], lang: str) -> None:
    query = how.get("params")
    headers = {"Accept": BROWSER, **{k: v for k, v in how.items() if k != "params"}}
    url = served + path + (("&" if "?" in path else "?") + query if query else "")
    response = get(url, headers)
    assert response.status_code == 404
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert f'<html lang="{lang}">' in response.text
    heading = STRINGS[lang]["error_not_found_title"]
    assert heading != STRINGS["en"]["error_not_found_title"]
    assert f"<h1>{heading}</h1>" in response.text
    assert "/" + path.split("?")[0] in response.text  # what was asked
    assert f'href="{path_of(served)}projects"' in response.text and f'href="{path_of(served)}sparql"' in response.text
    assert "content-security-policy" in response.headers


def test_other_errors_for_people_are_the_same_page(served: str) -> None:
    response = get(f"{served}doc/{PROJECT}?format=bogus&lang=de", {"Accept": BROWSER})
    assert response.status_code == 406
    assert '<html lang="de">' in response.text
    assert STRINGS["de"]["error_title"].format(status=406) in response.text
    assert "?format=bogus is not offered" in response.text  # the problem's own message
    assert f'href="{path_of(served)}projects"' in response.text


@pytest.mark.parametrize("path", MISSING)
@pytest.mark.parametrize("accept", [None, "application/json", "*/*", "text/turtle"])
def test_a_404_for_machines_is_the_json_shape(served: str, path: str, accept: str | None) -> None:
    response = get(served + path, {"Accept": accept} if accept else {})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error", "status", "message"}
    assert body["error"] == "not-found" and body["status"] == 404 and body["message"]


@pytest.mark.parametrize("path", UNACCEPTABLE)
def test_a_406_for_machines_is_the_json_shape(served: str, path: str) -> None:
    response = get(served + path, {"Accept": "image/png"})
    assert response.status_code == 406
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert {"error", "status", "message"} <= set(body)
    assert body["error"] == "not-acceptable" and body["status"] == 406 and body["message"]


# ---------------------------------------------------------------- Accept-Language, by conneg's grammar


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("fr-BE,fr;q=0.9,en;q=0.8", "fr"),  # the primary subtag counts
        ("NL-be", "nl"),  # tags are case-insensitive
        ("es, it;q=0.9, de;q=0.1", "de"),  # languages we do not have are passed over
        ("de;q=0.5, nl;q=0.5", "de"),  # the earlier wins among equals
        ("de;q=0.5, nl;q=0.6", "nl"),
        ("nl;q=0", None),  # q=0: not acceptable
        ("en;q=abc, fr;q=0.2", "fr"),  # a malformed q counts as 0
        ("*", None),
        ("  , fr ;q=0.3 ,, ", "fr"),  # empty parts are skipped
    ],
)
def test_accept_language(header: str | None, expected: str | None) -> None:
    assert preferred_language(header, ("en", "fr", "nl", "de")) == expected


# ---------------------------------------------------------------- names and dates no file or clock can have


@pytest.mark.parametrize("path", ["dumps/%00", "dumps/all.ttl%00", "dumps/" + "a" * 300, f"static/{'a' * 300}.css"])
def test_regression_a_file_name_no_file_can_have_is_404_not_500(served: str, path: str) -> None:
    """A NUL byte ("embedded null byte") or a name past the system's limit (ENAMETOOLONG) raised a 500."""
    response = get(served + path)
    assert response.status_code == 404
    assert response.json()["error"] == "not-found"


@pytest.mark.parametrize(
    "path", ["dumps/..%2Fmanifest.json", "dumps/..%2Fsite-index.json", "dumps/%2e%2e%2fmanifest.json", "dumps/..%2F"]
)
def test_regression_dumps_serves_nothing_outside_its_folder(served: str, path: str) -> None:
    """The server decodes %2F to '/', so `/dumps/..%2Fmanifest.json` named the build's manifest and got it."""
    response = get(served + path)
    assert response.status_code == 404
    assert response.json()["error"] == "not-found"


@pytest.mark.parametrize("suffix", ["%25zz", "%25%25", "%C0%AF"])
@pytest.mark.parametrize("document", ["doc", "doc.ttl"])
def test_regression_an_iri_the_engine_cannot_read_is_not_found_not_500(served: str, document: str, suffix: str) -> None:
    """`/doc?iri=` let through an IRI with a bad percent escape or bytes that are not UTF-8 (read as U+FFFD);
    the engine then refused the page's own query, and that syntax error escaped as a 500."""
    response = get(f"{served}{document}?iri=https%3A%2F%2Fw3id.org%2Fdpv%23Process{suffix}")
    assert response.status_code == 404
    assert "Error" not in response.text


@pytest.mark.parametrize("path", DATED)
def test_regression_an_if_modified_since_past_any_year_is_ignored_not_500(served: str, path: str) -> None:
    """A year too large for a date (OverflowError, not ValueError) escaped the date parser."""
    since = "Fri, 31 Dec 999999999999999999999 23:59:59 GMT"
    assert get(served + path, {**ROUTES[path], "If-Modified-Since": since}).status_code == 200
