"""服务菜单公示 (issue 17 item 1): the menu a school publishes before term, from the scenario alone.

Each activity with its grades, days and clock times in both seasons (H3), places (groups × the
cap of one group, G4/G5), the kinds of adult who may lead it (the staff who qualify, T1–T3), its
room, its fee, and in plain words how places are allocated (S2, S6). Chosen activities, care and
class-mode activities are three sections. Every rule comes from :mod:`cluster_planner.rules`.

>>> menu = build_menu(scenario, "zh")          # doctest: +SKIP
>>> menu.frame().head()                        # doctest: +SKIP
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

import pandas as pd

from cluster_planner import rules
from cluster_planner.domain import Activity, Scenario
from cluster_planner.domain.entities import ActivityKind, ActivityMode, StaffKind
from cluster_planner.i18n import register, t
from cluster_planner.report.documents import render, write_page_and_workbook, write_workbook
from cluster_planner.report.publish_words import (
    day_runs,
    either,
    grades_words,
    joined,
    long_date,
    season_words,
    short_date,
    yuan,
)
from cluster_planner.report.words import check_lang, span
from cluster_planner.vocabulary import word

register(
    {
        "menu.title": ("{school}课后服务菜单公示", "{school}: after-school service menu"),
        "menu.title_plain": ("课后服务菜单公示", "After-school service menu"),
        "menu.sheet": ("服务菜单", "Menu"),
        "menu.section.choice": ("自选活动（按志愿分配名额）", "Activities to choose (places by ranked choice)"),
        "menu.section.care": ("托管与作业看护（申请即安排）", "Care and homework supervision (every applicant)"),
        "menu.section.class": ("以班为单位的活动（全班参加）", "Class activities (the whole class takes part)"),
        "menu.col.activity": ("项目", "Activity"),
        "menu.col.kind": ("类别", "Kind"),
        "menu.col.grades": ("适用年级", "Grades"),
        "menu.col.sessions": ("每周次数", "Per week"),
        "menu.col.time_autumn_winter": ("秋冬季时间", "Autumn/winter times"),
        "menu.col.time_summer": ("夏季时间", "Summer times"),
        "menu.col.groups": ("组数", "Groups"),
        "menu.col.cap": ("每组上限", "Per group (max)"),
        "menu.col.places": ("名额", "Places"),
        "menu.col.leaders": ("指导人员", "Led by"),
        "menu.col.room": ("场地", "Room"),
        "menu.col.fee": ("费用（元/学期）", "Fee (yuan/term)"),
        "menu.col.section": ("栏目", "Section"),
        "menu.times": ("{days} {time}", "{days} {time}"),
        "menu.sessions": ("每周 {n} 次", "{n} a week"),
        "menu.sessions_note": (
            "每周次数少于所列时间的项目，具体在哪一天由排课确定，随课表公布。",
            "Where an activity meets less often than the times listed, the timetable fixes which of them.",
        ),
        "menu.care_sessions": ("每个服务日", "every service day"),
        "menu.care_places": ("所有申请学生", "every applicant"),
        "menu.care_groups": ("按班编组", "by home class"),
        "menu.class_places": ("全班参加", "the whole class"),
        "menu.class_groups": ("{n} 个班", "{n} classes"),
        "menu.no_leader": ("暂无合格人员，暂不开设", "nobody qualified yet: not offered"),
        "menu.any_room": ("不限", "any room"),
        "menu.outdoor": ("{rooms}（室外；雨天改在室内）", "{rooms} (outdoors; indoors when it rains)"),
        "menu.no_fee": ("不另收费", "no extra fee"),
        "menu.lead.teacher": ("本校教师", "school teachers"),
        "menu.lead.leader": ("学校领导", "school leaders"),
        "menu.lead.external": ("外聘专业人员", "outside specialists"),
        "menu.lead.volunteer": ("志愿者", "volunteers"),
        "menu.lead.security": ("安保人员", "security staff"),
        "menu.fact.term": ("服务期间", "Term"),
        "menu.fact.hours": ("作息", "Hours"),
        "menu.fact.fee": ("课后服务费", "Service fee"),
        "menu.fact.apply": ("报名方式", "How to apply"),
        "menu.hours": ("执行{season}", "{season}"),
        "menu.hours_switch": ("执行{season}，{date}起执行{other}", "{season}; {other} from {date}"),
        "menu.fee_term": ("{amount}/学期", "{amount} a term"),
        "menu.fee_day": ("{amount}/天", "{amount} a day"),
        "menu.fee_none": ("不收费", "none"),
        "menu.fee_exempt": ("家庭经济困难学生减免", "families in difficulty are exempt"),
        "menu.fee_exempt_listed": ("经学校核准的学生减免", "students the school approves are exempt"),
        "menu.apply": (
            "家长自愿申请、班级审核、学校核准、统筹安排",
            "families apply of their own free will; the class reviews, the school approves and plans",
        ),
        "menu.allocation_title": ("名额如何分配", "How places are allocated"),
        "menu.allocation": (
            "名额不足时，先安排优先学生（{groups}），再按家长填报的志愿顺序安排；同等条件下由公开的随机种子（{seed}）"
            "抽签决定，与报名先后无关。每名学生每周最多参加 {n} 项自选活动；未选上自选活动的时段参加托管，"
            "有需求的学生都有安排。",
            "When places are short, priority students come first ({groups}); then places follow the choices "
            "families ranked; ties are decided by a lottery with the published seed ({seed}), never by who "
            "applied first. A student takes at most {n} chosen activities a week; at other times they are in "
            "care, so every student who needs the service has a place.",
        ),
        "menu.priority_groups": (
            "残疾儿童、留守儿童、随迁子女、家庭经济困难学生、单亲家庭学生",
            "disabled children, left-behind children, children of migrant workers, families in economic "
            "difficulty, single-parent families",
        ),
        "menu.priority_grades": ("{groups}，以及{grades}学生", "{groups}, and {grades}"),
        "menu.empty": ("（无）", "(none)"),
        "menu.footer": ("以上安排以学校最终公布的课表为准。", "The timetable the school publishes is final."),
    }
)

#: T1: the school's own adults first, outside people after them.
KIND_ORDER = (StaffKind.TEACHER, StaffKind.LEADER, StaffKind.EXTERNAL, StaffKind.VOLUNTEER, StaffKind.SECURITY)
SEASONS = ("autumn_winter", "summer")
COLUMNS = (
    "activity",
    "kind",
    "grades",
    "sessions",
    "time_autumn_winter",
    "time_summer",
    "groups",
    "cap",
    "places",
    "leaders",
    "room",
    "fee",
)
SECTIONS = ("choice", "care", "class")
PAGES = (("choice",), ("care", "class"))
"""Printed pages of menu.html: the chosen activities, then care and class activities (each may run over)."""


def section_of(activity: Activity) -> str:
    """``choice`` (allocated by ranked choice), ``care`` (the default place) or ``class`` (以班为单位)."""
    if activity.mode == ActivityMode.CLASS:
        return "class"
    return "care" if activity.kind == ActivityKind.CARE else "choice"


def times_by_season(scenario: Scenario, activity: Activity, lang: str) -> dict[str, str]:
    """The slots an activity may meet at (H4), as ``days clocks`` lines per season (H3): the clocks of the
    same days share a line, lines in clock order."""
    out: dict[str, str] = {}
    slots = [scenario.slot_by_id[s] for s in scenario.activity_slots(activity)]
    for k, season in enumerate(SEASONS):
        by_clock: dict[tuple[time, time], list[str]] = {}
        for slot in slots:
            clocks = rules.clocks(slot)
            start, end = clocks[min(k, len(clocks) - 1)]
            key = (time(start // 60, start % 60), time(end // 60, end % 60))
            by_clock.setdefault(key, []).append(slot.day.value)
        by_days: dict[tuple[str, ...], list[str]] = {}
        for clock, days in sorted(by_clock.items()):
            by_days.setdefault(tuple(days), []).append(span(*clock))
        lines = [
            t("menu.times", lang, days=day_runs(days, lang), time=joined(spans, lang))
            for days, spans in by_days.items()
        ]
        out[season] = "\n".join(lines)
    return out


def leader_kinds(scenario: Scenario, activity: Activity) -> list[StaffKind]:
    """The kinds of adult among the staff who may lead the activity (T2, T3), the school's own first (T1)."""
    found = {StaffKind(p.kind) for p in scenario.staff if rules.may_lead(p, activity)}
    return [k for k in KIND_ORDER if k in found]


def room_words(activity: Activity, lang: str) -> str:
    """The room types it may use, and outdoors with a rainy-day room (R1, R2)."""
    rooms = either((word("room_type", r, lang) for r in sorted(activity.room_type)), lang) or t("menu.any_room", lang)
    return t("menu.outdoor", lang, rooms=rooms) if activity.outdoor else rooms


def _row(scenario: Scenario, activity: Activity, lang: str) -> dict[str, Any]:
    section = section_of(activity)
    cap = rules.group_cap(scenario, activity)
    times = times_by_season(scenario, activity, lang)
    kinds = leader_kinds(scenario, activity)
    row: dict[str, Any] = {
        "activity": activity.name or activity.activity_id,
        "kind": word("activity_kind", activity.kind.value, lang),
        "grades": grades_words(activity.grades, lang),
        "time_autumn_winter": times["autumn_winter"],
        "time_summer": times["summer"],
        "cap": cap,
        "leaders": joined((t(f"menu.lead.{k.value}", lang) for k in kinds), lang) or t("menu.no_leader", lang),
        "room": room_words(activity, lang),
        "fee": activity.fee if activity.fee else t("menu.no_fee", lang),
    }
    n = activity.sessions_per_week
    if section == "choice":
        row["sessions"] = t("menu.sessions", lang, n=n)
        row["groups"] = activity.max_groups
        row["places"] = activity.max_groups * cap  # G5: at most max_groups groups of at most the cap (G4)
    elif section == "care":
        row["sessions"] = t("menu.care_sessions", lang)
        row["groups"] = t("menu.care_groups", lang)
        row["places"] = t("menu.care_places", lang)
    else:
        classes = [c for c in scenario.classes if activity.eligible(c.grade)]
        row["sessions"] = t("menu.sessions", lang, n=n)
        row["groups"] = t("menu.class_groups", lang, n=len(classes))
        row["places"] = t("menu.class_places", lang)
    return row


def allocation_words(scenario: Scenario, lang: str) -> str:
    """How places are allocated, in plain words: priority first (S2), then ranked choices, then the lottery (S6)."""
    groups = t("menu.priority_groups", lang)
    priority_grades = scenario.school.rules.priority_grades
    if priority_grades:
        groups = t("menu.priority_grades", lang, groups=groups, grades=grades_words(priority_grades, lang))
    return t(
        "menu.allocation",
        lang,
        groups=groups,
        seed=scenario.school.rules.seed,
        n=rules.activities_per_student(scenario),
    )


def sentences(text: str) -> list[str]:
    """``text`` cut after each full stop (one printed line each)."""
    return [p for p in re.split(r"(?<=[。.])\s*", text) if p]


def _facts(scenario: Scenario, lang: str) -> list[tuple[str, str]]:
    school = scenario.school
    assert school.term_start and school.term_end
    term = t("publish.term", lang, start=long_date(school.term_start, lang), end=long_date(school.term_end, lang))
    season = school.season_on(school.term_start)
    switch = school.season_switch
    if switch and school.term_start < switch <= school.term_end:
        other = school.season_on(switch)
        hours = t(
            "menu.hours_switch",
            lang,
            season=season_words(season, lang),
            other=season_words(other, lang),
            date=short_date(switch, lang),
        )
    else:
        hours = t("menu.hours", lang, season=season_words(season, lang))
    money = school.money
    if money.fee_per_term is not None:
        fee = t("menu.fee_term", lang, amount=yuan(money.fee_per_term, lang))
    elif money.fee_per_day is not None:
        fee = t("menu.fee_day", lang, amount=yuan(money.fee_per_day, lang))
    else:
        fee = t("menu.fee_none", lang)
    if money.fee_per_term or money.fee_per_day:
        exempt = "menu.fee_exempt" if rules.exempt_low_income(scenario) else "menu.fee_exempt_listed"
        fee += ("；" if lang == "zh" else "; ") + t(exempt, lang)
    return [
        (t("menu.fact.term", lang), term),
        (t("menu.fact.hours", lang), hours),
        (t("menu.fact.fee", lang), fee),
        (t("menu.fact.apply", lang), t("menu.apply", lang)),
    ]


@dataclass(frozen=True)
class Menu:
    """The menu of one school in one language: facts, the allocation words and a table per section."""

    lang: str
    school: str
    facts: list[tuple[str, str]]
    allocation: str
    sections: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return t("menu.title", self.lang, school=self.school) if self.school else t("menu.title_plain", self.lang)

    @property
    def places(self) -> int:
        """Places of the chosen activities together (each: groups × cap)."""
        df = self.sections.get("choice")
        if df is None or df.empty:
            return 0
        return int(df[t("menu.col.places", self.lang)].sum())

    def frame(self) -> pd.DataFrame:
        """All sections in one table, a first column naming the section (``cp.menu``)."""
        parts = []
        for key, df in self.sections.items():
            part = df.copy()
            part.insert(0, t("menu.col.section", self.lang), t(f"menu.section.{key}", self.lang))
            parts.append(part)
        return pd.concat(parts, ignore_index=True)


def build_menu(scenario: Scenario, lang: str | None = None) -> Menu:
    """The menu of ``scenario`` in ``lang`` (default: the school's); activities in file order per section."""
    lang = check_lang(lang or scenario.school.language)
    columns = [t(f"menu.col.{c}", lang) for c in COLUMNS]
    sections: dict[str, pd.DataFrame] = {}
    for key in SECTIONS:
        rows = [_row(scenario, a, lang) for a in scenario.activities if section_of(a) == key]
        df = pd.DataFrame([[r[c] for c in COLUMNS] for r in rows], columns=columns, dtype=object)
        df.attrs["title"] = t(f"menu.section.{key}", lang)
        sections[key] = df
    return Menu(lang, scenario.school.name, _facts(scenario, lang), allocation_words(scenario, lang), sections)


def menu_html(menu: Menu) -> str:
    """menu.html on A4 landscape: the facts, the allocation words and the chosen activities, then (from a new
    page) care and class activities."""
    times = {COLUMNS.index("time_autumn_winter"), COLUMNS.index("time_summer")}
    short = {COLUMNS.index(c) for c in ("kind", "grades", "sessions", "groups", "places")}
    return render("menu.html", menu.lang, menu=menu, pages=PAGES, time_columns=times, short_columns=short)


def write_menu_xlsx(menu: Menu, path: Path) -> Path:
    """menu.xlsx: one sheet, the facts, the allocation words and the three sections (A4 landscape)."""

    def fill(w: Any) -> None:
        sheet = w.sheet(t("menu.sheet", menu.lang))
        sheet.title(menu.title)
        sheet.facts(menu.facts)
        sheet.title(t("menu.allocation_title", menu.lang), sub=True)
        sheet.lines(sentences(menu.allocation))
        for df in menu.sections.values():
            sheet.gap()
            sheet.title(df.attrs["title"], sub=True)
            sheet.table(df)
        sheet.finish(landscape=True, repeat_header=False, freeze=(1, 0))

    return write_workbook(path, menu.lang, fill)


def write_menu(menu: Menu, out: str | Path, inputs: tuple[str | Path, ...] = ()) -> list[Path]:
    """Write menu.html and menu.xlsx into the new folder ``out`` atomically (never over the user's files)."""
    page = menu_html(menu)
    return write_page_and_workbook(out, "menu", page, lambda p: write_menu_xlsx(menu, p), inputs, menu.lang)
