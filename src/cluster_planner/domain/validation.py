"""Checks between entities: ids, references, time rules, and warnings before planning.

:func:`validate` returns findings classified as FORMAT.md "Findings and exit codes": errors
mean the scenario cannot be planned as it stands, warnings that planning goes on. Each
finding names the canonical file, the entity's row and the column. Checks that read a
table whose loading failed (``incomplete``) are skipped, so one bad file does not flood
the report with consequences.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import time
from itertools import combinations
from typing import Any

from cluster_planner import rules
from cluster_planner.domain.entities import (
    AFTERNOON_KINDS,
    Activity,
    ActivityKind,
    ActivityMode,
    ChangeAction,
    Frozen,
    SlotKind,
    StudentStatus,
    Timeslot,
)
from cluster_planner.domain.scenario import Scenario
from cluster_planner.domain.school import Level, Season
from cluster_planner.domain.values import Day, format_grades, minutes, try_parse_day
from cluster_planner.findings import Finding, Severity, Term
from cluster_planner.i18n import register
from cluster_planner.vocabulary import subject_teaching_word

FILE_NAMES = {
    "school": "school.toml",
    "timeslots": "timeslots.csv",
    "classes": "classes.csv",
    "students": "students.csv",
    "activities": "activities.csv",
    "staff": "staff.csv",
    "rooms": "rooms.csv",
    "duties": "duties.csv",
    "locks": "locks.csv",
    "changes": "changes.csv",
}
"""Canonical file of each table; a loader maps them to the names the user gave."""

MAX_IDS = 10
"""Ids named in an "expected" text, then "…"."""


register(
    {
        "finding.duplicate_id": ("编号重复（第{first}行已用过）", "duplicate id (already used on row {first})"),
        "finding.unknown_class": ("班级编号不在班级表中", "no such class in classes"),
        "finding.unknown_staff": ("工号不在教职工表中", "no such staff member in staff"),
        "finding.unknown_room": ("场地编号不在场地表中", "no such room in rooms"),
        "finding.unknown_activity": ("活动编号不在活动表中", "no such activity in activities"),
        "finding.unknown_student": ("学号不在学生表中", "no such student in students"),
        "finding.unknown_slot": ("时段编号不在时段表中", "no such slot in timeslots"),
        "finding.unknown_slot_or_day": (
            "「{token}」既不是时段编号也不是星期",
            "'{token}' is neither a slot id nor a day",
        ),
        "finding.unknown_service": (
            "「{token}」既不是时段类型也不是时段编号",
            "'{token}' is neither a slot kind nor a slot id",
        ),
        "finding.duty_slot_other_day": (
            "时段 {slot} 在{slot_day}，不在{day}",
            "slot {slot} is on {slot_day}, not {day}",
        ),
        "finding.slot_ends_before_start": ("时段结束不晚于开始", "the slot does not end after it starts"),
        "finding.summer_half": (
            "夏季时间只填了一半，已忽略（请同时填写夏季开始和夏季结束）",
            "only one summer time given; ignored (give both summer_start and summer_end)",
        ),
        "finding.slot_overlap": (
            "与时段 {other} 在{day}时间重叠（{season}），两者都供 {grades} 年级使用",
            "overlaps slot {other} on {day} ({season}); both are used by grade(s) {grades}",
        ),
        "finding.slot_after_latest_end": (
            "结束时间 {end} 晚于 {grades} 年级的最晚结束时间 {limit}（{season}，H1）",
            "ends at {end}, after the latest end {limit} for grade(s) {grades} ({season}, H1)",
        ),
        "finding.evening_after_latest_end": (
            "晚自习结束时间 {end} 晚于 {limit}（{season}，H2）",
            "evening study ends at {end}, after {limit} ({season}, H2)",
        ),
        "finding.evening_too_long": (
            "晚自习时长 {hours} 小时，超过 {limit} 小时（H2）",
            "evening study lasts {hours} h, more than {limit} h (H2)",
        ),
        "finding.daily_hours_below": (
            "{day} {grades} 年级课后服务共 {hours} 小时，少于每日最少 {limit} 小时（{season}）",
            "{day}: grade(s) {grades} get {hours} h of service, below min_daily_hours {limit} ({season})",
        ),
        "finding.daily_hours_above": (
            "{day} {grades} 年级课后服务共 {hours} 小时，超过每日最多 {limit} 小时（{season}）",
            "{day}: grade(s) {grades} get {hours} h of service, above max_daily_hours {limit} ({season})",
        ),
        "finding.ends_before_earliest": (
            "{day} {grades} 年级服务在 {end} 结束，早于最早结束时间 {limit}（{season}）",
            "{day}: service for grade(s) {grades} ends at {end}, before earliest_end {limit} ({season})",
        ),
        "finding.min_above_max": ("最少人数 {min} 大于最多人数 {max}", "min_size {min} is above max_size {max}"),
        "finding.until_before_date": ("截止日期早于生效日期", "until is before the change's date"),
        "finding.join_without_class": (
            "新加入的学生需要填写班级编号",
            "a join of a new student needs a class_id",
        ),
        "finding.choice_not_open": (
            "活动 {activity} 不对 {grade} 年级开放，该志愿将被忽略",
            "activity {activity} is not open to grade {grade}; this choice is ignored",
        ),
        "finding.choice_class_activity": (
            "活动 {activity} 以班为单位，无需填报志愿；该志愿将被忽略",
            "activity {activity} is taken by whole classes and needs no choice; this choice is ignored",
        ),
        "finding.choice_repeated": ("活动 {activity} 重复填报，已忽略", "activity {activity} chosen twice; ignored"),
        "finding.no_cleared_skill": (
            "没有通过背景审查且具备所需技能（{skills}）的教职工，该活动不会开设（T2/T3）",
            "no cleared staff member has a needed skill ({skills}); the activity will not open (T2/T3)",
        ),
        "finding.no_room_type": (
            "没有所需类型（{types}）的场地，该活动不会开设",
            "no room of a needed type ({types}); the activity will not open",
        ),
        "finding.no_rain_room": (
            "室外活动没有可容纳 {size} 人的室内场地作雨天备用（R2）",
            "outdoor activity has no indoor room for {size} as a rainy-day fallback (R2)",
        ),
        "finding.fee_above_cap": (
            "费用 {fee} 超过核定上限 {cap}（M1）",
            "fee {fee} is above the approved cap {cap} (M1)",
        ),
        "finding.subject_teaching": (
            "活动名称含「{word}」，像是学科教学，课后服务不得上新课、补课或竞赛培训（C1）",
            "the name contains '{word}': it looks like subject teaching, which the service may not offer (C1)",
        ),
        "finding.org_cleared_without_org": (
            "填写了机构审核，但没有填写承办机构",
            "org_cleared is given but the activity names no organisation (org)",
        ),
        "expect.org_for_clearance": ("同一行的承办机构（org）", "the organisation (org) on the same row"),
        "finding.no_place": (
            "{grade} 年级没有托管活动，也没有以班为单位或可选的活动，该学生无处安排",
            "grade {grade} has no care activity, no class activity and no open choice: the student has no place",
        ),
        "finding.duty_short": (
            "{kind} 类别中通过审查的教职工只有 {have} 人，岗位需要 {count} 人",
            "only {have} cleared staff of kind {kind}, the post needs {count}",
        ),
        **{f"validation.day.{d.value}": (f"周{'一二三四五六日'[d.index]}", d.value) for d in Day},
        # what was expected instead ({table}: the file as the user named it; {ids}: the first ids in it)
        "expect.unique_id": ("本文件中未用过的编号", "an id not used before in this file"),
        "expect.class_id": ("{table} 中的班级编号之一：{ids}", "one of the class ids in {table}: {ids}"),
        "expect.staff_id": ("{table} 中的工号之一：{ids}", "one of the staff ids in {table}: {ids}"),
        "expect.room_id": ("{table} 中的场地编号之一：{ids}", "one of the room ids in {table}: {ids}"),
        "expect.activity_id": ("{table} 中的活动编号之一：{ids}", "one of the activity ids in {table}: {ids}"),
        "expect.student_id": ("{table} 中的学号之一：{ids}", "one of the student ids in {table}: {ids}"),
        "expect.slot_id": ("{table} 中的时段编号之一：{ids}", "one of the slot ids in {table}: {ids}"),
        "expect.slot_or_day": (
            "{table} 中的时段编号（{ids}）或星期（Mon…Sun、周一…周日）",
            "a slot id of {table} ({ids}) or a day (Mon…Sun, 周一…周日)",
        ),
        "expect.service": (
            "时段类型（{kinds}）或 {table} 中的时段编号（{ids}）",
            "a slot kind ({kinds}) or a slot id of {table} ({ids})",
        ),
        "expect.slot_on_day": ("{day}的时段", "a slot on {day}"),
        "expect.end_after_start": ("晚于开始时间 {start} 的结束时间", "an end after the start {start}"),
        "expect.both_summer": ("夏季开始和夏季结束都填，或都不填", "both summer_start and summer_end, or neither"),
        "expect.no_overlap": (
            "与时段 {other}（{other_start}–{other_end}）不重叠，或两者供不同年级使用",
            "no overlap with slot {other} ({other_start}–{other_end}), or the two for different grades",
        ),
        "expect.end_by": ("不晚于 {limit} 结束", "an end no later than {limit}"),
        "expect.evening_hours": ("不超过 {limit} 小时", "at most {limit} h"),
        "expect.min_daily_hours": (
            "每天至少 {limit} 小时（school.toml 中的 rules.min_daily_hours）",
            "at least {limit} h a day (rules.min_daily_hours in school.toml)",
        ),
        "expect.max_daily_hours": (
            "每天至多 {limit} 小时（school.toml 中的 rules.max_daily_hours）",
            "at most {limit} h a day (rules.max_daily_hours in school.toml)",
        ),
        "expect.end_not_before": (
            "不早于 {limit} 结束（school.toml 中的 rules.earliest_end）",
            "an end no earlier than {limit} (rules.earliest_end in school.toml)",
        ),
        "expect.min_size": ("不大于最多人数 {max} 的数", "a number of at most max_size {max}"),
        "expect.until": ("不早于生效日期 {date} 的日期", "a date no earlier than the change's date {date}"),
        "expect.choice_once": ("每项活动只填一次", "each activity once"),
        "expect.choice_activity": (
            "以志愿报名的活动（mode 为 choice）",
            "an activity chosen by students (mode choice)",
        ),
        "expect.open_to_grade": ("对 {grade} 年级开放的活动", "an activity open to grade {grade}"),
        "expect.cleared_skill": (
            "至少一名通过背景审查、具备 {skills} 技能的教职工",
            "a cleared staff member with skill {skills}",
        ),
        "expect.room_type": ("至少一个类型为 {types} 的场地", "a room of type {types}"),
        "expect.rain_room": ("一个可容纳 {size} 人的室内场地", "an indoor room for {size}"),
        "expect.duty_staff": (
            "至少 {count} 名通过审查的{kind}",
            "at least {count} cleared staff of kind {kind}",
        ),
        "expect.fee_cap": ("不超过 {cap}", "at most {cap}"),
        "expect.no_subject_teaching": (
            "不是学科教学的活动（如体育、艺术、科技、阅读、托管）",
            "an activity that is not subject teaching (sports, arts, science, reading, care …)",
        ),
        "expect.place_for_grade": (
            "为 {grade} 年级开设的托管、以班为单位或可选的活动",
            "a care, class or open activity for grade {grade}",
        ),
        "season.summer": ("夏季时间", "summer clocks"),
        "season.autumn_winter": ("秋冬季时间", "autumn/winter clocks"),
    }
)


@dataclass(frozen=True)
class _Ctx:
    """What every check reads: the scenario and the tables that failed to load."""

    scenario: Scenario
    incomplete: frozenset[str]

    def complete(self, *keys: str) -> bool:
        """True if every table in ``keys`` loaded fully (references into it can be checked)."""
        return not self.incomplete.intersection(keys)


def _finding(
    severity: Severity,
    code: str,
    key: str,
    entity: Frozen | None,
    column: str = "",
    value: Any = "",
    *,
    expected: str,
    **params: Any,
) -> Finding:
    return Finding(
        severity,
        code,
        file=FILE_NAMES[key],
        row=(entity.row or None) if entity is not None else None,
        column=column,
        value="" if value is None else str(value),
        expected=expected,
        params=params,
    )


def _error(
    code: str, key: str, entity: Frozen | None, column: str = "", value: Any = "", *, expected: str, **params: Any
) -> Finding:
    return _finding(Severity.ERROR, code, key, entity, column, value, expected=expected, **params)


def _warning(
    code: str, key: str, entity: Frozen | None, column: str = "", value: Any = "", *, expected: str, **params: Any
) -> Finding:
    return _finding(Severity.WARNING, code, key, entity, column, value, expected=expected, **params)


def _ids(ids: Iterable[str]) -> str:
    """The first :data:`MAX_IDS` ids, in file order, for an "expected" text: ``A1, A2, …``."""
    listed = list(ids)
    return ", ".join(listed[:MAX_IDS]) + (", …" if len(listed) > MAX_IDS else "")


def _one_of(key: str, ids: Iterable[str]) -> dict[str, str]:
    """The parameters of an "expected" text naming ``key``'s file and its ids (``{table}``, ``{ids}``)."""
    return {"table": FILE_NAMES[key], "ids": _ids(ids)}


def _clock(t: time) -> str:
    return t.strftime("%H:%M")


def _day(day: Day) -> Term:
    return Term(f"validation.day.{day.value}")


def _hours(value: float) -> str:
    return f"{value:g}"


# ---- ids and references ------------------------------------------------------------------
_ID_COLUMNS = {
    "timeslots": "slot_id",
    "classes": "class_id",
    "students": "student_id",
    "activities": "activity_id",
    "staff": "staff_id",
    "rooms": "room_id",
}


def _duplicate_ids(ctx: _Ctx) -> Iterator[Finding]:
    for key, column in _ID_COLUMNS.items():
        first: dict[str, int] = {}
        for entity in getattr(ctx.scenario, key):
            ident = getattr(entity, column)
            if ident in first:
                yield _error(
                    "finding.duplicate_id", key, entity, column, ident, expected="expect.unique_id", first=first[ident]
                )
            else:
                first[ident] = entity.row


def _slot_tokens(ctx: _Ctx, key: str, entity: Frozen, column: str) -> Iterator[Finding]:
    """Each token of a slots/available cell must be a slot id or a day."""
    if not ctx.complete("timeslots"):
        return
    known = _one_of("timeslots", ctx.scenario.slot_by_id)
    for token in getattr(entity, column):
        if token not in ctx.scenario.slot_by_id and try_parse_day(token) is None:
            yield _error(
                "finding.unknown_slot_or_day",
                key,
                entity,
                column,
                token,
                expected="expect.slot_or_day",
                token=token,
                **known,
            )


def _references(ctx: _Ctx) -> Iterator[Finding]:
    sc = ctx.scenario
    staff_ok, rooms_ok, classes_ok = ctx.complete("staff"), ctx.complete("rooms"), ctx.complete("classes")
    activities_ok, slots_ok = ctx.complete("activities"), ctx.complete("timeslots")
    staff, rooms, classes = (
        _one_of("staff", sc.staff_by_id),
        _one_of("rooms", sc.room_by_id),
        _one_of("classes", sc.class_by_id),
    )
    activities, slots = _one_of("activities", sc.activity_by_id), _one_of("timeslots", sc.slot_by_id)
    for c in sc.classes:
        if staff_ok and c.homeroom_teacher and c.homeroom_teacher not in sc.staff_by_id:
            yield _error(
                "finding.unknown_staff",
                "classes",
                c,
                "homeroom_teacher",
                c.homeroom_teacher,
                expected="expect.staff_id",
                **staff,
            )
        if rooms_ok and c.room_id and c.room_id not in sc.room_by_id:
            yield _error("finding.unknown_room", "classes", c, "room_id", c.room_id, expected="expect.room_id", **rooms)
    kinds = {k.value for k in SlotKind}
    for s in sc.students:
        if classes_ok and s.class_id not in sc.class_by_id:
            yield _error(
                "finding.unknown_class", "students", s, "class_id", s.class_id, expected="expect.class_id", **classes
            )
        if activities_ok:
            for rank, activity_id in s.choices:
                if activity_id not in sc.activity_by_id:
                    yield _error(
                        "finding.unknown_activity",
                        "students",
                        s,
                        f"choice{rank}",
                        activity_id,
                        expected="expect.activity_id",
                        **activities,
                    )
        if staff_ok and s.teacher_pref and s.teacher_pref not in sc.staff_by_id:
            yield _error(
                "finding.unknown_staff",
                "students",
                s,
                "teacher_pref",
                s.teacher_pref,
                expected="expect.staff_id",
                **staff,
            )
        if slots_ok:
            for token in s.services:
                if token.lower() not in kinds and token not in sc.slot_by_id:
                    yield _error(
                        "finding.unknown_service",
                        "students",
                        s,
                        "services",
                        token,
                        expected="expect.service",
                        token=token,
                        kinds=", ".join(sorted(kinds)),
                        **slots,
                    )
    for a in sc.activities:
        yield from _slot_tokens(ctx, "activities", a, "slots")
        if a.max_size is not None and a.min_size > a.max_size:
            yield _error(
                "finding.min_above_max",
                "activities",
                a,
                "min_size",
                a.min_size,
                expected="expect.min_size",
                min=a.min_size,
                max=a.max_size,
            )
    for p in sc.staff:
        yield from _slot_tokens(ctx, "staff", p, "available")
    for r in sc.rooms:
        yield from _slot_tokens(ctx, "rooms", r, "available")
    for d in sc.duties:
        slot = sc.slot_by_id.get(d.slot_id or "")
        if slots_ok and d.slot_id and slot is None:
            yield _error("finding.unknown_slot", "duties", d, "slot_id", d.slot_id, expected="expect.slot_id", **slots)
        elif slot is not None and slot.day != d.day:
            yield _error(
                "finding.duty_slot_other_day",
                "duties",
                d,
                "slot_id",
                d.slot_id,
                expected="expect.slot_on_day",
                slot=d.slot_id,
                slot_day=_day(slot.day),
                day=_day(d.day),
            )
    for lock in sc.locks:
        if ctx.complete("students") and lock.student_id not in sc.student_by_id:
            yield _error(
                "finding.unknown_student",
                "locks",
                lock,
                "student_id",
                lock.student_id,
                expected="expect.student_id",
                **_one_of("students", sc.student_by_id),
            )
        if activities_ok and lock.activity_id not in sc.activity_by_id:
            yield _error(
                "finding.unknown_activity",
                "locks",
                lock,
                "activity_id",
                lock.activity_id,
                expected="expect.activity_id",
                **activities,
            )
    yield from _change_references(ctx)


_CHANGE_TARGETS: dict[ChangeAction, tuple[str, str, str]] = {
    ChangeAction.EXIT: ("students", "finding.unknown_student", "expect.student_id"),
    ChangeAction.CHANGE: ("students", "finding.unknown_student", "expect.student_id"),
    ChangeAction.STAFF_LEAVE: ("staff", "finding.unknown_staff", "expect.staff_id"),
    ChangeAction.STAFF_RETURN: ("staff", "finding.unknown_staff", "expect.staff_id"),
    ChangeAction.ROOM_CLOSED: ("rooms", "finding.unknown_room", "expect.room_id"),
    ChangeAction.ROOM_OPEN: ("rooms", "finding.unknown_room", "expect.room_id"),
}


def _change_references(ctx: _Ctx) -> Iterator[Finding]:
    """Changes name known students, staff and rooms; a student may first arrive by a join."""
    sc = ctx.scenario
    known = {
        "students": set(sc.student_by_id),
        "staff": set(sc.staff_by_id),
        "rooms": set(sc.room_by_id),
    }
    joined = {c.id for c in sc.changes if c.action == ChangeAction.JOIN}
    ordered = {
        "students": [*sc.student_by_id, *sorted(joined - known["students"])],
        "staff": list(sc.staff_by_id),
        "rooms": list(sc.room_by_id),
    }
    classes, staff = _one_of("classes", sc.class_by_id), _one_of("staff", sc.staff_by_id)
    for change in sc.changes:
        if change.until is not None and change.until < change.date:
            yield _error(
                "finding.until_before_date",
                "changes",
                change,
                "until",
                change.until.isoformat(),
                expected="expect.until",
                date=change.date.isoformat(),
            )
        target = _CHANGE_TARGETS.get(change.action)
        if target is not None:
            table, code, expected = target
            ids = known[table] | (joined if table == "students" else set())
            if ctx.complete(table) and change.id not in ids:
                yield _error(
                    code, "changes", change, "id", change.id, expected=expected, **_one_of(table, ordered[table])
                )
        if change.action not in (ChangeAction.JOIN, ChangeAction.CHANGE):
            continue
        student = change.student
        class_id = str(student.get("class_id", "")).strip()
        if ctx.complete("classes") and class_id and class_id not in sc.class_by_id:
            yield _error(
                "finding.unknown_class", "changes", change, "class_id", class_id, expected="expect.class_id", **classes
            )
        if change.action == ChangeAction.JOIN and not class_id and change.id not in known["students"]:
            yield _error(
                "finding.join_without_class", "changes", change, "class_id", expected="expect.class_id", **classes
            )
        if ctx.complete("activities"):
            for column in (f"choice{n}" for n in range(1, 6)):
                value = str(student.get(column, "")).strip()
                if value and value not in sc.activity_by_id:
                    yield _error(
                        "finding.unknown_activity",
                        "changes",
                        change,
                        column,
                        value,
                        expected="expect.activity_id",
                        **_one_of("activities", sc.activity_by_id),
                    )
        pref = str(student.get("teacher_pref", "")).strip()
        if ctx.complete("staff") and pref and pref not in sc.staff_by_id:
            yield _error(
                "finding.unknown_staff", "changes", change, "teacher_pref", pref, expected="expect.staff_id", **staff
            )


# ---- time rules (H1–H3) -------------------------------------------------------------------
def school_grades(scenario: Scenario) -> frozenset[int]:
    """The grades the school has: its classes' grades, else those its level implies."""
    grades = frozenset(c.grade for c in scenario.classes)
    if grades:
        return grades
    return {
        Level.PRIMARY: frozenset(range(1, 7)),
        Level.JUNIOR: frozenset(range(7, 10)),
        Level.NINE_YEAR: frozenset(range(1, 10)),
    }[scenario.school.level]


def _seasons(scenario: Scenario) -> tuple[str, ...]:
    """The seasons whose clocks differ: autumn/winter always, summer when a slot has summer times."""
    if any(s.summer_start and s.summer_end for s in scenario.timeslots):
        return (Season.AUTUMN_WINTER.value, Season.SUMMER.value)
    return (Season.AUTUMN_WINTER.value,)


def _season_words(season: str) -> dict[str, Term]:
    return {"season": Term(f"season.{season}")}


def _slot_shapes(ctx: _Ctx) -> Iterator[Finding]:
    for slot in ctx.scenario.timeslots:
        if minutes(slot.end) <= minutes(slot.start):
            yield _error(
                "finding.slot_ends_before_start",
                "timeslots",
                slot,
                "end",
                _clock(slot.end),
                expected="expect.end_after_start",
                start=_clock(slot.start),
            )
        if slot.summer_start and slot.summer_end and minutes(slot.summer_end) <= minutes(slot.summer_start):
            yield _error(
                "finding.slot_ends_before_start",
                "timeslots",
                slot,
                "summer_end",
                _clock(slot.summer_end),
                expected="expect.end_after_start",
                start=_clock(slot.summer_start),
            )
        if (slot.summer_start is None) != (slot.summer_end is None):
            column = "summer_start" if slot.summer_start else "summer_end"
            yield _warning("finding.summer_half", "timeslots", slot, column, expected="expect.both_summer")


def _slot_overlaps(ctx: _Ctx) -> Iterator[Finding]:
    """Slots used by the same grade never overlap in time (FORMAT.md timeslots.csv)."""
    sc = ctx.scenario
    everyone = school_grades(sc) | frozenset(range(1, 10))
    reported: set[tuple[str, str]] = set()
    for season in _seasons(sc):
        by_day: dict[Day, list[Timeslot]] = defaultdict(list)
        for slot in sc.sorted_slots:
            by_day[slot.day].append(slot)
        for day, slots in by_day.items():
            for a, b in combinations(slots, 2):
                shared = (a.grades or everyone) & (b.grades or everyone)
                (a_start, a_end), (b_start, b_end) = a.clock(season), b.clock(season)
                overlap = minutes(a_start) < minutes(b_end) and minutes(b_start) < minutes(a_end)
                if shared and overlap and (a.slot_id, b.slot_id) not in reported:
                    reported.add((a.slot_id, b.slot_id))
                    yield _error(
                        "finding.slot_overlap",
                        "timeslots",
                        b,
                        "start",
                        _clock(b_start),
                        expected="expect.no_overlap",
                        other=a.slot_id,
                        other_start=_clock(a_start),
                        other_end=_clock(a_end),
                        day=_day(day),
                        grades=format_grades(shared & school_grades(sc)) or format_grades(shared),
                        **_season_words(season),
                    )


def _end_column(season: str) -> str:
    return "summer_end" if season == Season.SUMMER.value else "end"


def _latest_end(ctx: _Ctx) -> Iterator[Finding]:
    """H1: afternoon slots end by the latest end of the grades using them; H2: evening study."""
    sc = ctx.scenario
    rules = sc.school.rules
    grades_of_school = school_grades(sc)
    for slot in sc.timeslots:
        for season in _seasons(sc):
            if season == Season.SUMMER.value and not (slot.summer_start and slot.summer_end):
                continue
            start, end = slot.clock(season)
            if slot.kind in AFTERNOON_KINDS:
                using = slot.grades or grades_of_school
                for limit, grades in (
                    (rules.latest_end_primary, {g for g in using if g <= 6}),
                    (rules.latest_end_junior, {g for g in using if g >= 7}),
                ):
                    if grades and minutes(end) > minutes(limit):
                        yield _error(
                            "finding.slot_after_latest_end",
                            "timeslots",
                            slot,
                            _end_column(season),
                            _clock(end),
                            expected="expect.end_by",
                            end=_clock(end),
                            limit=_clock(limit),
                            grades=format_grades(grades),
                            **_season_words(season),
                        )
            elif slot.kind == SlotKind.EVENING_STUDY:
                if minutes(end) > minutes(rules.evening_latest_end):
                    yield _error(
                        "finding.evening_after_latest_end",
                        "timeslots",
                        slot,
                        _end_column(season),
                        _clock(end),
                        expected="expect.end_by",
                        end=_clock(end),
                        limit=_clock(rules.evening_latest_end),
                        **_season_words(season),
                    )
                length = (minutes(end) - minutes(start)) / 60
                if length > rules.evening_max_hours:
                    yield _error(
                        "finding.evening_too_long",
                        "timeslots",
                        slot,
                        _end_column(season),
                        _clock(end),
                        expected="expect.evening_hours",
                        hours=_hours(round(length, 2)),
                        limit=_hours(rules.evening_max_hours),
                    )


def _daily_service(ctx: _Ctx) -> Iterator[Finding]:
    """Local policy on a day's service: total hours within min/max, ending no earlier than earliest_end."""
    sc = ctx.scenario
    rules = sc.school.rules
    if rules.min_daily_hours is None and rules.max_daily_hours is None and rules.earliest_end is None:
        return
    for season in _seasons(sc):
        problems: dict[tuple[str, Day, str, str], set[int]] = defaultdict(set)
        for grade in sorted(school_grades(sc)):
            for day in sc.service_days:
                slots = [s for s in sc.timeslots if s.day == day and s.kind in AFTERNOON_KINDS and s.serves(grade)]
                if not slots:
                    continue
                clocks = [s.clock(season) for s in slots]
                hours = round(sum(minutes(e) - minutes(b) for b, e in clocks) / 60, 2)
                last = max((e for _, e in clocks), key=minutes)
                if rules.min_daily_hours is not None and hours < rules.min_daily_hours:
                    problems[("finding.daily_hours_below", day, _hours(hours), _hours(rules.min_daily_hours))].add(
                        grade
                    )
                if rules.max_daily_hours is not None and hours > rules.max_daily_hours:
                    problems[("finding.daily_hours_above", day, _hours(hours), _hours(rules.max_daily_hours))].add(
                        grade
                    )
                if rules.earliest_end is not None and minutes(last) < minutes(rules.earliest_end):
                    problems[("finding.ends_before_earliest", day, _clock(last), _clock(rules.earliest_end))].add(grade)
        for (code, day, amount, limit), grades in problems.items():
            amount_key = "end" if code == "finding.ends_before_earliest" else "hours"
            params = {amount_key: amount, "limit": limit, "day": _day(day), "grades": format_grades(grades)}
            yield _error(code, "timeslots", None, expected=_DAILY_EXPECTED[code], **params, **_season_words(season))


_DAILY_EXPECTED = {
    "finding.daily_hours_below": "expect.min_daily_hours",
    "finding.daily_hours_above": "expect.max_daily_hours",
    "finding.ends_before_earliest": "expect.end_not_before",
}


# ---- warnings -----------------------------------------------------------------------------
def _choices(ctx: _Ctx) -> Iterator[Finding]:
    """Choices not open to the student's grade, of class activities, or repeated, are ignored."""
    sc = ctx.scenario
    for s in sc.students:
        if s.status in (StudentStatus.REJECTED, StudentStatus.WITHDRAWN):
            continue
        home = sc.class_by_id.get(s.class_id)
        seen: set[str] = set()
        for rank, activity_id in s.choices:
            activity = sc.activity_by_id.get(activity_id)
            column = f"choice{rank}"
            if activity_id in seen:
                yield _warning(
                    "finding.choice_repeated",
                    "students",
                    s,
                    column,
                    activity_id,
                    expected="expect.choice_once",
                    activity=activity_id,
                )
            seen.add(activity_id)
            if activity is None:
                continue
            if activity.mode == ActivityMode.CLASS:
                yield _warning(
                    "finding.choice_class_activity",
                    "students",
                    s,
                    column,
                    activity_id,
                    expected="expect.choice_activity",
                    activity=activity_id,
                )
            elif home is not None and not activity.eligible(home.grade):
                yield _warning(
                    "finding.choice_not_open",
                    "students",
                    s,
                    column,
                    activity_id,
                    expected="expect.open_to_grade",
                    activity=activity_id,
                    grade=home.grade,
                )


def _staffing(ctx: _Ctx) -> Iterator[Finding]:
    """T2/T3: an activity needs a cleared adult with one of its skills; R1: a room of its type."""
    sc = ctx.scenario
    cleared = [p for p in sc.staff if p.cleared]
    room_types = {r.type for r in sc.rooms}
    for a in sc.activities:
        if ctx.complete("staff") and a.skill and not any(p.skills & a.skill for p in cleared):
            skills = " ".join(sorted(a.skill))
            yield _warning(
                "finding.no_cleared_skill",
                "activities",
                a,
                "skill",
                skills,
                expected="expect.cleared_skill",
                skills=skills,
            )
        if ctx.complete("rooms") and a.room_type and not a.room_type & room_types:
            types = " ".join(sorted(a.room_type))
            yield _warning(
                "finding.no_room_type", "activities", a, "room_type", types, expected="expect.room_type", types=types
            )
        if ctx.complete("rooms") and a.outdoor:
            size = sc.group_cap_of(a)
            if not any(not r.outdoor and r.capacity >= size for r in sc.rooms):
                yield _warning(
                    "finding.no_rain_room", "activities", a, "outdoor", "yes", expected="expect.rain_room", size=size
                )
    for d in sc.duties:
        have = sum(1 for p in cleared if p.kind == d.kind)
        if ctx.complete("staff") and have < d.count:
            yield _warning(
                "finding.duty_short",
                "duties",
                d,
                "count",
                d.count,
                expected="expect.duty_staff",
                kind=d.kind.value,
                have=have,
                count=d.count,
            )


def _fees(ctx: _Ctx) -> Iterator[Finding]:
    """M1: fees within the approved caps: ``fee_per_term``/``fee_per_day`` (:func:`rules.fees_above_cap`, the
    compliance report's reading too) and each activity's fee."""
    for over in rules.fees_above_cap(ctx.scenario):
        fee, cap = _hours(over.fee), _hours(over.cap)
        yield _warning(
            "finding.fee_above_cap", "school", None, over.key, fee, expected="expect.fee_cap", fee=fee, cap=cap
        )
    cap_term = rules.fee_cap_term(ctx.scenario)
    if cap_term is None:
        return
    for a in ctx.scenario.activities:
        if a.fee is not None and a.fee > cap_term:
            yield _warning(
                "finding.fee_above_cap",
                "activities",
                a,
                "fee",
                _hours(a.fee),
                expected="expect.fee_cap",
                fee=_hours(a.fee),
                cap=_hours(cap_term),
            )


def _subject_teaching(ctx: _Ctx) -> Iterator[Finding]:
    """C1: a menu item whose name looks like subject teaching."""
    for a in ctx.scenario.activities:
        word = subject_teaching_word(a.name)
        if word is not None:
            yield _warning(
                "finding.subject_teaching",
                "activities",
                a,
                "name",
                a.name,
                expected="expect.no_subject_teaching",
                word=word,
            )


def _org_clearance(ctx: _Ctx) -> Iterator[Finding]:
    """十严禁 7-8: an organisation's review (``org_cleared``) belongs to an activity that names the organisation."""
    for a in ctx.scenario.activities:
        if a.org_cleared is not None and not a.org:
            yield _warning(
                "finding.org_cleared_without_org",
                "activities",
                a,
                "org_cleared",
                "yes" if a.org_cleared else "no",
                expected="expect.org_for_clearance",
            )


def _has_place(scenario: Scenario, activities: Iterable[Activity], grade: int, choices: set[str]) -> bool:
    for a in activities:
        if not a.eligible(grade):
            continue
        if (a.kind == ActivityKind.CARE and a.mode == ActivityMode.CHOICE) or a.mode == ActivityMode.CLASS:
            return True
        if a.activity_id in choices:
            return True
    return False


def _places(ctx: _Ctx) -> Iterator[Finding]:
    """An approved student whose grade has no care activity, no class activity and no open choice."""
    sc = ctx.scenario
    if not ctx.complete("activities"):
        return
    for s in sc.approved_students:
        home = sc.class_by_id.get(s.class_id)
        if home is None:
            continue
        if not _has_place(sc, sc.activities, home.grade, {a for _, a in s.choices}):
            yield _warning(
                "finding.no_place",
                "students",
                s,
                "class_id",
                s.class_id,
                expected="expect.place_for_grade",
                grade=home.grade,
            )


CHECKS: tuple[Callable[[_Ctx], Iterator[Finding]], ...] = (
    _duplicate_ids,
    _references,
    _slot_shapes,
    _slot_overlaps,
    _latest_end,
    _daily_service,
    _choices,
    _staffing,
    _fees,
    _subject_teaching,
    _org_clearance,
    _places,
)
"""Every check, errors first; each is a generator over one rule family."""

_NEEDS_SCHOOL = {_latest_end, _daily_service, _fees}


def validate(scenario: Scenario, *, incomplete: Collection[str] = ()) -> list[Finding]:
    """Errors and warnings about ``scenario`` as a whole (FORMAT.md "Findings and exit codes").

    ``incomplete`` names tables (``"students"``, ``"school"`` …) whose loading failed; checks
    that depend on them are skipped.
    """
    ctx = _Ctx(scenario, frozenset(incomplete))
    findings: list[Finding] = []
    for check in CHECKS:
        if check in _NEEDS_SCHOOL and not ctx.complete("school"):
            continue
        if check is _daily_service and not ctx.complete("timeslots"):
            continue
        findings.extend(check(ctx))
    return sorted(findings, key=lambda f: (f.severity != Severity.ERROR,))
