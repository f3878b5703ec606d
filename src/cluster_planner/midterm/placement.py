"""Place the students a re-solve must (re)place, into the existing groups, by one small CP-SAT model.

Mobile students are joiners, students whose data changed, students of dropped groups, students
unplaced before, and (``fill_freed``) students who ranked a freed activity above what they have.
Everyone else stays where they are and only their places count against capacity.

Objective, minimised (weights make the levels):

1. coverage: 1 000 000 per priority student-slot unplaced (S2), 100 000 per other;
2. disturbance, for students who did not change themselves: 10 000 for losing their activity,
   1 000 for another group of the same activity, 100 per slot in another care group (a
   student who changed pays a tenth of that for leaving their old places);
3. welfare: 10 × rank of a granted choice, − 10 × the no-choice cost (S6, S2), and a few
   points for a care group away from the student's class and grade (S7).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from cluster_planner.domain import ActivityKind
from cluster_planner.midterm.state import Key, Meeting, WorkingPlan, kind_of
from cluster_planner.solver.params import SolveSettings, StageResult, run_stage

UNPLACED = 100_000
UNPLACED_PRIORITY = 1_000_000
LOSE_ACTIVITY = 10_000
OTHER_GROUP = 1_000
OTHER_CARE = 100
RANK = 10
CARE_CANDIDATES = 4


@dataclass(frozen=True)
class Mobile:
    """A student to place, and how much moving them away from ``before`` costs."""

    student_id: str
    before: dict[str, str]  # slot -> group id in the earlier plan
    settled: bool  # True: did not change themselves (moves weigh fully)


@dataclass(frozen=True)
class Placement:
    """Where each mobile student stands per slot (group id, or None for unplaced)."""

    where: dict[tuple[str, str], str | None]
    ranks: dict[tuple[str, str], int]  # (student, group) -> choice rank of a granted chosen activity
    stage: StageResult | None
    class_full: frozenset[tuple[str, str]] = frozenset()  # (student, slot): their class's groups are full


def _rank_of(student, activity_id: str) -> int | None:
    return next((r for r, a in student.choices if a == activity_id), None)


def place(work: WorkingPlan, mobiles: list[Mobile], fill_freed: bool, settings: SolveSettings) -> Placement:
    """Solve the placement of ``mobiles`` (their earlier places already removed from ``work``)."""
    sc = work.scenario
    data = work.data
    rules = sc.school.rules
    by_slot: dict[str, list[Meeting]] = defaultdict(list)
    by_group: dict[str, list[Meeting]] = defaultdict(list)
    groups_of: dict[str, set[str]] = defaultdict(set)
    class_at: dict[tuple[str, str], list[Meeting]] = defaultdict(list)  # (class, slot) -> class groups
    for m in work.meetings.values():
        by_slot[m.slot_id].append(m)
        by_group[m.group_id].append(m)
        groups_of[m.activity_id].add(m.group_id)
        if work.kind(m) == "class":
            for c in {sc.student_by_id[s].class_id for s in m.members}:
                class_at[(c, m.slot_id)].append(m)
    profile = {
        m.key: (
            {sc.student_by_id[s].class_id for s in m.members},
            {sc.grade_of(sc.student_by_id[s]) for s in m.members},
        )
        for m in work.meetings.values()
        if work.kind(m) == "care"
    }
    spare = {m.key: max(0, work.size_cap(m) - len(m.members)) for m in work.meetings.values()}
    model = cp_model.CpModel()
    cost: list = []
    constant = 0
    use: dict[Key, list[cp_model.IntVar]] = defaultdict(list)  # meeting -> vars placing a student in it
    grant: dict[tuple[str, str], cp_model.IntVar] = {}
    care: dict[tuple[str, str, str], cp_model.IntVar] = {}
    miss: dict[tuple[str, str], cp_model.IntVar] = {}
    fixed: dict[tuple[str, str], str] = {}  # class activity places (S7: the class goes as a whole)
    class_full: set[tuple[str, str]] = set()  # ... unless every group of the class is at its cap (G4)
    taken: dict[Key, int] = defaultdict(int)
    ranks: dict[tuple[str, str], int] = {}
    for mob in mobiles:
        sid = mob.student_id
        student = sc.student_by_id[sid]
        grade = sc.grade_of(student)
        service = sc.service_slots.get(sid, ())
        free: list[str] = []
        for t in service:
            classes = class_at.get((student.class_id, t))
            if classes:
                room = [m for m in classes if spare[m.key] > taken[m.key]]
                if room:
                    chosen = min(room, key=lambda m: (len(m.members) + taken[m.key], m.group_id))
                    taken[chosen.key] += 1
                    fixed[(sid, t)] = chosen.group_id
                else:
                    class_full.add((sid, t))
            else:
                free.append(t)
        free_set = set(free)
        weight = 1.0 if mob.settled else 0.1
        old_groups = set(mob.before.values())
        old_activity = {
            sc.activity_by_id[work.meetings[(g, t)].activity_id].activity_id
            for t, g in mob.before.items()
            if (g, t) in work.meetings and work.kind(work.meetings[(g, t)]) == "choice"
        }
        old_rank = min((_rank_of(student, a) or 6 for a in old_activity), default=6)
        covered: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        choice_vars = []
        keep_vars = []
        per_activity: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        seen: set[str] = set()
        for rank, aid in student.choices:
            activity = sc.activity_by_id.get(aid)
            if activity is None or aid in seen or kind_of(activity) != "choice" or not activity.eligible(grade):
                continue
            seen.add(aid)
            for gid in sorted(groups_of.get(aid, ())):
                meetings = by_group[gid]
                slots = [m.slot_id for m in meetings]
                if not set(slots) <= free_set:
                    continue
                mine = gid in old_groups
                if any(spare[m.key] <= 0 for m in meetings):
                    continue
                if activity.kind == ActivityKind.TUTORING:
                    days = defaultdict(int)
                    for s in slots:
                        days[sc.slot_by_id[s].day] += 1
                    if max(days.values()) > rules.max_tutoring_per_day:
                        continue
                var = model.new_bool_var(f"g_{sid}_{gid}")
                grant[(sid, gid)] = var
                ranks[(sid, gid)] = rank
                choice_vars.append(var)
                per_activity[aid].append(var)
                for m in meetings:
                    use[m.key].append(var)
                    covered[m.slot_id].append(var)
                cost.append((RANK * rank - RANK * data.no_choice_cost(student)) * var)
                upgrade = fill_freed and rank < old_rank
                if old_activity and (aid in old_activity or upgrade):
                    keep_vars.append(var)
                    if aid in old_activity and not mine:
                        cost.append(round(OTHER_GROUP * weight) * var)
        if choice_vars:
            model.add(sum(choice_vars) <= rules.activities_per_student)
        for vs in per_activity.values():
            if len(vs) > 1:
                model.add(sum(vs) <= 1)
        if old_activity:
            constant += round(LOSE_ACTIVITY * weight)
            cost.append(-round(LOSE_ACTIVITY * weight) * sum(keep_vars) if keep_vars else 0)
        care_activity = sc.care_activity_of_grade.get(grade)
        for t in free:
            options = []
            if care_activity is not None:
                groups = [m for m in by_slot[t] if m.activity_id == care_activity.activity_id]

                ranked = sorted(
                    (m for m in groups if spare[m.key] > 0),
                    key=lambda m: _closeness(profile[m.key], student.class_id, grade, m.group_id),
                )
                ranked = ranked[:CARE_CANDIDATES] + [
                    m for m in ranked[CARE_CANDIDATES:] if mob.before.get(t) == m.group_id
                ]
                for m in ranked:
                    var = model.new_bool_var(f"c_{sid}_{m.group_id}")
                    care[(sid, t, m.group_id)] = var
                    options.append(var)
                    use[m.key].append(var)
                    near, distance, _ = _closeness(profile[m.key], student.class_id, grade, m.group_id)
                    moved = t in mob.before and mob.before[t] != m.group_id
                    cost.append((near * 3 + distance * 3 + (round(OTHER_CARE * weight) if moved else 0)) * var)
            gap = model.new_bool_var(f"u_{sid}_{t}")
            miss[(sid, t)] = gap
            cost.append((UNPLACED_PRIORITY if sc.is_priority(student) else UNPLACED) * gap)
            model.add(sum(covered[t]) + sum(options) + gap == 1)
    for key, vars_ in use.items():
        if vars_:
            model.add(sum(vars_) <= spare[key])
    model.minimize(sum(cost) + constant)
    solver, stage = run_stage("P placement", model, settings, settings.time_limit, deterministic_limit=10.0)
    where: dict[tuple[str, str], str | None] = dict(fixed)
    solved = stage.objective is not None
    for sid, t in [*miss, *class_full]:
        where[(sid, t)] = None
    if solved:
        for (sid, gid), var in grant.items():
            if solver.value(var):
                for m in by_group[gid]:
                    where[(sid, m.slot_id)] = gid
        for (sid, t, gid), var in care.items():
            if solver.value(var):
                where[(sid, t)] = gid
    granted = {k: r for k, r in ranks.items() if solved and solver.value(grant[k])}
    return Placement(where, granted, stage, frozenset(class_full))


def _closeness(profile: tuple[set[str], set[int]], class_id: str, grade: int, group_id: str) -> tuple[int, int, str]:
    """(0 if the student's class is in the care group, grade distance, id): nearer first (S7)."""
    classes, grades = profile
    return (0 if class_id in classes else 1, min((abs(g - grade) for g in grades), default=0), group_id)
