"""A plan folder together with its scenario snapshot (FORMAT.md): read both, write both atomically.

The layers above (the API, explain, the mid-term re-solve) read and write plan folders
through here; reports are added by the caller as an extra writer (``plan/`` knows no report).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from cluster_planner.domain import Scenario
from cluster_planner.io.loader import load_scenario
from cluster_planner.io.scenario_writer import write_scenario_folder
from cluster_planner.plan.io import load_plan, save_plan
from cluster_planner.plan.model import Plan

SNAPSHOT = "scenario"
"""The sub-folder of a plan folder that holds the scenario the plan was made from."""


def load_plan_folder(folder: str | Path) -> tuple[Plan, Scenario]:
    """Read a plan folder and the scenario snapshot inside it (attached to the plan)."""
    folder = Path(folder)
    scenario = load_scenario(folder / SNAPSHOT)
    return replace(load_plan(folder), scenario=scenario), scenario


def load_plan_with_snapshot(folder: str | Path, scenario: Scenario | None = None) -> Plan:
    """Read a plan folder with ``scenario`` attached, else its snapshot's, else none (no snapshot)."""
    folder = Path(folder)
    if scenario is None and (folder / SNAPSHOT).is_dir():
        scenario = load_scenario(folder / SNAPSHOT)
    return replace(load_plan(folder), scenario=scenario)


def save_plan_folder(
    plan: Plan,
    scenario: Scenario,
    folder: str | Path,
    extra_writers: tuple[Callable[[Path], object], ...] = (),
    lang: str | None = None,
) -> Path:
    """Write the plan files and the scenario snapshot atomically; ``extra_writers`` add files (reports)."""

    def snapshot(tmp: Path) -> None:
        write_scenario_folder(scenario, tmp / SNAPSHOT)

    return save_plan(plan, Path(folder), (snapshot, *extra_writers), lang=lang)
