"""The Python API: one call to load, one to solve, one to save (for notebooks and scripts).

>>> import cluster_planner as cp
>>> scenario = cp.load("scenarios/demo-small")            # doctest: +SKIP
>>> plan = cp.solve(scenario, time_limit=60, seed=1)       # doctest: +SKIP
>>> plan.frame("groups").head()                            # doctest: +SKIP
>>> plan.summary()                                         # doctest: +SKIP
>>> again = cp.load_plan(plan.save("out/what-if"))         # doctest: +SKIP

Scenario edits (``cp.with_rules`` …) are in :mod:`cluster_planner.edits`, ``cp.compare`` in
:mod:`cluster_planner.comparison`, plots in :mod:`cluster_planner.plot`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from cluster_planner.domain import Scenario
from cluster_planner.plan import Plan
from cluster_planner.plan.io import load_plan as read_plan_files
from cluster_planner.plan.io import save_plan
from cluster_planner.solver import SolveSettings, solve_scenario

if TYPE_CHECKING:
    import pandas as pd

    from cluster_planner.domain.entities import Change

SNAPSHOT = "scenario"


def load(path: str | Path) -> Scenario:
    """Read and validate a scenario folder or workbook; raises ``ScenarioError`` on bad input.

    >>> scenario = cp.load("scenarios/demo-small")   # doctest: +SKIP
    >>> len(scenario.approved_students)              # doctest: +SKIP
    300
    """
    from cluster_planner.io.loader import load_scenario

    return load_scenario(Path(path))


def validate(source: str | Path | Scenario, lang: str | None = None) -> pd.DataFrame:
    """Every finding about a scenario (a path, or a scenario built or edited in Python), one row each.

    Columns ``severity, code, file, row, column, value, expected, message`` in ``lang`` (default:
    the school's language); errors first. No rows: nothing to fix. Unlike :func:`load`, a path
    with errors is read as far as possible instead of raising.

    >>> cp.validate("scenarios/demo-small")          # doctest: +SKIP
    """
    import pandas as pd

    from cluster_planner.domain.validation import validate as validate_scenario
    from cluster_planner.io.loader import read_scenario

    if isinstance(source, Scenario):
        scenario, findings = source, validate_scenario(source)
    else:
        result = read_scenario(source)
        scenario, findings = result.scenario, result.findings
    lang = lang or scenario.school.language
    columns = ["severity", "code", "file", "row", "column", "value", "expected", "message"]
    return pd.DataFrame([f.to_dict(lang) for f in findings], columns=columns)


def solve(
    scenario: Scenario,
    time_limit: float = 120.0,
    seed: int | None = None,
    workers: int = 1,
    deterministic_limit: float = 30.0,
    progress: Callable[[str], None] | None = None,
    lang: str | None = None,
    explain: bool = True,
) -> Plan:
    """Plan a scenario; ``seed`` overrides school.toml's lottery seed (S6).

    The same scenario, seed and ``deterministic_limit`` give the same plan (one worker). The
    plan carries its scenario, so its report tables work at once. When students are left
    unplaced and ``explain`` is on, the plan's warnings say why (pre-checks and the rules
    that cannot hold together), as ``cluster-planner solve`` does.

    >>> plan = cp.solve(scenario, seed=1, deterministic_limit=5)   # doctest: +SKIP
    >>> plan.summary(lang="en")                                      # doctest: +SKIP
    """
    settings = SolveSettings(
        time_limit=time_limit,
        deterministic_limit=deterministic_limit,
        workers=workers,
        seed=scenario.school.rules.seed if seed is None else seed,
        lang=lang or scenario.school.language,
        report=progress,
    )
    plan = solve_scenario(scenario, settings).plan
    if explain and plan.unplaced:
        from cluster_planner.explain.unplaced import with_explanation

        plan = with_explanation(plan, scenario, settings.lang)
    return replace(plan, scenario=scenario)


def save(
    plan: Plan,
    scenario: Scenario,
    folder: str | Path,
    reports: bool = True,
    public: bool = False,
    lang: str | None = None,
) -> Path:
    """Write the plan folder atomically: plan files, the scenario snapshot and the reports.

    ``folder`` must be new or empty, or an earlier plan folder no other version names as its
    parent, which is then moved aside to ``NAME.replaced-…`` (never deleted). Returns the folder;
    ``plan.save(folder)`` does the same with the plan's own scenario.

    >>> cp.save(plan, scenario, "out/term1", public=True)   # doctest: +SKIP
    """
    from cluster_planner.io.scenario_writer import write_scenario_folder

    def snapshot(tmp: Path) -> None:
        write_scenario_folder(scenario, tmp / SNAPSHOT)

    writers: list[Callable[[Path], None]] = [snapshot]
    if reports:
        from cluster_planner.report import write_reports

        writers.append(lambda tmp: write_reports(scenario, plan, tmp, lang=lang, public=public))
    return save_plan(plan, Path(folder), tuple(writers), lang=lang)


def load_plan_folder(folder: str | Path) -> tuple[Plan, Scenario]:
    """Read a plan folder and the scenario snapshot inside it."""
    from cluster_planner.io.loader import load_scenario

    folder = Path(folder)
    scenario = load_scenario(folder / SNAPSHOT)
    return replace(read_plan_files(folder), scenario=scenario), scenario


def load_plan(folder: str | Path, scenario: Scenario | None = None) -> Plan:
    """Read a plan folder (FORMAT.md) with its scenario attached, so ``plan.summary()`` etc. work.

    The scenario is the folder's ``scenario/`` snapshot unless ``scenario`` is given (a plan made
    by hand or by another tool may have no snapshot; then, without ``scenario``, none is attached).

    >>> plan = cp.load_plan("out/demo-small")   # doctest: +SKIP
    >>> plan.rosters()["G001"]                  # doctest: +SKIP
    """
    from cluster_planner.io.loader import load_scenario

    folder = Path(folder)
    if scenario is None and (folder / SNAPSHOT).is_dir():
        scenario = load_scenario(folder / SNAPSHOT)
    return replace(read_plan_files(folder), scenario=scenario)


def resolve(
    plan_dir_or_plan: str | Path | Plan,
    changes: str | Path | Iterable[Change],
    *,
    out: str | Path | None = None,
    fill_freed: bool = False,
    seed: int | None = None,
    on: date | None = None,
    time_limit: float = 60.0,
    lang: str | None = None,
    reports: bool = True,
) -> Plan:
    """Re-solve a plan mid-term with the least disturbance (issue #5); returns the new version.

    ``changes`` is a changes file (CSV or workbook, FORMAT.md) or ``Change`` rows; rows already
    applied are skipped. With ``out`` the new plan folder is written (the earlier one is never
    touched). The new plan's ``moves`` list everyone affected.

    >>> new = cp.resolve("out/term1", "changes.csv", out="out/term1-v2")   # doctest: +SKIP
    >>> new.frame("moves")                                                  # doctest: +SKIP
    """
    from cluster_planner.midterm import resolve_plan

    return resolve_plan(
        plan_dir_or_plan,
        changes,
        out=out,
        fill_freed=fill_freed,
        on=on,
        seed=seed,
        time_limit=time_limit,
        lang=lang,
        reports=reports,
    ).plan
