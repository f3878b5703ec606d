"""Mid-term changes (FORMAT.md changes.csv): read a changes file, skip rows already applied,
apply the rest to a scenario, and tell who is away on a given day.

Permanent changes (``join``, ``exit``, ``change``) rewrite the student rows of the new
scenario: a join adds (or re-approves) the student, an exit marks them ``withdrawn`` (they
stay listed, so history and moves.csv can name them), a change replaces the columns given.
Temporary ones (``staff_leave``/``staff_return``, ``room_closed``/``room_open``) stay events:
the snapshot's ``changes`` accumulate every applied row, and :func:`absences` reads from them
who is away on a date, so a leave with ``until`` ends by itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from cluster_planner.domain import Scenario, Student
from cluster_planner.domain.entities import Change, ChangeAction, StudentStatus
from cluster_planner.domain.school import School
from cluster_planner.domain.validation import FILE_NAMES, validate
from cluster_planner.errors import ScenarioError, UsageError
from cluster_planner.findings import Finding, Severity
from cluster_planner.i18n import register, t

register(
    {
        "midterm.no_changes_file": ("找不到变动文件 {path}", "changes file {path} does not exist"),
        "midterm.changes_is_folder": (
            "{path} 是一个文件夹；应为变动文件（changes.csv 或 .xlsx 工作簿，见 docs/format.md）",
            "{path} is a folder; expected a changes file (changes.csv or an .xlsx workbook, see docs/format.md)",
        ),
        "finding.change_outside_term": ("变动日期不在本学期内", "the change is dated outside the term"),
        "finding.change_before_plan": (
            "变动日期早于它所修改的方案的生效日",
            "the change is dated before the plan it changes holds from",
        ),
        "expect.term_date": (
            "学期内的日期（{start} 至 {end}）",
            "a date within the term ({start} to {end})",
        ),
        "expect.plan_date": (
            "不早于 {valid_from} 的日期（原方案自该日起生效；更早的变动从新方案起才生效）",
            "a date on or after {valid_from}, when the plan it changes took effect (an earlier change can only "
            "take effect from the new plan on)",
        ),
        "midterm.no_changes_table": (
            "{path} 中没有变动表（changes / 变动）",
            "{path} holds no changes table (changes / 变动)",
        ),
    }
)

PERMANENT = (ChangeAction.JOIN, ChangeAction.EXIT, ChangeAction.CHANGE)


def change_key(change: Change) -> str:
    """The key a change is known by in plan.json ``changes_applied``: its id, else its content."""
    if change.change_id:
        return change.change_id
    student = " ".join(f"{k}={v}" for k, v in sorted(change.student.items()))
    until = f"..{change.until.isoformat()}" if change.until else ""
    return f"{change.date.isoformat()}{until} {change.action.value} {change.id}" + (f" {student}" if student else "")


def _content(change: Change) -> tuple[Any, ...]:
    return (change.date, change.until, change.action, change.id, tuple(sorted(change.student.items())))


def _both(key: str, **params: Any) -> str:
    return t(key, "zh", **params) + " / " + t(key, "en", **params)


def read_changes(path: str | Path, base: Scenario) -> tuple[Change, ...]:
    """Every row of a changes file (CSV, or a workbook with a changes sheet), checked against ``base``.

    Bad cells and unknown students, staff, rooms, classes or activities raise ``ScenarioError``
    naming the file, row and column.
    """
    from cluster_planner.io.csv_source import UnclosedQuote, read_csv, unclosed_quote
    from cluster_planner.io.rows import build_entities
    from cluster_planner.io.xlsx_source import read_workbook

    path = Path(path)
    if path.is_dir():
        raise UsageError(_both("midterm.changes_is_folder", path=path))
    if not path.is_file():
        raise UsageError.said("midterm.no_changes_file", path=path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raw = read_workbook(path)
        if raw.findings and any(f.is_error for f in raw.findings):
            raise ScenarioError([f for f in raw.findings if f.is_error])
        table = raw.tables.get("changes")
        if table is None:
            raise UsageError.said("midterm.no_changes_table", path=path)
    else:
        try:
            table = read_csv(path, "changes")
        except UnclosedQuote as exc:
            raise ScenarioError([unclosed_quote(path.name, exc)]) from exc
        except (UnicodeDecodeError, OSError) as exc:
            raise UsageError(f"{path}: {exc}") from exc
    result = build_entities(table)
    errors = [f for f in result.findings if f.is_error]
    if errors:
        raise ScenarioError(errors)
    changes = tuple(c for c in result.entities if isinstance(c, Change))
    check_references(base, changes, display=table.display)
    return changes


def check_references(base: Scenario, changes: tuple[Change, ...], display: str = "changes.csv") -> None:
    """Raise ``ScenarioError`` if a change names an unknown student, staff member, room, class or activity."""
    trial = base.model_copy(update={"changes": changes})
    errors = [_rename(f, display) for f in validate(trial) if f.is_error and f.file == FILE_NAMES["changes"]]
    if errors:
        raise ScenarioError(errors)


def _rename(finding: Finding, display: str) -> Finding:
    from dataclasses import replace

    return replace(finding, file=display)


def check_dates(rows: Iterable[Change], school: School, valid_from: date | None, display: str = "changes.csv") -> None:
    """Raise ``ScenarioError`` naming each row (not yet applied) dated outside the term or before the plan.

    ``valid_from`` is the day the plan being changed holds from (its plan.json ``valid_from``; the
    term start for a term-start plan).
    """
    start, end = school.term_start, school.term_end
    assert start is not None and end is not None
    since = max(valid_from or start, start)
    errors = []
    for c in rows:
        if not start <= c.date <= end:
            code, expected, params = "finding.change_outside_term", "expect.term_date", {"start": start, "end": end}
        elif c.date < since:
            code, expected, params = "finding.change_before_plan", "expect.plan_date", {"valid_from": since}
        else:
            continue
        errors.append(
            Finding(
                Severity.ERROR,
                code,
                file=display,
                row=c.row or None,
                column="date",
                value=c.date.isoformat(),
                expected=expected,
                params={k: v.isoformat() for k, v in params.items()},
            )
        )
    if errors:
        raise ScenarioError(errors)


@dataclass(frozen=True)
class Triage:
    """The rows of a changes file sorted into those to apply now and those skipped."""

    fresh: tuple[Change, ...]
    already: tuple[Change, ...]
    """Applied before (same ``change_id``, or identical content), or repeated in the file."""
    later: tuple[Change, ...]
    """Dated after the effective date: left for a later re-solve."""


def triage(applied: Iterable[Change], rows: Iterable[Change], on: date | None = None) -> Triage:
    """Split ``rows`` into new rows in force on ``on`` (default: the latest new date), skipped and later ones."""
    ids = {c.change_id for c in applied if c.change_id}
    contents = {_content(c) for c in applied}
    fresh: list[Change] = []
    already: list[Change] = []
    for row in rows:
        if (row.change_id and row.change_id in ids) or (not row.change_id and _content(row) in contents):
            already.append(row)
            continue
        if row.change_id:
            ids.add(row.change_id)
        contents.add(_content(row))
        fresh.append(row)
    if on is None and fresh:
        on = max(c.date for c in fresh)
    now = tuple(c for c in fresh if on is None or c.date <= on)
    later = tuple(c for c in fresh if on is not None and c.date > on)
    return Triage(now, tuple(already), later)


def effective_date(changes: Iterable[Change], on: date | None = None) -> date | None:
    """The day the new plan holds from: ``on``, else the latest date among ``changes``."""
    dates = [c.date for c in changes]
    return on or (max(dates) if dates else None)


def _student_data(student: Student) -> dict[str, Any]:
    return student.model_dump(exclude={"row"})


def apply_changes(scenario: Scenario, changes: tuple[Change, ...]) -> Scenario:
    """A NEW scenario with ``changes`` applied to its students and appended to its ``changes``.

    ``join`` adds an approved student (or re-approves a listed one with the columns given),
    ``exit`` marks the student ``withdrawn``, ``change`` replaces the columns given (days,
    services, choices …). Staff and room rows are events only (see :func:`absences`).
    """
    students = {s.student_id: s for s in scenario.students}
    order = [s.student_id for s in scenario.students]
    for change in sorted(changes, key=lambda c: c.date):
        current = students.get(change.id)
        if change.action == ChangeAction.JOIN:
            data = _student_data(current) if current else {"student_id": change.id}
            data.update(change.student)
            data["status"] = StudentStatus.APPROVED.value
            students[change.id] = Student.model_validate({**data, "student_id": change.id})
            if current is None:
                order.append(change.id)
        elif change.action == ChangeAction.EXIT and current is not None:
            students[change.id] = current.model_copy(update={"status": StudentStatus.WITHDRAWN})
        elif change.action == ChangeAction.CHANGE and current is not None:
            data = _student_data(current)
            data.update(change.student)
            students[change.id] = Student.model_validate({**data, "student_id": change.id})
    return scenario.model_copy(
        update={
            "students": tuple(students[sid] for sid in order),
            "changes": scenario.changes + tuple(changes),
        }
    )


@dataclass(frozen=True)
class Absences:
    """Who and what is away on one day, and the first day one of them may come back."""

    staff: frozenset[str]
    rooms: frozenset[str]
    ends: date | None
    """The earliest ``until`` among these absences (the plan holds at most until then)."""


def absences(changes: Iterable[Change], on: date) -> Absences:
    """Staff on leave and rooms closed on ``on``, from the accumulated change rows.

    A leave (closure) from ``date`` holds through ``until`` (inclusive, or open-ended) unless a
    later ``staff_return`` (``room_open``) dated on or before ``on`` ends it.
    """
    away: dict[tuple[str, str], date | None] = {}
    for c in sorted(changes, key=lambda c: (c.date, c.row)):
        if c.date > on:
            continue
        if c.action in (ChangeAction.STAFF_LEAVE, ChangeAction.ROOM_CLOSED):
            kind = "staff" if c.action == ChangeAction.STAFF_LEAVE else "room"
            if c.until is None or c.until >= on:
                away[(kind, c.id)] = c.until
            else:
                away.pop((kind, c.id), None)
        elif c.action in (ChangeAction.STAFF_RETURN, ChangeAction.ROOM_OPEN):
            kind = "staff" if c.action == ChangeAction.STAFF_RETURN else "room"
            away.pop((kind, c.id), None)
    ends = [u for u in away.values() if u is not None]
    return Absences(
        staff=frozenset(i for k, i in away if k == "staff"),
        rooms=frozenset(i for k, i in away if k == "room"),
        ends=min(ends) if ends else None,
    )
