"""Money (M1, M3): who pays, the approved caps, what a period of work pays.

Every reader of fees and pay asks these: the plan's figures (staff_load.csv, the report's summary),
family notices, the 收支公示, the compliance report, validation, and the checker, which recounts an
adult's periods from the plan's files but takes the day's paid periods and the rate from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from cluster_planner.domain.entities import AFTERNOON_KINDS, Priority, Staff, StaffKind, Student, Timeslot
from cluster_planner.domain.scenario import Scenario


def exempt_low_income(scenario: Scenario) -> bool:
    """M1: ``[money] exempt_low_income`` (default yes): families in difficulty pay nothing unless marked no."""
    return scenario.school.money.exempt_low_income


def is_fee_exempt(scenario: Scenario, student: Student) -> bool:
    """M1: the student's family pays nothing this term.

    ``fee_exempt`` yes: exempt; no: pays; blank: exempt when the student is ``low_income`` and the school
    keeps ``exempt_low_income`` (000 方案4, 002: 对家庭经济困难学生减免).
    """
    if student.fee_exempt is not None:
        return student.fee_exempt
    return exempt_low_income(scenario) and Priority.LOW_INCOME in student.priority


@dataclass(frozen=True)
class FeeAboveCap:
    """A ``[money]`` fee above its approved cap (M1): the setting, the fee and the cap."""

    key: str
    fee: float
    cap: float


def fees_above_cap(scenario: Scenario) -> tuple[FeeAboveCap, ...]:
    """M1: ``fee_per_term`` above ``fee_cap_term``, ``fee_per_day`` above ``fee_cap_day`` (each where both are
    given). Validation warns of each; the compliance report counts each a violation."""
    money = scenario.school.money
    pairs = (
        ("money.fee_per_term", money.fee_per_term, money.fee_cap_term),
        ("money.fee_per_day", money.fee_per_day, money.fee_cap_day),
    )
    return tuple(
        FeeAboveCap(key, fee, cap)
        for key, fee, cap in pairs
        if fee is not None and cap is not None and fee > cap + 1e-9
    )


def fee_cap_term(scenario: Scenario) -> float | None:
    """M1: the approved cap of what one student pays in a term (None: not given)."""
    return scenario.school.money.fee_cap_term


def fee_cap_day(scenario: Scenario) -> float | None:
    """M1: the approved cap per service day, e.g. 24 yuan in summer care (002) (None: not given)."""
    return scenario.school.money.fee_cap_day


def pay_rate(scenario: Scenario, person: Staff) -> float:
    """M3: yuan per period: the person's own ``rate``, else the ``[pay]`` of their kind."""
    if person.rate is not None:
        return person.rate
    return float(getattr(scenario.school.pay, StaffKind(person.kind).value))


def afternoon_period_cap(scenario: Scenario) -> float | None:
    """M3 (003): periods paid per adult per day from the end of classes to 18:00 (None: no cap)."""
    return scenario.school.pay.afternoon_period_cap


def in_afternoon(slot: Timeslot | None) -> bool:
    """M3 (003): work at ``slot`` falls between the end of classes and 18:00 (a care, club or tutoring slot);
    an all-day duty (no slot), morning, noon and evening study do not."""
    return slot is not None and slot.kind in AFTERNOON_KINDS


def paid_periods(afternoon: float, other: float, cap: float | None) -> float:
    """M3: periods paid for one adult's day: the afternoon's up to ``cap``, the rest in full."""
    return (min(afternoon, cap) if cap is not None else afternoon) + other
