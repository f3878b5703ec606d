"""Who may lead a group or hold a duty, and when (T1, T2, T3, T5, T6)."""

from __future__ import annotations

from collections.abc import Iterable

from cluster_planner.domain.entities import Activity, DutyPost, Staff, StaffKind, Timeslot, slot_tokens_match
from cluster_planner.domain.values import Day

#: T1: people from outside the school's own staff; they lead only where no own adult is free.
OUTSIDE_KINDS = frozenset({StaffKind.EXTERNAL, StaffKind.VOLUNTEER, StaffKind.SECURITY})
#: Kinds who lead a group whose activity names no skill (care, homework supervision). A security
#: guard leads only a group whose activity names a skill he has.
GROUP_LEADING_KINDS = frozenset({StaffKind.TEACHER, StaffKind.LEADER, StaffKind.EXTERNAL, StaffKind.VOLUNTEER})


def is_cleared(person: Staff) -> bool:
    """T2: passed the background check; teachers and leaders are cleared by employment unless marked no."""
    if person.kind in (StaffKind.TEACHER, StaffKind.LEADER):
        return person.background_check is not False
    return person.background_check is True


def check_failed(person: Staff) -> bool:
    """T2 (十严禁 6-7): the background check is marked no (failed, or a record the school knows of)."""
    return person.background_check is False


def never_checked(person: Staff) -> bool:
    """T2 (十严禁 8): no background check recorded (blank)."""
    return person.background_check is None


def is_outside(person: Staff) -> bool:
    """T1: an external person, a volunteer or a security guard (not the school's own teachers or leaders)."""
    return person.kind in OUTSIDE_KINDS


def qualified_for(person: Staff, activity: Activity) -> bool:
    """T3: one of the activity's skills; an activity naming none is led by any group-leading kind."""
    if activity.skill:
        return bool(activity.skill & person.skills)
    return person.kind in GROUP_LEADING_KINDS


def week_limit(person: Staff) -> float | None:
    """T5: periods a week the person may work (None: no limit)."""
    return person.max_periods_week


def day_limit(person: Staff) -> float | None:
    """T5: periods a day the person may work (None: no limit)."""
    return person.max_periods_day


def has_hours(person: Staff, periods: float) -> bool:
    """T5: one meeting or post crediting ``periods`` fits the person's daily and weekly limits."""
    return all(limit is None or periods <= limit + 1e-9 for limit in (week_limit(person), day_limit(person)))


def available_at(person: Staff, slot: Timeslot) -> bool:
    """T5: the person's ``available`` list includes the slot (blank: always)."""
    return slot_tokens_match(person.available, slot)


def may_lead(person: Staff, activity: Activity, slot: Timeslot | None = None) -> bool:
    """T2 + T3 (+ T5 when a slot is given): cleared, qualified, and free to work then with the hours for it."""
    if not (is_cleared(person) and qualified_for(person, activity)):
        return False
    if slot is None:
        return not (week_limit(person) == 0 or day_limit(person) == 0)
    return available_at(person, slot) and has_hours(person, slot.periods)


def available_on_day(person: Staff, day: Day, slots: Iterable[Timeslot]) -> bool:
    """T5 for an all-day post: the person is available at some slot of the day, or the day is named."""
    if not person.available:
        return True
    on_day = [s for s in slots if s.day == day]
    if any(available_at(person, s) for s in on_day):
        return True
    return not on_day and any(t.lower() == day.value.lower() for t in person.available)


def may_hold_duty(person: Staff, post: DutyPost, slots: Iterable[Timeslot]) -> bool:
    """T6 (+ T2, T5): of the post's kind, cleared, available then and with the hours for it."""
    if person.kind != post.kind or not is_cleared(person) or not has_hours(person, post.periods):
        return False
    slots = tuple(slots)
    if post.slot_id:
        slot = next((s for s in slots if s.slot_id == post.slot_id), None)
        return slot is not None and available_at(person, slot)
    return available_on_day(person, post.day, slots)
