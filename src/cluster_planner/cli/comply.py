"""``cluster-planner comply PLAN [--out DIR]``: the ten prohibitions (十严禁) checked against a plan; exit 1 on a
violation."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from cluster_planner.errors import UsageError
from cluster_planner.i18n import register, t

register(
    {
        "comply.cli.written": ("已写入 {path}", "written: {path}"),
        "comply.cli.row": ("{number:>2}. {status}  {rule}", "{number:>2}. {status}  {rule}"),
        "comply.cli.not_plan": (
            "{path} 不是方案文件夹（缺少 groups.csv）；请给出 solve 或 resolve 写出的文件夹",
            "{path} is not a plan folder (no groups.csv); give a folder written by solve or resolve",
        ),
        "comply.cli.no_snapshot": (
            "方案 {path} 中没有情景数据快照（scenario/），无法自查",
            "the plan {path} has no scenario snapshot (scenario/); the check needs it",
        ),
    }
)


@click.command(name="comply")
@click.argument("plan_dir", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=None, help="New folder (default: PLAN-comply).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language (default: the school's).")
def command(plan_dir: Path, out: Path | None, lang: str | None) -> None:
    """Check PLAN against the ten prohibitions (十严禁) and write comply.html (A4) and comply.xlsx into --out
    (default: PLAN-comply). Exit 1 when a prohibition is violated, 0 otherwise."""
    from cluster_planner.io.out_path import is_plan_folder
    from cluster_planner.plan.folder import SNAPSHOT, load_plan_with_snapshot
    from cluster_planner.report.comply import build_compliance, write_compliance
    from cluster_planner.report.documents import default_out

    if not is_plan_folder(plan_dir) and not (plan_dir / "groups.csv").is_file():  # a hand-made plan may lack plan.json
        raise UsageError.said("comply.cli.not_plan", path=plan_dir)
    if not (plan_dir / SNAPSHOT).is_dir():
        raise UsageError.said("comply.cli.no_snapshot", path=plan_dir)
    plan = load_plan_with_snapshot(plan_dir)
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
    for path in written:
        console.print(t("comply.cli.written", said, path=path), markup=False, highlight=False)
    if report.violated:
        raise click.exceptions.Exit(1)
