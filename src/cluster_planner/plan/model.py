"""Plan rows as frozen dataclasses, one class per plan file of FORMAT.md.

A :class:`Plan` holds what the solver decided, and the scenario it was solved from
(``scenario``: set by ``cp.solve`` and ``cp.load_plan``, no part of equality or of the plan
files). The report's tables and the plan folder are the API layer's (``cp.summary(plan)``,
``cp.staff_timetable(plan, "T001")``, ``cp.save(plan, folder)``); ``plan/`` imports neither the
API nor the reports::

    plan = cp.solve(cp.load("scenarios/demo-small"), seed=1)
    plan.frame("assignments")        # a plan file's rows
    cp.summary(plan, lang="en")      # a report sheet

Figures people read (periods, pay,
choices granted) are recomputed from the rows and the scenario by
:mod:`cluster_planner.plan.figures`, never read back from solver internals.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

import pandas as pd
from pydantic.json_schema import SkipJsonSchema

from cluster_planner.domain.scenario import Scenario  # at run time: the plan's JSON Schema resolves the type
from cluster_planner.errors import UsageError
from cluster_planner.i18n import register, t
from cluster_planner.plan.deprecated import DeprecatedReportMethods

register(
    {
        "plan.no_scenario": (
            "该方案未附带情景数据：请用 cp.solve / cp.load_plan 得到方案，或调用 plan.with_scenario(scenario)",
            "this plan has no scenario attached: get it from cp.solve / cp.load_plan, or call "
            "plan.with_scenario(scenario)",
        ),
    }
)


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
class Plan(DeprecatedReportMethods):  # the base: plan.summary() … of 0.1, deprecated for cp.summary(plan) …
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

    def with_scenario(self, scenario: Scenario) -> Plan:
        """The same plan with ``scenario`` attached (for plans read or built without one)."""
        return replace(self, scenario=scenario)

    def require_scenario(self) -> Scenario:
        """The attached scenario; a ``UsageError`` saying how to attach one if there is none."""
        if self.scenario is None:
            raise UsageError(_both("plan.no_scenario"))
        return self.scenario


def _both(message: str, /, **params: Any) -> str:
    """A message in Chinese and English (the API does not know the reader's language)."""
    return t(message, "zh", **params) + " / " + t(message, "en", **params)
