"""Scenario validation: each rule forced to fail and seen, and seen honoured where it holds."""

from __future__ import annotations

from typing import Any

import pytest
from scenario_files import scenario_from_tables, tiny_tables

from cluster_planner.domain.validation import validate
from cluster_planner.findings import Finding, Severity

Edit = tuple[str, int, str, str]  # (table, row index, column, new cell text)


def findings_after(edits: list[Edit], school: dict[str, Any] | None = None) -> list[Finding]:
    """Validate the tiny scenario with some cells changed."""
    tables = tiny_tables()
    for key, index, column, value in edits:
        tables[key][index][column] = value
    return validate(scenario_from_tables(tables, school))


def test_tiny_scenario_is_clean() -> None:
    """The tiny scenario breaks no rule: every other test changes one thing."""
    assert validate(scenario_from_tables()) == []


E = Severity.ERROR
W = Severity.WARNING
ERRORS = [
    # ---- duplicate ids
    ([("timeslots", 1, "slot_id", "Mon-1")], {}, "finding.duplicate_id", "timeslots.csv", 3, "slot_id"),
    ([("classes", 1, "class_id", "C1")], {}, "finding.duplicate_id", "classes.csv", 3, "class_id"),
    ([("students", 1, "student_id", "S1")], {}, "finding.duplicate_id", "students.csv", 3, "student_id"),
    ([("activities", 2, "activity_id", "FOOT")], {}, "finding.duplicate_id", "activities.csv", 4, "activity_id"),
    ([("staff", 1, "staff_id", "T1")], {}, "finding.duplicate_id", "staff.csv", 3, "staff_id"),
    ([("rooms", 1, "room_id", "R1")], {}, "finding.duplicate_id", "rooms.csv", 3, "room_id"),
    # ---- unknown references
    ([("students", 0, "class_id", "C9")], {}, "finding.unknown_class", "students.csv", 2, "class_id"),
    ([("classes", 0, "homeroom_teacher", "T9")], {}, "finding.unknown_staff", "classes.csv", 2, "homeroom_teacher"),
    ([("classes", 0, "room_id", "R9")], {}, "finding.unknown_room", "classes.csv", 2, "room_id"),
    ([("students", 1, "choice2", "CHESS")], {}, "finding.unknown_activity", "students.csv", 3, "choice2"),
    ([("students", 1, "teacher_pref", "T9")], {}, "finding.unknown_staff", "students.csv", 3, "teacher_pref"),
    ([("students", 0, "services", "care party")], {}, "finding.unknown_service", "students.csv", 2, "services"),
    ([("activities", 1, "slots", "Mon-9")], {}, "finding.unknown_slot_or_day", "activities.csv", 3, "slots"),
    ([("staff", 0, "available", "Mon Fri-7")], {}, "finding.unknown_slot_or_day", "staff.csv", 2, "available"),
    ([("rooms", 0, "available", "holiday")], {}, "finding.unknown_slot_or_day", "rooms.csv", 2, "available"),
    ([("duties", 0, "slot_id", "Mon-9")], {}, "finding.unknown_slot", "duties.csv", 2, "slot_id"),
    ([("duties", 0, "slot_id", "Tue-1")], {}, "finding.duty_slot_other_day", "duties.csv", 2, "slot_id"),
    ([("locks", 0, "student_id", "S9")], {}, "finding.unknown_student", "locks.csv", 2, "student_id"),
    ([("locks", 0, "activity_id", "CHESS")], {}, "finding.unknown_activity", "locks.csv", 2, "activity_id"),
    ([("changes", 1, "id", "S9")], {}, "finding.unknown_student", "changes.csv", 3, "id"),  # exit of nobody
    ([("changes", 1, "action", "staff_leave")], {}, "finding.unknown_staff", "changes.csv", 3, "id"),  # S3 no staff
    ([("changes", 1, "action", "room_closed")], {}, "finding.unknown_room", "changes.csv", 3, "id"),  # S3 no room
    ([("changes", 0, "class_id", "C9")], {}, "finding.unknown_class", "changes.csv", 2, "class_id"),
    ([("changes", 0, "class_id", "")], {}, "finding.join_without_class", "changes.csv", 2, "class_id"),
    ([("changes", 0, "until", "2026-10-01")], {}, "finding.until_before_date", "changes.csv", 2, "until"),
    ([("activities", 1, "min_size", "40")], {}, "finding.min_above_max", "activities.csv", 3, "min_size"),
    # ---- time: overlaps, shape, latest end (H1), evening study (H2), local daily policy
    ([("timeslots", 1, "start", "16:30")], {}, "finding.slot_overlap", "timeslots.csv", 3, "start"),
    ([("timeslots", 0, "end", "15:00")], {}, "finding.slot_ends_before_start", "timeslots.csv", 2, "end"),
    ([("timeslots", 3, "end", "18:10")], {}, "finding.slot_after_latest_end", "timeslots.csv", 5, "end"),
    (
        [("timeslots", 3, "grades", "7-9"), ("timeslots", 3, "end", "18:40")],  # junior limit 18:30
        {},
        "finding.slot_after_latest_end",
        "timeslots.csv",
        5,
        "end",
    ),
    (
        [("timeslots", 1, "summer_start", "17:30"), ("timeslots", 1, "summer_end", "18:30")],  # summer clocks too
        {},
        "finding.slot_after_latest_end",
        "timeslots.csv",
        3,
        "summer_end",
    ),
    (
        [
            ("timeslots", 3, "kind", "evening_study"),
            ("timeslots", 3, "start", "19:00"),
            ("timeslots", 3, "end", "20:45"),
        ],
        {},
        "finding.evening_after_latest_end",
        "timeslots.csv",
        5,
        "end",
    ),
    (
        [
            ("timeslots", 3, "kind", "evening_study"),
            ("timeslots", 3, "start", "18:00"),
            ("timeslots", 3, "end", "20:30"),
        ],
        {},
        "finding.evening_too_long",
        "timeslots.csv",
        5,
        "end",
    ),
    ([], {"rules.min_daily_hours": 2.5}, "finding.daily_hours_below", "timeslots.csv", None, ""),  # 2 h a day
    ([], {"rules.max_daily_hours": 1.5}, "finding.daily_hours_above", "timeslots.csv", None, ""),  # 000 方案4
    ([], {"rules.earliest_end": "18:05"}, "finding.ends_before_earliest", "timeslots.csv", None, ""),  # 004
]

WARNINGS = [
    ([("students", 0, "choice1", "FOOT")], {}, "finding.choice_not_open", "students.csv", 2, "choice1"),  # grade 1
    ([("activities", 2, "mode", "class")], {}, "finding.choice_class_activity", "students.csv", 3, "choice2"),
    ([("students", 1, "choice2", "FOOT")], {}, "finding.choice_repeated", "students.csv", 3, "choice2"),
    ([("staff", 1, "background_check", "no")], {}, "finding.no_cleared_skill", "activities.csv", 3, "skill"),
    ([("staff", 2, "background_check", "")], {}, "finding.no_cleared_skill", "activities.csv", 4, "skill"),  # T2
    ([("activities", 2, "room_type", "lab")], {}, "finding.no_room_type", "activities.csv", 4, "room_type"),
    (
        [("rooms", 0, "capacity", "20"), ("rooms", 1, "capacity", "20")],  # football groups hold 30
        {},
        "finding.no_rain_room",
        "activities.csv",
        3,
        "outdoor",
    ),
    ([("activities", 1, "fee", "400")], {}, "finding.fee_above_cap", "activities.csv", 3, "fee"),  # M1
    ([], {"money.fee_per_term": 350}, "finding.fee_above_cap", "school.toml", None, "money.fee_per_term"),
    (
        [],
        {"money.fee_per_day": 30, "money.fee_cap_day": 24},
        "finding.fee_above_cap",
        "school.toml",
        None,
        "money.fee_per_day",
    ),  # issue 17 item 4: a day's fee above its cap (002: 24 yuan in summer care)
    ([("activities", 2, "name", "数学培优班")], {}, "finding.subject_teaching", "activities.csv", 4, "name"),  # C1
    ([("activities", 0, "grades", "3-6")], {}, "finding.no_place", "students.csv", 2, "class_id"),  # grade 1
    ([("duties", 0, "count", "2")], {}, "finding.duty_short", "duties.csv", 2, "count"),  # one guard
    ([("timeslots", 0, "summer_start", "16:30")], {}, "finding.summer_half", "timeslots.csv", 2, "summer_start"),
]


@pytest.mark.parametrize(
    ("edits", "school", "code", "file", "row", "column"),
    [pytest.param(*c, id=f"{c[2]}-{i}") for i, c in enumerate(ERRORS)],
)
def test_error_is_seen(edits: list[Edit], school: dict, code: str, file: str, row: int | None, column: str) -> None:
    found = {(f.severity, f.code, f.file, f.row, f.column) for f in findings_after(edits, school)}
    assert (E, code, file, row, column) in found


@pytest.mark.parametrize(
    ("edits", "school", "code", "file", "row", "column"),
    [pytest.param(*c, id=f"{c[2]}-{i}") for i, c in enumerate(WARNINGS)],
)
def test_warning_is_seen(edits: list[Edit], school: dict, code: str, file: str, row: int | None, column: str) -> None:
    findings = findings_after(edits, school)
    assert (W, code, file, row, column) in {(f.severity, f.code, f.file, f.row, f.column) for f in findings}
    assert not [f for f in findings if f.is_error]


@pytest.mark.parametrize(
    ("edits", "school", "code"),
    [pytest.param(*c[:3], id=f"{c[2]}-{i}") for i, c in enumerate(ERRORS + WARNINGS)],
)
def test_issue15_every_finding_says_what_was_expected(edits: list[Edit], school: dict, code: str) -> None:
    findings = findings_after(edits, school)
    assert code in {f.code for f in findings}
    for finding in findings:
        zh, en = finding.expected_text("zh"), finding.expected_text("en")
        assert zh and en and zh != en and "{" not in zh + en, finding


@pytest.mark.parametrize(
    ("edits", "school"),
    [
        (
            [("timeslots", 0, "grades", "1-6"), ("timeslots", 1, "start", "16:30"), ("timeslots", 1, "grades", "7-9")],
            {},
        ),  # slots of different grades may overlap
        ([("timeslots", 1, "end", "18:00")], {}),  # ending exactly at the latest end
        ([("timeslots", 3, "grades", "7-9"), ("timeslots", 3, "end", "18:30")], {}),  # junior until 18:30
        ([], {"rules.min_daily_hours": 2, "rules.max_daily_hours": 2}),  # exactly 2 h a day
        ([], {"rules.earliest_end": "18:00"}),  # ends exactly at earliest_end
        ([("activities", 1, "fee", "300")], {}),  # fee at the cap
        ([], {"money.fee_per_day": 24, "money.fee_cap_day": 24}),  # issue 17 item 4: a day's fee at its cap
        ([("staff", 1, "background_check", "")], {}),  # a teacher is cleared unless marked no
        ([("changes", 1, "id", "S4")], {}),  # exit of a student who joined by an earlier change
        ([("activities", 1, "slots", "周一 Mon-2")], {}),  # a day in Chinese is a slot token
        ([("students", 0, "services", "Mon-1 club")], {}),  # a slot id and a kind as services
    ],
)
def test_rule_honoured(edits: list[Edit], school: dict) -> None:
    assert findings_after(edits, school) == []


def test_incomplete_tables_are_not_referenced() -> None:
    """When classes failed to load, unknown classes are not reported again as consequences."""
    tables = tiny_tables()
    tables["students"][0]["class_id"] = "C9"
    scenario = scenario_from_tables(tables)
    assert validate(scenario, incomplete={"classes"}) == []
    assert [f.code for f in validate(scenario)] == ["finding.unknown_class"]


def test_findings_speak_both_languages() -> None:
    """Every finding renders in zh and en (catalogue words, localised days and seasons)."""
    edits = [("timeslots", 1, "start", "16:30"), ("activities", 2, "name", "奥数"), ("duties", 0, "slot_id", "Tue-1")]
    for finding in findings_after(edits, {"rules.earliest_end": "18:05"}):
        zh, en = finding.render("zh"), finding.render("en")
        assert zh != en and "{" not in zh + en
    overlap = next(f for f in findings_after(edits) if f.code == "finding.slot_overlap")
    assert "周一" in overlap.render("zh") and "Mon" in overlap.render("en")


def test_services_in_chinese_mean_the_same_slots() -> None:
    """Regression (session 2): 托管/社团 in ``services`` were rejected as unknown services."""
    english = findings_after([("students", 0, "services", "care club")])
    chinese = findings_after([("students", 0, "services", "托管 社团")])
    assert english == [] and chinese == []
    tables = tiny_tables()
    tables["students"][0]["services"] = "托管、社团"
    zh = scenario_from_tables(tables)
    tables["students"][0]["services"] = "care club"
    en = scenario_from_tables(tables)
    first = tables["students"][0]["student_id"]
    assert zh.service_slots[first] == en.service_slots[first] != ()


@pytest.mark.parametrize(
    ("table", "column", "word", "attribute", "expected"),
    [
        ("students", "status", "已批准", "status", "approved"),  # what offices write in 状态
        ("students", "status", "审核中", "status", "pending"),
        ("activities", "kind", "体育类", "kind", "sport"),  # menu categories often end in 类
        ("activities", "mode", "选课", "mode", "choice"),
        ("staff", "kind", "外聘教师", "kind", "external"),
    ],
)
def test_more_chinese_words(table: str, column: str, word: str, attribute: str, expected: str) -> None:
    tables = tiny_tables()
    tables[table][0][column] = word
    scenario = scenario_from_tables(tables)
    entity = {"students": scenario.students, "activities": scenario.activities, "staff": scenario.staff}[table][0]
    assert getattr(entity, attribute).value == expected


def test_an_empty_notice_section_leaves_the_scenario_hash_as_before() -> None:
    """FORMAT.md is extended, never broken: ``[notice]`` (added later) is out of the canonical JSON
    while empty, so plans saved before it still match their scenario; given, it counts."""
    from pathlib import Path

    import cluster_planner as cp

    scenario = cp.load(Path(__file__).parents[2] / "scenarios" / "demo-small")
    assert '"notice"' not in scenario.canonical_json()
    school = scenario.school.model_copy(update={"notice": scenario.school.notice.model_copy(update={"contact": "1"})})
    noticed = scenario.model_copy(update={"school": school})
    assert '"notice"' in noticed.canonical_json() and noticed.content_hash() != scenario.content_hash()
