"""Cells of CSV files people open in a spreadsheet: never a live formula (OWASP CSV injection).

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written
with a leading apostrophe, so a spreadsheet shows it as text instead of running it: a student
named ``=HYPERLINK("http://x","y")`` stays a name. Numbers and phone numbers are written as they
are: a cell starting with ``+`` or ``-`` that holds only digits, spaces and ``+ - . ( )``, with at
least one digit (``-3``, ``+86 138 0013 8000``, ``-0.5``), cannot call anything. A cell that
already starts with apostrophes before such a character gets one more, so :func:`unescape` (the
product's own readers) gives back exactly what was written: plans read back unchanged.

Scenario files are input, not output: the scenario snapshot is written as read.
"""

from __future__ import annotations

import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_LIKE = re.compile(r"[+-][0-9 +\-.()]*")


def _needs_quote(text: str) -> bool:
    """True if ``text`` (apostrophes aside) would start a formula in a spreadsheet."""
    core = text.lstrip("'")
    if not core.startswith(TRIGGERS):
        return False
    return not (_NUMBER_LIKE.fullmatch(core) and any(c.isdigit() for c in core))


def escape(text: str) -> str:
    """The cell as written to a CSV meant for people."""
    return "'" + text if _needs_quote(text) else text


def unescape(text: str) -> str:
    """The cell as the product wrote it before :func:`escape` (``unescape(escape(x)) == x``)."""
    return text[1:] if text.startswith("'") and _needs_quote(text) else text
