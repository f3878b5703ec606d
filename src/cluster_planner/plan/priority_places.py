"""S2 in chosen groups: a priority student left out at a slot takes a ranked group's place.

When care is lost after the allocation (no room or adult left for it), a priority student may
be left out at a slot where a student without priority holds a place in a group of an activity
the priority student ranked. S2 comes before every other student (DOMAIN.md S2, S6 level 1):
the priority student takes that place at every meeting of the group, provided they could stand
there (the group's every meeting falls on their service slots where they are left out or in
care, nothing else holds them at a slot at once with it, they have fewer chosen activities than
``activities_per_student``, S5's tutoring per day holds). The least lucky student without
priority and without a lock on the activity (L1) gives way (S6); where the priority student
leaves a care meeting that holds a classmate of the one who gave way, that student takes the
freed seat (same size: G4, R1 unchanged) unless a class or grade at the merge threshold would then
share the meeting (G1, G3: :func:`cluster_planner.rules.merging_faults`); otherwise they are left
out there.

The group keeps its adults, room and size, so T2–T5, R1, G4 and G5 are unchanged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace

from cluster_planner import rules
from cluster_planner.domain import Scenario, Student
from cluster_planner.plan.meeting import Meeting, MeetingKey


@dataclass(frozen=True)
class GaveWay:
    """A student without priority who gave their place in a group to a priority student."""

    student_id: str
    slot_id: str
    group_id: str
    priority_student_id: str


@dataclass
class _Seats:
    """Who stands where: the held meetings and each (student, slot)'s meetings, kept in step."""

    meetings: dict[MeetingKey, Meeting]

    def __post_init__(self) -> None:
        self.of: dict[str, dict[str, set[MeetingKey]]] = defaultdict(lambda: defaultdict(set))
        self.of_group: dict[str, list[MeetingKey]] = defaultdict(list)
        self.of_slot: dict[str, list[MeetingKey]] = defaultdict(list)
        for key, m in sorted(self.meetings.items()):
            self.of_group[m.group_id].append(key)
            self.of_slot[m.slot_id].append(key)
            for sid in m.members:
                self.of[sid][m.slot_id].add(key)

    def at(self, sid: str, slot_id: str) -> set[MeetingKey]:
        """The meetings holding the student at the slot."""
        return self.of[sid][slot_id]

    def move(self, key: MeetingKey, leaving: str | None, joining: str | None) -> None:
        m = self.meetings[key]
        members = {*m.members} - {leaving} | ({joining} if joining else set())
        self.meetings[key] = replace(m, members=tuple(sorted(members)))
        if leaving:
            self.of[leaving][m.slot_id].discard(key)
        if joining:
            self.of[joining][m.slot_id].add(key)


def serve_priority_in_chosen_groups(
    scenario: Scenario,
    meetings: Mapping[MeetingKey, Meeting],
    service: Mapping[str, frozenset[str]],
    lottery: Mapping[str, int],
) -> tuple[dict[MeetingKey, Meeting], list[GaveWay]]:
    """The held meetings after priority students left out took places in ranked groups, and who
    gave way (student, slot, group) where they found no seat."""
    seats = _Seats(dict(meetings))
    overlapping = rules.overlapping(scenario.timeslots)
    gave_way: list[GaveWay] = []
    students = scenario.student_by_id
    priority = sorted(
        (sid for sid in service if sid in students and rules.is_priority(scenario, students[sid])),
        key=lambda sid: (lottery.get(sid, 0), sid),
    )
    for sid in priority:
        for slot_id in sorted(service[sid]):
            if seats.at(sid, slot_id):
                continue
            for group_id in _ranked_groups_at(scenario, seats, sid, slot_id):
                other = _gives_way(scenario, seats, group_id, lottery)
                if other is None or not _could_stand(scenario, seats, sid, group_id, service[sid], overlapping):
                    continue
                gave_way += _swap(scenario, seats, sid, other, group_id)
                break
    return seats.meetings, gave_way


def _ranked_groups_at(scenario: Scenario, seats: _Seats, sid: str, slot_id: str) -> list[str]:
    """Groups of chosen activities meeting at the slot that the student ranked, best rank first."""
    student = scenario.student_by_id[sid]
    grade = scenario.grade_of(student)
    rank = {aid: r for r, aid in reversed(student.choices)}
    out: list[tuple[int, str]] = []
    for key in seats.of_slot.get(slot_id, ()):
        m = seats.meetings[key]
        activity = scenario.activity_by_id.get(m.activity_id)
        if m.kind != "choice" or activity is None or m.activity_id not in rank:
            continue
        if activity.eligible(grade):
            out.append((rank[m.activity_id], key[0]))
    return [g for _, g in sorted(set(out))]


def _held_activities(seats: _Seats, sid: str) -> set[str]:
    """The chosen activities the student holds a place in."""
    return {
        seats.meetings[k].activity_id
        for keys in seats.of[sid].values()
        for k in keys
        if seats.meetings[k].kind == "choice"
    }


def _could_stand(
    scenario: Scenario,
    seats: _Seats,
    sid: str,
    group_id: str,
    service: frozenset[str],
    overlapping: Mapping[str, frozenset[str]],
) -> bool:
    """A1, S3, S5, S6: the student could attend every meeting of the group giving up only care."""
    keys = seats.of_group[group_id]
    activity = scenario.activity_by_id[seats.meetings[keys[0]].activity_id]
    held = _held_activities(seats, sid)
    if activity.activity_id in held or len(held) >= rules.activities_per_student(scenario):
        return False
    slot = scenario.slot_by_id
    for _, slot_id in keys:
        if slot_id not in service:
            return False
        for other_slot in overlapping.get(slot_id, frozenset({slot_id})) | {slot_id}:
            for k in seats.at(sid, other_slot):
                if other_slot != slot_id or seats.meetings[k].kind != "care":
                    return False  # a class activity, a chosen group or care at another bell holds them then
    if rules.is_tutoring(activity):
        days = [slot[s].day for _, s in keys]
        for day in set(days):
            held_that_day = sum(
                1
                for slot_id, ks in seats.of[sid].items()
                if slot[slot_id].day == day
                for k in ks
                if rules.is_tutoring(scenario.activity_by_id[seats.meetings[k].activity_id])
            )
            if held_that_day + days.count(day) > rules.tutoring_per_day(scenario):
                return False
    return _care_left_keeps_min_size(scenario, seats, sid, keys)


def _care_left_keeps_min_size(scenario: Scenario, seats: _Seats, sid: str, keys: list[MeetingKey]) -> bool:
    """G5: a care meeting the student leaves keeps its minimum size (or empties and is not held)."""
    for _, slot_id in keys:
        for k in seats.at(sid, slot_id):
            m = seats.meetings[k]
            left = m.size - 1
            if 0 < left < scenario.activity_by_id[m.activity_id].min_size:
                return False
    return True


def _gives_way(scenario: Scenario, seats: _Seats, group_id: str, lottery: Mapping[str, int]) -> str | None:
    """The least lucky student without priority in every meeting of the group, holding no lock on it."""
    keys = seats.of_group[group_id]
    activity_id = seats.meetings[keys[0]].activity_id
    everywhere = set.intersection(*(set(seats.meetings[k].members) for k in keys))
    locked = {lock.student_id for lock in scenario.locks if lock.activity_id == activity_id}
    students = scenario.student_by_id
    ordinary = [
        s for s in everywhere if s in students and s not in locked and not rules.is_priority(scenario, students[s])
    ]
    return max(ordinary, key=lambda s: (lottery.get(s, 0), s)) if ordinary else None


def _swap(scenario: Scenario, seats: _Seats, sid: str, other: str, group_id: str) -> list[GaveWay]:
    """The priority student takes ``other``'s place at every meeting of the group; ``other`` takes
    the care seat the priority student leaves where it holds a classmate, else is left out."""
    student_of = scenario.student_by_id
    home = student_of[other].class_id
    out: list[GaveWay] = []
    for key in seats.of_group[group_id]:
        slot_id = key[1]
        care = sorted(seats.at(sid, slot_id))
        seats.move(key, other, sid)
        seated = False
        for k in care:
            seats.move(k, sid, None)
            beside = any(x in student_of and student_of[x].class_id == home for x in seats.meetings[k].members)
            if beside and _merging_kept(scenario, seats, other, k):
                seats.move(k, None, other)
                seated = True
        if not seated:
            out.append(GaveWay(other, slot_id, group_id, sid))
    return out


def _merging_kept(scenario: Scenario, seats: _Seats, joining: str, key: MeetingKey) -> bool:
    """G1, G3: the pupil joining the care meeting breaks no merging rule the slot kept before."""
    students = scenario.student_by_id
    care = [k for k in seats.of_slot.get(key[1], ()) if seats.meetings[k].kind == "care"]

    def groups(extra: str | None) -> list[list[Student]]:
        out = []
        for k in care:
            members = [*seats.meetings[k].members, *((extra,) if extra and k == key else ())]
            out.append([students[x] for x in members if x in students])
        return out

    return rules.merging_faults(scenario, groups(joining)) <= rules.merging_faults(scenario, groups(None))
