"""Content negotiation in pure functions: which offered media type answers an Accept header, and which
offered language answers an Accept-Language header (one parser for both grammars).

Rules (RFC 9110): q-values, `type/*` and `*/*` wildcards, specificity breaking ties between ranges,
and the server's order of preference breaking ties between offers of equal quality. An absent or empty
Accept header means the default (the first offer). A result of None means 406.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float
    params: tuple[tuple[str, str], ...] = ()

    @property
    def specificity(self) -> int:
        if self.type == "*":
            return 0
        if self.subtype == "*":
            return 1
        return 2 + len(self.params)

    def matches(self, media_type: str) -> bool:
        kind, _, sub = media_type.partition("/")
        return self.type in ("*", kind) and self.subtype in ("*", sub)


def parse_items(header: str | None) -> list[tuple[str, float, tuple[tuple[str, str], ...]]]:
    """The grammar Accept and Accept-Language share: `value;name=value;q=0.5, ...` -> (value, q, parameters).

    Values are lower-cased; a malformed q counts as 0; empty parts are skipped.
    """
    items: list[tuple[str, float, tuple[tuple[str, str], ...]]] = []
    for part in (header or "").split(","):
        pieces = [p.strip() for p in part.split(";")]
        if not pieces[0]:
            continue
        q = 1.0
        params: list[tuple[str, str]] = []
        for piece in pieces[1:]:
            name, _, value = piece.partition("=")
            name = name.strip().lower()
            if name == "q":
                try:
                    q = min(1.0, max(0.0, float(value)))
                except ValueError:
                    q = 0.0
            elif name:
                params.append((name, value.strip().strip('"')))
        items.append((pieces[0].lower(), q, tuple(params)))
    return items


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an Accept header; malformed parts are skipped rather than failing the request."""
    ranges: list[MediaRange] = []
    for value, q, params in parse_items(header):
        kind, _, sub = value.partition("/")
        if kind and sub:
            ranges.append(MediaRange(kind, sub, q, params))
    return ranges


def preferred_language(header: str | None, offered: Sequence[str]) -> str | None:
    """The offered language an Accept-Language header prefers, by primary subtag (`fr-BE` is `fr`);
    the earlier wins among equal q-values; None when it names none of them with q > 0."""
    return _preferred_language(header, tuple(offered))


@lru_cache(maxsize=256)
def _preferred_language(header: str | None, offered: tuple[str, ...]) -> str | None:
    best, best_q = None, 0.0
    for value, q, _ in parse_items(header):
        primary = value.split("-", 1)[0]
        if primary in offered and q > best_q:
            best, best_q = primary, q
    return best


def negotiate(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offer to send for this Accept header, or None when nothing acceptable is offered (406)."""
    return _negotiate(accept, tuple(offers))


@lru_cache(maxsize=1024)  # clients send few distinct Accept headers, and parsing one on every request shows
def _negotiate(accept: str | None, offers: tuple[str, ...]) -> str | None:
    if not offers:
        return None
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0]
    best: tuple[float, int] | None = None
    chosen: str | None = None
    for position, offer in enumerate(offers):
        matching = [r for r in ranges if r.matches(offer)]
        if not matching:
            continue
        most_specific = max(matching, key=lambda r: r.specificity)
        if most_specific.q <= 0:
            continue
        score = (most_specific.q, -position)
        if best is None or score > best:
            best, chosen = score, offer
    return chosen
