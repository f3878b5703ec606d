"""The checker's own reading of FORMAT.md's derived notions.

Written from FORMAT.md alone, on purpose apart from :class:`Scenario`'s derived helpers
(``service_slots``, ``activity_slots``, ``care_activity_of_grade`` …) so that a bug there is
caught here rather than copied. Only plain id lookups of the scenario are used.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta

from cluster_planner.domain.entities import (
    Activity,
    ActivityKind,
    ActivityMode,
    Change,
    SlotKind,
    Student,
    Timeslot,
)
from cluster_planner.domain.scenario import Scenario
from cluster_planner.domain.school import Rules, School
from cluster_planner.domain.values import Day, minutes, try_parse_day

#: FORMAT.md students.csv ``services``: blank = the afternoon service.
DEFAULT_SERVICES = ("care", "club", "tutoring")

#: Slot kinds a family may name in ``services`` (English or Chinese words).
SERVICE_KIND_WORDS = {
    "care": "care", "托管": "care", "看护": "care",
    "club": "club", "社团": "club",
    "tutoring": "tutoring", "作业辅导": "tutoring", "辅导": "tutoring",
    "morning": "morning", "早间": "morning", "早晨": "morning",
    "noon": "noon", "午间": "noon", "中午": "noon",
    "evening_study": "evening_study", "晚自习": "evening_study",
}  # fmt: skip


def student_grade(scenario: Scenario, student: Student) -> int | None:
    """The grade of the student's home class (None when the class is unknown)."""
    home = scenario.class_by_id.get(student.class_id)
    return home.grade if home else None


def is_priority(scenario: Scenario, student: Student) -> bool:
    """S2: a student of a priority group (any ``priority`` category) or of a grade in ``priority_grades``."""
    return bool(student.priority) or student_grade(scenario, student) in scenario.school.rules.priority_grades


def service_slots(scenario: Scenario, student: Student) -> frozenset[str]:
    """S1: the student's service slots.

    The slots named by id in ``services``, plus the slots on an applied day (blank = every
    day that has a slot) whose kind is named in ``services`` (blank = care club tutoring) and
    whose ``grades`` (blank = all) include the student's grade.
    """
    tokens = student.services or DEFAULT_SERVICES
    kinds = {SERVICE_KIND_WORDS.get(t.lower(), SERVICE_KIND_WORDS.get(t, t.lower())) for t in tokens}
    named = set(tokens)
    days = set(student.days) or {slot.day for slot in scenario.timeslots}
    grade = student_grade(scenario, student)
    return frozenset(
        slot.slot_id
        for slot in scenario.timeslots
        if slot.slot_id in named
        or (slot.day in days and slot.kind.value in kinds and (not slot.grades or grade in slot.grades))
    )


def tokens_admit(tokens: Iterable[str], slot: Timeslot) -> bool:
    """A list of slot ids or days (``available``, ``slots``) includes ``slot``; blank = every slot."""
    tokens = tuple(tokens)
    return not tokens or any(t == slot.slot_id or try_parse_day(t) == slot.day for t in tokens)


def tokens_admit_day(tokens: Iterable[str], day: Day, slots: Iterable[Timeslot]) -> bool:
    """``available`` includes some part of ``day``: blank, the day itself, or a slot id on it."""
    tokens = tuple(tokens)
    if not tokens:
        return True
    ids_on_day = {s.slot_id for s in slots if s.day == day}
    return any(try_parse_day(t) == day or t in ids_on_day for t in tokens)


def activity_admits(activity: Activity, slot: Timeslot) -> bool:
    """H4: the activity may meet at ``slot``.

    Its ``slots`` tokens name slot ids or days (a day admits every slot of that day); blank
    means any slot of kind ``club``, and for a care activity any slot.
    """
    if not activity.slots:
        return is_care(activity) or slot.kind == SlotKind.CLUB
    return tokens_admit(activity.slots, slot)


def is_class(activity: Activity) -> bool:
    """A class activity (mode ``class``): every eligible home class attends as a whole."""
    return activity.mode == ActivityMode.CLASS


def is_care(activity: Activity) -> bool:
    """A care activity (kind ``care``): the default place of a student."""
    return activity.kind == ActivityKind.CARE and not is_class(activity)


def is_chosen(activity: Activity) -> bool:
    """A chosen activity: allocated by ranked choices (mode ``choice``, not care)."""
    return not is_class(activity) and not is_care(activity)


def open_to(activity: Activity, grade: int | None) -> bool:
    """S4: the activity's grades (blank = every grade) include ``grade``."""
    return not activity.grades or grade in activity.grades


def size_cap(rules: Rules, activity: Activity) -> int:
    """G4: the hard size of one group, ``min(max_size, group_cap)``."""
    return min(activity.max_size, rules.group_cap) if activity.max_size else rules.group_cap


def adults_needed(size: int, ratio: int) -> int:
    """T4: ``max(1, ceil(size / ratio))`` adults per meeting."""
    return max(1, math.ceil(size / ratio))


def choice_ranks(student: Student, activity_id: str) -> tuple[int, ...]:
    """The column positions (1…5) at which ``activity_id`` stands among the student's choices."""
    cols = (student.choice1, student.choice2, student.choice3, student.choice4, student.choice5)
    return tuple(i for i, a in enumerate(cols, start=1) if a and a == activity_id)


def _clocks(slot: Timeslot) -> tuple[tuple[int, int], tuple[int, int]]:
    autumn = (minutes(slot.start), minutes(slot.end))
    if slot.summer_start and slot.summer_end:
        return autumn, (minutes(slot.summer_start), minutes(slot.summer_end))
    return autumn, autumn


def at_once(a: Timeslot, b: Timeslot) -> bool:
    """T5/R1: the two slots are the same or overlap in time on the same day, in either season."""
    if a.slot_id == b.slot_id:
        return True
    if a.day != b.day:
        return False
    return any(x0 < y1 and y0 < x1 for (x0, x1), (y0, y1) in zip(_clocks(a), _clocks(b), strict=True))


def away_on(changes: Iterable[Change], day: date) -> tuple[frozenset[str], frozenset[str]]:
    """(staff on leave, rooms closed) on ``day`` by FORMAT.md changes.csv: a ``staff_leave``
    (``room_closed``) row holds from ``date`` through ``until`` (inclusive; blank = open-ended)
    unless a ``staff_return`` (``room_open``) row dated after it and on or before ``day`` ends it."""
    ends = {"staff_leave": "staff_return", "room_closed": "room_open"}
    away: set[tuple[str, str]] = set()
    for action, ender in ends.items():
        for row in changes:
            if row.action.value != action or not (row.date <= day and (row.until is None or day <= row.until)):
                continue
            ended = any(c.action.value == ender and c.id == row.id and row.date <= c.date <= day for c in changes)
            if not ended:
                away.add((action, row.id))
    return (
        frozenset(i for a, i in away if a == "staff_leave"),
        frozenset(i for a, i in away if a == "room_closed"),
    )


def dates_by_day(school: School) -> dict[str, int]:
    """M3: how many service dates of the term fall on each weekday: every date from ``term_start`` to
    ``term_end`` (inclusive) that is not one of the ``holidays`` (FORMAT.md school.toml)."""
    assert school.term_start is not None and school.term_end is not None
    holidays = set(school.holidays)
    counts: Counter[str] = Counter()
    day = school.term_start
    while day <= school.term_end:
        if day not in holidays:
            counts[list(Day)[day.weekday()].value] += 1
        day += timedelta(days=1)
    return dict(counts)
