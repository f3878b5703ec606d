"""S7 for students who joined mid-term, on every version (FORMAT.md: "a joiner whose class's group
has room joins it").

A joiner is a student with a ``join`` row in the scenario's changes or in the plan's snapshot
(``scenario/changes.csv``). At each of their service slots where no class activity of their class
meets and no granted chosen activity holds them, they stand in care; their class's group there is
a care group, open to their grade, that holds a classmate. When such a group has a place left
(:meth:`PlanView.spare`: size cap, adults × ratio, room capacity) the joiner is in one of those
groups: placing them in another group, or leaving them unplaced, breaks S7.
"""

from __future__ import annotations

from cluster_planner.check import derive
from cluster_planner.check.groups import care_meetings
from cluster_planner.check.plan_files import GroupRow
from cluster_planner.check.view import PlanView
from cluster_planner.check.violation import Violation, listed
from cluster_planner.i18n import register

register(
    {
        "check.joiner_elsewhere": (
            "中途加入的学生 {student}（{class_id} 班）在 {slot} 被安排到 {group}；本班所在的托管组 {host} 尚有空位，"
            "应加入该组",
            "student {student} joined mid-term and is placed in {group} at {slot}; their class {class_id}'s care "
            "group {host} has room, so they should join it",
        ),
        "check.joiner_unplaced": (
            "中途加入的学生 {student}（{class_id} 班）在 {slot} 未安排；本班所在的托管组 {host} 尚有空位，应加入该组",
            "student {student} joined mid-term and is unplaced at {slot}; their class {class_id}'s care group "
            "{host} has room, so they should join it",
        ),
    }
)


def check_joiners(view: PlanView) -> list[Violation]:
    """S7: a joiner whose class's care group has a place is in it (every version)."""
    out: list[Violation] = []
    care = care_meetings(view)
    class_activity_at = _class_activity_slots(view)
    for sid in sorted(view.joiners):
        student = view.approved.get(sid)
        if student is None:
            continue
        class_id, grade = student.class_id, view.grade(sid)
        granted = set(view.granted(sid))
        for slot_id in sorted(view.service[sid]):
            if (class_id, slot_id) in class_activity_at:
                continue  # their place is the class activity (S7 in students.py)
            placed = list(dict.fromkeys(a.group_id for a in view.placed.get((sid, slot_id), [])))
            if granted & set(placed):
                continue  # a granted chosen activity comes before care
            homes = [m for m in care.get(slot_id, ()) if _holds_classmate(view, m, sid, class_id, grade)]
            if not homes or any(m.group_id in placed for m in homes):
                continue
            host = next((m for m in sorted(homes, key=lambda m: m.group_id) if view.spare(m) > 0), None)
            if host is None:
                continue
            params = {"student": sid, "class_id": class_id, "slot": slot_id, "host": host.group_id}
            if placed:
                out.append(Violation("S7", "joiner_elsewhere", (sid, slot_id), {**params, "group": listed(placed)}))
            elif view.unplaced.get((sid, slot_id)):
                out.append(Violation("S7", "joiner_unplaced", (sid, slot_id), params))
    return out


def _class_activity_slots(view: PlanView) -> set[tuple[str, str]]:
    """(class, slot) pairs where a class activity of that class meets."""
    out: set[tuple[str, str]] = set()
    for (_, slot_id), meeting in view.meetings.items():
        activity = view.activity(meeting)
        if activity is not None and derive.is_class(activity):
            out.update((class_id, slot_id) for class_id in view.classes(meeting))
    return out


def _holds_classmate(view: PlanView, meeting: GroupRow, sid: str, class_id: str, grade: int | None) -> bool:
    """The care meeting is open to the joiner's grade and holds another student of their class."""
    activity = view.activity(meeting)
    if activity is None or not derive.open_to(activity, grade):
        return False
    members = view.members.get((meeting.group_id, meeting.slot_id), ())
    return any(s != sid and s in view.approved and view.class_of(s) == class_id for s in members)
