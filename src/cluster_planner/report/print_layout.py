"""How report.xlsx's block sheets fall on A4 paper: page sizes, pieces of a block, which blocks share a page.

A printed page is legible when fit-to-width shrinks it little: these functions size the pieces so
that a page's columns fit its width (attendance: at most so many date columns a page, the term's
dates split over pages) and its rows its height (a large group over pages, each with its header),
and put a block on a new page unless it fits on the half page left by one block before it.

Widths are in Excel column units (characters of the default 11 pt font), heights in points.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from cluster_planner.report.text_width import display_width

A4_POINTS = {"portrait": (595.3, 841.9), "landscape": (841.9, 595.3)}
MARGIN_SIDE = 0.4 * 72  # left and right margins (points)
MARGIN_TOP = 0.5 * 72  # top and bottom margins (points); the page number sits in the bottom one
FOOTER_MARGIN = 0.2  # inches from the paper's edge to the page number
POINTS_PER_UNIT = 5.25  # one column unit of Calibri 11 is 7 px at 96 dpi
PADDING_POINTS = 3.75  # each column's 5 px of padding
DATE_WIDTH = 7  # an attendance date column: "10/12" over "16:50"
MIN_DATES = 8  # fewer date columns than this on a portrait page: print landscape
ROW_HEIGHT = 15.0  # a one-line row of the 11 pt font
FACT_HEIGHT = 13.0  # a line of facts (10 pt) above a block
SIGN_HEIGHT = 24.0  # the row an adult signs in
ATTENDANCE_ROW = 14.0  # a student's row on an attendance sheet: 45 students and the header fit a portrait page
BLOCKS_PER_PAGE = 2  # a block takes a page, or half a page beside one other


def printable(orientation: str) -> tuple[float, float]:
    """Width and height (points) inside the margins of an A4 page."""
    width, height = A4_POINTS[orientation]
    return width - 2 * MARGIN_SIDE, height - 2 * MARGIN_TOP


def columns_points(widths: list[float]) -> float:
    """Printed width (points, at 100 %) of columns of these widths."""
    return sum(POINTS_PER_UNIT * w + PADDING_POINTS for w in widths)


def page_units(orientation: str) -> int:
    """How many column units fit across the printable width."""
    return int((printable(orientation)[0] - PADDING_POINTS) / (POINTS_PER_UNIT + PADDING_POINTS / 8))


_BREAKS = re.compile(r"(?<=[；，、;,\s　）)])")


def wrap(text: str, units: int) -> list[str]:
    """``text`` cut into lines of at most ``units`` display width (CJK characters count two), after
    a separator where one is near enough, else anywhere."""
    lines: list[str] = []
    for part in text.split("\n"):
        line = ""
        for token in _BREAKS.split(part):
            if line and display_width(line + token) > units:
                lines.append(line)
                line = ""
            for ch in token:
                if line and display_width(line + ch) > units:
                    lines.append(line)
                    line = ""
                line += ch
        lines.append(line)
    return lines


def wrapped_lines(text: str, units: int) -> int:
    """Lines a wrapped cell of ``units`` width needs for ``text``."""
    return sum(max(1, math.ceil(display_width(part) / max(1, units - 1))) for part in text.split("\n"))


def pack_facts(facts: list[tuple[str, str]], sep: str, units: int) -> list[str]:
    """``label：value`` facts joined side by side (``　`` between) on lines of at most ``units``; a
    fact longer than a line wraps."""
    lines: list[str] = []
    for label, value in facts:
        text = f"{label}{sep}{value}"
        if lines and display_width(lines[-1] + "　" + text) <= units:
            lines[-1] += "　" + text
        else:
            lines.extend(wrap(text, units))
    return lines


@dataclass(frozen=True)
class AttendanceLayout:
    """The page of every attendance piece: orientation, date columns and students a page."""

    orientation: str
    fixed_widths: tuple[int, ...]
    dates_per_page: int

    @classmethod
    def of(cls, sheets: dict[str, pd.DataFrame], fixed: int = 3, max_width: int = 42) -> AttendanceLayout:
        """Portrait when at least :data:`MIN_DATES` date columns fit beside the widest fixed columns."""
        widths = [4] * fixed
        for df in sheets.values():
            for c, name in enumerate(df.columns[:fixed]):
                cells = [str(name), *(str(v) for v in df.iloc[:, c].tolist())]
                widths[c] = max(widths[c], max(display_width(v) for v in cells))
        fixed_widths = tuple(min(max_width, w + 2) for w in widths)
        for orientation in ("portrait", "landscape"):
            room = printable(orientation)[0] - columns_points(list(fixed_widths))
            n = int(room // columns_points([DATE_WIDTH]))
            if n >= MIN_DATES:
                break
        return cls(orientation, fixed_widths, max(1, n))

    def pieces(self, df: pd.DataFrame, overhead: float, fixed: int = 3) -> Iterator[pd.DataFrame]:
        """``df`` cut into page-sized pieces: the term's dates in even runs of at most
        ``dates_per_page``, and the students in even runs that fit under ``overhead`` points of
        title, facts, header and signature (``attrs["piece"]``: its number and the count)."""
        dates = list(df.columns[fixed:])
        n_dates = max(1, math.ceil(len(dates) / self.dates_per_page))
        size = math.ceil(len(dates) / n_dates) if dates else 0
        per_page = max(5, int((printable(self.orientation)[1] - overhead) // ATTENDANCE_ROW))
        n_rows = max(1, math.ceil(len(df) / per_page))
        rows = math.ceil(len(df) / n_rows) if len(df) else 0
        for k in range(n_dates):
            columns = list(range(fixed)) + list(range(fixed + k * size, min(len(df.columns), fixed + (k + 1) * size)))
            for r in range(n_rows):
                piece = df.iloc[r * rows : (r + 1) * rows, columns] if rows else df.iloc[:, columns]
                piece.attrs = {**df.attrs, "piece": (k * n_rows + r + 1, n_dates * n_rows)}
                yield piece


class Pages:
    """Where page breaks go between the blocks of one sheet: a block shares a page with the one before
    (after a blank row) when both fit and the page holds fewer than :data:`BLOCKS_PER_PAGE`; otherwise
    it starts a page."""

    def __init__(self, orientation: str, top: float = 0.0) -> None:
        self.height = printable(orientation)[1]
        self.used = top
        self.blocks = 0
        self.breaks: list[int] = []

    def place(self, row: int, height: float) -> bool:
        """A block of ``height`` points is about to be written at ``row``; True when a blank row
        should go first (it shares the page), else the page starts at ``row`` (recorded)."""
        if not self.blocks:
            self.used += height
            self.blocks = 1
            return False
        if self.blocks < BLOCKS_PER_PAGE and self.used + ROW_HEIGHT + height <= self.height:
            self.used += ROW_HEIGHT + height
            self.blocks += 1
            return True
        self.breaks.append(row)
        self.used, self.blocks = height, 1
        return False
