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
            "缺少必填列（英文 {column} 或中文 {alias}）",
            "required column missing (English {column} or Chinese {alias})",
        ),
        "finding.duplicate_column": (
            "与第 {first} 列表示同一项（{column}），只能保留一列",
            "means the same as column {first} ({column}); keep only one",
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
    """Columns a file must have: the model fields without a default."""
    return [n for n, f in MODELS[key].model_fields.items() if f.is_required() and n not in _BOOKKEEPING]


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


def build_entities(table: RawTable) -> TableResult:
    """One entity per data row of ``table``; a missing required column stops the table."""
    result = TableResult()
    known, unknown = _map_header(table, result)
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
                    params={"column": column, "alias": alias[column][0] if alias[column] else column},
                )
            )
    if not result.complete:
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
