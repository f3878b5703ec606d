"""Figures recomputed from a plan's rows and its scenario: periods, pay, choices granted (M3, S6)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from cluster_planner import rules
from cluster_planner.domain import Scenario, Student
from cluster_planner.plan.model import Assignment, DutyAssignment, GroupMeeting, Plan, StaffLoad


def weeks_by_day(scenario: Scenario) -> dict[str, int]:
    """How many service dates of the term fall on each weekday (holidays excluded)."""
    counts: Counter[str] = Counter()
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    for day in scenario.school.service_dates():
        counts[names[day.weekday()]] += 1
    return dict(counts)


def rate_of(scenario: Scenario, staff_id: str) -> float:
    """Yuan per period: the person's own rate, else the pay of their kind (M3, :func:`rules.pay_rate`)."""
    return rules.pay_rate(scenario, scenario.staff_by_id[staff_id])


def day_periods(
    scenario: Scenario, groups: Iterable[GroupMeeting], duties: Iterable[DutyAssignment]
) -> dict[str, dict[str, tuple[float, float]]]:
    """Periods each adult works on each weekday, as ``(afternoon, other)`` (M3).

    Each meeting credits its slot's ``periods``, each duty post its ``periods``; periods of
    afternoon slots are apart because ``afternoon_period_cap`` caps them per adult per day (003,
    :func:`rules.paid_periods`).
    """
    slot = scenario.slot_by_id
    post_periods = {(p.day.value, p.slot_id or "", p.post): p.periods for p in scenario.duties}
    per_day: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
    for g in groups:
        s = slot[g.slot_id]
        for pid in g.staff_ids:
            per_day[pid][s.day.value][0 if rules.in_afternoon(s) else 1] += s.periods
    for d in duties:
        s = slot.get(d.slot_id) if d.slot_id else None
        periods = post_periods.get((d.day, d.slot_id, d.post), 0.0)
        per_day[d.staff_id][d.day][0 if rules.in_afternoon(s) else 1] += periods
    return {pid: {day: (a, o) for day, (a, o) in days.items()} for pid, days in per_day.items()}


def staff_loads(
    scenario: Scenario, groups: Iterable[GroupMeeting], duties: Iterable[DutyAssignment]
) -> tuple[StaffLoad, ...]:
    """Periods a week and a term, and term pay, per staff member with any work (M3).

    The periods of :func:`day_periods` on each service date of the term; a day's pay counts its
    afternoon periods up to ``afternoon_period_cap`` (003) and the rest in full (:func:`rules.paid_periods`).
    """
    per_day = day_periods(scenario, groups, duties)
    weeks = weeks_by_day(scenario)
    cap = rules.afternoon_period_cap(scenario)
    out = []
    for pid in sorted(per_day):
        week = term = paid = 0.0
        for day, (afternoon, other) in per_day[pid].items():
            week += afternoon + other
            term += (afternoon + other) * weeks.get(day, 0)
            paid += rules.paid_periods(afternoon, other, cap) * weeks.get(day, 0)
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
    """Term service-fee income (M1): :func:`service_fee` of every approved student who is not exempt
    (:func:`rules.is_fee_exempt`), and the number of exempt approved students."""
    approved = scenario.approved_students
    payers = [s for s in approved if not rules.is_fee_exempt(scenario, s)]
    exempt = len(approved) - len(payers)
    if not service_fee_charged(scenario):
        return None, exempt
    weeks = weeks_by_day(scenario)
    return round(sum(service_fee(scenario, s, weeks) or 0.0 for s in payers), 2), exempt


def service_fee_charged(scenario: Scenario) -> bool:
    """M1: the school charges a service fee (``fee_per_term`` or ``fee_per_day``)."""
    money = scenario.school.money
    return money.fee_per_term is not None or money.fee_per_day is not None


def service_fee(scenario: Scenario, student: Student, weeks: dict[str, int] | None = None) -> float | None:
    """M1: one student's service fee for the term before any exemption: ``fee_per_term``, else ``fee_per_day``
    times the term's dates on the days they applied for (None: the school charges no service fee).
    ``weeks``: :func:`weeks_by_day`, when the caller has it."""
    money = scenario.school.money
    if money.fee_per_term is not None:
        return money.fee_per_term
    if money.fee_per_day is None:
        return None
    weeks = weeks if weeks is not None else weeks_by_day(scenario)
    slots = scenario.service_slots.get(student.student_id, ())
    applied = {scenario.slot_by_id[sid].day.value for sid in slots}
    return round(money.fee_per_day * sum(weeks.get(d, 0) for d in applied), 2)


def term_subsidy(scenario: Scenario) -> float | None:
    """M2: the term's subsidy, half a year's ``subsidy_per_student_year`` for each approved student (None: none
    given)."""
    per_year = scenario.school.money.subsidy_per_student_year
    return round(per_year * len(scenario.approved_students) / 2, 2) if per_year is not None else None


@dataclass(frozen=True)
class ActivityFees:
    """The fee income of one activity with a fee (M1): who pays it, who is exempt, the sum."""

    activity_id: str
    fee: float
    payers: int
    exempt: int
    amount: float


def activity_fees(scenario: Scenario, plan: Plan) -> tuple[ActivityFees, ...]:
    """M1: per activity with a ``fee`` that meets in ``plan``, in menu order: its approved students placed in it
    who pay (not :func:`rules.is_fee_exempt`) and the sum, ``fee`` × payers, as family notices charge it."""
    activity_of_group = {g.group_id: g.activity_id for g in plan.groups}
    takers: dict[str, set[str]] = defaultdict(set)
    for a in plan.assignments:
        takers[activity_of_group.get(a.group_id, "")].add(a.student_id)
    approved = {s.student_id: s for s in scenario.approved_students}
    out = []
    for activity in scenario.activities:
        if not activity.fee or activity.activity_id not in takers:
            continue
        students = [approved[sid] for sid in sorted(takers[activity.activity_id]) if sid in approved]
        payers = sum(1 for s in students if not rules.is_fee_exempt(scenario, s))
        fee = activity.fee
        out.append(ActivityFees(activity.activity_id, fee, payers, len(students) - payers, round(fee * payers, 2)))
    return tuple(out)


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
    subsidy = term_subsidy(scenario)
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
