"""Plan rows as frozen dataclasses, one class per plan file of FORMAT.md.

A :class:`Plan` holds what the solver decided. Figures people read (periods, pay,
choices granted) are recomputed from the rows and the scenario by
:mod:`cluster_planner.plan.figures`, never read back from solver internals.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

import pandas as pd


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
