"""The plan being repaired, as mutable working state over the earlier plan's rows.

Meetings keep their ``group_id``, slot, room and adults; members are sets of student ids.
Lookups the repair steps share (who is busy when, how full a room is) are computed here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from cluster_planner.domain import Activity, ActivityKind, ActivityMode, Scenario
from cluster_planner.plan import Plan
from cluster_planner.solver.prepare import PlanningData, adults_needed

Key = tuple[str, str]  # (group_id, slot_id)


@dataclass
class Meeting:
    """One meeting of a group, as the repair sees it."""

    group_id: str
    activity_id: str
    slot_id: str
    room_id: str
    rain_room_id: str
    staff_ids: list[str]
    members: set[str] = field(default_factory=set)

    @property
    def key(self) -> Key:
        return (self.group_id, self.slot_id)


def kind_of(activity: Activity) -> str:
    """``care``, ``class`` or ``choice`` (the three ways a student stands at a slot)."""
    if activity.mode == ActivityMode.CLASS:
        return "class"
    if activity.kind == ActivityKind.CARE:
        return "care"
    return "choice"


@dataclass
class WorkingPlan:
    """Meetings and duty holders of the plan under repair."""

    scenario: Scenario
    data: PlanningData
    meetings: dict[Key, Meeting]
    duties: list[tuple[str, str, str, str]]  # (day, slot_id, post, staff_id)
    _by_slot: dict[str, list[Meeting]] | None = field(default=None, repr=False)
    _count: int = field(default=-1, repr=False)

    @staticmethod
    def from_plan(plan: Plan, scenario: Scenario, data: PlanningData) -> WorkingPlan:
        meetings = {
            (g.group_id, g.slot_id): Meeting(
                g.group_id, g.activity_id, g.slot_id, g.room_id, g.rain_room_id, list(g.staff_ids)
            )
            for g in plan.groups
        }
        for a in plan.assignments:
            if (a.group_id, a.slot_id) in meetings:
                meetings[(a.group_id, a.slot_id)].members.add(a.student_id)
        duties = [(d.day, d.slot_id, d.post, d.staff_id) for d in plan.duty_roster]
        return WorkingPlan(scenario, data, meetings, duties)

    def activity(self, meeting: Meeting) -> Activity:
        return self.scenario.activity_by_id[meeting.activity_id]

    def kind(self, meeting: Meeting) -> str:
        return kind_of(self.activity(meeting))

    def of_group(self, group_id: str) -> list[Meeting]:
        return [m for m in self.meetings.values() if m.group_id == group_id]

    def at_once(self, slot_id: str) -> list[Meeting]:
        """Meetings at ``slot_id`` or a slot overlapping it in time."""
        if self._by_slot is None or self._count != len(self.meetings):
            self.changed()
        assert self._by_slot is not None
        return [m for s in self.data.overlapping[slot_id] for m in self._by_slot.get(s, ())]

    def changed(self) -> None:
        """Re-index after meetings were added or removed."""
        self._by_slot = defaultdict(list)
        for m in self.meetings.values():
            self._by_slot[m.slot_id].append(m)
        self._count = len(self.meetings)

    def size_cap(self, meeting: Meeting) -> int:
        """The most students this meeting may hold: group cap, room and rain-room capacity, adults × ratio."""
        sc = self.scenario
        activity = self.activity(meeting)
        cap = sc.group_cap_of(activity)  # G4: min(max_size, group_cap), care activities too
        for room_id in (meeting.room_id, meeting.rain_room_id):
            room = sc.room_by_id.get(room_id)
            if room is None:
                continue
            others = sum(
                len(m.members)
                for m in self.at_once(meeting.slot_id)
                if m is not meeting and room_id in (m.room_id, m.rain_room_id)
            )
            cap = min(cap, room.capacity - others)
        return min(cap, len(meeting.staff_ids) * sc.school.rules.ratio)

    def busy_slots(self) -> dict[str, set[str]]:
        """Slots each adult works at (group meetings and slot-bound duties)."""
        out: dict[str, set[str]] = defaultdict(set)
        for m in self.meetings.values():
            for p in m.staff_ids:
                out[p].add(m.slot_id)
        for _day, slot_id, _post, p in self.duties:
            if slot_id:
                out[p].add(slot_id)
        return out

    def periods(self) -> tuple[dict[str, float], dict[tuple[str, str], float]]:
        """Periods a week and per (person, day), counting meetings and duties."""
        sc = self.scenario
        week: dict[str, float] = defaultdict(float)
        day: dict[tuple[str, str], float] = defaultdict(float)
        post_periods = {(p.day.value, p.slot_id or "", p.post): p.periods for p in sc.duties}
        for m in self.meetings.values():
            slot = sc.slot_by_id[m.slot_id]
            for p in m.staff_ids:
                week[p] += slot.periods
                day[(p, slot.day.value)] += slot.periods
        for d, slot_id, post, p in self.duties:
            value = post_periods.get((d, slot_id, post), 0.0)
            week[p] += value
            day[(p, d)] += value
        return week, day

    def adults_target(self, meeting: Meeting) -> int:
        return adults_needed(len(meeting.members), self.scenario.school.rules.ratio)
