"""``cluster-planner generate OUT --students N``: write a realistic made-up school scenario."""

from __future__ import annotations

from pathlib import Path

import click

from cluster_planner.domain import Scenario
from cluster_planner.domain.values import parse_grades
from cluster_planner.generate import JUNIOR, generate_school
from cluster_planner.i18n import register, t
from cluster_planner.io.out_path import Target, check_out
from cluster_planner.io.scenario_writer import write_scenario_folder, write_scenario_xlsx

register(
    {
        "generate.bad_grades": (
            "年级应为 1–9 之间，例如 1-6 或 1-9，收到「{value}」",
            "grades must lie within 1-9, e.g. 1-6 or 1-9; got '{value}'",
        ),
        "generate.no_junior": (
            "--evening-study 只用于初中年级（7–9），请在 --grades 中包含它们",
            "--evening-study is for grades 7-9; include them in --grades",
        ),
        "generate.summary": (
            "已生成「{school}」：申请学生 {students} 名（已核准 {approved} 名），{classes} 个班，"
            "{activities} 项活动，{staff} 名教职工，{rooms} 个场地。",
            "generated '{school}': {students} applicants ({approved} approved), {classes} classes, "
            "{activities} activities, {staff} staff, {rooms} rooms.",
        ),
        "generate.written": ("已写入 {path}", "written to {path}"),
    }
)


def workbook_beside(out: Path) -> Path:
    """``scenarios/demo`` → ``scenarios/demo.xlsx`` (the name kept whole, dots and all)."""
    return out.parent / f"{out.name}.xlsx"


def summary(scenario: Scenario, lang: str) -> str:
    """One sentence: how big the generated school is."""
    return t(
        "generate.summary",
        lang,
        school=scenario.school.name,
        students=len(scenario.students),
        approved=len(scenario.approved_students),
        classes=len(scenario.classes),
        activities=len(scenario.activities),
        staff=len(scenario.staff),
        rooms=len(scenario.rooms),
    )


@click.command(name="generate")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--students", "num_students", required=True, type=click.IntRange(min=1), help="Applicants.")
@click.option("--grades", default="1-6", show_default=True, help="Grades the school teaches, e.g. 1-6 or 1-9.")
@click.option("--seed", default=0, show_default=True, help="Random seed; the same seed gives the same school.")
@click.option("--xlsx", is_flag=True, help="Also write OUT.xlsx beside the folder.")
@click.option("--evening-study", is_flag=True, help="Add 19:00-20:30 evening study for grades 7-9.")
@click.option("--name", default=None, help="School name (default: a made-up Chinese name).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language of messages.")
def command(
    out: Path,
    num_students: int,
    grades: str,
    seed: int,
    xlsx: bool,
    evening_study: bool,
    name: str | None,
    lang: str | None,
) -> None:
    """Write a made-up school to OUT: a scenario folder, or a workbook when OUT ends in .xlsx."""
    words = lang or "zh"
    try:
        grade_set = parse_grades(grades)
    except ValueError:
        grade_set = frozenset()
    if not grade_set:
        raise click.BadParameter(t("generate.bad_grades", words, value=grades), param_hint="--grades")
    if evening_study and not grade_set & JUNIOR:
        raise click.BadParameter(t("generate.no_junior", words), param_hint="--evening-study")
    targets = [out] if out.suffix.lower() == ".xlsx" else [out, *([workbook_beside(out)] if xlsx else [])]
    for target in targets:  # refuse before generating, and before writing the first of two
        check_out(target, Target.FILE if target.suffix.lower() == ".xlsx" else Target.FOLDER, lang=words)
    scenario = generate_school(num_students, sorted(grade_set), seed=seed, name=name, evening_study=evening_study)
    words = lang or scenario.school.language
    if out.suffix.lower() == ".xlsx":
        written = [write_scenario_xlsx(scenario, out)]
    else:
        written = [write_scenario_folder(scenario, out)]
        if xlsx:
            written.append(write_scenario_xlsx(scenario, workbook_beside(out)))
    click.echo(summary(scenario, words))
    for path in written:
        click.echo(t("generate.written", words, path=path))
