"""Regression tests of "One rule book (2 of 2)": the office's order exactly, real data at the
optimum, and a plan.json that describes the plan that was kept."""

from __future__ import annotations

import pytest
from builders import care_activity, classrooms, scenario, school, slots, students_of, teachers
from preflib import DATA, optimum, read_year, school_of  # bench/preflib.py
from solver_checks import solve_checked

from cluster_planner.budget import Budget
from cluster_planner.domain import Activity, HomeClass, Staff
from cluster_planner.plan import Plan
from cluster_planner.solver import SolveSettings, solve_scenario


def _given(plan: Plan) -> tuple[int, int]:
    ranks = {a.student_id: a.choice_rank for a in plan.assignments if a.choice_rank is not None}
    return len(ranks), sum(ranks.values())


@pytest.mark.parametrize("year", [7, 8])  # 51 students each; capacities bind (the 50-instead-of-51 years)
def test_S6_real_preferences_reach_the_min_cost_flow_optimum(tmp_path, year):
    """PrefLib 00038: most students given a choice, then least rank cost, exactly as the flow."""
    data = read_year(DATA, year)
    sc = school_of(data)
    plan = solve_checked(sc, tmp_path / "plan")
    assert _given(plan) == optimum(data)


def test_S6_no_weight_trades_a_place_for_rank_steps(tmp_path):
    """Two one-place activities: A wanted first by both, B second by one. Granting both (2 given a
    choice, rank cost 3) must win over the lower rank cost of one student alone (1 given, cost 1)."""
    sc = scenario(
        school=school(),
        timeslots=slots(days=("Mon",)),
        classes=[HomeClass(class_id="3-1", grade=3)],
        students=students_of("3-1", 1, choice1="A", choice2="B") + students_of("3-1", 1, start=2, choice1="A"),
        activities=[
            care_activity(),
            Activity(activity_id="A", name="甲", kind="club", grades="3", max_size=1, skill="a", room_type="classroom"),
            Activity(activity_id="B", name="乙", kind="club", grades="3", max_size=1, skill="b", room_type="classroom"),
        ],
        rooms=classrooms(3),
        staff=[
            *teachers(1),
            Staff(staff_id="X", kind="teacher", skills="a"),
            Staff(staff_id="Y", kind="teacher", skills="b"),
        ],
    )
    plan = solve_checked(sc, tmp_path / "plan")
    assert plan.meta.objective_terms["students_with_choice"] == 2


def test_plan_json_describes_the_kept_greedy_plan(tmp_path):
    """A first plan kept because no CP-SAT stage found anything (cancelled at once) is labelled greedy."""
    sc = scenario(
        school=school(),
        timeslots=slots(days=("Mon", "Tue")),
        classes=[HomeClass(class_id="1-1", grade=1)],
        students=students_of("1-1", 30),
        activities=[care_activity()],
        rooms=classrooms(2),
        staff=teachers(2),
    )
    budget = Budget(60)
    budget.cancel()
    plan = solve_scenario(sc, SolveSettings(budget=budget)).plan
    assert plan.meta.status == "GREEDY"
    assert plan.meta.gap is None
    assert any(s["status"] == "GREEDY" for s in plan.meta.extra["stages"])  # the kept round's stages only


def test_objective_terms_are_recomputed_from_the_plan_rows(tmp_path):
    """students_with_choice counts only students whom assignments.csv places in a chosen activity."""
    sc = school_of(read_year(DATA, 4))
    plan = solve_checked(sc, tmp_path / "plan")
    assert plan.meta.objective_terms["students_with_choice"] == _given(plan)[0]
    assert plan.meta.objective_terms["granted_rank_cost"] == _given(plan)[1]
