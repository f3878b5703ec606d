"""``cluster-planner history PLAN_DIR``: the chain of plan versions back to the term-start plan."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from cluster_planner.i18n import register, t

register(
    {
        "history.title": ("方案版本历史", "Plan history"),
        "history.version": ("版本", "version"),
        "history.from": ("生效", "from"),
        "history.until": ("截止", "until"),
        "history.changes": ("变动数", "changes"),
        "history.joined": ("加入", "joined"),
        "history.left": ("退出", "left"),
        "history.moved": ("被调整学生", "students moved"),
        "history.staff": ("涉及教职工", "staff"),
        "history.path": ("文件夹", "folder"),
        "history.start": ("学期初", "term start"),
    }
)


@click.command(name="history")
@click.argument("plan_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language (default: the school's).")
def command(plan_dir: Path, lang: str | None) -> None:
    """List PLAN_DIR's versions, newest first: dates, changes applied, who joined, left or was moved."""
    from cluster_planner.cli.language import school_language
    from cluster_planner.midterm import chain

    lang = lang or school_language(plan_dir) or "zh"
    table = Table(title=t("history.title", lang))
    for key in ("version", "from", "until", "changes", "joined", "left", "moved", "staff", "path"):
        table.add_column(t(f"history.{key}", lang), overflow="fold")
    for v in chain(plan_dir):
        meta = v.meta
        table.add_row(
            str(meta.version),
            meta.valid_from or t("history.start", lang),
            meta.valid_until or "",
            str(len(meta.changes_applied)),
            str(v.joined),
            str(v.left),
            str(v.students_moved),
            str(v.staff_moved),
            str(v.path),
        )
    Console(width=160).print(table)
