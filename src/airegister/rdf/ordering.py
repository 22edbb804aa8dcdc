"""Natural order of names and IRIs: the one sort key for anything numbered (p2 before p10, pstw-9 before pstw-10)."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"(\d+)")


def natural(text: str) -> list[object]:
    """Sort key that compares runs of digits as numbers: `p2` before `p10`, `pstw-9` before `pstw-10`.

    Splitting on a captured group alternates text and digits, so two keys compare text with text and
    number with number at each position.
    """
    return [int(part) if part.isdigit() else part for part in _DIGITS.split(text)]
