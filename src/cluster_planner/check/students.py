"""Student rules: S1 coverage, C2, S3, S4, S5, S6 choices, A1 whole groups, L1 locks,
S7/P1 where a student stands (class activity first, then a granted activity, then care)."""

from __future__ import annotations

from collections import defaultdict

from cluster_planner.check import derive
from cluster_planner.check.plan_files import ASSIGNMENTS, DUTY_ROSTER, GROUPS, UNPLACED
from cluster_planner.check.view import PlanView
from cluster_planner.check.violation import Violation, listed
from cluster_planner.domain.entities import ActivityKind
from cluster_planner.domain.values import try_parse_day
from cluster_planner.i18n import register

register(
    {
        "check.not_approved": (
            "学生 {student} 的状态为 {status}，却出现在方案中；只安排已核准的学生",
            "student {student} is in the plan but their status is {status}; only approved students are planned",
        ),
        "check.not_applied": (
            "学生 {student} 被安排在 {slot}，但未申请该时段；只应安排在申请的时段",
            "student {student} is placed at {slot}, which they did not apply for; students should be placed "
            "only at slots they applied for",
        ),
        "check.unplaced_not_service": (
            "学生 {student} 在 {slot} 被列为未安排，但未申请该时段；只应列出申请的时段",
            "student {student} is listed as unplaced at {slot}, which they did not apply for; only slots they "
            "applied for should be listed",
        ),
        "check.missing": (
            "学生 {student} 在 {slot} 既未安排，也未列入未安排名单；每个服务时段应在 assignments.csv 或 "
            "unplaced.csv 中出现一次",
            "student {student} is neither placed nor listed as unplaced at {slot}; each service slot should be "
            "in assignments.csv or unplaced.csv once",
        ),
        "check.placed_and_unplaced": (
            "学生 {student} 在 {slot} 既已安排又被列为未安排；应只列其一",
            "student {student} at {slot} is both placed and listed as unplaced; it should be one or the other",
        ),
        "check.listed_twice": (
            "学生 {student} 在 {slot} 于 {file} 中出现 {n} 次；每名学生每个时段应只列一次",
            "student {student} at {slot} is listed {n} times in {file}; each student should be listed once per slot",
        ),
        "check.no_reason": (
            "学生 {student} 在 {slot} 未安排，却没有写明原因；unplaced.csv 应写明原因",
            "student {student} is unplaced at {slot} without a reason; unplaced.csv should say why",
        ),
        "check.two_places": (
            "学生 {student} 在 {slot} 同时在 {groups}；同一时间应只在一处",
            "student {student} is in {groups} at once at {slot}; a student should be in one place at a time",
        ),
        "check.group_not_meeting": (
            "学生 {student} 在 {slot} 被安排到组 {group}，但该组此时不上课；学生应在此时上课的组里",
            "student {student} is placed in group {group} at {slot}, but that group does not meet then; a "
            "student should be in a group meeting at that slot",
        ),
        "check.day_mismatch": (
            "{file} 第{row}行：时段 {slot} 在 {slot_day}，不是 {day}；星期应为 {slot_day}",
            "{file} row {row}: slot {slot} is on {slot_day}, not {day}; the day should be {slot_day}",
        ),
        "check.not_eligible": (
            "学生 {student}（{grade}年级）在 {slot} 参加 {activity}，该活动只面向 {grades} 年级",
            "student {student} (grade {grade}) is in {activity} at {slot}, which is only for grades {grades}",
        ),
        "check.too_much_tutoring": (
            "学生 {student} 在 {day} 有 {n} 次作业辅导；最多 {limit} 次",
            "student {student} has {n} tutoring meetings on {day}; at most {limit} allowed",
        ),
        "check.not_chosen": (
            "学生 {student} 被安排了 {activity}，但它不在其志愿中；自选活动应是学生的志愿之一",
            "student {student} is given {activity}, which is not among their choices; a chosen activity should "
            "be one of them",
        ),
        "check.wrong_rank": (
            "学生 {student} 在 {slot}：choice_rank 为「{rank}」，但 {activity} 是其第 {expected} 志愿；应为 {expected}",
            "student {student} at {slot}: choice_rank is '{rank}', but {activity} is their choice {expected}; "
            "it should be {expected}",
        ),
        "check.rank_on_default": (
            "学生 {student} 在 {slot}：{activity} 不是自选活动，choice_rank 应为空（现为 {rank}）",
            "student {student} at {slot}: choice_rank {rank} is given for {activity}, which is not a chosen "
            "activity; it should be blank",
        ),
        "check.too_many_activities": (
            "学生 {student} 获得 {n} 个自选活动（{activities}）；最多 {limit} 个",
            "student {student} is given {n} chosen activities ({activities}); at most {limit} allowed",
        ),
        "check.two_groups_one_activity": (
            "学生 {student} 在 {activity} 的 {n} 个组（{groups}）中；每个活动应只在一个组",
            "student {student} is in {n} groups of {activity} ({groups}); a student should be in one group per "
            "activity",
        ),
        "check.meeting_outside_service": (
            "学生 {student} 参加组 {group}，该组也在 {slot} 上课，而该生未申请此时段；"
            "所在组的每次活动都应在其申请的时段",
            "student {student} takes group {group}, which also meets at {slot}, a slot they did not apply for; "
            "every meeting of their group should be at a slot they applied for",
        ),
        "check.missed_meeting": (
            "学生 {student} 参加组 {group}，却不在其 {slot} 的活动中；应参加该组的每次活动",
            "student {student} takes group {group} but is not in it at its meeting at {slot}; they should "
            "attend every meeting of it",
        ),
        "check.lock_broken": (
            "学生 {student} 已被承诺参加 {activity}（locks.csv），但既未安排也未列入未安排名单；锁定应兑现或在 "
            "unplaced.csv 中说明",
            "student {student} is promised {activity} (locks.csv) but neither has it nor is listed as "
            "unplaced; a lock should be kept or explained in unplaced.csv",
        ),
        "check.class_elsewhere": (
            "学生 {student}（{class_id} 班）在 {slot} 应参加班级活动 {activity}，却在 {group}",
            "student {student} of class {class_id} should be in class activity {activity} at {slot} but is in {group}",
        ),
        "check.class_unplaced": (
            "学生 {student}（{class_id} 班）在 {slot} 应参加班级活动 {activity}，却被列为未安排",
            "student {student} of class {class_id} should be in class activity {activity} at {slot} but is unplaced",
        ),
        "check.class_group_mixed": (
            "班级活动组 {group} 在 {slot} 混合了多个班级（{classes}）；每个班级活动组应只有一个班",
            "class activity group {group} at {slot} holds classes {classes}; a class activity group should "
            "hold one class",
        ),
        "check.other_class_group": (
            "学生 {student}（{class_id} 班）在 {slot} 被安排到 {classes} 班的班级活动组 {group}；"
            "只有这些班的学生应在其中",
            "student {student} of class {class_id} is in group {group} at {slot}, a class activity of "
            "{classes}; only those classes should be in it",
        ),
    }
)


def check_students(view: PlanView) -> list[Violation]:
    """All student rules (S1, C2, S3, S4, S5, S6, A1, L1, S7, P1)."""
    out: list[Violation] = []
    out += check_coverage(view)
    out += check_days(view)
    out += check_placements(view)
    out += check_where_students_stand(view)
    out += check_chosen_activities(view)
    out += check_tutoring(view)
    out += check_locks(view)
    return out


def check_coverage(view: PlanView) -> list[Violation]:
    """S1: every approved student × service slot appears exactly once in assignments.csv or
    unplaced.csv, each unplaced row with a reason. C2: nobody else is planned, and nobody is
    placed at a slot they did not apply for."""
    sc = view.scenario
    out: list[Violation] = []
    seen: set[str] = set()
    for row in (*view.plan.assignments, *view.plan.unplaced):
        student = sc.student_by_id.get(row.student_id)
        if student and row.student_id not in view.approved and row.student_id not in seen:
            seen.add(row.student_id)
            params = {"student": row.student_id, "status": student.status.value}
            out.append(Violation("C2", "not_approved", (row.student_id,), params))
    for a in view.plan.assignments:
        if a.student_id in view.approved and a.slot_id in sc.slot_by_id and a.slot_id not in view.service[a.student_id]:
            out.append(
                Violation("C2", "not_applied", (a.student_id, a.slot_id), {"student": a.student_id, "slot": a.slot_id})
            )
    for u in view.plan.unplaced:
        ids = (u.student_id, u.slot_id)
        if u.student_id in view.approved and u.slot_id in sc.slot_by_id and u.slot_id not in view.service[u.student_id]:
            out.append(Violation("S1", "unplaced_not_service", ids, {"student": u.student_id, "slot": u.slot_id}))
        if u.student_id in view.approved and not u.reason.strip():
            out.append(Violation("S1", "no_reason", ids, {"student": u.student_id, "slot": u.slot_id}))
    for sid, slots in view.service.items():
        for slot_id in sorted(slots):
            placed = view.placed.get((sid, slot_id), [])
            unplaced = view.unplaced.get((sid, slot_id), [])
            params = {"student": sid, "slot": slot_id}
            if not placed and not unplaced:
                out.append(Violation("S1", "missing", (sid, slot_id), params))
            elif placed and unplaced:
                out.append(Violation("S1", "placed_and_unplaced", (sid, slot_id), params))
            groups = list(dict.fromkeys(a.group_id for a in placed))
            if len(groups) > 1:
                out.append(Violation("S3", "two_places", (sid, slot_id, *groups), {**params, "groups": listed(groups)}))
            elif len(placed) > 1:
                out.append(
                    Violation("S1", "listed_twice", (sid, slot_id), {**params, "n": len(placed), "file": ASSIGNMENTS})
                )
            if len(unplaced) > 1:
                out.append(
                    Violation("S1", "listed_twice", (sid, slot_id), {**params, "n": len(unplaced), "file": UNPLACED})
                )
    return out


def check_days(view: PlanView) -> list[Violation]:
    """S3 (assignments) and F3 (other files): a row's day is the day of its slot."""
    out: list[Violation] = []
    rows = (
        [(ASSIGNMENTS, "S3", a) for a in view.plan.assignments]
        + [(GROUPS, "F3", g) for g in view.plan.groups]
        + [(UNPLACED, "F3", u) for u in view.plan.unplaced]
        + [(DUTY_ROSTER, "F3", d) for d in view.plan.duty_roster]
    )
    for file, rule, row in rows:
        slot = view.slot(row.slot_id)
        if slot is None or try_parse_day(row.day) is None or row.day == slot.day.value:
            continue  # unknown slot or unreadable day: F2
        params = {"file": file, "row": row.row, "slot": slot.slot_id, "slot_day": slot.day.value, "day": row.day}
        out.append(Violation(rule, "day_mismatch", (file, str(row.row), slot.slot_id), params))
    return out


def check_placements(view: PlanView) -> list[Violation]:
    """S3: an assignment's group meets at its slot. S4: the group's activity is open to the student's grade."""
    out: list[Violation] = []
    for a in view.plan.assignments:
        if a.student_id not in view.approved or view.slot(a.slot_id) is None:
            continue
        if a.group_id not in view.meetings_of_group:
            continue  # unknown group: F2
        meeting = view.meetings.get((a.group_id, a.slot_id))
        params = {"student": a.student_id, "slot": a.slot_id, "group": a.group_id}
        if meeting is None:
            out.append(Violation("S3", "group_not_meeting", (a.student_id, a.group_id, a.slot_id), params))
            continue
        activity = view.activity(meeting)
        grade = view.grade(a.student_id)
        if activity is not None and not derive.open_to(activity, grade):
            params = {
                "student": a.student_id,
                "grade": grade,
                "activity": activity.activity_id,
                "slot": a.slot_id,
                "grades": listed(sorted(activity.grades)),
            }
            out.append(Violation("S4", "not_eligible", (a.student_id, activity.activity_id, a.slot_id), params))
    return out


def check_where_students_stand(view: PlanView) -> list[Violation]:
    """FORMAT "where a student stands": at a service slot where a class activity of the student's
    class meets, the student is in it (S7); a class activity group holds one class (S7); nobody
    stands in another class's class activity (P1). The granted-activity and care parts of the
    rule are A1 and S4. A student of the class listed as unplaced (S1) is a violation only when
    the class's groups at that slot had room for every such classmate (below their size cap,
    their adults × ratio and their rooms' capacity):
    a class split in two whose second group found no adult may leave that half unplaced."""
    out: list[Violation] = []
    class_meetings: dict[tuple[str, str], list[str]] = defaultdict(list)  # (class, slot) -> group ids
    for (gid, slot_id), meeting in view.meetings.items():
        activity = view.activity(meeting)
        if activity is None or not derive.is_class(activity):
            continue
        classes = view.classes(meeting)
        for class_id in classes:
            class_meetings[(class_id, slot_id)].append(gid)
        student_classes = {c for s in view.members.get((gid, slot_id), ()) if (c := view.class_of(s))}
        if len(classes | student_classes) > 1:
            params = {"group": gid, "slot": slot_id, "classes": listed(sorted(classes | student_classes))}
            out.append(Violation("S7", "class_group_mixed", (gid, slot_id), params))
    spare: dict[tuple[str, str], int] = {}
    for (class_id, slot_id), gids in class_meetings.items():
        room = 0
        for gid in gids:
            meeting = view.meetings[(gid, slot_id)]
            activity = view.activity(meeting)
            if activity is None:
                continue
            rules = view.scenario.school.rules
            limit = min(derive.size_cap(rules, activity), rules.ratio * len(meeting.staff_ids))  # G4, T4
            for rid in (meeting.room_id, meeting.rain_room_id):
                where = view.scenario.room_by_id.get(rid) if rid else None
                if where is not None:
                    limit = min(limit, where.capacity)  # R1
            room += max(0, limit - view.size(meeting))
        spare[(class_id, slot_id)] = room
    left_out: dict[tuple[str, str], int] = defaultdict(int)
    for sid, slots in view.service.items():
        for slot_id in slots:
            if not view.placed.get((sid, slot_id)) and view.unplaced.get((sid, slot_id)):
                left_out[(view.class_of(sid) or "", slot_id)] += 1
    for sid, slots in view.service.items():
        class_id = view.class_of(sid) or ""
        for slot_id in sorted(slots):
            placed = [a.group_id for a in view.placed.get((sid, slot_id), [])]
            expected = class_meetings.get((class_id, slot_id), [])
            if expected:
                if any(g in expected for g in placed):
                    continue
                acts = listed(dict.fromkeys(a.activity_id for g in expected if (a := view.group_activity(g))))
                params = {"student": sid, "class_id": class_id, "activity": acts, "slot": slot_id}
                if placed:
                    out.append(Violation("S7", "class_elsewhere", (sid, slot_id), {**params, "group": listed(placed)}))
                elif view.unplaced.get((sid, slot_id)) and left_out[(class_id, slot_id)] <= spare[(class_id, slot_id)]:
                    out.append(Violation("S7", "class_unplaced", (sid, slot_id), params))
                continue
            for gid in placed:
                meeting = view.meetings.get((gid, slot_id))
                activity = view.activity(meeting) if meeting else None
                if activity is not None and derive.is_class(activity):
                    params = {
                        "student": sid,
                        "class_id": class_id,
                        "group": gid,
                        "slot": slot_id,
                        "classes": listed(sorted(view.classes(meeting))),
                    }
                    out.append(Violation("P1", "other_class_group", (sid, gid, slot_id), params))
    return out


def check_chosen_activities(view: PlanView) -> list[Violation]:
    """S6: a chosen activity is one of the student's choices, ``choice_rank`` is its column
    (blank for care and class activities), at most ``activities_per_student`` chosen activities.
    A1: a student in a group of a chosen activity is in it at every meeting, each a service slot,
    and in one group per activity."""
    sc = view.scenario
    limit = sc.school.rules.activities_per_student
    out: list[Violation] = []
    for a in view.plan.assignments:
        student = view.approved.get(a.student_id)
        meeting = view.meetings.get((a.group_id, a.slot_id))
        activity = view.activity(meeting) if meeting else None
        if student is None or activity is None or (a.rank_text and a.choice_rank is None):
            continue
        params = {"student": a.student_id, "slot": a.slot_id, "activity": activity.activity_id, "rank": a.rank_text}
        ids = (a.student_id, activity.activity_id, a.slot_id)
        if derive.is_chosen(activity):
            ranks = derive.choice_ranks(student, activity.activity_id)
            if ranks and a.choice_rank not in ranks:
                out.append(Violation("S6", "wrong_rank", ids, {**params, "expected": listed(ranks)}))
        elif a.rank_text:
            out.append(Violation("S6", "rank_on_default", ids, params))
    for sid, student in view.approved.items():
        by_activity: dict[str, list[str]] = defaultdict(list)
        for gid in view.granted(sid):
            activity = view.group_activity(gid)
            assert activity is not None
            by_activity[activity.activity_id].append(gid)
            for meeting in view.meetings_of_group[gid]:
                params = {"student": sid, "group": gid, "slot": meeting.slot_id}
                ids = (sid, gid, meeting.slot_id)
                if meeting.slot_id not in view.service[sid]:
                    out.append(Violation("A1", "meeting_outside_service", ids, params))
                elif gid not in {a.group_id for a in view.placed.get((sid, meeting.slot_id), [])}:
                    out.append(Violation("A1", "missed_meeting", ids, params))
        for activity_id, groups in by_activity.items():
            if not derive.choice_ranks(student, activity_id):
                out.append(Violation("S6", "not_chosen", (sid, activity_id), {"student": sid, "activity": activity_id}))
            if len(groups) > 1:
                params = {"student": sid, "activity": activity_id, "n": len(groups), "groups": listed(groups)}
                out.append(Violation("A1", "two_groups_one_activity", (sid, activity_id), params))
        if len(by_activity) > limit:
            params = {"student": sid, "n": len(by_activity), "activities": listed(by_activity), "limit": limit}
            out.append(Violation("S6", "too_many_activities", (sid,), params))
    return out


def check_tutoring(view: PlanView) -> list[Violation]:
    """S5: at most ``max_tutoring_per_day`` meetings of tutoring-kind activities per student per day."""
    limit = view.scenario.school.rules.max_tutoring_per_day
    count: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for a in view.plan.assignments:
        meeting = view.meetings.get((a.group_id, a.slot_id))
        activity = view.activity(meeting) if meeting else None
        slot = view.slot(a.slot_id)
        if a.student_id in view.approved and slot and activity and activity.kind == ActivityKind.TUTORING:
            count[(a.student_id, slot.day.value)].add((a.group_id, a.slot_id))
    return [
        Violation("S5", "too_much_tutoring", (sid, day), {"student": sid, "day": day, "n": len(m), "limit": limit})
        for (sid, day), m in count.items()
        if len(m) > limit
    ]


def check_locks(view: PlanView) -> list[Violation]:
    """L1: a locked (student, activity) is in the plan, or the student is listed in unplaced.csv with a reason."""
    out: list[Violation] = []
    for lock in view.scenario.locks:
        if lock.student_id not in view.approved:
            continue
        has = any(
            (act := view.group_activity(gid)) is not None and act.activity_id == lock.activity_id
            for gid in view.groups_of_student.get(lock.student_id, ())
        )
        explained = any(u.student_id == lock.student_id and u.reason.strip() for u in view.plan.unplaced)
        if not has and not explained:
            params = {"student": lock.student_id, "activity": lock.activity_id}
            out.append(Violation("L1", "lock_broken", (lock.student_id, lock.activity_id), params))
    return out
