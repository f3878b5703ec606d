"""F2 unknown ids and F3 plan rows that disagree with each other."""

from __future__ import annotations

from collections import defaultdict

from cluster_planner.check.plan_files import ASSIGNMENTS, DUTY_ROSTER, GROUPS, STAFF_LOAD, UNPLACED
from cluster_planner.check.view import PlanView
from cluster_planner.check.violation import Violation, listed
from cluster_planner.i18n import register

register(
    {
        "check.unknown_student": (
            "{file} 第{row}行：学生「{value}」不在场景中；应为 students.csv 中的学号",
            "{file} row {row}: student '{value}' is not in the scenario; expected a student_id of students.csv",
        ),
        "check.unknown_group": (
            "{file} 第{row}行：groups.csv 中没有组「{value}」；应为 groups.csv 中的组编号",
            "{file} row {row}: group '{value}' is not in groups.csv; expected a group_id of groups.csv",
        ),
        "check.unknown_activity": (
            "{file} 第{row}行：活动「{value}」不在场景中；应为 activities.csv 中的活动编号",
            "{file} row {row}: activity '{value}' is not in the scenario; expected an activity_id of activities.csv",
        ),
        "check.unknown_slot": (
            "{file} 第{row}行：时段「{value}」不在场景中；应为 timeslots.csv 中的时段编号",
            "{file} row {row}: slot '{value}' is not in the scenario; expected a slot_id of timeslots.csv",
        ),
        "check.unknown_room": (
            "{file} 第{row}行：场地「{value}」不在场景中；应为 rooms.csv 中的场地编号",
            "{file} row {row}: room '{value}' is not in the scenario; expected a room_id of rooms.csv",
        ),
        "check.unknown_staff": (
            "{file} 第{row}行：教职工「{value}」不在场景中；应为 staff.csv 中的工号",
            "{file} row {row}: staff member '{value}' is not in the scenario; expected a staff_id of staff.csv",
        ),
        "check.unknown_class": (
            "{file} 第{row}行：班级「{value}」不在场景中；应为 classes.csv 中的班级编号",
            "{file} row {row}: class '{value}' is not in the scenario; expected a class_id of classes.csv",
        ),
        "check.duplicate_meeting": (
            "groups.csv 第{rows}行重复列出组 {group} 在 {slot} 的活动；每次活动应只有一行",
            "groups.csv rows {rows} list group {group} at {slot} more than once; each meeting should have one row",
        ),
        "check.group_activities_differ": (
            "组 {group} 列出了多个活动（{activities}）；一个组应只属于一个活动",
            "group {group} is listed with activities {activities}; a group should belong to one activity",
        ),
        "check.classes_column": (
            "组 {group} 在 {slot} 列出班级 {listed}，却有 {actual} 班的学生；class_ids 应列出组内所有班级",
            "group {group} at {slot} lists classes {listed} but holds students of {actual}; class_ids should "
            "list every class in it",
        ),
        "check.grades_column": (
            "组 {group} 在 {slot} 列出年级 {listed}，却有 {actual} 年级的学生；grades 应列出组内所有年级",
            "group {group} at {slot} lists grades {listed} but holds students of grades {actual}; grades "
            "should list every grade in it",
        ),
        "check.duplicate_duty": (
            "duty_roster.csv 第{rows}行重复列出 {staff} 担任 {duty}；每名值班人应只有一行",
            "duty_roster.csv rows {rows} list {staff} on duty {duty} more than once; each holder should have one row",
        ),
        "check.duplicate_load": (
            "staff_load.csv 第{rows}行重复列出 {staff}；每人应只有一行",
            "staff_load.csv rows {rows} list {staff} more than once; each person should have one row",
        ),
    }
)


def check_references(view: PlanView) -> list[Violation]:
    """F2: every id a plan file names exists (student, group, activity, slot, room, staff, class)."""
    sc = view.scenario
    out: list[Violation] = []

    def need(kind: str, file: str, row: int, value: str, known: object) -> None:
        if value and value not in known:  # type: ignore[operator]
            out.append(Violation("F2", f"unknown_{kind}", (value,), {"file": file, "row": row, "value": value}))

    group_ids = {g.group_id for g in view.plan.groups}
    for g in view.plan.groups:
        need("activity", GROUPS, g.row, g.activity_id, sc.activity_by_id)
        need("slot", GROUPS, g.row, g.slot_id, sc.slot_by_id)
        need("room", GROUPS, g.row, g.room_id, sc.room_by_id)
        need("room", GROUPS, g.row, g.rain_room_id, sc.room_by_id)
        for staff_id in g.staff_ids:
            need("staff", GROUPS, g.row, staff_id, sc.staff_by_id)
        for class_id in g.class_ids:
            need("class", GROUPS, g.row, class_id, sc.class_by_id)
    for a in view.plan.assignments:
        need("student", ASSIGNMENTS, a.row, a.student_id, sc.student_by_id)
        need("slot", ASSIGNMENTS, a.row, a.slot_id, sc.slot_by_id)
        need("group", ASSIGNMENTS, a.row, a.group_id, group_ids)
    for u in view.plan.unplaced:
        need("student", UNPLACED, u.row, u.student_id, sc.student_by_id)
        need("slot", UNPLACED, u.row, u.slot_id, sc.slot_by_id)
    for load in view.plan.staff_load:
        need("staff", STAFF_LOAD, load.row, load.staff_id, sc.staff_by_id)
    for d in view.plan.duty_roster:
        need("staff", DUTY_ROSTER, d.row, d.staff_id, sc.staff_by_id)
        need("slot", DUTY_ROSTER, d.row, d.slot_id, sc.slot_by_id)
    return out


def check_consistency(view: PlanView) -> list[Violation]:
    """F3: groups.csv lists each meeting once, one activity per group, and its ``class_ids``
    and ``grades`` cells cover the students placed in it; staff_load.csv lists each person once and
    duty_roster.csv each holder of a post once."""
    out: list[Violation] = []
    rows: dict[tuple[str, str], list[int]] = defaultdict(list)
    activities: dict[str, dict[str, None]] = defaultdict(dict)
    for g in view.plan.groups:
        if g.group_id and g.slot_id:
            rows[(g.group_id, g.slot_id)].append(g.row)
        if g.group_id:
            activities[g.group_id][g.activity_id] = None
    for (gid, slot_id), where in rows.items():
        if len(where) > 1:
            out.append(
                Violation(
                    "F3", "duplicate_meeting", (gid, slot_id), {"group": gid, "slot": slot_id, "rows": listed(where)}
                )
            )
    for gid, acts in activities.items():
        if len(acts) > 1:
            out.append(Violation("F3", "group_activities_differ", (gid,), {"group": gid, "activities": listed(acts)}))
    for key, meeting in view.meetings.items():
        students = [s for s in view.members.get(key, ()) if s in view.scenario.student_by_id]
        if meeting.class_ids:
            actual = sorted({c for s in students if (c := view.class_of(s))} - set(meeting.class_ids))
            if actual:
                params = {
                    "group": key[0],
                    "slot": key[1],
                    "listed": listed(meeting.class_ids),
                    "actual": listed(actual),
                }
                out.append(Violation("F3", "classes_column", key, params))
        if meeting.grades:
            grades = sorted({g for s in students if (g := view.grade(s)) is not None} - set(meeting.grades))
            if grades:
                params = {
                    "group": key[0],
                    "slot": key[1],
                    "listed": listed(sorted(meeting.grades)),
                    "actual": listed(grades),
                }
                out.append(Violation("F3", "grades_column", key, params))
    load_rows: dict[str, list[int]] = defaultdict(list)
    for load in view.plan.staff_load:
        if load.staff_id:
            load_rows[load.staff_id].append(load.row)
    for staff_id, where in load_rows.items():
        if len(where) > 1:
            out.append(Violation("F3", "duplicate_load", (staff_id,), {"staff": staff_id, "rows": listed(where)}))
    duty_rows: dict[tuple[str, str, str, str], list[int]] = defaultdict(list)
    for d in view.plan.duty_roster:
        duty_rows[(d.day, d.slot_id, d.post.strip().lower(), d.staff_id)].append(d.row)
    for (day, slot_id, post, staff_id), where in duty_rows.items():
        if len(where) > 1:
            duty = f"{post}@{day}" + (f"@{slot_id}" if slot_id else "")
            params = {"staff": staff_id, "duty": duty, "rows": listed(where)}
            out.append(Violation("F3", "duplicate_duty", (staff_id, duty), params))
    return out
