"""An aggregate feasibility model of the hard rules, one assumption literal per rule instance.

Counts, not individuals (:mod:`.pools`): a cell of alike students has an integer count per
(activity, pattern); a pool of alike rooms or adults an integer count per use. Every
constraint on a cell or pool is the sum of its members' constraints, so the model is a
*relaxation* of the planner (every real plan gives a solution) and a set of rules it finds
infeasible together is a true cause. With :class:`Additions`, the solver may also buy
resources (``explain --suggest``).

The model has the planner's shape: variables (:meth:`FeasibilityModel._add_variables`),
then :meth:`FeasibilityModel.add_constraints` calling one ``_add_<rule>`` per rule, then
objective terms by name (:meth:`FeasibilityModel.objective_terms`). What a rule *is* (who
may lead, adults needed, weekly patterns, slots at once, priority…) comes from the rule
book, :mod:`cluster_planner.rules`; this module only sums it over cells and pools.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from cluster_planner.domain import Activity, ActivityKind, ActivityMode, Scenario
from cluster_planner.plan.figures import weeks_by_day
from cluster_planner.rules import (
    GROUP_LEADING_KINDS,
    activities_per_student,
    adults_needed,
    available_at,
    class_parts,
    day_limit,
    group_cap,
    is_cleared,
    qualified_for,
    rain_room_fits,
    ratio,
    room_fits,
    simultaneous_sets,
    week_limit,
    weekly_patterns,
)

from .instances import Family, Rule, activity_name, grades_text, kind_word, names_text, room_name, staff_name
from .pools import Cell, Option, RoomPool, StaffPool, classes_taking, make_cells, room_pools, staff_pools

PERIOD_SCALE = 100
RAISE_STEP = 5  # ``raise_cap`` adds this many places to each group of an activity
MAX_EXTRA_GROUPS = 3
MAX_HIRES = 5
BIG = 10_000  # loose bound of a count variable (groups, adults, rooms at a slot)
AnyExpr = cp_model.LinearExprT
Key = tuple[str, str]  # (slot, activity or care band)

__all__ = ["Additions", "Cell", "FeasibilityModel", "RoomPool", "StaffPool"]


@dataclass
class Additions:
    """Resources ``--suggest`` may add, with their variables and costs (yuan a term)."""

    hires: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)  # (skill, day)
    duty_hires: dict[int, cp_model.IntVar] = field(default_factory=dict)  # post index
    rooms: dict[tuple[str, bool], cp_model.IntVar] = field(default_factory=dict)  # (type, outdoor)
    raise_cap: dict[str, cp_model.IntVar] = field(default_factory=dict)  # activity
    extra_groups: dict[str, cp_model.IntVar] = field(default_factory=dict)  # activity
    cost: dict[str, int] = field(default_factory=dict)  # variable name -> cost of one unit

    def variables(self) -> list[cp_model.IntVar]:
        return [
            *self.hires.values(),
            *self.duty_hires.values(),
            *self.rooms.values(),
            *self.raise_cap.values(),
            *self.extra_groups.values(),
        ]


class FeasibilityModel:
    """The hard rules of a scenario in aggregate, each rule instance behind a literal."""

    def __init__(self, scenario: Scenario, suggest: bool = False) -> None:
        self.scenario = scenario
        self.model = cp_model.CpModel()
        self.rules: dict[int, Rule] = {}  # literal index -> rule
        self.literal: dict[Rule, cp_model.IntVar] = {}
        self.add = Additions() if suggest else None
        self.slots = scenario.sorted_slots
        self.at_once = simultaneous_sets(self.slots)  # S3/T5/R1: slots in progress at one instant
        self.per_adult = ratio(scenario)  # T4: students per adult
        # Activities planned by pattern (care in choice mode is planned per slot instead) and
        # their weekly patterns, in the planner's order (H4).
        self.activity_of: dict[str, Activity] = {
            a.activity_id: a
            for a in sorted(scenario.activities, key=lambda a: a.activity_id)
            if a.kind != ActivityKind.CARE or a.mode == ActivityMode.CLASS
        }
        self.patterns = {aid: weekly_patterns(scenario, a) for aid, a in self.activity_of.items()}
        self.posts = sorted(scenario.duties, key=lambda p: (p.day.index, p.slot_id or "", p.post, p.kind.value))
        self.cells: list[Cell] = make_cells(scenario, self.activity_of, self.patterns)
        self.room_pools: list[RoomPool] = room_pools(scenario)
        self._add_variables()
        self.add_constraints()

    # ---- assumptions ------------------------------------------------------------------
    def _assume(self, family: Family, subject: str, **params: object) -> cp_model.IntVar:
        rule = Rule(family, subject, tuple(params.items()))
        if rule in self.literal:
            return self.literal[rule]
        lit = self.model.new_bool_var(f"rule|{family.name}|{subject}")
        self.rules[lit.index] = rule
        self.literal[rule] = lit
        return lit

    def _cost(self, var: cp_model.IntVar, cost: float) -> None:
        assert self.add is not None
        self.add.cost[var.name] = round(cost)

    # ---- variables --------------------------------------------------------------------
    def _add_variables(self) -> None:
        """In order of dependence: students' options, groups of chosen activities, class
        activities' patterns, care, adults needed and leading, rooms; then what ``--suggest``
        may buy. Each fills ``groups_at``/``students_at``/``adults_at`` for the ones after it."""
        self.groups_at: dict[Key, list[AnyExpr]] = defaultdict(list)
        self.students_at: dict[Key, list[AnyExpr]] = defaultdict(list)
        self.adults_at: dict[Key, list[AnyExpr]] = defaultdict(list)  # class activities: adults fixed per class
        self.hired: dict[Key, list[cp_model.IntVar]] = defaultdict(list)  # (slot, activity) -> hired adults leading
        self._add_option_variables()
        self._add_group_variables()
        self._add_class_variables()
        self._add_care_variables()
        self._add_adult_variables()
        self._add_room_variables()
        if self.add is not None:
            self._add_resource_variables()

    def _add_option_variables(self) -> None:
        """x[cell, activity, pattern]: students of a cell granted a chosen activity on a pattern."""
        m = self.model
        self.x: dict[tuple[int, str, int], cp_model.IntVar] = {}
        self.options_of: dict[int, list[Option]] = {}
        first: list[AnyExpr] = []
        for i, cell in enumerate(self.cells):
            self.options_of[i] = sorted(cell.per_option)
            for aid, k in self.options_of[i]:
                self.x[(i, aid, k)] = m.new_int_var(0, cell.per_option[(aid, k)], f"x|{i}|{aid}|{k}")
            if self.add is not None:  # definition: students given their first choice (suggest's measure)
                for aid, options in itertools.groupby(self.options_of[i], key=lambda o: o[0]):
                    if cell.first[aid]:
                        f = m.new_int_var(0, cell.first[aid], f"first|{i}|{aid}")
                        m.add(f <= sum(self.x[(i, aid, k)] for _, k in options))
                        first.append(f)
        self.first_choice: AnyExpr = sum(first)

    def _add_group_variables(self) -> None:
        """n[activity, pattern]: groups of a chosen activity; a pattern's students are in its groups."""
        m = self.model
        self.by_pattern: dict[Option, list[cp_model.IntVar]] = defaultdict(list)
        most: dict[Option, int] = defaultdict(int)
        for (i, aid, k), v in self.x.items():
            self.by_pattern[(aid, k)].append(v)
            most[(aid, k)] += self.cells[i].per_option[(aid, k)]
        self.most = most
        self.n: dict[Option, cp_model.IntVar] = {}
        for key, lits in sorted(self.by_pattern.items()):
            aid, k = key
            self.n[key] = n = m.new_int_var(0, most[key], f"n|{aid}|{k}")
            m.add(sum(lits) <= most[key] * n)  # definition: students of a pattern are in one of its groups
            for slot_id in self.patterns[aid][k]:
                self.groups_at[(slot_id, aid)].append(n)
                self.students_at[(slot_id, aid)].append(sum(lits))

    def _add_class_variables(self) -> None:
        """z[activity, class, pattern]: a class takes its class activity on that pattern, in balanced parts."""
        m, sc = self.model, self.scenario
        self.z: dict[tuple[str, str, int], cp_model.IntVar] = {}
        self.class_activity_classes: dict[str, tuple[str, ...]] = {}
        for aid, a in sorted(self.activity_of.items()):
            if a.mode != ActivityMode.CLASS or not self.patterns[aid]:
                continue
            classes = classes_taking(sc, a)
            if not classes:
                continue
            self.class_activity_classes[aid] = tuple(c.class_id for c in classes)
            for c in classes:
                members = len(sc.students_by_class[c.class_id])
                parts = class_parts(sc, a, members)  # G4
                adults = sum(adults_needed(size, self.per_adult) for size in parts)  # T4
                for k, p in enumerate(self.patterns[aid]):
                    z = self.z[(aid, c.class_id, k)] = m.new_bool_var(f"z|{aid}|{c.class_id}|{k}")
                    for slot_id in p:
                        self.groups_at[(slot_id, aid)].append(len(parts) * z)
                        self.students_at[(slot_id, aid)].append(members * z)
                        self.adults_at[(slot_id, aid)].append(adults * z)

    def _add_care_variables(self) -> None:
        """Per (slot, care band): students needing care there, unplaced, and care groups."""
        m, sc = self.model, self.scenario
        self.care_count: dict[Key, int] = defaultdict(int)
        self.care_priority: dict[Key, int] = defaultdict(int)
        self.care_grades: dict[Key, set[int]] = defaultdict(set)
        away: dict[Key, list[AnyExpr]] = defaultdict(list)
        z_of_class: dict[str, list[tuple[str, int, cp_model.IntVar]]] = defaultdict(list)
        for (aid, cid, k), z in self.z.items():
            z_of_class[cid].append((aid, k, z))
        for i, cell in enumerate(self.cells):
            care = sc.care_activity_of_grade.get(cell.grade)
            band = care.activity_id if care else f"grade{cell.grade}"
            for slot_id in cell.slots:
                key = (slot_id, band)
                self.care_count[key] += cell.size
                self.care_priority[key] += cell.priority
                self.care_grades[key].add(cell.grade)
                away[key] += [self.x[(i, aid, k)] for aid, k in self.options_of[i] if slot_id in self.patterns[aid][k]]
                away[key] += [
                    n * z
                    for cid, n in sorted(cell.per_class.items())
                    for aid, k, z in z_of_class.get(cid, [])
                    if slot_id in self.patterns[aid][k]
                ]
        self.unplaced: dict[Key, cp_model.IntVar] = {}
        self.care_need: dict[Key, AnyExpr] = {}
        self.care_groups: dict[Key, cp_model.IntVar] = {}
        for key in sorted(self.care_count):
            slot_id, band = key
            count = self.care_count[key]
            need = self.care_need[key] = count - sum(away[key])
            lost = self.unplaced[key] = m.new_int_var(0, count, f"unplaced|{slot_id}|{band}")
            m.add(lost <= need)  # definition: the unplaced are among those needing care
            care = sc.activity_by_id.get(band)
            if care is None:
                m.add(lost == need)  # no care activity covers these grades
                continue
            self.activity_of[band] = care
            g = self.care_groups[key] = m.new_int_var(0, count, f"careG|{slot_id}|{band}")
            m.add(need - lost <= count * g)  # definition: students in care are in care groups
            self.groups_at[key].append(g)
            self.students_at[key].append(need - lost)

    def _add_adult_variables(self) -> None:
        """u[slot, activity]: adults its groups need; w/d: a staff pool's adults leading groups or holding posts."""
        m = self.model
        self.adults: dict[Key, AnyExpr] = {}
        for key in sorted(self.groups_at):
            if self.adults_at.get(key):
                self.adults[key] = sum(self.adults_at[key])
            else:
                self.adults[key] = m.new_int_var(0, BIG, f"adults|{key[0]}|{key[1]}")
        self.activities_at: dict[str, list[str]] = defaultdict(list)
        for slot_id, aid in self.adults:
            self.activities_at[slot_id].append(aid)
        self.staff_pools: list[StaffPool] = staff_pools(self.scenario, self.activity_of, self.posts)  # care known
        self.leads: dict[Key, list[cp_model.IntVar]] = defaultdict(list)  # (slot, activity) -> adults leading
        self.at: dict[tuple[int, str], list[cp_model.IntVar]] = defaultdict(list)  # (pool, slot) -> adults there
        self.load: dict[int, list[tuple[int, cp_model.IntVar, str]]] = defaultdict(list)  # pool -> (periods, n, day)
        self.taken: dict[int, list[cp_model.IntVar]] = defaultdict(list)  # pool -> everything its adults do
        for i, pool in enumerate(self.staff_pools):
            for slot in self.slots:
                if slot.slot_id not in pool.slots:
                    continue
                for aid in self.activities_at.get(slot.slot_id, []):
                    if aid not in pool.leads:
                        continue
                    w = m.new_int_var(0, pool.size, f"w|{i}|{slot.slot_id}|{aid}")
                    self.leads[(slot.slot_id, aid)].append(w)
                    self.at[(i, slot.slot_id)].append(w)
                    self.load[i].append((round(slot.periods * PERIOD_SCALE), w, slot.day.value))
                    self.taken[i].append(w)
        self.holders: dict[int, list[cp_model.IntVar]] = defaultdict(list)  # post -> holders
        self.all_day: dict[tuple[int, str], list[cp_model.IntVar]] = defaultdict(list)  # (pool, day) -> posts
        for j, post in enumerate(self.posts):
            if post.count == 0:
                continue
            for i, pool in enumerate(self.staff_pools):
                if j not in pool.posts:
                    continue
                d = m.new_int_var(0, min(pool.size, post.count), f"d|{j}|{i}")
                self.holders[j].append(d)
                self.load[i].append((round(post.periods * PERIOD_SCALE), d, post.day.value))
                self.taken[i].append(d)
                if post.slot_id:
                    self.at[(i, post.slot_id)].append(d)
                else:
                    self.all_day[(i, post.day.value)].append(d)

    def _add_room_variables(self) -> None:
        """y/seats[pool, slot, activity]: rooms of a pool holding its groups; rain: indoor rooms kept for rain."""
        m = self.model
        self.placed: dict[Key, list[AnyExpr]] = defaultdict(list)  # (slot, activity) -> rooms holding its groups
        self.seats: dict[Key, list[AnyExpr]] = defaultdict(list)
        self.rain: dict[Key, list[AnyExpr]] = defaultdict(list)
        self.groups_in: dict[tuple[int, str], list[AnyExpr]] = defaultdict(list)  # (pool, slot) -> groups
        self.seats_in: dict[tuple[int, str], list[AnyExpr]] = defaultdict(list)
        for slot_id, aid in sorted(self.groups_at):
            a = self.activity_of[aid]
            for i, pool in enumerate(self.room_pools):
                if slot_id not in pool.slots:
                    continue
                r = pool.first  # domains stay loose: the room limits bind only under the ROOM rule
                if room_fits(r, a, 1):
                    y = m.new_int_var(0, BIG, f"y|{i}|{slot_id}|{aid}")
                    c = m.new_int_var(0, 10 * BIG, f"seats|{i}|{slot_id}|{aid}")
                    m.add(c <= r.capacity * y)  # definition: a room's groups of one activity share its seats
                    self.placed[(slot_id, aid)].append(y)
                    self.seats[(slot_id, aid)].append(c)
                    self.groups_in[(i, slot_id)].append(y)
                    self.seats_in[(i, slot_id)].append(c)
                if a.outdoor and rain_room_fits(r, 1):
                    w = m.new_int_var(0, BIG, f"rain|{i}|{slot_id}|{aid}")
                    self.rain[(slot_id, aid)].append(w)
                    self.groups_in[(i, slot_id)].append(w)

    def _add_resource_variables(self) -> None:
        """What ``--suggest`` may buy: adults by (skill, day), duty holders, rooms, a raised cap, more groups."""
        m, sc, add = self.model, self.scenario, self.add
        assert add is not None
        for aid in sorted({aid for aid, _ in self.n}):
            add.raise_cap[aid] = m.new_bool_var(f"raise|{aid}")
            self._cost(add.raise_cap[aid], sc.school.suggest.raise_cap)
            add.extra_groups[aid] = m.new_int_var(0, MAX_EXTRA_GROUPS, f"extra_group|{aid}")
            self._cost(add.extra_groups[aid], sc.school.suggest.extra_group)
        for _, band in sorted(self.care_groups):
            if band not in add.raise_cap:
                add.raise_cap[band] = m.new_bool_var(f"raise|{band}")
                self._cost(add.raise_cap[band], sc.school.suggest.raise_cap)
        weeks = weeks_by_day(sc)
        for j, post in enumerate(self.posts):
            if post.count:
                extra = add.duty_hires[j] = m.new_int_var(0, post.count, f"duty_hire|{j}")
                rate = getattr(sc.school.pay, post.kind.value)
                self._cost(extra, rate * max(post.periods, 1) * weeks.get(post.day.value, 0))
        # Hired adults: one per (skill, day), a blank skill for activities that name none.
        self.hired_at: dict[tuple[str, str, str], list[cp_model.IntVar]] = defaultdict(list)  # (skill, day, slot)
        external = sc.school.pay.external
        for day in sorted({s.day for s in self.slots}, key=lambda d: d.index):
            day_slots = [s for s in self.slots if s.day == day]
            here = [(s, aid) for s in day_slots for aid in self.activities_at.get(s.slot_id, [])]
            skills = sorted({k for _, aid in here for k in self.activity_of[aid].skill} | {""})
            for skill in skills:
                h = add.hires[(skill, day.value)] = m.new_int_var(0, MAX_HIRES, f"hire|{skill}|{day.value}")
                self._cost(h, external * sum(s.periods for s in day_slots) * weeks.get(day.value, 0))
                for s, aid in here:
                    a = self.activity_of[aid]
                    if (skill in a.skill) if skill else not a.skill:
                        v = m.new_int_var(0, MAX_HIRES, f"hv|{skill}|{s.slot_id}|{aid}")
                        self.hired[(s.slot_id, aid)].append(v)
                        self.hired_at[(skill, day.value, s.slot_id)].append(v)
        # Rooms: one of each (type, outdoor) an activity may use, and a classroom for rain.
        kinds = sorted(
            {(t, a.outdoor) for a in self.activity_of.values() for t in (a.room_type or {"classroom"})}
            | {("classroom", False)}
        )
        self.extra_use: dict[tuple[str, str, bool], list[cp_model.IntVar]] = defaultdict(list)  # (slot, type, out)
        for rtype, outdoor in kinds:
            v = add.rooms[(rtype, outdoor)] = m.new_int_var(0, MAX_HIRES, f"room|{rtype}|{outdoor}")
            self._cost(v, sc.school.suggest.extra_room)
        for slot_id, aid in sorted(self.groups_at):
            a = self.activity_of[aid]
            for rtype, outdoor in kinds:
                if outdoor == a.outdoor and (rtype in a.room_type if a.room_type else rtype == "classroom"):
                    y = m.new_int_var(0, MAX_HIRES, f"yx|{rtype}|{slot_id}|{aid}")
                    self.placed[(slot_id, aid)].append(y)
                    self.seats[(slot_id, aid)].append((group_cap(sc, a) + RAISE_STEP) * y)
                    self.extra_use[(slot_id, rtype, outdoor)].append(y)
                if a.outdoor and not outdoor and rtype == "classroom":
                    w = m.new_int_var(0, MAX_HIRES, f"rainx|{rtype}|{slot_id}|{aid}")
                    self.rain[(slot_id, aid)].append(w)
                    self.extra_use[(slot_id, rtype, outdoor)].append(w)

    # ---- constraints ------------------------------------------------------------------
    def add_constraints(self) -> None:
        """One method per rule (DOMAIN.md id in each docstring); order does not matter."""
        self._add_activities_per_student()  # S6 / activities_per_student
        self._add_one_place_at_a_time()  # S3
        self._add_everyone_placed()  # S1
        self._add_priority_first()  # S2
        self._add_group_cap()  # G4
        self._add_care_cap()  # G4
        self._add_min_size()  # G5
        self._add_max_groups()  # G5
        self._add_class_activities()  # H4 (class mode)
        self._add_locks()  # the office's promises
        self._add_adults_needed()  # T4
        self._add_qualified()  # T3
        self._add_cleared()  # T2
        self._add_staff_in_one_place()  # T5
        self._add_staff_limits()  # T5
        self._add_duties()  # T6
        self._add_rooms_fit()  # R1
        self._add_room_limits()  # R1
        self._add_rain_rooms()  # R2
        self._add_resources_on_offer()

    def _add_activities_per_student(self) -> None:
        """S6: each chosen activity at most once a student, at most ``activities_per_student`` a week."""
        m = self.model
        for i, cell in enumerate(self.cells):
            options = self.options_of[i]
            for aid, group in itertools.groupby(options, key=lambda o: o[0]):
                terms = [self.x[(i, aid, k)] for _, k in group]
                if len(terms) > 1:
                    m.add(sum(terms) <= cell.per_activity[aid])
            if options:
                m.add(sum(self.x[(i, aid, k)] for aid, k in options) <= cell.weekly)

    def _add_one_place_at_a_time(self) -> None:
        """S3: at any instant a class is in one class activity, and a student in one place."""
        m = self.model
        busy: dict[tuple[str, int], list[tuple[str, int, cp_model.IntVar]]] = defaultdict(list)  # (class, set)
        for (aid, cid, k), z in self.z.items():
            for j, now in enumerate(self.at_once):
                if now & set(self.patterns[aid][k]):
                    busy[(cid, j)].append((aid, k, z))
        for lits in busy.values():
            if len(lits) > 1:
                m.add_at_most_one(z for _, _, z in lits)
        several = activities_per_student(self.scenario) > 1
        for i, cell in enumerate(self.cells):
            for j, now in enumerate(self.at_once):
                if not now & cell.slots:
                    continue
                lits = [self.x[(i, aid, k)] for aid, k in self.options_of[i] if now & set(self.patterns[aid][k])]
                away = [n * z for cid, n in sorted(cell.per_class.items()) for _, _, z in busy.get((cid, j), [])]
                if lits and (away or several):
                    m.add(sum(lits) + sum(away) <= cell.size)

    def _add_everyone_placed(self) -> None:
        """S1: every student needing a place at a slot has one."""
        for key, lost in sorted(self.unplaced.items()):
            slot_id, band = key
            grades = grades_text(self.care_grades[key])
            lit = self._assume(
                Family.PLACED, f"{slot_id}|{band}", slot=slot_id, grades=grades, count=self.care_count[key]
            )
            self.model.add(lost == 0).only_enforce_if(lit)

    def _add_priority_first(self) -> None:
        """S2: priority students are never among the unplaced."""
        self.priority_unplaced: dict[Key, tuple[cp_model.IntVar, int]] = {}
        for key, lost in sorted(self.unplaced.items()):
            priority = self.care_priority[key]
            if not priority:
                continue
            slot_id, band = key
            count = self.care_count[key]
            lit = self._assume(
                Family.PRIORITY,
                f"{slot_id}|{band}",
                slot=slot_id,
                grades=grades_text(self.care_grades[key]),
                count=priority,
            )
            self.model.add(lost <= count - priority).only_enforce_if(lit)
            self.priority_unplaced[key] = (lost, count - priority)

    def _raised(self, aid: str, key: object, groups: cp_model.IntVar, most: int) -> AnyExpr:
        """Places added by a raised cap (``--suggest``): RAISE_STEP per group while ``raise_cap`` is bought."""
        if self.add is None:
            return 0
        q = self.model.new_int_var(0, most, f"raised|{key}")
        self.model.add(q <= groups)
        self.model.add(q <= most * self.add.raise_cap[aid])
        return RAISE_STEP * q

    def _add_group_cap(self) -> None:
        """G4: a group of a chosen activity holds at most ``group_cap`` students."""
        m, sc = self.model, self.scenario
        for (aid, k), n in sorted(self.n.items()):
            a = self.activity_of[aid]
            cap = group_cap(sc, a)
            lit = self._assume(Family.GROUP_CAP, aid, activity=activity_name(a), cap=cap)
            size = sum(self.by_pattern[(aid, k)])
            m.add(size <= cap * n + self._raised(aid, f"{aid}|{k}", n, self.most[(aid, k)])).only_enforce_if(lit)

    def _add_care_cap(self) -> None:
        """G4: a care group holds at most ``group_cap`` students."""
        m, sc = self.model, self.scenario
        for key, g in sorted(self.care_groups.items()):
            slot_id, band = key
            care = self.activity_of[band]
            cap = group_cap(sc, care)
            lit = self._assume(Family.CARE_CAP, band, activity=activity_name(care), cap=cap)
            covered = self.care_need[key] - self.unplaced[key]
            count = self.care_count[key]
            m.add(covered <= cap * g + self._raised(band, f"{slot_id}|{band}", g, count)).only_enforce_if(lit)

    def _add_min_size(self) -> None:
        """G5: a group opens only with ``min_size`` students."""
        for (aid, k), n in sorted(self.n.items()):
            a = self.activity_of[aid]
            if a.min_size > 1:
                lit = self._assume(Family.MIN_SIZE, aid, activity=activity_name(a), min=a.min_size)
                self.model.add(sum(self.by_pattern[(aid, k)]) >= a.min_size * n).only_enforce_if(lit)

    def _add_max_groups(self) -> None:
        """G5: at most ``max_groups`` parallel groups of an activity."""
        m = self.model
        for aid in sorted({aid for aid, _ in self.n}):
            a = self.activity_of[aid]
            lit = self._assume(Family.MAX_GROUPS, aid, activity=activity_name(a), n=a.max_groups)
            total = sum(n for (b, _), n in self.n.items() if b == aid)
            extra = self.add.extra_groups[aid] if self.add is not None else 0
            m.add(total <= a.max_groups + extra).only_enforce_if(lit)

    def _add_class_activities(self) -> None:
        """H4 in class mode: every eligible class takes its class activity, on one weekly pattern."""
        m = self.model
        for aid, classes in sorted(self.class_activity_classes.items()):
            a = self.activity_of[aid]
            lit = self._assume(Family.CLASS_ACTIVITY, aid, activity=activity_name(a), n=len(classes))
            for cid in classes:
                lits = [self.z[(aid, cid, k)] for k in range(len(self.patterns[aid]))]
                m.add_at_most_one(lits)
                m.add(sum(lits) == 1).only_enforce_if(lit)

    def _add_locks(self) -> None:
        """L1: the office's promises (locks) of one activity hold (every locked member of a cell takes it)."""
        m = self.model
        by_activity: dict[str, list[str]] = defaultdict(list)
        for lock in self.scenario.locks:
            by_activity[lock.activity_id].append(lock.student_id)
        for aid, students in sorted(by_activity.items()):
            a = self.scenario.activity_by_id.get(aid)
            students = sorted(set(students))
            shown = " ".join(students[:5]) + (" …" if len(students) > 5 else "")
            lit = self._assume(
                Family.LOCK, aid, n=len(students), students=shown, activity=activity_name(a) if a else aid
            )
            for i, cell in enumerate(self.cells):
                if aid not in cell.locked:
                    continue
                lits = [self.x[(i, aid2, k)] for aid2, k in self.options_of[i] if aid2 == aid]
                if aid in cell.lock_missing or not lits:
                    m.add_bool_or([lit.Not()])
                else:
                    m.add(sum(lits) >= cell.size).only_enforce_if(lit)

    def _add_adults_needed(self) -> None:
        """T4: every group an adult, and one adult per ``ratio`` students (class activities: fixed per class)."""
        m = self.model
        lit = self._assume(Family.RATIO, "ratio", ratio=self.per_adult)
        for key, u in sorted(self.adults.items()):
            if self.adults_at.get(key):
                continue
            m.add(u >= sum(self.groups_at[key]))
            m.add(self.per_adult * u >= sum(self.students_at[key])).only_enforce_if(lit)

    def _add_qualified(self) -> None:
        """T3: an activity's adults are qualified for it; without the rule, any free cleared leader would do."""
        m, sc = self.model, self.scenario
        free_leaders = {
            s.slot_id: sum(
                1 for p in sc.staff if is_cleared(p) and p.kind in GROUP_LEADING_KINDS and available_at(p, s)
            )
            for s in self.slots
        }
        for key, u in sorted(self.adults.items()):
            slot_id, aid = key
            a = self.activity_of[aid]
            slack: AnyExpr = 0
            if a.skill:
                qualified = sum(1 for p in sc.staff if is_cleared(p) and qualified_for(p, a))
                lit = self._assume(
                    Family.QUALIFIED, aid, activity=activity_name(a), skills=" ".join(sorted(a.skill)), n=qualified
                )
                slack = m.new_int_var(0, free_leaders[slot_id], f"unqualified|{slot_id}|{aid}")
                m.add(slack == 0).only_enforce_if(lit)
            m.add(sum(self.leads.get(key, [])) + sum(self.hired.get(key, [])) + slack >= u)

    def _add_cleared(self) -> None:
        """T2: an adult without a cleared background check leads no group and holds no post."""
        for i, pool in enumerate(self.staff_pools):
            if pool.all_cleared or not self.taken.get(i):
                continue
            p = pool.first  # each uncleared adult is a pool of one
            leads = [activity_name(self.activity_of[aid]) for aid in sorted(pool.leads)]
            lit = self._assume(
                Family.CLEARED,
                p.staff_id,
                staff=staff_name(p),
                kind=kind_word(p.kind.value),
                activities=names_text(leads) or "explain.none",
            )
            for v in self.taken[i]:
                self.model.add(v == 0).only_enforce_if(lit)

    def _add_staff_in_one_place(self) -> None:
        """T5: at any instant an adult is in one place; one all-day post a day."""
        m = self.model
        for i, pool in enumerate(self.staff_pools):
            for now in self.at_once:
                lits = [v for slot_id in sorted(now) for v in self.at.get((i, slot_id), [])]
                if len(lits) > 1:
                    m.add(sum(lits) <= pool.size)
        for (i, _day), lits in sorted(self.all_day.items()):
            if len(lits) > 1:
                m.add(sum(lits) <= self.staff_pools[i].size)

    def _add_staff_limits(self) -> None:
        """T5: periods a week and a day within each adult's limits, summed over a pool's members."""
        m = self.model
        for i, terms in sorted(self.load.items()):
            pool = self.staff_pools[i]
            p, size, several = pool.first, pool.size, pool.size > 1
            names = names_text([staff_name(q) for q in pool.people])
            week, day = week_limit(p), day_limit(p)
            if week is not None:
                lit = self._assume(Family.WEEK_LIMIT, pool.subject, staff=names, n=f"{week:g}", pool=several)
                limit = round(week * PERIOD_SCALE) * size
                m.add(sum(c * v for c, v, _ in terms) <= limit).only_enforce_if(lit)
            if day is not None:
                lit = self._assume(Family.DAY_LIMIT, pool.subject, staff=names, n=f"{day:g}", pool=several)
                for d in sorted({d for _, _, d in terms}):
                    day_terms = [c * v for c, v, dd in terms if dd == d]
                    m.add(sum(day_terms) <= round(day * PERIOD_SCALE) * size).only_enforce_if(lit)

    def _add_duties(self) -> None:
        """T6: every duty post has its number of holders."""
        for j, post in enumerate(self.posts):
            if post.count == 0:
                continue
            lit = self._assume(
                Family.DUTY,
                f"{j}",
                post=post.post,
                day=post.day.value,
                at=f" {post.slot_id}" if post.slot_id else "",
                count=post.count,
                kind=kind_word(post.kind.value),
            )
            extra = self.add.duty_hires[j] if self.add is not None else 0
            self.model.add(sum(self.holders.get(j, [])) + extra >= post.count).only_enforce_if(lit)

    def _add_rooms_fit(self) -> None:
        """R1: every group has a room of its type (indoor/outdoor alike) with seats for its students."""
        m = self.model
        for key in sorted(self.groups_at):
            m.add(sum(self.placed.get(key, [])) >= sum(self.groups_at[key]))
            m.add(sum(self.seats.get(key, [])) >= sum(self.students_at[key]))

    def _add_room_limits(self) -> None:
        """R1: at any instant a room holds at most ``max_groups`` groups and ``capacity`` students."""
        m = self.model
        for i, pool in enumerate(self.room_pools):
            r = pool.first
            lit = self._assume(
                Family.ROOM,
                pool.subject,
                room=names_text([room_name(q) for q in pool.rooms]),
                type=r.type,
                groups=r.max_groups,
                seats=r.capacity,
                pool=pool.size > 1,
            )
            for now in self.at_once:
                groups = [v for slot_id in sorted(now) for v in self.groups_in.get((i, slot_id), [])]
                seats = [v for slot_id in sorted(now) for v in self.seats_in.get((i, slot_id), [])]
                if groups:
                    m.add(sum(groups) <= pool.size * r.max_groups).only_enforce_if(lit)
                if seats:
                    m.add(sum(seats) <= pool.size * r.capacity).only_enforce_if(lit)

    def _add_rain_rooms(self) -> None:
        """R2: every outdoor group keeps an indoor room for rain."""
        m = self.model
        for slot in self.slots:
            sid = slot.slot_id
            outdoor = [aid for aid in self.activities_at.get(sid, []) if self.activity_of[aid].outdoor]
            if not outdoor:
                continue
            lit = self._assume(Family.RAIN, sid, slot=sid)
            for aid in outdoor:
                m.add(sum(self.rain.get((sid, aid), [])) >= sum(self.groups_at[(sid, aid)])).only_enforce_if(lit)

    def _add_resources_on_offer(self) -> None:
        """T5, R1 under ``--suggest``: a hired adult leads one group at a time; bought rooms are used as
        often as bought (nothing when nothing is on offer)."""
        m, add = self.model, self.add
        if add is None:
            return
        for (skill, day), h in sorted(add.hires.items()):
            for now in self.at_once:
                hv = [v for slot_id in sorted(now) for v in self.hired_at.get((skill, day, slot_id), [])]
                if hv:
                    m.add(sum(hv) <= h)
        for (_slot_id, rtype, outdoor), ys in sorted(self.extra_use.items()):
            m.add(sum(ys) <= add.rooms[(rtype, outdoor)])

    # ---- objective --------------------------------------------------------------------
    def objective_terms(self) -> dict[str, AnyExpr]:
        """The measures questions combine, by name: resources bought (yuan), student-slots
        unplaced, chosen activities granted, first choices granted (the last with ``suggest``)."""
        cost: AnyExpr = 0
        if self.add is not None:
            cost = sum(self.add.cost[v.name] * v for v in self.add.variables())
        return {
            "cost": cost,
            "unplaced": sum(self.unplaced.values()),
            "granted": sum(self.x.values()),
            "first_choice": self.first_choice,
        }

    # ---- queries ----------------------------------------------------------------------
    def assumptions(self, families: set[Family] | None = None) -> list[cp_model.IntVar]:
        """Literals of every rule (or of the given families), in deletion-filter order."""
        pairs = [(rule, lit) for rule, lit in self.literal.items() if families is None or rule.family in families]
        pairs.sort(key=lambda p: (p[0].family, p[0].subject))
        return [lit for _, lit in pairs]
