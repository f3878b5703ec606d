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
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from cluster_planner.i18n import register, t
from cluster_planner.report.bundle import ReportTables
from cluster_planner.report.print_layout import (
    ATTENDANCE_ROW,
    DATE_WIDTH,
    FACT_HEIGHT,
    FOOTER_MARGIN,
    MARGIN_SIDE,
    MARGIN_TOP,
    ROW_HEIGHT,
    SIGN_HEIGHT,
    AttendanceLayout,
    Pages,
    pack_facts,
    page_units,
    wrapped_lines,
)
from cluster_planner.report.text_width import display_width

register({"report.att.piece": ("{title}（第 {k}/{n} 页）", "{title} (page {k} of {n})")})

MAX_ATTENDANCE_SHEETS = 40  # more groups than this: one attendance sheet with a block per group
MAX_WIDTH = 42
MIN_WIDTH = 4
EXCEL_MAX_TEXT = 32767
FORMULA_START = ("=", "+", "-", "@")
LINE_HEIGHT = 15  # points per line of wrapped text
TITLE_HEIGHT = {"title": 21, "subtitle": 18}  # rows of the 14 pt and 12 pt titles
GRID_WIDTH = 22  # a timetable's day column: long cells wrap, so that a week fits across a landscape page
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
        self.heights: dict[int, float] = {}
        self.cap = MAX_WIDTH  # widest a measured column gets; longer text wraps

    def set_height(self, row: int, points: float) -> None:
        """A row's height (recorded, so that pages can be laid out)."""
        self.heights[row] = points
        self.ws.set_row(row, points)

    def height(self, start: int, end: int) -> float:
        """Points that rows ``start`` … ``end - 1`` take on paper (at 100 %)."""
        return sum(self.heights.get(r, ROW_HEIGHT) for r in range(start, end))

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
        self.set_height(self.row, TITLE_HEIGHT[SUBTITLE if sub else TITLE])
        self.put(self.row, 0, text, SUBTITLE if sub else TITLE)
        self.row += 1

    def facts(self, facts: list[tuple[str, str]], units: int | None = None) -> None:
        """One fact a line, or (``units``: the page's width) side by side on lines that fit it."""
        sep = "：" if self.lang == "zh" else ": "
        lines = pack_facts(facts, sep, units) if units else [f"{label}{sep}{value}" for label, value in facts]
        for text in lines:
            self.set_height(self.row, FACT_HEIGHT)
            self.put(self.row, 0, text, FACT)
            self.row += 1

    def lines(self, texts: list[str]) -> None:
        for text in texts:
            self.put(self.row, 0, text)
            self.row += 1

    def gap(self, rows: int = 1) -> None:
        self.row += rows

    def page_break_at(self, row: int) -> None:
        """Row ``row`` starts a printed page."""
        self.breaks.append(row)

    def _row_height(self, values: list[Any], measured: list[bool], least: float = ROW_HEIGHT) -> float:
        """A row's height: enough lines for its longest wrapped text, at least ``least``."""
        short = self.cap // 2  # a text this long fits its column however wide its characters
        lines = max(
            (
                wrapped_lines(v, self.cap)
                for c, v in enumerate(values)
                if measured[c] and type(v) is str and (len(v) > short or "\n" in v)
            ),
            default=1,
        )
        return max(least, LINE_HEIGHT * lines) if lines > 1 else least

    def table_height(self, df: pd.DataFrame, narrow: tuple[str, ...] = (), row_height: float = ROW_HEIGHT) -> float:
        """Points :meth:`table` will take for ``df``."""
        names = [str(n) for n in df.columns]
        measured = [n not in narrow for n in names]
        lines = max((n.count("\n") + 1 for n in names), default=1)
        rows = df.to_numpy(dtype=object).tolist()
        body = sum(self._row_height(values, measured, row_height) for values in rows) if rows else ROW_HEIGHT
        return LINE_HEIGHT * max(1, lines) + body

    def table(self, df: pd.DataFrame, narrow: tuple[str, ...] = (), row_height: float = ROW_HEIGHT) -> int:
        """Header and rows of ``df`` (each at least ``row_height`` points); returns the header's row number."""
        header = self.row
        names = [str(n) for n in df.columns]
        formats: dict[str, str] = df.attrs.get("formats", {})
        fmts = [formats.get(n) for n in names]
        measured = [n not in narrow for n in names]
        lines = max((n.count("\n") + 1 for n in names), default=1)
        if lines > 1:
            self.set_height(header, LINE_HEIGHT * lines)
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
            height = self._row_height(values, measured, row_height)
            if height != ROW_HEIGHT:
                self.set_height(row, height)
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
        self.set_height(self.row, SIGN_HEIGHT)
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
                ws.set_column(c, c, min(self.cap, max(MIN_WIDTH, self.widths[c] + 2)))
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
        ws.set_margins(left=MARGIN_SIDE / 72, right=MARGIN_SIDE / 72, top=MARGIN_TOP / 72, bottom=MARGIN_TOP / 72)
        ws.center_horizontally()
        ws.set_footer("&C&P / &N", {"margin": FOOTER_MARGIN})


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

    def blocks(self, title: str, blocks: dict[str, pd.DataFrame], landscape: bool, pack: bool = False) -> None:
        """A sheet with one block per group, adult or room, each starting a printed page; ``pack``: a
        timetable grid whose long cells wrap, facts side by side, and two short blocks to a page."""
        w = self.sheet(title)
        orientation = "landscape" if landscape else "portrait"
        units = page_units(orientation) if pack else None
        if pack:
            w.cap = GRID_WIDTH
        w.title(title)
        if not blocks:
            w.lines([t("report.html.empty", self.lang)])
        pages = Pages(orientation, top=w.height(0, w.row))
        for k, df in enumerate(blocks.values()):
            if pack:
                facts = len(pack_facts(df.attrs.get("facts", []), self._sep, units or 0))
                height = TITLE_HEIGHT[SUBTITLE] + facts * FACT_HEIGHT + w.table_height(df)
                if pages.place(w.row, height):
                    w.gap()
            elif k:
                w.gap()
                w.page_break_at(w.row)
            w.title(df.attrs.get("title", ""), sub=True)
            w.facts(df.attrs.get("facts", []), units)
            w.table(df)
        w.breaks.extend(pages.breaks)
        w.finish(landscape=landscape, repeat_header=False, freeze=(1, 0))

    @property
    def _sep(self) -> str:
        return "：" if self.lang == "zh" else ": "

    def _attendance(self, w: SheetWriter, df: pd.DataFrame, units: int) -> int:
        """One page-sized piece of a group's attendance: title, facts, students × dates, signature, hand-over."""
        title = df.attrs.get("title", "")
        k, n = df.attrs.get("piece", (1, 1))
        w.title(title if n == 1 else t("report.att.piece", self.lang, title=title, k=k, n=n), sub=True)
        w.facts(df.attrs.get("facts", []), units)
        header = w.table(df, narrow=tuple(df.attrs.get("date_columns", ())), row_height=ATTENDANCE_ROW)
        w.signature_row(df.attrs.get("sign_row", ""), len(df.columns))
        w.lines(df.attrs.get("footer", []))
        return header

    def _overhead(self, df: pd.DataFrame, units: int) -> float:
        """Points an attendance piece takes besides its students' rows."""
        facts = len(pack_facts(df.attrs.get("facts", []), self._sep, units))
        footer = len(df.attrs.get("footer", []))
        return TITLE_HEIGHT[SUBTITLE] + facts * FACT_HEIGHT + footer * ROW_HEIGHT + 2 * LINE_HEIGHT + SIGN_HEIGHT

    def attendance(self, sheets: dict[str, pd.DataFrame]) -> None:
        """A sheet per group (or one sheet with blocks when there are very many), each group on pages
        of its own or half pages: the term's dates and a large group's students split over pages so
        that every page prints legibly on A4 with its header."""
        title = t("report.sheet.attendance", self.lang)
        layout = AttendanceLayout.of(sheets, max_width=MAX_WIDTH)
        landscape = layout.orientation == "landscape"
        units = page_units(layout.orientation)
        one_sheet = not sheets or len(sheets) > MAX_ATTENDANCE_SHEETS
        w = self.sheet(title) if one_sheet else None
        pages = None
        if w is not None:
            w.title(title)
            if not sheets:
                w.lines([t("report.html.empty", self.lang)])
            pages = Pages(layout.orientation, top=w.height(0, w.row))
        for gid, df in sheets.items():
            header = None
            if not one_sheet:
                w = self.sheet(f"{title} {gid}")
                pages = Pages(layout.orientation)
            assert w is not None and pages is not None
            overhead = self._overhead(df, units)
            for piece in layout.pieces(df, overhead):
                date_columns = tuple(piece.attrs.get("date_columns", ()))
                rows = w.table_height(piece, date_columns, ATTENDANCE_ROW) - 2 * LINE_HEIGHT
                if pages.place(w.row, overhead + rows):
                    w.gap()
                first = self._attendance(w, piece, units)
                header = first if header is None else header
            if not one_sheet:
                w.breaks.extend(pages.breaks)
                freeze = (header + 1, 3) if header is not None else (1, 0)
                w.finish(landscape=landscape, repeat_header=False, freeze=freeze, narrow=DATE_WIDTH)
        if one_sheet:
            assert w is not None and pages is not None
            w.breaks.extend(pages.breaks)
            w.finish(landscape=landscape, repeat_header=False, freeze=(1, 0), narrow=DATE_WIDTH)


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
        w.blocks(t("report.sheet.staff", lang), tables.staff_timetables, True, pack=True)
        w.blocks(t("report.sheet.rooms", lang), tables.room_timetables, True)
        w.flat(t("report.sheet.rain", lang), [tables.rain_plan], True)
        w.flat(t("report.sheet.pay", lang), [tables.pay], False)
        w.flat(t("report.sheet.satisfaction", lang), [tables.satisfaction, tables.choices_by_grade], True)
        w.flat(t("report.sheet.unplaced", lang), [tables.unplaced], True)
        w.flat(t("report.sheet.duties", lang), [tables.duty_roster], False)
        w.flat(t("report.sheet.warnings", lang), [tables.warnings], False)
        w.flat(t("report.sheet.compliance", lang), [tables.compliance], True)
        w.attendance(tables.attendance)
    return path
