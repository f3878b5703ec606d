"""Read a scenario workbook: one sheet per file, English or Chinese sheet names."""

from __future__ import annotations

import warnings
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from cluster_planner.findings import Finding, Severity
from cluster_planner.i18n import register
from cluster_planner.io.headers import FILES, SCHOOL, canonical_column, file_key_of
from cluster_planner.io.school_keys import nest_school_rows
from cluster_planner.io.table import RawScenario, RawTable

register(
    {
        "finding.unknown_sheet": (
            "工作表「{sheet}」不是方案数据，已忽略",
            "sheet '{sheet}' is not part of a scenario and is ignored",
        ),
        "finding.duplicate_sheet": (
            "与工作表「{other}」是同一份数据，只能保留一个",
            "holds the same data as sheet '{other}'; keep only one of them",
        ),
        "finding.unreadable_workbook": (
            "无法打开工作簿（应为 Excel .xlsx 文件）：{reason}",
            "cannot open the workbook (expected an Excel .xlsx file): {reason}",
        ),
        "expect.sheet_name": (
            "方案数据的工作表名，如 students 或 学生（见 docs/format.md）",
            "the name of a scenario sheet, such as students or 学生 (see docs/format.md)",
        ),
        "expect.sheet_once": ("每份数据一个工作表", "one sheet for each table"),
        "expect.workbook": (
            "Excel .xlsx 工作簿（在 Excel 中另存为「Excel 工作簿」）",
            "an Excel .xlsx workbook (in Excel: save as 'Excel Workbook')",
        ),
    }
)


def cell_text(value: Any) -> str:
    """An Excel cell as the text an office typed: 40.0 → ``40``, a date → ``2026-09-01``, 16:30 → ``16:30``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        if value.date() in (date(1899, 12, 30), date(1899, 12, 31), date(1900, 1, 1)):
            return value.strftime("%H:%M")
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, timedelta):
        total = int(value.total_seconds()) // 60
        return f"{total // 60:02d}:{total % 60:02d}"
    return str(value)


def _sheet_rows(sheet: Any) -> list[list[str]]:
    """Every row of a sheet as text, row 1 first (blank rows kept so numbers match Excel)."""
    rows = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    return rows


def _school(title: str, rows: list[list[str]], raw: RawScenario) -> None:
    """The ``school`` sheet: columns key, value (a header row is optional)."""
    start = 0
    key_col, value_col = 0, 1
    if rows:
        header = [canonical_column(SCHOOL, c) if c.strip() else None for c in rows[0]]
        if "key" in header:
            start = 1
            key_col = header.index("key")
            value_col = header.index("value") if "value" in header else key_col + 1
    pairs = [
        (number, row[key_col].strip(), row[value_col] if value_col < len(row) else "")
        for number, row in enumerate(rows[start:], start=start + 1)
        if key_col < len(row) and row[key_col].strip()
    ]
    raw.school, problems = nest_school_rows(title, pairs)
    raw.findings.extend(problems)


_UNREADABLE = (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, SyntaxError)
"""What openpyxl raises for a file that is not a sound workbook (``SyntaxError`` covers XML parse errors)."""


def _read_sheets(path: Path, raw: RawScenario) -> None:
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        seen: dict[str, str] = {}
        for sheet in book.worksheets:
            key = file_key_of(sheet.title)
            if key is None:
                raw.findings.append(
                    Finding(
                        Severity.WARNING,
                        "finding.unknown_sheet",
                        file=path.name,
                        expected="expect.sheet_name",
                        params={"sheet": sheet.title},
                    )
                )
                continue
            if key in seen:
                raw.findings.append(
                    Finding(
                        Severity.ERROR,
                        "finding.duplicate_sheet",
                        file=sheet.title,
                        expected="expect.sheet_once",
                        params={"other": seen[key]},
                    )
                )
                continue
            seen[key] = sheet.title
            rows = _sheet_rows(sheet)
            if key == SCHOOL.key:
                _school(sheet.title, rows, raw)
            else:
                raw.tables[key] = RawTable.from_rows(key, sheet.title, rows)
    finally:
        book.close()


def read_workbook(path: Path) -> RawScenario:
    """Every scenario sheet of a workbook; problems (unreadable, unknown sheets) as findings."""
    raw = RawScenario()
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops and cells it cannot read; the cells become findings.
            warnings.simplefilter("ignore", UserWarning)
            _read_sheets(path, raw)
    except _UNREADABLE as exc:
        problem = Finding(
            Severity.ERROR,
            "finding.unreadable_workbook",
            file=path.name,
            expected="expect.workbook",
            params={"reason": str(exc)},
        )
        raw = RawScenario(findings=[problem])
        raw.failed.update(key for key, spec in FILES.items() if spec.required)
    return raw
