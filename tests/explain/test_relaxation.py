"""The explanation model is a relaxation of the planner: it never calls a plannable school impossible.

Generated small schools (rules varied, a share of staff and rooms): wherever the planner places
every student and the independent checker passes the plan, ``explain`` finds the hard rules
can all hold.
"""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import cluster_planner as cp
from cluster_planner.check import check_plan
from cluster_planner.domain import Scenario
from cluster_planner.explain import find_conflict
from cluster_planner.generate import generate_school
from cluster_planner.plan.io import save_plan


def _varied(base: Scenario, rules: dict[str, int], keep_staff: float, keep_rooms: float) -> Scenario:
    """The school with other rules and a share of its staff and rooms (duty posts kept)."""
    school = base.school.model_copy(update={"rules": base.school.rules.model_copy(update=rules)})
    staff = base.staff[: max(1, round(len(base.staff) * keep_staff))]
    rooms = base.rooms[: max(1, round(len(base.rooms) * keep_rooms))]
    return base.model_copy(update={"school": school, "staff": staff, "rooms": rooms})


@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    students=st.integers(30, 60),
    grades=st.sampled_from(["1-3", "1-6", "4-6", "7-9", "1-9"]),
    seed=st.integers(0, 99),
    rules=st.fixed_dictionaries(
        {
            "ratio": st.sampled_from([15, 25, 50]),
            "group_cap": st.sampled_from([20, 30, 45]),
            "max_grade_span": st.sampled_from([0, 1, 2]),
            "activities_per_student": st.sampled_from([1, 2]),
        }
    ),
    keep_staff=st.sampled_from([0.6, 1.0]),
    keep_rooms=st.sampled_from([0.6, 1.0]),
)
def test_explain_never_calls_a_plannable_school_impossible(
    tmp_path_factory, students, grades, seed, rules, keep_staff, keep_rooms
):
    scenario = _varied(generate_school(students, grades, seed=seed), rules, keep_staff, keep_rooms)
    plan = cp.solve(scenario, deterministic_limit=1.0, time_limit=60.0, explain=False)
    folder = save_plan(plan, tmp_path_factory.mktemp("plan") / "plan")
    assume(not plan.unplaced and not check_plan(scenario, folder))  # a plan keeping every hard rule exists
    conflict = find_conflict(scenario)
    assert conflict is None, conflict.sentences("en")
