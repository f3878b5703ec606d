"""``cluster-planner notices PLAN [--class CLASS] [--out DIR]``: one page per family (家长告知书)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from cluster_planner.cli.documents import plan_with_snapshot, say_written
from cluster_planner.i18n import register, t

register(
    {
        "notices.cli.summary": ("家长告知书 {n} 份（{classes} 个班）", "{n} family notices ({classes} classes)"),
        "notices.cli.changes": (
            "变更告知书 {n} 份：本版方案只给安排有变化的学生发告知书",
            "{n} change notices: a re-solved plan notifies only the students whose plan changed",
        ),
    }
)


@click.command(name="notices")
@click.argument("plan_dir", type=click.Path(path_type=Path))
@click.option("--class", "class_id", default=None, help="Only this class (its id or name).")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="New folder (default: PLAN-notices).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language (default: the school's).")
def command(plan_dir: Path, class_id: str | None, out: Path | None, lang: str | None) -> None:
    """Write one notice per student of PLAN (notices.html, a page each on A4; notices.xlsx, a sheet per class)
    into --out (default: PLAN-notices); a re-solved plan: only the students whose plan changed."""
    from cluster_planner.report.documents import default_out
    from cluster_planner.report.notices import build_notices, write_notices

    plan = plan_with_snapshot(plan_dir)
    scenario = plan.require_scenario()
    said = lang or scenario.school.language
    notices = build_notices(scenario, plan, said, class_id)
    written = write_notices(notices, out or default_out(plan_dir, "notices"), (plan_dir,))
    console = Console()
    classes = len({n.class_id for n in notices.notices})
    key = "notices.cli.changes" if notices.change else "notices.cli.summary"
    console.print(t(key, said, n=len(notices.notices), classes=classes), markup=False, highlight=False)
    say_written(console, written, said)
