"""Regression tests of "One rule book (1 of 2)": each failure seen on unseen schools, named after its rule.

Every solve goes through the independent checker (the ``solve`` fixture); each test also
asserts the rule's own outcome, so it fails where the solver broke the rule before the fix.
"""

from __future__ import annotations

from builders import care_activity, classrooms, scenario, school, slots, students_of, teachers

from cluster_planner.domain import Activity, HomeClass, Room, School, Staff, Timeslot
from cluster_planner.plan import Plan
from cluster_planner.solver.prepare import prepare


def _staff_of(plan: Plan, slot_id: str) -> set[str]:
    return {p for g in plan.groups if g.slot_id == slot_id for p in g.staff_ids}


def test_S2_priority_in_care_decides_who_is_dropped(solve):
    """One care teacher, a class of 41 ordinary pupils and a class of 10 left-behind pupils:
    the left-behind pupils keep their place (before the fix all 10 were unplaced)."""
    sc = scenario(
        school=school(),
        timeslots=slots(days=("Mon",), clubs=False),
        classes=[HomeClass(class_id="1-1", grade=1), HomeClass(class_id="1-2", grade=1)],
        students=students_of("1-1", 41) + students_of("1-2", 10, priority="left_behind"),
        activities=[care_activity()],
        rooms=classrooms(2),
        staff=teachers(1),
    )
    plan = solve(sc)
    unplaced = {u.student_id for u in plan.unplaced}
    assert not any(s.startswith("1-2-") for s in unplaced)
    assert {a.student_id for a in plan.assignments} >= {f"1-2-{k:03d}" for k in range(1, 11)}


def _two_bells(junior_autumn: tuple[str, str], junior_summer: tuple[str, str] | None, season: str):
    """A nine-year school: a primary care slot and a junior care slot on Monday, one room, two adults."""
    primary = Timeslot(
        slot_id="Mon-P", day="Mon", start="15:50", end="16:35", summer_start="15:50", summer_end="16:35",
        kind="care", grades="1-6",
    )  # fmt: skip
    junior = Timeslot(
        slot_id="Mon-J", day="Mon", start=junior_autumn[0], end=junior_autumn[1],
        summer_start=junior_summer[0] if junior_summer else None,
        summer_end=junior_summer[1] if junior_summer else None,
        kind="care", grades="7-9",
    )  # fmt: skip
    return scenario(
        school=School(
            name="九年一贯制", term_start="2026-09-07", term_end="2026-12-25", level="nine_year", season=season
        ),
        timeslots=[primary, junior],
        classes=[HomeClass(class_id="3-1", grade=3), HomeClass(class_id="8-1", grade=8)],
        students=students_of("3-1", 30) + students_of("8-1", 30),
        activities=[care_activity(grades="1-9")],
        rooms=[Room(room_id="R01", name="教室1", type="classroom", capacity=50)],
        staff=teachers(2),
    )


def _room_holders(plan: Plan) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for g in plan.groups:
        out.setdefault(g.room_id, set()).add(g.slot_id)
    return out


def test_R1_two_bells_one_room_autumn(solve):
    """Junior 16:20–17:05 overlaps primary 15:50–16:35: the one room never holds both groups."""
    plan = solve(_two_bells(("16:20", "17:05"), None, "autumn_winter"))
    assert _room_holders(plan).get("R01", set()) != {"Mon-P", "Mon-J"}
    assert plan.unplaced  # one of the two groups has no room: listed, not double-booked


def test_R1_two_bells_one_room_summer_only(solve):
    """Apart in autumn (16:40–17:25) but overlapping in summer (16:20–17:05): still one group at once."""
    plan = solve(_two_bells(("16:40", "17:25"), ("16:20", "17:05"), "autumn_winter"))
    assert _room_holders(plan).get("R01", set()) != {"Mon-P", "Mon-J"}


def test_T1_own_teacher_before_a_volunteer(solve):
    """An unpaid volunteer with the skill is cheaper, but a free teacher with the skill leads the group."""
    sc = scenario(
        school=school(),
        timeslots=slots(days=("Mon",), clubs=False),
        classes=[HomeClass(class_id="1-1", grade=1)],
        students=students_of("1-1", 40),
        activities=[care_activity()],
        rooms=classrooms(1),
        staff=[
            Staff(staff_id="V01", name="志愿者", kind="volunteer", skills="care", background_check="yes"),
            *teachers(1),
        ],
    )
    plan = solve(sc)
    assert _staff_of(plan, "Mon-1") == {"T01"}


def test_S5_class_tutoring_counts_toward_the_daily_limit(solve):
    """A class-mode tutoring meeting on Monday plus a chosen tutoring on Monday would be two a day."""
    days = ("Mon", "Tue")
    sc = scenario(
        school=school(max_tutoring_per_day=1),
        timeslots=slots(days=days),
        classes=[HomeClass(class_id="3-1", grade=3)],
        students=students_of("3-1", 20, choice1="QA"),
        activities=[
            care_activity(),
            Activity(activity_id="HW", name="作业辅导", kind="tutoring", mode="class", grades="3", slots="Mon-1"),
            Activity(activity_id="QA", name="答疑", kind="tutoring", grades="3", slots="Mon-2", max_groups=1),
        ],
        rooms=classrooms(3),
        staff=teachers(3),
    )
    plan = solve(sc)
    tutoring = {"HW", "QA"}
    per_day: dict[tuple[str, str], int] = {}
    for a in plan.assignments:
        if a.activity_id in tutoring:
            per_day[(a.student_id, a.day)] = per_day.get((a.student_id, a.day), 0) + 1
    assert per_day and max(per_day.values()) == 1


def test_T3_guard_without_the_care_skill_leads_no_care_group(solve):
    """A cleared security guard without the care skill is no care adult (stage A counted him)."""
    sc = scenario(
        school=school(),
        timeslots=slots(days=("Mon",), clubs=False),
        classes=[HomeClass(class_id="1-1", grade=1), HomeClass(class_id="2-1", grade=2)],
        students=students_of("1-1", 40) + students_of("2-1", 40),
        activities=[care_activity()],
        rooms=classrooms(2),
        staff=[Staff(staff_id="G01", name="保安", kind="security", background_check="yes"), *teachers(1)],
    )
    assert "G01" not in {p.staff_id for p in prepare(sc).qualified_staff(sc.activities[0])}  # stage A's count
    plan = solve(sc)
    assert "G01" not in _staff_of(plan, "Mon-1")
    assert len(plan.unplaced) == 40  # one group has its teacher; the other has no adult, listed with the reason


def test_T5_teacher_with_no_weekly_periods_leads_nothing(solve):
    """max_periods_week = 0: the teacher is not counted as qualified and leads nothing."""
    sc = scenario(
        school=school(),
        timeslots=slots(days=("Mon",), clubs=False),
        classes=[HomeClass(class_id="1-1", grade=1)],
        students=students_of("1-1", 30),
        activities=[care_activity()],
        rooms=classrooms(1),
        staff=[Staff(staff_id="T00", name="老师0", kind="teacher", skills="care", max_periods_week=0), *teachers(1)],
    )
    assert [p.staff_id for p in prepare(sc).qualified_staff(sc.activities[0])] == ["T01"]  # stage A's count
    plan = solve(sc)
    assert _staff_of(plan, "Mon-1") == {"T01"}
