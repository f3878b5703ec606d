"""Read a plan folder as an office or another tool may have written it (F1 files and columns, F2 values).

Tolerant on purpose: extra columns ignored, lists in a cell separated by spaces, commas, 、 or ；
(the files themselves, their encodings and plan.json: :mod:`cluster_planner.check.folder`).
Nothing here knows the scenario; unknown ids are checked later.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cluster_planner.check.folder import PLAN_JSON, SNAPSHOT_CHANGES, Table, read_joined, read_meta, read_table
from cluster_planner.check.violation import Violation
from cluster_planner.domain.values import parse_grades, try_parse_day
from cluster_planner.i18n import register

register(
    {
        "check.bad_day": (
            "{file} 第{row}行「{column}」列：「{value}」不是星期；应为 Mon…Sun 或 周一…周日",
            "{file} row {row}, column '{column}': '{value}' is not a weekday; expected Mon…Sun or 周一…周日",
        ),
        "check.bad_number": (
            "{file} 第{row}行「{column}」列：「{value}」不是数字；应为数字，如 3 或 1.5",
            "{file} row {row}, column '{column}': '{value}' is not a number; expected a number such as 3 or 1.5",
        ),
        "check.bad_count": (
            "{file} 第{row}行「{column}」列：「{value}」不是人数；应为 0 或正整数",
            "{file} row {row}, column '{column}': '{value}' is not a number of students; expected a whole "
            "number, 0 or more",
        ),
        "check.bad_rank": (
            "{file} 第{row}行「{column}」列：「{value}」不是志愿序号；应为 1–5（托管和班级活动留空）",
            "{file} row {row}, column '{column}': '{value}' is not a choice rank; expected 1–5 (blank for care "
            "and class activities)",
        ),
        "check.bad_grades": (
            "{file} 第{row}行「{column}」列：「{value}」不是年级；应为 1–9 的年级，如 3-6 或 1 2",
            "{file} row {row}, column '{column}': '{value}' is not a list of grades; expected grades 1–9 such "
            "as 3-6 or 1 2",
        ),
        "check.blank_id": (
            "{file} 第{row}行「{column}」列为空；应填写编号",
            "{file} row {row}: column '{column}' is blank; expected an id",
        ),
    }
)

GROUPS = "groups.csv"
ASSIGNMENTS = "assignments.csv"
UNPLACED = "unplaced.csv"
STAFF_LOAD = "staff_load.csv"
DUTY_ROSTER = "duty_roster.csv"
#: FORMAT.md "Plan": the columns each plan file has at least.
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    GROUPS: (
        "group_id", "activity_id", "day", "slot_id", "room_id", "rain_room_id", "staff_ids", "size", "grades",
        "class_ids",
    ),
    ASSIGNMENTS: ("student_id", "day", "slot_id", "group_id", "choice_rank"),
    UNPLACED: ("student_id", "day", "slot_id", "reason"),
    STAFF_LOAD: ("staff_id", "periods_week", "periods_term", "pay_term"),
    DUTY_ROSTER: ("day", "slot_id", "post", "staff_id"),
}  # fmt: skip

_LIST_SPLIT = re.compile(r"[\s,，、;；]+")


def cell_list(text: str) -> tuple[str, ...]:
    """Split a list cell on spaces, commas, 、 and ；, dropping blanks and repeats (order kept)."""
    return tuple(dict.fromkeys(p for p in _LIST_SPLIT.split(text.strip()) if p))


@dataclass(frozen=True)
class GroupRow:
    """One groups.csv row: a meeting of a group. ``size`` is None when blank or unreadable."""

    row: int
    group_id: str
    activity_id: str
    day: str
    slot_id: str
    room_id: str
    rain_room_id: str
    staff_ids: tuple[str, ...]
    size: int | None
    grades: frozenset[int] | None
    class_ids: tuple[str, ...]


@dataclass(frozen=True)
class AssignmentRow:
    """One assignments.csv row: where a student stands at a service slot."""

    row: int
    student_id: str
    day: str
    slot_id: str
    group_id: str
    choice_rank: int | None
    rank_text: str


@dataclass(frozen=True)
class UnplacedRow:
    """One unplaced.csv row: a student × service slot the plan does not cover, and why."""

    row: int
    student_id: str
    day: str
    slot_id: str
    reason: str


@dataclass(frozen=True)
class LoadRow:
    """One staff_load.csv row."""

    row: int
    staff_id: str
    periods_week: float | None
    periods_term: float | None = None
    pay_term: float | None = None


@dataclass(frozen=True)
class DutyRow:
    """One duty_roster.csv row: one holder of one duty post."""

    row: int
    day: str
    slot_id: str
    post: str
    staff_id: str


@dataclass(frozen=True)
class PlanFiles:
    """A plan folder as read. ``version`` comes from plan.json (None when absent)."""

    groups: tuple[GroupRow, ...]
    assignments: tuple[AssignmentRow, ...]
    unplaced: tuple[UnplacedRow, ...]
    staff_load: tuple[LoadRow, ...]
    duty_roster: tuple[DutyRow, ...]
    version: int | None = None
    parent_version: int | None = None
    valid_from: date | None = None
    """plan.json ``valid_from``: the day a re-solved plan holds from (leave and closures are read on it)."""
    joined: tuple[str, ...] = ()
    """Students with a ``join`` row in the snapshot's changes.csv (``scenario/changes.csv``), S7."""

    @property
    def at_term_start(self) -> bool:
        """True for a plan made at term start (plan.json version 1 or missing, and no ``parent_version``):
        G1–G3 and min_size bind. A re-solved plan may keep a group rather than move families (FORMAT.md)."""
        return (self.version is None or self.version <= 1) and self.parent_version is None


def read_plan(plan_dir: Path) -> tuple[PlanFiles | None, list[Violation]]:
    """Read the five plan tables and plan.json.

    Returns ``(None, violations)`` when a required file is missing, unreadable or lacks a
    required column, or plan.json cannot be read (F1, :mod:`cluster_planner.check.folder`): the
    rules are not checked on a half-read plan. Otherwise returns
    the rows and the F2 violations of cells whose values cannot be read.
    """
    out: list[Violation] = []
    tables: dict[str, Table] = {}
    for name, columns in REQUIRED_COLUMNS.items():
        path = plan_dir / name
        if not path.exists():
            out.append(Violation("F1", "file_missing", (name,), {"file": name}))
            continue
        table = read_table(path, name)
        if isinstance(table, Violation):
            out.append(table)
            continue
        rows, header = table
        missing = [c for c in columns if c not in header]
        out.extend(Violation("F1", "column_missing", (name, c), {"file": name, "column": c}) for c in missing)
        tables[name] = rows
    (version, parent_version, valid_from), meta_problem = read_meta(plan_dir / PLAN_JSON)
    if meta_problem:
        out.append(meta_problem)
    if out:
        return None, out
    joined = read_joined(plan_dir / SNAPSHOT_CHANGES, out)
    reader = _Cells(out)
    plan = PlanFiles(
        groups=tuple(reader.group(n, r) for n, r in tables[GROUPS]),
        assignments=tuple(reader.assignment(n, r) for n, r in tables[ASSIGNMENTS]),
        unplaced=tuple(
            UnplacedRow(n, r["student_id"], reader.day(UNPLACED, n, r), r["slot_id"], r["reason"])
            for n, r in tables[UNPLACED]
        ),
        staff_load=tuple(
            LoadRow(
                n,
                r["staff_id"],
                reader.number(STAFF_LOAD, n, r, "periods_week"),
                reader.number(STAFF_LOAD, n, r, "periods_term"),
                reader.number(STAFF_LOAD, n, r, "pay_term"),
            )
            for n, r in tables[STAFF_LOAD]
        ),
        duty_roster=tuple(
            DutyRow(n, reader.day(DUTY_ROSTER, n, r), r["slot_id"], r["post"], r["staff_id"])
            for n, r in tables[DUTY_ROSTER]
        ),
        version=version,
        parent_version=parent_version,
        valid_from=valid_from,
        joined=joined,
    )
    for name, key_columns in (
        (GROUPS, ("group_id", "slot_id")),
        (ASSIGNMENTS, ("student_id", "slot_id", "group_id")),
        (UNPLACED, ("student_id", "slot_id")),
        (STAFF_LOAD, ("staff_id",)),
        (DUTY_ROSTER, ("post", "staff_id")),
    ):
        for n, r in tables[name]:
            out.extend(
                Violation("F2", "blank_id", (name, str(n), c), {"file": name, "row": n, "column": c})
                for c in key_columns
                if not r[c]
            )
    return plan, out


class _Cells:
    """Cell parsers that record an F2 violation for each value they cannot read."""

    def __init__(self, out: list[Violation]) -> None:
        self.out = out

    def _bad(self, code: str, file: str, row: int, column: str, value: str) -> None:
        params = {"file": file, "row": row, "column": column, "value": value}
        self.out.append(Violation("F2", code, (file, str(row), column), params))

    def day(self, file: str, row: int, r: dict[str, str]) -> str:
        """The day as ``Mon``…``Sun`` (blank stays blank; an unreadable day is reported and kept)."""
        text = r["day"]
        if not text:
            return ""
        day = try_parse_day(text)
        if day is None:
            self._bad("bad_day", file, row, "day", text)
            return text
        return day.value

    def number(self, file: str, row: int, r: dict[str, str], column: str) -> float | None:
        text = r[column]
        if not text:
            return None
        value = _float(text)
        if value is None:
            self._bad("bad_number", file, row, column, text)
        return value

    def count(self, file: str, row: int, r: dict[str, str], column: str) -> int | None:
        text = r[column]
        if not text:
            return None
        value = _float(text)
        if value is None or value < 0 or not value.is_integer():
            self._bad("bad_count", file, row, column, text)
            return None
        return int(value)

    def group(self, row: int, r: dict[str, str]) -> GroupRow:
        grades: frozenset[int] | None = None
        if r["grades"]:
            try:
                grades = parse_grades(r["grades"])
            except ValueError:
                self._bad("bad_grades", GROUPS, row, "grades", r["grades"])
        return GroupRow(
            row=row,
            group_id=r["group_id"],
            activity_id=r["activity_id"],
            day=self.day(GROUPS, row, r),
            slot_id=r["slot_id"],
            room_id=r["room_id"],
            rain_room_id=r["rain_room_id"],
            staff_ids=cell_list(r["staff_ids"]),
            size=self.count(GROUPS, row, r, "size"),
            grades=grades,
            class_ids=cell_list(r["class_ids"]),
        )

    def assignment(self, row: int, r: dict[str, str]) -> AssignmentRow:
        text = r["choice_rank"]
        rank: int | None = None
        if text:
            value = _float(text)
            if value is not None and value.is_integer() and 1 <= value <= 5:
                rank = int(value)
            else:
                self._bad("bad_rank", ASSIGNMENTS, row, "choice_rank", text)
        return AssignmentRow(
            row=row,
            student_id=r["student_id"],
            day=self.day(ASSIGNMENTS, row, r),
            slot_id=r["slot_id"],
            group_id=r["group_id"],
            choice_rank=rank,
            rank_text=text,
        )


def _float(text: str) -> float | None:
    """A finite number, or None."""
    try:
        value = float(text.replace("，", "").replace(",", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None
