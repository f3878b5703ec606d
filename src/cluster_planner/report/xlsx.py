"""``report.xlsx``: one sheet per table, laid out for printing on A4.

Every text cell is written as a string (``data_type`` ``s``, with Excel's quote prefix when
it starts like a formula), so a name such as ``=HYPERLINK(…)`` stays inert. Column widths
count a CJK character as two.
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from collections.abc import Callable
from copy import copy
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from cluster_planner.i18n import t
from cluster_planner.report.bundle import ReportTables

MAX_ATTENDANCE_SHEETS = 40  # more groups than this: one attendance sheet with a block per group
MAX_WIDTH = 42
MIN_WIDTH = 4
EXCEL_MAX_TEXT = 32767
FORMULA_START = ("=", "+", "-", "@")

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
BOLD = Font(bold=True)
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")

# Named styles: one shared style per kind of cell (per-cell fonts and borders are slow in openpyxl).
TITLE, SUBTITLE, FACT, HEADER, CELL, SIGN = "cp title", "cp subtitle", "cp fact", "cp header", "cp cell", "cp sign"
NUMBER_STYLES = {"money": ("cp money", "#,##0.00"), "percent": ("cp percent", "0%"), "decimal": ("cp decimal", "0.0#")}


def add_styles(wb: Workbook) -> None:
    """Register the report's named cell styles in ``wb``."""
    styles = [
        NamedStyle(TITLE, font=Font(bold=True, size=14)),
        NamedStyle(SUBTITLE, font=Font(bold=True, size=12)),
        NamedStyle(FACT, font=Font(size=10, color="444444")),
        NamedStyle(
            HEADER,
            font=BOLD,
            fill=PatternFill("solid", fgColor="DDEBF7"),
            border=_BORDER,
            alignment=Alignment(wrap_text=True, horizontal="center", vertical="center"),
        ),
        NamedStyle(CELL, border=_BORDER, alignment=_WRAP_TOP),
        NamedStyle(SIGN, font=BOLD, border=_BORDER, alignment=Alignment(vertical="center")),
    ]
    styles += [
        NamedStyle(name, border=_BORDER, alignment=_WRAP_TOP, number_format=f) for name, f in NUMBER_STYLES.values()
    ]
    for style in styles:
        wb.add_named_style(style)


def display_width(text: str) -> int:
    """Printed width of the longest line: wide (CJK) characters count 2."""
    return max(
        (sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) for line in text.split("\n")), default=0
    )


def clean_text(value: Any) -> str:
    """Text Excel accepts: no control characters, at most 32767 characters."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))[:EXCEL_MAX_TEXT]


class Stamp:
    """Applies named styles fast: the first cell of a style gets it by name, later cells a copy of its array.

    Assigning a named style looks it up by name each time, which dominates the time of a large
    workbook; the resulting style array is the same for every cell of that style.
    """

    def __init__(self) -> None:
        self._arrays: dict[str, Any] = {}

    def __call__(self, cell: Cell, style: str) -> None:
        known = self._arrays.get(style)
        if known is None:
            cell.style = style
            self._arrays[style] = copy(cell._style)
        else:
            cell._style = copy(known)


def _by_name(cell: Cell, style: str) -> None:
    cell.style = style


def put(
    ws: Worksheet,
    row: int,
    column: int,
    value: Any,
    style: str | None = None,
    fmt: str | None = None,
    stamp: Callable[[Cell, str], None] = _by_name,
) -> Cell:
    """Write one cell: numbers as numbers (``fmt``: money, percent), everything else as inert text."""
    cell: Cell = ws.cell(row=row, column=column)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        if style:
            stamp(cell, style)
        return cell
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = float(value)
        cell.value = int(number) if number.is_integer() and fmt is None else number
        fmt = fmt or (None if number.is_integer() else "decimal")
        style = NUMBER_STYLES[fmt][0] if fmt in NUMBER_STYLES else style
        if style:
            stamp(cell, style)
        return cell
    if style:
        stamp(cell, style)
    text = clean_text(value)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True
    return cell


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
    """Writes titles, facts and tables down one worksheet and sets it up for printing."""

    def __init__(self, ws: Worksheet, lang: str) -> None:
        self.ws = ws
        self.lang = lang
        self.row = 1
        self.widths: dict[int, int] = {}
        self.first_header: int | None = None
        self.stamp = Stamp()

    def put(self, row: int, column: int, value: Any, style: str | None = None, fmt: str | None = None) -> Cell:
        return put(self.ws, row, column, value, style, fmt, self.stamp)

    def _measure(self, column: int, text: str) -> None:
        self.widths[column] = max(self.widths.get(column, 0), display_width(text))

    def title(self, text: str, sub: bool = False) -> None:
        self.put(self.row, 1, text, SUBTITLE if sub else TITLE)
        self.row += 1

    def facts(self, facts: list[tuple[str, str]]) -> None:
        sep = "：" if self.lang == "zh" else ": "
        for label, value in facts:
            self.put(self.row, 1, f"{label}{sep}{value}", FACT)
            self.row += 1

    def lines(self, texts: list[str]) -> None:
        for text in texts:
            self.put(self.row, 1, text)
            self.row += 1

    def gap(self, rows: int = 1) -> None:
        self.row += rows

    def page_break(self) -> None:
        self.ws.row_breaks.append(Break(id=self.row - 1))

    def table(self, df: pd.DataFrame, narrow: tuple[str, ...] = ()) -> int:
        """Header and rows of ``df``; returns the header's row number."""
        header = self.row
        formats: dict[str, str] = df.attrs.get("formats", {})
        for c, name in enumerate(df.columns, start=1):
            self.put(header, c, str(name), HEADER)
            if str(name) not in narrow:
                self._measure(c, str(name))
        lines = max((str(n).count("\n") + 1 for n in df.columns), default=1)
        if lines > 1:
            self.ws.row_dimensions[header].height = 15 * lines
        self.first_header = self.first_header or header
        self.row += 1
        for values in df.to_numpy(dtype=object).tolist():
            height = 1
            for c, (name, value) in enumerate(zip(df.columns, values, strict=True), start=1):
                self.put(self.row, c, value if value != "" else None, CELL, formats.get(str(name)))
                if str(name) in narrow:
                    continue
                if isinstance(value, str):
                    self._measure(c, value)
                    height = max(height, value.count("\n") + 1)
                elif value is not None and not (isinstance(value, float) and math.isnan(value)):
                    self._measure(c, f"{value:,.2f}" if formats.get(str(name)) == "money" else str(value))
            if height > 1:
                self.ws.row_dimensions[self.row].height = 15 * height
            self.row += 1
        if df.attrs.get("total_row") and len(df):
            for c in range(1, len(df.columns) + 1):
                self.ws.cell(row=self.row - 1, column=c).font = BOLD
        if df.empty:
            self.put(self.row, 1, t("report.html.empty", self.lang))
            self.row += 1
        return header

    def signature_row(self, label: str, columns: int) -> None:
        """A row to sign in: the label, then empty bordered cells."""
        for c in range(1, columns + 1):
            self.put(self.row, c, label if c == 2 else None, SIGN)
        self.ws.row_dimensions[self.row].height = 30
        self.row += 1

    def finish(self, landscape: bool, repeat_header: bool, freeze: str | None = None, narrow_width: int = 0) -> None:
        """Column widths, freeze panes, A4 page setup, repeated title rows, page numbers."""
        ws = self.ws
        for c, w in self.widths.items():
            ws.column_dimensions[_letter(c)].width = min(MAX_WIDTH, max(MIN_WIDTH, w + 2))
        if narrow_width:
            for c in range(1, ws.max_column + 1):
                if c not in self.widths:
                    ws.column_dimensions[_letter(c)].width = narrow_width
        if freeze:
            ws.freeze_panes = freeze
        elif repeat_header and self.first_header:
            ws.freeze_panes = f"A{self.first_header + 1}"
        if repeat_header and self.first_header:
            ws.print_title_rows = f"{self.first_header}:{self.first_header}"
        ps = ws.page_setup
        ps.paperSize = ws.PAPERSIZE_A4
        ps.orientation = "landscape" if landscape else "portrait"
        ps.fitToWidth = 1
        ps.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.print_options.horizontalCentered = True
        ws.oddFooter.center.text = "&P / &N"


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def _flat(wb: Workbook, title: str, used: set[str], tables: list[pd.DataFrame], lang: str, landscape: bool) -> None:
    """A sheet of one or more plain tables, the first one's header repeated on each printed page."""
    w = SheetWriter(wb.create_sheet(sheet_title(title, used)), lang)
    w.title(title)
    for k, df in enumerate(tables):
        if k:
            w.gap()
            w.title(df.attrs.get("title", ""), sub=True)
        header = w.table(df)
        if k == 0 and len(tables) == 1 and not df.empty:
            w.ws.auto_filter.ref = f"A{header}:{_letter(len(df.columns))}{w.row - 1}"
    w.finish(landscape=landscape, repeat_header=True)


def _blocks(
    wb: Workbook, title: str, used: set[str], blocks: dict[str, pd.DataFrame], lang: str, landscape: bool
) -> None:
    """A sheet with one block per group, adult or room, each starting a printed page."""
    w = SheetWriter(wb.create_sheet(sheet_title(title, used)), lang)
    w.title(title)
    if not blocks:
        w.lines([t("report.html.empty", lang)])
    for k, df in enumerate(blocks.values()):
        if k:
            w.page_break()
        w.title(df.attrs.get("title", ""), sub=True)
        w.facts(df.attrs.get("facts", []))
        w.table(df)
        w.gap()
    w.finish(landscape=landscape, repeat_header=False, freeze="A2")


def _attendance(w: SheetWriter, df: pd.DataFrame) -> int:
    w.title(df.attrs.get("title", ""), sub=True)
    w.facts(df.attrs.get("facts", []))
    header = w.table(df, narrow=tuple(df.attrs.get("date_columns", ())))
    w.signature_row(df.attrs.get("sign_row", ""), len(df.columns))
    w.gap()
    w.lines(df.attrs.get("footer", []))
    return header


def _attendance_sheets(wb: Workbook, used: set[str], sheets: dict[str, pd.DataFrame], lang: str) -> None:
    """A sheet per group (or one sheet with a block per group when there are very many)."""
    title = t("report.sheet.attendance", lang)
    if not sheets or len(sheets) > MAX_ATTENDANCE_SHEETS:
        w = SheetWriter(wb.create_sheet(sheet_title(title, used)), lang)
        w.title(title)
        if not sheets:
            w.lines([t("report.html.empty", lang)])
        for k, df in enumerate(sheets.values()):
            if k:
                w.page_break()
            _attendance(w, df)
        w.finish(landscape=True, repeat_header=False, freeze="A2", narrow_width=7)
        return
    for gid, df in sheets.items():
        w = SheetWriter(wb.create_sheet(sheet_title(f"{title} {gid}", used)), lang)
        header = _attendance(w, df)
        w.finish(landscape=True, repeat_header=True, freeze=f"D{header + 1}", narrow_width=7)


def write_xlsx(tables: ReportTables, path: Path) -> Path:
    """Write the workbook of ``tables`` to ``path`` (not atomic: the caller moves it into place)."""
    lang = tables.lang
    wb = Workbook()
    wb.remove(wb.active)
    add_styles(wb)
    used: set[str] = set()
    _flat(wb, t("report.sheet.summary", lang), used, [tables.summary, tables.choices_by_grade], lang, False)
    _flat(wb, t("report.sheet.timetable", lang), used, [tables.timetable], lang, True)
    _blocks(wb, t("report.sheet.rosters", lang), used, tables.rosters, lang, False)
    _blocks(wb, t("report.sheet.staff", lang), used, tables.staff_timetables, lang, True)
    _blocks(wb, t("report.sheet.rooms", lang), used, tables.room_timetables, lang, True)
    _flat(wb, t("report.sheet.rain", lang), used, [tables.rain_plan], lang, True)
    _flat(wb, t("report.sheet.pay", lang), used, [tables.pay], lang, False)
    _flat(wb, t("report.sheet.satisfaction", lang), used, [tables.satisfaction, tables.choices_by_grade], lang, True)
    _flat(wb, t("report.sheet.unplaced", lang), used, [tables.unplaced], lang, True)
    _flat(wb, t("report.sheet.duties", lang), used, [tables.duty_roster], lang, False)
    _flat(wb, t("report.sheet.warnings", lang), used, [tables.warnings], lang, False)
    _attendance_sheets(wb, used, tables.attendance, lang)
    wb.save(path)
    return path
