"""Care settled again when the clock runs out (sweep seed 4242, school 0: a junior school with
care groups of at most 15 and rooms for fewer groups than its classes form).

Settling care after lost meetings runs level by level: priority pupils, then everyone, then
classes kept together. When the time limit stops the later levels, the first level's plan is
the one written, so it must already seat the others and keep classes whole; before, it only
counted priority pupils and turned hundreds of seated pupils out (254 → 1,563 student-slots
unplaced, and a class split one group could hold).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from solver_checks import TEST_SETTINGS, assert_plan_passes
from sweep import varied  # bench/sweep.py: a generated school with other rules and fewer rooms

import cluster_planner.solver.care_settle as care_settle
import cluster_planner.solver.solve as solve_module
from cluster_planner.generate import generate_school
from cluster_planner.plan.folder import save_plan_folder
from cluster_planner.solver import solve_scenario
from cluster_planner.solver.params import StageResult


@pytest.fixture
def scarce_rooms():
    """120 pupils of grades 1-3, groups of at most 15, half the rooms, the smallest class all priority."""
    base = generate_school(120, "1-3", seed=1)
    return varied(base, {"group_cap": 15}, keep_staff=1.0, keep_rooms=0.5, priority_class=True)


def test_S1_care_settled_past_the_deadline_turns_nobody_out(scarce_rooms, tmp_path: Path, monkeypatch) -> None:
    """Only the priority level of each slot finds a plan (the later levels are stopped as by the
    clock): nobody who held a care place loses it for nothing, so no more student-slots are
    unplaced than lost their meeting; the plan passes the checker (S2, G1, S7 included)."""
    real_stage = care_settle.run_stage

    def out_of_time(name, model, settings, wall_left, **options):
        if name.endswith(("places", "classes")):
            proto = model.proto
            return None, StageResult(name, "UNKNOWN", None, None, 0.0, True, len(proto.variables), 0)
        return real_stage(name, model, settings, wall_left, **options)

    lost: list[int] = []
    real_settle = solve_module.settle_care

    def settle(data, meetings, dropped, *rest):
        lost.append(sum(len(meetings[i].members) for i in dropped))
        return real_settle(data, meetings, dropped, *rest)

    monkeypatch.setattr(care_settle, "run_stage", out_of_time)
    monkeypatch.setattr(solve_module, "settle_care", settle)
    plan = solve_scenario(scarce_rooms, TEST_SETTINGS).plan
    assert lost and lost[0] > 0  # meetings were lost: care was settled again
    assert len(plan.unplaced) <= lost[0]
    assert_plan_passes(scarce_rooms, save_plan_folder(plan, scarce_rooms, tmp_path / "plan"))


def test_S1_care_settled_in_time_seats_pupils_of_lost_meetings(scarce_rooms, tmp_path: Path) -> None:
    """With time for every level, settling seats some of the pupils whose meetings were lost."""
    lost: list[int] = []
    real_settle = solve_module.settle_care

    def settle(data, meetings, dropped, *rest):
        lost.append(sum(len(meetings[i].members) for i in dropped))
        return real_settle(data, meetings, dropped, *rest)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(solve_module, "settle_care", settle)
        plan = solve_scenario(scarce_rooms, TEST_SETTINGS).plan
    assert lost and len(plan.unplaced) < lost[0]
    assert_plan_passes(scarce_rooms, save_plan_folder(plan, scarce_rooms, tmp_path / "plan"))
