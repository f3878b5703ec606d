"""Fixtures for explanation tests: every solve goes through the independent plan checker."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from solver_checks import assert_plan_passes

from cluster_planner.api import save
from cluster_planner.domain import Scenario
from cluster_planner.plan import Plan
from cluster_planner.solver import SolveSettings, solve_scenario

TEST_SETTINGS = SolveSettings(time_limit=120.0, deterministic_limit=20.0, workers=1, seed=0)


@pytest.fixture
def solve_to(tmp_path: Path):
    """``solve_to(scenario, name)`` → (plan, plan folder with its scenario snapshot), checked."""

    def _solve(
        scenario: Scenario, name: str = "plan", expect: frozenset[str] = frozenset(), seed: int = 0
    ) -> tuple[Plan, Path]:
        """``expect``: the violation codes the checker must report (the known cause), nothing else."""
        plan = solve_scenario(scenario, replace(TEST_SETTINGS, seed=seed)).plan
        folder = tmp_path / name
        save(plan, folder, scenario=scenario, reports=False)
        assert_plan_passes(scenario, folder, expect)
        return plan, folder

    return _solve
