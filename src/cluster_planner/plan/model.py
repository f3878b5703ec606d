"""Plan rows as frozen dataclasses, one class per plan file of FORMAT.md.

A :class:`Plan` holds what the solver decided, and the scenario it was solved from
(``scenario``: set by ``cp.solve`` and ``cp.load_plan``, no part of equality or of the plan
files); its methods give the report's tables as DataFrames, built by
:mod:`cluster_planner.report.tables` (one implementation for reports and notebooks)::

    plan = cp.solve(cp.load("scenarios/demo-small"), seed=1)
    plan.frame("assignments")        # a plan file's rows
    plan.summary(lang="en")          # a report sheet
    plan.staff_timetable("T001")     # one block of a sheet

Figures people read (periods, pay,
choices granted) are recomputed from the rows and the scenario by
:mod:`cluster_planner.plan.figures`, never read back from solver internals.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic.json_schema import SkipJsonSchema

from cluster_planner.domain.scenario import Scenario  # at run time: the plan's JSON Schema resolves the type
from cluster_planner.errors import UsageError
from cluster_planner.i18n import register, t

register(
    {
        "plan.no_scenario": (
            "该方案未附带情景数据：请用 cp.solve / cp.load_plan 得到方案，或调用 plan.with_scenario(scenario)",
            "this plan has no scenario attached: get it from cp.solve / cp.load_plan, or call "
            "plan.with_scenario(scenario)",
        ),
        "plan.no_table": ("没有名为「{name}」的报表（可用：{names}）", "no report table named '{name}' ({names})"),
        "plan.no_block": ("没有「{key}」（可用：{keys}）", "no '{key}' here (known: {keys})"),
    }
)

REPORT_TABLES = (
    "summary",
    "choices_by_grade",
    "timetable",
    "rosters",
    "staff_timetables",
    "room_timetables",
    "rain_plan",
    "attendance_sheets",
    "pay",
    "satisfaction",
    "unplaced",
    "duty_roster",
    "moves",
    "warnings",
)
"""Tables of :mod:`cluster_planner.report.tables` that :meth:`Plan.table` builds (the report's sheets)."""


@dataclass(frozen=True)
class GroupMeeting:
    """One meeting of a group (groups.csv row)."""

    group_id: str
    activity_id: str
    day: str
    slot_id: str
    room_id: str
    rain_room_id: str
    staff_ids: tuple[str, ...]
    size: int
    grades: tuple[int, ...]
    class_ids: tuple[str, ...]


@dataclass(frozen=True)
class Assignment:
    """Where one student stands at one service slot (assignments.csv row)."""

    student_id: str
    day: str
    slot_id: str
    group_id: str
    choice_rank: int | None
    activity_id: str = ""


@dataclass(frozen=True)
class Unplaced:
    """A student × service slot the plan does not cover, with the reason in words."""

    student_id: str
    day: str
    slot_id: str
    reason: str
    reason_code: str = ""


@dataclass(frozen=True)
class StaffLoad:
    """Periods and pay of one staff member (staff_load.csv row)."""

    staff_id: str
    periods_week: float
    periods_term: float
    pay_term: float


@dataclass(frozen=True)
class DutyAssignment:
    """One holder of one duty post (duty_roster.csv row)."""

    day: str
    slot_id: str
    post: str
    staff_id: str


@dataclass(frozen=True)
class Move:
    """One student or staff member a re-solve affected (moves.csv row, FORMAT.md).

    ``kind`` is ``student`` or ``staff``; ``reason_code`` is the machine word
    (``joined``, ``left``, ``moved``, ``upgraded``, ``restaffed``, ``changed``) and
    ``reason`` the same in the plan's language.
    """

    id: str
    name: str
    class_id: str
    before: str
    after: str
    reason: str
    kind: str = "student"
    reason_code: str = ""


def ordered_rows(
    groups: list[GroupMeeting],
    assignments: list[Assignment],
    unplaced: list[Unplaced],
    duties: list[DutyAssignment] | tuple[DutyAssignment, ...],
    slot_order: dict[str, int],
) -> tuple[tuple[GroupMeeting, ...], tuple[Assignment, ...], tuple[Unplaced, ...], tuple[DutyAssignment, ...]]:
    """Plan rows in the order written files keep (byte-stable): by id, then slot order."""
    return (
        tuple(sorted(groups, key=lambda g: (g.group_id, slot_order[g.slot_id]))),
        tuple(sorted(assignments, key=lambda a: (a.student_id, slot_order[a.slot_id]))),
        tuple(sorted(unplaced, key=lambda u: (u.student_id, slot_order[u.slot_id]))),
        tuple(sorted(duties, key=lambda d: (d.day, d.slot_id, d.post, d.staff_id))),
    )


@dataclass(frozen=True)
class PlanMeta:
    """plan.json: provenance, solver status and objective terms."""

    scenario_hash: str
    status: str
    seed: int
    reproducible: bool
    version: int = 1
    parent_version: int | None = None
    valid_from: str | None = None
    valid_until: str | None = None
    changes_applied: tuple[str, ...] = ()
    objective_terms: dict[str, float] = field(default_factory=dict)
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    solve_seconds: float | None = None
    warnings: tuple[str, ...] = ()
    program_version: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    """A whole plan. Rows are sorted so that written files are byte-stable."""

    groups: tuple[GroupMeeting, ...]
    assignments: tuple[Assignment, ...]
    unplaced: tuple[Unplaced, ...]
    staff_load: tuple[StaffLoad, ...]
    duty_roster: tuple[DutyAssignment, ...]
    meta: PlanMeta
    moves: tuple[Move, ...] = ()
    scenario: SkipJsonSchema[Scenario | None] = field(default=None, compare=False, repr=False)  # not a plan file

    def frame(self, name: str) -> pd.DataFrame:
        """One plan table (``groups``, ``assignments``, ``unplaced``, ``staff_load``, ``duty_roster``, ``moves``)."""
        rows = getattr(self, name)
        row_type = {
            "groups": GroupMeeting,
            "assignments": Assignment,
            "unplaced": Unplaced,
            "staff_load": StaffLoad,
            "duty_roster": DutyAssignment,
            "moves": Move,
        }[name]
        columns = [f.name for f in fields(row_type)]
        return pd.DataFrame([asdict(r) for r in rows], columns=columns)

    # ---- the report's tables (one implementation: cluster_planner.report.tables) ------------
    def with_scenario(self, scenario: Scenario) -> Plan:
        """The same plan with ``scenario`` attached (for plans read or built without one)."""
        return replace(self, scenario=scenario)

    def require_scenario(self) -> Scenario:
        """The attached scenario; a ``UsageError`` saying how to attach one if there is none."""
        if self.scenario is None:
            raise UsageError(_both("plan.no_scenario"))
        return self.scenario

    def table(self, name: str, lang: str | None = None, **options: Any) -> Any:
        """Any report table by name (:data:`REPORT_TABLES`), e.g. ``plan.table("unplaced", lang="en")``.

        Headers and words are in ``lang`` (default: the school's language). Tables made of one
        block per group, adult or room come as ``{id: DataFrame}``.
        """
        if name not in REPORT_TABLES:
            names = ", ".join(REPORT_TABLES)
            raise UsageError(_both("plan.no_table", name=name, names=names))
        from cluster_planner.report import tables

        return getattr(tables, name)(self.require_scenario(), self, lang, **options)

    def summary(self, lang: str | None = None) -> pd.DataFrame:
        """概览: placed and unplaced, choices granted, priority served, groups, adults, money, solver."""
        return self.table("summary", lang)

    def choices_by_grade(self, lang: str | None = None) -> pd.DataFrame:
        """满意度（按年级）: best choice granted per grade, with a total row."""
        return self.table("choices_by_grade", lang)

    def satisfaction(self, lang: str | None = None) -> pd.DataFrame:
        """满意度（按活动）: groups, places, first-choice demand against first choices granted."""
        return self.table("satisfaction", lang)

    def timetable(self, lang: str | None = None) -> pd.DataFrame:
        """每日课表: one row per group meeting, by day and time."""
        return self.table("timetable", lang)

    def pay(self, lang: str | None = None) -> pd.DataFrame:
        """课时与报酬: periods and pay per adult, a total row last (M3)."""
        return self.table("pay", lang)

    def rosters(self, lang: str | None = None, public: bool = False) -> dict[str, pd.DataFrame]:
        """分组名册: ``{group_id: DataFrame}`` of students with class, parent and phone (masked if ``public``)."""
        return self.table("rosters", lang, public=public)

    def roster(self, group_id: str, lang: str | None = None, public: bool = False) -> pd.DataFrame:
        """One group's roster."""
        return _pick(self.rosters(lang, public), group_id)

    def staff_timetables(self, lang: str | None = None) -> dict[str, pd.DataFrame]:
        """教师课表: ``{staff_id: DataFrame}``, a weekday × slot grid per adult with work."""
        return self.table("staff_timetables", lang)

    def staff_timetable(self, staff_id: str, lang: str | None = None) -> pd.DataFrame:
        """One adult's weekly grid (groups, rooms and duties)."""
        return _pick(self.staff_timetables(lang), staff_id)

    def room_timetables(self, lang: str | None = None) -> dict[str, pd.DataFrame]:
        """场地安排: ``{room_id: DataFrame}``, a weekday × slot grid per room in use."""
        return self.table("room_timetables", lang)

    def room_timetable(self, room_id: str, lang: str | None = None) -> pd.DataFrame:
        """One room's weekly grid."""
        return _pick(self.room_timetables(lang), room_id)

    def save(self, folder: str | Path, reports: bool = True, public: bool = False, lang: str | None = None) -> Path:
        """Write the plan folder (FORMAT.md) with its scenario snapshot and reports; returns the path.

        ``cp.load_plan(plan.save("out/term1"))`` gives this plan back, scenario attached.
        """
        from cluster_planner.api import save

        return save(self, self.require_scenario(), folder, reports=reports, public=public, lang=lang)


def _pick(blocks: dict[str, pd.DataFrame], key: str) -> pd.DataFrame:
    if key not in blocks:
        raise UsageError(_both("plan.no_block", key=key, keys=", ".join(blocks)))
    return blocks[key]


def _both(message: str, /, **params: Any) -> str:
    """A message in Chinese and English (the API does not know the reader's language)."""
    return t(message, "zh", **params) + " / " + t(message, "en", **params)
