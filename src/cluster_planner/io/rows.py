"""Build entities from a table's text rows; every bad cell becomes a finding."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from cluster_planner.domain.entities import (
    Activity,
    Change,
    DutyPost,
    Frozen,
    HomeClass,
    Lock,
    Room,
    Staff,
    Student,
    Timeslot,
)
from cluster_planner.domain.values import is_blank
from cluster_planner.findings import Finding, Severity
from cluster_planner.i18n import register
from cluster_planner.io.expected import findings_of
from cluster_planner.io.headers import CHANGE_COLUMNS, FILES, canonical_column
from cluster_planner.io.table import RawTable

register(
    {
        "finding.missing_column": (
            "缺少必填列（英文 {column} 或中文 {alias}）：此列没有默认值，见 docs/format.md",
            "required column missing (English {column} or Chinese {alias}): it has no default, see docs/format.md",
        ),
        "finding.default_columns": (
            "未提供以下列，按默认值处理：{columns}（见 docs/format.md）",
            "columns not given, their defaults apply: {columns} (see docs/format.md)",
        ),
        "finding.empty_table": ("文件或工作表是空的", "the file or sheet is empty"),
        "finding.semicolons": ("各列以分号（;）分隔", "the columns are separated by semicolons (;)"),
        "finding.no_rows": ("只有标题行，没有数据", "has a header row but no data rows"),
        "expect.header": (
            "第 1 行为列名（如 {columns}），其下每行一条数据",
            "a header row of column names (such as {columns}), then one row per entry",
        ),
        "expect.commas": (
            "以逗号分隔的 CSV（Excel：另存为「CSV UTF-8（逗号分隔）」）",
            "comma-separated CSV (Excel: save as 'CSV UTF-8 (Comma delimited)')",
        ),
        "expect.rows": ("至少一行数据（{columns} …）", "at least one data row ({columns} …)"),
        "finding.duplicate_column": (
            "与第 {first} 列表示同一项（{column}），只能保留一列",
            "means the same as column {first} ({column}); keep only one",
        ),
        "expect.column": ("第 1 行中的「{column}」列（或「{alias}」）", "a column '{column}' (or '{alias}') in row 1"),
        "expect.column_once": ("每项一列", "each column once"),
        "expect.optional_columns": (
            "可以省略；要用其他值时加上这些列",
            "nothing: these columns may be left out; add them to give other values",
        ),
    }
)

MODELS: dict[str, type[Frozen]] = {
    "timeslots": Timeslot,
    "classes": HomeClass,
    "students": Student,
    "activities": Activity,
    "staff": Staff,
    "rooms": Room,
    "duties": DutyPost,
    "locks": Lock,
    "changes": Change,
}
"""The entity each tabular file holds, one per row."""

_BOOKKEEPING = frozenset({"row", "extra", "student"})


def required_columns(key: str) -> list[str]:
    """Columns a file must have: the contract's columns without a default (``FileSpec.required_columns``),
    which include every model field without a default."""
    model = [n for n, f in MODELS[key].model_fields.items() if f.is_required() and n not in _BOOKKEEPING]
    return list(dict.fromkeys([*FILES[key].required_columns, *model]))


def optional_columns(key: str) -> list[str]:
    """Columns a file may leave out (their default applies); for changes, only the change's own columns."""
    names = [c for c in FILES[key].columns if c not in required_columns(key)]
    return [c for c in names if c in CHANGE_COLUMNS] if key == "changes" else names


@dataclass
class TableResult:
    """The entities of one table, the problems found, and the header as the user wrote it."""

    entities: list[Frozen] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    complete: bool = True


def _map_header(table: RawTable, result: TableResult) -> tuple[dict[int, str], dict[int, str]]:
    """Column index → canonical name, and index → header of each unknown column."""
    spec = FILES[table.key]
    known: dict[int, str] = {}
    unknown: dict[int, str] = {}
    first: dict[str, int] = {}
    for index, header in enumerate(table.header):
        if not header:
            continue
        column = canonical_column(spec, header)
        if column is None:
            if header not in unknown.values():
                unknown[index] = header
        elif column in first:
            result.findings.append(
                Finding(
                    Severity.ERROR,
                    "finding.duplicate_column",
                    file=table.display,
                    row=1,
                    column=header,
                    expected="expect.column_once",
                    params={"first": first[column] + 1, "column": column},
                )
            )
            result.complete = False
        else:
            first[column] = index
            known[index] = column
            result.headers[column] = header
    return known, unknown


def _row_data(key: str, number: int, cells: tuple[str, ...], known: dict[int, str], unknown: dict[int, str]) -> dict:
    """The keyword arguments of one row's entity; blank cells are left out (defaults)."""
    data: dict[str, Any] = {"row": number}
    extra: dict[str, str] = {}
    student: dict[str, str] = {}
    for index, cell in enumerate(cells):
        if is_blank(cell):
            continue
        if index in known:
            column = known[index]
            if key == "changes" and column not in CHANGE_COLUMNS:
                student[column] = cell.strip()
            else:
                data[column] = cell
        elif index in unknown:
            extra[unknown[index]] = cell
    data["extra"] = extra
    if key == "changes":
        data["student"] = student
    return data


def _student_columns(data: dict[str, Any]) -> ValidationError | None:
    """The student columns of a change row, checked as a student row would be."""
    student = data.get("student") or {}
    if not student:
        return None
    try:
        Student.model_validate({"student_id": "-", "class_id": "-", **student})
    except ValidationError as exc:
        return exc
    return None


def _shape_problem(table: RawTable) -> Finding | None:
    """An empty file, or one whose columns are split by semicolons: nothing in it can be read."""
    cells = [h for h in table.header if h]
    example = ", ".join(required_columns(table.key)[:3])
    if not cells:
        code, expected, params = "finding.empty_table", "expect.header", {"columns": example}
    elif len(cells) == 1 and ";" in cells[0]:
        code, expected, params = "finding.semicolons", "expect.commas", {}
    else:
        return None
    return Finding(Severity.ERROR, code, file=table.display, row=1, expected=expected, params=params)


def _column_findings(table: RawTable, known: dict[int, str], result: TableResult) -> None:
    """An error per missing required column; one note naming every optional column left out."""
    alias = FILES[table.key].columns
    for column in required_columns(table.key):
        if column not in known.values():
            result.complete = False
            result.findings.append(
                Finding(
                    Severity.ERROR,
                    "finding.missing_column",
                    file=table.display,
                    row=1,
                    column=column,
                    expected="expect.column",
                    params={"column": column, "alias": alias[column][0] if alias[column] else column},
                )
            )
    left_out = [c for c in optional_columns(table.key) if c not in known.values()]
    if left_out and result.complete:
        result.findings.append(
            Finding(
                Severity.INFO,
                "finding.default_columns",
                file=table.display,
                expected="expect.optional_columns",
                params={"columns": ", ".join(left_out)},
            )
        )


def build_entities(table: RawTable) -> TableResult:
    """One entity per data row of ``table``; an unreadable header or a missing required column stops the table."""
    result = TableResult()
    problem = _shape_problem(table)
    if problem is not None:
        result.findings.append(problem)
        result.complete = False
        return result
    known, unknown = _map_header(table, result)
    _column_findings(table, known, result)
    if not result.complete:
        return result
    if not table.rows and FILES[table.key].required:
        example = ", ".join(required_columns(table.key)[:3])
        result.findings.append(
            Finding(
                Severity.ERROR,
                "finding.no_rows",
                file=table.display,
                expected="expect.rows",
                params={"columns": example},
            )
        )
        result.complete = False
        return result
    model = MODELS[table.key]

    def column_of(loc: tuple[str | int, ...]) -> str:
        name = str(loc[0]) if loc else ""
        return result.headers.get(name, name)

    for number, cells in table.rows:
        data = _row_data(table.key, number, cells, known, unknown)
        errors = [e for e in (_student_columns(data),) if e is not None]
        entity: Frozen | None = None
        try:
            entity = model.model_validate(data)
        except ValidationError as exc:
            errors.append(exc)
        if entity is not None and not errors:
            result.entities.append(entity)
            continue
        result.complete = False
        for exc in errors:
            result.findings.extend(findings_of(exc, table.display, number, column_of))
    return result
