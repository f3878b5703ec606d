"""Place the students a re-solve must (re)place, by one small CP-SAT model (stage P).

Mobile students are joiners, students whose data changed, students of dropped groups, students
unplaced before, and (``fill_freed``) students who ranked a freed activity above what they have.
Everyone else stays where they are and only their places count against capacity.

A mobile student goes, at each service slot, into their class's class-activity group when the
class meets then, a group of a chosen activity, an existing care group with room, or a new care
group the model opens where a free room and a free adult allow — or is listed unplaced.

The model has the shape of :class:`~cluster_planner.solver.allocation.AllocationModel`:
variables; ``add_constraints()`` with one ``_add_<rule>`` per rule; objective terms by name,
minimised in this order (weights make the levels):

1. ``unplaced_priority`` (S2): a priority student-slot unplaced outweighs every other one;
2. ``unplaced`` (S1);
3. ``class_apart`` (S7): a student outside their class's care group while it has room;
4. disturbance of students who did not change themselves: ``lost_activity``, ``other_group``
   (another group of the same activity), ``other_care`` (another care group); a student who
   changed pays a tenth;
5. ``choices`` (S6, S2): the rank of a granted choice, less the cost of granting none;
6. ``away_from_class`` (S7): a student in an existing care group none of their classmates is in;
7. ``outside`` (T1): a new group led by an outside person; ``new_groups``; ``grade_distance``
   and ``load``.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ortools.sat.python import cp_model

from cluster_planner import rules
from cluster_planner.domain import Activity, Room, Staff, Student, Timeslot
from cluster_planner.midterm.state import Key, WorkingPlan
from cluster_planner.plan.meeting import Meeting, kind_of
from cluster_planner.solver.params import SolveSettings, StageResult, run_stage

T = TypeVar("T")

UNPLACED = 1_000_000
CLASS_APART = 100_000
LOSE_ACTIVITY = 10_000
OTHER_GROUP = 1_000
OTHER_CARE = 100
RANK = 10
NO_CHOICE, PRIORITY_NO_CHOICE = 12, 52  # rank steps a student given none of their choices costs (S2)
AWAY_FROM_CLASS = 10
NEW_GROUP = 200
OUTSIDE = 100
DISTANCE = 3
LOAD_CAP = 20
CARE_CANDIDATES = 4  # existing care groups offered to a student beside their class's and their own
SPARE_ROOMS, SPARE_ADULTS = 2, 3  # rooms and adults offered to new groups beyond one each

#: Why a student is unplaced at a slot (keys of :mod:`~cluster_planner.midterm.repair`'s words).
CLASS_FULL, NO_CARE, SPAN, FULL = "class_full", "no_care", "span", "full"


@dataclass(frozen=True)
class Mobile:
    """A student to place, and how much moving them away from ``before`` costs."""

    student_id: str
    before: dict[str, str]  # slot -> group id in the earlier plan
    settled: bool  # True: did not change themselves (moves weigh fully)


@dataclass(frozen=True)
class NewGroup:
    """A care group the model may open at a slot, with the rooms and adults it may take."""

    index: int
    group_id: str
    activity: Activity
    slot_id: str
    rooms: tuple[Room, ...]
    adults: tuple[Staff, ...]


@dataclass(frozen=True)
class Option:
    """Student ``student_id`` in group ``group_id`` at ``slots`` (``kind``: choice, class, care or new)."""

    student_id: str
    group_id: str
    slots: tuple[str, ...]
    kind: str
    new: int = -1  # index of the new group, for kind "new"


@dataclass(frozen=True)
class Placement:
    """Where each mobile student stands per slot (group id, or None with a reason), and new groups."""

    where: dict[tuple[str, str], str | None]
    reasons: dict[tuple[str, str], str]
    opened: tuple[Meeting, ...]
    stage: StageResult | None


class PlacementModel:
    """Stage P: the mobile students into existing groups or new care groups (see module docstring)."""

    def __init__(
        self,
        work: WorkingPlan,
        mobiles: list[Mobile],
        fill_freed: bool,
        away: frozenset[str] = frozenset(),
        closed: frozenset[str] = frozenset(),
    ) -> None:
        self.work = work
        self.sc = work.scenario
        self.mobiles = mobiles
        self.fill_freed = fill_freed
        self.away = away
        self.closed = closed
        self.model = cp_model.CpModel()
        self.x: dict[Option, cp_model.IntVar] = {}
        self.miss: dict[tuple[str, str], cp_model.IntVar] = {}
        self.reasons: dict[tuple[str, str], str] = {}
        self.new_groups: list[NewGroup] = []
        self.open: dict[int, cp_model.IntVar] = {}
        self.room: dict[tuple[int, str], cp_model.IntVar] = {}
        self.lead: dict[tuple[int, str], cp_model.IntVar] = {}
        self.cost: dict[str, list[cp_model.LinearExprT]] = defaultdict(list)
        self.constant: dict[str, int] = defaultdict(int)
        self._index()
        self._add_variables()

    # ---- what the students meet ---------------------------------------------------------------
    def _index(self) -> None:
        work, sc = self.work, self.sc
        self.by_group: dict[str, list[Meeting]] = defaultdict(list)
        self.groups_of: dict[str, set[str]] = defaultdict(set)  # activity -> group ids
        self.care_at: dict[tuple[str, str], list[Meeting]] = defaultdict(list)  # (activity, slot) -> meetings
        self.class_groups: dict[str, dict[str, set[str]]] = defaultdict(
            lambda: defaultdict(set)
        )  # class -> activity -> groups
        self.spare = {m.key: work.spare(m) for m in work.meetings.values()}
        self.classes = {m.key: {sc.student_by_id[s].class_id for s in m.members} for m in work.meetings.values()}
        self.grades = {m.key: {sc.grade_of(sc.student_by_id[s]) for s in m.members} for m in work.meetings.values()}
        for mob in self.mobiles:  # who did not change goes back: their class counts as there (S7)
            for t in mob.before:
                if self._keeps(mob, t):
                    self.classes[(mob.before[t], t)].add(sc.student_by_id[mob.student_id].class_id)
        for m in sorted(work.meetings.values(), key=lambda m: m.key):
            self.by_group[m.group_id].append(m)
            self.groups_of[m.activity_id].add(m.group_id)
            if m.kind == "care":
                self.care_at[(m.activity_id, m.slot_id)].append(m)
            elif m.kind == "class":
                for c in self.classes[m.key] | work.home_classes.get(m.group_id, frozenset()):
                    self.class_groups[c][m.activity_id].add(m.group_id)

    def _class_meets(self, student: Student) -> dict[str, list[str]]:
        """Class activity -> its groups for the student's class (S7: the class goes as a whole)."""
        return {aid: sorted(gids) for aid, gids in sorted(self.class_groups.get(student.class_id, {}).items())}

    # ---- variables ---------------------------------------------------------------------------
    def _var(self, option: Option) -> cp_model.IntVar:
        var = self.model.new_bool_var(f"{option.kind}_{option.student_id}_{option.group_id}")
        self.x[option] = var
        return var

    def _add_variables(self) -> None:
        demand: dict[tuple[str, str], list[str]] = defaultdict(list)  # (care activity, slot) -> students
        self.free: dict[str, list[str]] = {}
        for mob in self.mobiles:
            student = self.sc.student_by_id[mob.student_id]
            service = set(self.sc.service_slots.get(mob.student_id, ()))
            class_slots = self._class_options(student, service)
            free = sorted(service - class_slots, key=self.work.slot_order.__getitem__)
            self.free[mob.student_id] = free
            self._choice_options(mob, student, set(free))
            care = self.sc.care_activity_of_grade.get(self.sc.grade_of(student))
            for t in free:
                if care is not None and self._may_need_new_group(mob, t):
                    demand[(care.activity_id, t)].append(mob.student_id)
            for t in sorted(service, key=self.work.slot_order.__getitem__):
                self.miss[(mob.student_id, t)] = self.model.new_bool_var(f"miss_{mob.student_id}_{t}")
        self._new_group_variables(demand)
        for mob in self.mobiles:
            self._care_options(mob)

    def _class_options(self, student: Student, service: set[str]) -> set[str]:
        """Class-activity meetings of the student's class with room, one option per meeting (the
        student stands in the class's group at each slot it meets and has room: FORMAT.md, S7);
        returns the slots where the class meets (no care or choice there)."""
        slots: set[str] = set()
        for gids in self._class_meets(student).values():
            for gid in gids:
                mine = [m for m in self.by_group[gid] if m.slot_id in service]
                slots |= {m.slot_id for m in mine}
                for m in mine:
                    if self.spare[m.key] > 0:
                        self._var(Option(student.student_id, gid, (m.slot_id,), "class"))
        return slots

    def _choice_options(self, mob: Mobile, student: Student, free: set[str]) -> None:
        """Groups of the student's ranked choices (S4, S6) meeting only at free slots, with room."""
        sc, sid = self.sc, mob.student_id
        grade = sc.grade_of(student)
        weight = 1.0 if mob.settled else 0.1
        old_activity = {
            m.activity_id
            for t, g in mob.before.items()
            if (m := self.work.meetings.get((g, t))) is not None and m.kind == "choice"
        }
        old_rank = min((_rank_of(student, a) or 6 for a in old_activity), default=6)
        keep: list[cp_model.IntVar] = []
        seen: set[str] = set()
        no_choice = PRIORITY_NO_CHOICE if rules.is_priority(sc, student) else NO_CHOICE
        for rank, aid in student.choices:
            activity = sc.activity_by_id.get(aid)
            if activity is None or aid in seen or kind_of(activity) != "choice" or not activity.eligible(grade):
                continue
            seen.add(aid)
            for gid in sorted(self.groups_of.get(aid, ())):
                meetings = self.by_group[gid]
                if not {m.slot_id for m in meetings} <= free or any(self.spare[m.key] <= 0 for m in meetings):
                    continue
                var = self._var(Option(sid, gid, tuple(m.slot_id for m in meetings), "choice"))
                self.cost["choices"].append((RANK * rank - RANK * no_choice) * var)
                if old_activity and (aid in old_activity or (self.fill_freed and rank < old_rank)):
                    keep.append(var)
                    if aid in old_activity and gid not in set(mob.before.values()):
                        self.cost["other_group"].append(round(OTHER_GROUP * weight) * var)
        if old_activity:
            self.constant["lost_activity"] += round(LOSE_ACTIVITY * weight)
            self.cost["lost_activity"].append(-round(LOSE_ACTIVITY * weight) * sum(keep))

    def _care_options(self, mob: Mobile) -> None:
        """Existing care groups within the grade span with room (the class's, the student's own and the
        nearest few), and every new care group of the slot."""
        sc, sid = self.sc, mob.student_id
        student = sc.student_by_id[sid]
        grade = sc.grade_of(student)
        care = sc.care_activity_of_grade.get(grade)
        weight = 1.0 if mob.settled else 0.1
        for t in self.free[sid]:
            if care is None:
                self.reasons[(sid, t)] = NO_CARE
                continue
            self.reasons[(sid, t)] = FULL
            if self._keeps(mob, t):  # who did not change goes back to their care group (or is upgraded)
                offered = [self.work.meetings[(mob.before[t], t)]]
            else:
                roomy = [m for m in self.care_at.get((care.activity_id, t), []) if self.spare[m.key] > 0]
                fitting = [m for m in roomy if rules.grade_span_ok(sc, self.grades[m.key] | {grade})]
                if roomy and not fitting:
                    self.reasons[(sid, t)] = SPAN
                ranked = sorted(fitting, key=lambda m: self._closeness(m, student.class_id, grade))
                offered = [
                    m
                    for k, m in enumerate(ranked)
                    if k < CARE_CANDIDATES or student.class_id in self.classes[m.key] or mob.before.get(t) == m.group_id
                ]
            for m in offered:
                var = self._var(Option(sid, m.group_id, (t,), "care"))
                if t in mob.before and mob.before[t] != m.group_id:
                    self.cost["other_care"].append(round(OTHER_CARE * weight) * var)
                self.cost["grade_distance"].append(DISTANCE * self._closeness(m, student.class_id, grade)[1] * var)
            for g in self.new_groups if self._may_need_new_group(mob, t) else ():
                if g.slot_id == t and g.activity.activity_id == care.activity_id:
                    var = self._var(Option(sid, g.group_id, (t,), "new", g.index))
                    if t in mob.before:
                        self.cost["other_care"].append(round(OTHER_CARE * weight) * var)

    def _keeps(self, mob: Mobile, t: str) -> bool:
        """A student who did not change and whose earlier care group still meets at ``t`` with room."""
        m = self.work.meetings.get((mob.before.get(t, ""), t))
        return mob.settled and m is not None and m.kind == "care" and self.spare[m.key] > 0

    def _may_need_new_group(self, mob: Mobile, t: str) -> bool:
        """False for a student who did not change and whose earlier group still meets at ``t`` with
        room (an upgrade candidate): their way back is that group, not a new one."""
        m = self.work.meetings.get((mob.before.get(t, ""), t))
        return not (mob.settled and m is not None and self.spare[m.key] > 0)

    def _closeness(self, m: Meeting, class_id: str, grade: int) -> tuple[int, int, str]:
        """(0 if the student's class is in the care group, grade distance, id): nearer first (S7)."""
        distance = min((abs(g - grade) for g in self.grades[m.key]), default=0)
        return (0 if class_id in self.classes[m.key] else 1, distance, m.group_id)

    def _new_group_variables(self, demand: dict[tuple[str, str], list[str]]) -> None:
        """New care groups a slot may need, each choosing one free room and one free adult (R1, T2–T5)."""
        sc, work = self.sc, self.work
        for (care_id, t), students in sorted(demand.items()):
            activity = sc.activity_by_id[care_id]
            slot = sc.slot_by_id[t]
            one = max(1, rules.meeting_capacity(sc, activity, 1))
            grades = {sc.grade_of(sc.student_by_id[s]) for s in students}
            wanted = min(len(students), math.ceil(len(students) / one) + len(grades) - 1)
            rooms = self._free_rooms(activity, slot, wanted + SPARE_ROOMS)
            adults = self._free_adults(activity, slot, wanted + SPARE_ADULTS)
            k = min(wanted, len(rooms), len(adults))
            taken = work.past_ids | {m.group_id for m in work.meetings.values()}
            n = 0
            for _ in range(k):
                n += 1
                while (gid := f"{care_id}-N-{t}-{n}") in taken:
                    n += 1
                g = NewGroup(
                    len(self.new_groups),
                    gid,
                    activity,
                    t,
                    tuple(rooms[: k + SPARE_ROOMS]),
                    tuple(adults[: k + SPARE_ADULTS]),
                )
                self.new_groups.append(g)
                self.open[g.index] = self.model.new_bool_var(f"open_{gid}")
                for r in g.rooms:
                    self.room[(g.index, r.room_id)] = self.model.new_bool_var(f"room_{gid}_{r.room_id}")
                for p in g.adults:
                    self.lead[(g.index, p.staff_id)] = self.model.new_bool_var(f"lead_{gid}_{p.staff_id}")

    def _free_rooms(self, activity: Activity, slot: Timeslot, n: int) -> list[Room]:
        """Up to ``n`` open rooms where a new group of the activity fits at the slot (R1), the
        ones holding most first."""
        sc, one = self.sc, max(1, rules.meeting_capacity(self.sc, activity, 1))
        order = sorted(sc.rooms, key=lambda r: (-min(r.capacity, one), r.capacity, r.room_id))
        return _first(
            order,
            lambda r: (
                r.room_id not in self.closed
                and sc.room_available(r, slot)
                and rules.room_fits(r, activity, 1)
                and self.work.room_takes(r, slot.slot_id, 1)
            ),
            n,
        )

    def _free_adults(self, activity: Activity, slot: Timeslot, n: int) -> list[Staff]:
        """Up to ``n`` adults free to lead a new group of the activity at the slot (T2–T5): own
        teachers and leaders first (T1), the least loaded first."""
        work = self.work
        order = sorted(self.sc.staff, key=lambda p: (rules.is_outside(p), work.periods(p.staff_id)[0], p.staff_id))
        return _first(order, lambda p: p.staff_id not in self.away and work.may_take(p, activity, slot), n)

    # ---- queries ----------------------------------------------------------------------------
    def _into(self) -> dict[Key, list[cp_model.IntVar]]:
        """Existing meeting -> variables placing a student in it."""
        out: dict[Key, list[cp_model.IntVar]] = defaultdict(list)
        for o, v in self.x.items():
            if o.kind != "new":
                for t in o.slots:
                    out[(o.group_id, t)].append(v)
        return out

    def _into_new(self) -> dict[int, list[tuple[str, cp_model.IntVar]]]:
        out: dict[int, list[tuple[str, cp_model.IntVar]]] = defaultdict(list)
        for o, v in self.x.items():
            if o.kind == "new":
                out[o.new].append((o.student_id, v))
        return out

    def _covering(self) -> dict[tuple[str, str], list[tuple[Option, cp_model.IntVar]]]:
        out: dict[tuple[str, str], list[tuple[Option, cp_model.IntVar]]] = defaultdict(list)
        for o, v in self.x.items():
            for t in o.slots:
                out[(o.student_id, t)].append((o, v))
        return out

    # ---- constraints -------------------------------------------------------------------------
    def add_constraints(self) -> None:
        self._add_s1_one_place()
        self._add_activities_per_student()
        self._add_s5_tutoring_per_day()
        self._add_g4_capacity()
        self._add_r1_rooms()
        self._add_g3_grade_span()
        self._add_s7_class_together()
        self._add_t4_new_groups()
        self._add_t5_new_group_adults()

    def _add_s1_one_place(self) -> None:
        """S1 ∧ S3: at each service slot the student is in exactly one group, or unplaced."""
        covering = self._covering()
        for (sid, t), gap in self.miss.items():
            self.model.add(sum(v for _o, v in covering.get((sid, t), ())) + gap == 1)

    def _add_activities_per_student(self) -> None:
        """S6: at most ``activities_per_student`` chosen activities, each once; one group per class activity."""
        chosen: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        per_activity: dict[tuple[str, ...], list[cp_model.IntVar]] = defaultdict(list)
        for o, v in self.x.items():
            if o.kind in ("choice", "class"):  # a class-activity option is one meeting: one group per slot
                at = o.slots if o.kind == "class" else ()
                per_activity[(o.student_id, self.by_group[o.group_id][0].activity_id, *at)].append(v)
            if o.kind == "choice":
                chosen[o.student_id].append(v)
        limit = rules.activities_per_student(self.sc)
        for vs in chosen.values():
            if len(vs) > limit:
                self.model.add(sum(vs) <= limit)
        for vs in per_activity.values():
            if len(vs) > 1:
                self.model.add_at_most_one(vs)

    def _add_s5_tutoring_per_day(self) -> None:
        """S5: tutoring meetings a day, class-mode and chosen alike, within the limit."""
        limit = rules.tutoring_per_day(self.sc)
        per_day: dict[tuple[str, str], list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
        for o, v in self.x.items():
            if o.kind not in ("choice", "class"):
                continue
            if not rules.is_tutoring(self.sc.activity_by_id[self.by_group[o.group_id][0].activity_id]):
                continue
            days: dict[str, int] = defaultdict(int)
            for t in o.slots:
                days[self.sc.slot_by_id[t].day.value] += 1
            for day, n in days.items():
                per_day[(o.student_id, day)].append((n, v))
        for terms in per_day.values():
            if sum(n for n, _ in terms) > limit:
                self.model.add(sum(n * v for n, v in terms) <= limit)

    def _add_g4_capacity(self) -> None:
        """G4 ∧ T4 ∧ R1: an existing meeting takes at most its spare places; a new group at most what
        its room and its one adult hold, and only if it opens."""
        for key, vs in self._into().items():
            self.model.add(sum(vs) <= self.spare[key])
        members = self._into_new()
        for g in self.new_groups:
            size = sum(v for _s, v in members.get(g.index, ()))
            room_cap = [
                rules.meeting_capacity(self.sc, g.activity, 1, (r,)) * self.room[(g.index, r.room_id)] for r in g.rooms
            ]
            self.model.add(size <= sum(room_cap))
            self.model.add(size >= self.open[g.index])

    def _add_r1_rooms(self) -> None:
        """R1: at every instant a room holds at most ``max_groups`` groups, sharing its capacity."""
        work = self.work
        into = self._into()
        members = self._into_new()
        for room in sorted(self.sc.rooms, key=lambda r: r.room_id):
            new = [g for g in self.new_groups if (g.index, room.room_id) in self.room]
            shared = room.max_groups > 1
            added = [
                (m.slot_id, v)
                for m in work.meetings.values()
                if shared and room.room_id in (m.room_id, m.rain_room_id)
                for v in into.get(m.key, ())
            ]
            if not new and not added:
                continue
            sizes: dict[int, cp_model.IntVar] = {}
            for g in new:
                if shared:
                    z = self.model.new_int_var(0, room.capacity, f"z_{g.group_id}_{room.room_id}")
                    total = sum(v for _s, v in members.get(g.index, ()))
                    self.model.add(z >= total - room.capacity * (1 - self.room[(g.index, room.room_id)]))
                    sizes[g.index] = z
            for together in work.simultaneous:
                here = [g for g in new if g.slot_id in together]
                fixed = work.room_sizes(room.room_id, together)
                if here:
                    self.model.add(
                        sum(self.room[(g.index, room.room_id)] for g in here) <= room.max_groups - len(fixed)
                    )
                if shared:
                    load = [v for s, v in added if s in together] + [sizes[g.index] for g in here]
                    if load:
                        self.model.add(sum(load) <= room.capacity - sum(fixed))

    def _add_g3_grade_span(self) -> None:
        """G3: the grades of a care group, old and new members, lie at most ``max_grade_span`` apart."""
        groups: dict[object, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
        for o, v in self.x.items():
            if o.kind in ("care", "new"):
                target = o.new if o.kind == "new" else (o.group_id, o.slots[0])
                groups[target].append((self.sc.grade_of(self.sc.student_by_id[o.student_id]), v))
        for target, terms in groups.items():
            grades = sorted({g for g, _ in terms})
            clash = [
                (a, b)
                for i, a in enumerate(grades)
                for b in grades[i + 1 :]
                if not rules.grade_span_ok(self.sc, (a, b))
            ]
            if not clash:
                continue
            present = {g: self.model.new_bool_var(f"grade_{target}_{g}") for g in grades}
            for g, v in terms:
                self.model.add_implication(v, present[g])
            for a, b in clash:
                self.model.add_bool_or([present[a].Not(), present[b].Not()])

    def _add_s7_class_together(self) -> None:
        """S7: a student at a care slot joins a care group holding classmates while one has room
        (``class_apart`` counts the exceptions); a care group without classmates costs ``away_from_class``."""
        sc = self.sc
        into = self._into()
        covering = self._covering()
        full: dict[Key, cp_model.IntVar] = {}
        homes_of: dict[tuple[str, str, str], list[Meeting]] = defaultdict(list)  # (care, slot, class) -> groups
        for (care_id, t), meetings in self.care_at.items():
            for m in meetings:
                for class_id in self.classes[m.key]:
                    homes_of[(care_id, t, class_id)].append(m)
        for mob in self.mobiles:
            sid = mob.student_id
            student = sc.student_by_id[sid]
            care = sc.care_activity_of_grade.get(sc.grade_of(student))
            for t in self.free[sid]:
                homes = homes_of.get((care.activity_id, t, student.class_id), []) if care else []
                if not homes or self._keeps(mob, t):
                    continue
                keys = {m.key for m in homes}
                elsewhere = [v for o, v in covering.get((sid, t), ()) if o.kind == "choice"]
                at_home = [v for o, v in covering.get((sid, t), ()) if o.kind == "care" and (o.group_id, t) in keys]
                apart = self.model.new_bool_var(f"apart_{sid}_{t}")
                self.cost["class_apart"].append(CLASS_APART * apart)
                for m in homes:
                    if m.key not in full:
                        full[m.key] = self.model.new_bool_var(f"full_{m.group_id}_{t}")
                        self.model.add(sum(into.get(m.key, ())) >= self.spare[m.key]).only_enforce_if(full[m.key])
                    self.model.add_bool_or([*at_home, *elsewhere, full[m.key], apart])
        # A student in an existing care group none of their classmates is in costs ``away_from_class``
        # (linear: a count per class and group made larger re-solves run into their time limit); a
        # class with no group of its own thus goes into a new group of its own once it is large
        # enough to outweigh opening one.
        for o, v in self.x.items():
            if (
                o.kind == "care"
                and sc.student_by_id[o.student_id].class_id not in self.classes[(o.group_id, o.slots[0])]
            ):
                self.cost["away_from_class"].append(AWAY_FROM_CLASS * v)

    def _add_t4_new_groups(self) -> None:
        """T4 ∧ R1: a new group that opens has one room and one adult; new groups of a slot open in order."""
        by_slot: dict[tuple[str, str], list[NewGroup]] = defaultdict(list)
        for g in self.new_groups:
            rooms = [self.room[(g.index, r.room_id)] for r in g.rooms]
            adults = [self.lead[(g.index, p.staff_id)] for p in g.adults]
            self.model.add(sum(rooms) == self.open[g.index])
            self.model.add(sum(adults) == self.open[g.index])
            by_slot[(g.activity.activity_id, g.slot_id)].append(g)
        for groups in by_slot.values():  # interchangeable: open the first ones
            for a, b in itertools.pairwise(groups):
                self.model.add(self.open[a.index] >= self.open[b.index])

    def _add_t5_new_group_adults(self) -> None:
        """T5: an adult leads at most one new group at once, within their periods a day and a week."""
        uses: dict[str, list[tuple[NewGroup, cp_model.IntVar]]] = defaultdict(list)
        for (i, pid), v in self.lead.items():
            uses[pid].append((self.new_groups[i], v))
        person = self.sc.staff_by_id
        for pid, items in uses.items():
            for together in self.work.simultaneous:
                at_once = [v for g, v in items if g.slot_id in together]
                if len(at_once) > 1:
                    self.model.add(sum(at_once) <= 1)
            by_day: dict[str, list[tuple[float, cp_model.IntVar]]] = defaultdict(list)
            for g, v in items:
                slot = self.sc.slot_by_id[g.slot_id]
                by_day[slot.day.value].append((slot.periods, v))
            week_left = self.work.hours_left(person[pid], "")[0]
            if week_left is not None:
                terms = [t for ts in by_day.values() for t in ts]
                self.model.add(sum(round(p * 100) * v for p, v in terms) <= max(0, round(week_left * 100)))
            for day, terms in by_day.items():
                day_left = self.work.hours_left(person[pid], day)[1]
                if day_left is not None:
                    self.model.add(sum(round(p * 100) * v for p, v in terms) <= max(0, round(day_left * 100)))

    # ---- objective ---------------------------------------------------------------------------
    def objective_terms(self) -> dict[str, cp_model.LinearExprT]:
        """Named terms, the office's order (module docstring)."""
        sc = self.sc
        n = len(self.miss)
        priority = {m.student_id for m in self.mobiles if rules.is_priority(sc, sc.student_by_id[m.student_id])}
        self.cost["unplaced_priority"] = [UNPLACED * (n + 1) * v for (s, _t), v in self.miss.items() if s in priority]
        self.cost["unplaced"] = [UNPLACED * v for (s, _t), v in self.miss.items() if s not in priority]
        person = sc.staff_by_id
        self.cost["outside"] = [OUTSIDE * v for (_i, p), v in self.lead.items() if rules.is_outside(person[p])]
        self.cost["new_groups"] = [NEW_GROUP * v for v in self.open.values()]
        self.cost["load"] = [min(int(self.work.periods(p)[0]), LOAD_CAP) * v for (_i, p), v in self.lead.items()]
        term = self._term
        return {
            "unplaced_priority": term("unplaced_priority"),
            "unplaced": term("unplaced"),
            "class_apart": term("class_apart"),
            "lost_activity": term("lost_activity"),
            "other_group": term("other_group"),
            "other_care": term("other_care"),
            "choices": term("choices"),
            "away_from_class": term("away_from_class"),
            "outside": term("outside"),
            "new_groups": term("new_groups"),
            "grade_distance": term("grade_distance"),
            "load": term("load"),
        }

    def _term(self, name: str) -> cp_model.LinearExprT:
        """One objective term: its costs and its constant part."""
        return sum(self.cost.get(name, [])) + self.constant.get(name, 0)

    def _hint_earlier_places(self) -> None:
        """Hint (partially) that students who did not change go back where they were."""
        before = {(m.student_id, g) for m in self.mobiles if m.settled for g in m.before.values()}
        for o, v in self.x.items():
            if (o.student_id, o.group_id) in before:
                self.model.add_hint(v, 1)

    def solve(self, settings: SolveSettings) -> Placement:
        """Solve; where nothing could be solved in time, every mobile student is unplaced."""
        self.add_constraints()
        self.model.minimize(sum(self.objective_terms().values()))
        self._hint_earlier_places()
        solver, stage = run_stage("P placement", self.model, settings, settings.time_limit, deterministic_limit=10.0)
        solved = stage.objective is not None
        where: dict[tuple[str, str], str | None] = {k: None for k in self.miss}
        members: dict[int, list[str]] = defaultdict(list)
        if not solved:
            where.update(self._greedy(settings.seed))
        if solved:
            for o, v in self.x.items():
                if solver.value(v):
                    for t in o.slots:
                        where[(o.student_id, t)] = o.group_id
                    if o.kind == "new":
                        members[o.new].append(o.student_id)
        opened = []
        for g in self.new_groups:
            if not solved or not solver.value(self.open[g.index]):
                continue
            room = next(r.room_id for r in g.rooms if solver.value(self.room[(g.index, r.room_id)]))
            adult = next(p.staff_id for p in g.adults if solver.value(self.lead[(g.index, p.staff_id)]))
            opened.append(
                Meeting(
                    g.group_id,
                    g.activity.activity_id,
                    g.slot_id,
                    tuple(sorted(members[g.index])),
                    "care",
                    room,
                    "",
                    (adult,),
                )
            )
        reasons = {
            k: (CLASS_FULL if k[1] not in self.free[k[0]] else self.reasons.get(k, FULL))
            for k, g in where.items()
            if g is None
        }
        return Placement(where, reasons, tuple(opened), stage)

    def _greedy(self, seed: int) -> dict[tuple[str, str], str]:
        """Where CP-SAT found nothing in time: priority students first (S2), then by the seeded
        lottery (S6), each into their class's group, back into their own group, or into the
        nearest care group offered (their class's first: S7) that has a place left and keeps the
        grade span (G3, G4). Groups in rooms shared by several groups are left alone (R1 would need
        the whole room's load); no new group opens."""
        sc = self.sc
        lottery = rules.scenario_lottery(sc, seed)
        first = sorted(
            self.mobiles,
            key=lambda m: (not rules.is_priority(sc, sc.student_by_id[m.student_id]), lottery[m.student_id]),
        )
        by_student: dict[str, list[Option]] = defaultdict(list)
        for o in self.x:
            if o.kind != "new":
                by_student[o.student_id].append(o)
        meeting = self.work.meetings
        taken: dict[Key, int] = defaultdict(int)
        grades = {k: set(g) for k, g in self.grades.items()}
        out: dict[tuple[str, str], str] = {}

        def fits(o: Option, grade: int) -> bool:
            keys = [(o.group_id, t) for t in o.slots]
            if any((o.student_id, t) in out for t in o.slots) or any(k not in meeting for k in keys):
                return False
            for k in keys:
                shared = any(r.max_groups > 1 for r in self.work.rooms_of(meeting[k]))
                if shared or taken[k] >= self.spare[k]:
                    return False
                if meeting[k].kind == "care" and not rules.grade_span_ok(sc, grades[k] | {grade}):
                    return False
            return True

        for mob in first:
            grade = sc.grade_of(sc.student_by_id[mob.student_id])
            options = by_student.get(mob.student_id, [])
            back = [o for o in options if all(mob.before.get(t) == o.group_id for t in o.slots)]
            for o in [*(o for o in options if o.kind == "class"), *back, *(o for o in options if o.kind == "care")]:
                if (o.kind == "choice" and o not in back) or not fits(o, grade):
                    continue
                for t in o.slots:
                    out[(mob.student_id, t)] = o.group_id
                    taken[(o.group_id, t)] += 1
                    grades[(o.group_id, t)].add(grade)
        return out


def _first(items: list[T], keep: Callable[[T], bool], n: int) -> list[T]:
    """The first ``n`` of ``items`` that ``keep`` accepts (in order)."""
    out: list[T] = []
    for item in items:
        if len(out) >= n:
            break
        if keep(item):
            out.append(item)
    return out


def _rank_of(student: Student, activity_id: str) -> int | None:
    return next((r for r, a in student.choices if a == activity_id), None)


def place(
    work: WorkingPlan,
    mobiles: list[Mobile],
    fill_freed: bool,
    settings: SolveSettings,
    away: frozenset[str] = frozenset(),
    closed: frozenset[str] = frozenset(),
) -> Placement:
    """Place ``mobiles`` (their earlier places already removed from ``work``); see :class:`PlacementModel`."""
    if not mobiles:
        return Placement({}, {}, (), None)
    return PlacementModel(work, mobiles, fill_freed, away, closed).solve(settings)
