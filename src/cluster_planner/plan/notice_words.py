"""A change in words: what changes for whom, as families and staff read it (变动通知).

The one place that turns plan rows into notice words. Pure functions of the scenarios and the
plan rows before and after a change: days, clock times of the season in force, activity names,
room names and adults' names; never an id. Used by moves.csv and the report's 变动通知 sheet
(:mod:`cluster_planner.midterm.moves`), and meant for family notices and the web app.

>>> words = NoticeWords.of(old_scenario, new_scenario, on=date(2026, 10, 12), lang="zh")  # doctest: +SKIP
>>> words.student_week(assignments, groups)  # doctest: +SKIP
'周一 16:00–16:50 低年级托管（一年级1班教室，姚紫）；周二 …'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from cluster_planner.domain import Scenario
from cluster_planner.domain.values import Day, minutes, try_parse_day
from cluster_planner.i18n import register, t
from cluster_planner.plan.model import DutyAssignment, GroupMeeting
from cluster_planner.vocabulary import word

register(
    {
        # what a person does at a time
        "notice.item": ("{time} {what}", "{time} {what}"),
        "notice.where": ("{activity}（{details}）", "{activity} ({details})"),
        "notice.detail_sep": ("，", ", "),
        "notice.rain": ("雨天改在{room}", "if rain: {room}"),
        "notice.duty": ("值班：{post}", "duty: {post}"),
        "notice.all_day": ("全天", "all day"),
        "notice.unplaced": ("暂未安排", "not placed yet"),
        "notice.day": ("{day} {items}", "{day} {items}"),
        "notice.item_sep": ("，", ", "),
        "notice.day_sep": ("；", "; "),
        "notice.free_day": ("{day} 不参加课后服务", "{day} no after-school service"),
        "notice.staff_free_day": ("{day} 无带组和值班", "{day} no group or duty"),
        "notice.not_yet": ("未参加课后服务", "not in the after-school service"),
        "notice.no_longer": ("不再参加课后服务", "no longer in the after-school service"),
        "notice.staff_nothing": ("无带组和值班", "no group or duty"),
        # why (reason codes of moves.csv)
        "move.joined": ("新加入", "joined"),
        "move.left": ("退出", "left"),
        "move.changed": ("本人申请变更", "changed their application"),
        "move.moved": ("调整安排", "moved"),
        "move.moved_room": ("因{room}关闭而调整", "moved because {room} closed"),
        "move.moved_adult": (
            "因{staff}请假无人代课而调整",
            "moved because {staff} is on leave and no one can cover",
        ),
        "move.priority_first": (
            "托管名额不足，先安排优先学生（留守、残疾等）",
            "care is full: a priority student (left-behind, disabled…) was placed first",
        ),
        "move.upgraded": ("调入第{n}志愿", "upgraded to choice {n}"),
        "move.restaffed": ("人员调整（代课或值班变动）", "re-staffed (cover or duty change)"),
        "move.on_leave": ("请假", "on leave"),
        "move.returned": ("销假返岗，恢复原带组", "back from leave, takes their groups back"),
        "move.reroomed": ("场地调整", "room changed"),
        "move.reroomed_closed": ("因{room}关闭，更换场地", "new room because {room} is closed"),
        "move.name_sep": ("、", ", "),
    }
)

#: Reasons whose person changed their own application (or staff role): they get their whole week.
WHOLE_WEEK = frozenset({"joined", "left", "changed", "on_leave", "returned"})


@dataclass(frozen=True)
class _Item:
    """One thing a person does at one slot: a group meeting or a duty post (or nothing yet)."""

    day: str
    slot_id: str
    what: str
    start: int
    end: int


@dataclass(frozen=True)
class NoticeWords:
    """Words for one change: the scenarios before and after, the day it takes effect and the language."""

    old: Scenario | None
    new: Scenario | None
    on: date | None
    lang: str

    @classmethod
    def of(cls, old: Scenario | None, new: Scenario | None, on: date | str | None, lang: str) -> NoticeWords:
        """``on`` (a date or ``YYYY-MM-DD``) picks the season whose clocks are in force; default the term start."""
        if isinstance(on, str):
            try:
                on = date.fromisoformat(on.strip())
            except ValueError:  # a hand-made plan.json: fall back on the term start
                on = None
        sc = new or old
        if on is None and sc is not None:
            on = sc.school.term_start
        return cls(old, new, on, lang)

    # ---- names ------------------------------------------------------------------------
    def _lookup(self, table: str, key: str) -> Any:
        for sc in (self.new, self.old):
            if sc is not None:
                found = getattr(sc, table).get(key)
                if found is not None:
                    return found
        return None

    def activity(self, activity_id: str) -> str:
        """The menu's name of an activity (its id when the scenario lacks it)."""
        a = self._lookup("activity_by_id", activity_id)
        return (a.name or a.activity_id) if a is not None else activity_id

    def room(self, room_id: str) -> str:
        r = self._lookup("room_by_id", room_id)
        return (r.name or r.room_id) if r is not None else room_id

    def adult(self, staff_id: str) -> str:
        p = self._lookup("staff_by_id", staff_id)
        return (p.name or p.staff_id) if p is not None else staff_id

    def adults(self, staff_ids: Iterable[str]) -> str:
        return t("move.name_sep", self.lang).join(self.adult(p) for p in staff_ids)

    def day(self, day: str) -> str:
        return word("day", day, self.lang)

    # ---- time -------------------------------------------------------------------------
    def _season(self) -> str | None:
        sc = self.new or self.old
        if sc is None:
            return None
        return sc.school.season_on(self.on) if self.on else sc.school.season.value

    def _clock(self, slot_id: str) -> tuple[int, int] | None:
        slot = self._lookup("slot_by_id", slot_id)
        season = self._season()
        if slot is None or season is None:
            return None
        start, end = slot.clock(season)
        return minutes(start), minutes(end)

    @staticmethod
    def _hhmm(m: int) -> str:
        return f"{m // 60:02d}:{m % 60:02d}"

    def slot_time(self, slot_id: str) -> str:
        """``16:00–16:50`` in the season in force (the slot's id when the scenario lacks it)."""
        clock = self._clock(slot_id)
        return f"{self._hhmm(clock[0])}–{self._hhmm(clock[1])}" if clock else slot_id

    def _item(self, day: str, slot_id: str, what: str) -> _Item:
        clock = self._clock(slot_id) or (24 * 60, 24 * 60)
        return _Item(_day_code(day), slot_id, what, *clock)

    # ---- what happens at a slot ----------------------------------------------------------
    def meeting(self, g: GroupMeeting | None, *, with_adults: bool = True) -> str:
        """``低年级托管（一年级1班教室，姚紫）``: activity, room, rainy-day room, adults."""
        if g is None:
            return t("notice.unplaced", self.lang)
        details = [self.room(g.room_id)] if g.room_id else []
        if g.rain_room_id:
            details.append(t("notice.rain", self.lang, room=self.room(g.rain_room_id)))
        if with_adults and g.staff_ids:
            details.append(self.adults(g.staff_ids))
        name = self.activity(g.activity_id)
        if not details:
            return name
        return t("notice.where", self.lang, activity=name, details=t("notice.detail_sep", self.lang).join(details))

    def duty(self, d: DutyAssignment) -> str:
        return t("notice.duty", self.lang, post=word("post", d.post, self.lang))

    # ---- a week in words -----------------------------------------------------------------
    def _week(self, items: Iterable[_Item], days: Iterable[str] | None, free_key: str) -> str:
        """Items by day (consecutive slots doing the same merged), days in week order; a listed day
        with nothing says so."""
        by_day: dict[str, list[_Item]] = {}
        for it in items:
            by_day.setdefault(it.day, []).append(it)
        wanted = sorted(set(by_day) | set(days or ()), key=_day_order)
        parts = []
        for d in wanted:
            its = sorted(by_day.get(d, ()), key=lambda i: (i.start, i.end, i.what))
            if not its:
                parts.append(t(free_key, self.lang, day=self.day(d)))
                continue
            merged: list[list[Any]] = []
            for it in its:
                if merged and merged[-1][2] == it.what and merged[-1][1] >= it.start - 10:
                    merged[-1][1] = max(merged[-1][1], it.end)
                else:
                    merged.append([it.start, it.end, it.what, it.slot_id])
            texts = [t("notice.item", self.lang, time=self._span(s, e, slot), what=what) for s, e, what, slot in merged]
            parts.append(t("notice.day", self.lang, day=self.day(d), items=t("notice.item_sep", self.lang).join(texts)))
        return t("notice.day_sep", self.lang).join(parts)

    def _span(self, start: int, end: int, slot_id: str) -> str:
        if start >= 24 * 60:
            return slot_id or t("notice.all_day", self.lang)
        return f"{self._hhmm(start)}–{self._hhmm(end)}"

    def student_items(
        self, where: Mapping[str, str], groups: Mapping[tuple[str, str], GroupMeeting], days: Iterable[str] | None
    ) -> list[_Item]:
        """A student's slot → group (``""``: unplaced) as items, on ``days`` only (all when None)."""
        keep = {_day_code(d) for d in days} if days is not None else None
        out = []
        for slot_id, gid in where.items():
            g = groups.get((gid, slot_id)) if gid else None
            day = g.day if g else self._slot_day(slot_id)
            if keep is not None and _day_code(day) not in keep:
                continue
            out.append(self._item(day, slot_id, self.meeting(g)))
        return out

    def student_week(
        self,
        where: Mapping[str, str],
        groups: Mapping[tuple[str, str], GroupMeeting],
        days: Iterable[str] | None = None,
        *,
        empty_key: str = "notice.not_yet",
    ) -> str:
        """A student's ``days`` (default: the days they attend) in words, a day without service said so;
        ``empty_key`` when they have nothing on those days."""
        items = self.student_items(where, groups, days)
        if not items:
            return t(empty_key, self.lang)
        return self._week(items, days, "notice.free_day")

    def staff_items(self, work: Iterable[GroupMeeting | DutyAssignment], days: Iterable[str] | None) -> list[_Item]:
        keep = {_day_code(d) for d in days} if days is not None else None
        out = []
        for w in work:
            if keep is not None and _day_code(w.day) not in keep:
                continue
            if isinstance(w, GroupMeeting):
                out.append(self._item(w.day, w.slot_id, self.meeting(w, with_adults=False)))
            elif w.slot_id:
                out.append(self._item(w.day, w.slot_id, self.duty(w)))
            else:
                out.append(_Item(_day_code(w.day), "", self.duty(w), 24 * 60, 24 * 60))
        return out

    def staff_week(self, work: Iterable[GroupMeeting | DutyAssignment], days: Iterable[str] | None = None) -> str:
        """An adult's groups and duties (on ``days``) in words."""
        items = self.staff_items(work, days)
        if not items:
            return t("notice.staff_nothing", self.lang)
        return self._week(items, days, "notice.staff_free_day")

    def group_rooms(self, meetings: Iterable[GroupMeeting]) -> str:
        """A group's meetings with their rooms (no adults): what a room change tells its families."""
        items = [self._item(g.day, g.slot_id, self.meeting(g, with_adults=False)) for g in meetings]
        return self._week(items, None, "notice.free_day")

    def _slot_day(self, slot_id: str) -> str:
        slot = self._lookup("slot_by_id", slot_id)
        return slot.day.value if slot is not None else slot_id.partition("-")[0]

    # ---- why ------------------------------------------------------------------------------
    def reason(self, code: str, **params: Any) -> str:
        """The words of a reason code (or of ``params["words"]``, a finer key); ids among ``params``
        (``room``, ``staff``) become names."""
        key = f"move.{params.pop('words', code)}"
        if "room" in params:
            params["room"] = self.room(str(params["room"]))
        if "staff" in params:
            staff = params["staff"]
            params["staff"] = self.adults(staff if isinstance(staff, (list, tuple)) else str(staff).split())
        return t(key, self.lang, **params)


def _day_code(day: str) -> str:
    parsed = try_parse_day(day)
    return parsed.value if parsed else day


def _day_order(day: str) -> tuple[int, str]:
    parsed = try_parse_day(day)
    return (list(Day).index(parsed), "") if parsed else (7, day)
