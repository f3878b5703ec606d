"""Group rules: G4 sizes, H4 allowed slots, G5 sessions/sections/minimum, G3 care groups mix grades
at most ``max_grade_span`` apart (every version), and at term start G1 (a class of ≥ merge_threshold
keeps its own care group, a class that fits is not split needlessly) and G3's threshold part (grades
mix only when one is too small to stand alone)."""

from __future__ import annotations

from collections import Counter, defaultdict

from cluster_planner.check import derive
from cluster_planner.check.plan_files import GroupRow
from cluster_planner.check.view import PlanView
from cluster_planner.check.violation import Violation, listed
from cluster_planner.i18n import register

register(
    {
        "check.size_column": (
            "组 {group} 在 {slot}：size 列为 {listed}，实际安排了 {actual} 名学生；应为 {actual}",
            "group {group} at {slot}: size says {listed}, but {actual} students are placed; it should say {actual}",
        ),
        "check.group_too_large": (
            "组 {group} 在 {slot} 有 {size} 名学生；最多 {cap} 名",
            "group {group} on {slot} has {size} students; at most {cap} allowed",
        ),
        "check.slot_not_allowed": (
            "组 {group}（{activity}）在 {slot} 上课，但该活动只能安排在 {allowed}",
            "group {group} of {activity} meets at {slot}, which the activity may not use (allowed: {allowed})",
        ),
        "check.sessions": (
            "组 {group}（{activity}）每周上课 {n} 次；应为 {wanted} 次",
            "group {group} of {activity} meets {n} times a week; {wanted} wanted",
        ),
        "check.too_many_groups": (
            "{activity} 开设了 {n} 个组（{groups}）；最多 {limit} 个",
            "{activity} runs {n} groups ({groups}); at most {limit} allowed",
        ),
        "check.below_min_size": (
            "组 {group}（{activity}）学期初只有 {size} 名学生；至少 {min_size} 名才能开设",
            "group {group} of {activity} has {size} students at term start; at least {min_size} needed to open",
        ),
        "check.big_class_merged": (
            "{class_id} 班在 {slot} 有 {n} 名学生参加托管（≥ {threshold}），却与 {others} 同在组 {group}；"
            "{threshold} 人及以上的班应单独成组",
            "class {class_id} has {n} students in care at {slot} (≥ {threshold}) but shares group {group} with "
            "{others}; a class of {threshold} or more should have a care group of its own",
        ),
        "check.class_split": (
            "{class_id} 班在 {slot} 的 {n} 名托管学生被分到 {groups}；{group} 可以容纳全部，应在同一组",
            "class {class_id} ({n} students in care at {slot}) is split across {groups}; they should stay "
            "together in {group}, which could hold them all",
        ),
        "check.grade_span": (
            "托管组 {group} 在 {slot} 混合了 {grades} 年级；相差最多 {span} 个年级",
            "care group {group} at {slot} mixes grades {grades}; at most {span} apart allowed",
        ),
        "check.needless_grade_mix": (
            "托管组 {group} 在 {slot} 混合了 {grades} 年级，但各年级此时托管人数都不少于 {threshold}；"
            "只有人数不足 {threshold} 的年级才应混编",
            "care group {group} at {slot} mixes grades {grades}, though each has at least {threshold} students "
            "in care then; grades should mix only when one has fewer",
        ),
    }
)


def check_groups(view: PlanView) -> list[Violation]:
    """All group rules (G4, H4, G5, the G3 grade span on every version, and at term start G1, the rest
    of G3 and min_size)."""
    out = check_sizes(view) + check_slots(view) + check_sections(view) + check_grade_span(view)
    if view.plan.at_term_start:
        out += check_min_size(view) + check_care_merging(view)
    return out


def care_meetings(view: PlanView) -> dict[str, list[GroupRow]]:
    """The care meetings held at each slot id."""
    out: dict[str, list[GroupRow]] = {}
    for slot_id, meetings in view.meetings_at.items():
        care = [m for m in meetings if (a := view.activity(m)) is not None and derive.is_care(a)]
        if care:
            out[slot_id] = care
    return out


def check_grade_span(view: PlanView) -> list[Violation]:
    """G3 on every version (FORMAT.md: the grade span binds always): the grades of the students in a
    care group at a slot lie at most ``max_grade_span`` apart."""
    out: list[Violation] = []
    rules = view.scenario.school.rules
    for slot_id, care in care_meetings(view).items():
        for m in care:
            members = [s for s in view.members.get((m.group_id, slot_id), ()) if s in view.approved]
            grades = sorted({g for s in members if (g := view.grade(s)) is not None})
            if len(grades) > 1 and grades[-1] - grades[0] > rules.max_grade_span:
                params = {"group": m.group_id, "slot": slot_id, "grades": listed(grades), "span": rules.max_grade_span}
                out.append(Violation("G3", "grade_span", (m.group_id, slot_id), params))
    return out


def check_sizes(view: PlanView) -> list[Violation]:
    """G4: the ``size`` cell equals the students placed; no meeting above ``min(max_size, group_cap)``."""
    out: list[Violation] = []
    rules = view.scenario.school.rules
    for (gid, slot_id), meeting in view.meetings.items():
        size = view.size(meeting)
        if meeting.size is not None and meeting.size != size:
            params = {"group": gid, "slot": slot_id, "listed": meeting.size, "actual": size}
            out.append(Violation("G4", "size_column", (gid, slot_id), params))
        activity = view.activity(meeting)
        if activity is not None and size > (cap := derive.size_cap(rules, activity)):
            out.append(
                Violation(
                    "G4", "group_too_large", (gid, slot_id), {"group": gid, "slot": slot_id, "size": size, "cap": cap}
                )
            )
    return out


def check_slots(view: PlanView) -> list[Violation]:
    """H4: each meeting is at a slot its activity may use."""
    out: list[Violation] = []
    for (gid, slot_id), meeting in view.meetings.items():
        activity, slot = view.activity(meeting), view.slot(slot_id)
        if activity is None or slot is None or derive.activity_admits(activity, slot):
            continue
        allowed = listed(activity.slots) if activity.slots else "club"
        params = {"group": gid, "activity": activity.activity_id, "slot": slot_id, "allowed": allowed}
        out.append(Violation("H4", "slot_not_allowed", (gid, slot_id), params))
    return out


def check_sections(view: PlanView) -> list[Violation]:
    """G5: each group of a chosen activity meets ``sessions_per_week`` times; at most ``max_groups`` groups."""
    out: list[Violation] = []
    groups_of_activity: dict[str, list[str]] = defaultdict(list)
    for gid, meetings in view.meetings_of_group.items():
        activity = view.activity(meetings[0])
        if activity is None or not derive.is_chosen(activity):
            continue
        groups_of_activity[activity.activity_id].append(gid)
        if len(meetings) != activity.sessions_per_week:
            params = {
                "group": gid,
                "activity": activity.activity_id,
                "n": len(meetings),
                "wanted": activity.sessions_per_week,
            }
            out.append(Violation("G5", "sessions", (gid,), params))
    for activity_id, groups in groups_of_activity.items():
        limit = view.scenario.activity_by_id[activity_id].max_groups
        if len(groups) > limit:
            params = {"activity": activity_id, "n": len(groups), "groups": listed(groups), "limit": limit}
            out.append(Violation("G5", "too_many_groups", (activity_id,), params))
    return out


def check_min_size(view: PlanView) -> list[Violation]:
    """G5 (term start): a group opens only with ``min_size`` students (its largest meeting counts)."""
    out: list[Violation] = []
    for gid, meetings in view.meetings_of_group.items():
        activity = view.activity(meetings[0])
        if activity is None:
            continue
        size = max(view.size(m) for m in meetings)
        if size < activity.min_size:
            params = {"group": gid, "activity": activity.activity_id, "size": size, "min_size": activity.min_size}
            out.append(Violation("G5", "below_min_size", (gid,), params))
    return out


def check_care_merging(view: PlanView) -> list[Violation]:
    """G1 and the threshold part of G3 for care groups at term start, slot by slot.

    G1: a class with ≥ ``merge_threshold`` students in care at a slot shares no care group with
    another class; a class that fits in one group is not split when one of its groups could take
    the rest of the class within the size cap, its room's capacity and its adults' ratio.
    G3: grades are mixed in a care group only when some grade in it has fewer than
    ``merge_threshold`` students in care at that slot (a conservative stand-in for G2, which this
    checker does not check exactly). The span itself is :func:`check_grade_span`.
    Priority students (S2) may join any group that has a place: S2 wins over keeping a class or a
    grade apart, so another class or grade present only through priority students breaks neither.
    """
    out: list[Violation] = []
    rules = view.scenario.school.rules
    for slot_id, care in care_meetings(view).items():
        by_class: dict[str, Counter[str]] = defaultdict(Counter)  # class -> group -> students
        in_care: dict[str, set[str]] = defaultdict(set)  # class -> students in care at the slot
        students_of: dict[str, list[str]] = {}
        for m in care:
            members = [s for s in view.members.get((m.group_id, slot_id), ()) if s in view.approved]
            students_of[m.group_id] = members
            for s in members:
                by_class[view.class_of(s) or ""][m.group_id] += 1
                in_care[view.class_of(s) or ""].add(s)
        per_grade: Counter[int] = Counter()
        for class_id, students in in_care.items():
            home = view.scenario.class_by_id.get(class_id)
            if home is not None:
                per_grade[home.grade] += len(students)
        for m in care:
            members = students_of[m.group_id]
            classes = Counter(view.class_of(s) or "" for s in members)
            ordinary = {view.class_of(s) or "" for s in members if not view.is_priority(s)}
            for class_id in sorted(classes):
                n = len(in_care[class_id])
                others = sorted(ordinary - {class_id})
                if n >= rules.merge_threshold and others:
                    params = {
                        "class_id": class_id,
                        "n": n,
                        "slot": slot_id,
                        "threshold": rules.merge_threshold,
                        "group": m.group_id,
                        "others": listed(others),
                    }
                    out.append(Violation("G1", "big_class_merged", (class_id, m.group_id, slot_id), params))
            grades = sorted({g for s in members if (g := view.grade(s)) is not None and not view.is_priority(s)})
            if len(grades) > 1 and all(per_grade[g] >= rules.merge_threshold for g in grades):
                params = {
                    "group": m.group_id,
                    "slot": slot_id,
                    "grades": listed(grades),
                    "threshold": rules.merge_threshold,
                }
                out.append(Violation("G3", "needless_grade_mix", (m.group_id, slot_id), params))
        by_id = {m.group_id: m for m in care}
        merging = _Merging(view, students_of, in_care, per_grade)
        for class_id, groups in sorted(by_class.items()):
            if len(groups) > 1 and (host := _could_hold_class(view, slot_id, class_id, groups, by_id, merging)):
                params = {
                    "class_id": class_id,
                    "n": sum(groups.values()),
                    "slot": slot_id,
                    "groups": listed(sorted(groups)),
                    "group": host,
                }
                out.append(Violation("G1", "class_split", (class_id, slot_id), params))
    return out


class _Merging:
    """G1 and G3's threshold at one slot, asked of a group that would take a class whole."""

    def __init__(
        self,
        view: PlanView,
        students_of: dict[str, list[str]],
        in_care: dict[str, set[str]],
        per_grade: Counter[int],
    ) -> None:
        self.view, self.students_of, self.in_care, self.per_grade = view, students_of, in_care, per_grade
        self.threshold = view.scenario.school.rules.merge_threshold

    def allows(self, gid: str, class_id: str) -> bool:
        """True if the class's students joining group ``gid`` whole keeps G1 and G3's threshold there."""
        view = self.view
        members = self.students_of[gid]
        classes = {view.class_of(s) or "" for s in members} | {class_id}
        moving_ordinary = any(not view.is_priority(s) for s in self.in_care[class_id])
        ordinary = {view.class_of(s) or "" for s in members if not view.is_priority(s)}
        ordinary |= {class_id} if moving_ordinary else set()
        for c in classes:
            if len(self.in_care[c]) >= self.threshold and ordinary - {c}:
                return False
        grades = {g for s in members if (g := view.grade(s)) is not None and not view.is_priority(s)}
        home = view.scenario.class_by_id.get(class_id)
        if moving_ordinary and home is not None:
            grades.add(home.grade)
        return not (len(grades) > 1 and all(self.per_grade[g] >= self.threshold for g in grades))


def _could_hold_class(
    view: PlanView,
    slot_id: str,
    class_id: str,
    groups: Counter[str],
    by_id: dict[str, GroupRow],
    merging: _Merging,
) -> str | None:
    """A group of ``groups`` that could take all of the class, or None (then the split may be
    needed): within its cap, its adults' ratio and its room, and without breaking G1 or G3's
    threshold there (a class at the threshold in it keeps to itself)."""
    rules = view.scenario.school.rules
    total = sum(groups.values())
    for gid in sorted(groups):
        meeting = by_id[gid]
        if not merging.allows(gid, class_id):
            continue
        activity = view.activity(meeting)
        if activity is None:
            continue
        new_size = view.size(meeting) + total - groups[gid]
        if total > derive.size_cap(rules, activity) or new_size > derive.size_cap(rules, activity):
            continue
        if len(set(meeting.staff_ids)) < derive.adults_needed(new_size, rules.ratio):
            continue
        room = view.scenario.room_by_id.get(meeting.room_id)
        if room is None:
            continue
        load = sum(view.size(m) for m in view.concurrent(slot_id) if m.room_id == room.room_id)
        if load + total - groups[gid] > room.capacity:
            continue
        return gid
    return None
