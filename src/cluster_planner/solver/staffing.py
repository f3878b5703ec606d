"""Stage C2: adults for every meeting and holders for every duty post (T2–T7).

One weekly CP-SAT model: staff meet workload limits across days, so slots are coupled.
A meeting no qualified adult can lead is dropped (its students are listed as unplaced with
that reason); an unfilled duty post is reported.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from cluster_planner import rules
from cluster_planner.domain import DutyPost, StaffKind
from cluster_planner.plan.figures import rate_of
from cluster_planner.solver.grouping import Meeting
from cluster_planner.solver.params import SolveSettings, StageResult, run_stage
from cluster_planner.solver.prepare import PlanningData

PERIOD_SCALE = 100  # periods may be fractional; the model counts hundredths
# The office's order (S1, S2 before T1 before pay): a dropped meeting costs per student, a
# priority student (S2) as much as PRIORITY_FACTOR others; an outside adult (T1) costs more
# than any meeting's pay; then pay, preferences, balance, continuity.
DROP_WEIGHT = 1_000_000
DROP_SIZE_WEIGHT = 10_000
PRIORITY_FACTOR = 100
DUTY_MISS_WEIGHT = 500_000
OUTSIDE_WEIGHT = 50  # per period an outside person leads (T1; own_teachers_first makes it exact)
PREF_BONUS = 30
BALANCE_WEIGHT = 1  # per hundredth of a period of the busiest teacher
SAME_ADULT_BONUS = 10
CANDIDATES = 6  # other free adults offered per meeting besides the greedy and asked-for ones


@dataclass(frozen=True)
class StaffPlan:
    """Adults per meeting (by index) and holders per duty post instance."""

    adults: dict[int, tuple[str, ...]]
    duties: tuple[tuple[DutyPost, str], ...]
    unfilled_duties: tuple[tuple[DutyPost, int], ...]
    dropped: tuple[int, ...]
    result: StageResult | None


def assign_staff(
    data: PlanningData,
    meetings: tuple[Meeting, ...],
    active: tuple[int, ...],
    settings: SolveSettings,
    wall_left: float,
    greedy_only: bool = False,
) -> StaffPlan:
    """Staff the ``active`` meetings and fill the duty posts (``greedy_only``: no CP-SAT).

    A greedy pass staffs every meeting it can; the model then chooses each meeting's adults
    among the greedy ones, the adults pupils asked for, the adults of the group's other
    meetings and the first few other free candidates (``CANDIDATES``). Only when the greedy
    pass leaves a meeting unstaffed does the model get every qualified adult.
    """
    scenario = data.scenario
    staff = sorted(scenario.staff, key=lambda p: p.staff_id)
    slot = scenario.slot_by_id
    posts = sorted(scenario.duties, key=lambda p: (p.day.index, p.slot_id or "", p.post, p.kind.value))
    cands_a = {
        i: [
            p.staff_id
            for p in staff
            if rules.may_lead(p, scenario.activity_by_id[meetings[i].activity_id], slot[meetings[i].slot_id])
        ]
        for i in active
    }
    cands_d = {
        j: [p.staff_id for p in staff if rules.may_hold_duty(p, post, data.slots)] for j, post in enumerate(posts)
    }
    greedy = _greedy_staffing(data, meetings, active, posts, cands_a, cands_d)
    if greedy_only:
        return own_teachers_first(data, meetings, _greedy_plan(greedy, posts, active, None))
    if len(greedy[0]) == len(active):
        offered = _offered_adults(data, meetings, active, cands_a, greedy[0])
        found = _staff_model(data, meetings, active, posts, offered, cands_d, greedy, settings, wall_left)
    else:
        found = _staff_model(data, meetings, active, posts, cands_a, cands_d, greedy, settings, wall_left)
    fallback = _greedy_plan(greedy, posts, active, found.result)
    # CP-SAT may lose the hint in presolve and stop on its budget with a worse cover (seen on
    # nine-year-3000): never return less cover than the greedy start.
    if found.result is None or found.result.objective is None:
        return fallback
    priority = data.priority_ids
    best = fallback if _shortfall(fallback, meetings, priority) < _shortfall(found, meetings, priority) else found
    return own_teachers_first(data, meetings, best)


def _offered_adults(
    data: PlanningData,
    meetings: tuple[Meeting, ...],
    active: tuple[int, ...],
    cands_a: dict[int, list[str]],
    chosen: dict[int, tuple[str, ...]],
) -> dict[int, list[str]]:
    """Per meeting: greedy adults, asked-for adults, the group's other adults, a few others."""
    pref_of = {s.student_id: s.teacher_pref for s in data.students if s.teacher_pref}
    group_adults: dict[str, set[str]] = defaultdict(set)
    for i in active:
        group_adults[meetings[i].group_id].update(chosen.get(i, ()))
    offered: dict[int, list[str]] = {}
    for i in active:
        m = meetings[i]
        allowed = set(cands_a[i])
        must = set(chosen.get(i, ())) | {pref_of[s] for s in m.members if s in pref_of} | group_adults[m.group_id]
        must &= allowed
        others = [pid for pid in cands_a[i] if pid not in must]
        # Spread the extra candidates over the list so meetings do not all share the same few.
        step = max(1, len(others) // CANDIDATES) if others else 1
        start = i % step
        offered[i] = sorted(must | set(others[start::step][:CANDIDATES]))
    return offered


def _staff_model(
    data: PlanningData,
    meetings: tuple[Meeting, ...],
    active: tuple[int, ...],
    posts: list[DutyPost],
    cands_a: dict[int, list[str]],
    cands_d: dict[int, list[str]],
    greedy: tuple[dict[int, tuple[str, ...]], dict[int, list[str]]],
    settings: SolveSettings,
    wall_left: float,
) -> StaffPlan:
    """The weekly staffing model over the candidate lists given, hinted with ``greedy``."""
    scenario = data.scenario
    ratio = rules.ratio(scenario)
    model = cp_model.CpModel()
    staff = sorted(scenario.staff, key=lambda p: p.staff_id)
    slot = scenario.slot_by_id
    a: dict[tuple[int, str], cp_model.IntVar] = {}
    drop: dict[int, cp_model.IntVar] = {}
    prefs: dict[int, dict[str, int]] = {}
    pref_of = {s.student_id: s.teacher_pref for s in data.students if s.teacher_pref}
    for i in active:
        m = meetings[i]
        need = rules.adults_needed(m.size, ratio)
        drop[i] = model.new_bool_var(f"drop|{i}")
        for pid in cands_a[i]:
            a[(i, pid)] = model.new_bool_var(f"a|{i}|{pid}")
        model.add(sum(a[(i, pid)] for pid in cands_a[i]) == need * (1 - drop[i]))
        counts: dict[str, int] = defaultdict(int)
        for sid in m.members:
            if sid in pref_of:
                counts[pref_of[sid]] += 1
        prefs[i] = counts

    # Duty posts (T6): count holders of the post's kind, cleared and available.
    d: dict[tuple[int, str], cp_model.IntVar] = {}
    miss: dict[int, cp_model.IntVar] = {}
    for j, post in enumerate(posts):
        for pid in cands_d[j]:
            d[(j, pid)] = model.new_bool_var(f"d|{j}|{pid}")
        miss[j] = model.new_int_var(0, post.count, f"miss|{j}")
        model.add(sum(d[(j, pid)] for pid in cands_d[j]) + miss[j] == post.count)

    # T5: one place at a time (meetings at overlapping slots and posts held at a slot).
    by_staff_slot: dict[tuple[str, str], list[cp_model.IntVar]] = defaultdict(list)
    for (i, pid), v in a.items():
        by_staff_slot[(pid, meetings[i].slot_id)].append(v)
    for (j, pid), v in d.items():
        if posts[j].slot_id:
            by_staff_slot[(pid, posts[j].slot_id)].append(v)
    allday: dict[tuple[str, object], list[cp_model.IntVar]] = defaultdict(list)
    for (j, pid), v in d.items():
        if not posts[j].slot_id:
            allday[(pid, posts[j].day)].append(v)
    for p in staff:
        for slot_set in data.simultaneous:
            lits = [v for other in sorted(slot_set) for v in by_staff_slot.get((p.staff_id, other), [])]
            if len(lits) > 1:
                model.add_at_most_one(lits)
    # A person holds one all-day post of a day at most.
    for lits in allday.values():
        if len(lits) > 1:
            model.add_at_most_one(lits)

    # T5: periods per day and per week.
    load: dict[str, list[tuple[int, cp_model.IntVar, str]]] = defaultdict(list)
    for (i, pid), v in a.items():
        s = slot[meetings[i].slot_id]
        load[pid].append((round(s.periods * PERIOD_SCALE), v, s.day.value))
    for (j, pid), v in d.items():
        load[pid].append((round(posts[j].periods * PERIOD_SCALE), v, posts[j].day.value))
    loads = []
    for p in staff:
        terms = load.get(p.staff_id, [])
        if not terms:
            continue
        week, day_cap = rules.week_limit(p), rules.day_limit(p)
        if week is not None:
            model.add(sum(c * v for c, v, _ in terms) <= round(week * PERIOD_SCALE))
        if day_cap is not None:
            for day in {t[2] for t in terms}:
                model.add(sum(c * v for c, v, dd in terms if dd == day) <= round(day_cap * PERIOD_SCALE))
        if p.kind == StaffKind.TEACHER:
            loads.append(sum(c * v for c, v, _ in terms))

    # Objective: cover (priority first, S1/S2), duties, own teachers first (T1), then pay (M3),
    # preferences (菜单双选), balance (T7), continuity.
    priority = data.priority_ids
    outside = {p.staff_id for p in staff if rules.is_outside(p)}
    cost = []
    for i, dv in drop.items():
        weight = dropped_students_weight(meetings[i].members, priority)
        cost.append((DROP_WEIGHT + DROP_SIZE_WEIGHT * weight) * dv)
    cost.extend(DUTY_MISS_WEIGHT * mv for mv in miss.values())
    for (i, pid), v in a.items():
        periods = slot[meetings[i].slot_id].periods
        cost.append(round(rate_of(scenario, pid) * periods) * v)
        if pid in outside:
            cost.append(round(OUTSIDE_WEIGHT * max(periods, 0.01)) * v)
        if prefs[i].get(pid):
            cost.append(-PREF_BONUS * prefs[i][pid] * v)
    for (j, pid), v in d.items():
        cost.append(round(rate_of(scenario, pid) * posts[j].periods) * v)
    if loads:
        peak = model.new_int_var(0, 100 * PERIOD_SCALE * len(data.slots), "peak_load")
        for expr in loads:
            model.add(expr <= peak)
        cost.append(BALANCE_WEIGHT * peak)
    cost.extend(_continuity_bonus(model, meetings, active, a))
    model.minimize(sum(cost))
    _hint(model, greedy, a, d, drop, miss, posts)
    solver, result = run_stage("C staff", model, settings, wall_left, relative_gap=settings.relative_gap)
    if result.objective is None:
        return StaffPlan({}, (), (), tuple(active), result)
    adults: dict[int, tuple[str, ...]] = {}
    dropped = []
    for i in active:
        if solver.value(drop[i]):
            dropped.append(i)
            continue
        adults[i] = tuple(sorted(pid for pid in cands_a[i] if solver.value(a[(i, pid)])))
    holders = tuple((posts[j], pid) for (j, pid), v in sorted(d.items()) if solver.value(v))
    unfilled = tuple((posts[j], solver.value(mv)) for j, mv in miss.items() if solver.value(mv))
    return StaffPlan(adults, holders, unfilled, tuple(dropped), result)


def _hint(
    model: cp_model.CpModel,
    greedy: tuple[dict[int, tuple[str, ...]], dict[int, list[str]]],
    a: dict[tuple[int, str], cp_model.IntVar],
    d: dict[tuple[int, str], cp_model.IntVar],
    drop: dict[int, cp_model.IntVar],
    miss: dict[int, cp_model.IntVar],
    posts: list[DutyPost],
) -> None:
    """Start the search from the greedy staffing (a complete, feasible plan)."""
    adults, holders = greedy
    for (i, pid), v in a.items():
        model.add_hint(v, pid in adults.get(i, ()))
    for i, v in drop.items():
        model.add_hint(v, i not in adults)
    for (j, pid), v in d.items():
        model.add_hint(v, pid in holders.get(j, ()))
    for j, v in miss.items():
        model.add_hint(v, posts[j].count - len(holders.get(j, ())))


def dropped_students_weight(members: tuple[str, ...], priority: frozenset[str]) -> int:
    """S1/S2: students losing a meeting, a priority student counting as ``PRIORITY_FACTOR`` others."""
    return sum(PRIORITY_FACTOR if s in priority else 1 for s in members)


def _shortfall(plan: StaffPlan, meetings: tuple[Meeting, ...], priority: frozenset[str]) -> tuple[int, int]:
    """Students left without an adult (priority first), then duty places unfilled."""
    return (
        sum(dropped_students_weight(meetings[i].members, priority) for i in plan.dropped),
        sum(n for _, n in plan.unfilled_duties),
    )


def _continuity_bonus(
    model: cp_model.CpModel,
    meetings: tuple[Meeting, ...],
    active: tuple[int, ...],
    a: dict[tuple[int, str], cp_model.IntVar],
) -> list[cp_model.LinearExprT]:
    """A group with several meetings a week prefers the same adult at each (T7, continuity)."""
    by_group: dict[str, list[int]] = defaultdict(list)
    for i in active:
        if meetings[i].kind != "care":
            by_group[meetings[i].group_id].append(i)
    by_meeting: dict[int, list[tuple[str, cp_model.IntVar]]] = defaultdict(list)
    for (j, pid), v in a.items():
        by_meeting[j].append((pid, v))
    terms = []
    for gid, idx in sorted(by_group.items()):
        if len(idx) < 2:
            continue
        first = idx[0]
        for i in idx[1:]:
            for pid, v in by_meeting[i]:
                if (first, pid) in a:
                    both = model.new_bool_var(f"same|{gid}|{i}|{pid}")
                    model.add_hint(both, False)
                    model.add_implication(both, v)
                    model.add_implication(both, a[(first, pid)])
                    terms.append(-SAME_ADULT_BONUS * both)
    return terms


def _greedy_staffing(
    data: PlanningData,
    meetings: tuple[Meeting, ...],
    active: tuple[int, ...],
    posts: list[DutyPost],
    cands_a: dict[int, list[str]],
    cands_d: dict[int, list[str]],
) -> tuple[dict[int, tuple[str, ...]], dict[int, list[str]]]:
    """A feasible start: duties, then meetings in slot order, each to the least-loaded free candidate.

    A group's later meetings keep its earlier adults where they are free (continuity).
    Measured on 3,000 students: without it CP-SAT found no staffing in minutes; with it the
    search starts from a complete plan and only improves.
    """
    scenario = data.scenario
    slot = scenario.slot_by_id
    load = StaffLoad(data)
    fits, take, week_load = load.fits, load.take, load.week
    outside = {p.staff_id for p in scenario.staff if rules.is_outside(p)}

    adults_of: dict[int, tuple[str, ...]] = {}
    holders: dict[int, list[str]] = {}
    allday: set[tuple[str, str]] = set()
    for j, post in enumerate(posts):
        chosen: list[str] = []
        for pid in sorted(cands_d[j], key=lambda p: (week_load[p], p)):
            if len(chosen) == post.count:
                break
            if not post.slot_id and (pid, post.day.value) in allday:
                continue
            if fits(pid, post.slot_id, post.day.value, post.periods):
                take(pid, post.slot_id, post.day.value, post.periods)
                if not post.slot_id:
                    allday.add((pid, post.day.value))
                chosen.append(pid)
        holders[j] = chosen

    ratio = rules.ratio(scenario)
    group_adults: dict[str, list[str]] = defaultdict(list)
    order = {s.slot_id: k for k, s in enumerate(data.slots)}
    priority = data.priority_ids

    def urgency(i: int) -> tuple[int, int, int, int]:  # S2 first, then the hardest to staff, then the largest
        m = meetings[i]
        return order[m.slot_id], -sum(1 for s in m.members if s in priority), len(cands_a[i]), -m.size

    for i in sorted(active, key=urgency):
        m = meetings[i]
        s = slot[m.slot_id]
        need = rules.adults_needed(m.size, ratio)
        earlier = group_adults[m.group_id]
        chosen = []
        for pid in sorted(cands_a[i], key=lambda p: (p in outside, p not in earlier, week_load[p], p)):
            if len(chosen) == need:
                break
            if fits(pid, m.slot_id, s.day.value, s.periods):
                chosen.append(pid)
        if len(chosen) == need:
            adults_of[i] = tuple(sorted(chosen))
            for pid in chosen:
                take(pid, m.slot_id, s.day.value, s.periods)
                if pid not in earlier:
                    earlier.append(pid)
    return adults_of, holders


def _greedy_plan(
    greedy: tuple[dict[int, tuple[str, ...]], dict[int, list[str]]],
    posts: list[DutyPost],
    active: tuple[int, ...],
    result: StageResult | None,
) -> StaffPlan:
    """The greedy staffing, used when CP-SAT found nothing better in time (never an empty plan)."""
    adults, holders = greedy
    duties = tuple((posts[j], pid) for j in sorted(holders) for pid in sorted(holders[j]))
    unfilled = tuple(
        (post, post.count - len(holders.get(j, [])))
        for j, post in enumerate(posts)
        if post.count > len(holders.get(j, []))
    )
    dropped = tuple(i for i in active if i not in adults)
    return StaffPlan(adults, duties, unfilled, dropped, result)


class StaffLoad:
    """What each adult already does in a staffing: slots taken, periods a day and a week (T5)."""

    def __init__(self, data: PlanningData) -> None:
        self.data = data
        self.busy: set[tuple[str, str]] = set()
        self.day: dict[tuple[str, str], float] = defaultdict(float)
        self.week: dict[str, float] = defaultdict(float)

    def fits(self, pid: str, slot_id: str | None, day: str, periods: float) -> bool:
        """T5: free at every slot at once with ``slot_id`` and within the day's and week's limits."""
        person = self.data.scenario.staff_by_id[pid]
        if slot_id and any((pid, o) in self.busy for o in self.data.overlapping[slot_id]):
            return False
        week, day_cap = rules.week_limit(person), rules.day_limit(person)
        if week is not None and self.week[pid] + periods > week + 1e-9:
            return False
        return day_cap is None or self.day[(pid, day)] + periods <= day_cap + 1e-9

    def take(self, pid: str, slot_id: str | None, day: str, periods: float, sign: int = 1) -> None:
        if slot_id:
            if sign > 0:
                self.busy.add((pid, slot_id))
            else:
                self.busy.discard((pid, slot_id))
        self.day[(pid, day)] += sign * periods
        self.week[pid] += sign * periods


def own_teachers_first(data: PlanningData, meetings: tuple[Meeting, ...], plan: StaffPlan) -> StaffPlan:
    """T1: an outside person keeps a meeting only where no free own adult with the skill and hours is left.

    Each meeting led by an outside person is offered, in slot order, to a free own teacher or
    leader who may lead it (T2, T3, T5); the first that fits takes the outsider's place.
    """
    scenario = data.scenario
    slot = scenario.slot_by_id
    load = StaffLoad(data)
    for i, pids in plan.adults.items():
        s = slot[meetings[i].slot_id]
        for pid in pids:
            load.take(pid, s.slot_id, s.day.value, s.periods)
    for post, pid in plan.duties:
        load.take(pid, post.slot_id, post.day.value, post.periods)
    own = [p for p in sorted(scenario.staff, key=lambda p: p.staff_id) if not rules.is_outside(p)]
    order = {t.slot_id: k for k, t in enumerate(data.slots)}
    adults = dict(plan.adults)
    for i in sorted(adults, key=lambda i: (order[meetings[i].slot_id], i)):
        m = meetings[i]
        s = slot[m.slot_id]
        activity = scenario.activity_by_id[m.activity_id]
        for pid in adults[i]:
            if not rules.is_outside(scenario.staff_by_id[pid]):
                continue
            free = [
                p.staff_id
                for p in own
                if p.staff_id not in adults[i]
                and rules.may_lead(p, activity, s)
                and load.fits(p.staff_id, s.slot_id, s.day.value, s.periods)
            ]
            if not free:
                continue
            chosen = min(free, key=lambda q: (load.week[q], q))
            load.take(pid, s.slot_id, s.day.value, s.periods, sign=-1)
            load.take(chosen, s.slot_id, s.day.value, s.periods)
            adults[i] = tuple(sorted(chosen if q == pid else q for q in adults[i]))
    return replace(plan, adults=adults)
