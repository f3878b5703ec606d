"""The explanation model's units: students, rooms and adults alike for every rule, counted together.

Students of one grade, service slots and locks form a :class:`Cell`; rooms of one type,
size and availability a :class:`RoomPool`; adults of one kind, clearance, activities they
are qualified for, availability and limits a :class:`StaffPool`. Who is alike is asked of
the rule book (:mod:`cluster_planner.rules`), never worked out here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from cluster_planner.domain import Activity, ActivityMode, DutyPost, HomeClass, Room, Scenario, Staff
from cluster_planner.rules import (
    activities_per_student,
    available_at,
    day_limit,
    is_cleared,
    is_priority,
    may_hold_duty,
    qualified_for,
    week_limit,
)

Option = tuple[str, int]  # (activity, pattern index)


@dataclass
class Cell:
    """Students alike for every rule: same grade, service slots and locked activities."""

    grade: int
    slots: frozenset[str]
    locked: frozenset[str]
    members: list[str] = field(default_factory=list)
    priority: int = 0
    weekly: int = 0  # Σ over members of min(activities_per_student, activities they may take)
    per_option: dict[Option, int] = field(default_factory=lambda: defaultdict(int))
    per_activity: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    first: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # activity -> members ranking it 1st
    per_class: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lock_missing: set[str] = field(default_factory=set)  # locked activities some member has no option for

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class StaffPool:
    """Adults alike for every rule; ``subject`` names the pool in rules."""

    people: tuple[Staff, ...]
    slots: frozenset[str]  # T5: slots they are available at
    leads: frozenset[str]  # T3: activities they are qualified for (T2 is a rule of its own)
    posts: frozenset[int]  # T6: duty posts (by index) they may hold, were they cleared

    @property
    def size(self) -> int:
        return len(self.people)

    @property
    def subject(self) -> str:
        return " ".join(p.staff_id for p in self.people)

    @property
    def first(self) -> Staff:
        return self.people[0]

    @property
    def all_cleared(self) -> bool:
        """T2 (every member alike: an uncleared adult is a pool of one)."""
        return is_cleared(self.first)


@dataclass(frozen=True)
class RoomPool:
    """Rooms alike for every rule: type, indoor/outdoor, capacity, groups at once, availability."""

    rooms: tuple[Room, ...]
    slots: frozenset[str]

    @property
    def size(self) -> int:
        return len(self.rooms)

    @property
    def first(self) -> Room:
        return self.rooms[0]

    @property
    def subject(self) -> str:
        return " ".join(r.room_id for r in self.rooms)


def make_cells(
    scenario: Scenario, activities: Mapping[str, Activity], patterns: Mapping[str, Sequence[tuple[str, ...]]]
) -> list[Cell]:
    """Approved students by (grade, service slots, locks), with their options counted (S4, H4, S6)."""
    weekly = activities_per_student(scenario)
    locks: dict[str, set[str]] = defaultdict(set)
    for lock in scenario.locks:
        locks[lock.student_id].add(lock.activity_id)
    cells: dict[tuple[int, frozenset[str], frozenset[str]], Cell] = {}
    for s in scenario.approved_students:
        sid, grade = s.student_id, scenario.grade_of(s)
        slots = frozenset(scenario.service_slots[sid])
        locked = frozenset(locks.get(sid, ()))
        cell = cells.setdefault((grade, slots, locked), Cell(grade, slots, locked))
        cell.members.append(sid)
        cell.priority += is_priority(scenario, s)
        cell.per_class[s.class_id] += 1
        seen: set[str] = set()
        for rank, aid in s.choices:
            a = activities.get(aid)
            if a is None or a.mode != ActivityMode.CHOICE or aid in seen or not a.eligible(grade):
                continue
            fits = [k for k, p in enumerate(patterns[aid]) if set(p) <= slots]
            if not fits:
                continue
            seen.add(aid)
            cell.per_activity[aid] += 1
            cell.first[aid] += rank == 1
            for k in fits:
                cell.per_option[(aid, k)] += 1
        cell.weekly += min(weekly, len(seen))
        cell.lock_missing |= locked - seen
    return [cells[key] for key in sorted(cells, key=lambda k: (k[0], sorted(k[1]), sorted(k[2])))]


def classes_taking(scenario: Scenario, activity: Activity) -> tuple[HomeClass, ...]:
    """Home classes that take a class activity: an eligible grade, with approved students."""
    members = scenario.students_by_class
    return tuple(
        c
        for c in sorted(scenario.classes, key=lambda c: c.class_id)
        if activity.eligible(c.grade) and members.get(c.class_id)
    )


def _as_cleared(person: Staff) -> Staff:
    """The person were T2 met: the model asks what they could do, and T2 forbids it on its own literal."""
    return person if is_cleared(person) else person.model_copy(update={"background_check": True})


def staff_pools(scenario: Scenario, activities: Mapping[str, Activity], posts: Sequence[DutyPost]) -> list[StaffPool]:
    """Adults by kind, clearance (the uncleared one by one), qualification, availability, posts and limits."""
    slots = scenario.sorted_slots
    groups: dict[tuple, list[Staff]] = defaultdict(list)
    shape: dict[tuple, tuple[frozenset[str], frozenset[str], frozenset[int]]] = {}
    for p in sorted(scenario.staff, key=lambda p: p.staff_id):
        free = frozenset(s.slot_id for s in slots if available_at(p, s))
        leads = frozenset(aid for aid, a in activities.items() if qualified_for(p, a))
        holds = frozenset(j for j, post in enumerate(posts) if may_hold_duty(_as_cleared(p), post, slots))
        cleared = is_cleared(p)
        key = (
            p.kind.value,
            cleared,
            "" if cleared else p.staff_id,
            tuple(sorted(free)),
            tuple(sorted(leads)),
            tuple(sorted(holds)),
            week_limit(p),
            day_limit(p),
        )
        groups[key].append(p)
        shape[key] = (free, leads, holds)
    pools = [StaffPool(tuple(people), *shape[key]) for key, people in groups.items()]
    return sorted(pools, key=lambda pool: pool.first.staff_id)


def room_pools(scenario: Scenario) -> list[RoomPool]:
    """Rooms by type, indoor/outdoor, capacity, groups at once and availability."""
    groups: dict[tuple, list[Room]] = defaultdict(list)
    shape: dict[tuple, frozenset[str]] = {}
    for r in sorted(scenario.rooms, key=lambda r: r.room_id):
        free = frozenset(s.slot_id for s in scenario.sorted_slots if scenario.room_available(r, s))
        key = (r.type, r.outdoor, r.capacity, r.max_groups, tuple(sorted(free)))
        groups[key].append(r)
        shape[key] = free
    pools = [RoomPool(tuple(rooms), shape[key]) for key, rooms in groups.items()]
    return sorted(pools, key=lambda pool: pool.first.room_id)
