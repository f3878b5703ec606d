"""Fixtures of the API tests: demo-small, solved once through ``cp.solve`` and checked independently."""

from __future__ import annotations

from pathlib import Path

import pytest
from api_solve import DEMO, solve_checked

import cluster_planner as cp
from cluster_planner.domain import Scenario
from cluster_planner.plan import Plan


@pytest.fixture(scope="session")
def demo() -> Scenario:
    """scenarios/demo-small as loaded from disk (267 approved students, 22 activities)."""
    return cp.load(DEMO)


@pytest.fixture(scope="session")
def demo_run(demo: Scenario, tmp_path_factory: pytest.TempPathFactory) -> tuple[Plan, Path]:
    """demo-small solved once and checked; the plan and its folder (with reports) from ``cp.save``."""
    folder = tmp_path_factory.mktemp("demo") / "plan"
    return solve_checked(demo, folder, reports=True), folder


@pytest.fixture(scope="session")
def demo_plan(demo_run: tuple[Plan, Path]) -> Plan:
    """The checked plan of demo-small as ``cp.solve`` returned it."""
    return demo_run[0]


@pytest.fixture(scope="session")
def demo_folder(demo_run: tuple[Plan, Path]) -> Path:
    """Its plan folder: plan files, scenario snapshot, report.xlsx and report.html."""
    return demo_run[1]
