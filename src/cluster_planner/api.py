"""The Python API: one call to load, one to solve, one to save (for notebooks and scripts).

>>> import cluster_planner as cp
>>> scenario = cp.load("scenarios/demo-small")            # doctest: +SKIP
>>> plan = cp.solve(scenario, time_limit=60, seed=1)       # doctest: +SKIP
>>> plan.frame("groups").head()                            # doctest: +SKIP
>>> cp.summary(plan)                                       # doctest: +SKIP
>>> again = cp.load_plan(cp.save(plan, "out/what-if"))     # doctest: +SKIP

A plan's report tables are functions here (``cp.summary(plan)``, ``cp.rosters(plan)``,
``cp.staff_timetable(plan, "T001")`` …), built by :mod:`cluster_planner.report.tables`, the
same code as the reports: ``plan/`` itself knows no report.

Scenario edits (``cp.with_rules`` …) are in :mod:`cluster_planner.edits`, ``cp.compare`` in
:mod:`cluster_planner.comparison`, plots in :mod:`cluster_planner.plot`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cluster_planner.domain import Scenario
from cluster_planner.errors import UsageError
from cluster_planner.i18n import register, t
from cluster_planner.plan import Plan
from cluster_planner.plan.folder import load_plan_folder as load_plan_folder  # re-exported: cp.load_plan_folder
from cluster_planner.plan.folder import load_plan_with_snapshot, save_plan_folder

if TYPE_CHECKING:
    import pandas as pd

    from cluster_planner.domain.entities import Change

register(
    {
        "plan.no_table": ("没有名为「{name}」的报表（可用：{names}）", "no report table named '{name}' ({names})"),
        "plan.no_block": ("没有「{key}」（可用：{keys}）", "no '{key}' here (known: {keys})"),
        "api.save_order": (
            "cp.save(plan, scenario, folder) 已弃用，下一版本将移除：请改用 cp.save(plan, folder)"
            "（方案自带情景；另指定请用 scenario=…）",
            "cp.save(plan, scenario, folder) is deprecated and will be removed in the next release: use "
            "cp.save(plan, folder) (the plan carries its scenario; scenario=… to give another)",
        ),
    }
)

REPORT_TABLES = (
    "summary",
    "choices_by_grade",
    "timetable",
    "rosters",
    "staff_timetables",
    "room_timetables",
    "rain_plan",
    "attendance_sheets",
    "pay",
    "satisfaction",
    "unplaced",
    "duty_roster",
    "moves",
    "warnings",
)
"""Tables of :mod:`cluster_planner.report.tables` that :func:`table` builds (the report's sheets)."""


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
    >>> cp.summary(plan, lang="en")                                  # doctest: +SKIP
    """
    from cluster_planner.solver import SolveSettings, solve_scenario

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
    folder: str | Path,
    scenario: Scenario | None = None,
    reports: bool = True,
    public: bool = False,
    lang: str | None = None,
) -> Path:
    """Write the plan folder atomically: plan files, the scenario snapshot and the reports; returns it.

    The scenario is the plan's own unless ``scenario`` is given. ``cp.load_plan(cp.save(plan,
    "out/term1"))`` gives this plan back, scenario attached. The order of 0.1,
    ``cp.save(plan, scenario, folder)``, still works with a ``DeprecationWarning``.

    ``folder`` must be new or empty, or an earlier plan folder no other version names as its
    parent, which is then moved aside to ``NAME.replaced-…`` (never deleted).

    >>> cp.save(plan, "out/term1", public=True)   # doctest: +SKIP
    """
    if isinstance(folder, Scenario):  # the order of 0.1: save(plan, scenario, folder)
        warnings.warn(_both("api.save_order"), DeprecationWarning, stacklevel=2)
        if scenario is None:
            raise TypeError("save() missing the plan folder")
        folder, scenario = scenario, folder
    scenario = scenario if scenario is not None else plan.require_scenario()
    writers: tuple[Callable[[Path], object], ...] = ()
    if reports:
        from cluster_planner.report import write_reports

        writers = (lambda tmp: write_reports(scenario, plan, tmp, lang=lang, public=public),)
    return save_plan_folder(plan, scenario, folder, writers, lang=lang)


def load_plan(folder: str | Path, scenario: Scenario | None = None) -> Plan:
    """Read a plan folder (FORMAT.md) with its scenario attached, so ``cp.summary(plan)`` etc. work.

    The scenario is the folder's ``scenario/`` snapshot unless ``scenario`` is given (a plan made
    by hand or by another tool may have no snapshot; then, without ``scenario``, none is attached).

    >>> plan = cp.load_plan("out/demo-small")   # doctest: +SKIP
    >>> cp.roster(plan, "G001")                 # doctest: +SKIP
    """
    return load_plan_with_snapshot(folder, scenario)


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


# ---- a plan's report tables (one implementation: cluster_planner.report.tables) -----------------
def table(plan: Plan, name: str, lang: str | None = None, **options: Any) -> Any:
    """Any report table by name (:data:`REPORT_TABLES`), e.g. ``cp.table(plan, "unplaced", lang="en")``.

    Headers and words are in ``lang`` (default: the school's language). Tables made of one
    block per group, adult or room come as ``{id: DataFrame}``.
    """
    if name not in REPORT_TABLES:
        raise UsageError(_both("plan.no_table", name=name, names=", ".join(REPORT_TABLES)))
    from cluster_planner.report import tables

    return getattr(tables, name)(plan.require_scenario(), plan, lang, **options)


def summary(plan: Plan, lang: str | None = None) -> pd.DataFrame:
    """概览: placed and unplaced, choices granted, priority served, groups, adults, money, solver."""
    return table(plan, "summary", lang)


def choices_by_grade(plan: Plan, lang: str | None = None) -> pd.DataFrame:
    """满意度（按年级）: best choice granted per grade, with a total row."""
    return table(plan, "choices_by_grade", lang)


def satisfaction(plan: Plan, lang: str | None = None) -> pd.DataFrame:
    """满意度（按活动）: groups, places, first-choice demand against first choices granted."""
    return table(plan, "satisfaction", lang)


def timetable(plan: Plan, lang: str | None = None) -> pd.DataFrame:
    """每日课表: one row per group meeting, by day and time."""
    return table(plan, "timetable", lang)


def pay(plan: Plan, lang: str | None = None) -> pd.DataFrame:
    """课时与报酬: periods and pay per adult, a total row last (M3)."""
    return table(plan, "pay", lang)


def rosters(plan: Plan, lang: str | None = None, public: bool = False) -> dict[str, pd.DataFrame]:
    """分组名册: ``{group_id: DataFrame}`` of students with class, parent and phone (masked if ``public``)."""
    return table(plan, "rosters", lang, public=public)


def roster(plan: Plan, group_id: str, lang: str | None = None, public: bool = False) -> pd.DataFrame:
    """One group's roster."""
    return _pick(rosters(plan, lang, public), group_id)


def staff_timetables(plan: Plan, lang: str | None = None) -> dict[str, pd.DataFrame]:
    """教师课表: ``{staff_id: DataFrame}``, a weekday × slot grid per adult with work."""
    return table(plan, "staff_timetables", lang)


def staff_timetable(plan: Plan, staff_id: str, lang: str | None = None) -> pd.DataFrame:
    """One adult's weekly grid (groups, rooms and duties)."""
    return _pick(staff_timetables(plan, lang), staff_id)


def room_timetables(plan: Plan, lang: str | None = None) -> dict[str, pd.DataFrame]:
    """场地安排: ``{room_id: DataFrame}``, a weekday × slot grid per room in use."""
    return table(plan, "room_timetables", lang)


def room_timetable(plan: Plan, room_id: str, lang: str | None = None) -> pd.DataFrame:
    """One room's weekly grid."""
    return _pick(room_timetables(plan, lang), room_id)


def _pick(blocks: dict[str, pd.DataFrame], key: str) -> pd.DataFrame:
    if key not in blocks:
        raise UsageError(_both("plan.no_block", key=key, keys=", ".join(blocks)))
    return blocks[key]


def _both(message: str, /, **params: Any) -> str:
    """A message in Chinese and English (the API does not know the reader's language)."""
    return t(message, "zh", **params) + " / " + t(message, "en", **params)
