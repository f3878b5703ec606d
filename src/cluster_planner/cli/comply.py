"""``cluster-planner comply PLAN [--out DIR]``: the ten prohibitions (十严禁) checked against a plan; exit 1 on a
violation."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from cluster_planner.cli.documents import plan_with_snapshot, say_written
from cluster_planner.i18n import register, t

register(
    {
        "comply.cli.row": ("{number:>2}. {status}  {rule}", "{number:>2}. {status}  {rule}"),
    }
)


@click.command(name="comply")
@click.argument("plan_dir", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=None, help="New folder (default: PLAN-comply).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language (default: the school's).")
def command(plan_dir: Path, out: Path | None, lang: str | None) -> None:
    """Check PLAN against the ten prohibitions (十严禁) and write comply.html (A4) and comply.xlsx into --out
    (default: PLAN-comply). Exit 1 when a prohibition is violated, 0 otherwise."""
    from cluster_planner.report.comply import build_compliance, write_compliance
    from cluster_planner.report.documents import default_out

    plan = plan_with_snapshot(plan_dir)
    scenario = plan.require_scenario()
    said = lang or scenario.school.language
    report = build_compliance(scenario, plan, said)
    written = write_compliance(report, out or default_out(plan_dir, "comply"), (plan_dir,))
    console = Console()
    for row in report.rows:
        line = t("comply.cli.row", said, number=row.number, status=row.status_words, rule=row.rule)
        console.print(line, markup=False, highlight=False, soft_wrap=True)
        if row.status.value in ("warning", "violation"):
            for found in row.found:
                console.print(f"      {found}", markup=False, highlight=False)
    console.print(report.verdict, markup=False, highlight=False)
    say_written(console, written, said)
    if report.violated:
        raise click.exceptions.Exit(1)
