"""Issue 17 item 4, money that checks itself: the rule book's M1 (who pays, the caps) and M3 (a day's paid periods),
and the one reading of each: every consumer (figures, notices, comply, validation, the checker) asks it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from builders import care_activity, classrooms, scenario, school, slots, teachers

from cluster_planner import rules
from cluster_planner.domain import HomeClass, Student
from cluster_planner.plan.figures import fee_income


def money_school(students: list[Student], **money: object):
    sc = scenario(
        school=school(),
        timeslots=slots(("Mon",), clubs=False),
        classes=[HomeClass(class_id="C1", grade=3)],
        students=students,
        activities=[care_activity()],
        staff=teachers(1),
        rooms=classrooms(1),
    )
    return sc.model_copy(
        update={"school": sc.school.model_copy(update={"money": sc.school.money.model_validate(money)})}
    )


@pytest.mark.parametrize(
    ("fee_exempt", "priority", "exempt_low_income", "exempt"),
    [
        (None, "low_income", True, True),  # M1: a family in difficulty is exempt when nothing is said (000 方案4)
        ("no", "low_income", True, False),  # fee_exempt = no: the school decided this family pays
        ("yes", "", True, True),  # fee_exempt = yes exempts anyone
        (None, "", True, False),  # blank and not low_income: pays
        (None, "left_behind", True, False),  # other priority groups pay unless marked
        (None, "low_income", False, False),  # [money] exempt_low_income = no: only fee_exempt exempts
        ("yes", "low_income", False, True),
        ("否", "困难", True, False),  # Chinese words
    ],
)
def test_issue17_m1_who_is_exempt(fee_exempt, priority, exempt_low_income, exempt) -> None:
    fields = {"priority": priority} | ({"fee_exempt": fee_exempt} if fee_exempt is not None else {})
    student = Student(student_id="S1", class_id="C1", **fields)
    sc = money_school([student], fee_per_term=300, exempt_low_income=exempt_low_income)
    assert rules.is_fee_exempt(sc, sc.students[0]) is exempt
    assert fee_income(sc) == ((0.0, 1) if exempt else (300.0, 0))


def test_issue17_m1_exempt_low_income_reads_yes_and_no_words() -> None:
    sc = money_school([Student(student_id="S1", class_id="C1")], exempt_low_income="否")
    assert rules.exempt_low_income(sc) is False


@pytest.mark.parametrize(
    ("money", "above"),
    [
        ({"fee_per_term": 350, "fee_cap_term": 300}, ("money.fee_per_term",)),
        ({"fee_per_day": 30, "fee_cap_day": 24}, ("money.fee_per_day",)),  # summer care, 002
        ({"fee_per_day": 24, "fee_cap_day": 24}, ()),  # at the cap
        ({"fee_per_day": 30}, ()),  # no cap given
        (
            {"fee_per_term": 400, "fee_cap_term": 300, "fee_per_day": 25, "fee_cap_day": 24},
            ("money.fee_per_term", "money.fee_per_day"),
        ),
    ],
)
def test_issue17_m1_fees_above_their_caps(money: dict, above: tuple[str, ...]) -> None:
    sc = money_school([Student(student_id="S1", class_id="C1")], **money)
    assert tuple(x.key for x in rules.fees_above_cap(sc)) == above


@pytest.mark.parametrize(
    ("afternoon", "other", "cap", "paid"),
    [
        (3, 0, 2, 2),  # 003: at most 2 periods from the end of classes to 18:00
        (3, 2, 2, 4),  # morning, noon and all-day duties are paid in full
        (1.5, 0, 2, 1.5),
        (3, 1, None, 4),  # no cap given
    ],
)
def test_issue17_m3_paid_periods_of_a_day(afternoon: float, other: float, cap: float | None, paid: float) -> None:
    assert rules.paid_periods(afternoon, other, cap) == paid


def test_issue17_new_money_settings_left_at_their_default_keep_the_scenario_hash() -> None:
    """``fee_cap_day``, ``exempt_low_income``, ``other_costs`` unset and a blank ``fee_exempt`` hash as before they
    existed (plans saved earlier still match); set, they change it."""
    plain = money_school([Student(student_id="S1", class_id="C1")], fee_per_term=300)
    text = plain.canonical_json()
    assert not any(k in text for k in ("fee_cap_day", "exempt_low_income", "other_costs"))
    assert '"fee_exempt":false' in text
    for money in ({"fee_cap_day": 24}, {"exempt_low_income": False}, {"other_costs": {"材料费": 10}}):
        assert money_school([Student(student_id="S1", class_id="C1")], fee_per_term=300, **money).content_hash() != (
            plain.content_hash()
        )


SRC = Path(__file__).resolve().parents[2] / "src" / "cluster_planner"


def test_issue17_one_exemption_rule_every_consumer_asks() -> None:
    """Nobody outside the rule book reads ``fee_exempt``, ``exempt_low_income``, ``afternoon_period_cap`` or
    ``fee_cap_day`` on an entity (the checker, domain and io aside, as for every rule field)."""
    fields = {"fee_exempt", "exempt_low_income", "afternoon_period_cap", "fee_cap_day"}
    allowed = ("rules", "domain", "io")
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if rel.parts[0] in allowed or str(rel) in ("generate.py", "district/generate.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in fields
                and isinstance(node.ctx, ast.Load)
                and not (isinstance(node.value, ast.Name) and node.value.id in ("rules", "h"))  # h: Headline's count
            ):
                offenders.append(f"{rel}:{node.lineno} .{node.attr}")
    assert offenders == [], "read these through cluster_planner.rules"
