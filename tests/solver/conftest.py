"""Solve helpers: every solve in the tests goes through the independent plan checker."""

from __future__ import annotations

from pathlib import Path

import pytest

from cluster_planner.check import check_plan
from cluster_planner.domain import Scenario
from cluster_planner.plan import Plan
from cluster_planner.plan.io import save_plan
from cluster_planner.solver import SolveSettings, solve_scenario

TEST_SETTINGS = SolveSettings(time_limit=60.0, deterministic_limit=20.0, workers=1, seed=0)


def solve_checked(scenario: Scenario, folder: Path, **settings: object) -> Plan:
    """Solve, write the plan folder, and assert the checker finds no violation."""
    from dataclasses import replace

    plan = solve_scenario(scenario, replace(TEST_SETTINGS, **settings)).plan
    save_plan(plan, folder)
    violations = check_plan(scenario, folder)
    assert not violations, "\n".join(str(v) for v in violations)
    return plan


@pytest.fixture
def solve(tmp_path: Path):
    """``solve(scenario, **settings)`` → a checked plan."""
    counter = iter(range(1000))

    def _solve(scenario: Scenario, **settings: object) -> Plan:
        return solve_checked(scenario, tmp_path / f"plan{next(counter)}", **settings)

    return _solve
