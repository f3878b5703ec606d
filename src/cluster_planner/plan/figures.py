"""Figures recomputed from a plan's rows and its scenario: periods, pay, choices granted (M3, S6)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from cluster_planner.domain import Scenario, StaffKind, Student
from cluster_planner.domain.entities import AFTERNOON_KINDS
from cluster_planner.plan.model import Assignment, DutyAssignment, GroupMeeting, Plan, StaffLoad


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


def day_periods(
    scenario: Scenario, groups: Iterable[GroupMeeting], duties: Iterable[DutyAssignment]
) -> dict[str, dict[str, tuple[float, float]]]:
    """Periods each adult works on each weekday, as ``(afternoon, other)`` (M3).

    Each meeting credits its slot's ``periods``, each duty post its ``periods``; periods of
    afternoon slots are apart because ``afternoon_period_cap`` caps them per adult per day (003).
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
    return {pid: {day: (a, o) for day, (a, o) in days.items()} for pid, days in per_day.items()}


def paid_periods(afternoon: float, other: float, scenario: Scenario) -> float:
    """The periods of one adult's day that are paid: afternoon periods up to ``afternoon_period_cap`` (003)."""
    cap = scenario.school.pay.afternoon_period_cap
    return (min(afternoon, cap) if cap is not None else afternoon) + other


def staff_loads(
    scenario: Scenario, groups: Iterable[GroupMeeting], duties: Iterable[DutyAssignment]
) -> tuple[StaffLoad, ...]:
    """Periods a week and a term, and term pay, per staff member with any work (M3).

    The periods of :func:`day_periods` on each service date of the term; pay applies
    ``afternoon_period_cap`` per adult per day (:func:`paid_periods`).
    """
    per_day = day_periods(scenario, groups, duties)
    weeks = weeks_by_day(scenario)
    out = []
    for pid in sorted(per_day):
        week = term = paid = 0.0
        for day, (afternoon, other) in per_day[pid].items():
            week += afternoon + other
            term += (afternoon + other) * weeks.get(day, 0)
            paid += paid_periods(afternoon, other, scenario) * weeks.get(day, 0)
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


def rank_bucket(rank: int | None) -> str:
    """``"1"``, ``"2"``, ``"3"``, ``"other"`` (4–5) or ``"none"``: how the reports count choices granted."""
    if rank is None:
        return "none"
    return str(rank) if rank <= 3 else "other"


def fee_income(scenario: Scenario) -> tuple[float | None, int]:
    """Term fee income (M1) and the number of fee-exempt approved students."""
    money = scenario.school.money
    payers = [s for s in scenario.approved_students if not s.fee_exempt]
    exempt = len(scenario.approved_students) - len(payers)
    if money.fee_per_term is not None:
        return round(money.fee_per_term * len(payers), 2), exempt
    if money.fee_per_day is not None:
        weeks = weeks_by_day(scenario)
        days = 0
        for s in payers:
            applied = {scenario.slot_by_id[sid].day.value for sid in scenario.service_slots.get(s.student_id, ())}
            days += sum(weeks.get(d, 0) for d in applied)
        return round(money.fee_per_day * days, 2), exempt
    return None, exempt


def is_fee_exempt(scenario: Scenario, student: Student) -> bool:
    """M1: the student's family pays nothing this term (``fee_exempt``)."""
    return student.fee_exempt


def service_fee(scenario: Scenario, student: Student) -> float | None:
    """M1: one student's service fee for the term before any exemption: ``fee_per_term``, else ``fee_per_day``
    times the term's dates on the days they applied for (None: the school charges no service fee)."""
    money = scenario.school.money
    if money.fee_per_term is not None:
        return money.fee_per_term
    if money.fee_per_day is None:
        return None
    weeks = weeks_by_day(scenario)
    slots = scenario.service_slots.get(student.student_id, ())
    applied = {scenario.slot_by_id[sid].day.value for sid in slots}
    return round(money.fee_per_day * sum(weeks.get(d, 0) for d in applied), 2)


@dataclass(frozen=True)
class Headline:
    """The headline figures of a plan: the numbers behind the report's summary sheet and ``cp.compare``.

    Choice counts are over approved students who gave choices (``with_choices``), by the best
    choice granted. Money is per term; ``balance`` is fee income plus subsidy less pay, None
    when the school gives neither fees nor subsidy.
    """

    approved: int
    planned: int
    unplaced: int
    with_choices: int
    choice_1: int
    choice_2: int
    choice_3: int
    choice_other: int
    choice_none: int
    priority: int
    priority_served: int
    groups: int
    meetings: int
    adults: int
    duty_adults: int
    periods_week: float
    periods_term: float
    cost: float
    fee_income: float | None
    fee_exempt: int
    subsidy: float | None
    balance: float | None

    def share(self, count: int) -> float | None:
        """``count`` as a share of the students who gave choices (None when nobody did)."""
        return count / self.with_choices if self.with_choices else None


def headline(scenario: Scenario, plan: Plan, loads: Iterable[StaffLoad]) -> Headline:
    """The headline figures of ``plan``, recomputed from its rows, ``loads`` and the scenario (S1, S2, S6, M1–M3)."""
    loads = tuple(loads)
    approved = scenario.approved_students
    unplaced_ids = {u.student_id for u in plan.unplaced}
    n_unplaced = sum(1 for s in approved if s.student_id in unplaced_ids)
    wanting = [s for s in approved if s.choices]
    best = choices_granted(scenario, plan.assignments)
    buckets = Counter(rank_bucket(best.get(s.student_id)) for s in wanting)
    priority = [s for s in approved if scenario.is_priority(s)]
    cost = round(sum(x.pay_term for x in loads), 2)
    income, exempt = fee_income(scenario)
    subsidy_year = scenario.school.money.subsidy_per_student_year
    subsidy = round(subsidy_year * len(approved) / 2, 2) if subsidy_year is not None else None
    balance = None
    if income is not None or subsidy is not None:
        balance = round((income or 0.0) + (subsidy or 0.0) - cost, 2)
    return Headline(
        approved=len(approved),
        planned=len(approved) - n_unplaced,
        unplaced=n_unplaced,
        with_choices=len(wanting),
        choice_1=buckets.get("1", 0),
        choice_2=buckets.get("2", 0),
        choice_3=buckets.get("3", 0),
        choice_other=buckets.get("other", 0),
        choice_none=buckets.get("none", 0),
        priority=len(priority),
        priority_served=sum(1 for s in priority if s.student_id not in unplaced_ids),
        groups=len({g.group_id for g in plan.groups}),
        meetings=len(plan.groups),
        adults=len({p for g in plan.groups for p in g.staff_ids}),
        duty_adults=len({d.staff_id for d in plan.duty_roster}),
        periods_week=round(sum(x.periods_week for x in loads), 2),
        periods_term=round(sum(x.periods_term for x in loads), 2),
        cost=cost,
        fee_income=income,
        fee_exempt=exempt,
        subsidy=subsidy,
        balance=balance,
    )
