"""One call for a mid-term re-solve: read the earlier plan and the changes, repair, write the new version."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from cluster_planner.budget import Budget, writing_reserve
from cluster_planner.domain import Scenario
from cluster_planner.domain.entities import Change
from cluster_planner.errors import UsageError
from cluster_planner.i18n import register, t
from cluster_planner.io.out_path import Target, check_out
from cluster_planner.midterm.changes import (
    apply_changes,
    change_key,
    check_dates,
    check_references,
    read_changes,
    triage,
)
from cluster_planner.midterm.repair import RepairFacts, repair
from cluster_planner.plan import Plan
from cluster_planner.solver.params import SolveSettings

register(
    {
        "midterm.nothing_new": (
            "变动文件中的 {n} 行均已应用过（或尚未生效），没有新的变动，未写入新方案",
            "all {n} rows of the changes file were applied before (or are not in force yet); nothing new, "
            "no plan written",
        ),
    }
)


@dataclass(frozen=True)
class Resolution:
    """A re-solve's result: the new plan (scenario attached), what was applied, skipped and left for later."""

    plan: Plan
    scenario: Scenario
    applied: tuple[Change, ...]
    skipped: tuple[Change, ...]
    later: tuple[Change, ...]
    facts: RepairFacts
    seconds: float
    """Wall time of the repair itself (reading, reports and writing aside)."""

    @property
    def moved_unchanged(self) -> int:
        """Students moved who did not change themselves (no join, exit or change row)."""
        return sum(1 for m in self.plan.moves if m.kind == "student" and m.reason_code in ("moved", "upgraded"))


def _day(text: str | None) -> date | None:
    """plan.json's ``valid_from`` as a date (None: a term-start plan, or unreadable)."""
    try:
        return date.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return None


def _both(key: str, **params: object) -> str:
    return t(key, "zh", **params) + " / " + t(key, "en", **params)


def resolve_plan(
    earlier: str | Path | Plan,
    changes: str | Path | Iterable[Change],
    *,
    out: str | Path | None = None,
    fill_freed: bool = False,
    on: date | None = None,
    seed: int | None = None,
    time_limit: float = 60.0,
    lang: str | None = None,
    reports: bool = True,
    budget: Budget | None = None,
) -> Resolution:
    """Apply ``changes`` to the earlier plan's scenario and repair the plan (see :mod:`.repair`).

    ``budget``: the command's one deadline and cancellation; every CP-SAT stage of the repair
    runs within it (and within ``time_limit``).
    """
    from cluster_planner.plan.folder import load_plan_folder, save_plan_folder
    from cluster_planner.report import write_reports

    parent: Path | None = None
    if isinstance(earlier, Plan):
        old_plan, old_scenario = earlier, earlier.require_scenario()
    else:
        parent = Path(earlier)
        old_plan, old_scenario = load_plan_folder(parent)
    if out is not None:  # refuse before re-solving: the earlier plan and the changes file are never written
        inputs = [p for p in (parent, changes if isinstance(changes, (str, Path)) else None) if p is not None]
        check_out(out, Target.PLAN, inputs=inputs, lang=lang)
    if isinstance(changes, (str, Path)):
        rows = read_changes(changes, old_scenario)
    else:
        rows = tuple(changes)
        check_references(old_scenario, rows)
    sorted_rows = triage(old_scenario.changes, rows, on)
    display = Path(changes).name if isinstance(changes, (str, Path)) else "changes.csv"
    check_dates((*sorted_rows.fresh, *sorted_rows.later), old_scenario.school, _day(old_plan.meta.valid_from), display)
    if not sorted_rows.fresh:
        raise UsageError.said("midterm.nothing_new", n=len(rows))
    effective = on or max(c.date for c in sorted_rows.fresh)
    lang = lang or old_scenario.school.language
    if budget is not None and out is not None:  # the repair ends in time to write the new plan
        budget.hold_back(writing_reserve(time_limit, len(old_scenario.students), reports))
    settings = SolveSettings(
        time_limit=time_limit,
        deterministic_limit=10.0,
        workers=1,
        seed=old_plan.meta.seed if seed is None else seed,
        lang=lang,
        budget=budget,
    )
    started = time.perf_counter()
    new_scenario = apply_changes(old_scenario, sorted_rows.fresh)
    plan, facts = repair(
        old_plan, old_scenario, new_scenario, sorted_rows.fresh, effective, fill_freed=fill_freed, settings=settings
    )
    seconds = time.perf_counter() - started
    if budget is not None:
        budget.raise_if_cancelled()  # a cancelled repair is half done: nothing is written
    extra = dict(plan.meta.extra)
    extra["skipped"] = [change_key(c) for c in sorted_rows.already]
    extra["later"] = [change_key(c) for c in sorted_rows.later]
    if parent is not None:
        extra["parent_path"] = str(parent.resolve())
        if out is not None:
            extra["parent_relpath"] = os.path.relpath(parent.resolve(), Path(out).resolve())
    plan = replace(plan, meta=replace(plan.meta, extra=extra))
    if out is not None:
        writers = (lambda tmp: write_reports(new_scenario, plan, tmp, lang=lang),) if reports else ()
        save_plan_folder(plan, new_scenario, out, writers, lang=lang)
    return Resolution(plan, new_scenario, sorted_rows.fresh, sorted_rows.already, sorted_rows.later, facts, seconds)
