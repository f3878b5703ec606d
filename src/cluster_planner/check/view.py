"""The plan read together with its scenario: lookups every rule family shares.

Built once by :func:`cluster_planner.check.check_plan`. Everything here is computed from
the plan rows and the rules of FORMAT.md (see :mod:`cluster_planner.check.derive`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from cluster_planner.check import derive
from cluster_planner.check.plan_files import AssignmentRow, DutyRow, GroupRow, PlanFiles, UnplacedRow
from cluster_planner.domain.entities import Activity, DutyPost, Student, Timeslot
from cluster_planner.domain.scenario import Scenario

MeetingKey = tuple[str, str]  # (group_id, slot_id)


@dataclass
class PlanView:
    """A plan and its scenario, with the lookups the rule families share."""

    scenario: Scenario
    plan: PlanFiles

    # ---- scenario -----------------------------------------------------------------------
    @cached_property
    def approved(self) -> dict[str, Student]:
        """Approved students by id (the ones the plan must place)."""
        return {s.student_id: s for s in self.scenario.approved_students}

    @cached_property
    def service(self) -> dict[str, frozenset[str]]:
        """Each approved student's service slots, by the checker's own reading (S1)."""
        return {sid: derive.service_slots(self.scenario, s) for sid, s in self.approved.items()}

    def grade(self, student_id: str) -> int | None:
        student = self.scenario.student_by_id.get(student_id)
        return derive.student_grade(self.scenario, student) if student else None

    def class_of(self, student_id: str) -> str | None:
        student = self.scenario.student_by_id.get(student_id)
        return student.class_id if student else None

    def is_priority(self, student_id: str) -> bool:
        """S2: the student belongs to a priority group or a priority grade."""
        student = self.scenario.student_by_id.get(student_id)
        return student is not None and derive.is_priority(self.scenario, student)

    @cached_property
    def joiners(self) -> frozenset[str]:
        """Students who joined mid-term: a ``join`` row in the scenario's changes or the plan's snapshot."""
        joined = {c.id for c in self.scenario.changes if c.action.value == "join"}
        return frozenset(joined | set(self.plan.joined))

    def slot(self, slot_id: str) -> Timeslot | None:
        return self.scenario.slot_by_id.get(slot_id)

    @cached_property
    def away(self) -> tuple[frozenset[str], frozenset[str]]:
        """(staff on leave, rooms closed) on the day a re-solved plan holds from (plan.json ``valid_from``)."""
        if self.plan.valid_from is None:
            return frozenset(), frozenset()
        return derive.away_on(self.scenario.changes, self.plan.valid_from)

    # ---- groups -------------------------------------------------------------------------
    @cached_property
    def meetings(self) -> dict[MeetingKey, GroupRow]:
        """The first groups.csv row of each (group_id, slot_id); repeats are F3 problems."""
        out: dict[MeetingKey, GroupRow] = {}
        for g in self.plan.groups:
            if g.group_id and g.slot_id:
                out.setdefault((g.group_id, g.slot_id), g)
        return out

    @cached_property
    def meetings_of_group(self) -> dict[str, list[GroupRow]]:
        """Each group's meetings, in file order."""
        out: dict[str, list[GroupRow]] = defaultdict(list)
        for meeting in self.meetings.values():
            out[meeting.group_id].append(meeting)
        return dict(out)

    @cached_property
    def meetings_at(self) -> dict[str, list[GroupRow]]:
        """The meetings held at each slot id."""
        out: dict[str, list[GroupRow]] = defaultdict(list)
        for meeting in self.meetings.values():
            out[meeting.slot_id].append(meeting)
        return dict(out)

    @cached_property
    def slots_at_once(self) -> dict[str, tuple[str, ...]]:
        """For each slot id, the slot ids held at the same time (itself included), T5/R1."""
        slots = self.scenario.timeslots
        return {a.slot_id: tuple(b.slot_id for b in slots if derive.at_once(a, b)) for a in slots}

    def concurrent(self, slot_id: str) -> list[GroupRow]:
        """The meetings held at ``slot_id`` or at a slot overlapping it in time."""
        return [m for other in self.slots_at_once.get(slot_id, (slot_id,)) for m in self.meetings_at.get(other, ())]

    def activity(self, meeting: GroupRow) -> Activity | None:
        return self.scenario.activity_by_id.get(meeting.activity_id)

    def group_activity(self, group_id: str) -> Activity | None:
        """The activity of a group (its first meeting's)."""
        meetings = self.meetings_of_group.get(group_id)
        return self.activity(meetings[0]) if meetings else None

    @cached_property
    def members(self) -> dict[MeetingKey, list[str]]:
        """Student ids assigned to each meeting (every assignments.csv row counts)."""
        out: dict[MeetingKey, list[str]] = defaultdict(list)
        for a in self.plan.assignments:
            out[(a.group_id, a.slot_id)].append(a.student_id)
        return dict(out)

    def size(self, meeting: GroupRow) -> int:
        """G4: the number of students assigned to the meeting."""
        return len(self.members.get((meeting.group_id, meeting.slot_id), ()))

    def spare(self, meeting: GroupRow) -> int:
        """Places left in a meeting: below its size cap (G4), its adults × ratio (T4) and what its room
        holds beside the groups in it at once (R1; an outdoor room's rainy-day room too, R2). A meeting
        whose activity or room is unknown or blank has none (nothing can be said for it)."""
        activity = self.activity(meeting)
        room = self.scenario.room_by_id.get(meeting.room_id)
        if activity is None or room is None:
            return 0
        rules = self.scenario.school.rules
        limit = min(derive.size_cap(rules, activity), rules.ratio * len(meeting.staff_ids)) - self.size(meeting)
        load = sum(self.size(m) for m in self.concurrent(meeting.slot_id) if m.room_id == room.room_id)
        limit = min(limit, room.capacity - load)
        if room.outdoor:
            rain = self.scenario.room_by_id.get(meeting.rain_room_id)
            limit = min(limit, rain.capacity - self.size(meeting)) if rain is not None else 0
        return max(0, limit)

    def classes(self, meeting: GroupRow) -> set[str]:
        """The classes a meeting serves: its ``class_ids`` cell, else its students' classes."""
        if meeting.class_ids:
            return set(meeting.class_ids)
        return {c for s in self.members.get((meeting.group_id, meeting.slot_id), ()) if (c := self.class_of(s))}

    # ---- duties -------------------------------------------------------------------------
    @cached_property
    def duty_posts(self) -> dict[tuple[str, str, str], DutyPost]:
        """duties.csv posts by (day, slot_id or "", post lower-case)."""
        return {(d.day.value, d.slot_id or "", d.post.strip().lower()): d for d in self.scenario.duties}

    def duty_post(self, row: DutyRow) -> DutyPost | None:
        """The duties.csv post a duty_roster.csv row holds."""
        return self.duty_posts.get((row.day, row.slot_id, row.post.strip().lower()))

    # ---- students -----------------------------------------------------------------------
    @cached_property
    def placed(self) -> dict[MeetingKey, list[AssignmentRow]]:
        """assignments.csv rows by (student_id, slot_id)."""
        out: dict[MeetingKey, list[AssignmentRow]] = defaultdict(list)
        for a in self.plan.assignments:
            out[(a.student_id, a.slot_id)].append(a)
        return dict(out)

    @cached_property
    def unplaced(self) -> dict[MeetingKey, list[UnplacedRow]]:
        """unplaced.csv rows by (student_id, slot_id)."""
        out: dict[MeetingKey, list[UnplacedRow]] = defaultdict(list)
        for u in self.plan.unplaced:
            out[(u.student_id, u.slot_id)].append(u)
        return dict(out)

    @cached_property
    def groups_of_student(self) -> dict[str, list[str]]:
        """The group ids each student is assigned to anywhere, in file order."""
        out: dict[str, dict[str, None]] = defaultdict(dict)
        for a in self.plan.assignments:
            out[a.student_id][a.group_id] = None
        return {s: list(g) for s, g in out.items()}

    def granted(self, student_id: str) -> list[str]:
        """The student's groups of chosen activities (mode choice, not care)."""
        out = []
        for gid in self.groups_of_student.get(student_id, ()):
            activity = self.group_activity(gid)
            if activity is not None and derive.is_chosen(activity):
                out.append(gid)
        return out
