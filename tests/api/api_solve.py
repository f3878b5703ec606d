"""Helpers of the API tests: demo-small's path and a solve that the independent checker must pass."""

from __future__ import annotations

from pathlib import Path

from solver_checks import assert_plan_passes

import cluster_planner as cp
from cluster_planner.domain import Scenario
from cluster_planner.plan import Plan

DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "demo-small"


def solve_checked(scenario: Scenario, folder: Path, reports: bool = False) -> Plan:
    """``cp.solve`` (one worker, fixed seed, deterministic limit), saved, and the checker finds nothing."""
    plan = cp.solve(scenario, time_limit=300, seed=1, workers=1, deterministic_limit=5)
    cp.save(plan, folder, reports=reports)
    assert_plan_passes(scenario, folder)
    return plan
