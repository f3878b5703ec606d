"""The district report (``district.xlsx``, ``district.html``, ``district.csv``): one row per school.

Tables are pandas DataFrames headed in the report's language, laid out by the school
report's own writers (:class:`cluster_planner.report.xlsx.SheetWriter`,
:func:`cluster_planner.report.html.table`). Only aggregates appear: no name, phone or id of
a person, so the report may go beyond the schools (masking rule D1).

Staff shortage by skill (where shared coaches would help most) is measured per school and
skill as *students turned away* (approved students who ranked an activity needing the skill
above what they got, or got no choice at all) plus *student × slot rows left without an
adult* (unplaced with ``reason_code == "reason.no_adult"``); see
:class:`cluster_planner.district.school_task.SkillShortage`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter

from cluster_planner.district.school_task import Outcome, SchoolResult
from cluster_planner.i18n import register, t
from cluster_planner.io.csv_cells import escape
from cluster_planner.report import write_atomic
from cluster_planner.report.html import CSS, esc, table
from cluster_planner.report.words import check_lang
from cluster_planner.report.xlsx import WORKBOOK_OPTIONS, WorkbookWriter

NAMES = ("district.xlsx", "district.html", "district.csv")
TOP_SHORTAGES = 15

register(
    {
        "district.title": ("区域课后服务排课汇总（{n} 所学校）", "District after-school plan ({n} schools)"),
        "district.sheet.totals": ("全区合计", "District totals"),
        "district.sheet.schools": ("各校情况", "Schools"),
        "district.sheet.shortage": ("师资缺口（按学校与技能）", "Staff short by school & skill"),
        "district.sheet.skills": ("师资缺口（全区按技能）", "Staff short by skill (district)"),
        "district.note.shortage": (
            "缺口 = 因名额不足未获得更靠前志愿（或未获任何志愿）的学生数 + 因无合格教师空闲而未安排的学生时段数。"
            "这是增加该技能教师（如共享外聘教练）最多可多服务的学生，场地与时段也可能受限。",
            "Shortfall = students who did not get a higher choice needing this skill (or got no choice) + student "
            "slots left unplaced because no qualified adult was free. It bounds how many more students extra "
            "adults with the skill (e.g. shared coaches) could serve; rooms and slots may bind too.",
        ),
        "district.col.school": ("学校目录", "School folder"),
        "district.col.name": ("学校名称", "School"),
        "district.col.level": ("学段", "Level"),
        "district.col.outcome": ("结果", "Outcome"),
        "district.col.problem": ("问题说明", "What went wrong"),
        "district.col.applicants": ("申请学生", "Applicants"),
        "district.col.approved": ("已核准", "Approved"),
        "district.col.planned": ("已全部安排", "Fully placed"),
        "district.col.unplaced": ("有未安排时段", "Not fully placed"),
        "district.col.unplaced_priority": ("其中优先保障学生", "of them priority"),
        "district.col.with_choices": ("填报志愿", "With choices"),
        "district.col.first_choice": ("获第一志愿", "Got 1st choice"),
        "district.col.any_choice": ("获任一志愿", "Got a choice"),
        "district.col.groups": ("活动组数", "Groups"),
        "district.col.adults": ("所需教职工", "Adults needed"),
        "district.col.external": ("其中外聘/志愿者", "of them external"),
        "district.col.periods_week": ("每周课时", "Periods a week"),
        "district.col.periods_term": ("学期课时", "Periods a term"),
        "district.col.cost": ("学期报酬（元）", "Term pay (yuan)"),
        "district.col.fee_income": ("服务费收入（元）", "Fee income (yuan)"),
        "district.col.subsidy": ("财政补助（元）", "Subsidy (yuan)"),
        "district.col.balance": ("收支差额（元）", "Income less pay (yuan)"),
        "district.col.seconds": ("用时（秒）", "Seconds"),
        "district.col.rank": ("序号", "No."),
        "district.col.skill": ("技能", "Skill"),
        "district.col.turned_away": ("未获志愿学生", "Students turned away"),
        "district.col.no_adult": ("无教师的学生时段", "Slots with no adult"),
        "district.col.qualified": ("现有合格教职工", "Qualified adults now"),
        "district.col.shortfall": ("缺口", "Shortfall"),
        "district.col.schools_short": ("涉及学校数", "Schools short"),
        "district.col.item": ("项目", "Item"),
        "district.col.value": ("数值", "Value"),
        "district.total.schools": ("学校数", "Schools"),
        "district.total.ok": ("已有方案的学校", "Schools with a plan"),
        "district.total.failed": ("未能排课的学校", "Schools without a plan"),
        "district.total.choice_share": ("填报志愿学生获任一志愿比例", "Students with choices who got one"),
        "district.outcome.planned": ("已排课", "planned"),
        "district.outcome.kept": ("沿用已有方案", "kept (already planned)"),
        "district.outcome.bad_input": ("数据有误", "bad input"),
        "district.outcome.infeasible": ("无可行方案", "no feasible plan"),
        "district.outcome.no_plan_in_time": ("超时未得方案", "no plan in time"),
        "district.outcome.check_failed": ("方案未通过检查", "plan failed the check"),
        "district.outcome.error": ("内部错误", "internal error"),
    }
)

SCHOOL_KEYS = [
    "school",
    "name",
    "level",
    "outcome",
    "applicants",
    "approved",
    "planned",
    "unplaced",
    "unplaced_priority",
    "with_choices",
    "first_choice",
    "any_choice",
    "groups",
    "adults",
    "external",
    "periods_week",
    "periods_term",
    "cost",
    "fee_income",
    "subsidy",
    "balance",
    "seconds",
    "problem",
]
SUMMED = SCHOOL_KEYS[4:21]  # applicants … balance
MONEY = {"cost": "money", "fee_income": "money", "subsidy": "money", "balance": "money"}


def _frame(rows: list[dict[str, Any]], keys: list[str], lang: str, **attrs: Any) -> pd.DataFrame:
    columns = [t(f"district.col.{k}", lang) for k in keys]
    df = pd.DataFrame([[r.get(k) for k in keys] for r in rows], columns=columns, dtype=object)
    if "formats" in attrs:
        attrs["formats"] = {t(f"district.col.{k}", lang): v for k, v in attrs["formats"].items()}
    df.attrs.update(attrs)
    return df


def _school_row(r: SchoolResult, lang: str) -> dict[str, Any]:
    row: dict[str, Any] = {
        "school": r.school_id,
        "name": r.name,
        "level": t(f"district.level.{r.level}", lang) if r.level else "",
        "outcome": t(f"district.outcome.{r.outcome.value}", lang),
        "problem": "；".join(p[0] if lang == "zh" else p[1] for p in r.problems),
        "seconds": r.seconds,
    }
    if r.scenario_hash:  # figures exist only for schools whose scenario could be read and planned
        row.update(
            applicants=r.applicants,
            approved=r.approved,
            planned=r.planned,
            unplaced=r.unplaced,
            unplaced_priority=r.unplaced_priority,
            with_choices=r.with_choices,
            first_choice=r.first_choice,
            any_choice=r.any_choice,
            groups=r.groups,
            adults=r.adults,
            external=r.external_adults,
            periods_week=r.periods_week,
            periods_term=r.periods_term,
            cost=r.cost,
            fee_income=r.fee_income,
            subsidy=r.subsidy,
            balance=r.balance,
        )
    return row


def schools_table(results: Sequence[SchoolResult], lang: str) -> pd.DataFrame:
    """各校情况: one row per school, a district total row last."""
    rows = [_school_row(r, lang) for r in results]
    total: dict[str, Any] = {"school": t("report.total", lang)}
    for key in SUMMED:
        values = [row[key] for row in rows if isinstance(row.get(key), (int, float))]
        total[key] = round(sum(values), 2) if values else None
    total["seconds"] = round(sum(r.seconds for r in results), 2)
    return _frame(
        [*rows, total],
        SCHOOL_KEYS,
        lang,
        title=t("district.sheet.schools", lang),
        formats=MONEY,
        total_row=True,
    )


def totals_table(results: Sequence[SchoolResult], lang: str) -> pd.DataFrame:
    """全区合计: schools planned and failed, students, choices, adults, money."""
    planned = [r for r in results if r.scenario_hash]
    with_choices = sum(r.with_choices for r in planned)
    any_choice = sum(r.any_choice for r in planned)
    income = [r.fee_income for r in planned if r.fee_income is not None]
    subsidy = [r.subsidy for r in planned if r.subsidy is not None]
    cost = round(sum(r.cost for r in planned), 2)
    items: list[tuple[str, Any]] = [
        (t("district.total.schools", lang), len(results)),
        (t("district.total.ok", lang), sum(1 for r in results if r.outcome.ok)),
        (t("district.total.failed", lang), sum(1 for r in results if not r.outcome.ok)),
        (t("district.col.applicants", lang), sum(r.applicants for r in planned)),
        (t("district.col.approved", lang), sum(r.approved for r in planned)),
        (t("district.col.planned", lang), sum(r.planned for r in planned)),
        (t("district.col.unplaced", lang), sum(r.unplaced for r in planned)),
        (t("district.col.unplaced_priority", lang), sum(r.unplaced_priority for r in planned)),
        (t("district.col.with_choices", lang), with_choices),
        (t("district.col.first_choice", lang), sum(r.first_choice for r in planned)),
        (t("district.total.choice_share", lang), f"{any_choice / with_choices:.1%}" if with_choices else "—"),
        (t("district.col.groups", lang), sum(r.groups for r in planned)),
        (t("district.col.adults", lang), sum(r.adults for r in planned)),
        (t("district.col.external", lang), sum(r.external_adults for r in planned)),
        (t("district.col.periods_week", lang), round(sum(r.periods_week for r in planned), 2)),
        (t("district.col.periods_term", lang), round(sum(r.periods_term for r in planned), 2)),
        (t("district.col.cost", lang), cost),
        (t("district.col.fee_income", lang), round(sum(income), 2) if income else None),
        (t("district.col.subsidy", lang), round(sum(subsidy), 2) if subsidy else None),
    ]
    if income or subsidy:
        items.append((t("district.col.balance", lang), round(sum(income) + sum(subsidy) - cost, 2)))
    rows = [{"item": k, "value": v} for k, v in items]
    return _frame(rows, ["item", "value"], lang, title=t("district.sheet.totals", lang))


def shortage_table(results: Sequence[SchoolResult], lang: str, top: int = TOP_SHORTAGES) -> pd.DataFrame:
    """师资缺口: the (school, skill) pairs with the largest shortfall, largest first."""
    pairs = [(r, s) for r in results for s in r.shortages if s.score > 0]
    pairs.sort(key=lambda p: (-p[1].score, p[0].school_id, p[1].skill))
    rows = [
        {
            "rank": k,
            "school": r.school_id,
            "name": r.name,
            "skill": s.skill,
            "turned_away": s.turned_away,
            "no_adult": s.no_adult,
            "qualified": s.qualified,
            "shortfall": s.score,
        }
        for k, (r, s) in enumerate(pairs[:top], start=1)
    ]
    keys = ["rank", "school", "name", "skill", "turned_away", "no_adult", "qualified", "shortfall"]
    return _frame(rows, keys, lang, title=t("district.sheet.shortage", lang), note=t("district.note.shortage", lang))


def skills_table(results: Sequence[SchoolResult], lang: str) -> pd.DataFrame:
    """师资缺口（全区）: per skill, the shortfall summed over schools and how many schools are short."""
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for r in results:
        for s in r.shortages:
            if s.score > 0:
                acc = sums[s.skill]
                acc[0] += s.turned_away
                acc[1] += s.no_adult
                acc[2] += s.qualified
                acc[3] += 1
    order = sorted(sums, key=lambda k: (-(sums[k][0] + sums[k][1]), k))
    rows = [
        {
            "skill": k,
            "turned_away": sums[k][0],
            "no_adult": sums[k][1],
            "qualified": sums[k][2],
            "schools_short": sums[k][3],
            "shortfall": sums[k][0] + sums[k][1],
        }
        for k in order
    ]
    keys = ["skill", "turned_away", "no_adult", "qualified", "schools_short", "shortfall"]
    return _frame(rows, keys, lang, title=t("district.sheet.skills", lang))


def _workbook(path: Path, tables: list[pd.DataFrame], lang: str) -> None:
    """One sheet per table, written by the school report's own workbook writer."""
    with xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS) as wb:
        writer = WorkbookWriter(wb, lang)
        for df in tables:
            title = df.attrs.get("title", "")
            w = writer.sheet(title)
            w.title(title)
            if df.attrs.get("note"):
                w.lines([df.attrs["note"]])
            w.table(df)
            w.finish(landscape=len(df.columns) > 6, repeat_header=True)


def _page(title: str, tables: list[pd.DataFrame], lang: str) -> str:
    from cluster_planner import __version__

    body = "".join(
        f"<section><h2>{esc(df.attrs.get('title', ''))}</h2>"
        + (f'<p class="note">{esc(df.attrs["note"])}</p>' if df.attrs.get("note") else "")
        + table(df, lang)
        + "</section>"
        for df in tables
    )
    footer = f"<footer>{esc(t('report.html.generated_by', lang, version=__version__))}</footer>"
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{esc(title)}</h1>{body}{footer}</body></html>\n"
    )


def district_tables(results: Sequence[SchoolResult], lang: str) -> list[pd.DataFrame]:
    """The report's tables in order: totals, schools, shortage by school and skill, by skill."""
    return [
        totals_table(results, lang),
        schools_table(results, lang),
        shortage_table(results, lang),
        skills_table(results, lang),
    ]


def write_district_report(results: Sequence[SchoolResult], folder: Path, lang: str = "zh") -> list[Path]:
    """Write ``district.xlsx``, ``district.html`` and ``district.csv`` into ``folder`` (each atomically)."""
    lang = check_lang(lang)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables = district_tables(results, lang)
    title = t("district.title", lang, n=len(results))
    page = _page(title, tables, lang)
    return [
        write_atomic(folder / NAMES[0], lambda tmp: _workbook(tmp, tables, lang)),
        write_atomic(folder / NAMES[1], lambda tmp: tmp.write_text(page, encoding="utf-8")),
        write_atomic(folder / NAMES[2], lambda tmp: _csv(tables[1], tmp)),
    ]


def _csv(table: pd.DataFrame, path: Path) -> None:
    """The schools table as CSV for people: UTF-8 with BOM, no text cell a live formula."""
    table.map(lambda v: escape(v) if isinstance(v, str) else v).to_csv(path, index=False, encoding="utf-8-sig")


def count_outcomes(results: Sequence[SchoolResult]) -> dict[Outcome, int]:
    """How many schools ended each way."""
    counts: dict[Outcome, int] = defaultdict(int)
    for r in results:
        counts[r.outcome] += 1
    return dict(counts)
