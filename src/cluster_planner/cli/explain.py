"""``cluster-planner explain``: why a scenario cannot be planned, what would fix it, why a student got what they got.

- ``explain SCENARIO``: pre-check findings, then a counting proof or a minimal set of rules
  that cannot hold together (exit 3), or "feasible" (exit 0); undecided in time: exit 4.
- ``explain SCENARIO --suggest``: the cheapest resources that let every student be placed.
- ``explain PLAN_DIR --student S``: for each choice above the one granted, what stood in the way.

``--time-limit`` is one deadline for the whole command; Ctrl-C stops every solve at once,
prints nothing more and exits 130.
"""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from cluster_planner.budget import Budget, run_cancellable
from cluster_planner.errors import TimeLimitError, UsageError
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
        "explain.searching": (
            "正在求解（整个命令限时 {seconds} 秒，按 Ctrl-C 中断）……",
            "solving (time limit {seconds} s for the whole command; Ctrl-C stops)…",
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
@click.option(
    "--time-limit", default=60.0, show_default=True, help="Seconds for the whole command (every solve shares them)."
)
def command(path: Path, suggest: bool, student_id: str | None, lang: str | None, time_limit: float) -> None:
    """Say why SCENARIO cannot be planned (exit 3) and what would fix it, or why a student got what they got."""
    console, progress = Console(), Console(stderr=True)
    budget = Budget(time_limit)
    if student_id is not None:
        from cluster_planner.explain.student import explain_student
        from cluster_planner.plan.io import is_plan_folder

        if not is_plan_folder(path):
            raise UsageError(t("explain.student_needs_plan", lang or "zh"))
        _echo(progress, t("explain.searching", lang or "zh", seconds=f"{time_limit:g}"))
        account = run_cancellable(lambda: explain_student(path, student_id, budget), budget)
        lang = lang or account.lang
        for line in account.lines(lang):
            _echo(console, line)
        return

    from cluster_planner.explain.answer import explain_scenario, needs_search
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
    if needs_search(checks, suggest):
        _echo(progress, t("explain.searching", lang, seconds=f"{time_limit:g}"))
    answer = run_cancellable(lambda: explain_scenario(scenario, budget, suggest, checks), budget)
    if answer.undecided:  # exit 4: the pre-checks above are what is known
        raise TimeLimitError(t("explain.timeout", lang))
    for text, style in answer.lines(lang):
        _echo(console, text, style)
    if answer.exit_code:
        raise click.exceptions.Exit(answer.exit_code)
