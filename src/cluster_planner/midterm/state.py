"""The plan being repaired: the earlier plan's meetings and duty holders, and what they occupy.

Meetings are :class:`~cluster_planner.plan.meeting.Meeting` values keyed by ``(group_id,
slot_id)``; a repair step replaces one with :meth:`WorkingPlan.put`. The questions the steps
share — who is busy when, how many periods someone already works, what a room holds at
once, how many more students a meeting can take — are answered here from the rule book
(:mod:`cluster_planner.rules`); no rule is restated.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property

from cluster_planner import rules
from cluster_planner.domain import Activity, Room, Scenario, Staff, Timeslot
from cluster_planner.plan import Plan
from cluster_planner.plan.meeting import Meeting, MeetingKey, kind_of

Key = MeetingKey
Duty = tuple[str, str, str, str]  # (day, slot_id, post, staff_id)


@dataclass
class WorkingPlan:
    """Meetings and duty holders of the plan under repair."""

    scenario: Scenario
    meetings: dict[Key, Meeting]
    duties: list[Duty]
    home_classes: dict[str, frozenset[str]] = field(default_factory=dict)  # class-activity group -> its classes
    past_ids: frozenset[str] = frozenset()  # group ids of the earlier plan (a new group never reuses one)
    _work: dict[str, list[tuple[str, str, float]]] | None = field(default=None, repr=False)
    _rooms: dict[tuple[str, str], list[tuple[Key, str, int]]] | None = field(default=None, repr=False)

    @staticmethod
    def from_plan(plan: Plan, scenario: Scenario) -> WorkingPlan:
        members: dict[Key, list[str]] = defaultdict(list)
        for a in plan.assignments:
            members[(a.group_id, a.slot_id)].append(a.student_id)
        meetings = {
            (g.group_id, g.slot_id): Meeting(
                g.group_id,
                g.activity_id,
                g.slot_id,
                tuple(sorted(members[(g.group_id, g.slot_id)])),
                kind_of(scenario.activity_by_id[g.activity_id]),
                g.room_id,
                g.rain_room_id,
                tuple(g.staff_ids),
            )
            for g in plan.groups
        }
        duties = [(d.day, d.slot_id, d.post, d.staff_id) for d in plan.duty_roster]
        homes = {
            g.group_id: frozenset(g.class_ids) for g in plan.groups if meetings[(g.group_id, g.slot_id)].kind == "class"
        }
        return WorkingPlan(scenario, meetings, duties, homes, frozenset(g.group_id for g in plan.groups))

    # ---- changing the plan ---------------------------------------------------------------
    def put(self, meeting: Meeting) -> None:
        """Add ``meeting`` or replace the meeting with its key."""
        self.meetings[meeting.key] = meeting
        self._work = self._rooms = None

    def drop(self, key: Key) -> None:
        del self.meetings[key]
        self._work = self._rooms = None

    def set_duties(self, duties: Iterable[Duty]) -> None:
        self.duties = list(duties)
        self._work = None

    def remove_students(self, students: Iterable[str]) -> None:
        """Take ``students`` out of every meeting (empty meetings stay until the end of the repair)."""
        gone = set(students)
        if not gone:
            return
        for m in list(self.meetings.values()):
            if gone & set(m.members):
                self.put(replace(m, members=tuple(s for s in m.members if s not in gone)))

    # ---- time (S3, T5, R1: at once in either season) ---------------------------------------
    @cached_property
    def overlapping(self) -> dict[str, frozenset[str]]:
        return rules.overlapping(self.scenario.sorted_slots)

    @cached_property
    def slot_order(self) -> dict[str, int]:
        return {s.slot_id: i for i, s in enumerate(self.scenario.sorted_slots)}

    @cached_property
    def simultaneous(self) -> tuple[frozenset[str], ...]:
        return rules.simultaneous_sets(self.scenario.sorted_slots)

    def sets_with(self, slot_id: str) -> tuple[frozenset[str], ...]:
        """The sets of slots in progress at one instant that include ``slot_id`` (an adult's T5)."""
        return tuple(s for s in self.simultaneous if slot_id in s)

    @cached_property
    def room_sets(self) -> tuple[frozenset[str], ...]:
        """R1 read strictly, as the solver reads it: each slot with every slot at once with it."""
        return rules.room_sharing_sets(self.scenario.sorted_slots)

    def room_sets_with(self, slot_id: str) -> tuple[frozenset[str], ...]:
        """The room-sharing sets (R1) that include ``slot_id``."""
        return tuple(s for s in self.room_sets if slot_id in s)

    def activity(self, meeting: Meeting) -> Activity:
        return self.scenario.activity_by_id[meeting.activity_id]

    def slot(self, slot_id: str) -> Timeslot:
        return self.scenario.slot_by_id[slot_id]

    def of_group(self, group_id: str) -> list[Meeting]:
        return [m for m in self.meetings.values() if m.group_id == group_id]

    # ---- rooms (R1, R2) ------------------------------------------------------------------------
    def room_sizes(
        self, room_id: str, slot_ids: Iterable[str], skip: frozenset[tuple[Key, str]] = frozenset()
    ) -> list[int]:
        """Sizes of the groups using ``room_id`` (as room or rain room) at ``slot_ids``, ``skip`` roles aside."""
        if self._rooms is None:
            self._rooms = defaultdict(list)
            for m in self.meetings.values():
                for role, rid in (("room", m.room_id), ("rain", m.rain_room_id)):
                    if rid:
                        self._rooms[(rid, m.slot_id)].append((m.key, role, m.size))
        return [
            size for s in slot_ids for key, role, size in self._rooms.get((room_id, s), ()) if (key, role) not in skip
        ]

    def room_takes(self, room: Room, slot_id: str, size: int, skip: frozenset[tuple[Key, str]] = frozenset()) -> bool:
        """R1: ``room`` can hold one more group of ``size`` at ``slot_id`` beside every group in it at once."""
        return all(
            rules.room_holds(room, [*self.room_sizes(room.room_id, s, skip), size])
            for s in self.room_sets_with(slot_id)
        )

    def rooms_of(self, meeting: Meeting) -> tuple[Room, ...]:
        by_id = self.scenario.room_by_id
        return tuple(by_id[r] for r in (meeting.room_id, meeting.rain_room_id) if r in by_id)

    def capacity(self, meeting: Meeting) -> int:
        """G4 ∧ T4 ∧ R1: students the meeting can hold with its adults and room(s)."""
        return rules.meeting_capacity(
            self.scenario, self.activity(meeting), len(meeting.staff_ids), self.rooms_of(meeting)
        )

    def spare(self, meeting: Meeting) -> int:
        """Places left in the meeting: its capacity less its size, and what its shared rooms have left."""
        spare = self.capacity(meeting) - meeting.size
        for room in self.rooms_of(meeting):
            if room.max_groups > 1:
                for s in self.room_sets_with(meeting.slot_id):
                    spare = min(spare, room.capacity - sum(self.room_sizes(room.room_id, s)))
        return max(0, spare)

    # ---- adults (T2–T6) ------------------------------------------------------------------------
    @cached_property
    def _post_periods(self) -> dict[tuple[str, str, str], float]:
        return {(p.day.value, p.slot_id or "", p.post): p.periods for p in self.scenario.duties}

    def work_of(self, person_id: str) -> list[tuple[str, str, float]]:
        """(day, slot_id or "" for an all-day post, periods) of everything the person does."""
        if self._work is None:
            self._work = defaultdict(list)
            for m in self.meetings.values():
                slot = self.slot(m.slot_id)
                for p in m.staff_ids:
                    self._work[p].append((slot.day.value, m.slot_id, slot.periods))
            for d, slot_id, post, p in self.duties:
                self._work[p].append((d, slot_id, self._post_periods.get((d, slot_id, post), 0.0)))
        return self._work.get(person_id, [])

    def busy_slots(self, person_id: str) -> set[str]:
        """Slots the person works at (group meetings and slot-bound duties)."""
        return {slot_id for _day, slot_id, _periods in self.work_of(person_id) if slot_id}

    def busy_at(self, person_id: str, slot_id: str) -> bool:
        """T5: the person works at a slot at once with ``slot_id`` (either season)."""
        return bool(self.busy_slots(person_id) & self.overlapping[slot_id])

    def periods(self, person_id: str) -> tuple[float, dict[str, float]]:
        """Periods the person works a week, and per day, counting meetings and duties."""
        day: dict[str, float] = defaultdict(float)
        for d, _slot_id, periods in self.work_of(person_id):
            day[d] += periods
        return sum(day.values()), day

    def hours_left(self, person: Staff, day: str) -> tuple[float | None, float | None]:
        """T5: periods the person may still work this week and on ``day`` (None: no limit)."""
        week, per_day = self.periods(person.staff_id)
        w, d = rules.week_limit(person), rules.day_limit(person)
        return (None if w is None else w - week, None if d is None else d - per_day.get(day, 0.0))

    def may_take(self, person: Staff, activity: Activity, slot: Timeslot) -> bool:
        """T2 ∧ T3 ∧ T5: may lead the activity at the slot, is free then, and has the periods left."""
        if not rules.may_lead(person, activity, slot) or self.busy_at(person.staff_id, slot.slot_id):
            return False
        return all(left is None or slot.periods <= left + 1e-9 for left in self.hours_left(person, slot.day.value))
