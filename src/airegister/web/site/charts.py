"""Bar charts as plain geometry for inline SVG, drawn on the server: no script, no external asset.

The template draws what this module measures, and shows the same numbers as a data table (the text
alternative), so every chart reads the same with a screen reader, without CSS, or printed.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 640
ROW = 40  # one horizontal bar: its label line above, the bar below
BAR = 16
VALUE_ROOM = 70  # room right of the longest bar for its number
COLUMN_HEIGHT = 180
COLUMN_AXIS = 24  # room under the columns for the year labels


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    value_text: str  # the value with the reader's thousands separator
    share: str  # "47 %", formatted for the reader's language
    href: str
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    value_x: float
    value_y: float
    show_label: bool = True


@dataclass(frozen=True)
class Chart:
    """One chart: identifiers for aria-labelledby, title, one-sentence description, bars and size."""

    key: str
    title: str
    description: str
    bars: list[Bar]
    width: int
    height: int
    columns: bool  # vertical columns (a time series) rather than horizontal bars
    total: int


def number(value: int, lang: str) -> str:
    """A whole number with the reader's thousands separator."""
    text = f"{value:,}"
    return text.replace(",", "\u202f") if lang == "fr" else text.replace(",", ".") if lang in ("nl", "de") else text


def share(value: int, total: int, lang: str) -> str:
    percent = round(100 * value / total) if total else 0
    return f"{percent} %" if lang in ("fr", "de") else f"{percent}%"


def _bar(item: tuple[str, int, str], total: int, lang: str, show_label: bool = True, **geometry: float) -> Bar:
    """One bar or column: what it says is the same for both kinds; where it sits is the caller's."""
    label, value, href = item
    return Bar(label, value, number(value, lang), share(value, total, lang), href, show_label=show_label, **geometry)


def horizontal(key: str, title: str, items: list[tuple[str, int, str]], total: int, lang: str) -> Chart:
    """Bars for (label, value, link) items, in the order given."""
    biggest = max((value for _, value, _ in items), default=0) or 1
    room = WIDTH - VALUE_ROOM
    bars = []
    for row, item in enumerate(items):
        top = row * ROW
        width = room * item[1] / biggest
        bars.append(
            _bar(
                item,
                total,
                lang,
                x=0,
                y=top + 20,
                width=round(width, 1),
                height=BAR,
                label_x=0,
                label_y=top + 15,
                value_x=round(width + 6, 1),
                value_y=top + 33,
            )
        )
    return Chart(key, title, _describe(title, bars), bars, WIDTH, max(ROW * len(bars), ROW), False, total)


def columns(key: str, title: str, items: list[tuple[str, int, str]], total: int, lang: str) -> Chart:
    """Columns for a series in order (years); labels thin out when there are many."""
    biggest = max((value for _, value, _ in items), default=0) or 1
    slot = WIDTH / max(len(items), 1)
    step = 1 if len(items) <= 16 else (len(items) + 15) // 16
    bars = []
    for index, item in enumerate(items):
        height = (COLUMN_HEIGHT - 20) * item[1] / biggest
        x = index * slot + slot * 0.15
        top = COLUMN_HEIGHT - height
        middle = round(index * slot + slot / 2, 1)
        bars.append(
            _bar(
                item,
                total,
                lang,
                x=round(x, 1),
                y=round(top, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label_x=middle,
                label_y=COLUMN_HEIGHT + 16,
                value_x=middle,
                value_y=round(top - 4, 1),
                show_label=index % step == 0,
            )
        )
    return Chart(key, title, _describe(title, bars), bars, WIDTH, COLUMN_HEIGHT + COLUMN_AXIS, True, total)


def _describe(title: str, bars: list[Bar]) -> str:
    return f"{title}: " + "; ".join(f"{bar.label}: {bar.value_text} ({bar.share})" for bar in bars) + "."
