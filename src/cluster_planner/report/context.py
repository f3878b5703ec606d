"""Lookups every report table shares: names, clock labels and the plan's rows by group.

A plan written by hand or by another tool may name ids the scenario lacks; every lookup
falls back to the id itself rather than fail, so a report can always be printed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date
from functools import cached_property

from cluster_planner.domain import Scenario, Student, Timeslot
from cluster_planner.domain.values import format_grades, minutes
from cluster_planner.i18n import t
from cluster_planner.plan.model import Assignment, GroupMeeting, Plan, StaffLoad
from cluster_planner.report.attendance import plan_window
from cluster_planner.report.words import DAYS, day_code, day_name, span


class ReportData:
    """A scenario and a plan with the lookups and labels the report tables use."""

    def __init__(self, scenario: Scenario, plan: Plan, lang: str) -> None:
        self.scenario = scenario
        self.plan = plan
        self.lang = lang

    # ---- time -------------------------------------------------------------------------
    @cached_property
    def window(self) -> tuple[date, date]:
        """First and last day the plan holds."""
        return plan_window(self.scenario.school, self.plan.meta)

    @cached_property
    def season(self) -> str:
        """The season in force when the plan starts: its clocks label timetables."""
        return self.scenario.school.season_on(self.window[0])

    @cached_property
    def switch(self) -> date | None:
        """The season switch, if it falls inside the plan's days."""
        switch = self.scenario.school.season_switch
        return switch if switch and self.window[0] < switch <= self.window[1] else None

    @cached_property
    def slot_order(self) -> dict[str, int]:
        return {s.slot_id: k for k, s in enumerate(self.scenario.sorted_slots)}

    def slot(self, slot_id: str) -> Timeslot | None:
        return self.scenario.slot_by_id.get(slot_id)

    def clock(self, slot_id: str) -> str:
        """``15:50–16:40`` in the season in force, and the other clock if it switches mid-term (H3)."""
        slot = self.slot(slot_id)
        if slot is None:
            return ""
        text = span(*slot.clock(self.season))
        if self.switch:
            other = span(*slot.clock(self.scenario.school.season_on(self.switch)))
            if other != text:
                when = f"{self.switch.month}/{self.switch.day}"
                text += "；" if self.lang == "zh" else "; "
                text += t("report.clock_from", self.lang, date=when, clock=other)
        return text

    def clock_key(self, slot_id: str) -> tuple[int, int, str]:
        """A timetable row key: start and end minutes in the season in force."""
        slot = self.slot(slot_id)
        if slot is None:
            return (24 * 60, 24 * 60, slot_id)
        start, end = slot.clock(self.season)
        return (minutes(start), minutes(end), "")

    def day(self, day: str) -> str:
        return day_name(day, self.lang)

    def meeting_text(self, m: GroupMeeting) -> str:
        """``周二 15:50–16:40（Tue-1）``."""
        return t("report.cell.meeting", self.lang, day=self.day(m.day), time=self.clock(m.slot_id), slot=m.slot_id)

    # ---- names --------------------------------------------------------------------------
    def activity_name(self, activity_id: str) -> str:
        a = self.scenario.activity_by_id.get(activity_id)
        return (a.name or a.activity_id) if a else activity_id

    def staff_name(self, staff_id: str) -> str:
        s = self.scenario.staff_by_id.get(staff_id)
        return (s.name or s.staff_id) if s else staff_id

    def staff_names(self, staff_ids: tuple[str, ...]) -> str:
        return self.joined([self.staff_name(s) for s in staff_ids])

    def room_name(self, room_id: str) -> str:
        r = self.scenario.room_by_id.get(room_id)
        return (r.name or r.room_id) if r else room_id

    def class_name(self, class_id: str) -> str:
        c = self.scenario.class_by_id.get(class_id)
        return (c.name or c.class_id) if c else class_id

    def homeroom_teacher(self, class_id: str) -> str:
        c = self.scenario.class_by_id.get(class_id)
        return self.staff_name(c.homeroom_teacher) if c and c.homeroom_teacher else ""

    def student(self, student_id: str) -> Student | None:
        return self.scenario.student_by_id.get(student_id)

    def student_name(self, student_id: str) -> str:
        s = self.student(student_id)
        return (s.name or s.student_id) if s else student_id

    def grades_text(self, grades: tuple[int, ...] | frozenset[int]) -> str:
        return format_grades(set(grades))

    def paren(self, text: str, detail: str) -> str:
        """``围棋（社团）`` / ``Go (club)``; ``text`` alone when ``detail`` is blank."""
        if not detail or detail == text:
            return text
        return f"{text}（{detail}）" if self.lang == "zh" else f"{text} ({detail})"

    def joined(self, items: list[str]) -> str:
        return ("、" if self.lang == "zh" else ", ").join(i for i in items if i)

    # ---- plan rows by group -----------------------------------------------------------
    @cached_property
    def meetings(self) -> dict[str, list[GroupMeeting]]:
        """Meetings of each group in slot order; groups in id order."""
        out: dict[str, list[GroupMeeting]] = defaultdict(list)
        for g in sorted(self.plan.groups, key=lambda g: (g.group_id, self.slot_order.get(g.slot_id, 10**6))):
            out[g.group_id].append(g)
        return dict(out)

    @cached_property
    def activity_of_group(self) -> dict[str, str]:
        return {gid: ms[0].activity_id for gid, ms in self.meetings.items()}

    def activity_of(self, a: Assignment) -> str:
        """The activity of an assignment (from its group; the row's own column as fallback)."""
        return self.activity_of_group.get(a.group_id) or a.activity_id

    @cached_property
    def students_of_group(self) -> dict[str, list[str]]:
        """Distinct students of each group, by class then student id."""
        members: dict[str, set[str]] = defaultdict(set)
        for a in self.plan.assignments:
            members[a.group_id].add(a.student_id)

        def order(sid: str) -> tuple[str, str]:
            s = self.student(sid)
            return (s.class_id if s else "", sid)

        return {gid: sorted(ids, key=order) for gid, ids in members.items()}

    @cached_property
    def loads(self) -> tuple[StaffLoad, ...]:
        """The plan's staff loads, or recomputed from its groups and duties when it has none (M3)."""
        if self.plan.staff_load:
            return self.plan.staff_load
        from cluster_planner.plan.figures import staff_loads

        known = set(self.scenario.staff_by_id)
        groups = [
            replace(g, staff_ids=tuple(s for s in g.staff_ids if s in known))
            for g in self.plan.groups
            if g.slot_id in self.scenario.slot_by_id
        ]
        duties = [d for d in self.plan.duty_roster if d.staff_id in known]
        return staff_loads(self.scenario, groups, duties)

    @cached_property
    def timetable_rows(self) -> list[tuple[int, int, str]]:
        """Distinct clock rows of the weekly grid (start, end in the season in force)."""
        return sorted({self.clock_key(s.slot_id) for s in self.scenario.timeslots})

    @cached_property
    def days(self) -> list[str]:
        """Service days, Mon first, plus any day only the plan names."""
        found = {s.day.value for s in self.scenario.timeslots} | {day_code(g.day) for g in self.plan.groups}
        return [d for d in DAYS if d in found] + sorted(found - set(DAYS))
