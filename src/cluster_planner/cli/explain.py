"""``cluster-planner explain``: why a scenario cannot be planned, what would fix it, why a student got what they got.

- ``explain SCENARIO``: pre-check findings, then a minimal set of rules that cannot hold
  together (exit 3), or "feasible" (exit 0).
- ``explain SCENARIO --suggest``: the cheapest resources that let every student be placed.
- ``explain PLAN_DIR --student S``: for each choice above the one granted, what stood in the way.
"""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from cluster_planner.errors import InfeasibleError, TimeLimitError, UsageError
from cluster_planner.i18n import register, t

register(
    {
        "explain.precheck_title": ("预检查：", "pre-checks:"),
        "explain.student_needs_plan": (
            "--student 需要一个方案文件夹（solve 的输出）",
            "--student needs a plan folder (the output of solve)",
        ),
        "explain.timeout": (
            "在时间限制内未能判断是否可行；请放宽 --time-limit",
            "feasibility could not be decided in time; allow more --time-limit",
        ),
    }
)


def _echo(console: Console, text: str, style: str | None = None) -> None:
    console.print(text, style=style, markup=False, highlight=False, soft_wrap=True)


@click.command(name="explain")
@click.argument("path", metavar="SCENARIO|PLAN_DIR", type=click.Path(path_type=Path))
@click.option("--suggest", is_flag=True, help="Propose the cheapest resources that place every student.")
@click.option("--student", "student_id", default=None, help="Explain one student's choices (PATH is a plan folder).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language (default: school.language).")
@click.option("--time-limit", default=60.0, show_default=True, help="Seconds for each feasibility solve.")
def command(path: Path, suggest: bool, student_id: str | None, lang: str | None, time_limit: float) -> None:
    """Say why SCENARIO cannot be planned (exit 3) and what would fix it, or why a student got what they got."""
    console = Console()
    if student_id is not None:
        from cluster_planner.explain.student import explain_student
        from cluster_planner.plan.io import is_plan_folder

        if not is_plan_folder(path):
            raise UsageError(t("explain.student_needs_plan", lang or "zh"))
        account = explain_student(path, student_id)
        lang = lang or account.lang
        for line in account.lines(lang):
            _echo(console, line)
        return

    from cluster_planner.explain.conflicts import find_conflict
    from cluster_planner.explain.precheck import precheck, with_prechecks
    from cluster_planner.io.loader import load_scenario_with_findings

    scenario, findings = load_scenario_with_findings(path)
    lang = lang or scenario.school.language
    checks = precheck(scenario)
    shown = with_prechecks(findings, checks)  # a validation warning a pre-check says better is dropped
    for finding in shown[: len(shown) - len(checks)]:
        _echo(console, finding.render(lang), "yellow")
    if checks:
        _echo(console, t("explain.precheck_title", lang), "bold")
        for finding in checks:
            _echo(console, finding.render(lang), "yellow")
    if suggest:
        from cluster_planner.explain.suggest import suggest_fixes

        for line in suggest_fixes(scenario, seconds=time_limit).lines(lang):
            _echo(console, line)
        return
    try:
        conflict = find_conflict(scenario, seconds=time_limit)
    except TimeoutError as exc:
        raise TimeLimitError(t("explain.timeout", lang)) from exc
    if conflict is None:
        _echo(console, t("explain.feasible", lang), "green")
        return
    _echo(console, t("explain.infeasible", lang, n=len(conflict.rules)), "bold red")
    for sentence in conflict.sentences(lang):
        _echo(console, f"  - {sentence}")
    if not conflict.minimal:
        _echo(console, t("explain.not_minimal", lang))
    raise click.exceptions.Exit(InfeasibleError.exit_code)
