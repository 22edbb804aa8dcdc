"""The content negotiation table: one pure function decides every Accept header the server sees."""

from __future__ import annotations

import pytest

from airegister.web.http.conneg import negotiate, parse_accept

RDF = ["text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples", "text/html"]


@pytest.mark.parametrize(
    ("accept", "offers", "expected"),
    [
        (None, RDF, "text/turtle"),  # no Accept: the server's default
        ("", RDF, "text/turtle"),
        ("*/*", RDF, "text/turtle"),
        ("text/html", RDF, "text/html"),
        ("application/ld+json", RDF, "application/ld+json"),
        ("text/*", RDF, "text/turtle"),  # first text/ offer
        ("application/*", RDF, "application/ld+json"),
        ("text/html;q=0.9, application/rdf+xml", RDF, "application/rdf+xml"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", RDF, "text/html"),  # a browser
        ("application/rdf+xml;q=0.5, text/turtle;q=0.5", RDF, "text/turtle"),  # tie: server order
        ("*/*;q=0.1, application/n-triples", RDF, "application/n-triples"),
        ("text/turtle;q=0, */*", RDF, "application/ld+json"),  # q=0 excludes
        ("text/*;q=0.3, text/html;q=0", RDF, "text/turtle"),  # the more specific range decides text/html
        ("image/png", RDF, None),  # 406
        ("text/turtle;q=0", ["text/turtle"], None),
        ("application/json", ["application/sparql-results+json", "application/json"], "application/json"),
        ("TEXT/TURTLE", RDF, "text/turtle"),  # media types are case-insensitive
        ("text/turtle;q=abc", RDF, None),  # a malformed q counts as 0
        ("garbage, text/html", RDF, "text/html"),  # malformed parts are skipped
    ],
)
def test_negotiation_table(accept: str | None, offers: list[str], expected: str | None) -> None:
    assert negotiate(accept, offers) == expected


def test_nothing_offered_is_not_acceptable() -> None:
    assert negotiate("*/*", []) is None


def test_parse_accept_reads_q_and_parameters() -> None:
    ranges = parse_accept("text/html;level=1;q=0.7, */*;q=0.1")
    assert [(r.type, r.subtype, r.q, r.params) for r in ranges] == [
        ("text", "html", 0.7, (("level", "1"),)),
        ("*", "*", 0.1, ()),
    ]
