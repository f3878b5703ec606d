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
# priority student (S2) as much as rules.PRIORITY_FACTOR others; an outside adult (T1) costs more
# than any meeting's pay; then pay, preferences, balance, continuity.
DROP_WEIGHT = 1_000_000
DROP_SIZE_WEIGHT = 10_000
DUTY_MISS_WEIGHT = 500_000
OUTSIDE_WEIGHT = 50  # per period an outside person leads (T1; own_teachers_first makes it exact)
PREF_BONUS = 30
BALANCE_WEIGHT = 1  # per hundredth of a period of the busiest teacher
SAME_ADULT_BONUS = 10
GREEDY_ORDERS = ("scarce", "slot")  # the greedy start's two meeting orders (see _greedy_staffing)
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
    posts = sorted(scenario.duties, key=lambda p: (p.day.index, p.slot_id or "", p.post, p.kind.value))
    activity = scenario.activity_by_id
    cands_a = {
        i: [p.staff_id for p in data.qualified_at(activity[meetings[i].activity_id], meetings[i].slot_id)]
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
        found = StaffingModel(data, meetings, active, posts, offered, cands_d, greedy).solve(settings, wall_left)
    else:
        found = StaffingModel(data, meetings, active, posts, cands_a, cands_d, greedy).solve(settings, wall_left)
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


class StaffingModel:
    """The weekly staffing model (C2): variables, one method per rule, objective terms by name.

    Adults per meeting come from the candidate lists given; the search starts from ``greedy``.
    """

    def __init__(
        self,
        data: PlanningData,
        meetings: tuple[Meeting, ...],
        active: tuple[int, ...],
        posts: list[DutyPost],
        cands_a: dict[int, list[str]],
        cands_d: dict[int, list[str]],
        greedy: tuple[dict[int, tuple[str, ...]], dict[int, list[str]]],
    ) -> None:
        self.data = data
        self.scenario = data.scenario
        self.meetings = meetings
        self.active = active
        self.posts = posts
        self.cands_a = cands_a
        self.cands_d = cands_d
        self.greedy = greedy
        self.staff = sorted(self.scenario.staff, key=lambda p: p.staff_id)
        self.slot = self.scenario.slot_by_id
        self.model = cp_model.CpModel()
        self._add_variables()
        self.add_constraints()

    # ---- variables --------------------------------------------------------------------
    def _add_variables(self) -> None:
        """Meetings' adults and drops, duty holders and misses, the busiest teacher's load, and
        "same adult as the group's first meeting" (in this order: CP-SAT's search follows it)."""
        m = self.model
        self.a: dict[tuple[int, str], cp_model.IntVar] = {}  # (meeting, adult) -> the adult leads it
        self.drop: dict[int, cp_model.IntVar] = {}
        self.prefs: dict[int, dict[str, int]] = {}  # meeting -> adult -> pupils who asked for them
        pref_of = {s.student_id: s.teacher_pref for s in self.data.students if s.teacher_pref}
        for i in self.active:
            self.drop[i] = m.new_bool_var(f"drop|{i}")
            for pid in self.cands_a[i]:
                self.a[(i, pid)] = m.new_bool_var(f"a|{i}|{pid}")
            counts: dict[str, int] = defaultdict(int)
            for sid in self.meetings[i].members:
                if sid in pref_of:
                    counts[pref_of[sid]] += 1
            self.prefs[i] = counts
        self.d: dict[tuple[int, str], cp_model.IntVar] = {}  # (post, adult) -> the adult holds it
        self.miss: dict[int, cp_model.IntVar] = {}  # post -> places left unfilled
        for j, post in enumerate(self.posts):
            for pid in self.cands_d[j]:
                self.d[(j, pid)] = m.new_bool_var(f"d|{j}|{pid}")
            self.miss[j] = m.new_int_var(0, post.count, f"miss|{j}")
        self.load = self._load()
        self.peak: cp_model.IntVar | None = None
        if any(p.kind == StaffKind.TEACHER and self.load.get(p.staff_id) for p in self.staff):
            self.peak = m.new_int_var(0, 100 * PERIOD_SCALE * len(self.data.slots), "peak_load")
        self.same = self._same_adult_variables()

    def _load(self) -> dict[str, list[tuple[int, cp_model.IntVar, str]]]:
        """Adult -> (hundredths of a period, literal, day) of every meeting and post they may take."""
        load: dict[str, list[tuple[int, cp_model.IntVar, str]]] = defaultdict(list)
        for (i, pid), v in self.a.items():
            s = self.slot[self.meetings[i].slot_id]
            load[pid].append((round(s.periods * PERIOD_SCALE), v, s.day.value))
        for (j, pid), v in self.d.items():
            load[pid].append((round(self.posts[j].periods * PERIOD_SCALE), v, self.posts[j].day.value))
        return load

    def _same_adult_variables(self) -> list[tuple[cp_model.IntVar, cp_model.IntVar, cp_model.IntVar]]:
        """(same, adult at a later meeting, the adult at the group's first meeting) for each group with
        several meetings a week (T7, continuity); hinted off."""
        by_group: dict[str, list[int]] = defaultdict(list)
        for i in self.active:
            if self.meetings[i].kind != "care":
                by_group[self.meetings[i].group_id].append(i)
        by_meeting: dict[int, list[tuple[str, cp_model.IntVar]]] = defaultdict(list)
        for (j, pid), v in self.a.items():
            by_meeting[j].append((pid, v))
        same = []
        for gid, idx in sorted(by_group.items()):
            if len(idx) < 2:
                continue
            first = idx[0]
            for i in idx[1:]:
                for pid, v in by_meeting[i]:
                    if (first, pid) in self.a:
                        both = self.model.new_bool_var(f"same|{gid}|{i}|{pid}")
                        self.model.add_hint(both, False)
                        same.append((both, v, self.a[(first, pid)]))
        return same

    # ---- constraints ------------------------------------------------------------------
    def add_constraints(self) -> None:
        self._add_adults_needed()
        self._add_duty_posts()
        self._add_one_place_at_a_time()
        self._add_one_all_day_post()
        self._add_periods()
        self._add_peak_load()
        self._add_same_adult()

    def _add_adults_needed(self) -> None:
        """T4: a meeting held has the adults its size needs (the pupil ratio); else it is dropped."""
        ratio = rules.ratio(self.scenario)
        for i in self.active:
            need = rules.adults_needed(self.meetings[i].size, ratio)
            self.model.add(sum(self.a[(i, pid)] for pid in self.cands_a[i]) == need * (1 - self.drop[i]))

    def _add_duty_posts(self) -> None:
        """T6: a duty post has its count of holders (of its kind, cleared, available), or misses."""
        for j, post in enumerate(self.posts):
            self.model.add(sum(self.d[(j, pid)] for pid in self.cands_d[j]) + self.miss[j] == post.count)

    def _add_one_place_at_a_time(self) -> None:
        """T5: an adult leads or holds at most one thing over each set of slots at once."""
        by_staff_slot: dict[tuple[str, str], list[cp_model.IntVar]] = defaultdict(list)
        for (i, pid), v in self.a.items():
            by_staff_slot[(pid, self.meetings[i].slot_id)].append(v)
        for (j, pid), v in self.d.items():
            if self.posts[j].slot_id:
                by_staff_slot[(pid, self.posts[j].slot_id)].append(v)
        for p in self.staff:
            for slot_set in self.data.simultaneous:
                lits = [v for other in sorted(slot_set) for v in by_staff_slot.get((p.staff_id, other), [])]
                if len(lits) > 1:
                    self.model.add_at_most_one(lits)

    def _add_one_all_day_post(self) -> None:
        """T5/T6: a person holds one all-day post of a day at most."""
        allday: dict[tuple[str, object], list[cp_model.IntVar]] = defaultdict(list)
        for (j, pid), v in self.d.items():
            if not self.posts[j].slot_id:
                allday[(pid, self.posts[j].day)].append(v)
        for lits in allday.values():
            if len(lits) > 1:
                self.model.add_at_most_one(lits)

    def _add_periods(self) -> None:
        """T5: periods per week and per day within each adult's limits."""
        for p in self.staff:
            terms = self.load.get(p.staff_id, [])
            if not terms:
                continue
            week, day_cap = rules.week_limit(p), rules.day_limit(p)
            if week is not None:
                self.model.add(sum(c * v for c, v, _ in terms) <= round(week * PERIOD_SCALE))
            if day_cap is not None:
                for day in sorted({t[2] for t in terms}):  # sorted: the same model in every process (S6)
                    self.model.add(sum(c * v for c, v, dd in terms if dd == day) <= round(day_cap * PERIOD_SCALE))

    def _add_peak_load(self) -> None:
        """T7 (balance): the peak load is at least every teacher's periods in the week."""
        if self.peak is None:
            return
        for p in self.staff:
            terms = self.load.get(p.staff_id, [])
            if terms and p.kind == StaffKind.TEACHER:
                self.model.add(sum(c * v for c, v, _ in terms) <= self.peak)

    def _add_same_adult(self) -> None:
        """T7 (continuity): "same adult" holds only where the adult leads both meetings."""
        for both, later, first in self.same:
            self.model.add_implication(both, later)
            self.model.add_implication(both, first)

    # ---- objective --------------------------------------------------------------------
    def objective_terms(self) -> dict[str, cp_model.LinearExprT]:
        """The objective terms by name, in the office's order (all minimised): meetings dropped
        (per pupil, priority first, S1/S2), duty places missed, outside people (T1), pay (M3),
        preferences (菜单双选), balance (T7), continuity (T7)."""
        priority = self.data.priority_ids
        outside = {p.staff_id for p in self.staff if rules.is_outside(p)}
        periods = {i: self.slot[self.meetings[i].slot_id].periods for i in self.active}
        a, d = self.a, self.d
        return {
            "dropped": sum(
                (DROP_WEIGHT + DROP_SIZE_WEIGHT * rules.lost_students_weight(self.meetings[i].members, priority)) * v
                for i, v in self.drop.items()
            ),
            "duty_misses": sum(DUTY_MISS_WEIGHT * v for v in self.miss.values()),
            "outside": sum(
                round(OUTSIDE_WEIGHT * max(periods[i], 0.01)) * v for (i, pid), v in a.items() if pid in outside
            ),
            "pay": sum(round(rate_of(self.scenario, pid) * periods[i]) * v for (i, pid), v in a.items())
            + sum(round(rate_of(self.scenario, pid) * self.posts[j].periods) * v for (j, pid), v in d.items()),
            "preferences": sum(
                -PREF_BONUS * self.prefs[i][pid] * v for (i, pid), v in a.items() if self.prefs[i].get(pid)
            ),
            "balance": BALANCE_WEIGHT * self.peak if self.peak is not None else 0,
            "continuity": sum(self._continuity_bonus()),
        }

    def _continuity_bonus(self) -> list[cp_model.LinearExprT]:
        """A group with several meetings a week prefers the same adult at each (T7, continuity)."""
        return [-SAME_ADULT_BONUS * both for both, _, _ in self.same]

    def _hint(self) -> None:
        """Start the search from the greedy staffing (a complete, feasible plan)."""
        adults, holders = self.greedy
        for (i, pid), v in self.a.items():
            self.model.add_hint(v, pid in adults.get(i, ()))
        for i, v in self.drop.items():
            self.model.add_hint(v, i not in adults)
        for (j, pid), v in self.d.items():
            self.model.add_hint(v, pid in holders.get(j, ()))
        for j, v in self.miss.items():
            self.model.add_hint(v, self.posts[j].count - len(holders.get(j, ())))
        if self.peak is not None:  # a complete hint is taken at once; without the peak it took seconds
            self.model.add_hint(self.peak, self._greedy_peak())

    def _greedy_peak(self) -> int:
        """The peak teacher load (as :meth:`_add_peak_load` counts it, from :meth:`_load`) of the greedy staffing."""
        adults, holders = self.greedy
        on = {v.index for (i, pid), v in self.a.items() if pid in adults.get(i, ())}
        on |= {v.index for (j, pid), v in self.d.items() if pid in holders.get(j, ())}
        loads = [
            sum(c for c, v, _ in self.load.get(p.staff_id, []) if v.index in on)
            for p in self.staff
            if p.kind == StaffKind.TEACHER
        ]
        return max(loads, default=0)

    def solve(self, settings: SolveSettings, wall_left: float) -> StaffPlan:
        """Adults per meeting, duty holders, unfilled posts and dropped meetings (every active
        meeting dropped when CP-SAT finds nothing in time; the caller then keeps the greedy plan)."""
        self.model.minimize(sum(self.objective_terms().values()))
        self._hint()
        # No hint search: measured on nine-year-3000, the dive along the (complete) greedy hint took
        # 2.5 of the stage's 3.5 s and found nothing better; without it 1.0 s, a better plan.
        solver, result = run_stage(
            "C staff", self.model, settings, wall_left, relative_gap=settings.relative_gap, hint_search=False
        )
        if result.objective is None:
            return StaffPlan({}, (), (), tuple(self.active), result)
        adults: dict[int, tuple[str, ...]] = {}
        dropped = []
        for i in self.active:
            if solver.value(self.drop[i]):
                dropped.append(i)
                continue
            adults[i] = tuple(sorted(pid for pid in self.cands_a[i] if solver.value(self.a[(i, pid)])))
        holders = tuple((self.posts[j], pid) for (j, pid), v in sorted(self.d.items()) if solver.value(v))
        unfilled = tuple((self.posts[j], solver.value(mv)) for j, mv in self.miss.items() if solver.value(mv))
        return StaffPlan(adults, holders, unfilled, tuple(dropped), result)


def _shortfall(plan: StaffPlan, meetings: tuple[Meeting, ...], priority: frozenset[str]) -> tuple[int, int]:
    """Students left without an adult (priority first), then duty places unfilled."""
    return (
        sum(rules.lost_students_weight(meetings[i].members, priority) for i in plan.dropped),
        sum(n for _, n in plan.unfilled_duties),
    )


def _greedy_staffing(
    data: PlanningData,
    meetings: tuple[Meeting, ...],
    active: tuple[int, ...],
    posts: list[DutyPost],
    cands_a: dict[int, list[str]],
    cands_d: dict[int, list[str]],
) -> tuple[dict[int, tuple[str, ...]], dict[int, list[str]]]:
    """A feasible start: the better (``_shortfall``: priority pupils first) of two greedy passes,
    meetings with the fewest possible adults first, and meetings in slot order, priority first.

    Measured on 3,000 students: without a greedy start CP-SAT found no staffing in minutes.
    Scarcest first staffs club meetings before care takes the weekly hours of the adults with
    their skill (generated-3000: 734 of 734 meetings, against 712 in slot order); slot order
    serves priority pupils first where adults run short for everyone.
    """
    best: tuple[tuple[int, int], tuple[dict[int, tuple[str, ...]], dict[int, list[str]]]] | None = None
    for order in GREEDY_ORDERS:
        greedy = _greedy_pass(data, meetings, active, posts, cands_a, cands_d, order)
        key = _shortfall(_greedy_plan(greedy, posts, active, None), meetings, data.priority_ids)
        if best is None or key < best[0]:
            best = (key, greedy)
    assert best is not None
    return best[1]


def _greedy_pass(
    data: PlanningData,
    meetings: tuple[Meeting, ...],
    active: tuple[int, ...],
    posts: list[DutyPost],
    cands_a: dict[int, list[str]],
    cands_d: dict[int, list[str]],
    order_by: str,
) -> tuple[dict[int, tuple[str, ...]], dict[int, list[str]]]:
    """Duties, then meetings in the ``order_by`` order, each to its least-loaded free candidates.

    A group's later meetings keep its earlier adults where they are free (continuity).
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

    def urgency(i: int) -> tuple[int, int, int, int]:
        m = meetings[i]
        first = -sum(1 for s in m.members if s in priority)
        if order_by == "scarce":  # the hardest to staff, then S2, then the week's order, the largest
            return len(cands_a[i]), first, order[m.slot_id], -m.size
        return order[m.slot_id], first, len(cands_a[i]), -m.size  # the week's order, S2 first

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
