"""M3, pay by period: each adult's ``periods_term`` and ``pay_term`` in staff_load.csv, recomputed from the
plan's own rows (groups.csv, duty_roster.csv) over the term's service dates.

The work is recounted here from the plan files (:func:`cluster_planner.check.staff.commitments`: each
meeting credits its slot's ``periods``, each duty post its ``periods``) and the service dates from
school.toml (``term_start`` … ``term_end``, holidays out: :func:`derive.dates_by_day`); nothing is taken
from the plan's own figures. What one day pays, the afternoon cap of 003 (at most ``afternoon_period_cap``
periods from the end of classes to 18:00 per adult and day) and the rate per period are the rule book's
(:mod:`cluster_planner.rules.money`), the one definition the plan's figures use too.
"""

from __future__ import annotations

from collections import defaultdict

from cluster_planner import rules
from cluster_planner.check import derive
from cluster_planner.check.staff import Commitment
from cluster_planner.check.view import PlanView
from cluster_planner.check.violation import Violation
from cluster_planner.i18n import register

TOLERANCE = 0.01
"""staff_load.csv figures are written to the fen (two decimals)."""

register(
    {
        "check.pay_mismatch": (
            "staff_load.csv 写 {who} 本学期课时费 {listed} 元；按方案的组和值班重新计算，本学期计酬 {paid} 课时 × "
            "每课时 {rate} 元 = {actual} 元，应为 {actual}",
            "staff_load.csv says {who} is paid {listed} yuan for the term; recomputed from the plan's groups and "
            "duties, {paid} paid periods × {rate} yuan = {actual} yuan, so it should say {actual}",
        ),
        "check.periods_term_mismatch": (
            "staff_load.csv 写 {who} 本学期 {listed} 课时；方案的组和值班在本学期 {dates} 个服务日共 {actual} 课时，"
            "应为 {actual}",
            "staff_load.csv says {who} works {listed} periods in the term; the plan's groups and duties on the "
            "term's {dates} service dates credit {actual}, so it should say {actual}",
        ),
    }
)


def _num(value: float) -> float | int:
    value = round(float(value), 2)
    return int(value) if value.is_integer() else value


def term_figures(view: PlanView, staff_id: str, work: list[Commitment]) -> tuple[float, float, float]:
    """(periods in the term, paid periods in the term, pay in the term) of one adult's weekly ``work``."""
    dates = derive.dates_by_day(view.scenario.school)
    cap = rules.afternoon_period_cap(view.scenario)
    per_day: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for c in work:
        per_day[c.day][0 if rules.in_afternoon(c.slot) else 1] += c.periods
    periods = sum((a + o) * dates.get(day, 0) for day, (a, o) in per_day.items())
    paid = sum(rules.paid_periods(a, o, cap) * dates.get(day, 0) for day, (a, o) in per_day.items())
    rate = rules.pay_rate(view.scenario, view.scenario.staff_by_id[staff_id])
    return periods, paid, paid * rate


def check_pay(view: PlanView, work: dict[str, list[Commitment]]) -> list[Violation]:
    """M3: every staff_load.csv row's ``periods_term`` and ``pay_term`` (a blank cell reads 0) equal what the
    plan's groups and duties give over the term (to the fen). Unknown staff are F2; a working adult
    missing from the file is ``load_missing``."""
    out: list[Violation] = []
    seen: set[str] = set()
    dates = sum(derive.dates_by_day(view.scenario.school).values())
    for row in view.plan.staff_load:
        person = view.scenario.staff_by_id.get(row.staff_id)
        if person is None or row.staff_id in seen:
            continue
        seen.add(row.staff_id)
        periods, paid, pay = term_figures(view, row.staff_id, work.get(row.staff_id, []))
        who = f"{row.staff_id} {person.name}".strip()
        listed_periods, listed_pay = row.periods_term or 0.0, row.pay_term or 0.0
        if abs(listed_periods - periods) > TOLERANCE:
            params = {"who": who, "listed": _num(listed_periods), "actual": _num(periods), "dates": dates}
            out.append(Violation("M3", "periods_term_mismatch", (row.staff_id,), params))
        if abs(listed_pay - pay) > TOLERANCE:
            rate = rules.pay_rate(view.scenario, person)
            params = {
                "who": who,
                "listed": _num(listed_pay),
                "actual": _num(pay),
                "paid": _num(paid),
                "rate": _num(rate),
            }
            out.append(Violation("M3", "pay_mismatch", (row.staff_id,), params))
    return out
