"""``cluster-planner lottery SCENARIO [--seed N] [--out FILE]``: the whole lottery order (S6, issue 17 item 5)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from cluster_planner.cli.documents import say_written


@click.command(name="lottery")
@click.argument("source", metavar="SCENARIO", type=click.Path(path_type=Path))
@click.option("--seed", type=int, default=None, help="Lottery seed (default: school.toml rules.seed; a plan's own).")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="New .csv or .xlsx file for the order.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language (default: the school's).")
def command(source: Path, seed: int | None, out: Path | None, lang: str | None) -> None:
    """Print the lottery order of SCENARIO (or of a plan folder, with the plan's seed): rank, student id,
    name, class and lottery number, the first 8 hex digits of SHA-256('seed:student id'); --out also
    writes it to a new .csv or .xlsx file."""
    from cluster_planner.errors import UsageError
    from cluster_planner.io.out_path import Target, check_out, is_plan_folder
    from cluster_planner.report.lottery import SUFFIXES, build_draw, write_draw

    if out is not None and out.suffix.lower() not in SUFFIXES:
        raise UsageError.said("lottery.bad_suffix", path=out)
    if is_plan_folder(source):
        from cluster_planner.cli.documents import plan_with_snapshot

        plan = plan_with_snapshot(source)
        scenario = plan.require_scenario()
        seed = plan.meta.seed if seed is None else seed
    else:
        from cluster_planner.io.loader import load_scenario

        scenario = load_scenario(source)
    said = lang or scenario.school.language
    if out is not None:
        check_out(out, Target.FILE, (source,), said)
    draw = build_draw(scenario, seed, said)
    console = Console()
    table = Table(title=draw.title, caption=draw.summary, title_justify="left", caption_justify="left")
    for k, header in enumerate(draw.headers()):
        table.add_column(header, justify="right" if k == 0 else "left", overflow="fold")
    for row in draw.rows:
        table.add_row(str(row.rank), row.student_id, row.name, row.class_name, row.number)
    console.print(table)
    console.print(draw.rule, markup=False, highlight=False, soft_wrap=True)
    if out is not None:
        say_written(console, [write_draw(draw, out, (source,))], said)
