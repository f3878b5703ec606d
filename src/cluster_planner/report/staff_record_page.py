"""The staff service record written for filing (issue 17 item 6): staff-record.html, one A4 page per adult
with a page break between adults, and staff-record.xlsx, a sheet of adult × week rows and a summary sheet.

>>> write_staff_record(build_staff_record(plan, "out/term1-v3"), "out/term1-v3-staff-record")   # doctest: +SKIP
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cluster_planner.i18n import register, t
from cluster_planner.report.documents import render, write_page_and_workbook, write_workbook
from cluster_planner.report.publish_words import short_date, yuan
from cluster_planner.report.service_days import Cover, Leave
from cluster_planner.report.staff_record import AdultRecord, StaffRecord, date_runs, week_dates

register(
    {
        "staff_record.sheet.weeks": ("服务记录（按周）", "Service by week"),
        "staff_record.sheet.summary": ("学期汇总", "Term summary"),
        "staff_record.purpose": (
            "教师参加课后服务的表现作为职称评聘、表彰奖励和绩效工资分配的重要参考（000 方案2）。"
            "本记录供存入绩效和职称档案。",
            "Service counts towards professional titles, awards and performance pay (000 方案2). This record is "
            "for the performance-pay and title files.",
        ),
        "staff_record.versions": ("方案版本", "Plan versions"),
        "staff_record.who.staff_id": ("编号", "Staff id"),
        "staff_record.totals": ("学期合计", "Term totals"),
        "staff_record.totals_text": ("课时 {periods}，课时费 {pay}", "{periods} periods, pay {pay}"),
        "staff_record.totals_paid": (
            "课时 {periods}（计酬 {paid}），课时费 {pay}",
            "{periods} periods ({paid} paid), pay {pay}",
        ),
        "staff_record.cover_totals": ("代课", "Covers"),
        "staff_record.cover_text": ("{n} 次，{periods} 课时", "{n} session(s), {periods} period(s)"),
        "staff_record.covered_totals": ("由他人代课", "Covered by others"),
        "staff_record.absence_totals": ("请假", "Leave"),
        "staff_record.absence_text": ("{n} 个服务日", "{n} service day(s)"),
        "staff_record.none": ("无", "none"),
        "staff_record.h.weeks": ("每周服务", "Week by week"),
        "staff_record.h.leave": ("请假记录（变动表）", "Leave (change log)"),
        "staff_record.h.covers": ("代课记录", "Sessions covered"),
        "staff_record.h.covered": ("由他人代课", "Covered by others"),
        "staff_record.leave": (
            "{start}起请假{until}（变动 {change}），期间 {n} 个服务日",
            "on leave from {start}{until} (change {change}): {n} service day(s)",
        ),
        "staff_record.leave_until": ("，至{until}", " until {until}"),
        "staff_record.leave_open": ("，未注明结束日期", ", no end date given"),
        "staff_record.leave_returned": ("，{date}销假", ", back on {date}"),
        "staff_record.cover": (
            "{what}，代{away}：{dates}，{n} 次，{periods} 课时",
            "{what} for {away}: {dates}, {n} session(s), {periods} period(s)",
        ),
        "staff_record.covered": ("{what}，由{by}代：{dates}，{n} 次", "{what}, by {by}: {dates}, {n} session(s)"),
        "staff_record.sign": (
            "本人签字：__________　　教务处（盖章）：__________　　日期：__________",
            "Signed: __________　　Academic office (stamp): __________　　Date: __________",
        ),
        "staff_record.empty": (
            "本学期方案中没有带组、值班或请假的教职工。",
            "No adult leads a group, holds a duty or is on leave this term.",
        ),
    }
)


@dataclass(frozen=True)
class AdultPage:
    """What one adult's page says, in words."""

    adult: AdultRecord
    totals: str
    covers: str
    covered: str
    absence: str
    leave_lines: tuple[str, ...]
    cover_lines: tuple[str, ...]
    covered_lines: tuple[str, ...]


def cover_lines(covers: Iterable[Cover], record: StaffRecord, own: bool) -> list[str]:
    """Covers by session and colleague: what, for whom (``own``) or by whom, on which dates, how many."""
    lang, names = record.lang, record.names
    grouped: dict[tuple[str, str, str], list[Cover]] = defaultdict(list)
    for c in covers:
        grouped[(c.what, c.away, c.by)].append(c)
    out = []
    for (what, away, by), items in grouped.items():
        dates, n = date_runs((c.on for c in items), record.dates, lang), len(items)
        if own:
            periods = f"{sum(c.periods for c in items):g}"
            away = names.get(away, away)
            out.append(t("staff_record.cover", lang, what=what, away=away, dates=dates, n=n, periods=periods))
        else:
            out.append(t("staff_record.covered", lang, what=what, by=names.get(by, by), dates=dates, n=n))
    return out


def leave_line(leave: Leave, lang: str) -> str:
    """``10月14日起请假，至11月6日（变动 L1），期间 18 个服务日``."""
    until = t("staff_record.leave_until", lang, until=short_date(leave.until, lang)) if leave.until else ""
    if leave.returned:
        until += t("staff_record.leave_returned", lang, date=short_date(leave.returned, lang))
    elif not leave.until:
        until = t("staff_record.leave_open", lang)
    start = short_date(leave.start, lang)
    return t("staff_record.leave", lang, start=start, until=until, change=leave.change_id or "—", n=leave.days)


def _count(covers: tuple[Cover, ...], lang: str) -> str:
    if not covers:
        return t("staff_record.none", lang)
    return t("staff_record.cover_text", lang, n=len(covers), periods=f"{sum(c.periods for c in covers):g}")


def pages(record: StaffRecord) -> Iterator[AdultPage]:
    """Each adult's page, in the record's order."""
    lang = record.lang
    for a in record.adults:
        if record.capped and a.paid != a.periods:
            totals = t(
                "staff_record.totals_paid", lang, periods=f"{a.periods:g}", paid=f"{a.paid:g}", pay=yuan(a.pay, lang)
            )
        else:
            totals = t("staff_record.totals_text", lang, periods=f"{a.periods:g}", pay=yuan(a.pay, lang))
        absence = (
            t("staff_record.absence_text", lang, n=a.absent_days) if a.absent_days else t("staff_record.none", lang)
        )
        yield AdultPage(
            adult=a,
            totals=totals,
            covers=_count(a.covers, lang),
            covered=_count(a.covered, lang),
            absence=absence,
            leave_lines=tuple(leave_line(leave, lang) for leave in a.leaves),
            cover_lines=tuple(cover_lines(a.covers, record, own=True)),
            covered_lines=tuple(cover_lines(a.covered, record, own=False)),
        )


def staff_record_html(record: StaffRecord) -> str:
    """staff-record.html: one A4 page (portrait) per adult, a page break between adults."""
    return render("staff_record.html", record.lang, r=record, pages=list(pages(record)), week_dates=week_dates)


def fill_sheets(record: StaffRecord, w: Any) -> None:
    """The weeks sheet (adult × week) and the summary sheet, in a workbook of the report's writer."""
    lang = record.lang
    versions = f"{t('staff_record.versions', lang)}{t('publish.colon', lang)}{record.versions_text}"
    weeks = w.sheet(t("staff_record.sheet.weeks", lang))
    weeks.title(record.title)
    weeks.lines([record.intro, versions])
    weeks.table(record.frame())
    weeks.finish(landscape=True, repeat_header=True)
    summary = w.sheet(t("staff_record.sheet.summary", lang))
    summary.title(record.title)
    summary.lines([record.intro, versions, t("staff_record.purpose", lang)])
    summary.table(record.summary())
    summary.finish(landscape=True, repeat_header=True)


def write_staff_record_xlsx(record: StaffRecord, path: Path) -> Path:
    """staff-record.xlsx: the weeks sheet and the summary sheet."""
    return write_workbook(path, record.lang, lambda w: fill_sheets(record, w))


def write_staff_record(record: StaffRecord, out: str | Path, inputs: Iterable[str | Path] = ()) -> list[Path]:
    """Write staff-record.html and staff-record.xlsx into the new folder ``out`` atomically (never over the
    user's files)."""

    def workbook(path: Path) -> Path:
        return write_staff_record_xlsx(record, path)

    return write_page_and_workbook(out, "staff-record", staff_record_html(record), workbook, inputs, record.lang)
