"""Meetings, unplaced rows and duty holders → a :class:`Plan` (groups.csv, assignments.csv …).

The one assembler of the term-start solve and the mid-term re-solve: group rows carry the
grades and home classes of their members, an assignment to a chosen activity carries the
student's rank of it (FORMAT.md ``choice_rank``), rows come in the order written files keep,
and staff load is recomputed from the rows. The caller gives the plan.json meta.
"""

from __future__ import annotations

from collections.abc import Iterable

from cluster_planner.domain.scenario import Scenario
from cluster_planner.plan.figures import staff_loads
from cluster_planner.plan.meeting import Meeting
from cluster_planner.plan.model import Assignment, DutyAssignment, GroupMeeting, Plan, PlanMeta, Unplaced, ordered_rows


def assemble(
    scenario: Scenario,
    meetings: Iterable[Meeting],
    unplaced: Iterable[Unplaced],
    duties: Iterable[DutyAssignment],
    meta: PlanMeta,
) -> Plan:
    """The plan of ``meetings`` (each with its room and adults) in ``scenario``."""
    groups: list[GroupMeeting] = []
    assignments: list[Assignment] = []
    for m in meetings:
        day = scenario.slot_by_id[m.slot_id].day.value
        students = [scenario.student_by_id[s] for s in sorted(m.members)]
        groups.append(
            GroupMeeting(
                group_id=m.group_id,
                activity_id=m.activity_id,
                day=day,
                slot_id=m.slot_id,
                room_id=m.room_id,
                rain_room_id=m.rain_room_id,
                staff_ids=tuple(m.staff_ids),
                size=len(students),
                grades=tuple(sorted({scenario.grade_of(s) for s in students})),
                class_ids=tuple(sorted({s.class_id for s in students})),
            )
        )
        for s in students:
            rank = next((r for r, a in s.choices if a == m.activity_id), None) if m.kind == "choice" else None
            assignments.append(Assignment(s.student_id, day, m.slot_id, m.group_id, rank, m.activity_id))
    order = {s.slot_id: i for i, s in enumerate(scenario.sorted_slots)}
    group_rows, assignment_rows, unplaced_rows, duty_rows = ordered_rows(
        groups, assignments, list(unplaced), tuple(duties), order
    )
    return Plan(
        groups=group_rows,
        assignments=assignment_rows,
        unplaced=unplaced_rows,
        staff_load=staff_loads(scenario, group_rows, duty_rows),
        duty_roster=duty_rows,
        meta=meta,
    )
