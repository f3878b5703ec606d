"""Staff rules: T2 clearance, T3 skills, T4 ratio, T5 availability, one place at a time and
periods per day/week, and M3 staff_load.csv periods."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from cluster_planner.check import derive
from cluster_planner.check.view import PlanView
from cluster_planner.check.violation import Violation, listed
from cluster_planner.domain.entities import Timeslot
from cluster_planner.i18n import register

TOLERANCE = 1e-6

register(
    {
        "check.not_cleared_group": (
            "{staff} 未通过背景审查，却带组 {group}（{slot}）；只有通过审查的人才能带组",
            "{staff} is not cleared (background check) but leads group {group} at {slot}; only cleared adults "
            "may lead groups",
        ),
        "check.not_cleared_duty": (
            "{staff} 未通过背景审查，却担任值班岗位 {duty}；只有通过审查的人才能值班",
            "{staff} is not cleared (background check) but holds duty {duty}; only cleared adults may hold duties",
        ),
        "check.lacks_skill": (
            "{staff} 带组 {group}（{activity}），但不具备所需技能；应具备 {skills} 之一",
            "{staff} leads group {group} ({activity}) without a needed skill; they should have one of {skills}",
        ),
        "check.too_few_adults": (
            "组 {group} 在 {slot} 有 {size} 名学生、{adults} 名成人；需要 {needed} 名（每 {ratio} 名学生 1 名）",
            "group {group} at {slot} has {size} students and {adults} adult(s); {needed} needed (1 per {ratio})",
        ),
        "check.unavailable_group": (
            "{staff} 在 {slot} 不可用，却带组 {group}；只应在可用时段带组",
            "{staff} is not available at {slot} but leads group {group}; an adult should work only when available",
        ),
        "check.on_leave_group": (
            "{staff} 在方案生效日请假，却带组 {group}（{slot}）；请假的人不应带组",
            "{staff} is on leave on the day the plan holds from, but leads group {group} ({slot}); someone on "
            "leave should lead none",
        ),
        "check.on_leave_duty": (
            "{staff} 在方案生效日请假，却担任值班 {duty}；请假的人不应值班",
            "{staff} is on leave on the day the plan holds from, but holds duty {duty}; someone on leave "
            "should hold none",
        ),
        "check.unavailable_duty": (
            "{staff} 在 {when} 不可用，却担任值班岗位 {duty}；只应在可用时段值班",
            "{staff} is not available on {when} but holds duty {duty}; an adult should work only when available",
        ),
        "check.two_places_staff": (
            "{staff} 同时在两处：{first} 和 {second}；同一时间应只在一处",
            "{staff} is in two places at once: {first} and {second}; an adult should be in one place at a time",
        ),
        "check.periods_day": (
            "{staff} 在 {day} 工作 {n} 课时；最多 {limit} 课时",
            "{staff} works {n} periods on {day}; at most {limit} allowed",
        ),
        "check.periods_week": (
            "{staff} 每周工作 {n} 课时；最多 {limit} 课时",
            "{staff} works {n} periods a week; at most {limit} allowed",
        ),
        "check.load_mismatch": (
            "staff_load.csv 写 {staff} 每周 {listed} 课时；方案中的组和值班合计 {actual} 课时，应为 {actual}",
            "staff_load.csv says {staff} works {listed} periods a week; the plan's groups and duties credit "
            "{actual}, so it should say {actual}",
        ),
        "check.load_missing": (
            "{staff} 每周工作 {actual} 课时，但 staff_load.csv 中没有此人；工作的人都应列出",
            "{staff} works {actual} periods a week but is missing from staff_load.csv; everyone who works "
            "should be listed",
        ),
    }
)


@dataclass(frozen=True)
class Commitment:
    """One thing a person does in a week: a group meeting or a duty post."""

    label: str
    day: str
    slot: Timeslot | None  # None: an all-day duty (clashes with nothing)
    periods: float


def _num(value: float) -> float | int:
    value = round(float(value), 6)
    return int(value) if value.is_integer() else value


def commitments(view: PlanView) -> dict[str, list[Commitment]]:
    """T5/M3: each staff member's group meetings (crediting the slot's periods) and duty posts
    (crediting the post's periods), each counted once."""
    out: dict[str, dict[str, Commitment]] = defaultdict(dict)
    for (gid, slot_id), meeting in view.meetings.items():
        slot = view.slot(slot_id)
        if slot is None:
            continue
        for staff_id in meeting.staff_ids:
            label = f"{gid}@{slot_id}"
            out[staff_id][label] = Commitment(label, slot.day.value, slot, slot.periods)
    for row in view.plan.duty_roster:
        post = view.duty_post(row)
        label = f"{row.post}@{row.day}" + (f"@{row.slot_id}" if row.slot_id else "")
        slot = view.slot(row.slot_id) if row.slot_id else None
        out[row.staff_id][label] = Commitment(label, row.day, slot, post.periods if post else 0.0)
    return {sid: list(c.values()) for sid, c in out.items()}


def check_staff(view: PlanView) -> list[Violation]:
    """All staff rules (T2, T3, T4, T5, M3)."""
    work = commitments(view)
    return check_groups_staff(view) + check_duty_staff(view) + check_time(view, work) + check_load(view, work)


def check_groups_staff(view: PlanView) -> list[Violation]:
    """T2 cleared, T3 a needed skill, T4 enough adults, T5 available, for every group meeting."""
    out: list[Violation] = []
    ratio = view.scenario.school.rules.ratio
    for (gid, slot_id), meeting in view.meetings.items():
        activity, slot = view.activity(meeting), view.slot(slot_id)
        size = view.size(meeting)
        needed = derive.adults_needed(size, ratio)
        if len(meeting.staff_ids) < needed:
            params = {
                "group": gid,
                "slot": slot_id,
                "size": size,
                "adults": len(meeting.staff_ids),
                "needed": needed,
                "ratio": ratio,
            }
            out.append(Violation("T4", "too_few_adults", (gid, slot_id), params))
        for staff_id in meeting.staff_ids:
            staff = view.scenario.staff_by_id.get(staff_id)
            if staff is None:
                continue
            params = {"staff": staff_id, "group": gid, "slot": slot_id}
            if not staff.cleared:
                out.append(Violation("T2", "not_cleared_group", (staff_id, gid, slot_id), params))
            if activity is not None and activity.skill and not (activity.skill & staff.skills):
                skill = {**params, "activity": activity.activity_id, "skills": listed(sorted(activity.skill))}
                out.append(Violation("T3", "lacks_skill", (staff_id, gid), skill))
            if slot is not None and not derive.tokens_admit(staff.available, slot):
                out.append(Violation("T5", "unavailable_group", (staff_id, gid, slot_id), params))
            if staff_id in view.away[0]:
                out.append(Violation("T5", "on_leave_group", (staff_id, gid, slot_id), params))
    return _dedupe(out)


def check_duty_staff(view: PlanView) -> list[Violation]:
    """T2 cleared and T5 available, for every duty post holder."""
    out: list[Violation] = []
    for row in view.plan.duty_roster:
        staff = view.scenario.staff_by_id.get(row.staff_id)
        if staff is None:
            continue
        duty = f"{row.post}@{row.day}" + (f"@{row.slot_id}" if row.slot_id else "")
        if not staff.cleared:
            out.append(Violation("T2", "not_cleared_duty", (row.staff_id, duty), {"staff": row.staff_id, "duty": duty}))
        slot = view.slot(row.slot_id) if row.slot_id else None
        if slot is not None:
            ok, when = derive.tokens_admit(staff.available, slot), slot.slot_id
        else:
            day = next((s.day for s in view.scenario.timeslots if s.day.value == row.day), None)
            ok = day is None or derive.tokens_admit_day(staff.available, day, view.scenario.timeslots)
            when = row.day
        if not ok:
            params = {"staff": row.staff_id, "duty": duty, "when": when}
            out.append(Violation("T5", "unavailable_duty", (row.staff_id, duty), params))
        if row.staff_id in view.away[0]:
            params = {"staff": row.staff_id, "duty": duty}
            out.append(Violation("T5", "on_leave_duty", (row.staff_id, duty), params))
    return _dedupe(out)


def check_time(view: PlanView, work: dict[str, list[Commitment]]) -> list[Violation]:
    """T5: nobody in two places at once (same or overlapping slots; an all-day duty clashes with
    nothing), and periods per day and per week within ``max_periods_day``/``max_periods_week``."""
    out: list[Violation] = []
    for staff_id, items in sorted(work.items()):
        timed = sorted((c for c in items if c.slot is not None), key=lambda c: c.label)
        for i, first in enumerate(timed):
            for second in timed[i + 1 :]:
                assert first.slot is not None and second.slot is not None
                if derive.at_once(first.slot, second.slot):
                    params = {"staff": staff_id, "first": first.label, "second": second.label}
                    out.append(Violation("T5", "two_places_staff", (staff_id, first.label, second.label), params))
        staff = view.scenario.staff_by_id.get(staff_id)
        if staff is None:
            continue
        per_day: dict[str, float] = defaultdict(float)
        for c in items:
            per_day[c.day] += c.periods
        if staff.max_periods_day is not None:
            for day, n in sorted(per_day.items()):
                if n > staff.max_periods_day + TOLERANCE:
                    params = {"staff": staff_id, "day": day, "n": _num(n), "limit": _num(staff.max_periods_day)}
                    out.append(Violation("T5", "periods_day", (staff_id, day), params))
        week = sum(per_day.values())
        if staff.max_periods_week is not None and week > staff.max_periods_week + TOLERANCE:
            params = {"staff": staff_id, "n": _num(week), "limit": _num(staff.max_periods_week)}
            out.append(Violation("T5", "periods_week", (staff_id,), params))
    return out


def check_load(view: PlanView, work: dict[str, list[Commitment]]) -> list[Violation]:
    """M3: staff_load.csv ``periods_week`` equals what the plan's groups and duties credit
    (tolerance 1e-6; a blank cell reads 0; a person crediting nothing may be left out)."""
    out: list[Violation] = []
    listed_load: dict[str, float] = {}
    for row in view.plan.staff_load:
        listed_load.setdefault(row.staff_id, row.periods_week or 0.0)
    for staff_id in sorted(set(work) | set(listed_load)):
        if staff_id not in view.scenario.staff_by_id:
            continue  # F2
        actual = sum(c.periods for c in work.get(staff_id, ()))
        if staff_id not in listed_load:
            if actual > TOLERANCE:
                out.append(Violation("M3", "load_missing", (staff_id,), {"staff": staff_id, "actual": _num(actual)}))
        elif abs(listed_load[staff_id] - actual) > TOLERANCE:
            params = {"staff": staff_id, "listed": _num(listed_load[staff_id]), "actual": _num(actual)}
            out.append(Violation("M3", "load_mismatch", (staff_id,), params))
    return out


def _dedupe(items: list[Violation]) -> list[Violation]:
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    out = []
    for v in items:
        key = (v.rule, v.code, v.ids)
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out
