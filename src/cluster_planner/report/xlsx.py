"""``report.xlsx``: one sheet per table, laid out for printing on A4 (written with XlsxWriter).

Every text cell is written with ``write_string`` (and Excel's quote prefix when it starts like
a formula), and the workbook never turns strings into formulas, numbers or links, so a name
such as ``=HYPERLINK(…)`` stays inert. Column widths count a CJK character as two. Sheets are
written top to bottom in XlsxWriter's ``constant_memory`` mode: each row is final once the
next one starts, so a large school's workbook needs little memory and time.
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from cluster_planner.i18n import t
from cluster_planner.report.bundle import ReportTables

MAX_ATTENDANCE_SHEETS = 40  # more groups than this: one attendance sheet with a block per group
MAX_WIDTH = 42
MIN_WIDTH = 4
EXCEL_MAX_TEXT = 32767
FORMULA_START = ("=", "+", "-", "@")
LINE_HEIGHT = 15  # points per line of wrapped text
A4 = 9  # Excel's paper code

WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")

# One format per kind of cell; variants (bold total row, quote prefix) are derived on demand.
TITLE, SUBTITLE, FACT, HEADER, CELL, SIGN, TEXT = "title", "subtitle", "fact", "header", "cell", "sign", "text"
_BOX = {"border": 1, "border_color": "#999999"}
STYLES: dict[str, dict[str, Any]] = {
    TITLE: {"bold": True, "font_size": 14},
    SUBTITLE: {"bold": True, "font_size": 12},
    FACT: {"font_size": 10, "font_color": "#444444"},
    HEADER: {**_BOX, "bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "align": "center", "valign": "vcenter"},
    CELL: {**_BOX, "text_wrap": True, "valign": "top"},
    SIGN: {**_BOX, "bold": True, "valign": "vcenter"},
    TEXT: {},
}
NUMBER_FORMATS = {"money": "#,##0.00", "percent": "0%", "decimal": "0.0#"}


class Styles:
    """The workbook's formats, each made once: ``styles(CELL, fmt="money", bold=True)``."""

    def __init__(self, wb: Workbook) -> None:
        self._wb = wb
        self._made: dict[tuple[str, str | None, bool, bool], Format] = {}

    def __call__(self, style: str, fmt: str | None = None, bold: bool = False, quote: bool = False) -> Format:
        key = (style, fmt, bold, quote)
        made = self._made.get(key)
        if made is None:
            props = dict(STYLES[style])
            if fmt:
                props["num_format"] = NUMBER_FORMATS[fmt]
            if bold:
                props["bold"] = True
            if quote:
                props["quote_prefix"] = True
            made = self._made[key] = self._wb.add_format(props)
        return made


@lru_cache(maxsize=65536)
def display_width(text: str) -> int:
    """Printed width of the longest line: wide (CJK) characters count 2."""
    return max(
        (sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) for line in text.split("\n")), default=0
    )


def clean_text(value: Any) -> str:
    """Text Excel accepts: no control characters, at most 32767 characters."""
    text = str(value)
    if not text.isprintable():  # fast test; line breaks and tabs are kept by the pattern
        text = _ILLEGAL.sub("", text)
    return text if len(text) <= EXCEL_MAX_TEXT else text[:EXCEL_MAX_TEXT]


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def sheet_title(text: str, used: set[str]) -> str:
    """A valid, unique sheet name (≤ 31 characters, none of ``[]:*?/\\``)."""
    base = _BAD_SHEET_CHARS.sub("_", text).strip("'") or "Sheet"
    name, k = base[:31], 2
    while name.lower() in used:
        suffix = f"~{k}"
        name, k = base[: 31 - len(suffix)] + suffix, k + 1
    used.add(name.lower())
    return name


class SheetWriter:
    """Writes titles, facts and tables down one worksheet and sets it up for printing.

    Rows are 0-based and only ever move down (``constant_memory``): a row's height is set
    before its cells are written.
    """

    def __init__(self, wb: Workbook, styles: Styles, name: str, lang: str) -> None:
        self.ws: Worksheet = wb.add_worksheet(name)
        self.styles = styles
        self.lang = lang
        self.row = 0
        self.widths: dict[int, int] = {}
        self.first_header: int | None = None
        self.breaks: list[int] = []
        self.max_column = 0

    def put(self, row: int, column: int, value: Any, style: str = TEXT, fmt: str | None = None, bold: bool = False):
        """Write one cell: numbers as numbers (``fmt``: money, percent), everything else as inert text."""
        self.max_column = max(self.max_column, column)
        if is_blank(value) or value == "":
            if style != TEXT or bold:
                self.ws.write_blank(row, column, None, self.styles(style, bold=bold))
            return
        if is_number(value):
            number = float(value)
            fmt = fmt or (None if number.is_integer() else "decimal")
            self.ws.write_number(row, column, number, self.styles(style, fmt, bold) if fmt or style != TEXT else None)
            return
        text = clean_text(value)
        quote = text.startswith(FORMULA_START)
        plain = style == TEXT and not bold and not quote
        self.ws.write_string(row, column, text, None if plain else self.styles(style, bold=bold, quote=quote))

    def _measure(self, column: int, text: str) -> None:
        width = display_width(text)
        if width > self.widths.get(column, 0):
            self.widths[column] = width

    def title(self, text: str, sub: bool = False) -> None:
        self.put(self.row, 0, text, SUBTITLE if sub else TITLE)
        self.row += 1

    def facts(self, facts: list[tuple[str, str]]) -> None:
        sep = "：" if self.lang == "zh" else ": "
        for label, value in facts:
            self.put(self.row, 0, f"{label}{sep}{value}", FACT)
            self.row += 1

    def lines(self, texts: list[str]) -> None:
        for text in texts:
            self.put(self.row, 0, text)
            self.row += 1

    def gap(self, rows: int = 1) -> None:
        self.row += rows

    def page_break(self) -> None:
        """The next row starts a printed page."""
        self.breaks.append(self.row)

    def table(self, df: pd.DataFrame, narrow: tuple[str, ...] = ()) -> int:
        """Header and rows of ``df``; returns the header's row number."""
        header = self.row
        names = [str(n) for n in df.columns]
        formats: dict[str, str] = df.attrs.get("formats", {})
        fmts = [formats.get(n) for n in names]
        measured = [n not in narrow for n in names]
        lines = max((n.count("\n") + 1 for n in names), default=1)
        if lines > 1:
            self.ws.set_row(header, LINE_HEIGHT * lines)
        for c, name in enumerate(names):
            self.put(header, c, name, HEADER)
            if measured[c]:
                self._measure(c, name)
        if self.first_header is None:
            self.first_header = header
        self.row += 1
        total_row = len(df) - 1 if df.attrs.get("total_row") else -1
        box = self.styles(CELL)
        write_string, write_blank = self.ws.write_string, self.ws.write_blank
        for k, values in enumerate(df.to_numpy(dtype=object).tolist()):
            row = self.row
            height = max((v.count("\n") + 1 for v in values if isinstance(v, str)), default=1)
            if height > 1:
                self.ws.set_row(row, LINE_HEIGHT * height)
            bold = k == total_row
            for c, value in enumerate(values):
                # fast paths for the common cells (plain one-line text, blanks); the rest via put()
                if not bold and (value is None or value == ""):
                    write_blank(row, c, None, box)
                    continue
                if not bold and type(value) is str and value.isprintable() and not value.startswith(FORMULA_START):
                    write_string(row, c, value, box)
                else:
                    self.put(row, c, value, CELL, fmts[c], bold)
                if not measured[c] or is_blank(value):
                    continue
                if isinstance(value, str):
                    self._measure(c, value)
                elif is_number(value) and fmts[c] == "money":
                    self._measure(c, f"{value:,.2f}")
                else:
                    self._measure(c, str(value))
            self.row += 1
        if df.empty:
            self.put(self.row, 0, t("report.html.empty", self.lang))
            self.row += 1
        return header

    def signature_row(self, label: str, columns: int) -> None:
        """A row to sign in: the label, then empty bordered cells."""
        self.ws.set_row(self.row, 30)
        for c in range(columns):
            self.put(self.row, c, label if c == 1 else None, SIGN)
        self.row += 1

    def finish(self, landscape: bool, repeat_header: bool, freeze: tuple[int, int] | None = None, narrow: int = 0):
        """Column widths, freeze panes, A4 page setup, repeated title rows, page numbers.

        ``freeze`` is (rows, columns) kept in view; by default the rows down to the first header.
        """
        ws = self.ws
        for c in range(self.max_column + 1):
            if c in self.widths:
                ws.set_column(c, c, min(MAX_WIDTH, max(MIN_WIDTH, self.widths[c] + 2)))
            elif narrow:
                ws.set_column(c, c, narrow)
        if freeze:
            ws.freeze_panes(*freeze)
        elif repeat_header and self.first_header is not None:
            ws.freeze_panes(self.first_header + 1, 0)
        if repeat_header and self.first_header is not None:
            ws.repeat_rows(self.first_header)
        if self.breaks:
            ws.set_h_pagebreaks(self.breaks)
        ws.set_paper(A4)
        if landscape:
            ws.set_landscape()
        else:
            ws.set_portrait()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.center_horizontally()
        ws.set_footer("&C&P / &N")


class WorkbookWriter:
    """The workbook's sheets, in order, with unique names."""

    def __init__(self, wb: Workbook, lang: str) -> None:
        self.wb = wb
        self.styles = Styles(wb)
        self.lang = lang
        self.used: set[str] = set()

    def sheet(self, title: str) -> SheetWriter:
        return SheetWriter(self.wb, self.styles, sheet_title(title, self.used), self.lang)

    def flat(self, title: str, tables: list[pd.DataFrame], landscape: bool) -> None:
        """A sheet of one or more plain tables, the first one's header repeated on each printed page."""
        w = self.sheet(title)
        w.title(title)
        for k, df in enumerate(tables):
            if k:
                w.gap()
                w.title(df.attrs.get("title", ""), sub=True)
            header = w.table(df)
            if k == 0 and len(tables) == 1 and not df.empty:
                w.ws.autofilter(header, 0, w.row - 1, len(df.columns) - 1)
        w.finish(landscape=landscape, repeat_header=True)

    def blocks(self, title: str, blocks: dict[str, pd.DataFrame], landscape: bool) -> None:
        """A sheet with one block per group, adult or room, each starting a printed page."""
        w = self.sheet(title)
        w.title(title)
        if not blocks:
            w.lines([t("report.html.empty", self.lang)])
        for k, df in enumerate(blocks.values()):
            if k:
                w.page_break()
            w.title(df.attrs.get("title", ""), sub=True)
            w.facts(df.attrs.get("facts", []))
            w.table(df)
            w.gap()
        w.finish(landscape=landscape, repeat_header=False, freeze=(1, 0))

    @staticmethod
    def _attendance(w: SheetWriter, df: pd.DataFrame) -> int:
        w.title(df.attrs.get("title", ""), sub=True)
        w.facts(df.attrs.get("facts", []))
        header = w.table(df, narrow=tuple(df.attrs.get("date_columns", ())))
        w.signature_row(df.attrs.get("sign_row", ""), len(df.columns))
        w.gap()
        w.lines(df.attrs.get("footer", []))
        return header

    def attendance(self, sheets: dict[str, pd.DataFrame]) -> None:
        """A sheet per group (or one sheet with a block per group when there are very many)."""
        title = t("report.sheet.attendance", self.lang)
        if not sheets or len(sheets) > MAX_ATTENDANCE_SHEETS:
            w = self.sheet(title)
            w.title(title)
            if not sheets:
                w.lines([t("report.html.empty", self.lang)])
            for k, df in enumerate(sheets.values()):
                if k:
                    w.page_break()
                self._attendance(w, df)
            w.finish(landscape=True, repeat_header=False, freeze=(1, 0), narrow=7)
            return
        for gid, df in sheets.items():
            w = self.sheet(f"{title} {gid}")
            header = self._attendance(w, df)
            w.finish(landscape=True, repeat_header=True, freeze=(header + 1, 3), narrow=7)


def write_xlsx(tables: ReportTables, path: Path) -> Path:
    """Write the workbook of ``tables`` to ``path`` (not atomic: the caller moves it into place)."""
    lang = tables.lang
    with xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS) as wb:
        w = WorkbookWriter(wb, lang)
        w.flat(t("report.sheet.summary", lang), [tables.summary, tables.choices_by_grade], False)
        if not tables.moves.empty:
            w.flat(t("report.sheet.moves", lang), [tables.moves], True)
        w.flat(t("report.sheet.timetable", lang), [tables.timetable], True)
        w.blocks(t("report.sheet.rosters", lang), tables.rosters, False)
        w.blocks(t("report.sheet.staff", lang), tables.staff_timetables, True)
        w.blocks(t("report.sheet.rooms", lang), tables.room_timetables, True)
        w.flat(t("report.sheet.rain", lang), [tables.rain_plan], True)
        w.flat(t("report.sheet.pay", lang), [tables.pay], False)
        w.flat(t("report.sheet.satisfaction", lang), [tables.satisfaction, tables.choices_by_grade], True)
        w.flat(t("report.sheet.unplaced", lang), [tables.unplaced], True)
        w.flat(t("report.sheet.duties", lang), [tables.duty_roster], False)
        w.flat(t("report.sheet.warnings", lang), [tables.warnings], False)
        w.attendance(tables.attendance)
    return path
