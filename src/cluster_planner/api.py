"""The Python API: one call to load, one to solve, one to save (for notebooks and scripts).

>>> import cluster_planner as cp
>>> scenario = cp.load("scenarios/demo-small")            # doctest: +SKIP
>>> plan = cp.solve(scenario, time_limit=60, seed=1)       # doctest: +SKIP
>>> plan.frame("groups").head()                            # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cluster_planner.domain import Scenario
from cluster_planner.plan import Plan
from cluster_planner.plan.io import load_plan, save_plan
from cluster_planner.solver import SolveSettings, solve_scenario

SNAPSHOT = "scenario"


def load(path: str | Path) -> Scenario:
    """Read and validate a scenario folder or workbook; raises ``ScenarioError`` on bad input."""
    from cluster_planner.io.loader import load_scenario

    return load_scenario(Path(path))


def solve(
    scenario: Scenario,
    time_limit: float = 120.0,
    seed: int | None = None,
    workers: int = 1,
    deterministic_limit: float = 30.0,
    progress: Callable[[str], None] | None = None,
    lang: str | None = None,
) -> Plan:
    """Plan a scenario; ``seed`` overrides school.toml's lottery seed (S6)."""
    settings = SolveSettings(
        time_limit=time_limit,
        deterministic_limit=deterministic_limit,
        workers=workers,
        seed=scenario.school.rules.seed if seed is None else seed,
        lang=lang or scenario.school.language,
        report=progress,
    )
    return solve_scenario(scenario, settings).plan


def save(
    plan: Plan,
    scenario: Scenario,
    folder: str | Path,
    reports: bool = True,
    public: bool = False,
    lang: str | None = None,
) -> Path:
    """Write the plan folder atomically: plan files, the scenario snapshot and the reports."""
    from cluster_planner.io.scenario_writer import write_scenario_folder

    def snapshot(tmp: Path) -> None:
        write_scenario_folder(scenario, tmp / SNAPSHOT)

    writers: list[Callable[[Path], None]] = [snapshot]
    if reports:
        from cluster_planner.report import write_reports

        writers.append(lambda tmp: write_reports(scenario, plan, tmp, lang=lang, public=public))
    return save_plan(plan, Path(folder), tuple(writers))


def load_plan_folder(folder: str | Path) -> tuple[Plan, Scenario]:
    """Read a plan folder and the scenario snapshot inside it."""
    from cluster_planner.io.loader import load_scenario

    folder = Path(folder)
    return load_plan(folder), load_scenario(folder / SNAPSHOT)
