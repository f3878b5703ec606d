# ruff: noqa: E501  (one case per line, as STYLE.md asks)
"""S2 (issue 12 item 4): a priority student unplaced while a student without priority holds a place they
could take — in care across grades, in a chosen activity they ranked, in their class's class activity."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import PlanText, build_school

from cluster_planner.check import check_plan
from cluster_planner.domain import Activity, HomeClass, Room, Scenario, School, Staff, Student, Timeslot

Edit = Callable[[PlanText], PlanText]
G, A, U, L = "groups.csv", "assignments.csv", "unplaced.csv", "staff_load.csv"


def s5_unplaced_tue1(p: PlanText) -> PlanText:
    """s5 (class C2, grade 3) left out of care on Tuesday's first slot."""
    return (
        p.sub(A, "s5,Tue,Tue-1,CARE-B,", "")
        .add(U, "s5,Tue,Tue-1,no place")
        .sub(G, "CARE-B,CARE,Tue,Tue-1,R102,,T2,3,3-4,C2 C3", "CARE-B,CARE,Tue,Tue-1,R102,,T2,2,3-4,C2 C3")
    )


def s6_unplaced_tue1(p: PlanText) -> PlanText:
    """s6 (class C3, grade 4) left out of care on Tuesday's first slot."""
    return (
        p.sub(A, "s6,Tue,Tue-1,CARE-B,", "")
        .add(U, "s6,Tue,Tue-1,no place")
        .sub(G, "CARE-B,CARE,Tue,Tue-1,R102,,T2,3,3-4,C2 C3", "CARE-B,CARE,Tue,Tue-1,R102,,T2,2,3,C2")
    )


def s5_unplaced_tue2(p: PlanText) -> PlanText:
    """s5 unplaced at Tue-2, where FOOT-1 (s1, s3 locked, s6) and ART-1 meet; CARE-B closed."""
    return (
        p.sub(A, "s5,Tue,Tue-2,CARE-B,", "")
        .add(U, "s5,Tue,Tue-2,no place")
        .sub(G, "CARE-B,CARE,Tue,Tue-2,R102,,T2,1,3,C2", "")
        .sub(L, "T2,3,48,1920", "T2,2,32,1280")
    )


def s7_unplaced_mon2(p: PlanText) -> PlanText:
    """s7 (class C3) left out of their class's reading group at Mon-2, with s6 in it."""
    return (
        p.sub(A, "s7,Mon,Mon-2,READ-C3,", "")
        .add(U, "s7,Mon,Mon-2,no place")
        .sub(G, "READ-C3,READ,Mon,Mon-2,R103,,T5,2,4,C3", "READ-C3,READ,Mon,Mon-2,R103,,T5,1,4,C3")
    )


def priority(*ids: str, category: str = "left_behind") -> dict[str, dict[str, Any]]:
    return {sid: {"priority": category} for sid in ids}


# (why, plan edit, scenario overrides, S2 expected)
CASES: list[tuple[str, Edit, dict[str, Any], bool]] = [
    ("care, same grade: s5 out while s4 holds a place", s5_unplaced_tue1, {"students": priority("s5")}, True),
    ("care, the category alone: disabled", s5_unplaced_tue1, {"students": priority("s5", category="disabled")}, True),
    ("care, across grades: grade-4 s6 out, grade-3 pupils in care", s6_unplaced_tue1, {"students": priority("s6")}, True),
    ("care, a priority grade (rules.priority_grades)", s6_unplaced_tue1, {"rules": {"priority_grades": "4"}}, True),
    ("care, grade span 0: the grade-3 care groups' pupils may all give way", s6_unplaced_tue1, {"students": priority("s6"), "rules": {"max_grade_span": 0}}, True),
    ("care, grade span 0 and a priority grade-3 pupil stays in each care group", s6_unplaced_tue1, {"students": priority("s6", "s1", "s4"), "rules": {"max_grade_span": 0}}, False),
    ("care: everyone at the slot has priority too", s5_unplaced_tue1, {"students": priority("s1", "s2", "s3", "s4", "s5", "s6")}, False),
    ("care: the unplaced student has no priority", s5_unplaced_tue1, {"students": priority("s1", "s2", "s3", "s4", "s6")}, False),
    ("care open to grade 3 only: a grade-4 pupil cannot take a place", s6_unplaced_tue1, {"students": priority("s6"), "activities": {"CARE": {"grades": "3"}}}, False),
    ("chosen: s5 ranked football, s1 holds a place in FOOT-1", s5_unplaced_tue2, {"students": {"s5": {"priority": "migrant", "choice1": "FOOT"}}}, True),
    ("chosen: s5 did not rank football", s5_unplaced_tue2, {"students": priority("s5")}, False),
    ("chosen: s1 and s6 have priority, s3 is locked into football", s5_unplaced_tue2, {"students": {"s5": {"priority": "migrant", "choice1": "FOOT"}, **priority("s1", "s6")}}, False),
    ("chosen: s5 already has a chosen activity (activities_per_student 1)", s5_unplaced_tue2, {"students": {"s5": {"priority": "migrant", "choice1": "FOOT", "choice2": "ART"}}, "rules": {"activities_per_student": 0}}, False),
    ("class activity: s7 out of READ-C3 while classmate s6 is in", s7_unplaced_mon2, {"students": priority("s7")}, True),
    ("class activity: s6 has priority too", s7_unplaced_mon2, {"students": priority("s6", "s7")}, False),
]  # fmt: skip


@pytest.mark.parametrize(("why", "edit", "overrides", "expected"), CASES, ids=[c[0] for c in CASES])
def test_s2_priority_first(
    tmp_path: Path, good_plan: PlanText, why: str, edit: Edit, overrides: dict[str, Any], expected: bool
) -> None:
    found = check_plan(build_school(**overrides), edit(good_plan).write(tmp_path / "plan"))
    s2 = [v for v in found if v.rule == "S2"]
    assert bool(s2) == expected, [str(v) for v in found]
    for v in s2:
        assert v.code == "priority_unplaced" and v.params["student"] in v.message("en") and "优先" in v.message("zh")


def test_s2_on_a_resolved_plan_too(tmp_path: Path, good_plan: PlanText) -> None:
    """S2 binds on every version, not only at term start."""
    folder = s5_unplaced_tue1(good_plan).write(tmp_path / "plan")
    (folder / "plan.json").write_text(
        '{"version": 3, "parent_version": 2, "valid_from": "2026-10-12"}', encoding="utf-8"
    )
    assert "S2" in {v.rule for v in check_plan(build_school(students=priority("s5")), folder)}


def care_school(ordinary: int, left_behind: int) -> Scenario:
    """Issue 12: one care teacher, a class of ordinary grade-1 pupils and a class of left-behind grade-2 pupils."""
    students = [Student(student_id=f"o{i:02}", class_id="C1") for i in range(ordinary)]
    students += [Student(student_id=f"p{i:02}", class_id="C2", priority="left_behind") for i in range(left_behind)]
    return Scenario(
        school=School(name="小学", term_start="2026-09-07", term_end="2026-12-25"),
        timeslots=(Timeslot(slot_id="Mon-1", day="Mon", start="15:30", end="16:30", kind="care"),),
        classes=(HomeClass(class_id="C1", grade=1), HomeClass(class_id="C2", grade=2)),
        students=tuple(students),
        activities=(Activity(activity_id="CARE", kind="care", grades="1-6", skill="care", room_type="classroom"),),
        staff=(Staff(staff_id="T1", skills="care"),),
        rooms=(Room(room_id="R1", type="classroom", capacity=50), Room(room_id="R2", type="classroom", capacity=50)),
    )


def care_plan(folder: Path, placed: list[str], unplaced: list[str]) -> Path:
    """One care group of ``placed`` led by T1; ``unplaced`` listed with a reason."""
    grades = "1-2" if any(s.startswith("p") for s in placed) else "1"
    classes = " ".join(c for c, p in (("C1", "o"), ("C2", "p")) if any(s.startswith(p) for s in placed))
    files = {
        "groups.csv": f"group_id,activity_id,day,slot_id,room_id,rain_room_id,staff_ids,size,grades,class_ids\nCARE-1,CARE,Mon,Mon-1,R1,,T1,{len(placed)},{grades},{classes}\n",
        "assignments.csv": "student_id,day,slot_id,group_id,choice_rank\n"
        + "".join(f"{s},Mon,Mon-1,CARE-1,\n" for s in placed),
        "unplaced.csv": "student_id,day,slot_id,reason\n" + "".join(f"{s},Mon,Mon-1,no adult free\n" for s in unplaced),
        "staff_load.csv": "staff_id,periods_week,periods_term,pay_term\nT1,1,16,640\n",
        "duty_roster.csv": "day,slot_id,post,staff_id\n",
    }
    return PlanText(files).write(folder)


def test_issue12_left_behind_class_unplaced_for_a_class_of_41(tmp_path: Path) -> None:
    """Issue 12: a class of 41 ordinary pupils in the one care group, all 10 left-behind pupils unplaced."""
    school = care_school(41, 10)
    ordinary = [f"o{i:02}" for i in range(41)]
    left_behind = [f"p{i:02}" for i in range(10)]
    found = check_plan(school, care_plan(tmp_path / "bad", ordinary, left_behind))
    assert sorted(v.params["student"] for v in found if v.rule == "S2") == left_behind
    assert {v.rule for v in found} == {"S2"}


def test_issue12_left_behind_first_keeps_s2_and_g1(tmp_path: Path) -> None:
    """The plan S2 asks for: the 10 left-behind pupils and 35 of the class of 41 (cap 45); 6 ordinary pupils out."""
    school = care_school(41, 10)
    placed = [f"p{i:02}" for i in range(10)] + [f"o{i:02}" for i in range(35)]
    assert check_plan(school, care_plan(tmp_path / "good", placed, [f"o{i:02}" for i in range(35, 41)])) == []


def test_priority_pupil_in_a_big_class_group_is_not_a_needless_merge(tmp_path: Path) -> None:
    """G1/G3 at term start yield to S2: a class of 44 (≥ 40) shares its group with one left-behind pupil of grade 2."""
    school = care_school(44, 1)
    placed = ["p00"] + [f"o{i:02}" for i in range(44)]
    assert check_plan(school, care_plan(tmp_path / "mixed", placed, [])) == []
