"""Figures recomputed from a plan's rows and its scenario: periods, pay, choices granted (M3, S6)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from cluster_planner.domain import Scenario, StaffKind
from cluster_planner.domain.entities import AFTERNOON_KINDS
from cluster_planner.plan.model import Assignment, DutyAssignment, GroupMeeting, StaffLoad


def weeks_by_day(scenario: Scenario) -> dict[str, int]:
    """How many service dates of the term fall on each weekday (holidays excluded)."""
    counts: Counter[str] = Counter()
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    for day in scenario.school.service_dates():
        counts[names[day.weekday()]] += 1
    return dict(counts)


def rate_of(scenario: Scenario, staff_id: str) -> float:
    """Yuan per period: the person's own rate, else the pay of their kind."""
    person = scenario.staff_by_id[staff_id]
    return person.rate if person.rate is not None else getattr(scenario.school.pay, StaffKind(person.kind).value)


def staff_loads(
    scenario: Scenario, groups: Iterable[GroupMeeting], duties: Iterable[DutyAssignment]
) -> tuple[StaffLoad, ...]:
    """Periods a week and a term, and term pay, per staff member with any work (M3).

    Each meeting credits its slot's ``periods``, each duty post its ``periods``. Pay applies
    ``afternoon_period_cap`` per adult per day to periods from afternoon slots (003).
    """
    slot = scenario.slot_by_id
    post_periods = {(p.day.value, p.slot_id or "", p.post): p.periods for p in scenario.duties}
    per_day: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
    for g in groups:
        s = slot[g.slot_id]
        afternoon = s.kind in AFTERNOON_KINDS
        for pid in g.staff_ids:
            per_day[pid][s.day.value][0 if afternoon else 1] += s.periods
    for d in duties:
        s = slot.get(d.slot_id) if d.slot_id else None
        afternoon = s is not None and s.kind in AFTERNOON_KINDS
        per_day[d.staff_id][d.day][0 if afternoon else 1] += post_periods.get((d.day, d.slot_id, d.post), 0.0)
    weeks = weeks_by_day(scenario)
    cap = scenario.school.pay.afternoon_period_cap
    out = []
    for pid in sorted(per_day):
        week = term = paid = 0.0
        for day, (afternoon, other) in per_day[pid].items():
            week += afternoon + other
            term += (afternoon + other) * weeks.get(day, 0)
            capped = min(afternoon, cap) if cap is not None else afternoon
            paid += (capped + other) * weeks.get(day, 0)
        out.append(StaffLoad(pid, round(week, 2), round(term, 2), round(paid * rate_of(scenario, pid), 2)))
    return tuple(out)


def choices_granted(scenario: Scenario, assignments: Iterable[Assignment]) -> dict[str, int | None]:
    """Best choice rank granted per approved student (None: no choice granted)."""
    best: dict[str, int | None] = {s.student_id: None for s in scenario.approved_students}
    for a in assignments:
        if a.choice_rank is not None:
            current = best.get(a.student_id)
            best[a.student_id] = a.choice_rank if current is None else min(current, a.choice_rank)
    return best
