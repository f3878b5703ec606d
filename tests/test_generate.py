"""The school generator: deterministic, realistic, and plannable in spirit."""

from __future__ import annotations

import math
import re
from collections import Counter

import pytest
from click.testing import CliRunner

from cluster_planner.cli import cli
from cluster_planner.domain import ActivityMode, Scenario, SlotKind, StaffKind, StudentStatus
from cluster_planner.domain.validation import validate
from cluster_planner.domain.values import minutes, parse_time
from cluster_planner.generate import CLASS_SIZE, generate_school


@pytest.fixture(scope="module")
def primary_school() -> Scenario:
    """A 600-applicant primary school (grades 1-6), seed 7."""
    return generate_school(600, "1-6", seed=7)


@pytest.fixture(scope="module")
def nine_year_school() -> Scenario:
    """A 400-applicant nine-year school (grades 1-9) with evening study for 7-9."""
    return generate_school(400, "1-9", seed=3, evening_study=True)


def _approved_by_class(scenario: Scenario) -> Counter[str]:
    return Counter(s.class_id for s in scenario.approved_students)


# ---- determinism --------------------------------------------------------------------------
def test_same_seed_gives_the_same_school() -> None:
    a, b = generate_school(150, seed=11), generate_school(150, seed=11)
    assert a == b
    assert a.content_hash() == b.content_hash()


def test_another_seed_gives_another_school() -> None:
    assert generate_school(150, seed=11) != generate_school(150, seed=12)


def test_seed_is_the_lottery_seed() -> None:
    assert generate_school(50, seed=42).school.rules.seed == 42


# ---- the whole school ------------------------------------------------------------------------
@pytest.mark.parametrize("school", ["primary_school", "nine_year_school"])
def test_generated_school_has_no_validation_errors(school: str, request: pytest.FixtureRequest) -> None:
    scenario = request.getfixturevalue(school)
    errors = [f.render("en") for f in validate(scenario) if f.is_error]
    assert errors == []


def test_number_of_applicants_is_exact(primary_school: Scenario) -> None:
    assert len(primary_school.students) == 600


def test_levels_follow_grades(primary_school: Scenario, nine_year_school: Scenario) -> None:
    assert primary_school.school.level == "primary"
    assert nine_year_school.school.level == "nine_year"
    assert generate_school(60, "7-9").school.level == "junior"


# ---- classes and students ---------------------------------------------------------------------
def test_class_rolls_are_38_to_52_and_hold_the_applicants(primary_school: Scenario) -> None:
    applicants = Counter(s.class_id for s in primary_school.students)
    for c in primary_school.classes:
        size = int(c.extra["size"])
        assert CLASS_SIZE[0] <= size <= CLASS_SIZE[1]
        assert 1 <= applicants[c.class_id] <= size


def test_application_rates_vary_by_class(primary_school: Scenario) -> None:
    approved = _approved_by_class(primary_school)
    assert max(approved.values()) >= 40  # G1: a class forms its own group
    assert sum(10 <= n <= 35 for n in approved.values()) >= len(primary_school.classes) / 2


def test_statuses_are_mostly_approved(primary_school: Scenario) -> None:
    statuses = Counter(s.status for s in primary_school.students)
    assert set(statuses) == set(StudentStatus)
    assert 0.8 <= statuses[StudentStatus.APPROVED] / len(primary_school.students) <= 0.95


def test_about_eight_percent_have_a_priority(primary_school: Scenario) -> None:
    share = sum(bool(s.priority) for s in primary_school.students) / len(primary_school.students)
    assert 0.04 <= share <= 0.13


def test_about_a_quarter_apply_for_part_of_the_week(primary_school: Scenario) -> None:
    share = sum(bool(s.days) for s in primary_school.students) / len(primary_school.students)
    assert 0.15 <= share <= 0.35


def test_every_approved_grade_has_a_care_activity(nine_year_school: Scenario) -> None:
    care = nine_year_school.care_activity_of_grade
    assert all(nine_year_school.grade_of(s) in care for s in nine_year_school.approved_students)


def test_choices_are_open_to_the_grade_and_some_give_few(primary_school: Scenario) -> None:
    activity = primary_school.activity_by_id
    for s in primary_school.students:
        for _, aid in s.choices:
            a = activity[aid]
            assert a.eligible(primary_school.grade_of(s))
            assert a.mode == ActivityMode.CHOICE and a.kind != "care"
        assert len({aid for _, aid in s.choices}) == len(s.choices)
    counts = Counter(len(s.choices) for s in primary_school.students)
    assert counts[0] + counts[1] + counts[2] > 0
    assert counts[5] > counts[1]


def test_popular_activities_are_oversubscribed(primary_school: Scenario) -> None:
    first = Counter(s.choice1 for s in primary_school.approved_students if s.choice1)
    places = {a.activity_id: (a.max_size or 45) * a.max_groups for a in primary_school.activities}
    assert any(first[aid] > places[aid] for aid in first)
    assert min(first.values()) < max(first.values()) / 4  # some items are much less wanted


def test_parent_phones_are_fictitious_eleven_digits(primary_school: Scenario) -> None:
    for s in primary_school.students:
        assert re.fullmatch(r"10\d-\d{4}-\d{4}", s.parent_phone)
        assert s.parent_name


# ---- time -------------------------------------------------------------------------------------
def test_afternoon_slots_for_grades_1_to_6_end_by_18(nine_year_school: Scenario) -> None:
    latest_primary, latest_junior = parse_time("18:00"), parse_time("18:30")
    for slot in nine_year_school.timeslots:
        ends = [slot.end, slot.summer_end or slot.end]
        if slot.kind == SlotKind.EVENING_STUDY:
            assert slot.grades == {7, 8, 9}
            assert max(ends) <= parse_time("20:30") and slot.length_minutes <= 120
        elif any(slot.serves(g) for g in range(1, 7)):
            assert max(ends) <= latest_primary
        else:
            assert max(ends) <= latest_junior


def test_evening_study_needs_junior_grades() -> None:
    with pytest.raises(ValueError):
        generate_school(50, "1-6", evening_study=True)


@pytest.mark.parametrize(
    "students, grades",
    [
        (0, "1-6"),  # nobody to plan
        (10, "0-3"),  # grade 0 does not exist
        (10, ""),  # no grades
    ],
)
def test_bad_arguments_raise(students: int, grades: str) -> None:
    with pytest.raises(ValueError):
        generate_school(students, grades)


# ---- staff, rooms, duties ------------------------------------------------------------------------
def test_a_volunteer_without_background_check_exists(primary_school: Scenario) -> None:
    assert any(s.kind == StaffKind.VOLUNTEER and not s.cleared for s in primary_school.staff)
    assert all(s.cleared for s in primary_school.staff if s.kind == StaffKind.EXTERNAL)


def test_duty_posts_each_day(primary_school: Scenario) -> None:
    for day in primary_school.service_days:
        posts = {d.post: d for d in primary_school.duties if d.day == day}
        assert posts["leader_on_duty"].count == 2 and posts["leader_on_duty"].kind == StaffKind.LEADER
        assert posts["security"].count == 2 and posts["security"].kind == StaffKind.SECURITY
        assert posts["gate"].slot_id == f"{day.value}-2" and posts["gate"].kind == StaffKind.TEACHER
    assert sum(s.kind == StaffKind.LEADER for s in primary_school.staff) in range(4, 7)
    assert sum(s.kind == StaffKind.SECURITY for s in primary_school.staff) >= 2


def test_homeroom_teachers_and_rooms_exist(primary_school: Scenario) -> None:
    for c in primary_school.classes:
        assert primary_school.staff_by_id[c.homeroom_teacher].kind == StaffKind.TEACHER
        assert primary_school.room_by_id[c.room_id].type == "classroom"


@pytest.mark.parametrize("school", ["primary_school", "nine_year_school"])
def test_enough_adults_and_rooms_for_care_at_every_slot(school: str, request: pytest.FixtureRequest) -> None:
    """Even unmerged (each class its own care groups), every group gets a cleared adult and a room."""
    scenario: Scenario = request.getfixturevalue(school)
    for slot in scenario.timeslots:
        present = Counter(
            s.class_id for s in scenario.approved_students if slot.slot_id in scenario.service_slots[s.student_id]
        )
        groups = sum(math.ceil(n / scenario.school.rules.group_cap) for n in present.values())
        adults = [s for s in scenario.staff if s.cleared and "care" in s.skills and scenario.staff_available(s, slot)]
        on_post = sum(d.count for d in scenario.duties if d.slot_id == slot.slot_id)
        rooms = sum(r.max_groups for r in scenario.rooms if not r.outdoor and r.type in {"classroom", "library"})
        assert len(adults) - on_post >= groups + 5, slot.slot_id
        assert rooms >= groups + 3, slot.slot_id


def test_every_chosen_activity_has_a_qualified_adult(nine_year_school: Scenario) -> None:
    for a in nine_year_school.activities:
        slots = [nine_year_school.slot_by_id[sid] for sid in nine_year_school.activity_slots(a)]
        assert slots, a.activity_id
        assert any(
            s.cleared and s.skills & a.skill and any(nine_year_school.staff_available(s, slot) for slot in slots)
            for s in nine_year_school.staff
        ), a.activity_id


def test_money_and_pay_settings(primary_school: Scenario) -> None:
    school = primary_school.school
    assert (school.money.fee_per_term, school.money.fee_cap_term, school.money.subsidy_per_student_year) == (
        300,
        300,
        250,
    )
    assert school.pay.external == 80 and school.pay.afternoon_period_cap == 2
    assert minutes(parse_time("18:00")) == minutes(school.rules.latest_end_primary)


# ---- command line -------------------------------------------------------------------------------
def test_cli_writes_a_folder_and_a_workbook(tmp_path) -> None:
    out = tmp_path / "demo"
    result = CliRunner().invoke(
        cli, ["generate", str(out), "--students", "80", "--seed", "4", "--xlsx", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert (out / "school.toml").is_file() and (out / "students.csv").is_file()
    assert (tmp_path / "demo.xlsx").is_file()
    assert "80 applicants" in result.output


def test_cli_rejects_grades_outside_1_to_9(tmp_path) -> None:
    result = CliRunner().invoke(cli, ["generate", str(tmp_path / "x"), "--students", "10", "--grades", "1-12"])
    assert result.exit_code == 2
    assert not (tmp_path / "x").exists()
