"""Write a scenario as a folder (``school.toml`` + CSV files) or as one ``.xlsx`` workbook.

The files follow FORMAT.md v1 with English headers (the model's field names): lists are
joined by spaces, days are ``Mon``…``Sun``, grades ``3-6``, yes/no as ``yes``/``no``,
clock times ``HH:MM`` and blank optional cells. CSV files are UTF-8 with BOM so Excel
opens them. Both writers are atomic: the new folder or workbook is built beside the
target and moved into place only when complete. They never replace anything: the target
must be new (or an empty folder), see :mod:`cluster_planner.io.out_path`.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time
from enum import Enum
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from pydantic import BaseModel

from cluster_planner.domain.entities import (
    Activity,
    Change,
    DutyPost,
    HomeClass,
    Lock,
    Room,
    Staff,
    Student,
    Timeslot,
)
from cluster_planner.domain.scenario import Scenario
from cluster_planner.domain.school import School
from cluster_planner.domain.values import format_grades
from cluster_planner.io.out_path import Target, writing_file, writing_folder

__all__ = [
    "SCHOOL_FILE",
    "TABLES",
    "cell_text",
    "scenario_tables",
    "school_items",
    "school_toml",
    "write_scenario_folder",
    "write_scenario_xlsx",
]

SCHOOL_FILE = "school.toml"

#: (table name, scenario attribute, entity model, optional) in the order files are written.
TABLES: tuple[tuple[str, str, type[BaseModel], bool], ...] = (
    ("timeslots", "timeslots", Timeslot, False),
    ("classes", "classes", HomeClass, False),
    ("students", "students", Student, False),
    ("activities", "activities", Activity, False),
    ("staff", "staff", Staff, False),
    ("rooms", "rooms", Room, False),
    ("duties", "duties", DutyPost, True),
    ("locks", "locks", Lock, True),
    ("changes", "changes", Change, True),
)

_NOT_COLUMNS = ("row", "extra")
_FORMULA_START = ("=", "+", "-", "@")


# ---- cell values ------------------------------------------------------------------------
def cell_text(value: Any) -> str:
    """The text of one cell as FORMAT.md spells it; the inverse of the entity parsers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (set, frozenset)):
        items = list(value)
        if items and all(isinstance(i, int) and not isinstance(i, bool) for i in items):
            return format_grades(frozenset(items))
        return " ".join(sorted(cell_text(i) for i in items))
    if isinstance(value, (list, tuple)):
        return " ".join(cell_text(i) for i in value)
    return str(value)


def _cell_value(value: Any) -> Any:
    """A workbook cell value: numbers stay numbers, everything else is text."""
    if isinstance(value, bool) or value is None:
        return cell_text(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    return cell_text(value)


# ---- tables ------------------------------------------------------------------------------
def _columns(model: type[BaseModel]) -> list[str]:
    return [name for name in model.model_fields if name not in _NOT_COLUMNS and name != "student"]


def _union_keys(dicts: Sequence[dict[str, Any]], first: Sequence[str] = (), skip: Sequence[str] = ()) -> list[str]:
    """Keys of ``dicts`` in first-seen order, ``first`` ones in their given order first."""
    seen = [k for k in first if any(k in d for d in dicts)]
    for d in dicts:
        seen.extend(k for k in d if k not in seen)
    return [k for k in seen if k not in skip]


def _table(entities: Sequence[Any], model: type[BaseModel]) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of one table: the model's fields, then a change's student columns, then extras."""
    columns = _columns(model)
    student_cols: list[str] = []
    if model is Change:
        student_cols = _union_keys([e.student for e in entities], first=_columns(Student), skip=columns)
    extra_cols = _union_keys([e.extra for e in entities], skip=columns + student_cols)
    rows = []
    for e in entities:
        row = [getattr(e, c) for c in columns]
        row += [e.student.get(c) for c in student_cols]
        row += [e.extra.get(c) for c in extra_cols]
        rows.append(row)
    return columns + student_cols + extra_cols, rows


def scenario_tables(scenario: Scenario) -> Iterator[tuple[str, list[str], list[list[Any]]]]:
    """(name, header, rows) for each table to write; empty optional tables are left out."""
    for name, attr, model, optional in TABLES:
        entities = getattr(scenario, attr)
        if optional and not entities:
            continue
        header, rows = _table(entities, model)
        yield name, header, rows


# ---- school.toml -------------------------------------------------------------------------
def _school_data(school: School) -> dict[str, Any]:
    """The school as plain nested data, without unset (None) or empty grade values, or empty sections."""

    def clean(data: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in data.items():
            if isinstance(value, dict):
                inner = clean(value)
                if inner:  # an empty section or table ([notice], money.other_costs) is left out
                    out[key] = inner
            elif value is None or (isinstance(value, (set, frozenset)) and not value):
                continue
            else:
                out[key] = value
        return out

    return clean(school.model_dump(mode="python"))


def school_items(school: School) -> list[tuple[str, Any]]:
    """(dotted key, value) pairs, e.g. ``("rules.group_cap", 45)``: the workbook's ``school`` sheet."""

    def flatten(data: dict[str, Any], prefix: str) -> Iterator[tuple[str, Any]]:
        for key, value in data.items():
            if isinstance(value, dict):
                yield from flatten(value, f"{prefix}{key}.")
            else:
                yield f"{prefix}{key}", value

    return list(flatten(_school_data(school), ""))


def _toml_key(key: str) -> str:
    if key and all(c.isascii() and (c.isalnum() or c in "_-") for c in key):
        return key
    return _toml_string(key)


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, (set, frozenset)) and not all(isinstance(v, int) for v in value):
        return "[" + ", ".join(_toml_value(v) for v in sorted(value, key=str)) + "]"
    return _toml_string(cell_text(value))


def school_toml(school: School) -> str:
    """``school.toml`` text: top-level keys, then one table per section (``[rules]`` …)."""
    lines = ["# 学校设置 / school settings (docs/format.md, v1)"]

    def table(data: dict[str, Any], name: str) -> None:
        scalars = {k: v for k, v in data.items() if not isinstance(v, dict)}
        tables = {k: v for k, v in data.items() if isinstance(v, dict)}
        if name:
            lines.extend(["", f"[{name}]"])
        lines.extend(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in scalars.items())
        for key, sub in tables.items():
            table(sub, f"{name}.{_toml_key(key)}" if name else _toml_key(key))

    table(_school_data(school), "")
    return "\n".join(lines) + "\n"


# ---- writers -----------------------------------------------------------------------------
def _write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows([cell_text(v) for v in row] for row in rows)


def write_scenario_folder(scenario: Scenario, path: str | os.PathLike[str]) -> Path:
    """Write ``scenario`` as a folder: ``school.toml`` and one CSV file per table.

    Empty optional tables (duties, locks, changes) get no file. ``path`` must be new or an empty
    folder (:mod:`cluster_planner.io.out_path`); the folder appears only once complete. Returns it.
    """
    target = Path(path)
    with writing_folder(target, Target.FOLDER, lang=scenario.school.language) as tmp:
        (tmp / SCHOOL_FILE).write_text(school_toml(scenario.school), encoding="utf-8")
        for name, header, rows in scenario_tables(scenario):
            _write_csv(tmp / f"{name}.csv", header, rows)
    return target


def _fill_sheet(ws: Any, header: list[str], rows: list[list[Any]]) -> None:
    """Header in bold, then rows; text cells are forced to text so nothing becomes a formula."""
    bold = Font(bold=True)
    widths = [len(h) for h in header]
    for c, name in enumerate(header, start=1):
        cell = ws.cell(row=1, column=c, value=name)
        cell.font = bold
    for r, row in enumerate(rows, start=2):
        for c, raw in enumerate(row, start=1):
            value = _cell_value(raw)
            if value == "":
                continue
            cell = ws.cell(row=r, column=c)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"
                if value.startswith(_FORMULA_START):
                    cell.quotePrefix = True
            widths[c - 1] = max(widths[c - 1], len(str(value)))
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = min(max(width + 2, 8), 60)
    ws.freeze_panes = "A2"


def write_scenario_xlsx(scenario: Scenario, path: str | os.PathLike[str]) -> Path:
    """Write ``scenario`` as one workbook: sheet ``school`` (key, value) and one sheet per table.

    Sheet names are the CSV file names without extension; empty optional tables get no
    sheet. Every text cell is stored as text, never as a formula. Returns the file written.
    """
    target = Path(path)
    wb = Workbook()
    school_ws = wb.active
    school_ws.title = "school"
    _fill_sheet(school_ws, ["key", "value"], [[k, v] for k, v in school_items(scenario.school)])
    for name, header, rows in scenario_tables(scenario):
        _fill_sheet(wb.create_sheet(name), header, rows)
    with writing_file(target, lang=scenario.school.language) as tmp:
        wb.save(tmp)
    return target
