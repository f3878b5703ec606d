"""Solve helpers: every solve in the tests goes through the independent plan checker."""

from __future__ import annotations

from pathlib import Path

import pytest
from solver_checks import solve_checked

from cluster_planner.domain import Scenario
from cluster_planner.plan import Plan


@pytest.fixture
def solve(tmp_path: Path):
    """``solve(scenario, **settings)`` → a checked plan."""
    counter = iter(range(1000))

    def _solve(scenario: Scenario, **settings: object) -> Plan:
        return solve_checked(scenario, tmp_path / f"plan{next(counter)}", **settings)

    return _solve
