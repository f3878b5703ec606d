"""``cluster-planner resolve PLAN_DIR --changes changes.csv --out NEW_PLAN_DIR``: mid-term re-solve (issue #5)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from cluster_planner.budget import Budget, run_cancellable
from cluster_planner.i18n import register, t
from cluster_planner.io.out_path import replaced_message
from cluster_planner.plan.model import Move

register(
    {
        "resolve.title": ("第 {version} 版方案（自 {valid_from} 起）", "Plan version {version} (from {valid_from})"),
        "resolve.applied": ("已应用变动", "changes applied"),
        "resolve.skipped": ("已应用过、跳过", "already applied, skipped"),
        "resolve.later": ("尚未生效、留待以后", "not in force yet, left for later"),
        "resolve.joined": ("新加入学生", "students joined"),
        "resolve.left": ("退出学生", "students left"),
        "resolve.changed": ("本人变更的学生", "students who changed"),
        "resolve.moved": ("被调整的其他学生", "other students moved"),
        "resolve.upgraded": ("调入更靠前志愿", "upgraded to a better choice"),
        "resolve.staff": ("涉及教职工", "staff affected"),
        "resolve.groups": ("更换场地的组", "groups with a new room"),
        "resolve.unplaced": ("未安排（学生×时段）", "unplaced (student × slot)"),
        "resolve.seconds": ("重排用时（秒）", "re-solve time (s)"),
        "resolve.skipped_row": ("跳过已应用的变动：{key}", "skipped, already applied: {key}"),
        "resolve.later_row": ("尚未生效：{key}", "not in force yet: {key}"),
        "resolve.moves_title": ("变动通知", "Who to notify"),
        "resolve.col_who": ("编号", "id"),
        "resolve.col_name": ("姓名", "name"),
        "resolve.col_before": ("原安排", "before"),
        "resolve.col_after": ("新安排", "after"),
        "resolve.col_reason": ("原因", "reason"),
        "resolve.written": (
            "新方案已写入 {path}（原方案未改动）",
            "new plan written to {path} (the earlier plan is untouched)",
        ),
    }
)

MAX_ROWS = 40


def moves_table(moves: tuple[Move, ...], lang: str, title: str) -> Table:
    """Who moved, before → after, why (at most ``MAX_ROWS`` rows; the file has all)."""
    table = Table(title=title)
    for key in ("resolve.col_who", "resolve.col_name", "resolve.col_before", "resolve.col_after", "resolve.col_reason"):
        table.add_column(t(key, lang), overflow="fold")
    for m in moves[:MAX_ROWS]:
        table.add_row(m.id, m.name, m.before, m.after, m.reason)
    if len(moves) > MAX_ROWS:
        table.add_row("…", f"+{len(moves) - MAX_ROWS}", "", "", "")
    return table


def move_counts(moves: tuple[Move, ...]) -> Counter[str]:
    """Moves by reason code (students), ``staff`` and ``group`` rows."""
    return Counter(m.reason_code if m.kind == "student" else m.kind for m in moves)


@click.command(name="resolve")
@click.argument("plan_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--changes", "changes", required=True, type=click.Path(path_type=Path), help="changes.csv (or .xlsx).")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="New plan folder to write.")
@click.option("--fill-freed", is_flag=True, help="Give freed places to students who ranked that activity higher.")
@click.option("--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Effective date.")
@click.option("--seed", type=int, default=None, help="Seed (default: the earlier plan's).")
@click.option("--time-limit", default=60.0, show_default=True, help="Wall-clock safety stop, seconds.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language of messages and reports.")
@click.option("--no-report", is_flag=True, help="Write the plan files only.")
def command(
    plan_dir: Path,
    changes: Path,
    out: Path,
    fill_freed: bool,
    on: object,
    seed: int | None,
    time_limit: float,
    lang: str | None,
    no_report: bool,
) -> None:
    """Apply CHANGES to the plan in PLAN_DIR and re-solve with the least disturbance into --out."""
    from cluster_planner.midterm import resolve_plan

    day = on.date() if on is not None else None  # type: ignore[attr-defined]
    budget = Budget(time_limit)  # one deadline and one Ctrl-C for the whole command: nothing half-written
    res = run_cancellable(
        lambda: resolve_plan(
            plan_dir,
            changes,
            out=out,
            fill_freed=fill_freed,
            on=day if isinstance(day, date) else None,
            seed=seed,
            time_limit=time_limit,
            lang=lang,
            reports=not no_report,
            budget=budget,
        ),
        budget,
    )
    lang = lang or res.scenario.school.language
    err, console = Console(stderr=True), Console()
    from cluster_planner.midterm.changes import change_key

    for c in res.skipped:
        err.print(t("resolve.skipped_row", lang, key=change_key(c)), markup=False, highlight=False)
    for c in res.later:
        err.print(t("resolve.later_row", lang, key=change_key(c)), markup=False, highlight=False)
    for warning in res.plan.meta.warnings:
        err.print(warning, markup=False, highlight=False)
    counts = move_counts(res.plan.moves)
    meta = res.plan.meta
    table = Table(title=t("resolve.title", lang, version=meta.version, valid_from=meta.valid_from), show_header=False)
    rows = [
        ("resolve.applied", len(res.applied)),
        ("resolve.skipped", len(res.skipped)),
        ("resolve.later", len(res.later)),
        ("resolve.joined", counts["joined"]),
        ("resolve.left", counts["left"]),
        ("resolve.changed", counts["changed"]),
        ("resolve.moved", counts["moved"]),
        ("resolve.upgraded", counts["upgraded"]),
        ("resolve.staff", counts["staff"]),
        ("resolve.groups", counts["group"]),
        ("resolve.unplaced", len(res.plan.unplaced)),
        ("resolve.seconds", f"{res.seconds:.2f}"),
    ]
    for key, value in rows:
        table.add_row(t(key, lang), str(value))
    console.print(table)
    if res.plan.moves:
        console.print(moves_table(res.plan.moves, lang, t("resolve.moves_title", lang)))
    console.print(t("resolve.written", lang, path=out), markup=False)
    if moved := replaced_message(out, lang):
        console.print(moved, markup=False)
