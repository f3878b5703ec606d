"""Property test: generated schools under varied rules and scarcity, each plan passed by the checker.

The checker (written from the rules alone) must find no violation, whatever the rules, the
staff or the rooms; students who cannot be placed must be listed with a reason (S1).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from solver_checks import solve_checked
from sweep import varied  # bench/sweep.py: the same variation, many more schools

from cluster_planner.generate import generate_school


@pytest.mark.xfail(
    strict=True,
    reason="solver fix pending: S2 (priority pupils unplaced at a slot where their care group has room; "
    "e.g. students=40, grades 1-3, seed 0, span 0, keep_staff 0.3, keep_rooms 0.3: S10126 and S10140 at Tue-2)",
)
@settings(max_examples=5, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    students=st.integers(40, 100),
    grades=st.sampled_from(["1-3", "1-6", "4-6", "7-9"]),
    seed=st.integers(0, 50),
    rules=st.fixed_dictionaries(
        {
            "ratio": st.sampled_from([15, 25, 50]),
            "group_cap": st.sampled_from([20, 30, 45]),
            "merge_threshold": st.sampled_from([10, 20, 40]),
            "max_grade_span": st.sampled_from([0, 1, 2]),
            "activities_per_student": st.sampled_from([1, 2]),
        }
    ),
    keep_staff=st.sampled_from([0.3, 0.6, 1.0]),
    keep_rooms=st.sampled_from([0.3, 1.0]),
)
def test_any_school_gets_a_plan_the_checker_passes(
    tmp_path_factory, students, grades, seed, rules, keep_staff, keep_rooms
) -> None:
    scenario = varied(generate_school(students, grades, seed=seed), rules, keep_staff, keep_rooms)
    folder: Path = tmp_path_factory.mktemp("plan")
    plan = solve_checked(scenario, folder, deterministic_limit=5.0)  # asserts no violation
    covered = {(a.student_id, a.slot_id) for a in plan.assignments} | {(u.student_id, u.slot_id) for u in plan.unplaced}
    wanted = {(sid, slot) for sid, slots in scenario.service_slots.items() for slot in slots}
    assert covered == wanted
    assert all(u.reason for u in plan.unplaced)
