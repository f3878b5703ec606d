"""``cluster-planner solve SCENARIO --out PLAN_DIR``: plan a term and write the plan folder."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from cluster_planner.api import save
from cluster_planner.budget import Budget, run_cancellable, writing_reserve
from cluster_planner.domain import Scenario
from cluster_planner.i18n import register, t
from cluster_planner.io.out_path import Target, check_out, replaced_message
from cluster_planner.plan import Plan
from cluster_planner.plan.figures import choices_granted
from cluster_planner.solver import SolveSettings, solve_scenario
from cluster_planner.vocabulary import plan_status_words

register(
    {
        "solve.title": ("排课结果：{school}", "Plan for {school}"),
        "solve.placed": ("已安排学生", "students placed"),
        "solve.unplaced": ("未完全安排的学生", "students not fully placed"),
        "solve.choice_n": ("获得第{n}志愿", "got choice {n}"),
        "solve.no_choice": ("未获得任何志愿", "got none of their choices"),
        "solve.groups": ("活动组数", "groups"),
        "solve.adults": ("参与教职工", "adults"),
        "solve.periods": ("每周课时", "periods a week"),
        "solve.status": ("求解状态", "solver status"),
        "solve.written": ("方案已写入 {path}", "plan written to {path}"),
        "solve.warning": ("警告：{text}", "warning: {text}"),
    }
)


def summary_table(scenario: Scenario, plan: Plan, lang: str) -> Table:
    """Placed, unplaced, choices granted, groups, adults, periods (recomputed from the plan)."""
    table = Table(title=t("solve.title", lang, school=scenario.school.name), show_header=False)
    approved = {s.student_id for s in scenario.approved_students}
    unplaced = {u.student_id for u in plan.unplaced}
    wanting = {s.student_id for s in scenario.approved_students if s.choices}
    best = choices_granted(scenario, plan.assignments)
    ranks = Counter(best[s] for s in wanting)
    rows = [
        (t("solve.placed", lang), f"{len(approved - unplaced)} / {len(approved)}"),
        (t("solve.unplaced", lang), str(len(unplaced))),
    ]
    for n in (1, 2, 3):
        share = ranks.get(n, 0) / len(wanting) if wanting else 0.0
        rows.append((t("solve.choice_n", lang, n=n), f"{ranks.get(n, 0)} ({share:.0%})"))
    rows.append((t("solve.no_choice", lang), str(ranks.get(None, 0))))
    rows += [
        (t("solve.groups", lang), str(len({g.group_id for g in plan.groups}))),
        (t("solve.adults", lang), str(len({p for g in plan.groups for p in g.staff_ids}))),
        (t("solve.periods", lang), f"{sum(s.periods_week for s in plan.staff_load):g}"),
        (t("solve.status", lang), plan_status_words(plan.meta, lang)),
    ]
    for label, value in rows:
        table.add_row(label, value)
    return table


@click.command(name="solve")
@click.argument("scenario_path", metavar="SCENARIO", type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="Plan folder to write.")
@click.option("--time-limit", default=120.0, show_default=True, help="Wall-clock safety stop, seconds.")
@click.option("--seed", type=int, default=None, help="Lottery seed (default: school.toml rules.seed).")
@click.option("--workers", default=1, show_default=True, help="CP-SAT search workers (1 = reproducible, fastest here).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language of messages and reports.")
@click.option("--public", is_flag=True, help="Also write reports with personal data masked.")
@click.option("--no-report", is_flag=True, help="Write the plan files only.")
@click.option("--quiet", is_flag=True, help="No progress lines.")
def command(
    scenario_path: Path,
    out: Path,
    time_limit: float,
    seed: int | None,
    workers: int,
    lang: str | None,
    public: bool,
    no_report: bool,
    quiet: bool,
) -> None:
    """Plan SCENARIO (a folder or .xlsx) and write the plan folder --out."""
    started = time.monotonic()
    err = Console(stderr=True)
    out_console = Console()
    from cluster_planner.explain.precheck import precheck, with_prechecks
    from cluster_planner.io.loader import load_scenario_with_findings

    scenario, findings = load_scenario_with_findings(scenario_path)
    lang = lang or scenario.school.language
    check_out(out, Target.PLAN, inputs=[scenario_path], lang=lang)  # refuse before solving, not after
    checks = precheck(scenario)
    for finding in with_prechecks(findings, checks):  # warnings, counting pre-checks first (explain)
        err.print(finding.render(lang), markup=False, highlight=False)
    # one deadline and one Ctrl-C for the whole command: the solve ends in time to write the plan
    reserve = writing_reserve(time_limit, len(scenario.students), not no_report)
    budget = Budget(time_limit - (time.monotonic() - started) - reserve)
    settings = SolveSettings(
        time_limit=time_limit,
        workers=workers,
        seed=scenario.school.rules.seed if seed is None else seed,
        lang=lang,
        report=None if quiet else lambda line: err.print(line, markup=False, highlight=False),
        budget=budget,
    )
    from cluster_planner.explain.unplaced import with_explanation

    def work() -> tuple[Plan, Plan]:
        found = solve_scenario(scenario, settings).plan  # always a plan: a cut stage falls back on its greedy plan
        return found, with_explanation(found, scenario, lang, checks, budget)  # unplaced students: why

    plan, explained = run_cancellable(work, budget)  # Ctrl-C: nothing is written, exit 130
    for warning in plan.meta.warnings:
        err.print(t("solve.warning", lang, text=warning), markup=False, highlight=False)
    for line in explained.meta.warnings[len(plan.meta.warnings) :]:
        if not line.startswith(t("explain.unplaced.precheck", lang, text="")):  # printed above
            err.print(t("solve.warning", lang, text=line), markup=False, highlight=False)
    plan = explained
    save(plan, out, scenario=scenario, reports=not no_report, public=public, lang=lang)
    out_console.print(summary_table(scenario, plan, lang))
    out_console.print(t("solve.written", lang, path=out), markup=False)
    if moved := replaced_message(out, lang):
        out_console.print(moved, markup=False)
