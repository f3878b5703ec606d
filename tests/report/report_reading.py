"""Reading report.xlsx back in tests."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet


def roster_blocks(ws: Worksheet, group_ids: set[str]) -> dict[str, list[str]]:
    """Student ids under each group's block of the rosters sheet, in sheet order.

    A block starts at its title row (``GO-1　围棋``); its student rows have the row number
    (序号) in the first column and the student id in the second.
    """
    out: dict[str, list[str]] = {}
    current = None
    for row in ws.iter_rows(values_only=True):
        first = row[0]
        if isinstance(first, str) and first.split()[0] in group_ids:
            current = first.split()[0]
            out[current] = []
        elif current and isinstance(first, int):
            out[current].append(row[1])
    return out
