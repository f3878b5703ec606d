"""Welfare yardsticks for stage A: a first-come-first-served plan, deferred acceptance, a flow bound.

All three read the solver's own :class:`~cluster_planner.solver.prepare.PlanningData`, so they
see the same students, choices, eligibility (S4), weekly patterns (H4) and service slots as
the solver does.

- ``first_come_first_served`` (:mod:`cluster_planner.solver.greedy`, also the solver's
  fallback) obeys every rule stage A models (group caps and minimum sizes, ``max_groups``,
  S3, S5, locks, and the per-slot room, adult and qualified-adult capacities, care groups
  included), filling greedily in student-id order.
- :func:`deferred_acceptance` is student-proposing DA on activity capacities only
  (``max_groups × group cap``): staff, rooms and time are ignored, so it is a relaxation.
- :func:`flow_bounds` solves three min-cost flows over the same capacities: the most
  students who can get a choice, the least rank cost and the least weighted welfare cost.
  No plan can beat them.

Welfare is counted as the solver's ``objective_terms`` count it: a student "wants" a choice
when at least one of their choices is open to them; the rank cost adds the rank of every
granted choice and :data:`NONE_RANK` for a wanting student granted none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ortools.graph.python import min_cost_flow

from cluster_planner.solver.greedy import GreedyResult, options_by_student
from cluster_planner.solver.prepare import PlanningData

NONE_RANK = 6  # rank cost of a wanting student granted no choice (as in the solver's objective terms)


# ---- welfare --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Welfare:
    """Welfare of one allocation, counted the same way for every method."""

    wanting: int  # students with at least one choice open to them
    with_choice: int  # of them, students granted at least one choice
    priority_with_choice: int
    rank_cost: int  # granted ranks + NONE_RANK per wanting student granted none
    weighted_cost: int  # the solver's welfare cost: granted ranks + no-choice cost (12, priority 52) per missing

    @property
    def share(self) -> float:
        """Share of wanting students granted a choice."""
        return self.with_choice / self.wanting if self.wanting else 1.0


def welfare_of(data: PlanningData, granted: dict[str, Iterable[int]]) -> Welfare:
    """Welfare of ``granted`` (student → ranks of the choices granted)."""
    k = max(1, data.scenario.school.rules.activities_per_student)
    options = options_by_student(data)
    with_choice = priority = rank_cost = weighted = 0
    for s in data.students:
        opts = options.get(s.student_id)
        if not opts:
            continue
        ranks = list(granted.get(s.student_id, ()))
        wanted = min(k, len({o.activity_id for o in opts}))
        rank_cost += sum(ranks) + (0 if ranks else NONE_RANK)
        weighted += sum(ranks) + data.no_choice_cost(s) * max(0, wanted - len(ranks))
        if ranks:
            with_choice += 1
            priority += data.is_priority(s)
    return Welfare(len(options), with_choice, priority, rank_cost, weighted)


def greedy_welfare(data: PlanningData, result: GreedyResult) -> Welfare:
    """Welfare of a greedy allocation."""
    return welfare_of(data, {sid: [o.rank for o in opts] for sid, opts in result.granted.items()})


# ---- deferred acceptance ------------------------------------------------------------------
def activity_capacity(data: PlanningData, activity_id: str) -> int:
    """Seats of an activity in the relaxation: ``max_groups × min(max_size, group_cap)``."""
    a = data.scenario.activity_by_id[activity_id]
    return a.max_groups * data.scenario.group_cap_of(a)


def _preferences(data: PlanningData) -> dict[str, list[tuple[int, str]]]:
    """Each wanting student's open choices (rank, activity), best first, one entry per activity."""
    prefs: dict[str, list[tuple[int, str]]] = {}
    for sid, opts in options_by_student(data).items():
        best: dict[str, int] = {}
        for o in opts:
            best[o.activity_id] = min(o.rank, best.get(o.activity_id, o.rank))
        prefs[sid] = sorted((r, a) for a, r in best.items())
    return prefs


def deferred_acceptance(data: PlanningData) -> Welfare:
    """Student-proposing deferred acceptance on activity capacities only.

    Activities rank applicants by priority (S2) first, then by the seeded lottery (S6).
    A student may hold up to ``activities_per_student`` activities.
    """
    k = max(1, data.scenario.school.rules.activities_per_student)
    prefs = _preferences(data)
    student = {s.student_id: s for s in data.students}
    score = {sid: (not data.is_priority(student[sid]), data.lottery[sid]) for sid in prefs}
    held: dict[str, list[str]] = defaultdict(list)  # activity -> students held
    holding: dict[str, set[str]] = defaultdict(set)  # student -> activities held
    cursor = dict.fromkeys(prefs, 0)
    free = sorted(prefs, key=lambda sid: score[sid])
    while free:
        sid = free.pop()
        while len(holding[sid]) < k and cursor[sid] < len(prefs[sid]):
            _, aid = prefs[sid][cursor[sid]]
            cursor[sid] += 1
            held[aid].append(sid)
            holding[sid].add(aid)
            cap = activity_capacity(data, aid)
            if len(held[aid]) > cap:
                held[aid].sort(key=lambda x: score[x])
                rejected = held[aid].pop()
                holding[rejected].discard(aid)
                if rejected != sid:
                    free.append(rejected)
    rank = {(sid, a): r for sid, p in prefs.items() for r, a in p}
    return welfare_of(data, {sid: [rank[(sid, a)] for a in acts] for sid, acts in holding.items()})


# ---- flow bounds ----------------------------------------------------------------------------
@dataclass(frozen=True)
class FlowBounds:
    """What no plan can beat (the capacities of deferred acceptance, solved exactly)."""

    max_with_choice: int  # most wanting students granted a choice
    min_rank_cost: int  # least rank cost (NONE_RANK for none)
    min_weighted_cost: int  # least welfare cost in the solver's weights (12 / 52 for none)


def _min_cost_flow(
    data: PlanningData, per_student: int, arc_cost: dict[tuple[str, str], int], none_cost: dict[str, int]
) -> int:
    """Cost of source → student (cap ``per_student``) → activity (cap 1) → sink, or → sink (none)."""
    flow = min_cost_flow.SimpleMinCostFlow()
    students = sorted(none_cost)
    activities = sorted({a for _, a in arc_cost})
    node = {sid: i + 2 for i, sid in enumerate(students)}
    node |= {aid: len(students) + 2 + i for i, aid in enumerate(activities)}
    source, sink = 0, 1
    supply = 0
    k = max(1, data.scenario.school.rules.activities_per_student)
    wanted = {sid: min(per_student, k) for sid in students}
    for sid in students:
        flow.add_arc_with_capacity_and_unit_cost(source, node[sid], wanted[sid], 0)
        flow.add_arc_with_capacity_and_unit_cost(node[sid], sink, wanted[sid], none_cost[sid])
        supply += wanted[sid]
    for (sid, aid), cost in sorted(arc_cost.items()):
        flow.add_arc_with_capacity_and_unit_cost(node[sid], node[aid], 1, cost)
    for aid in activities:
        flow.add_arc_with_capacity_and_unit_cost(node[aid], sink, activity_capacity(data, aid), 0)
    flow.set_node_supply(source, supply)
    flow.set_node_supply(sink, -supply)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min cost flow failed with status {status}")
    return flow.optimal_cost()


def flow_bounds(data: PlanningData) -> FlowBounds:
    """Three min-cost flows: most students with a choice, least rank cost, least weighted cost."""
    prefs = _preferences(data)
    student = {s.student_id: s for s in data.students}
    ranks = {(sid, a): r for sid, p in prefs.items() for r, a in p}
    missing = _min_cost_flow(data, 1, dict.fromkeys(ranks, 0), dict.fromkeys(prefs, 1))
    rank_cost = _min_cost_flow(data, 1, ranks, dict.fromkeys(prefs, NONE_RANK))
    k = max(1, data.scenario.school.rules.activities_per_student)
    weighted = _min_cost_flow(data, k, ranks, {sid: data.no_choice_cost(student[sid]) for sid in prefs})
    return FlowBounds(len(prefs) - missing, rank_cost, weighted)
