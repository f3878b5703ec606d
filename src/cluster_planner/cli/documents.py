"""What the document commands (report, menu, notices, comply) share: reading a plan folder with its
scenario snapshot, and saying what was written."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rich.console import Console

from cluster_planner.errors import UsageError
from cluster_planner.i18n import register, t
from cluster_planner.plan import Plan

register(
    {
        "documents.cli.written": ("已写入 {path}", "written: {path}"),
        "documents.cli.not_plan": (
            "{path} 不是方案文件夹（缺少 groups.csv）；请给出 solve 或 resolve 写出的文件夹",
            "{path} is not a plan folder (no groups.csv); give a folder written by solve or resolve",
        ),
        "documents.cli.no_snapshot": (
            "方案 {path} 中没有情景数据快照（scenario/），无法写出文档",
            "the plan {path} has no scenario snapshot (scenario/); the documents need it",
        ),
    }
)


def plan_with_snapshot(plan_dir: Path) -> Plan:
    """The plan of a folder written by solve or resolve, with its scenario snapshot; a usage error
    (exit 2) naming the folder otherwise."""
    from cluster_planner.io.out_path import is_plan_folder
    from cluster_planner.plan.folder import SNAPSHOT, load_plan_with_snapshot

    if not is_plan_folder(plan_dir) and not (plan_dir / "groups.csv").is_file():  # a hand-made plan may lack plan.json
        raise UsageError.said("documents.cli.not_plan", path=plan_dir)
    if not (plan_dir / SNAPSHOT).is_dir():
        raise UsageError.said("documents.cli.no_snapshot", path=plan_dir)
    return load_plan_with_snapshot(plan_dir)


def say_written(console: Console, paths: Iterable[Path], lang: str) -> None:
    """One line per file written."""
    for path in paths:
        console.print(t("documents.cli.written", lang, path=path), markup=False, highlight=False)
