"""``cluster-planner validate PATH``: read a scenario, print a summary and every finding.

Exit 0 when the scenario can be planned (warnings allowed), 2 on any error. Nothing is
written. ``--json`` prints the same as one machine-readable object.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from cluster_planner import rules
from cluster_planner.domain.scenario import Scenario
from cluster_planner.i18n import register, t
from cluster_planner.io.loader import LoadResult, read_scenario
from cluster_planner.vocabulary import breakdown, word, words

register(
    {
        "validate.students": ("学生（按年级与状态）", "students by grade and status"),
        "validate.grade": ("年级", "grade"),
        "validate.total": ("合计", "total"),
        "validate.activities": ("活动（按类型）", "activities by kind"),
        "validate.staff": ("教职工（按类别）", "staff by kind"),
        "validate.rooms": ("场地", "rooms"),
        "validate.slots": ("时段（按类型）", "slots by kind"),
        "validate.cleared": ("通过审查", "cleared"),
        "validate.indoor": ("室内", "indoor"),
        "validate.outdoor": ("室外", "outdoor"),
        "validate.capacity": ("总容量", "total capacity"),
        "validate.classes": ("班级数", "classes"),
        "validate.days": ("服务日", "service days"),
        "validate.semicolon": ("；", "; "),
        "validate.ok": (
            "可以排课：{errors} 个错误，{warnings} 个警告。",
            "ready to plan: {errors} errors, {warnings} warnings.",
        ),
        "validate.failed": (
            "不能排课：{errors} 个错误，{warnings} 个警告。请改正上述错误，未写入任何文件。",
            "cannot be planned: {errors} errors, {warnings} warnings. Fix the errors above; nothing was written.",
        ),
    }
)


def scenario_summary(scenario: Scenario) -> dict[str, Any]:
    """Counts an office checks at a glance: students by grade and status, menu, staff, rooms, slots."""
    grade_of = {c.class_id: c.grade for c in scenario.classes}
    students: dict[str, Counter[str]] = {}
    for s in scenario.students:
        grade = str(grade_of.get(s.class_id, "?"))
        students.setdefault(grade, Counter())[s.status.value] += 1
    return {
        "school": scenario.school.name,
        "classes": len(scenario.classes),
        "students": {g: dict(c) for g, c in sorted(students.items())},
        "students_total": len(scenario.students),
        "approved": len(scenario.approved_students),
        "activities": dict(Counter(a.kind.value for a in scenario.activities)),
        "staff": dict(Counter(p.kind.value for p in scenario.staff)),
        "staff_cleared": sum(1 for p in scenario.staff if rules.is_cleared(p)),
        "rooms": {
            "indoor": sum(1 for r in scenario.rooms if not r.outdoor),
            "outdoor": sum(1 for r in scenario.rooms if r.outdoor),
            "capacity": sum(r.capacity for r in scenario.rooms),
        },
        "slots": dict(Counter(s.kind.value for s in scenario.timeslots)),
        "days": [d.value for d in scenario.service_days],
    }


def _students_table(summary: dict[str, Any], lang: str) -> Table:
    statuses = ["approved", "pending", "rejected", "withdrawn"]
    table = Table(title=t("validate.students", lang), title_justify="left")
    table.add_column(t("validate.grade", lang))
    for status in statuses:
        table.add_column(word("student_status", status, lang), justify="right")
    table.add_column(t("validate.total", lang), justify="right")
    for grade, counts in summary["students"].items():
        table.add_row(grade, *(str(counts.get(s, 0)) for s in statuses), str(sum(counts.values())))
    return table


def _overview_table(summary: dict[str, Any], lang: str) -> Table:
    rooms = summary["rooms"]
    table = Table(title=summary["school"] or None, title_justify="left", show_header=False)
    table.add_row(t("validate.classes", lang), str(summary["classes"]))
    table.add_row(t("validate.activities", lang), breakdown("activity_kind", summary["activities"], lang))
    staff = breakdown("staff_kind", summary["staff"], lang)
    semi, comma = t("validate.semicolon", lang), t("word.list_sep", lang)
    table.add_row(t("validate.staff", lang), f"{staff}{semi}{t('validate.cleared', lang)} {summary['staff_cleared']}")
    table.add_row(
        t("validate.rooms", lang),
        f"{t('validate.indoor', lang)} {rooms['indoor']}{comma}{t('validate.outdoor', lang)} {rooms['outdoor']}{semi}"
        f"{t('validate.capacity', lang)} {rooms['capacity']}",
    )
    table.add_row(t("validate.slots", lang), breakdown("slot_kind", summary["slots"], lang))
    table.add_row(t("validate.days", lang), words("day", summary["days"], lang))
    return table


def print_report(result: LoadResult, lang: str, console: Console) -> None:
    """The summary tables, then every finding (errors in red, warnings in yellow), then the verdict."""
    summary = scenario_summary(result.scenario)
    console.print(_overview_table(summary, lang))
    console.print(_students_table(summary, lang))
    for finding in result.findings:
        style = {"error": "red", "warning": "yellow"}.get(finding.severity.value, "dim")
        console.print(finding.render(lang), style=style, markup=False, highlight=False, soft_wrap=True)
    verdict = "validate.ok" if result.ok else "validate.failed"
    counts = {"errors": len(result.errors), "warnings": len(result.warnings)}
    console.print(t(verdict, lang, **counts), style="green" if result.ok else "bold red", soft_wrap=True)


def report_json(result: LoadResult, lang: str) -> dict[str, Any]:
    """The ``--json`` object: ok, counts, summary and findings."""
    return {
        "ok": result.ok,
        "source": str(result.source) if result.source else None,
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "summary": scenario_summary(result.scenario),
        "findings": [f.to_dict(lang) for f in result.findings],
    }


@click.command(name="validate")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary and findings.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language (default: school.language).")
def command(path: Path, as_json: bool, lang: str | None) -> None:
    """Check a scenario folder or .xlsx workbook; exit 2 if it cannot be planned."""
    result = read_scenario(path)
    if result.ok:  # counting pre-checks (explain): warnings only, and only on plannable data
        from cluster_planner.explain.precheck import precheck, with_prechecks

        result.findings[:] = with_prechecks(result.findings, precheck(result.scenario))
    if lang is None:
        lang = "zh" if "school" in result.incomplete else result.scenario.school.language
    if as_json:
        click.echo(json.dumps(report_json(result, lang), ensure_ascii=False, indent=2))
    else:
        print_report(result, lang, Console())
    if not result.ok:
        raise click.exceptions.Exit(2)
