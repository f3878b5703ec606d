"""Conflict explanations name the known cause of each tiny scenario, and nothing else."""

from __future__ import annotations

import explain_cases as cases
import pytest
from builders import HomeClass, care_activity, classrooms, scenario, school, slots, students_of, teachers

from cluster_planner.cli import cli
from cluster_planner.explain import find_conflict
from cluster_planner.explain.instances import Family

F = Family


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        # the only football coach is not cleared, and a student is promised football
        (cases.no_cleared_football_coach, {(F.LOCK, "FOOT"), (F.QUALIFIED, "FOOT"), (F.CLEARED, "E01")}),
        # two outdoor class groups at Tue-2 need two rain rooms; one indoor room
        (cases.two_outdoor_groups_one_indoor_room, {(F.CLASS_ACTIVITY, "PE"), (F.RAIN, "Tue-2"), (F.ROOM, "R01")}),
        # a security post and no security staff
        (cases.duty_nobody_may_hold, {(F.DUTY, "0")}),
        # 46 priority children, one room, groups of 45: the priority rule, not the general one
        (cases.priority_student_unplaced, {(F.PRIORITY, "Mon-1|CARE"), (F.CARE_CAP, "CARE"), (F.ROOM, "R01")}),
    ],
)
def test_conflict_names_the_cause_and_nothing_else(build, expected):
    conflict = find_conflict(build())
    assert conflict is not None and conflict.minimal
    assert {(r.family, r.subject) for r in conflict.rules} == expected


def test_feasible_scenario_has_no_conflict():
    sc = scenario(
        school=school(),
        timeslots=slots(("Mon",)),
        classes=[HomeClass(class_id="101", grade=1)],
        students=students_of("101", 30),
        activities=[care_activity()],
        staff=teachers(2),
        rooms=classrooms(2),
    )
    assert find_conflict(sc) is None


def test_named_cause_is_true_in_the_planner(solve_to):
    """The planner, which never stops, indeed leaves a priority student and the duty post uncovered."""
    plan, _ = solve_to(cases.priority_student_unplaced())
    assert plan.unplaced  # every one of them is a priority student (left_behind)
    plan, _ = solve_to(cases.duty_nobody_may_hold(), "duty", expect=frozenset({"duty_count"}))
    assert any("gate" in w for w in plan.meta.warnings)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["has not passed the background check", "E01", "promised", "skill football"]),
        ("zh", ["未通过背景审查", "E01", "已承诺", "足球 技能"]),  # skills in the school's words (issue 14 item 8)
    ],
)
def test_cli_prints_the_conflict_and_exits_3(tmp_path, lang, words):
    from cluster_planner.io.scenario_writer import write_scenario_folder

    folder = tmp_path / "scenario"
    write_scenario_folder(cases.no_cleared_football_coach(), folder)
    result = _run(["explain", str(folder), "--lang", lang])
    assert result.exit_code == 3, result.output
    for word in words:
        assert word in result.output
    assert "R01" not in result.output and "gate" not in result.output  # nothing irrelevant


def test_cli_says_feasible_and_exits_0(tmp_path):
    from cluster_planner.io.scenario_writer import write_scenario_folder

    folder = tmp_path / "scenario"
    sc = cases.no_cleared_football_coach().model_copy(update={"locks": ()})
    write_scenario_folder(sc, folder)
    result = _run(["explain", str(folder), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "feasible" in result.output


def _run(args: list[str]):
    from click.testing import CliRunner

    return CliRunner().invoke(cli, args)
