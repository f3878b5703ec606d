"""家长告知书 (issue 17 item 2): one printed page per student telling the family what the plan gives them.

Each page holds one student's days; at each service slot the activity or care group, its room and
rainy-day room, the adults leading it and the clock times of the season in force (H3; with the
other season's from the switch date when it falls inside the plan); the term fee and any
exemption (M1); the lottery number and its seed (S6); pick-up place and the office's contact
(``[notice]``, left out when not given); for a slot the plan leaves open, the reason from unplaced.csv.
Nothing of another family is on it.

A re-solved plan (one with a parent version) gives a notice only to the students whose plan changed
(its ``moves``: their own, or their group's room), marked as a change, with the change words of
:mod:`cluster_planner.plan.notice_words` that moves.csv holds.

>>> notices = build_notices(scenario, plan, "zh")   # doctest: +SKIP
>>> notices.frame()                                  # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from cluster_planner import rules
from cluster_planner.domain import Scenario, Student
from cluster_planner.errors import UsageError
from cluster_planner.i18n import register, t
from cluster_planner.plan.figures import service_fee
from cluster_planner.plan.model import Move, Plan
from cluster_planner.report.context import ReportData
from cluster_planner.report.documents import render, write_page_and_workbook, write_workbook
from cluster_planner.report.publish_words import day_runs, long_date, season_words, short_date, yuan
from cluster_planner.report.words import DAYS, check_lang, day_code, span

register(
    {
        "notices.title": ("{school}课后服务家长告知书", "{school}: after-school service notice to families"),
        "notices.title_plain": ("课后服务家长告知书", "After-school service notice to families"),
        "notices.change_title": (
            "{school}课后服务安排变更告知书",
            "{school}: change to your child's after-school service",
        ),
        "notices.change_title_plain": ("课后服务安排变更告知书", "Change to your child's after-school service"),
        "notices.change_mark": ("变更", "CHANGED"),
        "notices.dear": ("{parent}家长：", "Dear {parent},"),
        "notices.dear_plain": ("尊敬的家长：", "Dear parent,"),
        "notices.intro": (
            "您好！根据您的申请，经班级审核、学校核准，{name}同学（{cls}）本学期（{term}）参加课后服务的安排如下。",
            "Following your application, reviewed by the class and approved by the school, this is {name}'s "
            "({cls}) after-school service for the term ({term}).",
        ),
        "notices.change_intro": (
            "您好！自{date}起，{name}同学（{cls}）的课后服务安排有如下变动，请留意。",
            "From {date}, {name}'s ({cls}) after-school service changes as follows.",
        ),
        "notices.change_before": ("原安排", "Before"),
        "notices.change_after": ("新安排", "From now on"),
        "notices.change_reason": ("原因", "Why"),
        "notices.week_after": ("变更后的每周安排", "The week from now on"),
        "notices.week": ("每周安排", "The week"),
        "notices.days": ("服务日", "Service days"),
        "notices.no_days": ("无", "none"),
        "notices.col.day": ("星期", "Day"),
        "notices.col.time": ("时间（{season}）", "Time ({season})"),
        "notices.col.later": ("{date}起（{season}）", "From {date} ({season})"),
        "notices.col.what": ("活动/托管", "Activity or care"),
        "notices.col.room": ("场地", "Room"),
        "notices.col.rain": ("雨天场地", "Rainy-day room"),
        "notices.col.adults": ("指导人员", "Led by"),
        "notices.unplaced": ("暂未安排：{reason}", "Not placed yet: {reason}"),
        "notices.unplaced_plain": ("暂未安排", "Not placed yet"),
        "notices.fee": ("费用", "Fee"),
        "notices.fee_service": ("课后服务费 {amount}", "service fee {amount}"),
        "notices.fee_activity": ("{activity}活动费 {amount}", "{activity} {amount}"),
        "notices.fee_total": ("本学期合计 {amount}", "total for the term {amount}"),
        "notices.fee_exempt": (
            "已减免，本学期无需缴费（减免前 {amount}）",
            "exempt: nothing to pay this term (before the exemption {amount})",
        ),
        "notices.fee_exempt_plain": ("已减免，本学期无需缴费", "exempt: nothing to pay this term"),
        "notices.fee_none": ("本学期不收费", "no fee this term"),
        "notices.lottery": ("抽签号", "Lottery number"),
        "notices.lottery_value": (
            "{number}（抽签种子 {seed}；可凭学号自行核对，方法见学校公布的抽签说明）",
            "{number} (seed {seed}; check it from the student id as the school's lottery note explains)",
        ),
        "notices.pickup": ("接送地点", "Pick-up"),
        "notices.contact": ("联系方式", "Contact"),
        "notices.closing": (
            "课后服务遵循家长自愿原则，学期中可申请调整或退出，请联系班主任。",
            "The service is voluntary: to change or leave during the term, please contact the class teacher.",
        ),
        "notices.sign": (
            "家长签名：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿＿＿",
            "Parent's signature: ____________   Date: __________",
        ),
        "notices.none": (
            "没有需要发放的告知书：本版方案中没有学生的安排发生变化。",
            "No notices to send: nobody's plan changed in this version.",
        ),
        "notices.none_class": ("没有需要发放的告知书。", "No notices to send."),
        "notices.no_class": (
            "没有班级「{value}」（可用：{known}）",
            "no class '{value}' (known: {known})",
        ),
        "notices.sheet_all": ("告知书", "Notices"),
        "notices.xcol.student_id": ("学号", "Student id"),
        "notices.xcol.name": ("姓名", "Name"),
        "notices.xcol.class": ("班级", "Class"),
        "notices.xcol.parent": ("家长", "Parent"),
        "notices.xcol.days": ("服务日", "Service days"),
        "notices.xcol.fee": ("费用", "Fee"),
        "notices.xcol.lottery": ("抽签号", "Lottery number"),
        "notices.xcol.change": ("变更", "Change"),
        "notices.xcol.before": ("原安排", "Before"),
        "notices.xcol.after": ("新安排", "After"),
        "notices.xcol.reason": ("原因", "Why"),
        "notices.xcol.pickup": ("接送地点", "Pick-up"),
        "notices.xcol.contact": ("联系方式", "Contact"),
        "notices.slot_text": ("{time} {what}", "{time} {what}"),
        "notices.slot_where": ("{what}（{where}）", "{what} ({where})"),
        "notices.detail_sep": ("，", ", "),
        "notices.slot_later": ("{time}（{date}起 {later}）", "{time} (from {date} {later})"),
        "notices.rain_where": ("雨天{room}", "if rain {room}"),
    }
)


CHANGE_LINE = 48
"""Characters of change words a printed line holds (half the page's width, 10 pt)."""
DENSE_LINES, DENSER_LINES = 20, 30
"""Lines of table and change words above which a notice prints smaller."""


@dataclass(frozen=True)
class NoticeRow:
    """One service slot of one student: where they are, with whom, when."""

    slot_id: str
    day: str
    time: str
    later: str
    what: str
    room: str
    rain_room: str
    adults: str


@dataclass(frozen=True)
class ChangeWords:
    """One change of a re-solved plan in words (a row of moves.csv)."""

    before: str
    after: str
    reason: str


@dataclass(frozen=True)
class FamilyNotice:
    """The page of one student: who, the week, the fee, and what changed (a re-solved plan)."""

    student_id: str
    name: str
    class_id: str
    class_name: str
    parent: str
    days: str
    rows: tuple[NoticeRow, ...]
    fee: tuple[str, ...]
    changes: tuple[ChangeWords, ...] = ()
    lottery: str = ""  # the published lottery number (S6: rules.lottery_number)

    @property
    def density(self) -> str:
        """``""``, ``dense`` or ``denser``: a smaller print for a long week or long change words, so that the
        notice stays on one A4 page (the page's script shrinks what still overflows)."""
        lines = 1.3 * len(self.rows) + sum(
            math.ceil(len(text) / CHANGE_LINE) for c in self.changes for text in (c.before, c.after)
        )
        if lines > DENSER_LINES:
            return "denser"
        return "dense" if lines > DENSE_LINES else ""


@dataclass(frozen=True)
class Notices:
    """The notices of one plan in one language, in class then student order."""

    lang: str
    school: str
    change: bool
    valid_from: str
    term: str
    time_header: str
    later_header: str
    later_from: str
    pickup_place: str
    pickup_note: str
    contact: str
    notices: tuple[FamilyNotice, ...]
    seed: int = 0

    def lottery(self, notice: FamilyNotice) -> str:
        """The student's lottery number with the seed it comes from (S6)."""
        return t("notices.lottery_value", self.lang, number=notice.lottery, seed=self.seed)

    @property
    def pickup(self) -> str:
        """Pick-up place and note in one line (blank when neither is given)."""
        return t("publish.semicolon", self.lang).join(x for x in (self.pickup_place, self.pickup_note) if x)

    @property
    def title(self) -> str:
        key = "notices.change_title" if self.change else "notices.title"
        return t(key, self.lang, school=self.school) if self.school else t(f"{key}_plain", self.lang)

    def intro(self, notice: FamilyNotice) -> str:
        """The page's first paragraph (after the greeting)."""
        if self.change:
            return t("notices.change_intro", self.lang, date=self.valid_from, name=notice.name, cls=notice.class_name)
        return t("notices.intro", self.lang, name=notice.name, cls=notice.class_name, term=self.term)

    def greeting(self, notice: FamilyNotice) -> str:
        return (
            t("notices.dear", self.lang, parent=notice.parent) if notice.parent else t("notices.dear_plain", self.lang)
        )

    def frame(self) -> pd.DataFrame:
        """One row per notice, for a mail merge: the student, a column per service day, the fee, the change."""
        lang = self.lang
        days = _days_of(self.notices)
        rows = []
        for n in self.notices:
            row: dict[str, Any] = {
                t("notices.xcol.student_id", lang): n.student_id,
                t("notices.xcol.name", lang): n.name,
                t("notices.xcol.class", lang): n.class_name,
                t("notices.xcol.parent", lang): n.parent,
                t("notices.xcol.days", lang): n.days,
            }
            for day in days:
                row[day] = "\n".join(_slot_text(r, lang, self.later_from) for r in n.rows if r.day == day)
            row[t("notices.xcol.fee", lang)] = t("publish.semicolon", lang).join(n.fee)
            row[t("notices.xcol.lottery", lang)] = n.lottery
            if self.change:
                row[t("notices.xcol.change", lang)] = self.valid_from
                row[t("notices.xcol.before", lang)] = "\n".join(c.before for c in n.changes)
                row[t("notices.xcol.after", lang)] = "\n".join(c.after for c in n.changes)
                row[t("notices.xcol.reason", lang)] = "\n".join(c.reason for c in n.changes)
            if self.pickup:
                row[t("notices.xcol.pickup", lang)] = self.pickup
            if self.contact:
                row[t("notices.xcol.contact", lang)] = self.contact
            rows.append(row)
        columns = [t(f"notices.xcol.{k}", lang) for k in ("student_id", "name", "class", "parent", "days")] + days
        columns += [t("notices.xcol.fee", lang), t("notices.xcol.lottery", lang)]
        if self.change:
            columns += [t(f"notices.xcol.{k}", lang) for k in ("change", "before", "after", "reason")]
        if self.pickup:
            columns.append(t("notices.xcol.pickup", lang))
        if self.contact:
            columns.append(t("notices.xcol.contact", lang))
        return pd.DataFrame(rows, columns=columns, dtype=object)

    def by_class(self) -> dict[str, pd.DataFrame]:
        """The mail-merge table split by class (class id → its rows, titled with the class name), classes in order."""
        df = self.frame()
        rows: dict[str, list[int]] = {}
        for k, n in enumerate(self.notices):
            rows.setdefault(n.class_id, []).append(k)
        out: dict[str, pd.DataFrame] = {}
        for class_id, index in rows.items():
            part = df.iloc[index].reset_index(drop=True)
            part.attrs["title"] = self.notices[index[0]].class_name or class_id
            out[class_id] = part
        return out


def _days_of(notices: tuple[FamilyNotice, ...]) -> list[str]:
    """The day names any notice has a row on, in week order (as the rows name them)."""
    seen: dict[str, None] = {}
    for n in notices:
        for r in n.rows:
            seen.setdefault(r.day, None)
    return list(seen)


def _slot_text(row: NoticeRow, lang: str, later_from: str) -> str:
    """``15:50–16:40 托管（一号教室，李老师）``: one slot in one line of a mail-merge cell (with the other
    season's clock from the switch date, when it differs)."""
    parts = [row.room, t("notices.rain_where", lang, room=row.rain_room) if row.rain_room else "", row.adults]
    where = t("notices.detail_sep", lang).join(p for p in parts if p)
    what = t("notices.slot_where", lang, what=row.what, where=where) if where else row.what
    time = row.time
    if row.later and row.later != row.time:
        time = t("notices.slot_later", lang, time=row.time, date=later_from, later=row.later)
    return t("notices.slot_text", lang, time=time, what=what)


# ---- building -------------------------------------------------------------------------------
class _Builder:
    """The lookups of one plan the notices share."""

    def __init__(self, scenario: Scenario, plan: Plan, lang: str) -> None:
        self.scenario = scenario
        self.plan = plan
        self.lang = lang
        self.data = ReportData(scenario, plan, lang)
        self.groups = {(g.group_id, g.slot_id): g for g in plan.groups}
        self.assigned: dict[str, list[Any]] = defaultdict(list)
        for a in plan.assignments:
            self.assigned[a.student_id].append(a)
        self.unplaced: dict[str, list[Any]] = defaultdict(list)
        for u in plan.unplaced:
            self.unplaced[u.student_id].append(u)

    def clock(self, slot_id: str, season: str) -> str:
        slot = self.data.slot(slot_id)
        return span(*slot.clock(season)) if slot else slot_id

    def rows(self, student_id: str) -> tuple[NoticeRow, ...]:
        """The student's slots in week and clock order: assignments, and unplaced slots with their reason."""
        data, lang = self.data, self.lang
        later = data.scenario.school.season_on(data.switch) if data.switch else None
        out: list[tuple[tuple[int, int, int, str], NoticeRow]] = []
        for a in self.assigned.get(student_id, ()):
            g = self.groups.get((a.group_id, a.slot_id))
            row = NoticeRow(
                slot_id=a.slot_id,
                day=data.day(a.day),
                time=self.clock(a.slot_id, data.season),
                later=self.clock(a.slot_id, later) if later else "",
                what=data.activity_name(data.activity_of(a)),
                room=data.room_name(g.room_id) if g and g.room_id else "",
                rain_room=data.room_name(g.rain_room_id) if g and g.rain_room_id else "",
                adults=data.staff_names(g.staff_ids) if g else "",
            )
            out.append((self._order(a.day, a.slot_id), row))
        for u in self.unplaced.get(student_id, ()):
            reason = u.reason.strip()
            what = t("notices.unplaced", lang, reason=reason) if reason else t("notices.unplaced_plain", lang)
            row = NoticeRow(
                slot_id=u.slot_id,
                day=data.day(u.day),
                time=self.clock(u.slot_id, data.season),
                later=self.clock(u.slot_id, later) if later else "",
                what=what,
                room="",
                rain_room="",
                adults="",
            )
            out.append((self._order(u.day, u.slot_id), row))
        return tuple(row for _, row in sorted(out, key=lambda x: x[0]))

    def _order(self, day: str, slot_id: str) -> tuple[int, int, int, str]:
        code = day_code(day)
        start, end, _ = self.data.clock_key(slot_id)
        return (DAYS.index(code) if code in DAYS else 7, start, end, slot_id)

    def fee(self, student: Student) -> tuple[str, ...]:
        """The term fee in words (M1): the service fee, fees of the activities the student takes, the total,
        or the exemption."""
        lang = self.lang
        service = service_fee(self.scenario, student)
        activity_ids = dict.fromkeys(self.data.activity_of(a) for a in self.assigned.get(student.student_id, ()))
        fees = []
        for aid in activity_ids:
            activity = self.scenario.activity_by_id.get(aid)
            if activity is not None and activity.fee:
                fees.append((self.data.activity_name(aid), activity.fee))
        total = (service or 0.0) + sum(f for _, f in fees)
        if service is None and not fees:
            return (t("notices.fee_none", lang),)
        if rules.is_fee_exempt(self.scenario, student):
            if total:
                return (t("notices.fee_exempt", lang, amount=yuan(total, lang)),)
            return (t("notices.fee_exempt_plain", lang),)
        lines = []
        if service is not None:
            lines.append(t("notices.fee_service", lang, amount=yuan(service, lang)))
        lines += [t("notices.fee_activity", lang, activity=name, amount=yuan(f, lang)) for name, f in fees]
        if len(lines) > 1:
            lines.append(t("notices.fee_total", lang, amount=yuan(total, lang)))
        return tuple(lines)

    def notice(self, student: Student, changes: tuple[ChangeWords, ...] = ()) -> FamilyNotice:
        rows = self.rows(student.student_id)
        placed = bool(rows)
        days = day_runs((self._day_code(r) for r in rows), self.lang)
        return FamilyNotice(
            student_id=student.student_id,
            name=student.name or student.student_id,
            class_id=student.class_id,
            class_name=self.data.class_name(student.class_id),
            parent=student.parent_name,
            days=days or t("notices.no_days", self.lang),
            rows=rows,
            fee=self.fee(student) if placed else (),
            changes=changes,
            lottery=rules.lottery_number(self.plan.meta.seed, student.student_id),
        )

    def _day_code(self, row: NoticeRow) -> str:
        slot = self.data.slot(row.slot_id)
        return slot.day.value if slot else row.day


def _changed(plan: Plan) -> dict[str, list[Move]]:
    """Students whose plan changed in a re-solved plan, with the rows of moves.csv that say how: their
    own move, and the room change of a group they are in."""
    out: dict[str, list[Move]] = defaultdict(list)
    for m in plan.moves:
        if m.kind == "student":
            out[m.id].append(m)
    members: dict[str, set[str]] = defaultdict(set)
    for a in plan.assignments:
        members[a.group_id].add(a.student_id)
    for m in plan.moves:
        if m.kind == "group":
            for sid in sorted(members.get(m.id, ())):
                out[sid].append(m)
    return out


def _pick_class(scenario: Scenario, class_id: str | None) -> str | None:
    """The class id ``class_id`` names (an id, or a class's name); a ``UsageError`` listing the classes if none."""
    if class_id is None:
        return None
    if class_id in scenario.class_by_id:
        return class_id
    by_name = [c.class_id for c in scenario.classes if c.name == class_id]
    if len(by_name) == 1:
        return by_name[0]
    known = ", ".join(c.class_id for c in scenario.classes)
    raise UsageError.said("notices.no_class", value=class_id, known=known)


def _valid_from(plan: Plan, scenario: Scenario, lang: str) -> str:
    text = (plan.meta.valid_from or "").strip()
    try:
        return long_date(date.fromisoformat(text), lang)
    except ValueError:
        assert scenario.school.term_start
        return long_date(scenario.school.term_start, lang)


def build_notices(scenario: Scenario, plan: Plan, lang: str | None = None, class_id: str | None = None) -> Notices:
    """Every notice of ``plan`` (only changed students' for a re-solved plan), of one class if ``class_id``
    (an id or a class name) is given; in ``lang`` (default: the school's)."""
    lang = check_lang(lang or scenario.school.language)
    wanted = _pick_class(scenario, class_id)
    b = _Builder(scenario, plan, lang)
    change = plan.meta.parent_version is not None
    order = {c.class_id: k for k, c in enumerate(scenario.classes)}
    if change:
        changed = _changed(plan)
        people = [scenario.student_by_id.get(sid) or _leaver(sid, changed[sid]) for sid in changed]
    else:
        changed = {}
        people = list(scenario.approved_students)
    people = [p for p in people if wanted is None or p.class_id == wanted]
    people.sort(key=lambda s: (order.get(s.class_id, len(order)), s.class_id, s.student_id))
    notices = tuple(
        b.notice(p, tuple(ChangeWords(m.before, m.after, m.reason) for m in changed.get(p.student_id, ())))
        for p in people
    )
    school = scenario.school
    assert school.term_start and school.term_end
    data = b.data
    later = school.season_on(data.switch) if data.switch else None
    notice = school.notice
    return Notices(
        lang=lang,
        school=school.name,
        change=change,
        valid_from=_valid_from(plan, scenario, lang) if change else "",
        term=t("publish.term", lang, start=long_date(school.term_start, lang), end=long_date(school.term_end, lang)),
        time_header=t("notices.col.time", lang, season=season_words(data.season, lang)),
        later_header=(
            t("notices.col.later", lang, date=short_date(data.switch, lang), season=season_words(later, lang))
            if data.switch and later
            else ""
        ),
        later_from=short_date(data.switch, lang) if data.switch else "",
        pickup_place=notice.pickup_place or "",
        pickup_note=notice.pickup_note or "",
        contact=notice.contact or "",
        notices=notices,
        seed=plan.meta.seed,
    )


def _leaver(student_id: str, moves: list[Move]) -> Student:
    """A student the re-solved plan's scenario no longer lists (the move row names them)."""
    m = moves[0]
    return Student(student_id=student_id, name=m.name, class_id=m.class_id)


def notices_html(notices: Notices) -> str:
    """notices.html: one A4 page per notice (one print job)."""
    return render("notices.html", notices.lang, n=notices)


def write_notices_xlsx(notices: Notices, path: Path) -> Path:
    """notices.xlsx: a sheet per class, a row per notice (mail merge)."""

    def fill(w: Any) -> None:
        blocks = notices.by_class()
        if not blocks:
            sheet = w.sheet(t("notices.sheet_all", notices.lang))
            sheet.title(notices.title)
            sheet.lines([t("notices.none", notices.lang) if notices.change else t("notices.none_class", notices.lang)])
            sheet.finish(landscape=True, repeat_header=False)
        for df in blocks.values():
            w.flat(df.attrs["title"], [df], True)

    return write_workbook(path, notices.lang, fill)


def write_notices(notices: Notices, out: str | Path, inputs: tuple[str | Path, ...] = ()) -> list[Path]:
    """Write notices.html and notices.xlsx into the new folder ``out`` atomically (never over the user's files)."""
    page = notices_html(notices)
    return write_page_and_workbook(out, "notices", page, lambda p: write_notices_xlsx(notices, p), inputs, notices.lang)
