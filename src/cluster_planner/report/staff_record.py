"""教职工课后服务记录 (issue 17 item 6): each adult's periods and pay week by week across the plan versions of a
term, with the sessions they took over from a colleague and their leave, for the performance-pay (绩效) and
professional-title (职称) files the service counts towards (000 方案2: 教师参加课后服务的表现应作为职称评聘、
表彰奖励和绩效工资分配的重要参考).

The days come from :mod:`cluster_planner.report.service_days` (the version in force on each service date);
a week is a calendar week (Monday to Sunday) holding service dates, numbered from the term's first week.
The page and the workbook are written by :mod:`cluster_planner.report.staff_record_page`.

>>> record = build_staff_record(cp.load_plan("out/term1-v3"), "out/term1-v3")   # doctest: +SKIP
>>> record.frame()                                                             # doctest: +SKIP
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from cluster_planner import rules
from cluster_planner.i18n import register, t
from cluster_planner.plan.figures import rate_of
from cluster_planner.plan.model import Plan
from cluster_planner.report.publish_words import joined, long_date, short_date
from cluster_planner.report.service_days import (
    Cover,
    DayWork,
    Leave,
    Span,
    day_work,
    leaves,
    plan_date,
    service_dates,
    spans_of,
    versions_of,
)
from cluster_planner.report.words import check_lang, code_name

register(
    {
        "staff_record.title": ("{school}课后服务教职工服务记录", "{school}: after-school service record of staff"),
        "staff_record.title_plain": ("课后服务教职工服务记录", "After-school service record of staff"),
        "staff_record.intro": (
            "依据本学期（{term}）各版课后服务方案和变动记录逐日统计，节假日不计。课时按方案计算（M3），"
            "课时费按各版方案的课时费标准和下午课时上限计算。",
            "Counted day by day from this term's plan versions and change log ({term}), holidays left out. Periods "
            "are the plan's (M3); pay is at each version's rate, with the afternoon cap.",
        ),
        "staff_record.version": ("第 {version} 版 {start}至{end}", "version {version}, {start} to {end}"),
        "staff_record.version_until": ("（变动预计至{until}）", " (change expected until {until})"),
        "staff_record.version_none": ("第 {version} 版 未生效", "version {version}, never in force"),
        "staff_record.date_run": ("{first}至{last}", "{first} to {last}"),
        "staff_record.week_dates": ("{first}–{last}", "{first}–{last}"),
        "staff_record.note.cover": ("代{away}：{what} {n} 次", "for {away}: {what} ×{n}"),
        "staff_record.note.leave": ("请假：{dates}", "leave: {dates}"),
        "staff_record.note.worked_absent": (
            "请假日当时的方案仍排有课时，请核实：{dates}",
            "the plan then in force still gives work on leave days, please check: {dates}",
        ),
        "staff_record.col.staff_id": ("编号", "Staff id"),
        "staff_record.col.name": ("姓名", "Name"),
        "staff_record.col.kind": ("类别", "Kind"),
        "staff_record.col.week": ("周次", "Week"),
        "staff_record.col.dates": ("日期", "Dates"),
        "staff_record.col.versions": ("方案版本", "Plan versions"),
        "staff_record.col.periods": ("课时", "Periods"),
        "staff_record.col.paid_periods": ("计酬课时", "Paid periods"),
        "staff_record.col.pay": ("课时费（元）", "Pay (yuan)"),
        "staff_record.col.covers": ("代课次数", "Covers"),
        "staff_record.col.cover_periods": ("代课课时", "Cover periods"),
        "staff_record.col.covered": ("被代课次数", "Covered by others"),
        "staff_record.col.absent_days": ("请假天数", "Days on leave"),
        "staff_record.col.notes": ("说明", "Notes"),
        "staff_record.col.rate": ("课时费标准（元/课时）", "Rate (yuan a period)"),
        "staff_record.col.weeks": ("服务周数", "Weeks served"),
        "staff_record.total": ("合计", "Total"),
    }
)


@dataclass(frozen=True)
class WeekLine:
    """One adult's week."""

    number: int
    """The week of the term (the term's first calendar week is 1; a week of holidays keeps its number)."""
    first: date
    last: date
    versions: tuple[int, ...]
    """The plan versions in force that week."""
    periods: float = 0.0
    paid: float = 0.0
    pay: float = 0.0
    covers: tuple[Cover, ...] = ()
    covered: tuple[Cover, ...] = ()
    absent: tuple[date, ...] = ()
    worked_absent: tuple[date, ...] = ()
    """Leave days on which the version in force still gives the adult work (the leave was entered later)."""
    notes: str = ""
    """The week's covers and leave in words."""

    @property
    def cover_periods(self) -> float:
        return sum(c.periods for c in self.covers)


@dataclass(frozen=True)
class AdultRecord:
    """One adult's record of the term."""

    staff_id: str
    name: str
    kind: str
    rates: tuple[float, ...]
    """Their rates (yuan a period) in the versions of the term."""
    weeks: tuple[WeekLine, ...]
    leaves: tuple[Leave, ...]

    @property
    def periods(self) -> float:
        return round(sum(w.periods for w in self.weeks), 2)

    @property
    def paid(self) -> float:
        return round(sum(w.paid for w in self.weeks), 2)

    @property
    def pay(self) -> float:
        return round(sum(w.pay for w in self.weeks), 2)

    @property
    def covers(self) -> tuple[Cover, ...]:
        return tuple(c for w in self.weeks for c in w.covers)

    @property
    def covered(self) -> tuple[Cover, ...]:
        return tuple(c for w in self.weeks for c in w.covered)

    @property
    def absent_days(self) -> int:
        return sum(len(w.absent) for w in self.weeks)


@dataclass(frozen=True)
class StaffRecord:
    """Every adult's service record of the term, in one language."""

    lang: str
    school: str
    term: str
    spans: tuple[Span, ...]
    dates: tuple[date, ...]
    """The term's service dates (holidays out)."""
    adults: tuple[AdultRecord, ...]
    capped: bool
    """Some version caps paid afternoon periods: the paid periods are shown beside the periods."""
    names: dict[str, str]
    """Every adult's name by id (of any version's staff list)."""

    @property
    def title(self) -> str:
        lang = self.lang
        return t("staff_record.title", lang, school=self.school) if self.school else t("staff_record.title_plain", lang)

    @property
    def intro(self) -> str:
        return t("staff_record.intro", self.lang, term=self.term)

    @property
    def versions_text(self) -> str:
        """``第 1 版 2026年9月7日至10月13日；第 2 版 …``, with the end a version's own change expected."""
        lang, parts = self.lang, []
        for s in self.spans:
            if s.start > s.end:
                parts.append(t("staff_record.version_none", lang, version=s.version))
                continue
            end = long_date(s.end, lang) if s.end.year != s.start.year else short_date(s.end, lang)
            text = t("staff_record.version", lang, version=s.version, start=long_date(s.start, lang), end=end)
            until = plan_date(s.plan.meta.valid_until)
            if until and until < s.end:
                text += t("staff_record.version_until", lang, until=short_date(until, lang))
            parts.append(text)
        return t("publish.semicolon", lang).join(parts)

    @property
    def weeks(self) -> int:
        return len(self.adults[0].weeks) if self.adults else 0

    def frame(self) -> pd.DataFrame:
        """One row per adult and week: periods, paid periods (when capped), pay, covers, leave and notes."""
        rows = [
            {
                "staff_id": a.staff_id,
                "name": a.name,
                "kind": a.kind,
                "week": w.number,
                "dates": week_dates(w, self.lang),
                "versions": joined((str(v) for v in w.versions), self.lang),
                "periods": round(w.periods, 2),
                "paid_periods": round(w.paid, 2),
                "pay": round(w.pay, 2),
                "covers": len(w.covers),
                "cover_periods": round(w.cover_periods, 2),
                "absent_days": len(w.absent),
                "notes": w.notes,
            }
            for a in self.adults
            for w in a.weeks
        ]
        keys = ["staff_id", "name", "kind", "week", "dates", "versions", "periods"]
        keys += ["paid_periods"] if self.capped else []
        keys += ["pay", "covers", "cover_periods", "absent_days", "notes"]
        return self._frame(rows, keys)

    def summary(self) -> pd.DataFrame:
        """One row per adult with the term's totals, a total row last (``attrs["total_row"]``)."""
        rows: list[dict[str, Any]] = [
            {
                "staff_id": a.staff_id,
                "name": a.name,
                "kind": a.kind,
                "rate": joined((f"{r:g}" for r in a.rates), self.lang),
                "weeks": sum(1 for w in a.weeks if w.periods),
                "periods": a.periods,
                "paid_periods": a.paid,
                "pay": a.pay,
                "covers": len(a.covers),
                "cover_periods": round(sum(c.periods for c in a.covers), 2),
                "covered": len(a.covered),
                "absent_days": a.absent_days,
            }
            for a in self.adults
        ]
        numbers = ("periods", "paid_periods", "pay", "covers", "cover_periods", "covered", "absent_days")
        total: dict[str, Any] = {"staff_id": t("staff_record.total", self.lang), "name": "", "kind": "", "rate": ""}
        total.update({k: round(sum(r[k] for r in rows), 2) for k in numbers})
        keys = ["staff_id", "name", "kind", "rate", "weeks", "periods"]
        keys += ["paid_periods"] if self.capped else []
        keys += ["pay", "covers", "cover_periods", "covered", "absent_days"]
        df = self._frame([*rows, total], keys)
        df.attrs["total_row"] = True
        return df

    def _frame(self, rows: list[dict[str, Any]], keys: list[str]) -> pd.DataFrame:
        columns = [t(f"staff_record.col.{k}", self.lang) for k in keys]
        df = pd.DataFrame([[r.get(k) for k in keys] for r in rows], columns=columns, dtype=object)
        df.attrs["formats"] = {t("staff_record.col.pay", self.lang): "money"}
        return df


def week_dates(w: WeekLine, lang: str) -> str:
    """``10月12日–10月16日``: the week's first and last service date."""
    return t("staff_record.week_dates", lang, first=short_date(w.first, lang), last=short_date(w.last, lang))


def date_runs(days: Iterable[date], service: Iterable[date], lang: str) -> str:
    """Dates as runs of consecutive service dates: ``10月14日至10月16日、10月19日``."""
    index = {d: k for k, d in enumerate(service)}
    runs: list[list[date]] = []
    for d in sorted(set(days)):
        if runs and d in index and index.get(runs[-1][-1]) == index[d] - 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    parts = [
        short_date(r[0], lang)
        if len(r) == 1
        else t("staff_record.date_run", lang, first=short_date(r[0], lang), last=short_date(r[-1], lang))
        for r in runs
    ]
    return joined(parts, lang)


def _notes(w: WeekLine, service: Iterable[date], names: dict[str, str], lang: str) -> str:
    """The week's covers (for whom, what, how often) and leave dates, one a line."""
    counted: dict[tuple[str, str], int] = defaultdict(int)
    for c in w.covers:
        counted[(c.away, c.what)] += 1
    lines = [
        t("staff_record.note.cover", lang, away=names.get(away, away), what=what, n=n)
        for (away, what), n in counted.items()
    ]
    if w.absent:
        lines.append(t("staff_record.note.leave", lang, dates=date_runs(w.absent, service, lang)))
    if w.worked_absent:
        lines.append(t("staff_record.note.worked_absent", lang, dates=date_runs(w.worked_absent, service, lang)))
    return "\n".join(lines)


def _weeks(dates: list[date], term_start: date) -> list[tuple[int, list[date]]]:
    """The calendar weeks holding service dates: (week of the term, its service dates)."""
    monday = term_start - timedelta(days=term_start.weekday())
    by_week: dict[int, list[date]] = defaultdict(list)
    for d in dates:
        by_week[(d - monday).days // 7 + 1].append(d)
    return sorted(by_week.items())


def build_staff_record(plan: Plan, folder: str | Path | None = None, lang: str | None = None) -> StaffRecord:
    """The service record of the term whose newest version is ``plan`` (read from ``folder``, where its parents
    are found; without it, the parents' absolute paths), in ``lang`` (default: the school's language)."""
    spans = spans_of(versions_of(plan, folder))
    newest = spans[-1].scenario
    lang = check_lang(lang or newest.school.language)
    school = newest.school
    assert school.term_start and school.term_end
    dates = service_dates(spans)
    work = day_work(spans, dates, lang)
    absent = {pid: {d for d, w in days.items() if w.absent} for pid, days in work.items()}
    leave = leaves(newest, absent)
    staff = {s.staff_id: s for span in spans for s in span.scenario.staff} | dict(newest.staff_by_id)
    names = {pid: s.name or pid for pid, s in staff.items()}
    order = [s.staff_id for s in newest.staff] + sorted(set(work) - set(newest.staff_by_id))
    adults = []
    for pid in (p for p in order if p in work or p in leave):
        lines = []
        for number, days in _weeks(dates, school.term_start):
            week, worked_absent = DayWork(), []
            for d in days:
                if d in work[pid]:
                    week.add(work[pid][d])
                    if work[pid][d].absent and work[pid][d].periods:
                        worked_absent.append(d)
            line = WeekLine(
                number=number,
                first=days[0],
                last=days[-1],
                versions=tuple(sorted({s.version for s in spans for d in days if s.holds(d)})),
                periods=week.periods,
                paid=week.paid,
                pay=week.pay,
                covers=tuple(week.covers),
                covered=tuple(week.covered),
                absent=tuple(week.absent),
                worked_absent=tuple(worked_absent),
            )
            lines.append(replace(line, notes=_notes(line, dates, names, lang)))
        person = staff.get(pid)
        adults.append(
            AdultRecord(
                staff_id=pid,
                name=names.get(pid, pid),
                kind=code_name("staff_kind", person.kind.value, lang) if person else "",
                rates=tuple(sorted({rate_of(s.scenario, pid) for s in spans if pid in s.scenario.staff_by_id})),
                weeks=tuple(lines),
                leaves=tuple(leave.get(pid, ())),
            )
        )
    term = t("publish.term", lang, start=long_date(school.term_start, lang), end=long_date(school.term_end, lang))
    capped = any(rules.afternoon_period_cap(s.scenario) is not None for s in spans)
    return StaffRecord(lang, school.name, term, spans, tuple(dates), tuple(adults), capped, names)
