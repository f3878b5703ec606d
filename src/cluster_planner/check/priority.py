"""S2 priority served first, across grades and in care, on every version.

A priority student (a ``priority`` category, or a grade in ``rules.priority_grades``) listed as
unplaced at one of their service slots breaks S2 when a student without priority holds a place
at that slot that the priority student could take:

- where a class activity of their class meets then, a place in that class's group (FORMAT.md:
  that is where they stand);
- otherwise a place in a care group whose activity is open to their grade, when the grades of
  the group's priority students and theirs lie within ``max_grade_span`` (the group's students
  without priority may all give way: S2 comes before every other student, S6 level 1);
- or a place in a group of a chosen activity open to their grade that they ranked, when every
  meeting of that group is one of their service slots where they stand in care or are unplaced,
  they have fewer chosen activities than ``activities_per_student``, and a tutoring group would
  not give them more tutoring meetings that day than ``max_tutoring_per_day`` (S5).

The place taken keeps the group's adults, room and activity, so T2–T5, R1 and G4 are unchanged.
A student holding a lock on the group's activity (L1) does not give way.
"""

from __future__ import annotations

from collections import defaultdict

from cluster_planner.check import derive
from cluster_planner.check.plan_files import GroupRow
from cluster_planner.check.view import PlanView
from cluster_planner.check.violation import Violation
from cluster_planner.domain.entities import ActivityKind, Student
from cluster_planner.i18n import register

register(
    {
        "check.priority_unplaced": (
            "优先学生 {student} 在 {slot} 未安排，而非优先学生 {other} 占着组 {group} 的名额；"
            "名额不足时应先安排优先学生",
            "priority student {student} is unplaced at {slot} while {other}, who has no priority, holds a place "
            "in group {group} that they could take; priority students should be served first",
        ),
    }
)


def check_priority(view: PlanView) -> list[Violation]:
    """S2: no priority student unplaced while a student without priority holds a place they could take."""
    out: list[Violation] = []
    locked = {(lock.student_id, lock.activity_id) for lock in view.scenario.locks}
    class_meetings: dict[tuple[str, str], list[GroupRow]] = defaultdict(list)
    for (_, slot_id), meeting in sorted(view.meetings.items()):
        activity = view.activity(meeting)
        if activity is not None and derive.is_class(activity):
            for class_id in view.classes(meeting):
                class_meetings[(class_id, slot_id)].append(meeting)
    for sid, student in sorted(view.approved.items()):
        if not view.is_priority(sid):
            continue
        for slot_id in sorted(view.service[sid]):
            if view.placed.get((sid, slot_id)) or not view.unplaced.get((sid, slot_id)):
                continue  # placed, or missing altogether (S1)
            own_class = class_meetings.get((student.class_id, slot_id))
            candidates = own_class or [m for m in view.meetings_at.get(slot_id, ()) if _could_stand(view, m, student)]
            for meeting in sorted(candidates, key=lambda m: m.group_id):
                other = _gives_way(view, meeting, student, locked)
                if other is not None:
                    params = {"student": sid, "slot": slot_id, "other": other, "group": meeting.group_id}
                    out.append(Violation("S2", "priority_unplaced", (sid, slot_id), params))
                    break
    return out


def _could_stand(view: PlanView, meeting: GroupRow, student: Student) -> bool:
    """The priority student could stand in this meeting (care open to them, or a chosen activity they ranked)."""
    activity = view.activity(meeting)
    sid = student.student_id
    if activity is None or not derive.open_to(activity, view.grade(sid)):
        return False
    if derive.is_care(activity):
        return _span_allows(view, meeting, sid)
    if not derive.is_chosen(activity) or not derive.choice_ranks(student, activity.activity_id):
        return False
    if activity.activity_id in _activity_ids(view, view.granted(sid)):
        return False  # they have that activity already, in another group (A1: one group per activity)
    return _could_join_group(view, meeting.group_id, sid, activity.kind == ActivityKind.TUTORING)


def _span_allows(view: PlanView, meeting: GroupRow, sid: str) -> bool:
    """G3: the grades of the meeting's priority students and the newcomer's lie within the span."""
    members = view.members.get((meeting.group_id, meeting.slot_id), ())
    grades = {g for s in (*members, sid) if (s == sid or view.is_priority(s)) and (g := view.grade(s)) is not None}
    return not grades or max(grades) - min(grades) <= view.scenario.school.rules.max_grade_span


def _could_join_group(view: PlanView, group_id: str, sid: str, tutoring: bool) -> bool:
    """A1/S6/S5: the student could attend every meeting of a chosen group without giving up anything."""
    rules = view.scenario.school.rules
    if len(dict.fromkeys(_activity_ids(view, view.granted(sid)))) >= rules.activities_per_student:
        return False
    for meeting in view.meetings_of_group.get(group_id, ()):
        if meeting.slot_id not in view.service[sid]:
            return False
        for a in view.placed.get((sid, meeting.slot_id), []):
            held = view.meetings.get((a.group_id, meeting.slot_id))
            activity = view.activity(held) if held else None
            if activity is None or not derive.is_care(activity):
                return False  # a class activity or another chosen group holds them then
        if tutoring and _tutoring_that_day(view, sid, meeting.slot_id) >= rules.max_tutoring_per_day:
            return False
    return True


def _activity_ids(view: PlanView, group_ids: list[str]) -> list[str]:
    return [a.activity_id for g in group_ids if (a := view.group_activity(g)) is not None]


def _tutoring_that_day(view: PlanView, sid: str, slot_id: str) -> int:
    """The student's tutoring meetings on the day of ``slot_id`` (S5)."""
    slot = view.slot(slot_id)
    if slot is None:
        return 0
    count = 0
    for other in view.scenario.timeslots:
        if other.day != slot.day:
            continue
        for a in view.placed.get((sid, other.slot_id), []):
            held = view.meetings.get((a.group_id, other.slot_id))
            activity = view.activity(held) if held else None
            if activity is not None and activity.kind == ActivityKind.TUTORING:
                count += 1
    return count


def _gives_way(view: PlanView, meeting: GroupRow, student: Student, locked: set[tuple[str, str]]) -> str | None:
    """A student without priority in the meeting whose place the priority student could take, or None."""
    activity = view.activity(meeting)
    if activity is None:
        return None
    for other in sorted(view.members.get((meeting.group_id, meeting.slot_id), ())):
        if other == student.student_id or other not in view.approved or view.is_priority(other):
            continue
        if (other, activity.activity_id) in locked:
            continue
        return other
    return None
