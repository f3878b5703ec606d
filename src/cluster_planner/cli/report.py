"""``cluster-planner report [SCENARIO] PLAN_DIR``: write the human reports of a plan folder."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from cluster_planner.cli.documents import say_written
from cluster_planner.errors import UsageError
from cluster_planner.i18n import register, t

register(
    {
        "report.cli.args": (
            "用法：cluster-planner report [SCENARIO] PLAN_DIR（SCENARIO 省略或为 - 时使用方案内的 scenario/ 快照）",
            "usage: cluster-planner report [SCENARIO] PLAN_DIR (no SCENARIO or '-': the plan's scenario/ snapshot)",
        ),
        "report.cli.no_scenario": (
            "找不到情景数据 {path}；请给出 SCENARIO 参数",
            "no scenario at {path}; give the SCENARIO argument",
        ),
        "report.cli.other_scenario": (
            "注意：此方案并非由这份情景数据求解得到（数据指纹不同），报表按给出的情景数据生成。",
            "note: this plan was not solved from this scenario (its hash differs); the reports use the scenario given.",
        ),
    }
)


def _paths(paths: tuple[Path, ...], lang: str) -> tuple[Path | None, Path]:
    """(scenario or None for the snapshot, plan folder) from one or two arguments."""
    if len(paths) == 1:
        return None, paths[0]
    if len(paths) == 2:
        return (None if str(paths[0]) == "-" else paths[0]), paths[1]
    raise UsageError(t("report.cli.args", lang))


@click.command(name="report")
@click.argument("paths", nargs=-1, required=True, metavar="[SCENARIO] PLAN_DIR", type=click.Path(path_type=Path))
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Report language (default: the school's).")
@click.option("--public", is_flag=True, help="Also write report-public.* with personal data masked.")
def command(paths: tuple[Path, ...], lang: str | None, public: bool) -> None:
    """Write report.xlsx and report.html into PLAN_DIR (SCENARIO omitted or '-': PLAN_DIR/scenario)."""
    from cluster_planner.io.loader import load_scenario
    from cluster_planner.plan.io import load_plan
    from cluster_planner.report import write_reports

    scenario_path, plan_dir = _paths(paths, lang or "zh")
    plan = load_plan(plan_dir)
    if scenario_path is None:
        scenario_path = plan_dir / "scenario"
        if not scenario_path.exists():
            raise UsageError(t("report.cli.no_scenario", lang or "zh", path=scenario_path))
    scenario = load_scenario(scenario_path)
    lang = lang or scenario.school.language
    err, out = Console(stderr=True), Console()
    if plan.meta.scenario_hash and plan.meta.scenario_hash != scenario.content_hash():
        err.print(t("report.cli.other_scenario", lang), markup=False, highlight=False)
    say_written(out, write_reports(scenario, plan, plan_dir, lang=lang, public=public), lang)
