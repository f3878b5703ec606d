"""``cluster-planner solve-district DISTRICT_DIR --out OUT``: plan every school on Dask, write the district report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cluster_planner.i18n import register, t
from cluster_planner.io.out_path import Target, check_out

if TYPE_CHECKING:
    from cluster_planner.district.school_task import SchoolResult

register(
    {
        "solve_district.progress": ("排课中（学校）", "planning schools"),
        "solve_district.done_one": ("{school}：{outcome}", "{school}: {outcome}"),
        "solve_district.summary": (
            "共 {total} 所学校：{ok} 所已有方案，{failed} 所未能排课。",
            "{total} schools: {ok} with a plan, {failed} without.",
        ),
        "solve_district.written": ("区域汇总已写入 {path}", "district report written to {path}"),
    }
)


@click.command(name="solve-district")
@click.argument("district", type=click.Path(path_type=Path, file_okay=False))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="Folder for plans and report.")
@click.option("--scheduler", default=None, help="Address of an existing Dask scheduler, e.g. tcp://host:8786.")
@click.option("--time-limit", default=120.0, show_default=True, help="Wall-clock safety stop per school, seconds.")
@click.option("--deterministic-limit", default=30.0, show_default=True, help="CP-SAT deterministic time per stage.")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Local worker processes (default: cores).")
@click.option("--seed", type=int, default=None, help="Lottery seed for every school (default: each school.toml).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Report language.")
@click.option("--no-school-reports", is_flag=True, help="Write each school's plan files without its reports.")
def command(
    district: Path,
    out: Path,
    scheduler: str | None,
    time_limit: float,
    deterministic_limit: float,
    workers: int | None,
    seed: int | None,
    lang: str,
    no_school_reports: bool,
) -> None:
    """Plan every school of DISTRICT (one sub-folder or workbook each) and write the district report to --out.

    A re-run keeps schools whose plan in --out is already valid for the same scenario.
    """
    from cluster_planner.district.report import write_district_report
    from cluster_planner.district.run import RunSettings, run_district

    check_out(out, Target.DISTRICT, inputs=[district], lang=lang)
    settings = RunSettings(
        time_limit=time_limit,
        deterministic_limit=deterministic_limit,
        seed=seed,
        reports=not no_school_reports,
        workers=workers,
        scheduler=scheduler,
    )
    err = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    ) as bar:
        task = bar.add_task(t("solve_district.progress", lang), total=None)

        def on_done(result: SchoolResult, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)
            outcome = t(f"district.outcome.{result.outcome.value}", lang)
            bar.console.print(
                t("solve_district.done_one", lang, school=result.school_id, outcome=outcome), markup=False
            )

        results = run_district(district, out, settings, progress=on_done)
    paths = write_district_report(results, out, lang)
    ok = sum(1 for r in results if r.outcome.ok)
    table = Table(show_header=True)
    for key in ("school", "name", "outcome", "approved", "planned", "unplaced", "problem"):
        table.add_column(t(f"district.col.{key}", lang))
    for r in results:
        outcome = t(f"district.outcome.{r.outcome.value}", lang)
        problem = "；".join(p[0] if lang == "zh" else p[1] for p in r.problems)
        figures = (str(r.approved), str(r.planned), str(r.unplaced)) if r.scenario_hash else ("", "", "")
        table.add_row(r.school_id, r.name, outcome, *figures, problem)
    console = Console()
    console.print(table)
    console.print(t("solve_district.summary", lang, total=len(results), ok=ok, failed=len(results) - ok), markup=False)
    console.print(t("solve_district.written", lang, path=paths[0]), markup=False)
