"""``cluster-planner menu SCENARIO [--out DIR]``: the service menu a school publishes before term (服务菜单公示)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from cluster_planner.cli.documents import say_written
from cluster_planner.i18n import register, t

register(
    {
        "menu.cli.summary": (
            "服务菜单：自选活动 {choice} 项（共 {places} 个名额），托管 {care} 项，以班为单位的活动 {cls} 项",
            "menu: {choice} activities to choose ({places} places), {care} care, {cls} class activities",
        ),
    }
)


@click.command(name="menu")
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=None, help="New folder (default: SCENARIO-menu).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language (default: the school's).")
def command(scenario: Path, out: Path | None, lang: str | None) -> None:
    """Write the service menu of SCENARIO (menu.html on A4, menu.xlsx) into --out (default: SCENARIO-menu)."""
    from cluster_planner.io.loader import load_scenario
    from cluster_planner.report.documents import default_out
    from cluster_planner.report.menu import build_menu, write_menu

    school = load_scenario(scenario)
    lang = lang or school.school.language
    menu = build_menu(school, lang)
    written = write_menu(menu, out or default_out(scenario, "menu"), (scenario,))
    counts = {key: len(df) for key, df in menu.sections.items()}
    summary = t(
        "menu.cli.summary", lang, choice=counts["choice"], places=menu.places, care=counts["care"], cls=counts["class"]
    )
    console = Console()
    console.print(summary, markup=False, highlight=False)
    say_written(console, written, lang)
