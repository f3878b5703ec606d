"""Printed width of text in a spreadsheet cell: a CJK character takes two columns."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=65536)
def display_width(text: str) -> int:
    """Printed width of the longest line: wide (CJK) characters count 2."""
    return max(
        (sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) for line in text.split("\n")), default=0
    )
