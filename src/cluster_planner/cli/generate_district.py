"""``cluster-planner generate-district OUT --schools N --seed S``: a made-up district of schools."""

from __future__ import annotations

from pathlib import Path

import click

from cluster_planner.i18n import register, t
from cluster_planner.io.out_path import Target, check_out

register(
    {
        "generate_district.bad_sizes": (
            "--min-students 不能大于 --max-students",
            "--min-students must not exceed --max-students",
        ),
        "generate_district.school": (
            "{folder}：{name}，{level}，{students} 名申请学生",
            "{folder}: {name}, {level}, {students} applicants",
        ),
        "generate_district.written": (
            "已在 {path} 生成 {n} 所学校（小学 {primary} 所，初中 {junior} 所）",
            "{n} schools written to {path} ({primary} primary, {junior} junior)",
        ),
    }
)


@click.command(name="generate-district")
@click.argument("out", type=click.Path(path_type=Path, file_okay=False))
@click.option("--schools", "num_schools", required=True, type=click.IntRange(min=1), help="Number of schools.")
@click.option("--seed", default=0, show_default=True, help="Random seed; the same seed gives the same district.")
@click.option("--min-students", default=200, show_default=True, type=click.IntRange(min=1), help="Smallest school.")
@click.option("--max-students", default=3000, show_default=True, type=click.IntRange(min=1), help="Largest school.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Language of messages.")
def command(out: Path, num_schools: int, seed: int, min_students: int, max_students: int, lang: str) -> None:
    """Write a made-up district to OUT: one scenario folder per primary or junior-middle school."""
    from cluster_planner.district.generate import generate_district

    if min_students > max_students:
        raise click.BadParameter(t("generate_district.bad_sizes", lang), param_hint="--min-students")
    check_out(out, Target.FOLDER, lang=lang)
    specs = generate_district(out, num_schools, seed, min_students, max_students)
    for spec in specs:
        level = t(f"district.level.{spec.level}", lang)
        click.echo(
            t("generate_district.school", lang, folder=spec.folder, name=spec.name, level=level, students=spec.students)
        )
    primary = sum(1 for s in specs if s.level == "primary")
    click.echo(
        t("generate_district.written", lang, path=out, n=len(specs), primary=primary, junior=len(specs) - primary)
    )
