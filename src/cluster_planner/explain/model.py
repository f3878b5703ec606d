"""An aggregate feasibility model of the hard rules, one assumption literal per rule instance.

Counts, not individuals: students of the same grade, service slots and locks form one
*cell* whose members are an integer count per (activity, pattern); rooms of the same
type, size and availability form one *pool*, and so do adults of the same kind, clearance,
activities they may lead, availability and limits. Every constraint on a cell or pool is
the sum of the individual constraints of its members, so the model is a *relaxation* of
the planner (every real plan gives a solution) and a set of rules it finds infeasible
together is a true cause. With :class:`Additions`, the solver may also buy resources
(``explain --suggest``).

Order of building: cells' options → groups (choice, class, care) → adults → rooms →
duty posts → locks; each rule instance gets its literal through :meth:`_assume`.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from cluster_planner.domain import Activity, ActivityKind, ActivityMode, Room, Scenario, Staff, StaffKind
from cluster_planner.plan.figures import weeks_by_day
from cluster_planner.solver.prepare import PlanningData, adults_needed, balanced_sizes, prepare
from cluster_planner.solver.staffing import GROUP_LEADERS, available_on_day

from .rules import Family, Rule, activity_name, grades_text, kind_word, names_text, room_name, staff_name

PERIOD_SCALE = 100
RAISE_STEP = 5  # ``raise_cap`` adds this many places to each group of an activity
MAX_EXTRA_GROUPS = 3
MAX_HIRES = 5
AnyExpr = cp_model.LinearExprT
Option = tuple[str, int]  # (activity, pattern index)


def patterns_of(data: PlanningData, activity: Activity) -> list[tuple[str, ...]]:
    """Weekly patterns of an activity (H4), whoever may lead it (the planner's rule, staff aside)."""
    allowed = data.scenario.activity_slots(activity)
    out = []
    for combo in itertools.combinations(allowed, activity.sessions_per_week):
        if not any(b in data.overlapping[x] for x, b in itertools.combinations(combo, 2)):
            out.append(combo)
    return out[:60]


def may_lead(skills: frozenset[str], kind: StaffKind, activity: Activity) -> bool:
    """T3 without T2: one of the activity's skills (blank: any group-leading kind)."""
    return bool(activity.skill & skills) if activity.skill else kind in GROUP_LEADERS


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
    slots: frozenset[str]
    leads: frozenset[str]  # activities any of them may lead (T3, without T2)
    posts: frozenset[int]  # duty posts (by index) they may hold

    @property
    def size(self) -> int:
        return len(self.people)

    @property
    def subject(self) -> str:
        return " ".join(p.staff_id for p in self.people)

    @property
    def first(self) -> Staff:
        return self.people[0]


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
        self.data = prepare(scenario)
        self.rules_cfg = scenario.school.rules
        self.model = cp_model.CpModel()
        self.rules: dict[int, Rule] = {}  # literal index -> rule
        self.literal: dict[Rule, cp_model.IntVar] = {}
        self.add = Additions() if suggest else None
        self.cells: list[Cell] = []
        self.x: dict[tuple[int, str, int], cp_model.IntVar] = {}  # (cell, activity, pattern) -> students
        self.unplaced: dict[tuple[str, str], cp_model.IntVar] = {}  # (slot, band)
        self.priority_unplaced: dict[tuple[str, str], tuple[cp_model.IntVar, int]] = {}
        self.first_choice: AnyExpr = 0  # students given their first choice (built with ``suggest``)
        # what meets at each slot, by activity key: groups, students, adults needed
        self.groups_at: dict[tuple[str, str], list[AnyExpr]] = defaultdict(list)
        self.students_at: dict[tuple[str, str], list[AnyExpr]] = defaultdict(list)
        self.adults_at: dict[tuple[str, str], list[AnyExpr]] = defaultdict(list)
        self.activity_of: dict[str, Activity] = {}
        self._build()

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

    @property
    def granted(self) -> AnyExpr:
        """Chosen activities granted in all (students given a choice, with one activity each)."""
        return sum(self.x.values())

    # ---- build ------------------------------------------------------------------------
    def _build(self) -> None:
        self._add_students()
        self._add_choice_groups()
        self._add_class_activities()
        self._add_care()
        self._add_adults_and_duties()
        self._add_rooms()
        self._add_locks()

    def _make_cells(self) -> None:
        """Students by (grade, service slots, locks), with their options counted (S4, H4)."""
        data, sc = self.data, self.scenario
        weekly = self.rules_cfg.activities_per_student
        locks: dict[str, set[str]] = defaultdict(set)
        for lock in sc.locks:
            locks[lock.student_id].add(lock.activity_id)
        cells: dict[tuple[int, frozenset[str], frozenset[str]], Cell] = {}
        for s in data.students:
            sid, grade, slots = s.student_id, data.grade[s.student_id], data.service_slots[s.student_id]
            locked = frozenset(locks.get(sid, ()))
            cell = cells.setdefault((grade, slots, locked), Cell(grade, slots, locked))
            cell.members.append(sid)
            cell.priority += data.is_priority(s)
            cell.per_class[s.class_id] += 1
            seen: set[str] = set()
            for rank, aid in s.choices:
                a = self.activity_of.get(aid)
                if a is None or a.mode != ActivityMode.CHOICE or aid in seen or not a.eligible(grade):
                    continue
                fits = [k for k, p in enumerate(self.patterns[aid]) if set(p) <= slots]
                if not fits:
                    continue
                seen.add(aid)
                cell.per_activity[aid] += 1
                cell.first[aid] += rank == 1
                for k in fits:
                    cell.per_option[(aid, k)] += 1
            cell.weekly += min(weekly, len(seen))
            cell.lock_missing |= locked - seen
        self.cells = [cells[key] for key in sorted(cells, key=lambda k: (k[0], sorted(k[1]), sorted(k[2])))]

    def _add_students(self) -> None:
        """Per cell: students per option, at most one pattern per activity, the weekly count."""
        m, sc = self.model, self.scenario
        for a in sorted(sc.activities, key=lambda a: a.activity_id):
            if a.kind != ActivityKind.CARE or a.mode == ActivityMode.CLASS:
                self.activity_of[a.activity_id] = a
        self.patterns = {aid: patterns_of(self.data, a) for aid, a in self.activity_of.items()}
        self._make_cells()
        self.options_of: dict[int, list[Option]] = {}
        first: list[AnyExpr] = []
        for i, cell in enumerate(self.cells):
            self.options_of[i] = sorted(cell.per_option)
            for aid, k in self.options_of[i]:
                self.x[(i, aid, k)] = m.new_int_var(0, cell.per_option[(aid, k)], f"x|{i}|{aid}|{k}")
            for aid, options in itertools.groupby(self.options_of[i], key=lambda o: o[0]):
                terms = [self.x[(i, aid, k)] for _, k in options]
                if len(terms) > 1:
                    m.add(sum(terms) <= cell.per_activity[aid])
                if self.add is not None and cell.first[aid]:
                    f = m.new_int_var(0, cell.first[aid], f"first|{i}|{aid}")
                    m.add(f <= sum(terms))
                    first.append(f)
            if self.options_of[i]:
                m.add(sum(self.x[(i, aid, k)] for aid, k in self.options_of[i]) <= cell.weekly)
        self.first_choice = sum(first)

    def _add_choice_groups(self) -> None:
        """G4/G5 for chosen activities: groups per pattern, sizes within cap and minimum."""
        m, sc = self.model, self.scenario
        by_ap: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
        most: dict[tuple[str, int], int] = defaultdict(int)
        for (i, aid, k), v in self.x.items():
            by_ap[(aid, k)].append(v)
            most[(aid, k)] += self.cells[i].per_option[(aid, k)]
        self.n: dict[tuple[str, int], cp_model.IntVar] = {}
        for key, lits in sorted(by_ap.items()):
            self.n[key] = n = m.new_int_var(0, most[key], f"n|{key[0]}|{key[1]}")
            m.add(sum(lits) <= most[key] * n)  # students of a pattern are in one of its groups
        for aid in sorted({aid for aid, _ in self.n}):
            a = self.activity_of[aid]
            keys = [key for key in self.n if key[0] == aid]
            cap = sc.group_cap_of(a)
            cap_lit = self._assume(Family.GROUP_CAP, aid, activity=activity_name(a), cap=cap)
            min_lit = (
                self._assume(Family.MIN_SIZE, aid, activity=activity_name(a), min=a.min_size)
                if a.min_size > 1
                else None
            )
            raise_var = None
            if self.add is not None:
                raise_var = self.add.raise_cap[aid] = m.new_bool_var(f"raise|{aid}")
                self._cost(raise_var, sc.school.suggest.raise_cap)
            for key in keys:
                n, size = self.n[key], sum(by_ap[key])
                if raise_var is not None:
                    q = m.new_int_var(0, most[key], f"raised|{key[0]}|{key[1]}")
                    m.add(q <= n)
                    m.add(q <= most[key] * raise_var)
                    m.add(size <= cap * n + RAISE_STEP * q).only_enforce_if(cap_lit)
                else:
                    m.add(size <= cap * n).only_enforce_if(cap_lit)
                if min_lit is not None:
                    m.add(size >= a.min_size * n).only_enforce_if(min_lit)
                for slot_id in self.patterns[aid][key[1]]:
                    self.groups_at[(slot_id, aid)].append(n)
                    self.students_at[(slot_id, aid)].append(size)
            total = sum(self.n[key] for key in keys)
            max_lit = self._assume(Family.MAX_GROUPS, aid, activity=activity_name(a), n=a.max_groups)
            if self.add is not None:
                extra = self.add.extra_groups[aid] = m.new_int_var(0, MAX_EXTRA_GROUPS, f"extra_group|{aid}")
                self._cost(extra, sc.school.suggest.extra_group)
                m.add(total <= a.max_groups + extra).only_enforce_if(max_lit)
            else:
                m.add(total <= a.max_groups).only_enforce_if(max_lit)

    def _add_class_activities(self) -> None:
        """Class mode: each eligible class attends as a whole on one pattern (split above the cap)."""
        m, data, sc = self.model, self.data, self.scenario
        ratio = self.rules_cfg.ratio
        self.z: dict[tuple[str, str, int], cp_model.IntVar] = {}
        for aid, a in sorted(self.activity_of.items()):
            if a.mode != ActivityMode.CLASS or not self.patterns[aid]:
                continue
            classes = data.classes_of(a)
            if not classes:
                continue
            lit = self._assume(Family.CLASS_ACTIVITY, aid, activity=activity_name(a), n=len(classes))
            cap = sc.group_cap_of(a)
            for cid in classes:
                lits = []
                members = len(data.class_members[cid])
                parts = max(1, math.ceil(members / cap))
                adults = sum(adults_needed(size, ratio) for size in balanced_sizes(members, parts))
                for k, p in enumerate(self.patterns[aid]):
                    z = self.z[(aid, cid, k)] = m.new_bool_var(f"z|{aid}|{cid}|{k}")
                    lits.append(z)
                    for slot_id in p:
                        self.groups_at[(slot_id, aid)].append(parts * z)
                        self.students_at[(slot_id, aid)].append(members * z)
                        self.adults_at[(slot_id, aid)].append(adults * z)
                m.add_at_most_one(lits)
                m.add(sum(lits) == 1).only_enforce_if(lit)
        # S3: a class is in one class activity at a time, and its students then take no option.
        busy: dict[tuple[str, str], list[cp_model.IntVar]] = defaultdict(list)
        for (aid, cid, k), z in self.z.items():
            for slot_id in self.patterns[aid][k]:
                for other in data.overlapping[slot_id]:
                    busy[(cid, other)].append(z)
        for lits in busy.values():
            if len(lits) > 1:
                m.add_at_most_one(lits)
        several = self.rules_cfg.activities_per_student > 1
        for i, cell in enumerate(self.cells):
            for slot_id in sorted(cell.slots):
                ov = data.overlapping[slot_id]
                lits = [
                    self.x[(i, aid, k)] for aid, k in self.options_of[i] if any(s in ov for s in self.patterns[aid][k])
                ]
                away = [n * z for cid, n in sorted(cell.per_class.items()) for z in busy.get((cid, slot_id), [])]
                if lits and (away or several):
                    m.add(sum(lits) + sum(away) <= cell.size)

    def _add_care(self) -> None:
        """Care groups per slot and grade band hold everyone not away (S1, S2, G4)."""
        m, sc = self.model, self.scenario
        count: dict[tuple[str, str], int] = defaultdict(int)
        priority: dict[tuple[str, str], int] = defaultdict(int)
        grades: dict[tuple[str, str], set[int]] = defaultdict(set)
        away: dict[tuple[str, str], list[AnyExpr]] = defaultdict(list)
        z_of_class: dict[str, list[tuple[str, int, cp_model.IntVar]]] = defaultdict(list)
        for (aid, cid, k), z in self.z.items():
            z_of_class[cid].append((aid, k, z))
        for i, cell in enumerate(self.cells):
            care = sc.care_activity_of_grade.get(cell.grade)
            band = care.activity_id if care else f"grade{cell.grade}"
            for slot_id in cell.slots:
                key = (slot_id, band)
                count[key] += cell.size
                priority[key] += cell.priority
                grades[key].add(cell.grade)
                away[key] += [self.x[(i, aid, k)] for aid, k in self.options_of[i] if slot_id in self.patterns[aid][k]]
                away[key] += [
                    n * z
                    for cid, n in sorted(cell.per_class.items())
                    for aid, k, z in z_of_class.get(cid, [])
                    if slot_id in self.patterns[aid][k]
                ]
        cap = self.rules_cfg.group_cap
        for key in sorted(count):
            slot_id, band = key
            need = count[key] - sum(away[key])
            lost = self.unplaced[key] = m.new_int_var(0, count[key], f"unplaced|{slot_id}|{band}")
            m.add(lost <= need)
            placed = self._assume(
                Family.PLACED, f"{slot_id}|{band}", slot=slot_id, grades=grades_text(grades[key]), count=count[key]
            )
            m.add(lost == 0).only_enforce_if(placed)
            if priority[key]:
                lit = self._assume(
                    Family.PRIORITY,
                    f"{slot_id}|{band}",
                    slot=slot_id,
                    grades=grades_text(grades[key]),
                    count=priority[key],
                )
                m.add(lost <= count[key] - priority[key]).only_enforce_if(lit)
                self.priority_unplaced[key] = (lost, count[key] - priority[key])
            care = sc.activity_by_id.get(band)
            if care is None:
                m.add(lost == need)  # no care activity covers these grades
                continue
            self.activity_of[band] = care
            covered = need - lost
            g = m.new_int_var(0, count[key], f"careG|{slot_id}|{band}")
            m.add(covered <= count[key] * g)
            cap_lit = self._assume(Family.CARE_CAP, band, activity=activity_name(care), cap=cap)
            if self.add is not None:
                raise_var = self.add.raise_cap.get(band)
                if raise_var is None:
                    raise_var = self.add.raise_cap[band] = m.new_bool_var(f"raise|{band}")
                    self._cost(raise_var, sc.school.suggest.raise_cap)
                q = m.new_int_var(0, count[key], f"raised|{slot_id}|{band}")
                m.add(q <= g)
                m.add(q <= count[key] * raise_var)
                m.add(covered <= cap * g + RAISE_STEP * q).only_enforce_if(cap_lit)
            else:
                m.add(covered <= cap * g).only_enforce_if(cap_lit)
            self.groups_at[(slot_id, band)].append(g)
            self.students_at[(slot_id, band)].append(covered)

    def _staff_pools(self, posts: list) -> list[StaffPool]:
        """Adults by kind, clearance (the uncleared one by one), what they may lead, availability, limits."""
        data, sc = self.data, self.scenario
        groups: dict[tuple, list[Staff]] = defaultdict(list)
        shape: dict[tuple, tuple[frozenset[str], frozenset[str], frozenset[int]]] = {}
        for p in sorted(sc.staff, key=lambda p: p.staff_id):
            slots = frozenset(s.slot_id for s in data.slots if sc.staff_available(p, s))
            leads = frozenset(aid for aid, a in self.activity_of.items() if may_lead(p.skills, p.kind, a))
            holds = frozenset(
                j for j, post in enumerate(posts) if p.kind == post.kind and available_on_day(data, p, post)
            )
            key = (
                p.kind.value,
                p.cleared,
                "" if p.cleared else p.staff_id,
                tuple(sorted(slots)),
                tuple(sorted(leads)),
                tuple(sorted(holds)),
                p.max_periods_week,
                p.max_periods_day,
            )
            groups[key].append(p)
            shape[key] = (slots, leads, holds)
        pools = [StaffPool(tuple(people), *shape[key]) for key, people in groups.items()]
        return sorted(pools, key=lambda pool: pool.first.staff_id)

    def _add_adults_and_duties(self) -> None:
        """T2–T6: adults lead groups where qualified, free and cleared; duty posts filled; limits kept."""
        m, data, sc = self.model, self.data, self.scenario
        ratio = self.rules_cfg.ratio
        ratio_lit = self._assume(Family.RATIO, "ratio", ratio=ratio)
        need: dict[tuple[str, str], AnyExpr] = {}
        for key in sorted(self.groups_at):
            slot_id, aid = key
            if self.adults_at.get(key):  # class activities: adults fixed per class
                need[key] = sum(self.adults_at[key])
                continue
            u = m.new_int_var(0, 10_000, f"adults|{slot_id}|{aid}")
            m.add(u >= sum(self.groups_at[key]))
            m.add(ratio * u >= sum(self.students_at[key])).only_enforce_if(ratio_lit)
            need[key] = u
        by_slot = defaultdict(list)
        for slot_id, aid in need:
            by_slot[slot_id].append(aid)
        posts = sorted(sc.duties, key=lambda p: (p.day.index, p.slot_id or "", p.post, p.kind.value))
        self.staff_pools = pools = self._staff_pools(posts)
        leads: dict[tuple[str, str], list[cp_model.IntVar]] = defaultdict(list)
        load: dict[int, list[tuple[int, cp_model.IntVar, str]]] = defaultdict(list)
        at: dict[tuple[int, str], list[cp_model.IntVar]] = defaultdict(list)  # (pool, slot) -> adults there
        uncleared: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for i, pool in enumerate(pools):
            for slot in data.slots:
                if slot.slot_id not in pool.slots:
                    continue
                for aid in by_slot.get(slot.slot_id, []):
                    if aid not in pool.leads:
                        continue
                    w = m.new_int_var(0, pool.size, f"w|{i}|{slot.slot_id}|{aid}")
                    leads[(slot.slot_id, aid)].append(w)
                    at[(i, slot.slot_id)].append(w)
                    load[i].append((round(slot.periods * PERIOD_SCALE), w, slot.day.value))
                    if not pool.first.cleared:
                        uncleared[i].append(w)
        all_day: dict[tuple[int, str], list[cp_model.IntVar]] = defaultdict(list)
        weeks = weeks_by_day(sc)
        for j, post in enumerate(posts):
            if post.count == 0:
                continue
            holders = []
            for i, pool in enumerate(pools):
                if j not in pool.posts:
                    continue
                d = m.new_int_var(0, min(pool.size, post.count), f"d|{j}|{i}")
                holders.append(d)
                load[i].append((round(post.periods * PERIOD_SCALE), d, post.day.value))
                if post.slot_id:
                    at[(i, post.slot_id)].append(d)
                else:
                    all_day[(i, post.day.value)].append(d)
                if not pool.first.cleared:
                    uncleared[i].append(d)
            at_text = f" {post.slot_id}" if post.slot_id else ""
            lit = self._assume(
                Family.DUTY,
                f"{j}",
                post=post.post,
                day=post.day.value,
                at=at_text,
                count=post.count,
                kind=kind_word(post.kind.value),
            )
            extra: AnyExpr = 0
            if self.add is not None:
                extra = self.add.duty_hires[j] = m.new_int_var(0, post.count, f"duty_hire|{j}")
                rate = getattr(sc.school.pay, post.kind.value)
                self._cost(extra, rate * max(post.periods, 1) * weeks.get(post.day.value, 0))
            m.add(sum(holders) + extra >= post.count).only_enforce_if(lit)
        for (i, _day), lits in all_day.items():
            if len(lits) > 1:
                m.add(sum(lits) <= pools[i].size)  # one all-day post a day per person
        # T5: one place at a time.
        for i, pool in enumerate(pools):
            for slot in data.slots:
                lits = [v for other in data.overlapping[slot.slot_id] for v in at.get((i, other), [])]
                if len(lits) > 1:
                    m.add(sum(lits) <= pool.size)
        # T2: the uncleared take nothing while the rule holds (each uncleared adult is a pool of one).
        for i, lits in sorted(uncleared.items()):
            p = pools[i].first
            lit = self._assume(
                Family.CLEARED,
                p.staff_id,
                staff=staff_name(p),
                kind=kind_word(p.kind.value),
                skills=" ".join(sorted(p.skills)) or "explain.none",
            )
            for v in lits:
                m.add(v == 0).only_enforce_if(lit)
        # T5: workload limits, summed over a pool's members.
        for i, terms in sorted(load.items()):
            pool = pools[i]
            p, size, several = pool.first, pool.size, pool.size > 1
            names = names_text([staff_name(q) for q in pool.people])
            if p.max_periods_week is not None:
                lit = self._assume(
                    Family.WEEK_LIMIT, pool.subject, staff=names, n=f"{p.max_periods_week:g}", pool=several
                )
                limit = round(p.max_periods_week * PERIOD_SCALE) * size
                m.add(sum(c * v for c, v, _ in terms) <= limit).only_enforce_if(lit)
            if p.max_periods_day is not None:
                lit = self._assume(
                    Family.DAY_LIMIT, pool.subject, staff=names, n=f"{p.max_periods_day:g}", pool=several
                )
                for day in sorted({d for _, _, d in terms}):
                    day_terms = [c * v for c, v, dd in terms if dd == day]
                    limit = round(p.max_periods_day * PERIOD_SCALE) * size
                    m.add(sum(day_terms) <= limit).only_enforce_if(lit)
        # Hired adults (suggest): one per (skill, day), leading one group at a time.
        hired: dict[tuple[str, str], AnyExpr] = defaultdict(int)
        if self.add is not None:
            external = sc.school.pay.external
            for day in sorted({s.day for s in data.slots}, key=lambda d: d.index):
                day_slots = [s for s in data.slots if s.day == day]
                skills = sorted(
                    {k for s in day_slots for aid in by_slot.get(s.slot_id, []) for k in self.activity_of[aid].skill}
                    | {""}
                )
                for skill in skills:
                    h = self.add.hires[(skill, day.value)] = m.new_int_var(0, MAX_HIRES, f"hire|{skill}|{day.value}")
                    periods = sum(s.periods for s in day_slots)
                    self._cost(h, external * periods * weeks.get(day.value, 0))
                    for s in day_slots:
                        hv = []
                        for aid in by_slot.get(s.slot_id, []):
                            a = self.activity_of[aid]
                            if (skill in a.skill) if skill else not a.skill:
                                v = m.new_int_var(0, MAX_HIRES, f"hv|{skill}|{s.slot_id}|{aid}")
                                hv.append(v)
                                hired[(s.slot_id, aid)] += v
                        if hv:
                            m.add(sum(hv) <= h)
        # T3: an activity's adults have one of its skills; without the rule, any free leader would do.
        free_leaders = {
            s.slot_id: sum(1 for p in sc.staff if p.cleared and p.kind in GROUP_LEADERS and sc.staff_available(p, s))
            for s in data.slots
        }
        for key, u in sorted(need.items()):
            slot_id, aid = key
            a = self.activity_of[aid]
            slack: AnyExpr = 0
            if a.skill:
                qualified = sum(1 for p in sc.staff if p.cleared and a.skill & p.skills)
                lit = self._assume(
                    Family.QUALIFIED, aid, activity=activity_name(a), skills=" ".join(sorted(a.skill)), n=qualified
                )
                slack = m.new_int_var(0, free_leaders[slot_id], f"unqualified|{slot_id}|{aid}")
                m.add(slack == 0).only_enforce_if(lit)
            m.add(sum(leads.get(key, [])) + hired[key] + slack >= u)

    def _room_pools(self) -> list[RoomPool]:
        data, sc = self.data, self.scenario
        groups: dict[tuple, list[Room]] = defaultdict(list)
        shape: dict[tuple, frozenset[str]] = {}
        for r in sorted(sc.rooms, key=lambda r: r.room_id):
            slots = frozenset(s.slot_id for s in data.slots if sc.room_available(r, s))
            key = (r.type, r.outdoor, r.capacity, r.max_groups, tuple(sorted(slots)))
            groups[key].append(r)
            shape[key] = slots
        pools = [RoomPool(tuple(rooms), shape[key]) for key, rooms in groups.items()]
        return sorted(pools, key=lambda pool: pool.first.room_id)

    def _add_rooms(self) -> None:
        """R1/R2: each group a fitting room, each outdoor group an indoor rain room; room limits."""
        m, data, sc = self.model, self.data, self.scenario
        self.room_pools = pools = self._room_pools()
        groups_in: dict[tuple[int, str], list[AnyExpr]] = defaultdict(list)  # (pool, slot) -> groups
        seats_in: dict[tuple[int, str], list[AnyExpr]] = defaultdict(list)
        by_slot: dict[str, list[str]] = defaultdict(list)
        for slot_id, aid in sorted(self.groups_at):
            by_slot[slot_id].append(aid)
        extra_rooms: dict[tuple[str, bool], cp_model.IntVar] = {}
        if self.add is not None:
            kinds = sorted(
                {(t, a.outdoor) for a in self.activity_of.values() for t in (a.room_type or {"classroom"})}
                | {("classroom", False)}
            )
            for kind in kinds:
                v = self.add.rooms[kind] = m.new_int_var(0, MAX_HIRES, f"room|{kind[0]}|{kind[1]}")
                self._cost(v, sc.school.suggest.extra_room)
                extra_rooms[kind] = v
        for slot in data.slots:
            sid = slot.slot_id
            outdoor_here = [aid for aid in by_slot.get(sid, []) if self.activity_of[aid].outdoor]
            rain_lit = self._assume(Family.RAIN, sid, slot=sid) if outdoor_here else None
            extra_use: dict[tuple[str, bool], list[AnyExpr]] = defaultdict(list)
            for aid in by_slot.get(sid, []):
                a = self.activity_of[aid]
                groups = sum(self.groups_at[(sid, aid)])
                placed, seats, rain = [], [], []
                for i, pool in enumerate(pools):
                    if sid not in pool.slots:
                        continue
                    r = pool.first  # domains stay loose: the room limits bind only under the ROOM rule
                    if r.outdoor == a.outdoor and (not a.room_type or r.type in a.room_type):
                        y = m.new_int_var(0, 10_000, f"y|{i}|{sid}|{aid}")
                        c = m.new_int_var(0, 100_000, f"seats|{i}|{sid}|{aid}")
                        m.add(c <= r.capacity * y)  # a room's groups of one activity share its seats
                        placed.append(y)
                        seats.append(c)
                        groups_in[(i, sid)].append(y)
                        seats_in[(i, sid)].append(c)
                    if a.outdoor and not r.outdoor:
                        w = m.new_int_var(0, 10_000, f"rain|{i}|{sid}|{aid}")
                        rain.append(w)
                        groups_in[(i, sid)].append(w)
                for rtype, outdoor in extra_rooms:
                    if outdoor == a.outdoor and (rtype in a.room_type if a.room_type else rtype == "classroom"):
                        y = m.new_int_var(0, MAX_HIRES, f"yx|{rtype}|{sid}|{aid}")
                        placed.append(y)
                        cap = self.rules_cfg.group_cap if a.kind == ActivityKind.CARE else sc.group_cap_of(a)
                        seats.append((cap + RAISE_STEP) * y)
                        extra_use[(rtype, outdoor)].append(y)
                    if a.outdoor and not outdoor and rtype == "classroom":
                        w = m.new_int_var(0, MAX_HIRES, f"rainx|{rtype}|{sid}|{aid}")
                        rain.append(w)
                        extra_use[(rtype, outdoor)].append(w)
                m.add(sum(placed) >= groups)
                m.add(sum(seats) >= sum(self.students_at[(sid, aid)]))
                if a.outdoor and rain_lit is not None:
                    m.add(sum(rain) >= groups).only_enforce_if(rain_lit)
            for kind, ys in extra_use.items():
                m.add(sum(ys) <= extra_rooms[kind])
        for i, pool in enumerate(pools):
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
            for slot in data.slots:
                key = (i, slot.slot_id)
                if groups_in.get(key):
                    m.add(sum(groups_in[key]) <= pool.size * r.max_groups).only_enforce_if(lit)
                if seats_in.get(key):
                    m.add(sum(seats_in[key]) <= pool.size * r.capacity).only_enforce_if(lit)

    def _add_locks(self) -> None:
        """Locks: the office's promises of one activity hold (every locked member of a cell takes it)."""
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

    # ---- queries ----------------------------------------------------------------------
    def assumptions(self, families: set[Family] | None = None) -> list[cp_model.IntVar]:
        """Literals of every rule (or of the given families), in deletion-filter order."""
        pairs = [(rule, lit) for rule, lit in self.literal.items() if families is None or rule.family in families]
        pairs.sort(key=lambda p: (p[0].family, p[0].subject))
        return [lit for _, lit in pairs]
