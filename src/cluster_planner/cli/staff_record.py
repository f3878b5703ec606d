"""``cluster-planner staff-record PLAN [--out DIR]``: each adult's service record across the plan's versions
(教职工课后服务记录, issue 17 item 6)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from cluster_planner.cli.documents import plan_with_snapshot, say_written
from cluster_planner.i18n import register, t

register(
    {
        "help.staff_record": (
            "统计 PLAN（最新版本，逐版追溯到学期初）中每名教职工每周的课时、课时费、代课和请假，"
            "把 staff-record.html（A4，每人一页）和 staff-record.xlsx 写入 --out（默认：PLAN-staff-record）",
            "Write each adult's periods, pay, covers and leave per week across the versions of PLAN (the newest; "
            "its parents are read back) as staff-record.html (A4, a page each) and staff-record.xlsx into --out "
            "(default: PLAN-staff-record)",
        ),
        "staff_record.cli.done": (
            "{adults} 名教职工，{weeks} 周，{versions} 个方案版本；课时 {periods}，课时费 {pay}",
            "{adults} adult(s), {weeks} week(s), {versions} plan version(s); {periods} periods, pay {pay}",
        ),
        "help.staff_record.short": ("写教职工服务记录", "Write the staff service record"),
        "help.staff_record.out": (
            "要写入的新文件夹（默认：PLAN-staff-record）",
            "New folder (default: PLAN-staff-record)",
        ),
    }
)


@click.command(name="staff-record")
@click.argument("plan_dir", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=None, help="New folder (default: PLAN-staff-record).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language (default: the school's).")
def command(plan_dir: Path, out: Path | None, lang: str | None) -> None:
    """Write each adult's periods, pay, covers and leave per week across the versions of PLAN (the newest; its
    parents are read back) as staff-record.html (A4, a page each) and staff-record.xlsx into --out (default:
    PLAN-staff-record)."""
    from cluster_planner.report.documents import default_out
    from cluster_planner.report.publish_words import yuan
    from cluster_planner.report.staff_record import build_staff_record
    from cluster_planner.report.staff_record_page import write_staff_record

    plan = plan_with_snapshot(plan_dir)
    record = build_staff_record(plan, plan_dir, lang)
    written = write_staff_record(record, out or default_out(plan_dir, "staff-record"), (plan_dir,))
    said = record.lang
    console = Console()
    periods = sum(a.periods for a in record.adults)
    pay = round(sum(a.pay for a in record.adults), 2)
    line = t(
        "staff_record.cli.done",
        said,
        adults=len(record.adults),
        weeks=record.weeks,
        versions=len(record.spans),
        periods=f"{periods:g}",
        pay=yuan(pay, said),
    )
    console.print(line, markup=False, highlight=False)
    say_written(console, written, said)
