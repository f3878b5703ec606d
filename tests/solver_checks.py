"""Every solve in the tests goes through the independent plan checker: this is how."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from cluster_planner.check import check_plan
from cluster_planner.domain import Scenario
from cluster_planner.plan import Plan
from cluster_planner.plan.io import save_plan
from cluster_planner.solver import SolveSettings, solve_scenario

TEST_SETTINGS = SolveSettings(time_limit=60.0, deterministic_limit=20.0, workers=1, seed=0)


def assert_plan_passes(scenario: Scenario, folder: Path, expect: frozenset[str] = frozenset()) -> None:
    """The independent checker reports exactly the violation codes ``expect`` (none by default)."""
    violations = check_plan(scenario, folder)
    assert {v.code for v in violations} == set(expect), "\n".join(str(v) for v in violations)


def solve_checked(scenario: Scenario, folder: Path, **settings: object) -> Plan:
    """Solve, write the plan folder, and assert the checker finds no violation."""
    plan = solve_scenario(scenario, replace(TEST_SETTINGS, **settings)).plan
    save_plan(plan, folder)
    assert_plan_passes(scenario, folder)
    return plan
