"""``cluster-planner notices PLAN [--class CLASS] [--out DIR]``: one page per family (家长告知书)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from cluster_planner.errors import UsageError
from cluster_planner.i18n import register, t

register(
    {
        "notices.cli.written": ("已写入 {path}", "written: {path}"),
        "notices.cli.summary": ("家长告知书 {n} 份（{classes} 个班）", "{n} family notices ({classes} classes)"),
        "notices.cli.changes": (
            "变更告知书 {n} 份：本版方案只给安排有变化的学生发告知书",
            "{n} change notices: a re-solved plan notifies only the students whose plan changed",
        ),
        "notices.cli.not_plan": (
            "{path} 不是方案文件夹（缺少 groups.csv）；请给出 solve 或 resolve 写出的文件夹",
            "{path} is not a plan folder (no groups.csv); give a folder written by solve or resolve",
        ),
        "notices.cli.no_snapshot": (
            "方案 {path} 中没有情景数据快照（scenario/），无法写告知书",
            "the plan {path} has no scenario snapshot (scenario/); notices need it",
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
    from cluster_planner.io.out_path import is_plan_folder
    from cluster_planner.plan.folder import SNAPSHOT, load_plan_with_snapshot
    from cluster_planner.report.documents import default_out
    from cluster_planner.report.notices import build_notices, write_notices

    if not is_plan_folder(plan_dir) and not (plan_dir / "groups.csv").is_file():  # a hand-made plan may lack plan.json
        raise UsageError.said("notices.cli.not_plan", path=plan_dir)
    if not (plan_dir / SNAPSHOT).is_dir():
        raise UsageError.said("notices.cli.no_snapshot", path=plan_dir)
    plan = load_plan_with_snapshot(plan_dir)
    scenario = plan.require_scenario()
    said = lang or scenario.school.language
    notices = build_notices(scenario, plan, said, class_id)
    written = write_notices(notices, out or default_out(plan_dir, "notices"), (plan_dir,))
    console = Console()
    classes = len({n.class_id for n in notices.notices})
    key = "notices.cli.changes" if notices.change else "notices.cli.summary"
    console.print(t(key, said, n=len(notices.notices), classes=classes), markup=False, highlight=False)
    for path in written:
        console.print(t("notices.cli.written", said, path=path), markup=False, highlight=False)
