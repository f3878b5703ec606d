"""Fixtures of the report tests: a tiny school, a hand-made plan, and its reports written once."""

from __future__ import annotations

from pathlib import Path

import pytest
import report_tiny

from cluster_planner.domain import Scenario
from cluster_planner.plan import Plan
from cluster_planner.report import write_reports


@pytest.fixture(scope="session")
def tiny_school() -> Scenario:
    """Two classes, care on Mon/Wed, a club and an outdoor sport, a holiday week and a season switch."""
    return report_tiny.tiny_school()


@pytest.fixture(scope="session")
def tiny_plan(tiny_school: Scenario) -> Plan:
    """A plan made by hand: two care groups, a club, an outdoor sport with a rain room, two unplaced slots."""
    return report_tiny.tiny_plan(tiny_school)


@pytest.fixture(scope="session")
def reports(tiny_school: Scenario, tiny_plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The reports of the tiny plan, written once per language (with the public pair)."""
    out = {}
    for lang in ("zh", "en"):
        folder = tmp_path_factory.mktemp(f"reports-{lang}")
        write_reports(tiny_school, tiny_plan, folder, lang=lang, public=True)
        out[lang] = folder
    return out
