"""``cluster-planner diff OLD NEW``: who and what differs between two plan folders (moves.csv rows)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from cluster_planner.cli.resolve import move_counts, moves_table
from cluster_planner.i18n import register, t

register(
    {
        "diff.title": ("{old} → {new}", "{old} → {new}"),
        "diff.none": ("两个方案没有差别", "the two plans do not differ"),
        "diff.students": ("变动的学生", "students affected"),
        "diff.staff": ("变动的教职工", "staff affected"),
        "diff.groups": ("更换场地的组", "groups with a new room"),
    }
)


@click.command(name="diff")
@click.argument("old", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language of the words.")
def command(old: Path, new: Path, lang: str | None) -> None:
    """Print the students, staff and groups whose places differ from OLD to NEW."""
    from cluster_planner.api import load_plan
    from cluster_planner.midterm import diff_plans

    before, after = load_plan(old), load_plan(new)
    scenario = after.scenario or before.scenario
    lang = lang or (scenario.school.language if scenario else "zh")
    moves = diff_plans(before, after, before.scenario, after.scenario, lang)
    console = Console()
    if not moves:
        console.print(t("diff.none", lang))
        return
    counts = move_counts(moves)
    summary = Table(show_header=False)
    summary.add_row(t("diff.students", lang), str(sum(1 for m in moves if m.kind == "student")))
    summary.add_row(t("diff.staff", lang), str(counts["staff"]))
    summary.add_row(t("diff.groups", lang), str(counts["group"]))
    console.print(summary)
    console.print(moves_table(moves, lang, t("diff.title", lang, old=old, new=new)))
